// Reads of the once-only export's rows; its writes are the transitions of OutboundRepository.
import type { EntityManager } from '@mikro-orm/knex';
import { OutboundRepository } from '../outbound/outbound.repository';
import { RucertExport, type ExportState } from './rucert-export.entity';

export const CLAIMABLE: ExportState[] = ['not_exported', 'failed'];

export class RucertExportRepository extends OutboundRepository<RucertExport> {
  /** Claims still `sending` that were made before `claimedBefore`. */
  async staleSending(em: EntityManager, claimedBefore: Date, limit: number): Promise<RucertExport[]> {
    return em.find(RucertExport, { state: 'sending', claimedAt: { $lt: claimedBefore } }, { limit, orderBy: { claimedAt: 'asc' } });
  }

  async unknown(em: EntityManager, limit: number): Promise<RucertExport[]> {
    return em.find(RucertExport, { state: 'unknown' }, { limit, orderBy: { updatedAt: 'asc' } });
  }
}
