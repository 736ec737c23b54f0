// The one way a once-only outbound operation changes state (docs/once-only.md). Every transition of an export, a
// supplement, a comment, a file or a message status is one conditional UPDATE on the row and attempt it read; its
// affected-row count says whether this caller won, on SQLite and PostgreSQL, on any number of instances. The audit
// line of a transition is written in the same transaction and only when the update won, so each state change is
// audited exactly once.
import { EntityRepository, type EntityManager } from '@mikro-orm/knex';
import type { EntityData, EntityKey, EntityMetadata, FilterQuery } from '@mikro-orm/core';
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
  /** The UPDATE texts of this kind's transitions, by the names they set and match (a handful per kind). */
  private readonly updates = new Map<string, string>();

  /** Applies the transition if the row is still in one of `from`; true when this caller won. Its own transaction. */
  async transition(t: Transition<T>): Promise<boolean> {
    return this.getEntityManager()
      .fork()
      .transactional(async (tx: EntityManager) => {
        const affected = await this.conditionalUpdate(tx, t.where as Record<string, unknown>, t.from, { ...t.changes, updatedAt: new Date() });
        if (affected !== 1) return false;
        // plain inserts: the transaction commits what it wrote, with no unit of work to compute
        await tx.insert(AuditEntry, auditRow(t.audit));
        await t.also?.(tx);
        return true;
      });
  }

  /**
   * `update … set <changes> where <where> and state in (<from>)`, its affected-row count. The statement is written
   * from the entity's metadata once per shape: em.nativeUpdate built it anew each time through MikroORM's criteria
   * tree and knex's builder, the largest ORM cost of an export (bench/README.md). Values are converted as the ORM
   * converts them (JSON properties through their type; dates and the rest by the driver's bindings).
   */
  private async conditionalUpdate(
    tx: EntityManager,
    where: Record<string, unknown>,
    from: readonly string[],
    changes: Record<string, unknown>,
  ): Promise<number> {
    const meta = tx.getMetadata().get<T>(this.entityName);
    const set = Object.keys(changes).filter((name) => changes[name] !== undefined);
    const match = Object.keys(where);
    const shape = `${set.join()}|${match.join()}|${from.length}`;
    let sql = this.updates.get(shape);
    if (sql === undefined) {
      const column = (name: string) => tx.getPlatform().quoteIdentifier(columnOf(meta, name));
      sql =
        `update ${tx.getPlatform().quoteIdentifier(meta.tableName)} set ${set.map((name) => `${column(name)} = ?`).join(', ')}` +
        ` where ${match.map((name) => `${column(name)} = ?`).join(' and ')} and ${column('state')} in (${from.map(() => '?').join(', ')})`;
      this.updates.set(shape, sql);
    }
    const value = (name: string, v: unknown) =>
      v === null ? null : (meta.properties[name as EntityKey<T>].customType?.convertToDatabaseValue(v, tx.getPlatform()) ?? v);
    const params = [...set.map((name) => value(name, changes[name])), ...match.map((name) => value(name, where[name])), ...from];
    // through the driver, which converts the database's errors as the ORM's own statements do
    const result = await tx.execute<{ affectedRows: number }>(sql, params, 'run');
    return result.affectedRows;
  }
}

/** The column of a property (a to-one relation's is its foreign key); a name that is not one is a programming error. */
function columnOf<T>(meta: EntityMetadata<T>, name: string): string {
  const column = meta.properties[name as EntityKey<T>]?.fieldNames?.[0];
  if (!column) throw new Error(`${meta.className}.${name} is not a column`);
  return column;
}
