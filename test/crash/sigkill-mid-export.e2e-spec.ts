// The crash that once-only export must survive: the service is killed with SIGKILL while RuCERT holds the request,
// RuCERT then registers the notification, and the restarted service settles the export as `exported` from a lookup,
// without ever sending it again: by its periodic pass, or at once when an admin asks (POST …/reconcile).
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type { RucertSimulator } from '../../src/rucert-simulator/simulator';
import { ensureServerBuilt, startChildService, type ChildService } from '../support/child-service';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { configureIntegration, createIncident, installLicense, startSimulator } from '../support/export-setup';
import { ADMIN_TOKEN } from '../support/test-app';

let db: TestDatabase;
let sim: RucertSimulator;
let service: ChildService | undefined;

const env = (reconcileIntervalMs = '300') => ({
  DATABASE_URL: db.url,
  DATA_DIR: db.dataDir,
  ADMIN_TOKEN,
  SECRETS_KEY: secretsKey,
  RECONCILE_INTERVAL_MS: reconcileIntervalMs,
  LOG_LEVEL: 'warn',
});
const DATA = { category: 'computer_incident', type: 'malware_infection', affectedSystemName: 'mail01', affectedSystemCategory: 'not_cii' };
const secretsKey = randomBytes(32).toString('base64');

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  ensureServerBuilt();
  db = await createTestDatabase();
  sim = await startSimulator();
}, 180_000);
afterEach(async () => {
  await service?.kill('SIGKILL');
  service = undefined;
});
afterAll(async () => {
  await sim.close();
  await db.drop();
});

/** Starts an export that RuCERT holds, kills the service with SIGKILL, and lets RuCERT register the held request. */
async function exportThenCrash(
  reconcileIntervalMs?: string,
  timeoutMs = 1000,
): Promise<{ incidentId: string; claimedBy: number; registered: ReturnType<RucertSimulator['received']> }> {
  service = await startChildService({ env: env(reconcileIntervalMs) });
  const target = { http: service.url, adminToken: ADMIN_TOKEN };
  await installLicense(target);
  await configureIntegration(target, sim, { timeoutMs });
  const incident = await createIncident(target);

  sim.addFault({ mode: 'hold' });
  const pending = request(service.url)
    .post(`/api/incidents/${incident.id}/rucert-export`)
    .auth(ADMIN_TOKEN, { type: 'bearer' })
    .send({ data: DATA })
    .then(
      (res) => res.status,
      () => 'connection lost',
    );
  await until('RuCERT to hold the request', () => (sim.held() === 1 ? true : undefined));
  const claimedBy = Date.now(); // the claim is committed before RuCERT is called

  const exit = await service.kill('SIGKILL');
  expect(exit.signal).toBe('SIGKILL');
  expect(await pending).toBe('connection lost');
  expect(sim.release()).toBe(1); // RuCERT registers it although nobody is left to hear the answer
  const registered = sim.received().filter((n) => String(n.body.event_description).includes(incident.id));
  expect(registered).toHaveLength(1);
  return { incidentId: incident.id, claimedBy, registered };
}

const auditActions = async (incidentId: string) => {
  const audit = await request(service!.url).get('/api/audit?limit=100').auth(ADMIN_TOKEN, { type: 'bearer' });
  return audit.body.items.filter((e: { incidentId: string }) => e.incidentId === incidentId).map((e: { action: string }) => e.action);
};

it('ends exported with exactly one notification after a SIGKILL while RuCERT held the request', async () => {
  const { incidentId, registered } = await exportThenCrash();
  service = await startChildService({ env: env() });
  const settled = await until('the restarted service to settle the export', async () => {
    const res = await request(service!.url).get(`/api/incidents/${incidentId}/rucert-export`).auth(ADMIN_TOKEN, { type: 'bearer' });
    return res.body.state === 'exported' ? res.body : undefined;
  });
  expect(settled.rucert).toEqual({ uuid: registered[0].uuid, identifier: registered[0].identifier, createTime: registered[0].create_time });
  expect(sim.requests()['POST /incidents']).toBe(1);
  // the stale claim swept to unknown, then the lookup: each transition audited once
  expect(await auditActions(incidentId)).toEqual(['export.reconciled', 'export.unknown', 'export.attempted']);
}, 120_000);

it('is settled at once by POST …/reconcile after an immediate restart, without waiting for the periodic pass', async () => {
  sim.reset();
  // a 30 s timeout: the restart happens well within the call bound (30 s + 2 s margin), even on a busy machine
  const callTimeoutMs = 30_000;
  const { incidentId, claimedBy, registered } = await exportThenCrash('3600000', callTimeoutMs);
  service = await startChildService({ env: env('3600000') });
  const status = async () => (await request(service!.url).get(`/api/incidents/${incidentId}/rucert-export`).auth(ADMIN_TOKEN, { type: 'bearer' })).body;
  // restarted at once: the start-up pass ran while the dead call could still have been in flight, so it waited
  expect((await status()).state).toBe('sending');
  // the admin's reconcile waits for the call bound too: it may not judge a call that could still be answered
  const early = await request(service.url).post(`/api/incidents/${incidentId}/rucert-export/reconcile`).auth(ADMIN_TOKEN, { type: 'bearer' });
  expect(early.body.state).toBe('sending');
  // once the call can no longer be in flight, the admin's reconcile settles it at once; the periodic pass is an hour away
  await new Promise((r) => setTimeout(r, Math.max(0, claimedBy + callTimeoutMs + 2000 - Date.now())));
  expect((await status()).state).toBe('sending');
  const res = await request(service.url).post(`/api/incidents/${incidentId}/rucert-export/reconcile`).auth(ADMIN_TOKEN, { type: 'bearer' });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ state: 'exported', rucert: { uuid: registered[0].uuid, identifier: registered[0].identifier } });
  expect(sim.requests()['POST /incidents']).toBe(1);
  expect(await auditActions(incidentId)).toEqual(['export.reconciled', 'export.unknown', 'export.attempted']);
}, 120_000);
