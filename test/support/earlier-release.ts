// A database as an earlier release left it, for the migration specs: a fresh database migrated up to and including
// one of our migrations only, then filled with rows written as that release wrote them.
import { MikroORM } from '@mikro-orm/core';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../src/config/app-config';
import { MIGRATIONS } from '../../src/db/migrations';
import { ormOptions } from '../../src/db/mikro-orm.config';
import { createTestDatabase, type TestDatabase } from './database';

export interface EarlierReleaseDatabase {
  execute(sql: string, params?: unknown[]): Promise<unknown>;
  /** A datetime as this dialect stores it: SQLite keeps epoch milliseconds, PostgreSQL takes ISO 8601 text. */
  at(date: Date): string | number;
  /** A boolean as this dialect stores it (SQLite: 0 or 1). */
  flag(value: boolean): boolean | number;
}

/** A fresh database migrated through `lastMigration` (e.g. '0001-Init'), filled by `fill`; its result is returned with it. */
export async function earlierRelease<T>(lastMigration: string, fill: (db: EarlierReleaseDatabase) => Promise<T>): Promise<{ db: TestDatabase } & T> {
  const db = await createTestDatabase();
  const config = loadConfig({ DATABASE_URL: db.url, DATA_DIR: db.dataDir, SECRETS_KEY: randomBytes(32).toString('base64') });
  const options = ormOptions(config.database);
  const all = MIGRATIONS[config.database.dialect];
  const through = all.findIndex((m) => m.name === lastMigration);
  if (through < 0) throw new Error(`no migration named ${lastMigration}`);
  const orm = await MikroORM.init({ ...options, migrations: { ...options.migrations, migrationsList: all.slice(0, through + 1) } });
  try {
    await orm.getMigrator().up();
    const pg = config.database.dialect === 'postgresql';
    const conn = orm.em.getConnection();
    const filled = await fill({
      execute: (sql, params = []) => conn.execute(sql, params),
      at: (date) => (pg ? date.toISOString() : date.getTime()),
      flag: (value) => (pg ? value : Number(value)),
    });
    return { db, ...filled };
  } finally {
    await orm.close();
  }
}
