// The one ORM configuration, shared by the app, the migrations script and tests. DATABASE_URL picks the dialect:
// SQLite (embedded, WAL, synchronous=FULL, busy timeout) or PostgreSQL (several instances on one database).
import type { Options } from '@mikro-orm/core';
import { BetterSqliteDriver } from '@mikro-orm/better-sqlite';
import { Migrator } from '@mikro-orm/migrations';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import type { AppConfig } from '../config/app-config';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export type Dialect = AppConfig['database']['dialect'];

const SQLITE_BUSY_TIMEOUT_MS = 10_000;

interface SqliteConnection {
  pragma(statement: string): unknown;
}

export function ormOptions(database: AppConfig['database']): Options {
  const common: Options = {
    entities: ENTITIES,
    extensions: [Migrator],
    migrations: {
      migrationsList: MIGRATIONS[database.dialect],
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
    },
    forceUtcTimezone: true,
    debug: false,
    allowGlobalContext: false,
    ensureDatabase: false,
  };
  if (database.dialect === 'sqlite') {
    return {
      ...common,
      driver: BetterSqliteDriver,
      dbName: database.path,
      pool: {
        afterCreate: (conn: SqliteConnection, done: (err: Error | null, conn: unknown) => void) => {
          conn.pragma('journal_mode = WAL');
          conn.pragma('synchronous = FULL');
          conn.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
          conn.pragma('foreign_keys = ON');
          done(null, conn);
        },
      },
    } as Options;
  }
  return { ...common, driver: PostgreSqlDriver, clientUrl: database.url, pool: { min: 0, max: 10 } } as Options;
}
