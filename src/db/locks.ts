// Serialising writers across instances. PostgreSQL: a transaction-scoped advisory lock, released at commit or
// rollback. SQLite: nothing to do, because a write transaction already excludes every other writer.
import type { EntityManager } from '@mikro-orm/knex';
import { PostgreSqlPlatform } from '@mikro-orm/postgresql';

/** Holds an advisory lock named `name` until the transaction `em` belongs to ends. Call it inside the transaction. */
export async function lockInTransaction(em: EntityManager, name: string): Promise<void> {
  if (!(em.getPlatform() instanceof PostgreSqlPlatform)) return;
  await em.execute('select pg_advisory_xact_lock(hashtext(?))', [`rucert-export:${name}`]);
}
