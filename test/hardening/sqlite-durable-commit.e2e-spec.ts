// On SQLite a commit does not fsync the write-ahead log on the event loop: the log is synced on the thread pool
// (src/db/sqlite-wal-sync.ts) and whoever committed goes on only once that sync is done. So an answer never
// promises what is not on disk, nothing goes to NCIRCC before its claim is on disk, and commits that wait together
// share one sync. The sync is held or failed here through the class's own method; the disk itself cannot be
// pulled out from under a test. On a SQLite database whatever the run's dialect.
import request from 'supertest';
import { SqliteWalSync } from '../../src/db/sqlite-wal-sync';
import type { RucertSimulator } from '../../src/rucert-simulator/simulator';
import { activateFormVersion, COMPUTER_INCIDENT_V1, createIncident, readyForExport } from '../support/export-setup';
import { createTestDatabase } from '../support/database';
import { startTestApp, type TestApp } from '../support/test-app';
import { eventually } from './support';

let t: TestApp;
let sim: RucertSimulator;

beforeAll(async () => {
  t = await startTestApp({ RECONCILE_INTERVAL_MS: '3600000' }, await createTestDatabase('sqlite'));
  sim = await readyForExport(t);
  await activateFormVersion(t, 1);
});
afterAll(async () => {
  await sim?.close();
  await t?.close();
});
afterEach(() => jest.restoreAllMocks());

const syncMethod = SqliteWalSync.prototype as unknown as { sync(): Promise<void> };

/** Holds every sync of the log until `release()`; counts them. */
function holdSyncs() {
  const real = syncMethod.sync;
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const spy = jest.spyOn(syncMethod, 'sync').mockImplementation(async function (this: SqliteWalSync) {
    await gate;
    return real.call(this);
  });
  return { spy, release: () => open() };
}

/** Sent at once (supertest sends a request only once it is awaited). */
const ingest = (title: string): Promise<request.Response> =>
  request(t.http)
    .post('/api/incidents')
    .auth(t.adminToken, { type: 'bearer' })
    .send({ title, detectedAt: '2026-11-20T08:30:00Z' })
    .then((res) => res);

async function countTitled(prefix: string): Promise<number> {
  const res = await request(t.http).get('/api/incidents').query({ q: prefix, limit: 100 }).auth(t.adminToken, { type: 'bearer' });
  return res.body.total;
}

it('answers an ingest only once the log holding it is synced', async () => {
  const { spy, release } = holdSyncs();
  let answered = false;
  const pending = ingest('Held sync 1').then((res) => ((answered = true), res));
  // committed and readable, but not yet answered: its sync is held
  expect(await eventually(async () => (await countTitled('Held sync 1')) === 1)).toBe(true);
  expect(spy).toHaveBeenCalled();
  expect(answered).toBe(false);
  release();
  expect((await pending).status).toBe(201);
});

it('has commits that wait together share one sync', async () => {
  const { spy, release } = holdSyncs();
  const first = ingest('Shared sync first');
  expect(await eventually(async () => spy.mock.calls.length === 1)).toBe(true);
  // ten more commit while the first sync is held: they cannot rely on it (it may have begun before them)
  const rest = Array.from({ length: 10 }, (_, i) => ingest(`Shared sync ${i}`));
  expect(await eventually(async () => (await countTitled('Shared sync')) === 11)).toBe(true);
  release();
  const answers = await Promise.all([first, ...rest]);
  expect(answers.map((res) => res.status)).toEqual(Array(11).fill(201));
  // the held one, then a single one for all ten
  expect(spy).toHaveBeenCalledTimes(2);
});

it('answers 500 when the log cannot be synced, and the next commit goes through', async () => {
  jest.spyOn(syncMethod, 'sync').mockRejectedValueOnce(Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' }));
  const failed = await ingest('Sync failed');
  expect(failed.status).toBe(500);
  expect(failed.body).toMatchObject({ code: 'internal_error' });
  expect((await ingest('After the failed sync')).status).toBe(201);
});

it('sends nothing to NCIRCC until the claim is on disk, and nothing at all when its sync fails', async () => {
  const analyst = await t.tokenFor('analyst');
  const exportOf = (id: string) =>
    request(t.http)
      .post(`/api/incidents/${id}/rucert-export`)
      .auth(analyst, { type: 'bearer' })
      .send({ data: COMPUTER_INCIDENT_V1 })
      .then((res) => res);
  const stateOf = async (id: string) => (await request(t.http).get(`/api/incidents/${id}/rucert-export`).auth(analyst, { type: 'bearer' })).body.state;

  const held = await createIncident(t);
  const before = sim.received().length;
  const { release } = holdSyncs();
  const pending = exportOf(held.id);
  expect(await eventually(async () => (await stateOf(held.id)) === 'sending')).toBe(true);
  expect(sim.received()).toHaveLength(before);
  release();
  expect((await pending).status).toBe(201);
  expect(sim.received()).toHaveLength(before + 1);

  const incident = await createIncident(t);
  jest.restoreAllMocks();
  jest.spyOn(syncMethod, 'sync').mockRejectedValueOnce(Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' }));
  const res = await exportOf(incident.id);
  expect(res.status).toBe(500);
  expect(sim.received()).toHaveLength(before + 1);
  // the claim was committed; the reconciler finds it stale once the call bound has passed and looks it up
  expect(await stateOf(incident.id)).toBe('sending');
});
