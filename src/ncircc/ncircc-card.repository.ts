import { EntityManager, EntityRepository } from '@mikro-orm/knex';
import type { RequiredEntityData } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { insertRow } from '../db/plain-statements';
import { NcirccCard } from './ncircc-card.entity';

/** What synchronisation writes back to a card it read. */
export type SyncedCard = Pick<
  NcirccCard,
  'id' | 'regNumber' | 'identifier' | 'type' | 'ncirccUpdated' | 'syncedAt' | 'updatedAt' | 'statusName' | 'statusId' | 'supplementRequests'
>;

const SYNCED_CARD_UPDATE = `update ncircc_cards set reg_number = ?, identifier = ?, type = ?, ncircc_updated = ?, synced_at = ?, updated_at = ?,
  status_name = ?, status_id = ?, supplement_requests = ? where id = ?`;

export class NcirccCardRepository extends EntityRepository<NcirccCard> {
  /**
   * The card of a confirmed export, written in `tx`'s transaction (the one that settles the export) by one plain
   * insert; a card already there (made by a synchronisation pass meanwhile) stays as it is.
   */
  async insertIfAbsent(tx: EntityManager, card: RequiredEntityData<NcirccCard>): Promise<void> {
    const now = new Date();
    await insertRow(tx, NcirccCard, { id: randomUUID(), supplementRequests: 0, createdAt: now, updatedAt: now, ...card }, { ifAbsent: true });
  }

  /** Incidents whose export NCIRCC confirmed but which have no card yet (e.g. settled by a lookup). */
  async exportedWithoutCard(limit: number): Promise<string[]> {
    const rows = await this.getEntityManager()
      .getConnection()
      .execute<Array<{ incident_id: string }>>(
        `select e.incident_id from rucert_exports e left join ncircc_cards c on c.incident_id = e.incident_id
         where e.state = 'exported' and e.rucert_uuid is not null and c.id is null limit ?`,
        [limit],
      );
    return rows.map((r) => r.incident_id);
  }

  /**
   * Writes what synchronisation read of each card in `tx`'s transaction: one statement of a fixed text per card (a
   * prepared statement reused on SQLite), instead of the unit of work's change-set computation for a page of cards.
   */
  async recordSync(tx: EntityManager, cards: SyncedCard[]): Promise<void> {
    const connection = tx.getConnection();
    const ctx = tx.getTransactionContext();
    for (const c of cards) {
      const values = [c.regNumber, c.identifier, c.type, c.ncirccUpdated, c.syncedAt, c.updatedAt, c.statusName, c.statusId, c.supplementRequests, c.id];
      await connection.execute(
        SYNCED_CARD_UPDATE,
        values.map((v) => v ?? null),
        'run',
        ctx,
      );
    }
  }
}
