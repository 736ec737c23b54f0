// Owns the once-only export of an incident to NCIRCC (docs/api.md "Export rules", docs/once-only.md): the export
// state and what blocks it, the preview, and the export itself: preconditions in order, defaults, validation against
// the active form version, the claim committed before the call; the call and its outcome go the one outbound path.
// Also the admin's side of an unknown export: look it up now, or settle it by hand.
import { EntityManager } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { actorLabel, type Actor } from '../auth/auth.decorators';
import { JsonText } from '../common/json-text';
import { registerMessages } from '../common/messages';
import { ProblemError } from '../common/problem';
import { insertRow } from '../db/plain-statements';
import { allDefaults, resolveDefaults, withDefaults } from '../schema/defaults';
import { getValidator } from '../schema/validator';
import { FormsService, type FormVersionView } from '../forms/forms.service';
import { toWirePayload } from '../schema/wire-mapper';
import type { ExportRequest } from '../generated/api/export-request';
import type { ExportSummary, IncidentSummary } from '../incidents/incident.repository';
import { IncidentsService } from '../incidents/incidents.service';
import { IntegrationService, type ActiveIntegration } from '../integration/integration.service';
import { LicenseService } from '../license/license.service';
import type { ExportResolve } from '../generated/api/export-resolve';
import { OutboundService } from '../outbound/outbound.service';
import { ReconcilerService } from '../outbound/reconciler.service';
import { exportedCard, reportsLeak } from '../ncircc/cards.service';
import { NcirccCard } from '../ncircc/ncircc-card.entity';
import { ExportKind } from './export-kind';
import { checkWirePayload, wirePayload } from './incident-wire';
import { RucertExport, type ExportState } from './rucert-export.entity';
import { recordedDocument, RucertExportDocuments } from './rucert-export-documents.entity';
import { CLAIMABLE } from './rucert-export.repository';
import { defaultSources } from './default-sources';
import { storedOnce } from './shared-texts';
import type { ExportBlocker, ExportPreview, ExportResult, ExportStatus } from '../generated/api/responses';

export type { ExportBlocker, ExportResult, ExportStatus };

registerMessages({
  'export.not_unknown': {
    en: 'Only an export whose outcome is unknown can be resolved by hand; this one is {state}',
    ru: 'Вручную можно урегулировать только экспорт в НКЦКИ с неизвестным результатом; этот — {state}',
  },
  'export.already_exported': {
    en: 'Incident {id} was already exported to RuCERT as {identifier}; later changes are made in the GosSOPKA account',
    ru: 'Инцидент {id} уже экспортирован в НКЦКИ под номером {identifier}; дальнейшие изменения вносятся в личном кабинете ГосСОПКА',
  },
  'export.in_progress': {
    en: 'An export of incident {id} is in progress or its outcome is being reconciled (state {state}); it is never retried blindly',
    ru: 'Экспорт инцидента {id} в НКЦКИ выполняется или его результат уточняется (состояние {state}); повторная отправка вслепую не выполняется',
  },
  'export.form_version_stale': {
    en: 'The data was filled in form version {given}, but version {active} is active now: reload the form',
    ru: 'Данные заполнены в версии формы {given}, а активна версия {active}: обновите форму',
  },
  'export.invalid_data': { en: 'The form data is not valid for form version {version}', ru: 'Данные формы некорректны для версии формы {version}' },
  'export.rejected': { en: 'RuCERT rejected the notification: {reason}', ru: 'НКЦКИ отклонил уведомление: {reason}' },
  'export.unreachable': {
    en: 'RuCERT could not be reached, nothing was sent: {reason}; the export can be tried again',
    ru: 'НКЦКИ недоступен, ничего не отправлено: {reason}; экспорт в НКЦКИ можно повторить',
  },
  'export.ambiguous': {
    en: 'RuCERT may or may not have registered the notification ({reason}); it is being looked up, not re-sent',
    ru: 'Неизвестно, зарегистрировал ли НКЦКИ уведомление ({reason}); оно будет найдено поиском, а не отправлено повторно',
  },
});

/** What an export sends, computed without side effects (the preview answers exactly this). */
interface PreparedExport {
  incident: IncidentSummary;
  form: FormVersionView;
  data: Record<string, unknown>;
  payload: Record<string, unknown>;
  integration: ActiveIntegration;
}

const IN_FLIGHT: ExportState[] = ['sending', 'unknown'];

export function rucertView(e: ExportSummary): ExportStatus['rucert'] {
  return e.rucertIdentifier ? { uuid: e.rucertUuid ?? '', identifier: e.rucertIdentifier, createTime: e.rucertCreateTime ?? '' } : undefined;
}

@Injectable()
export class ExportService {
  constructor(
    private readonly em: EntityManager,
    private readonly incidents: IncidentsService,
    private readonly license: LicenseService,
    private readonly integration: IntegrationService,
    private readonly forms: FormsService,
    private readonly audit: AuditService,
    private readonly outbound: OutboundService,
    private readonly reconciler: ReconcilerService,
    private readonly kind: ExportKind,
  ) {
    outbound.register(kind);
  }

  async status(incidentId: string): Promise<ExportStatus> {
    const em = this.em.fork();
    const incident = await this.incidents.load(incidentId, em);
    const e = incident.rucertExport;
    const reasons: ExportBlocker[] = [];
    const settings = await this.integration.get();
    if (await this.license.exportBlocker()) reasons.push('license_required');
    if (!(settings.enabled && settings.tokenSet)) reasons.push('integration_not_configured');
    if (e.state === 'exported') reasons.push('already_exported');
    if (IN_FLIGHT.includes(e.state)) reasons.push('export_in_progress');
    const form = await this.forms.active();
    // every default the form declares, whichever fields its rules show now: the dialog reveals the others later
    const defaults = allDefaults(form.schema, resolveDefaults(form.schema, defaultSources(incident, settings)));
    const used = e.state !== 'not_exported';
    const data = used ? await recordedDocument(em, incidentId, e.attempt, 'data') : undefined;
    return {
      state: e.state,
      exportable: reasons.length === 0,
      reasons,
      formVersion: used && e.formVersion ? e.formVersion : form.version,
      defaults,
      ...(data ? { data } : {}),
      ...(rucertView(e) ? { rucert: rucertView(e) } : {}),
      ...(e.exportedAt ? { exportedAt: e.exportedAt.toISOString() } : {}),
      ...(e.exportedBy ? { exportedBy: e.exportedBy } : {}),
      ...(e.lastError ? { lastError: e.lastError } : {}),
    };
  }

  async preview(incidentId: string, body: ExportRequest): Promise<ExportPreview> {
    const prepared = await this.prepare(incidentId, body);
    return { payload: prepared.payload };
  }

  async export(incidentId: string, body: ExportRequest, actor: Actor): Promise<ExportResult> {
    let claimed: { prepared: PreparedExport; sent: JsonText; attempt: number };
    try {
      const prepared = await this.prepare(incidentId, body);
      // serialized once: the claim stores this very text, and NCIRCC receives it
      const sent = new JsonText(prepared.payload);
      claimed = { prepared, sent, attempt: await this.claim(prepared, sent, actor) };
    } catch (err) {
      // every attempt leaves a trace, the refused ones too (a lost race, no license, invalid data…)
      if (err instanceof ProblemError && err.code !== 'not_found') {
        await this.audit.write({ actor, action: 'export.refused', incidentId, details: { code: err.code } });
      }
      throw err;
    }
    const { incident, form, payload, integration } = claimed.prepared;
    const handle = this.kind.attempt(incident.id, claimed.attempt);
    const exportedAt = new Date();
    const created = await this.outbound.send(
      handle,
      actor,
      () => integration.client.createIncident(claimed.sent),
      (c) => ({
        changes: { rucertUuid: c.uuid, rucertIdentifier: c.identifier, rucertCreateTime: c.createTime, exportedAt, exportedBy: actorLabel(actor) },
        details: { formVersion: form.version, identifier: c.identifier, uuid: c.uuid },
        // the card is committed with the outcome: one transaction, no second read of what was just written
        also: (tx) =>
          tx.getRepository(NcirccCard).insertIfAbsent(
            tx,
            exportedCard(incident.id, {
              uuid: c.uuid,
              identifier: c.identifier,
              createTime: c.createTime,
              formVersion: form.version,
              leakDetectedAt: reportsLeak(payload) ? incident.detectedAt : undefined,
            }),
          ),
      }),
    );
    return { state: 'exported', rucert: created, exportedAt: exportedAt.toISOString(), formVersion: form.version };
  }

  /** Admin: look an unknown export up in NCIRCC now; a `sending` claim whose call has certainly ended first becomes unknown. */
  async reconcile(incidentId: string, actor: Actor): Promise<void> {
    const row = await this.settleableRow(incidentId, actor);
    if (row) await this.reconciler.settle(this.kind.pending(row), actor);
  }

  /** Admin: settle an unknown export by hand (or a `sending` one whose call has certainly ended). */
  async resolve(incidentId: string, input: ExportResolve, actor: Actor): Promise<void> {
    const row = await this.settleableRow(incidentId, actor);
    if (!row) {
      const state = (await this.incidents.load(incidentId, this.em.fork())).rucertExport.state;
      throw new ProblemError('conflict', 'export.not_unknown', { state });
    }
    const changes =
      input.outcome === 'exported'
        ? { state: 'exported', rucertIdentifier: input.identifier, exportedAt: new Date(), exportedBy: actorLabel(actor) }
        : { state: 'failed', lastError: { code: 'resolved_by_admin', message: input.reason, at: new Date().toISOString() } };
    const moved = await this.kind.handle(row).move(['unknown'], changes, {
      actor,
      action: 'export.resolved',
      details: { attempt: row.attempt, outcome: input.outcome, identifier: input.identifier, reason: input.reason },
    });
    if (!moved) throw new ProblemError('conflict', 'export.not_unknown', { state: 'changed meanwhile' });
  }

  /** The export row if it is unknown, after moving a `sending` claim whose call can no longer be in flight to unknown. */
  private async settleableRow(incidentId: string, actor: Actor): Promise<RucertExport | undefined> {
    const row = (await this.incidents.load(incidentId, this.em.fork())).rucertExport;
    if (row.state === 'sending' && row.claimedAt && Date.now() - row.claimedAt.getTime() > (await this.reconciler.callBound())) {
      await this.outbound.markLost(this.kind.handle(row), actor);
      return (await this.incidents.load(incidentId, this.em.fork())).rucertExport.state === 'unknown' ? row : undefined;
    }
    return row.state === 'unknown' ? row : undefined;
  }

  /** Preconditions in the order of docs/api.md, then defaults, validation and the wire payload. */
  private async prepare(incidentId: string, body: ExportRequest): Promise<PreparedExport> {
    const incident = await this.incidents.summary(incidentId);
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
    // the defaults' choice usually validated the filled data already: its verdict is the validation
    const { data, errors: known } = withDefaults(form.schema, body.data, resolveDefaults(form.schema, defaultSources(incident, integration.settings)));
    const validate = getValidator(form.schema);
    const errors = known ?? (validate(data) ? [] : [...(validate.errors ?? [])]);
    if (errors.length) {
      throw new ProblemError('validation_failed', 'export.invalid_data', { version: form.version }, { ajv: { schema: form.schema, errors } });
    }
    const payload = wirePayload(incident, integration.wire, toWirePayload(form.schema, data));
    const wireErrors = checkWirePayload(payload, form.schema);
    if (wireErrors.length) {
      throw new ProblemError('validation_failed', 'export.invalid_data', { version: form.version }, { fieldErrors: wireErrors });
    }
    return { incident, form, data, payload, integration };
  }

  private assertClaimable(incident: Pick<IncidentSummary, 'id' | 'rucertExport'>): void {
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

  /** The once-only claim, committed with its audit line before NCIRCC is called. Returns the attempt number. */
  private async claim({ incident, form, data, payload }: PreparedExport, sent: JsonText, actor: Actor): Promise<number> {
    const seen = incident.rucertExport.attempt;
    const attempt = seen + 1;
    const won = await this.em.getRepository(RucertExport).transition({
      where: { incident: incident.id, attempt: seen },
      from: CLAIMABLE,
      changes: { state: 'sending', attempt, formVersion: form.version, claimedAt: new Date(), claimedBy: actorLabel(actor), lastError: null },
      audit: { actor, action: 'export.attempted', incidentId: incident.id, details: { attempt, formVersion: form.version } },
      // what this attempt sends, committed with its claim; a long text of the data is stored once, in the payload
      also: (tx) => insertRow(tx, RucertExportDocuments, { incidentId: incident.id, attempt, payload: sent, ...storedOnce(data, payload) }),
    });
    if (won) return attempt;
    // somebody else claimed between our read and our update: report what they did
    this.assertClaimable(await this.incidents.summary(incident.id));
    throw new ProblemError('export_in_progress', 'export.in_progress', { id: incident.id, state: 'sending' });
  }
}
