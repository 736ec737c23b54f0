// Statements written from an entity's metadata once per shape (the names they set and match) and kept by their text,
// for the writes on the hottest paths: every export's conditional updates, audit lines, documents and card, every
// ingest's two rows.
// MikroORM's em.insert and em.nativeUpdate build the same statement anew at each call through its criteria tree and
// knex's builder, which cost more CPU than the statement itself (bench/README.md). Values are converted as the ORM
// converts them: a property's own type first (JSON, unless given as a JsonText), then the driver's bindings (dates,
// booleans; bound-parameters.ts).
// Errors go through the driver, which turns them into MikroORM's exceptions as for the ORM's own statements.
import type { EntityData, EntityKey, EntityMetadata, EntityName, FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { JsonText } from '../common/json-text';

const texts = new WeakMap<EntityMetadata, Map<string, string>>();

/** The text of a statement of `meta` for `shape`, written by `write` the first time. */
function statement<T>(meta: EntityMetadata<T>, shape: string, write: () => string): string {
  let byShape = texts.get(meta as EntityMetadata);
  if (!byShape) texts.set(meta as EntityMetadata, (byShape = new Map()));
  let sql = byShape.get(shape);
  if (sql === undefined) byShape.set(shape, (sql = write()));
  return sql;
}

/** The quoted column of a property (a to-one relation's is its foreign key); a name that is not one is a programming error. */
function column<T>(em: EntityManager, meta: EntityMetadata<T>, name: string): string {
  const field = meta.properties[name as EntityKey<T>]?.fieldNames?.[0];
  if (!field) throw new Error(`${meta.className}.${name} is not a column`);
  return em.getPlatform().quoteIdentifier(field);
}

function toDatabase<T>(em: EntityManager, meta: EntityMetadata<T>, name: string, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof JsonText) return value.text; // a JSON column's document, serialized already
  return meta.properties[name as EntityKey<T>].customType?.convertToDatabaseValue(value, em.getPlatform()) ?? value;
}

/** The names of `data` that carry a value: an undefined one is left out, as the ORM leaves it out. */
const present = (data: object) => Object.keys(data).filter((name) => (data as Record<string, unknown>)[name] !== undefined);

/**
 * `insert into … (<names>) values (…)`: one row, in `em`'s transaction if it has one. With `ifAbsent`, a row that
 * would break a unique key is left out and the one there stays (`on conflict do nothing`, SQLite and PostgreSQL).
 */
export async function insertRow<T extends object>(
  em: EntityManager,
  entityName: EntityName<T>,
  row: EntityData<T>,
  { ifAbsent = false }: { ifAbsent?: boolean } = {},
): Promise<void> {
  const meta = em.getMetadata().get<T>(entityName as string);
  const names = present(row);
  const sql = statement(meta, `insert|${names.join()}|${ifAbsent}`, () => {
    const columns = names.map((name) => column(em, meta, name));
    const insert = `insert into ${em.getPlatform().quoteIdentifier(meta.tableName)} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`;
    return ifAbsent ? `${insert} on conflict do nothing` : insert;
  });
  await em.execute(
    sql,
    names.map((name) => toDatabase(em, meta, name, (row as Record<string, unknown>)[name])),
    'run',
  );
}

/**
 * `update … set <changes> where <where> and state in (<from>)`, in `em`'s transaction; its affected-row count says
 * whether the row was still where the caller read it (docs/once-only.md). `where` holds equalities (the row's key and
 * the attempt read).
 */
export async function conditionalUpdate<T extends object>(
  em: EntityManager,
  entityName: EntityName<T>,
  where: FilterQuery<T>,
  from: readonly string[],
  changes: EntityData<T>,
): Promise<number> {
  const meta = em.getMetadata().get<T>(entityName as string);
  const set = present(changes);
  const match = Object.keys(where as object);
  const sql = statement(meta, `update|${set.join()}|${match.join()}|${from.length}`, () => {
    const assignments = set.map((name) => `${column(em, meta, name)} = ?`);
    const conditions = match.map((name) => `${column(em, meta, name)} = ?`);
    return (
      `update ${em.getPlatform().quoteIdentifier(meta.tableName)} set ${assignments.join(', ')}` +
      ` where ${conditions.join(' and ')} and ${column(em, meta, 'state')} in (${from.map(() => '?').join(', ')})`
    );
  });
  const value = (data: object, name: string) => toDatabase(em, meta, name, (data as Record<string, unknown>)[name]);
  const matched = (name: string) => {
    const v = (where as Record<string, unknown>)[name];
    // equalities only: an operator ({ $in: … }) would be bound as a JSON text and match nothing
    if (v !== null && typeof v === 'object' && !(v instanceof Date)) throw new Error(`${meta.className}.${name}: a transition matches by equality`);
    return value(where as object, name);
  };
  const params = [...set.map((name) => value(changes, name)), ...match.map(matched), ...from];
  const result = await em.execute<{ affectedRows: number }>(sql, params, 'run');
  return result.affectedRows;
}

/**
 * Runs `work` in one transaction of the connection, or in a savepoint when `em` is in a transaction already (as
 * em.transactional would), with `tx` bound to it for plain statements (insertRow, conditionalUpdate, tx.execute):
 * committed when `work` resolves, rolled back when it throws. No unit of work is flushed, so `work` writes with
 * statements only: an entity persisted through the ORM inside would be lost, and is refused (a change to an entity
 * loaded inside would not be written either: nothing here loads one). The ingest and every once-only transition run
 * here; em.transactional's fork, flush, context and events cost them ~30 µs of CPU per transaction (bench/README.md,
 * 34).
 */
export async function plainTransaction<T>(em: EntityManager, work: (tx: EntityManager) => Promise<T>): Promise<T> {
  const outer = em.getTransactionContext();
  return em.getConnection().transactional(
    async (trx) => {
      const tx = em.fork();
      tx.setTransactionContext(trx);
      const result = await work(tx);
      if (tx.getUnitOfWork().getPersistStack().size > 0) throw new Error('plainTransaction writes with statements: an entity was persisted inside it');
      return result;
    },
    { ctx: outer },
  );
}
