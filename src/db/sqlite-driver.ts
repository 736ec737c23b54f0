// The SQLite driver, with values bound as parameters. MikroORM 6 writes every value into the SQL text
// (AbstractSqlConnection.execute: platform.formatQuery, then knex.raw of the result) and hands knex no bindings.
// On SQLite that cost twice: better-sqlite3 stops reading SQL at a NUL character, so a NUL in any value answered
// 500, and the prepared-statement cache (mikro-orm.config.ts) was keyed by texts full of values, so 500 large
// inserts kept ~100 MB of heap. Here the SQL keeps its placeholders and the values travel as bindings, converted as
// formatQuery would have written them. PostgreSQL keeps MikroORM's own path.
import { JsonProperty, Utils, type AnyEntity, type EntityData, type LoggingOptions, type QueryResult, type Transaction } from '@mikro-orm/core';
import { AbstractSqlDriver, BetterSqliteConnection, BetterSqlitePlatform, type Configuration } from '@mikro-orm/better-sqlite';
import type { Knex } from '@mikro-orm/knex';

type Binding = string | number | bigint | Buffer | null;

export class ParameterisedSqliteConnection extends BetterSqliteConnection {
  override async execute<T extends QueryResult | EntityData<AnyEntity> | EntityData<AnyEntity>[] = EntityData<AnyEntity>[]>(
    queryOrKnex: string | Knex.QueryBuilder | Knex.Raw,
    params: unknown[] = [],
    method: 'all' | 'get' | 'run' = 'all',
    ctx?: Transaction,
    loggerContext?: LoggingOptions,
  ): Promise<T> {
    await this.ensureConnection();
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
    const bindings = this.toBindings(values);
    // a raw SQL fragment among the values (rare; the ORM's own) is written into the text, as MikroORM does
    if (bindings === undefined) return super.execute<T>(sql, values, method, ctx, loggerContext);
    return this.executeQuery(
      sql,
      async () => {
        const query = this.getKnex().raw(sql, bindings as Knex.RawBinding[]);
        if (ctx) query.transacting(ctx as Knex.Transaction);
        return this.transformRawResult<T>(await query, method);
      },
      { query: sql, params: values, ...loggerContext },
    );
  }

  /** The values as better-sqlite3 binds them, meaning what formatQuery would have written; undefined for raw SQL. */
  private toBindings(values: unknown[]): Binding[] | undefined {
    const out: Binding[] = [];
    for (const value of values) {
      const binding = this.toBinding(value);
      if (binding === undefined) return undefined;
      out.push(binding);
    }
    return out;
  }

  private toBinding(value: unknown): Binding | undefined {
    if (value === null || value === undefined) return null;
    if (Utils.isRawSql(value) || this.platform.isRaw(value)) return undefined;
    if (value instanceof Date) return value.valueOf(); // SQLite keeps datetimes as epoch milliseconds
    if (typeof value === 'boolean') return value ? 1 : 0;
    if (Buffer.isBuffer(value)) return value;
    if (Utils.isPlainObject(value) || (value as Record<symbol, unknown>)[JsonProperty]) return JSON.stringify(value);
    // a list for "in (?)": formatQuery writes it out, knex would bind it as one value; left to MikroORM
    if (Array.isArray(value)) return undefined;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') return value;
    return undefined;
  }
}

export class ParameterisedSqliteDriver extends AbstractSqlDriver<ParameterisedSqliteConnection, BetterSqlitePlatform> {
  constructor(config: Configuration) {
    super(config, new BetterSqlitePlatform(), ParameterisedSqliteConnection, ['knex', 'better-sqlite3']);
  }
}
