// Owns an incident's NCIRCC card as the product knows it (docs/ncircc.md "The life of a card"): made when an export
// is confirmed (or found by a lookup), or when a message from NCIRCC is imported; shown with its status history,
// whether a supplement is asked for and allowed, and the deadlines that run.
import { UniqueConstraintViolationException, type RequiredEntityData } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';
import cardWire from '../../schemas/rucert/card-wire.json';
import { registerMessages } from '../common/messages';
import { ProblemError } from '../common/problem';
import { RucertExport } from '../export/rucert-export.entity';
import { recordedDocument } from '../export/rucert-export-documents.entity';
import { NcirccCard, NcirccCardStatus } from './ncircc-card.entity';
import { NcirccSupplement } from './ncircc-supplement.entity';
import type { CardView, SupplementBlocker } from '../generated/api/responses';

export type { CardView, SupplementBlocker };

registerMessages({
  'card.not_found': {
    en: 'Incident {id} has no NCIRCC card: it was not exported and is not a message from NCIRCC',
    ru: 'У инцидента {id} нет карточки НКЦКИ: он не экспортирован и не является сообщением НКЦКИ',
  },
});

const HOUR = 3_600_000;

/** What an export recorded of the notification NCIRCC confirmed. */
export interface ConfirmedExport {
  uuid: string;
  identifier?: string;
  createTime?: string;
  formVersion?: number;
  /** When the leak was detected, if the notification reported one. */
  leakDetectedAt?: Date;
}

/** The card of a notification NCIRCC confirmed, as the export recorded it: created, nothing synchronised yet. */
export function exportedCard(incidentId: string, e: ConfirmedExport): RequiredEntityData<NcirccCard> {
  return {
    incidentId,
    kind: 'notification',
    uuid: e.uuid,
    identifier: e.identifier,
    statusName: cardWire.notificationStatuses.created,
    ncirccCreateTime: e.createTime,
    formVersion: e.formVersion,
    leakDetectedAt: e.leakDetectedAt,
  };
}

/** Whether an export payload reports a personal-data leak (its card's legal deadlines then run). */
export const reportsLeak = (payload: Record<string, unknown>): boolean => payload[cardWire.leak.flagField] === true;

@Injectable()
export class CardsService {
  constructor(private readonly em: EntityManager) {}

  /** The card of an incident, or 404 card_not_found. A confirmed export without one yet gets it now. */
  async require(incidentId: string, em: EntityManager = this.em.fork()): Promise<NcirccCard> {
    const card = (await em.findOne(NcirccCard, { incidentId })) ?? (await this.ensureForExport(incidentId, em));
    if (!card) throw new ProblemError('card_not_found', 'card.not_found', { id: incidentId });
    return card;
  }

  /**
   * The card of an exported notification, made once from what the export recorded; undefined when the incident is
   * not exported. Safe to call from several places and instances at once: the card's incident is unique.
   */
  async ensureForExport(incidentId: string, em: EntityManager = this.em.fork()): Promise<NcirccCard | undefined> {
    const existing = await em.findOne(NcirccCard, { incidentId });
    if (existing) return existing;
    const exported = await em.findOne(RucertExport, { incident: incidentId, state: 'exported' }, { populate: ['incident'] });
    if (!exported?.rucertUuid) return undefined;
    const payload = await recordedDocument(em, incidentId, exported.attempt, 'payload');
    const card = em.create(
      NcirccCard,
      exportedCard(incidentId, {
        uuid: exported.rucertUuid,
        identifier: exported.rucertIdentifier,
        createTime: exported.rucertCreateTime,
        formVersion: exported.formVersion,
        leakDetectedAt: payload && reportsLeak(payload) ? exported.incident.detectedAt : undefined,
      }),
    );
    try {
      await em.persistAndFlush(card);
      return card;
    } catch (err) {
      if (!(err instanceof UniqueConstraintViolationException)) throw err;
      return (await this.em.fork().findOne(NcirccCard, { incidentId })) ?? undefined;
    }
  }

  /** Cards for confirmed exports that have none yet, a batch at a time (synchronisation calls this first). */
  async ensureMissing(limit = 500): Promise<number> {
    const missing = await this.em.fork().getRepository(NcirccCard).exportedWithoutCard(limit);
    for (const incidentId of missing) await this.ensureForExport(incidentId);
    return missing.length;
  }

  async view(incidentId: string): Promise<CardView> {
    const em = this.em.fork();
    const card = await this.require(incidentId, em);
    const history = await em.find(NcirccCardStatus, { card }, { orderBy: { id: 'asc' } });
    const supplement = await this.supplementState(card, em);
    const deadlines = this.deadlines(card);
    return {
      kind: card.kind,
      uuid: card.uuid,
      identifier: card.identifier ?? null,
      ...(card.regNumber ? { regNumber: card.regNumber } : {}),
      status: { ...(card.statusId ? { id: card.statusId } : {}), name: card.statusName ?? cardWire.notificationStatuses.created },
      ...(card.ncirccUpdated ? { updated: card.ncirccUpdated } : {}),
      ...(card.syncedAt ? { syncedAt: card.syncedAt.toISOString() } : {}),
      history: history.map((h) => ({ status: h.statusName, at: h.at.toISOString() })),
      supplement,
      ...(deadlines ? { deadlines } : {}),
      ...(card.formVersion ? { formVersion: card.formVersion } : {}),
      ...(card.type ? { type: card.type } : {}),
      ...(card.details ? { details: card.details } : {}),
    };
  }

  /** Whether NCIRCC asks for a supplement now, and whether one may be sent for this request. */
  async supplementState(card: NcirccCard, em: EntityManager): Promise<CardView['supplement']> {
    const requested = card.kind === 'notification' && card.statusName === cardWire.notificationStatuses.supplementRequested;
    const reasons: SupplementBlocker[] = [];
    if (card.kind !== 'notification') reasons.push('not_a_notification');
    else if (!requested) reasons.push('supplement_not_requested');
    else {
      const current = await em.findOne(NcirccSupplement, { card, n: card.supplementRequests });
      if (current?.state === 'sent') reasons.push('supplement_sent');
      else if (current && current.state !== 'failed') reasons.push('supplement_in_progress');
    }
    return { requested, allowed: reasons.length === 0, n: card.supplementRequests, reasons };
  }

  /** The deadlines that run for the card: a reported leak's 24 and 72 hours, a message's reaction time. */
  deadlines(card: NcirccCard): CardView['deadlines'] | undefined {
    if (card.leakDetectedAt) {
      const from = card.leakDetectedAt.getTime();
      return {
        firstNotice: new Date(from + cardWire.leak.firstNoticeHours * HOUR).toISOString(),
        investigation: new Date(from + cardWire.leak.investigationHours * HOUR).toISOString(),
      };
    }
    if (card.kind === 'message' && card.ncirccCreateTime && !Number.isNaN(Date.parse(card.ncirccCreateTime))) {
      return { reaction: new Date(Date.parse(card.ncirccCreateTime) + cardWire.message.reactionHours * HOUR).toISOString() };
    }
    return undefined;
  }
}
