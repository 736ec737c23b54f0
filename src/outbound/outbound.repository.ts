// The one way a once-only outbound operation changes state (docs/once-only.md). Every transition of an export, a
// supplement, a comment, a file or a message status is one conditional UPDATE on the row and attempt it read; its
// affected-row count says whether this caller won, on SQLite and PostgreSQL, on any number of instances. The audit
// line of a transition is written in the same transaction and only when the update won, so each state change is
// audited exactly once.
import { EntityRepository, type EntityManager } from '@mikro-orm/knex';
import type { EntityData, FilterQuery } from '@mikro-orm/core';
import { conditionalUpdate, insertRow, plainTransaction } from '../db/plain-statements';
import { AuditEntry } from '../audit/audit-entry.entity';
import { auditRow, type AuditLine } from '../audit/audit.service';

export interface Transition<T extends object> {
  /** The row and the attempt the caller read; the state condition is added from `from`. */
  where: FilterQuery<T>;
  from: readonly string[];
  changes: EntityData<T>;
  audit: AuditLine;
  /** What else the winning transition writes, in its transaction (the card of a confirmed export). */
  also?: (tx: EntityManager) => Promise<void>;
}

/** A row that moves through states: it has a `state` and an `updatedAt` stamped at every transition. */
export interface OutboundRow {
  state: string;
  updatedAt: Date;
}

export abstract class OutboundRepository<T extends OutboundRow> extends EntityRepository<T> {
  /**
   * Applies the transition if the row is still in one of `from`; true when this caller won. Its own transaction, never
   * a savepoint of a caller's (the fork leaves any out): a claim is committed before the call it allows.
   */
  async transition(t: Transition<T>): Promise<boolean> {
    // plain statements written once per shape: the transaction commits what it wrote, with no unit of work
    return plainTransaction(this.getEntityManager().fork(), async (tx) => {
      const affected = await conditionalUpdate(tx, this.entityName, t.where, t.from, { ...t.changes, updatedAt: new Date() } as EntityData<T>);
      if (affected !== 1) return false;
      await insertRow(tx, AuditEntry, auditRow(t.audit));
      await t.also?.(tx);
      return true;
    });
  }
}
