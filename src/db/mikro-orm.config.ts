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
  prepare(sql: string): unknown;
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * knex's better-sqlite3 dialect prepares (parses and plans) every statement anew on every query; that was the largest
 * single cost of a small authenticated read (bench/README.md). The ORM's statements are a small fixed set of SQL
 * texts with placeholders, so one connection keeps its prepared statements by text. better-sqlite3 runs each to
 * completion synchronously (knex uses all()/run(), never iterate()), so reusing one is safe; SQLite re-prepares a
 * statement by itself after a schema change. Bounded: texts beyond the first STATEMENT_CACHE_SIZE are not kept.
 */
function cachePreparedStatements(conn: SqliteConnection): void {
  const prepare = conn.prepare.bind(conn);
  const statements = new Map<string, unknown>();
  conn.prepare = (sql: string) => {
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = prepare(sql);
      if (statements.size < STATEMENT_CACHE_SIZE) statements.set(sql, statement);
    }
    return statement;
  };
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
          cachePreparedStatements(conn);
          done(null, conn);
        },
      },
    } as Options;
  }
  return { ...common, driver: PostgreSqlDriver, clientUrl: database.url, pool: { min: 0, max: 10 } } as Options;
}
