// Owns the supplement of a notification (docs/ncircc.md "The life of a card"): while NCIRCC asks for more
// information, the analyst edits the fields the card's own form version declares supplementable (`x-supplement`),
// pre-filled with what NCIRCC has; the request carries the card's uuid, the "under review" status and only the
// changed fields. Once per request of NCIRCC, across instances; an unknown outcome is settled by reading the card back.
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';
import cardWire from '../../schemas/rucert/card-wire.json';
import { auditEntry, AuditService } from '../audit/audit.service';
import { actorLabel, type Actor } from '../auth/auth.decorators';
import { registerMessages } from '../common/messages';
import { ProblemError } from '../common/problem';
import { checkWirePayload, referenceLine, REFERENCE_FIELD } from '../export/incident-wire';
import { RucertExport } from '../export/rucert-export.entity';
import { recordedDocument } from '../export/rucert-export-documents.entity';
import { FormsService } from '../forms/forms.service';
import { IntegrationService } from '../integration/integration.service';
import { OutboundService, type PendingOperation } from '../outbound/outbound.service';
import type { RucertClient } from '../rucert/rucert-client';
import type { JsonObject } from '../schema/json';
import { changedFields, supplementFields, supplementSchema } from '../schema/supplement';
import { getValidator } from '../schema/validator';
import { toWirePayload } from '../schema/wire-mapper';
import { attemptHandle } from './attempt-handle';
import { CardsService } from './cards.service';
import { NcirccCard } from './ncircc-card.entity';
import { NcirccSupplement } from './ncircc-supplement.entity';
import type { SupplementForm, SupplementResult } from '../generated/api/responses';

export type { SupplementForm, SupplementResult };

registerMessages({
  'supplement.not_requested': {
    en: 'NCIRCC does not ask for a supplement of this notification now (its status is "{status}")',
    ru: 'НКЦКИ сейчас не запрашивает дополнение этого уведомления (статус «{status}»)',
  },
  'supplement.taken': {
    en: 'The supplement NCIRCC asked for ({n}) was already sent or is being sent ({state}); it is sent once',
    ru: 'Запрошенное НКЦКИ дополнение ({n}) уже отправлено или отправляется ({state}); оно отправляется один раз',
  },
  'supplement.nothing_changed': { en: 'changes nothing NCIRCC has', ru: 'ничего не меняет в том, что есть у НКЦКИ' },
  'supplement.invalid': { en: 'The supplement is not valid', ru: 'Дополнение некорректно' },
  'supplement.rejected': { en: 'NCIRCC rejected the supplement: {reason}', ru: 'НКЦКИ отклонил дополнение: {reason}' },
  'supplement.unreachable': {
    en: 'NCIRCC could not be reached, the supplement was not sent: {reason}; it can be sent again',
    ru: 'НКЦКИ недоступен, дополнение не отправлено: {reason}; его можно отправить снова',
  },
  'supplement.ambiguous': {
    en: 'NCIRCC may or may not have taken the supplement ({reason}); the card is read back, the supplement not sent again',
    ru: 'Неизвестно, принял ли НКЦКИ дополнение ({reason}); карточка будет прочитана, дополнение не будет отправлено повторно',
  },
});

@Injectable()
export class SupplementService {
  constructor(
    private readonly em: EntityManager,
    private readonly cards: CardsService,
    private readonly forms: FormsService,
    private readonly integration: IntegrationService,
    private readonly outbound: OutboundService,
    private readonly audit: AuditService,
  ) {
    outbound.register({ action: 'supplement', entity: NcirccSupplement, populate: ['card'], handle: (r) => this.handle(r), pending: (r) => this.pending(r) });
  }

  /** The supplement form of a notification: the supplementable fields of its form version, with what NCIRCC has. */
  async form(incidentId: string): Promise<SupplementForm> {
    const em = this.em.fork();
    const card = await this.cards.require(incidentId, em);
    const { form, fields, current } = await this.basis(card, em);
    const schema = supplementSchema(form.schema, fields);
    const uiSchema = { 'ui:order': fields, ...Object.fromEntries(fields.filter((f) => form.uiSchema[f] !== undefined).map((f) => [f, form.uiSchema[f]])) };
    return { formVersion: form.version, schema, uiSchema, data: pick(current, fields) };
  }

  async send(incidentId: string, data: JsonObject, actor: Actor): Promise<SupplementResult> {
    const em = this.em.fork();
    const card = await this.cards.require(incidentId, em);
    try {
      const state = await this.cards.supplementState(card, em);
      if (!state.requested) throw new ProblemError('supplement_not_requested', 'supplement.not_requested', { status: card.statusName ?? '' });
      const { form, fields, current } = await this.basis(card, em);
      const schema = supplementSchema(form.schema, fields);
      const validate = getValidator(schema);
      if (!validate(data)) throw new ProblemError('validation_failed', 'supplement.invalid', {}, { ajv: { schema, errors: [...(validate.errors ?? [])] } });
      const changed = changedFields(current, data, fields);
      if (changed.length === 0) {
        throw new ProblemError(
          'validation_failed',
          'supplement.invalid',
          {},
          { fieldErrors: [{ path: '', keyword: 'changes', messageKey: 'supplement.nothing_changed' }] },
        );
      }
      const wire = toWirePayload(schema, pick(data, changed));
      if (typeof wire[REFERENCE_FIELD] === 'string') wire[REFERENCE_FIELD] = `${wire[REFERENCE_FIELD]}\n\n${referenceLine(incidentId)}`;
      // NCIRCC's rules for every payload (no future dates, the description's bound), whatever the version declares
      const wireErrors = checkWirePayload(wire, schema);
      if (wireErrors.length) throw new ProblemError('validation_failed', 'supplement.invalid', {}, { fieldErrors: wireErrors });
      const changes = { [cardWire.statusField]: cardWire.notificationStatuses.underReview, ...wire };
      const client = await this.integration.client();
      if (!client) throw new ProblemError('integration_not_configured', 'integration.not_configured');
      const row = await this.claim(em, card, data, changes, actor);
      const sentAt = new Date();
      await this.outbound.send(
        this.handle(row),
        actor,
        () => client.updateIncident(card.uuid, changes),
        () => ({ changes: { sentAt }, details: { n: row.n, fields: changed } }),
      );
      return { supplement: { n: row.n, state: 'sent', sentAt: sentAt.toISOString() } };
    } catch (err) {
      if (err instanceof ProblemError && err.code !== 'rucert_rejected' && err.code !== 'rucert_unavailable') {
        await this.audit.write({ actor, action: 'supplement.refused', incidentId, details: { code: err.code } });
      }
      throw err;
    }
  }

  /** The card's form version, the fields it lets a supplement change, and their values as NCIRCC has them now. */
  private async basis(card: NcirccCard, em: EntityManager) {
    if (card.kind !== 'notification' || !card.formVersion)
      throw new ProblemError('supplement_not_requested', 'supplement.not_requested', { status: card.statusName ?? '' });
    const exported = await em.findOneOrFail(RucertExport, { incident: card.incidentId });
    const recorded = (await recordedDocument(em, card.incidentId, exported.attempt, 'data')) ?? {};
    const form = await this.forms.get(card.formVersion);
    const fields = supplementFields(form.schema, recorded);
    // what NCIRCC has: the exported data, then each supplement that reached it, in order
    const sent = await em.find(NcirccSupplement, { card, state: 'sent' }, { orderBy: { n: 'asc' } });
    const current = sent.reduce<JsonObject>((acc, s) => ({ ...acc, ...s.data }), { ...recorded });
    return { form, fields, current };
  }

  /** A row for NCIRCC's current request, or its failed one again with the next attempt; 409 when sent or under way. */
  private async claim(em: EntityManager, card: NcirccCard, data: JsonObject, changes: JsonObject, actor: Actor): Promise<NcirccSupplement> {
    const n = card.supplementRequests;
    const row = em.create(NcirccSupplement, { card, n, data, changes, claimedBy: actorLabel(actor) });
    try {
      await em.transactional(async (tx) => {
        tx.persist(row);
        tx.persist(auditEntry(tx, { actor, action: 'supplement.attempted', incidentId: card.incidentId, details: { n, attempt: 1 } }));
      });
      return row;
    } catch (err) {
      if (!(err instanceof UniqueConstraintViolationException)) throw err;
    }
    const earlier = await this.em.fork().findOneOrFail(NcirccSupplement, { card, n }, { populate: ['card'] });
    const retried =
      earlier.state === 'failed' &&
      (await this.em.getRepository(NcirccSupplement).transition({
        where: { id: earlier.id, attempt: earlier.attempt },
        from: ['failed'],
        changes: { state: 'sending', attempt: earlier.attempt + 1, data, changes, claimedAt: new Date(), claimedBy: actorLabel(actor), lastError: null },
        audit: { actor, action: 'supplement.attempted', incidentId: card.incidentId, details: { n, attempt: earlier.attempt + 1 } },
      }));
    if (retried) return Object.assign(earlier, { attempt: earlier.attempt + 1, state: 'sending' as const, data, changes });
    throw new ProblemError('conflict', 'supplement.taken', { n, state: earlier.state });
  }

  private handle(row: NcirccSupplement) {
    return attemptHandle<NcirccSupplement>(this.em.getRepository(NcirccSupplement), 'supplement', row);
  }

  /** Read the card back: no longer asking for a supplement means NCIRCC took it; still asking means it did not. */
  private pending(row: NcirccSupplement): PendingOperation {
    return {
      handle: this.handle(row),
      claimedAt: row.claimedAt ?? row.createdAt,
      lookup: async (client: RucertClient) => {
        const page = await client.findIncidents({ fields: ['uuid', 'status'], filter: [{ property: 'uuid', operator: '=', value: row.card.uuid }], limit: 1 });
        const status = page.result[0]?.status?.name;
        if (!status) return { outcome: 'unknown' };
        return status === cardWire.notificationStatuses.supplementRequested
          ? { outcome: 'absent' }
          : { outcome: 'found', changes: { sentAt: new Date() }, details: { status } };
      },
    };
  }
}

function pick(data: JsonObject, fields: string[]): JsonObject {
  return Object.fromEntries(fields.filter((f) => data[f] !== undefined).map((f) => [f, data[f]]));
}
