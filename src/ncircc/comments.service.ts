// Owns the chat with NCIRCC about a card (docs/ncircc.md): NCIRCC's comments arrive by synchronisation (by their
// `create_time`), ours are sent once through the outbound path. The same text posted twice on a card is one comment
// (a double submit): the second is refused. An unconfirmed comment of ours is settled when NCIRCC lists it, by text.
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { auditEntry, AuditService, SYSTEM_ACTOR } from '../audit/audit.service';
import { actorLabel, type Actor } from '../auth/auth.decorators';
import { registerMessages } from '../common/messages';
import { ProblemError } from '../common/problem';
import { IntegrationService } from '../integration/integration.service';
import { NotificationsService } from '../notifications/notifications.service';
import { OutboundService, type PendingOperation } from '../outbound/outbound.service';
import type { RucertClient, RucertComment } from '../rucert/rucert-client';
import { CardsService } from './cards.service';
import { attemptHandle } from './attempt-handle';
import { NcirccCard } from './ncircc-card.entity';
import { NcirccComment } from './ncircc-comment.entity';
import type { CommentList, CommentView } from '../generated/api/responses';

export type { CommentView };

registerMessages({
  'comment.duplicate': {
    en: 'This comment was already sent to NCIRCC on this card ({state}); the same text is sent once',
    ru: 'Этот комментарий уже отправлен в НКЦКИ по этой карточке ({state}); один и тот же текст отправляется один раз',
  },
  'comment.rejected': { en: 'NCIRCC rejected the comment: {reason}', ru: 'НКЦКИ отклонил комментарий: {reason}' },
  'comment.unreachable': {
    en: 'NCIRCC could not be reached, the comment was not sent: {reason}; it can be sent again',
    ru: 'НКЦКИ недоступен, комментарий не отправлен: {reason}; его можно отправить снова',
  },
  'comment.ambiguous': {
    en: 'NCIRCC may or may not have stored the comment ({reason}); it is looked up, not sent again',
    ru: 'Неизвестно, сохранил ли НКЦКИ комментарий ({reason}); он будет найден поиском, а не отправлен повторно',
  },
});

const PAGE = 500;
const MAX_PAGES = 10_000;
// NCIRCC's clock is not ours: a comment is looked for from a while before it was claimed
const CLOCK_SKEW_MS = 10 * 60_000;

@Injectable()
export class CommentsService {
  constructor(
    private readonly em: EntityManager,
    private readonly cards: CardsService,
    private readonly integration: IntegrationService,
    private readonly outbound: OutboundService,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
  ) {
    outbound.register({
      action: 'comment',
      entity: NcirccComment,
      where: { direction: 'out' },
      populate: ['card'],
      handle: (r) => this.handle(r),
      pending: (r) => this.pending(r),
    });
  }

  /** The chat, oldest first: NCIRCC's comments and ours. */
  async list(incidentId: string): Promise<CommentList> {
    const em = this.em.fork();
    const card = await this.cards.require(incidentId, em);
    const rows = await em.find(NcirccComment, { card }, { orderBy: { at: 'asc', createdAt: 'asc' } });
    return { items: rows.map(viewOf) };
  }

  /** Sends one comment of ours: claimed (a row, unique by its text on the card), sent once, settled. */
  async post(incidentId: string, text: string, actor: Actor): Promise<CommentView> {
    const em = this.em.fork();
    const card = await this.cards.require(incidentId, em);
    const client = await this.integration.client();
    if (!client) throw new ProblemError('integration_not_configured', 'integration.not_configured');
    const comment = em.create(NcirccComment, {
      card,
      direction: 'out',
      author: actorLabel(actor),
      text,
      at: new Date(),
      claimedBy: actorLabel(actor),
      dedupeKey: hashOf(text),
    });
    try {
      await em.transactional(async (tx) => {
        tx.persist(comment);
        tx.persist(auditEntry(tx, { actor, action: 'comment.attempted', incidentId, details: { comment: comment.id, length: [...text].length } }));
      });
    } catch (err) {
      if (!(err instanceof UniqueConstraintViolationException)) throw err;
      const earlier = await this.em.fork().findOne(NcirccComment, { card, dedupeKey: hashOf(text) });
      await this.audit.write({ actor, action: 'comment.refused', incidentId, details: { code: 'conflict', earlier: earlier?.id } });
      throw new ProblemError('conflict', 'comment.duplicate', { state: earlier?.state ?? 'sending' });
    }
    const sent = await this.outbound.send(
      this.handle(comment),
      actor,
      () => client.postComment(card.uuid, text),
      (c) => ({
        changes: { ncirccId: c.id, sentAt: new Date(), ...(c.createTime ? { at: new Date(c.createTime) } : {}) },
        details: { comment: comment.id, ncirccId: c.id },
      }),
    );
    return viewOf(Object.assign(comment, { state: 'sent', ncirccId: sent.id, ...(sent.createTime ? { at: new Date(sent.createTime) } : {}) }));
  }

  /**
   * Reads the comments NCIRCC has since the watermark, all cards at once, oldest first: NCIRCC's become the chat of
   * our cards (each once); ours that were not yet confirmed are settled. Returns how many new comments arrived.
   */
  async sync(client: RucertClient, from: string | undefined, keep: (watermark: string) => Promise<void>): Promise<number> {
    let received = 0;
    let watermark = from;
    for (let page = 0, offset = 0; page < MAX_PAGES; page++) {
      const comments = await client.comments({
        ...(watermark ? { filter: [{ property: 'create_time', operator: '>=', value: watermark }] } : {}),
        sort: [{ property: 'create_time', direction: 'ASC' }],
        limit: PAGE,
        offset,
      });
      received += await this.record(comments);
      if (comments.length < PAGE) break;
      // the next page starts at the last time seen; the comments of that very time are read again and skipped as
      // known, unless a whole page shares it
      const last = comments.at(-1)!.createTime;
      if (last === watermark) offset += comments.length;
      else {
        offset = 0;
        watermark = last;
        await keep(last);
      }
    }
    return received;
  }

  /** One page of NCIRCC's comments: the new ones of our cards become the chat, ours are settled. */
  private async record(comments: RucertComment[]): Promise<number> {
    if (comments.length === 0) return 0;
    const em = this.em.fork();
    const cards = await em.find(NcirccCard, { uuid: { $in: [...new Set(comments.map((c) => c.cardUuid))] } });
    const byUuid = new Map(cards.map((c) => [c.uuid, c]));
    let received = 0;
    for (const comment of comments) {
      const card = byUuid.get(comment.cardUuid);
      if (!card || (await em.findOne(NcirccComment, { card, ncirccId: comment.id }))) continue;
      const ours = await em.findOne(NcirccComment, { card, direction: 'out', ncirccId: null, state: { $in: ['sending', 'unknown'] }, text: comment.text });
      if (ours) {
        await this.handle(ours).move(
          ['sending', 'unknown'],
          { state: 'sent', ncirccId: comment.id, at: new Date(comment.createTime), sentAt: new Date() },
          {
            actor: SYSTEM_ACTOR,
            action: 'comment.reconciled',
            details: { comment: ours.id, ncirccId: comment.id, outcome: 'sent' },
          },
        );
        continue;
      }
      if (await this.receive(card, comment)) received++;
    }
    return received;
  }

  private async receive(card: NcirccCard, comment: RucertComment): Promise<boolean> {
    const em = this.em.fork();
    try {
      await em.transactional(async (tx) => {
        tx.persist(
          tx.create(NcirccComment, {
            card: tx.getReference(NcirccCard, card.id),
            ncirccId: comment.id,
            direction: 'in',
            author: comment.login ?? 'NCIRCC',
            text: comment.text,
            at: new Date(comment.createTime),
            state: 'sent',
            claimedAt: undefined,
          }),
        );
        tx.persist(
          auditEntry(tx, {
            actor: SYSTEM_ACTOR,
            action: 'ncircc.comment_received',
            incidentId: card.incidentId,
            details: { ncirccId: comment.id, author: comment.login },
          }),
        );
        this.notifications.add(tx, {
          kind: 'comment_received',
          incidentId: card.incidentId,
          details: { author: comment.login, excerpt: [...comment.text].slice(0, 200).join('') },
        });
      });
      return true;
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) return false; // another pass stored it first
      throw err;
    }
  }

  private handle(comment: NcirccComment) {
    return attemptHandle<NcirccComment>(this.em.getRepository(NcirccComment), 'comment', comment);
  }

  /** An unconfirmed comment is looked up among the card's comments by its text, from a while before its claim. */
  private pending(comment: NcirccComment): PendingOperation {
    const claimedAt = comment.claimedAt ?? comment.createdAt;
    return {
      handle: this.handle(comment),
      claimedAt,
      lookup: async (client) => {
        const since = new Date(claimedAt.getTime() - CLOCK_SKEW_MS).toISOString();
        const listed = await client.comments({ cardUuid: comment.card.uuid, filter: [{ property: 'create_time', operator: '>=', value: since }] });
        const taken = new Set((await this.em.fork().find(NcirccComment, { card: comment.card, ncirccId: { $ne: null } })).map((c) => c.ncirccId));
        const match = listed.find((c) => c.text === comment.text && !taken.has(c.id));
        return match
          ? {
              outcome: 'found',
              changes: { ncirccId: match.id, at: new Date(match.createTime), sentAt: new Date() },
              details: { comment: comment.id, ncirccId: match.id },
            }
          : { outcome: 'absent' };
      },
    };
  }
}

function hashOf(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function viewOf(c: NcirccComment): CommentView {
  return { id: c.id, author: c.author, text: c.text, at: c.at.toISOString(), direction: c.direction, state: c.direction === 'in' ? 'received' : c.state };
}
