// The crash that once-only export must survive: the service is killed with SIGKILL while RuCERT holds the request,
// RuCERT then registers the notification, and the restarted service settles the export as `exported` from a lookup,
// without ever sending it again.
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

const env = () => ({
  DATABASE_URL: db.url,
  DATA_DIR: db.dataDir,
  ADMIN_TOKEN,
  SECRETS_KEY: secretsKey,
  RECONCILE_INTERVAL_MS: '300',
  LOG_LEVEL: 'warn',
});
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
afterAll(async () => {
  await service?.kill('SIGKILL');
  await sim.close();
  await db.drop();
});

it('ends exported with exactly one notification after a SIGKILL while RuCERT held the request', async () => {
  service = await startChildService({ env: env() });
  const target = { http: service.url, adminToken: ADMIN_TOKEN };
  await installLicense(target);
  await configureIntegration(target, sim, { timeoutMs: 1000 });
  const incident = await createIncident(target);

  sim.addFault({ mode: 'hold' });
  const pending = request(service.url)
    .post(`/api/incidents/${incident.id}/rucert-export`)
    .auth(ADMIN_TOKEN, { type: 'bearer' })
    .send({ data: { category: 'computer_incident', type: 'malware_infection', affectedSystemName: 'mail01', affectedSystemCategory: 'not_cii' } })
    .then(
      (res) => res.status,
      () => 'connection lost',
    );
  await until('RuCERT to hold the request', () => (sim.held() === 1 ? true : undefined));

  const exit = await service.kill('SIGKILL');
  expect(exit.signal).toBe('SIGKILL');
  expect(await pending).toBe('connection lost');
  expect(sim.release()).toBe(1); // RuCERT registers it although nobody is left to hear the answer
  const registered = sim.received().filter((n) => String(n.body.event_description).includes(incident.id));
  expect(registered).toHaveLength(1);

  service = await startChildService({ env: env() });
  const settled = await until('the restarted service to settle the export', async () => {
    const res = await request(service!.url).get(`/api/incidents/${incident.id}/rucert-export`).auth(ADMIN_TOKEN, { type: 'bearer' });
    return res.body.state === 'exported' ? res.body : undefined;
  });
  expect(settled.rucert).toEqual({ uuid: registered[0].uuid, identifier: registered[0].identifier, createTime: registered[0].create_time });
  expect(sim.requests()['POST /incidents']).toBe(1);
  expect(sim.received().filter((n) => String(n.body.event_description).includes(incident.id))).toHaveLength(1);

  const audit = await request(service.url).get('/api/audit?limit=100').auth(ADMIN_TOKEN, { type: 'bearer' });
  const actions = audit.body.items.filter((e: { incidentId: string }) => e.incidentId === incident.id).map((e: { action: string }) => e.action);
  expect(actions).toEqual(['export.reconciled', 'export.attempted']);
}, 120_000);
