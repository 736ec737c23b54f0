// The installed key as plain text: every export and preview asks whether the license allows it, and the answer
// depends on the key alone (its verified claims are kept per key text). One plain select instead of an ORM read
// (about 0.3 ms of hydration per call, bench/README.md); another instance installing a key is seen at the next call.
import type { EntityManager } from '@mikro-orm/knex';

export class LicenseRepository {
  constructor(private readonly em: EntityManager) {}

  async storedKey(): Promise<string | null> {
    const rows = await this.em.getConnection().execute<Array<{ key: string }>>('select key from license where id = 1');
    return rows.length ? rows[0].key : null;
  }
}
