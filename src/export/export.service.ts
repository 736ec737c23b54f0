// Owns the once-only export of an incident to RuCERT (ARCHITECTURE.md §4 "Export rules", §5): the export state and
// what blocks it, the preview, and the export itself: preconditions in order, defaults, validation against the
// active form version, the claim committed before the call, the call, and the outcome.
import { EntityManager } from '@mikro-orm/knex';
import { Injectable, Logger } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { actorLabel, type Actor } from '../auth/auth.decorators';
import { registerMessages } from '../common/messages';
import { ProblemError } from '../common/problem';
import { allDefaults, applyDefaults, resolveDefaults } from '../schema/defaults';
import { getValidator } from '../schema/validator';
import { FormsService, type FormVersionView } from '../forms/forms.service';
import { toWirePayload } from '../schema/wire-mapper';
import type { ExportRequest } from '../generated/api/export-request';
import { Incident } from '../incidents/incident.entity';
import { IncidentsService } from '../incidents/incidents.service';
import { IntegrationService, type ActiveIntegration } from '../integration/integration.service';
import { LicenseService } from '../license/license.service';
import { RucertError } from '../rucert/rucert-client';
import { RucertExport, type ExportError, type ExportState } from './rucert-export.entity';
import { offeredSources, submissionSources } from './default-sources';
import { incidentWireFields, withReferenceLine } from './incident-wire';

registerMessages({
  'export.already_exported': {
    en: 'Incident {id} was already exported to RuCERT as {identifier}; later changes are made in the GosSOPKA account',
    ru: 'Инцидент {id} уже экспортирован в НКЦКИ под номером {identifier}; дальнейшие изменения вносятся в личном кабинете ГосСОПКА',
  },
  'export.in_progress': {
    en: 'An export of incident {id} is in progress or its outcome is being reconciled (state {state}); it is never retried blindly',
    ru: 'Экспорт инцидента {id} выполняется или его результат уточняется (состояние {state}); повторная отправка вслепую не выполняется',
  },
  'export.form_version_stale': {
    en: 'The data was filled in form version {given}, but version {active} is active now: reload the form',
    ru: 'Данные заполнены в версии формы {given}, а активна версия {active}: обновите форму',
  },
  'export.invalid_data': { en: 'The form data is not valid for form version {version}', ru: 'Данные формы некорректны для версии формы {version}' },
  'export.rejected': { en: 'RuCERT rejected the notification: {reason}', ru: 'НКЦКИ отклонил уведомление: {reason}' },
  'export.unreachable': {
    en: 'RuCERT could not be reached, nothing was sent: {reason}; the export can be tried again',
    ru: 'НКЦКИ недоступен, ничего не отправлено: {reason}; экспорт можно повторить',
  },
  'export.ambiguous': {
    en: 'RuCERT may or may not have registered the notification ({reason}); it is being looked up, not re-sent',
    ru: 'Неизвестно, зарегистрировал ли НКЦКИ уведомление ({reason}); оно будет найдено поиском, а не отправлено повторно',
  },
});

export type ExportBlocker = 'license_required' | 'integration_not_configured' | 'already_exported' | 'export_in_progress';

export interface ExportStatusView {
  state: ExportState;
  exportable: boolean;
  reasons: ExportBlocker[];
  formVersion?: number;
  defaults: Record<string, unknown>;
  data?: Record<string, unknown>;
  rucert?: { uuid: string; identifier: string; createTime: string };
  exportedAt?: string;
  exportedBy?: string;
  lastError?: ExportError;
}

export interface ExportResult {
  state: 'exported';
  rucert: { uuid: string; identifier: string; createTime: string };
  exportedAt: string;
  formVersion: number;
}

/** What an export sends, computed without side effects (the preview answers exactly this). */
interface PreparedExport {
  incident: Incident;
  form: FormVersionView;
  data: Record<string, unknown>;
  payload: Record<string, unknown>;
  integration: ActiveIntegration;
}

const IN_FLIGHT: ExportState[] = ['sending', 'unknown'];

export function rucertView(e: RucertExport): ExportStatusView['rucert'] {
  return e.rucertIdentifier ? { uuid: e.rucertUuid ?? '', identifier: e.rucertIdentifier, createTime: e.rucertCreateTime ?? '' } : undefined;
}

@Injectable()
export class ExportService {
  private readonly logger = new Logger('Export');

  constructor(
    private readonly em: EntityManager,
    private readonly incidents: IncidentsService,
    private readonly license: LicenseService,
    private readonly integration: IntegrationService,
    private readonly forms: FormsService,
    private readonly audit: AuditService,
  ) {}

  async status(incidentId: string): Promise<ExportStatusView> {
    const incident = await this.incidents.load(incidentId, this.em.fork());
    const e = incident.rucertExport;
    const reasons: ExportBlocker[] = [];
    const settings = await this.integration.get();
    if (await this.license.exportBlocker()) reasons.push('license_required');
    if (!(settings.enabled && settings.tokenSet)) reasons.push('integration_not_configured');
    if (e.state === 'exported') reasons.push('already_exported');
    if (IN_FLIGHT.includes(e.state)) reasons.push('export_in_progress');
    const form = await this.forms.active();
    // every default the form declares, whichever fields its rules show now: the dialog reveals the others later
    const defaults = allDefaults(form.schema, resolveDefaults(form.schema, offeredSources(incident, settings)));
    const used = e.state !== 'not_exported';
    return {
      state: e.state,
      exportable: reasons.length === 0,
      reasons,
      formVersion: used && e.formVersion ? e.formVersion : form.version,
      defaults,
      ...(used && e.data ? { data: e.data } : {}),
      ...(rucertView(e) ? { rucert: rucertView(e) } : {}),
      ...(e.exportedAt ? { exportedAt: e.exportedAt.toISOString() } : {}),
      ...(e.exportedBy ? { exportedBy: e.exportedBy } : {}),
      ...(e.lastError ? { lastError: e.lastError } : {}),
    };
  }

  async preview(incidentId: string, body: ExportRequest): Promise<{ payload: Record<string, unknown> }> {
    const prepared = await this.prepare(incidentId, body);
    return { payload: prepared.payload };
  }

  async export(incidentId: string, body: ExportRequest, actor: Actor): Promise<ExportResult> {
    const { incident, form, data, payload, integration } = await this.prepare(incidentId, body);
    const attempt = await this.claim(incident, form, data, payload, actor);
    try {
      const created = await integration.client.createIncident(payload);
      return await this.recordSuccess(incident.id, attempt, form.version, created, actor);
    } catch (err) {
      throw await this.recordFailure(incident.id, attempt, err, actor);
    }
  }

  /** Preconditions in the order of ARCHITECTURE.md §4, then defaults, validation and the wire payload. */
  private async prepare(incidentId: string, body: ExportRequest): Promise<PreparedExport> {
    const incident = await this.incidents.load(incidentId, this.em.fork());
    await this.license.assertExportAllowed();
    const integration = await this.integration.requireActive();
    this.assertClaimable(incident);
    const form = await this.forms.active();
    if (body.formVersion !== undefined && body.formVersion !== form.version) {
      throw new ProblemError(
        'form_version_stale',
        'export.form_version_stale',
        { given: body.formVersion, active: form.version },
        {
          extensions: { activeVersion: form.version },
        },
      );
    }
    const data = applyDefaults(form.schema, body.data, resolveDefaults(form.schema, submissionSources(incident, integration.settings)));
    const validate = getValidator(form.schema);
    if (!validate(data)) {
      throw new ProblemError(
        'validation_failed',
        'export.invalid_data',
        { version: form.version },
        {
          ajv: { schema: form.schema, errors: [...(validate.errors ?? [])] },
        },
      );
    }
    const payload = withReferenceLine({ ...incidentWireFields(incident, integration.companyName), ...toWirePayload(form.schema, data) }, incident.id);
    return { incident, form, data, payload, integration };
  }

  private assertClaimable(incident: Incident): void {
    const e = incident.rucertExport;
    if (e.state === 'exported') {
      throw new ProblemError(
        'already_exported',
        'export.already_exported',
        { id: incident.id, identifier: e.rucertIdentifier ?? '' },
        {
          extensions: { rucert: rucertView(e) },
        },
      );
    }
    if (IN_FLIGHT.includes(e.state)) throw new ProblemError('export_in_progress', 'export.in_progress', { id: incident.id, state: e.state });
  }

  /** The once-only claim, committed with its audit line before RuCERT is called. Returns the attempt number. */
  private async claim(
    incident: Incident,
    form: FormVersionView,
    data: Record<string, unknown>,
    payload: Record<string, unknown>,
    actor: Actor,
  ): Promise<number> {
    const seen = incident.rucertExport.attempt;
    const won = await this.em.fork().transactional(async (em) => {
      const ok = await em.getRepository(RucertExport).claim(em, incident.id, seen, {
        formVersion: form.version,
        data,
        payload,
        claimedAt: new Date(),
        claimedBy: actorLabel(actor),
        lastError: null,
      });
      if (ok) this.audit.record(em, actor, 'export.attempted', { incidentId: incident.id, details: { attempt: seen + 1, formVersion: form.version } });
      return ok;
    });
    if (won) return seen + 1;
    // somebody else claimed between our read and our update: report what they did
    this.assertClaimable(await this.incidents.load(incident.id, this.em.fork()));
    throw new ProblemError('export_in_progress', 'export.in_progress', { id: incident.id, state: 'sending' });
  }

  private async recordSuccess(
    incidentId: string,
    attempt: number,
    formVersion: number,
    created: { uuid: string; identifier: string; createTime: string },
    actor: Actor,
  ): Promise<ExportResult> {
    const exportedAt = new Date();
    await this.em.fork().transactional(async (em) => {
      // `unknown` too: a sweep may have judged this attempt lost while the answer was on its way
      const settled = await em.getRepository(RucertExport).settle(em, incidentId, attempt, IN_FLIGHT, {
        state: 'exported',
        rucertUuid: created.uuid,
        rucertIdentifier: created.identifier,
        rucertCreateTime: created.createTime,
        exportedAt,
        exportedBy: actorLabel(actor),
      });
      this.audit.record(em, actor, 'export.succeeded', {
        incidentId,
        details: { attempt, formVersion, identifier: created.identifier, uuid: created.uuid, settled },
      });
    });
    return { state: 'exported', rucert: created, exportedAt: exportedAt.toISOString(), formVersion };
  }

  /** Definite rejections and never-sent failures → failed; anything else → unknown, for the reconciler. */
  private async recordFailure(incidentId: string, attempt: number, err: unknown, actor: Actor): Promise<ProblemError> {
    const rucert = err instanceof RucertError ? err : null;
    if (!rucert) this.logger.error(`export of ${incidentId} failed unexpectedly: ${(err as Error)?.stack ?? String(err)}`);
    const kind = rucert?.kind ?? 'ambiguous';
    const reason = rucert?.message ?? 'unexpected error while sending';
    const state: ExportState = kind === 'ambiguous' ? 'unknown' : 'failed';
    const code = kind === 'rejected' ? 'rucert_rejected' : 'rucert_unavailable';
    const lastError: ExportError = { code, message: reason, ...(rucert?.status ? { status: rucert.status } : {}), at: new Date().toISOString() };
    await this.em.fork().transactional(async (em) => {
      await em.getRepository(RucertExport).settle(em, incidentId, attempt, ['sending'], { state, lastError });
      this.audit.record(em, actor, kind === 'ambiguous' ? 'export.unknown' : 'export.failed', {
        incidentId,
        details: { attempt, kind, reason, status: rucert?.status },
      });
    });
    const key = kind === 'rejected' ? 'export.rejected' : kind === 'unreachable' ? 'export.unreachable' : 'export.ambiguous';
    return new ProblemError(code, key, { reason }, { extensions: { state, ...(rucert?.status ? { rucertStatus: rucert.status } : {}) } });
  }
}
