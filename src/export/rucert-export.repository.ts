// The once-only state machine's writes. Every transition is one conditional UPDATE whose affected-row count says
// whether this caller won: the same statement on SQLite and PostgreSQL, on any number of instances.
import { EntityRepository } from '@mikro-orm/knex';
import type { EntityManager } from '@mikro-orm/knex';
import { RucertExport, type ExportState } from './rucert-export.entity';

export type ExportChanges = Partial<
  Pick<
    RucertExport,
    | 'state'
    | 'formVersion'
    | 'data'
    | 'payload'
    | 'rucertUuid'
    | 'rucertIdentifier'
    | 'rucertCreateTime'
    | 'claimedAt'
    | 'claimedBy'
    | 'exportedAt'
    | 'exportedBy'
    | 'lastError'
  >
>;

export const CLAIMABLE: ExportState[] = ['not_exported', 'failed'];

export class RucertExportRepository extends EntityRepository<RucertExport> {
  /**
   * not_exported|failed → sending, if nobody else claimed since `attempt` was read. The winner's attempt number
   * is attempt + 1; the caller commits this before calling RuCERT.
   */
  async claim(em: EntityManager, incidentId: string, attempt: number, changes: ExportChanges): Promise<boolean> {
    const affected = await em.nativeUpdate(
      RucertExport,
      { incident: incidentId, attempt, state: { $in: CLAIMABLE } },
      { ...changes, state: 'sending', attempt: attempt + 1, updatedAt: new Date() },
    );
    return affected === 1;
  }

  /** Moves attempt `attempt` from one of `from` to a new state; false when the attempt was already settled. */
  async settle(em: EntityManager, incidentId: string, attempt: number, from: ExportState[], changes: ExportChanges & { state: ExportState }): Promise<boolean> {
    const affected = await em.nativeUpdate(RucertExport, { incident: incidentId, attempt, state: { $in: from } }, { ...changes, updatedAt: new Date() });
    return affected === 1;
  }

  /** Claims still `sending` after their call must have ended: their instance died mid-call. */
  async staleSending(em: EntityManager, claimedBefore: Date, limit: number): Promise<RucertExport[]> {
    return em.find(RucertExport, { state: 'sending', claimedAt: { $lt: claimedBefore } }, { limit, orderBy: { claimedAt: 'asc' } });
  }

  async unknown(em: EntityManager, limit: number): Promise<RucertExport[]> {
    return em.find(RucertExport, { state: 'unknown' }, { limit, orderBy: { updatedAt: 'asc' } });
  }
}
