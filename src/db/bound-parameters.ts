// Values bound as parameters, on both databases. MikroORM 6 writes every value into the SQL text
// (AbstractSqlConnection.execute: platform.formatQuery, then knex.raw of the result) and hands the database no
// bindings. That cost us three ways:
//   - SQLite: better-sqlite3 stops reading SQL at a NUL character, so a NUL in any value answered 500;
//   - SQLite: the prepared-statement cache (mikro-orm.config.ts) was keyed by texts full of values, so 500 large
//     inserts kept ~100 MB of heap;
//   - PostgreSQL: the driver escapes a string one character at a time into a new string, so storing a 1 MB JSON
//     document spent most of a 500,000-character export in the garbage collector (bench/README.md).
// Here the SQL keeps its placeholders and the values travel as bindings, converted as formatQuery would have written
// them. A value formatQuery alone knows how to write (raw SQL, a list for "in (?)") sends that one statement down
// MikroORM's own path.
import {
  JsonProperty,
  Utils,
  type AnyEntity,
  type Platform,
  type EntityData,
  type LoggingOptions,
  type LogContext,
  type QueryResult,
  type Transaction,
} from '@mikro-orm/core';
import type { AbstractSqlConnection, Knex } from '@mikro-orm/knex';

// TypeScript requires a mixin's base constructor to take `...args: any[]`
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ConnectionClass = abstract new (...args: any[]) => AbstractSqlConnection;

/**
 * A value as the database binds it, meaning what formatQuery would have written; `undefined` for a value only
 * formatQuery can write. SQLite keeps datetimes as epoch milliseconds and booleans as 0/1; PostgreSQL gets a date
 * as the text formatQuery writes with forceUtcTimezone (ISO 8601 in UTC) and binds booleans and bigints itself.
 */
function toBinding(value: unknown, dialect: 'sqlite' | 'postgresql', platform: Platform): unknown {
  if (value === null || value === undefined) return null;
  if (Utils.isRawSql(value) || platform.isRaw(value)) return undefined;
  if (value instanceof Date) return dialect === 'sqlite' ? value.valueOf() : value.toISOString();
  if (typeof value === 'boolean') return dialect === 'sqlite' ? Number(value) : value;
  if (Buffer.isBuffer(value)) return value;
  if (Utils.isPlainObject(value) || (value as Record<symbol, unknown>)[JsonProperty]) return JSON.stringify(value);
  // a list for "in (?)": formatQuery writes it out, knex would bind it as one value; left to MikroORM
  if (Array.isArray(value)) return undefined;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') return value;
  return undefined;
}

/** `Base` with `execute` binding values through `toBinding` instead of writing them into the SQL text. */
export function withBoundParameters<TBase extends ConnectionClass>(Base: TBase, dialect: 'sqlite' | 'postgresql') {
  abstract class BoundParameters extends Base {
    override async execute<T extends QueryResult | EntityData<AnyEntity> | EntityData<AnyEntity>[] = EntityData<AnyEntity>[]>(
      queryOrKnex: string | Knex.QueryBuilder | Knex.Raw,
      params: unknown[] = [],
      method: 'all' | 'get' | 'run' = 'all',
      ctx?: Transaction,
      loggerContext?: LoggingOptions,
    ): Promise<T> {
      if (!this.connected) await this.ensureConnection();
      let sql: string;
      let values: unknown[];
      if (typeof queryOrKnex === 'string') {
        sql = queryOrKnex;
        values = params;
      } else {
        ctx ??= (queryOrKnex as unknown as { client: { transacting?: boolean } }).client.transacting ? (queryOrKnex as unknown as Transaction) : undefined;
        const q = queryOrKnex.toSQL();
        sql = q.sql;
        values = [...(q.bindings ?? [])];
      }
      sql = this.config.get('onQuery')(sql, values);
      let bindings: unknown[] | undefined = [];
      for (const value of values) {
        const binding = toBinding(value, dialect, this.platform);
        if (binding === undefined) {
          // a value only formatQuery can write: the statement is written out with its values, as MikroORM does
          sql = this.platform.formatQuery(sql, values);
          bindings = undefined;
          break;
        }
        bindings.push(binding);
      }
      return this.executeQuery(sql, async () => this.transformRawResult<T>(await this.runStatement(sql, bindings, ctx), method), {
        query: sql,
        params: values,
        ...loggerContext,
      });
    }

    /**
     * MikroORM's executeQuery reads the clock and builds a log entry for every statement, whether or not queries
     * are logged, and awaits the statement inside its own async function: a small select took ~14 µs in-process
     * through it and ~5 µs without it (bench/README.md). When queries are not logged, the statement just runs.
     */
    override executeQuery<T>(query: string, cb: () => Promise<T>, context?: LogContext): Promise<T> {
      return this.logger.isEnabled('query', context) ? super.executeQuery(query, cb, context) : cb();
    }

    /** One statement with its bindings (none when the values are written into it), in the transaction `ctx` if given. */
    protected async runStatement(sql: string, bindings: unknown[] | undefined, ctx: Transaction | undefined): Promise<unknown> {
      const query = this.getKnex().raw(sql, bindings as Knex.RawBinding[]);
      if (ctx) query.transacting(ctx as Knex.Transaction);
      return query;
    }
  }
  return BoundParameters;
}
