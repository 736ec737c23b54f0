// Owns the messages NCIRCC sends the organisation ("ALRT-…", docs/ncircc.md): each becomes one incident the SOC works
// on (across instances and restarts: the card's uuid and the incident's external id are unique), and the SOC's answer
// (taken into work, or decided with a result) is sent once through the outbound path, settled by reading the card back.
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';
import cardWire from '../../schemas/rucert/card-wire.json';
import { auditEntry, AuditService, SYSTEM_ACTOR } from '../audit/audit.service';
import { actorLabel, type Actor } from '../auth/auth.decorators';
import { registerMessages } from '../common/messages';
import { ProblemError } from '../common/problem';
import { RucertExport } from '../export/rucert-export.entity';
import type { CardStatusChange } from '../generated/api/card-status-change';
import { Incident } from '../incidents/incident.entity';
import { IntegrationService } from '../integration/integration.service';
import { NotificationsService } from '../notifications/notifications.service';
import { OutboundService, type PendingOperation } from '../outbound/outbound.service';
import { referenceName, type RucertClient, type RucertRecord } from '../rucert/rucert-client';
import { attemptHandle } from './attempt-handle';
import { CardsService } from './cards.service';
import { NcirccCard, NcirccCardStatus } from './ncircc-card.entity';
import { NcirccStatusChange } from './ncircc-status-change.entity';
import type { CardStatusResult } from '../generated/api/responses';

registerMessages({
  'status.not_a_message': {
    en: 'Only a message from NCIRCC is taken into work or decided here; this card is our notification',
    ru: 'В работу берётся и решается здесь только сообщение НКЦКИ; эта карточка — наше уведомление',
  },
  'status.already': {
    en: 'The message was already moved to "{status}" ({state}); each move is sent once',
    ru: 'Сообщение уже переведено в «{status}» ({state}); каждый переход отправляется один раз',
  },
  'status.rejected': { en: 'NCIRCC refused the status change: {reason}', ru: 'НКЦКИ отклонил смену статуса: {reason}' },
  'status.unreachable': {
    en: 'NCIRCC could not be reached, the status was not changed: {reason}; try again',
    ru: 'НКЦКИ недоступен, статус не изменён: {reason}; повторите попытку',
  },
  'status.ambiguous': {
    en: 'NCIRCC may or may not have changed the status ({reason}); the card is read back, the change not sent again',
    ru: 'Неизвестно, изменил ли НКЦКИ статус ({reason}); карточка будет прочитана, смена статуса не будет отправлена повторно',
  },
});

const MAX_TITLE = 500;
const MAX_DESCRIPTION = 100_000;

@Injectable()
export class MessagesService {
  constructor(
    private readonly em: EntityManager,
    private readonly cards: CardsService,
    private readonly integration: IntegrationService,
    private readonly outbound: OutboundService,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
  ) {
    outbound.register({ action: 'status', entity: NcirccStatusChange, populate: ['card'], handle: (r) => this.handle(r), pending: (r) => this.pending(r) });
  }

  /** Imports messages we do not have yet, each as one incident with its card. Returns how many were new. */
  async import(records: RucertRecord[]): Promise<number> {
    let imported = 0;
    for (const record of records) if (await this.importOne(record)) imported++;
    return imported;
  }

  private async importOne(record: RucertRecord): Promise<boolean> {
    const m = cardWire.message;
    const text = (field: string) => (typeof record[field] === 'string' && record[field] !== '' ? (record[field] as string) : undefined);
    const regNumber = text(m.regNumberField);
    const type = referenceName(record[m.typeField]) ?? m.category;
    const createTime = text(m.createTimeField);
    const detected = [text(m.detectedAtField), createTime].map((t) => (t ? Date.parse(t) : NaN)).find((t) => !Number.isNaN(t));
    const details = Object.fromEntries(Object.entries(record).filter(([k, v]) => !['uuid', 'status', 'identifier', 'updated'].includes(k) && v !== null));
    const em = this.em.fork();
    try {
      await em.transactional(async (tx) => {
        const incident = tx.create(Incident, {
          externalId: regNumber ?? record.uuid,
          title: `${type} ${regNumber ?? ''}`.trim().slice(0, MAX_TITLE),
          description: text(m.descriptionField)?.slice(0, MAX_DESCRIPTION),
          severity: 'critical',
          status: 'open',
          source: 'ncircc',
          detectedAt: new Date(detected ?? Date.now()),
          createdAt: new Date(),
        });
        incident.rucertExport = tx.create(RucertExport, { incident, state: 'not_exported', updatedAt: new Date() });
        const card = tx.create(NcirccCard, {
          incidentId: incident.id,
          kind: 'message',
          uuid: record.uuid,
          identifier: text('identifier'),
          regNumber,
          category: m.category,
          type,
          statusName: record.status?.name,
          statusId: record.status?.id === undefined ? undefined : String(record.status.id),
          ncirccUpdated: text('updated'),
          ncirccCreateTime: createTime,
          syncedAt: new Date(),
          details,
        });
        tx.persist([incident, incident.rucertExport, card]);
        if (record.status) tx.persist(tx.create(NcirccCardStatus, { card, statusName: record.status.name, statusId: card.statusId, at: new Date() }));
        tx.persist(
          auditEntry(tx, { actor: SYSTEM_ACTOR, action: 'ncircc.message_received', incidentId: incident.id, details: { uuid: record.uuid, regNumber, type } }),
        );
        this.notifications.add(tx, { kind: 'message_received', incidentId: incident.id, details: { regNumber, type } });
      });
      return true;
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) return false; // imported already, by another pass or instance
      throw err;
    }
  }

  /** Takes a message into work, or decides it with a result: claimed once per target status, sent once. */
  async changeStatus(incidentId: string, input: CardStatusChange, actor: Actor): Promise<CardStatusResult> {
    const em = this.em.fork();
    const card = await this.cards.require(incidentId, em);
    if (card.kind !== 'message') throw new ProblemError('conflict', 'status.not_a_message');
    const client = await this.integration.client();
    if (!client) throw new ProblemError('integration_not_configured', 'integration.not_configured');
    const row = await this.claim(em, card, input, actor);
    const wire = {
      [cardWire.statusField]: cardWire.message.statuses[input.status],
      ...(input.result ? { [cardWire.message.resultField]: cardWire.message.results[input.result] } : {}),
    };
    await this.outbound.send(
      this.handle(row),
      actor,
      () => client.updateIncident(card.uuid, wire),
      () => ({ changes: { sentAt: new Date() }, details: { status: input.status, result: input.result } }),
    );
    return { status: input.status, state: 'sent' };
  }

  /** A new row for this move, or the failed one again with the next attempt; 409 when it was sent or is under way. */
  private async claim(em: EntityManager, card: NcirccCard, input: CardStatusChange, actor: Actor): Promise<NcirccStatusChange> {
    const row = em.create(NcirccStatusChange, { card, status: input.status, result: input.result, claimedBy: actorLabel(actor) });
    try {
      await em.transactional(async (tx) => {
        tx.persist(row);
        tx.persist(
          auditEntry(tx, {
            actor,
            action: 'status.attempted',
            incidentId: card.incidentId,
            details: { status: input.status, result: input.result, attempt: 1 },
          }),
        );
      });
      return row;
    } catch (err) {
      if (!(err instanceof UniqueConstraintViolationException)) throw err;
    }
    const earlier = await this.em.fork().findOneOrFail(NcirccStatusChange, { card, status: input.status }, { populate: ['card'] });
    const retried =
      earlier.state === 'failed' &&
      (await this.em.getRepository(NcirccStatusChange).transition({
        where: { id: earlier.id, attempt: earlier.attempt },
        from: ['failed'],
        changes: { state: 'sending', attempt: earlier.attempt + 1, result: input.result, claimedAt: new Date(), claimedBy: actorLabel(actor), lastError: null },
        audit: {
          actor,
          action: 'status.attempted',
          incidentId: card.incidentId,
          details: { status: input.status, result: input.result, attempt: earlier.attempt + 1 },
        },
      }));
    if (retried) return Object.assign(earlier, { attempt: earlier.attempt + 1, state: 'sending' as const });
    await this.audit.write({ actor, action: 'status.refused', incidentId: card.incidentId, details: { code: 'conflict', status: input.status } });
    throw new ProblemError('conflict', 'status.already', { status: cardWire.message.statuses[input.status], state: earlier.state });
  }

  private handle(row: NcirccStatusChange) {
    return attemptHandle<NcirccStatusChange>(this.em.getRepository(NcirccStatusChange), 'status', row);
  }

  /** Read the card back: at the target status or past it in the message's life, the change was made. */
  private pending(row: NcirccStatusChange): PendingOperation {
    return {
      handle: this.handle(row),
      claimedAt: row.claimedAt ?? row.createdAt,
      lookup: async (client: RucertClient) => {
        const page = await client.findIncidents({ fields: ['uuid', 'status'], filter: [{ property: 'uuid', operator: '=', value: row.card.uuid }], limit: 1 });
        const now = page.result[0]?.status?.name;
        if (!now) return { outcome: 'unknown' };
        const order = cardWire.message.lifecycle;
        const reached = order.indexOf(now) >= order.indexOf(cardWire.message.statuses[row.status]);
        return reached ? { outcome: 'found', changes: { sentAt: new Date() }, details: { status: now } } : { outcome: 'absent' };
      },
    };
  }
}
