// SQLite's write-ahead log is checkpointed by a thread of the service's own (src/db/sqlite-checkpointer.ts), not by
// whichever request's commit makes it pass SQLite's threshold: what is committed reaches the database file within
// moments, long before the WAL holds the 4,000 pages at which a commit would copy it, and the thread and its
// connection end with the service. On a SQLite database whatever the run's dialect.
import { existsSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestApp, type TestApp } from '../support/test-app';

let db: TestDatabase;
let t: TestApp;
let file: string;
let stopped = false;

beforeAll(async () => {
  db = await createTestDatabase('sqlite');
  file = db.url.slice('sqlite:'.length);
  t = await startTestApp({ RECONCILE_INTERVAL_MS: '3600000' }, db);
});
afterAll(async () => {
  if (!stopped) await t?.app.close();
  await db?.drop();
});

async function within<T>(ms: number, probe: () => T, done: (value: T) => boolean): Promise<T> {
  const until = Date.now() + ms;
  let value = probe();
  while (!done(value) && Date.now() < until) {
    await sleep(25);
    value = probe();
  }
  return value;
}

it('copies what was committed into the database file in the background, far below the commit threshold', async () => {
  const before = statSync(file).size;
  // 60 incidents of 100 KB: about 1,500 pages of 4 KB in the WAL, well below the 4,000 at which a commit checkpoints
  for (let i = 0; i < 60; i++) {
    const res = await request(t.http)
      .post('/api/incidents')
      .auth(t.adminToken, { type: 'bearer' })
      .send({ title: `Incident ${i}`, detectedAt: '2026-11-20T08:30:00Z', description: `${i} `.padEnd(100_000, 'x') });
    expect(res.status).toBe(201);
  }
  const grown = await within(
    3_000,
    () => statSync(file).size - before,
    (delta) => delta > 5_000_000,
  );
  expect(grown).toBeGreaterThan(5_000_000);
});

it('ends its thread and connection with the service: the last connection closed removes the WAL', async () => {
  expect(existsSync(`${file}-wal`)).toBe(true);
  await t.app.close();
  stopped = true;
  expect(existsSync(file)).toBe(true);
  expect(existsSync(`${file}-wal`)).toBe(false);
});
