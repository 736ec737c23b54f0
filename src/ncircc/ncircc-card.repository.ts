import { EntityRepository } from '@mikro-orm/knex';
import type { NcirccCard } from './ncircc-card.entity';

export class NcirccCardRepository extends EntityRepository<NcirccCard> {
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
}
