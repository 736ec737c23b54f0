// The SQLite driver: values bound as parameters (bound-parameters.ts), and statements and transactions run on
// better-sqlite3's connection directly, taken from knex's pool (one connection) for as long as they need it.
//
// Why not knex's own transaction: it builds a whole new knex instance per transaction (makeKnex, which redefines
// every method of the builder on a new object) and routes each statement through a transaction client and a
// runner. Measured in-process on this stack, an empty knex transaction cost ~190 µs of CPU, most of it that
// allocation and its garbage collection, against ~20 µs for taking the connection, BEGIN and COMMIT; a statement
// through knex's runner ~26 µs against ~9 µs. Every export makes two transactions, every ingest one.
//
// Commits are made durable after the connection is released, off the event loop (sqlite-wal-sync.ts): a
// transaction's commit() and a write outside a transaction resolve only once the log is on disk.
//
// What stays the same: the pool. A transaction holds the one connection from BEGIN to COMMIT or ROLLBACK, so every
// other statement of the process waits for it, as it did behind knex's transaction; a nested transaction is a
// savepoint on the same connection. MikroORM's transaction events are dispatched as its own connection does. A
// statement outside a transaction runs at once on the connection when nobody holds it or waits for it (it runs to
// completion synchronously, so that is what acquiring and releasing it would do), else it waits in the pool's queue.
import { AbstractSqlDriver, BetterSqliteConnection, BetterSqlitePlatform, type Configuration } from '@mikro-orm/better-sqlite';
import { EventType, type IsolationLevel, type LoggingOptions, type Transaction, type TransactionEventBroadcaster } from '@mikro-orm/core';
import type { Knex } from '@mikro-orm/knex';
import { withBoundParameters } from './bound-parameters';
import { isInMemory } from './sqlite-file';
import { SqliteWalSync } from './sqlite-wal-sync';

/** The part of better-sqlite3's connection used here. */
interface SqliteHandle {
  readonly inTransaction: boolean;
  prepare(sql: string): SqliteStatement;
}

interface SqliteStatement {
  readonly reader: boolean;
  /** Does not write to the database (a reader may: `insert … returning`). */
  readonly readonly: boolean;
  all(params: unknown[]): unknown[];
  run(params: unknown[]): unknown;
}

interface PoolClient {
  pool?: TarnPool;
  acquireConnection(): Promise<SqliteHandle>;
  releaseConnection(connection: SqliteHandle): Promise<unknown>;
  emit(event: 'query', query: { sql: string; bindings: unknown[]; method: 'raw' }): boolean;
}

/** The part of tarn's pool (knex's) read here; `free` is protected in its typings, public at run time. */
interface TarnPool {
  numUsed(): number;
  numPendingAcquires(): number;
  free: Array<{ resource: SqliteHandle }>;
}

/**
 * The pool's connection when nobody holds it or waits for it. A statement outside a transaction runs on it
 * synchronously, so nothing can take the connection in between: the same as acquiring and releasing it, without
 * the two promises and the pool's bookkeeping (about half of a small select's CPU in-process).
 */
function idleConnection(client: PoolClient): SqliteHandle | undefined {
  const tarn = client.pool;
  if (!tarn || tarn.numUsed() > 0 || tarn.numPendingAcquires() > 0) return undefined;
  return tarn.free[0]?.resource;
}

const TRANSACTION = Symbol('sqliteTransaction');

/**
 * A transaction on the pool's connection. `client` is a knex client marked as transacting: a knex query built
 * elsewhere and bound to this transaction with `.transacting(tx)` (MikroORM's migration storage does that) carries
 * it, and `execute` finds the transaction from it.
 */
class SqliteTransaction {
  done = false;
  /** Committed and the connection given back; all that is left is the log's sync. */
  released = false;
  readonly client: object;
  constructor(
    readonly connection: SqliteHandle,
    baseClient: object,
    readonly parent?: SqliteTransaction,
  ) {
    this.client = Object.create(baseClient, { transacting: { value: true }, [TRANSACTION]: { value: this } });
  }

  get depth(): number {
    return this.parent ? this.parent.depth + 1 : 0;
  }

  get savepoint(): string {
    return `trx${this.depth}`;
  }
}

/** The transaction `ctx` names: given as MikroORM's context, or the client of a knex query bound to it. */
function transactionOf(ctx: unknown): SqliteTransaction | undefined {
  if (ctx instanceof SqliteTransaction) return ctx;
  const client = (ctx as { client?: Record<symbol, unknown> } | undefined)?.client;
  const tx = client?.[TRANSACTION];
  return tx instanceof SqliteTransaction ? tx : undefined;
}

function run(connection: SqliteHandle, sql: string, bindings: unknown[] | undefined): unknown {
  return runPrepared(connection.prepare(sql), bindings); // prepared once per text (mikro-orm.config.ts)
}

function runPrepared(statement: SqliteStatement, bindings: unknown[] | undefined): unknown {
  const params = bindings ?? [];
  // as knex's better-sqlite3 dialect answers a raw query: the rows of a reader, else {changes, lastInsertRowid}
  return statement.reader ? statement.all(params) : statement.run(params);
}

export class ParameterisedSqliteConnection extends withBoundParameters(BetterSqliteConnection, 'sqlite') {
  private walSync?: SqliteWalSync;

  private get pool(): PoolClient {
    return (this.getKnex() as unknown as { client: PoolClient }).client;
  }

  override async close(force?: boolean): Promise<void> {
    await this.walSync?.close();
    this.walSync = undefined;
    await super.close(force);
  }

  /** Resolves once every commit made so far is on disk (nothing to wait for in an in-memory database). */
  private durable(): Promise<void> | undefined {
    const path = this.config.get('dbName');
    if (!path || isInMemory(path)) return undefined;
    this.walSync ??= new SqliteWalSync(path);
    return this.walSync.flush();
  }

  protected override async runStatement(sql: string, bindings: unknown[] | undefined, ctx: Transaction | undefined): Promise<unknown> {
    const pool = this.pool;
    // knex's own event for every statement sent, as its runner emits it (what a listener on knex 'query' sees)
    pool.emit('query', { sql, bindings: bindings ?? [], method: 'raw' });
    const tx = transactionOf(ctx);
    if (tx) {
      if (tx.done) throw new Error('Transaction query already complete');
      return run(tx.connection, sql, bindings);
    }
    // a write outside a transaction commits by itself: its caller goes on once that is on disk
    // an idle connection is used at once, synchronously (no await before the statement runs)
    const idle = idleConnection(pool);
    const connection = idle ?? (await pool.acquireConnection());
    let statement: SqliteStatement;
    let result: unknown;
    try {
      statement = connection.prepare(sql);
      result = runPrepared(statement, bindings);
    } finally {
      if (!idle) await pool.releaseConnection(connection);
    }
    if (!statement.readonly) await this.durable();
    return result;
  }

  override async begin(
    options: {
      isolationLevel?: IsolationLevel;
      readOnly?: boolean;
      ctx?: Transaction;
      eventBroadcaster?: TransactionEventBroadcaster;
      loggerContext?: LoggingOptions;
    } = {},
  ): Promise<Knex.Transaction> {
    const parent = transactionOf(options.ctx);
    if (parent) {
      const tx = new SqliteTransaction(parent.connection, this.pool, parent);
      await this.control(tx, `savepoint ${tx.savepoint}`, options.loggerContext);
      return tx as unknown as Knex.Transaction;
    }
    await options.eventBroadcaster?.dispatchEvent(EventType.beforeTransactionStart);
    const pool = this.pool;
    const connection = await pool.acquireConnection();
    const tx = new SqliteTransaction(connection, pool);
    try {
      await this.control(tx, 'begin', options.loggerContext);
    } catch (err) {
      await pool.releaseConnection(connection);
      throw err;
    }
    await options.eventBroadcaster?.dispatchEvent(EventType.afterTransactionStart, tx);
    return tx as unknown as Knex.Transaction;
  }

  override async commit(ctx: Knex.Transaction, eventBroadcaster?: TransactionEventBroadcaster, loggerContext?: LoggingOptions): Promise<void> {
    const tx = this.own(ctx);
    if (tx.parent) {
      await this.control(tx, `release savepoint ${tx.savepoint}`, loggerContext);
      tx.done = true;
      return;
    }
    await eventBroadcaster?.dispatchEvent(EventType.beforeTransactionCommit, tx);
    // a failed COMMIT leaves the transaction open and the connection held: the caller rolls back, which releases it
    await this.control(tx, 'commit', loggerContext);
    tx.done = true;
    tx.released = true;
    await this.pool.releaseConnection(tx.connection);
    // if the sync fails the caller's rollback finds the transaction committed and released: nothing to undo
    await this.durable();
    await eventBroadcaster?.dispatchEvent(EventType.afterTransactionCommit, tx);
  }

  override async rollback(ctx: Knex.Transaction, eventBroadcaster?: TransactionEventBroadcaster, loggerContext?: LoggingOptions): Promise<void> {
    const tx = this.own(ctx);
    if (tx.parent) {
      tx.done = true;
      await this.control(tx, `rollback to savepoint ${tx.savepoint}`, loggerContext);
      await this.control(tx, `release savepoint ${tx.savepoint}`, loggerContext);
      return;
    }
    if (tx.released) return;
    await eventBroadcaster?.dispatchEvent(EventType.beforeTransactionRollback, tx);
    tx.done = true;
    try {
      // SQLite has already rolled back by itself after some errors (a full disk, an I/O error)
      if (tx.connection.inTransaction) await this.control(tx, 'rollback', loggerContext);
    } finally {
      await this.pool.releaseConnection(tx.connection);
    }
    await eventBroadcaster?.dispatchEvent(EventType.afterTransactionRollback, tx);
  }

  private own(ctx: Knex.Transaction): SqliteTransaction {
    const tx = transactionOf(ctx);
    if (!tx) throw new Error('not a transaction of this SQLite connection');
    return tx;
  }

  /** BEGIN, COMMIT, ROLLBACK or a savepoint statement on the transaction's connection, logged as MikroORM logs them. */
  private async control(tx: SqliteTransaction, sql: string, loggerContext?: LoggingOptions): Promise<void> {
    await this.executeQuery(sql, async () => run(tx.connection, sql, undefined), { query: sql, ...loggerContext });
  }
}

export class ParameterisedSqliteDriver extends AbstractSqlDriver<ParameterisedSqliteConnection, BetterSqlitePlatform> {
  constructor(config: Configuration) {
    super(config, new BetterSqlitePlatform(), ParameterisedSqliteConnection, ['knex', 'better-sqlite3']);
  }
}
