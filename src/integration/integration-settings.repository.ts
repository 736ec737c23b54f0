// The settings row as plain values: read on every use of the settings, it tells whether the copy an instance keeps
// (the hydrated row, its view, the RuCERT client) is still the row in the database. Another instance saving the
// settings changes the row, so its next read here sees the change.
import type { EntityManager } from '@mikro-orm/knex';

export class IntegrationSettingsRepository {
  constructor(private readonly em: EntityManager) {}

  /** Every column of the row as text, or null when nothing is configured: equal texts are equal rows. */
  async fingerprint(): Promise<string | null> {
    const rows = await this.em.getConnection().execute<Array<Record<string, unknown>>>('select * from integration_settings where id = 1');
    return rows.length ? JSON.stringify(rows[0]) : null;
  }
}
