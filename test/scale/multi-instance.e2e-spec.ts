// Scale-out (docs/architecture.md "Several instances"): two service processes on one PostgreSQL database, sharing SECRETS_KEY, with one
// RuCERT simulator. The once-only claim, distinct exports and the reconciler must hold across instances, not just
// across requests of one process. This file always uses PostgreSQL, whatever TEST_DB says: several instances on
// one database is what PostgreSQL is for here, and SQLite cannot be shared by two hosts.
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type { RucertSimulator } from '../../src/rucert-simulator/simulator';
import { startChildService, type ChildService } from '../support/child-service';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { configureIntegration, installLicense, startSimulator } from '../support/export-setup';

jest.setTimeout(120_000);

const ADMIN = 'scale-admin-token-0123456789abcdef';
let db: TestDatabase;
let sim: RucertSimulator;
let env: Record<string, string>;
let a: ChildService;
let b: ChildService;
let analyst: string;
const extra: ChildService[] = [];

const data = {
  category: 'computer_incident',
  type: 'malware_infection',
  affectedSystemName: 'Corporate mail server mail01.example.ru',
  affectedSystemCategory: 'not_cii',
  affectedSystemConnection: true,
};

const as = (svc: ChildService, token: string) => ({
  get: (path: string) => request(svc.url).get(path).auth(token, { type: 'bearer' }),
  post: (path: string, body?: object) => request(svc.url).post(path).auth(token, { type: 'bearer' }).send(body),
  put: (path: string, body: object) => request(svc.url).put(path).auth(token, { type: 'bearer' }).send(body),
});

/** Runs fn over items with at most `limit` in flight. */
async function pool<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i], i);
      }
    }),
  );
  return results;
}

async function createIncidents(n: number, title: string): Promise<string[]> {
  return pool(
    Array.from({ length: n }, (_, i) => i),
    16,
    async (i) => {
      const res = await as(i % 2 ? b : a, ADMIN).post('/api/incidents', { title: `${title} ${i}`, detectedAt: '2026-11-20T08:30:00Z' });
      if (res.status !== 201) throw new Error(`incident creation failed: ${res.status} ${res.text}`);
      return res.body.id as string;
    },
  );
}

/** How many notifications the simulator holds for an incident, by the reference line in event_description. */
const notificationsFor = (id: string) => sim.received().filter((n) => String(n.body.event_description).endsWith(`rucert-export incident ${id}`)).length;

async function auditEntries(): Promise<Array<{ action: string; incidentId: string | null; details: Record<string, unknown> }>> {
  const items = [];
  for (let offset = 0; ; offset += 1000) {
    const res = await as(a, ADMIN).get(`/api/audit?limit=1000&offset=${offset}`);
    expect(res.status).toBe(200);
    items.push(...res.body.items);
    if (items.length >= res.body.total || res.body.items.length === 0) return items;
  }
}

async function exportStates(ids: string[]): Promise<string[]> {
  return pool(ids, 16, async (id, i) => {
    const res = await as(i % 2 ? a : b, analyst).get(`/api/incidents/${id}`);
    expect(res.status).toBe(200);
    return res.body.rucertExport.state as string;
  });
}

beforeAll(async () => {
  db = await createTestDatabase('postgresql');
  sim = await startSimulator();
  env = {
    DATABASE_URL: db.url,
    DATA_DIR: db.dataDir,
    SECRETS_KEY: randomBytes(32).toString('base64'),
    ADMIN_TOKEN: ADMIN,
    LOG_LEVEL: 'warn',
    // the periodic pass stays out of the way; the start-up pass and on-demand reconciliation are what is tested
    RECONCILE_INTERVAL_MS: '3600000',
  };
  // both start at once on an empty database: migrations, form v1 and the bootstrap token must not collide
  [a, b] = await Promise.all([startChildService({ env }), startChildService({ env })]);

  // configured through A only: B reads the same rows and decrypts the RuCERT token with the shared SECRETS_KEY
  const viaA = { http: a.url, adminToken: ADMIN };
  await installLicense(viaA);
  await configureIntegration(viaA, sim, { timeoutMs: 5000 });
  const token = await as(b, ADMIN).post('/api/tokens', { name: 'scale analyst', role: 'analyst' });
  expect(token.status).toBe(201);
  analyst = token.body.token;
});

afterAll(async () => {
  await Promise.all([a, b, ...extra].filter(Boolean).map((s) => s.kill('SIGTERM')));
  await sim?.close();
  await db?.drop();
});

afterEach(() => sim.clearFaults());

it('runs both instances on one PostgreSQL database with one admin token and each built-in form version once, version 2 active', async () => {
  const [fromA, fromB] = await Promise.all([as(a, ADMIN).get('/api/tokens'), as(b, ADMIN).get('/api/tokens')]);
  expect(fromA.body).toEqual(fromB.body);
  expect(fromA.body.filter((t: { role: string }) => t.role === 'admin')).toHaveLength(1);
  const versions = await as(b, analyst).get('/api/forms/rucert-export/versions');
  expect(versions.body.map((v: { version: number; active: boolean }) => [v.version, v.active])).toEqual([
    [1, false],
    [2, true],
  ]);
  const settings = await as(b, ADMIN).get('/api/integrations/rucert');
  expect(settings.body).toMatchObject({ enabled: true, url: sim.url, tokenSet: true });
});

it('answers 100 concurrent exports of one incident, split across both instances, with one 201 and 99 409s, and sends one notification', async () => {
  const [id] = await createIncidents(1, 'Contended incident');
  const before = sim.received().length;
  const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => as(i % 2 ? b : a, analyst).post(`/api/incidents/${id}/rucert-export`, { data })));
  const statuses = answers.map((r) => r.status);
  expect(statuses.filter((s) => s === 201)).toHaveLength(1);
  expect(statuses.filter((s) => s === 409)).toHaveLength(99);
  for (const r of answers.filter((r) => r.status === 409)) {
    expect(['already_exported', 'export_in_progress']).toContain(r.body.code);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
  }
  expect(sim.received().length - before).toBe(1);
  expect(notificationsFor(id)).toBe(1);

  const winner = answers.find((r) => r.status === 201)!.body;
  for (const svc of [a, b]) {
    const state = await as(svc, analyst).get(`/api/incidents/${id}/rucert-export`);
    expect(state.body).toMatchObject({ state: 'exported', rucert: { identifier: winner.rucert.identifier } });
  }
  const attempts = (await auditEntries()).filter((e) => e.incidentId === id && e.action === 'export.attempted');
  expect(attempts).toHaveLength(1);
});

it('exports 200 distinct incidents through both instances concurrently, each exactly once', async () => {
  const ids = await createIncidents(200, 'Distinct incident');
  const before = sim.received().length;
  const answers = await pool(ids, 64, (id, i) => as(i % 2 ? b : a, analyst).post(`/api/incidents/${id}/rucert-export`, { data }));
  expect(answers.map((r) => r.status)).toEqual(ids.map(() => 201));
  expect(sim.received().length - before).toBe(200);
  for (const id of ids) expect(notificationsFor(id)).toBe(1);
  expect(new Set(answers.map((r) => r.body.rucert.identifier)).size).toBe(200);
  expect(await exportStates(ids)).toEqual(ids.map(() => 'exported'));
});

describe('reconciliation by two instances at once', () => {
  /** Exports each incident once while the simulator stores it and then resets the connection: outcome unknown. */
  async function makeUnknown(ids: string[]): Promise<void> {
    sim.addFault({ mode: 'store_then_reset', times: ids.length });
    const answers = await pool(ids, 8, (id, i) => as(i % 2 ? b : a, analyst).post(`/api/incidents/${id}/rucert-export`, { data }));
    expect(answers.map((r) => [r.status, r.body.code])).toEqual(ids.map(() => [502, 'rucert_unavailable']));
    expect(await exportStates(ids)).toEqual(ids.map(() => 'unknown'));
    for (const id of ids) expect(notificationsFor(id)).toBe(1);
  }

  async function expectReconciledOnce(ids: string[]): Promise<void> {
    expect(await exportStates(ids)).toEqual(ids.map(() => 'exported'));
    for (const id of ids) expect(notificationsFor(id)).toBe(1);
    const audit = await auditEntries();
    for (const id of ids) {
      const reconciled = audit.filter((e) => e.incidentId === id && e.action === 'export.reconciled');
      expect(reconciled).toHaveLength(1);
      expect(reconciled[0].details).toMatchObject({ outcome: 'exported' });
      // nothing was re-sent: one attempt, the one that ended unknown
      expect(audit.filter((e) => e.incidentId === id && e.action === 'export.attempted')).toHaveLength(1);
    }
  }

  it('settles unknown exports once when both instances are asked to reconcile the same incidents at once', async () => {
    const ids = await createIncidents(12, 'Unknown, reconciled on demand');
    await makeUnknown(ids);
    const sent = sim.received().length;
    const answers = await Promise.all(ids.flatMap((id) => [a, b].map((svc) => as(svc, ADMIN).post(`/api/incidents/${id}/rucert-export/reconcile`))));
    expect(answers.map((r) => r.status)).toEqual(answers.map(() => 200));
    for (const r of answers) expect(r.body.state).toBe('exported');
    expect(sim.received().length).toBe(sent);
    await expectReconciledOnce(ids);
  });

  it('settles unknown exports once when two instances start at once and both run the start-up sweep', async () => {
    const ids = await createIncidents(12, 'Unknown, reconciled at start-up');
    await makeUnknown(ids);
    const sent = sim.received().length;
    const lookups = sim.requests()['GET /incidents'] ?? 0;
    const started = await Promise.all([startChildService({ env }), startChildService({ env })]);
    extra.push(...started);
    // the start-up pass runs in the background after listening: poll until every incident has settled
    const deadline = Date.now() + 30_000;
    let states = await exportStates(ids);
    while (states.some((s) => s !== 'exported') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      states = await exportStates(ids);
    }
    expect(states).toEqual(ids.map(() => 'exported'));
    expect(sim.received().length).toBe(sent);
    await expectReconciledOnce(ids);
    // settled by looking the notifications up, not by anything else
    expect(sim.requests()['GET /incidents'] ?? 0).toBeGreaterThan(lookups);
  });
});
