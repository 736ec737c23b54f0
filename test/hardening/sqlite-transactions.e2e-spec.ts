// Transactions on SQLite run on the pool's one connection directly (src/db/sqlite-driver.ts), not through knex's
// transaction objects. What every caller of em.transactional relies on must still hold: a transaction has the
// connection to itself until it ends, a failure leaves nothing behind and frees the connection, a nested
// transaction is a savepoint, and a finished transaction takes no more statements. On a SQLite database whatever
// the run's dialect.
import { MikroORM, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestDatabase } from '../support/database';
import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
let em: EntityManager;

beforeAll(async () => {
  t = await startTestApp({ RECONCILE_INTERVAL_MS: '3600000' }, await createTestDatabase('sqlite'));
  em = t.app.get(MikroORM).em.fork() as EntityManager;
  await em.getConnection().execute('create table tx_probe (name text primary key, at integer)', [], 'run');
});
afterAll(async () => {
  await t?.close();
});
beforeEach(async () => {
  await em.getConnection().execute('delete from tx_probe', [], 'run');
});

const insert = (tx: EntityManager, name: string) =>
  tx.getConnection().execute('insert into tx_probe (name, at) values (?, ?)', [name, Date.now()], 'run', tx.getTransactionContext());
const names = async () => (await em.getConnection().execute<Array<{ name: string }>>('select name from tx_probe order by name')).map((r) => r.name);

it('holds the connection until it commits: a statement from elsewhere waits, then sees what was committed', async () => {
  let outside: Promise<string[]> | undefined;
  let outsideDone = false;
  await em.fork().transactional(async (tx) => {
    await insert(tx, 'a');
    outside = names().then((r) => ((outsideDone = true), r));
    await sleep(50);
    // the other statement is still waiting for the connection: it never runs inside this transaction
    expect(outsideDone).toBe(false);
    await insert(tx, 'b');
  });
  expect(await outside).toEqual(['a', 'b']);
});

it('leaves nothing behind when the work throws, and frees the connection', async () => {
  await expect(
    em.fork().transactional(async (tx) => {
      await insert(tx, 'lost');
      throw new Error('the call failed');
    }),
  ).rejects.toThrow('the call failed');
  expect(await names()).toEqual([]);
});

it('turns a constraint violation into MikroORM’s exception, rolls back and frees the connection', async () => {
  await insert(em, 'taken');
  await expect(
    em.fork().transactional(async (tx) => {
      await insert(tx, 'first of the transaction');
      // through the driver, which converts the database's errors (as the ORM's own inserts do)
      await tx.execute('insert into tx_probe (name) values (?)', ['taken'], 'run');
    }),
  ).rejects.toBeInstanceOf(UniqueConstraintViolationException);
  expect(await names()).toEqual(['taken']);
});

it('makes a nested transaction a savepoint: its failure undoes its own writes only', async () => {
  await em.fork().transactional(async (tx) => {
    await insert(tx, 'outer');
    await expect(
      tx.transactional(async (inner) => {
        await insert(inner, 'inner');
        throw new Error('inner failed');
      }),
    ).rejects.toThrow('inner failed');
    await tx.transactional(async (inner) => insert(inner, 'inner kept'));
  });
  expect(await names()).toEqual(['inner kept', 'outer']);
});

it('refuses a statement on a transaction that has ended', async () => {
  let ended: unknown;
  await em.fork().transactional(async (tx) => {
    ended = tx.getTransactionContext();
    await insert(tx, 'in time');
  });
  await expect(em.getConnection().execute('insert into tx_probe (name) values (?)', ['too late'], 'run', ended as never)).rejects.toThrow(
    'Transaction query already complete',
  );
  expect(await names()).toEqual(['in time']);
});

it('serves transactions of concurrent requests one after the other, each whole', async () => {
  await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      em.fork().transactional(async (tx) => {
        await insert(tx, `${i}-1`);
        await sleep(1);
        await insert(tx, `${i}-2`);
      }),
    ),
  );
  const rows = await names();
  expect(rows).toHaveLength(40);
  expect(new Set(rows).size).toBe(40);
});

it('runs statements that waited for a transaction in the order they were sent, before any sent after them', async () => {
  const sent: Array<Promise<unknown>> = [];
  await em.fork().transactional(async (tx) => {
    await insert(tx, 'tx');
    for (const name of ['w1', 'w2', 'w3']) sent.push(insert(em, name));
  });
  // the connection is free again, yet the three are still queued for it: this one must not overtake them
  sent.push(insert(em, 'after'));
  await Promise.all(sent);
  const order = await em.getConnection().execute<Array<{ name: string }>>('select name from tx_probe order by rowid');
  expect(order.map((r) => r.name)).toEqual(['tx', 'w1', 'w2', 'w3', 'after']);
});
