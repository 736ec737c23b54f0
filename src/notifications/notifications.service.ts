// Owns what needs a person's attention about NCIRCC cards: status changes, supplement requests, comments and
// messages received, deadlines drawing near. Written by synchronisation in the transaction of the change it reports;
// read and marked read by any role.
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';
import { registerMessages } from '../common/messages';
import { ProblemError } from '../common/problem';
import { Notification, type NotificationKind } from './notification.entity';
import type { NotificationPage, NotificationView } from '../generated/api/responses';

export type { NotificationView };

registerMessages({
  'notification.not_found': { en: 'There is no notification {id}', ru: 'Уведомления {id} нет' },
});

export interface NotificationInput {
  kind: NotificationKind;
  incidentId: string;
  details?: Record<string, unknown>;
}

@Injectable()
export class NotificationsService {
  constructor(private readonly em: EntityManager) {}

  /** Persists (does not flush) a notification in `em`, to be committed with the change it reports. */
  add(em: EntityManager, input: NotificationInput): void {
    em.persist(em.create(Notification, { kind: input.kind, incidentId: input.incidentId, details: input.details ?? {} }));
  }

  /** Writes a notification that must exist once only (a deadline); false when it already does. */
  async addOnce(input: NotificationInput & { onceKey: string }): Promise<boolean> {
    const em = this.em.fork();
    try {
      await em.insert(Notification, {
        kind: input.kind,
        incidentId: input.incidentId,
        details: input.details ?? {},
        onceKey: input.onceKey,
        createdAt: new Date(),
      });
      return true;
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) return false;
      throw err;
    }
  }

  async list(limit: number, offset: number, unreadOnly: boolean): Promise<NotificationPage> {
    const em = this.em.fork();
    const where = unreadOnly ? { readAt: null } : {};
    const [rows, total] = await em.findAndCount(Notification, where, { orderBy: { id: 'desc' }, limit, offset });
    const unread = unreadOnly ? total : await em.count(Notification, { readAt: null });
    return { items: rows.map(viewOf), total, unread };
  }

  async markRead(id: string): Promise<NotificationView> {
    const em = this.em.fork();
    const row = /^\d{1,18}$/.test(id) ? await em.findOne(Notification, { id }) : null;
    if (!row) throw new ProblemError('not_found', 'notification.not_found', { id });
    if (!row.readAt) {
      row.readAt = new Date();
      await em.flush();
    }
    return viewOf(row);
  }
}

function viewOf(n: Notification): NotificationView {
  return { id: String(n.id), kind: n.kind, incidentId: n.incidentId, details: n.details, createdAt: n.createdAt.toISOString(), read: !!n.readAt };
}
