// Owns the append-only audit log. Entries are written in the same transaction as the change they describe, so
// a change and its audit line are committed together or not at all. Callers never pass secrets.
import { EntityManager } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';
import { actorLabel, type Actor } from '../auth/auth.decorators';
import { AuditEntry } from './audit-entry.entity';
import type { AuditPage, AuditView } from '../generated/api/responses';

export type { AuditView };

export const SYSTEM_ACTOR = 'system';

/** One line to write: who did what to which incident. */
export interface AuditLine {
  actor: Actor | string;
  action: string;
  incidentId?: string;
  details?: Record<string, unknown>;
}

/** A new (not yet persisted) entry in `em`. */
export function auditEntry(em: EntityManager, line: AuditLine): AuditEntry {
  return em.create(AuditEntry, auditRow(line));
}

/** The row of an entry, for a batch insert (`em.insertMany(AuditEntry, rows)`) in the transaction of the change. */
export function auditRow(line: AuditLine, at = new Date()): Pick<AuditEntry, 'actor' | 'action' | 'incidentId' | 'details' | 'at'> {
  return {
    actor: typeof line.actor === 'string' ? line.actor : actorLabel(line.actor),
    action: line.action,
    incidentId: line.incidentId,
    details: line.details ?? {},
    at,
  };
}

@Injectable()
export class AuditService {
  constructor(private readonly em: EntityManager) {}

  /** Persists (does not flush) an entry in `em`, to be committed with the caller's unit of work. */
  record(em: EntityManager, actor: Actor | string, action: string, what: { incidentId?: string; details?: Record<string, unknown> } = {}): void {
    em.persist(auditEntry(em, { actor, action, ...what }));
  }

  /** Writes one entry now, in its own transaction: for what changes no state (a refused attempt). */
  async write(line: AuditLine): Promise<void> {
    const em = this.em.fork();
    em.persist(auditEntry(em, line));
    await em.flush();
  }

  async list(limit: number, offset: number): Promise<AuditPage> {
    const [entries, total] = await this.em.findAndCount(AuditEntry, {}, { orderBy: { id: 'desc' }, limit, offset });
    return {
      total,
      items: entries.map((e) => ({
        id: Number(e.id),
        at: e.at.toISOString(),
        actor: e.actor,
        action: e.action,
        incidentId: e.incidentId ?? null,
        details: e.details,
      })),
    };
  }
}
