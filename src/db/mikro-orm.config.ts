// The one ORM configuration, shared by the app, the migrations script and tests. DATABASE_URL picks the dialect:
// SQLite (embedded, WAL, synchronous=NORMAL with each commit's sync awaited off the event loop, busy timeout) or
// PostgreSQL (several instances on one database).
import type { Options } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { ParameterisedPostgreSqlDriver } from './postgresql-driver';
import type { AppConfig } from '../config/app-config';
import { ENTITIES } from './entities';
import { ParameterisedSqliteDriver } from './sqlite-driver';
import { MIGRATIONS } from './migrations';

export type Dialect = AppConfig['database']['dialect'];

const SQLITE_BUSY_TIMEOUT_MS = 10_000;
const SQLITE_AUTOCHECKPOINT_PAGES = 4_000;
const SQLITE_CACHE_KB = -16_000; // negative: KiB, not pages

interface SqliteConnection {
  pragma(statement: string): unknown;
  prepare(sql: string): unknown;
}

/** Statements one connection keeps; the ORM's statements are a small set of SQL texts, so this is ample. */
export const STATEMENT_CACHE_SIZE = 500;
/** A text longer than this is not kept: it is not one of the ORM's statements, and it would hold its memory. */
const MAX_CACHED_SQL_LENGTH = 8_192;
/** Where a connection keeps its statements (read by a test). */
export const STATEMENT_CACHE = Symbol('statementCache');

/**
 * knex's better-sqlite3 dialect prepares (parses and plans) every statement anew on every query; that was the largest
 * single cost of a small authenticated read (bench/README.md). Values are bound as parameters (bound-parameters.ts), so
 * the ORM's statements are a small set of SQL texts with placeholders, and one connection keeps its prepared
 * statements by text, least recently used first out. better-sqlite3 runs each to completion synchronously (knex
 * uses all()/run(), never iterate()), so reusing one is safe; SQLite re-prepares a statement by itself after a
 * schema change.
 */
function cachePreparedStatements(conn: SqliteConnection): void {
  const prepare = conn.prepare.bind(conn);
  const statements = new Map<string, unknown>();
  (conn as unknown as Record<symbol, unknown>)[STATEMENT_CACHE] = statements;
  conn.prepare = (sql: string) => {
    let statement = statements.get(sql);
    if (statement !== undefined) {
      // a Map iterates in insertion order: re-inserting makes this the most recently used
      statements.delete(sql);
    } else {
      statement = prepare(sql);
      if (sql.length > MAX_CACHED_SQL_LENGTH) return statement;
      if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!);
    }
    statements.set(sql, statement);
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
      driver: ParameterisedSqliteDriver,
      dbName: database.path,
      pool: {
        afterCreate: (conn: SqliteConnection, done: (err: Error | null, conn: unknown) => void) => {
          conn.pragma('journal_mode = WAL');
          // COMMIT does not fsync the log: the driver awaits that on the thread pool before the caller goes on, so a
          // commit is as durable as with FULL once its caller goes on (sqlite-wal-sync.ts)
          conn.pragma('synchronous = NORMAL');
          // the service checkpoints from a thread of its own (sqlite-checkpointer.ts); a commit checkpoints only if
          // that thread falls this far behind (4,000 pages of 4 KB; SQLite's default is 1,000)
          conn.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT_PAGES}`);
          // 16 MB of page cache instead of SQLite's 2 MB: a claim of a 500,000-character export writes ~2 MB of
          // documents in one transaction, which overflowed the default cache and was spilled to the WAL while being
          // written (in-process: insert ~10 → ~6.5 ms)
          conn.pragma(`cache_size = ${SQLITE_CACHE_KB}`);
          conn.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
          conn.pragma('foreign_keys = ON');
          cachePreparedStatements(conn);
          done(null, conn);
        },
      },
    } as Options;
  }
  return { ...common, driver: ParameterisedPostgreSqlDriver, clientUrl: database.url, pool: { min: 0, max: 10 } } as Options;
}
