// Synchronisation with NCIRCC across instances: two service processes on one PostgreSQL database sync at once, over
// and over for a minute, while the emulator moves cards, writes comments and sends messages. One pass at a time reads
// NCIRCC (the lease), nothing is stored twice, and a restart imports nothing again. Always PostgreSQL: several
// instances on one database is what it is for here.
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type { LoggedRequest, RucertSimulator } from '../../src/rucert-simulator/simulator';
import { startChildService, type ChildService } from '../support/child-service';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { demoLicense, RUCERT_TOKEN, startSimulator } from '../support/export-setup';

jest.setTimeout(240_000);

const ADMIN = 'sync-admin-token-0123456789abcdef';
const SYNC_FOR_MS = 60_000;
let db: TestDatabase;
let sim: RucertSimulator;
let env: Record<string, string>;
let a: ChildService;
let b: ChildService;

const as = (svc: ChildService) => ({
  get: (path: string) => request(svc.url).get(path).auth(ADMIN, { type: 'bearer' }),
  post: (path: string, body?: object) => request(svc.url).post(path).auth(ADMIN, { type: 'bearer' }).send(body),
});

async function exportIncident(svc: ChildService, i: number): Promise<{ id: string; uuid: string }> {
  const created = await as(svc).post('/api/incidents', { title: `Incident ${i}`, detectedAt: '2026-11-20T08:30:00Z' });
  const res = await as(svc).post(`/api/incidents/${created.body.id}/rucert-export`, {
    formVersion: 1,
    data: { category: 'computer_incident', type: 'malware_infection', affectedSystemName: `host${i}`, affectedSystemCategory: 'not_cii' },
  });
  expect(res.status).toBe(201);
  return { id: created.body.id, uuid: res.body.rucert.uuid };
}

async function all(svc: ChildService, path: string): Promise<Array<Record<string, unknown>>> {
  const items = [];
  for (let offset = 0; ; offset += 1000) {
    const res = await as(svc).get(`${path}${path.includes('?') ? '&' : '?'}limit=1000&offset=${offset}`);
    items.push(...res.body.items);
    if (res.body.items.length < 1000) return items;
  }
}

/**
 * The passes in the emulator's request log, as the instances ran them: a pass opens with its first read of the cards
 * and closes with its read of the comments (one page here: fewer than 500 new comments a pass). Returns the reads of
 * another instance that fell inside a pass: none when one pass at a time reads NCIRCC.
 */
function interleaved(log: LoggedRequest[]): LoggedRequest[] {
  const intruders: LoggedRequest[] = [];
  let open: string | undefined;
  for (const entry of log.filter((e) => e.route.startsWith('GET'))) {
    if (open === undefined && entry.route === 'GET /incidents') open = entry.userAgent;
    else if (open !== undefined && entry.userAgent !== open) intruders.push(entry);
    if (entry.route === 'GET /incidents/comments' && entry.userAgent === open) open = undefined;
  }
  return intruders;
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
    RECONCILE_INTERVAL_MS: '3600000',
  };
  [a, b] = await Promise.all([startChildService({ env }), startChildService({ env })]);
  expect((await request(a.url).put('/api/license').auth(ADMIN, { type: 'bearer' }).send({ key: demoLicense() })).status).toBe(200);
  const settings = await request(a.url).put('/api/integrations/rucert').auth(ADMIN, { type: 'bearer' }).send({
    enabled: true,
    url: sim.url,
    token: RUCERT_TOKEN,
    companyName: 'ООО «Тестовая организация»',
    ownerName: 'ООО «Тестовая организация»',
    defaultAffectedSystemFunction: 'banking_finance',
    defaultLocation: 'RU-MOW',
    timeoutMs: 5000,
    inboundEnabled: true,
  });
  expect(settings.status).toBe(200);
  expect((await as(a).post('/api/forms/rucert-export/versions/1/activate')).status).toBe(200);
});

afterAll(async () => {
  await Promise.all([a, b].filter(Boolean).map((s) => s.kill('SIGTERM')));
  await sim?.close();
  await db?.drop();
});

it('syncs from two instances at once for a minute: one pass at a time reads NCIRCC, and no status, comment or message is stored twice', async () => {
  const cards = await Promise.all(Array.from({ length: 20 }, (_, i) => exportIncident(i % 2 ? b : a, i)));
  const deadline = Date.now() + SYNC_FOR_MS;
  let round = 0;
  const syncer = (svc: ChildService) => async () => {
    while (Date.now() < deadline) {
      const res = await as(svc).post('/api/integrations/rucert/sync');
      expect(res.status).toBe(200);
    }
  };
  // NCIRCC's side keeps moving while both instances sync
  const nccirc = async () => {
    while (Date.now() < deadline) {
      const card = cards[round % cards.length];
      if (round < cards.length) sim.register(card.uuid);
      sim.addOperatorComment(card.uuid, `Комментарий оператора ${round}`);
      if (round % 4 === 0) sim.createMessage({ type: 'Угроза компьютерной атаки', event_description: `Сообщение ${round}` });
      round++;
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  await Promise.all([syncer(a)(), syncer(b)(), nccirc()]);
  await as(a).post('/api/integrations/rucert/sync'); // what came in the last moments

  expect(interleaved(sim.requestLog())).toEqual([]);
  const agents = new Set(
    sim
      .requestLog()
      .filter((r) => r.route === 'GET /incidents')
      .map((r) => r.userAgent),
  );
  expect(agents.size).toBe(2); // both instances did run passes

  const comments = (await Promise.all(cards.map((c) => as(b).get(`/api/incidents/${c.id}/ncircc/comments`)))).flatMap((r) => r.body.items);
  const operatorComments = sim.comments().filter((c) => c.login !== sim.login);
  expect(comments).toHaveLength(operatorComments.length);
  expect(new Set(comments.map((c: { text: string }) => c.text)).size).toBe(comments.length);

  for (const card of cards) {
    const view = (await as(a).get(`/api/incidents/${card.id}/ncircc`)).body;
    expect(view.status.name).toBe('Зарегистрировано');
    const statuses = view.history.map((h: { status: string }) => h.status);
    expect(new Set(statuses).size).toBe(statuses.length);
  }

  const messages = sim.cards().filter((c) => c.kind === 'message');
  const imported = await all(a, '/api/incidents?source=ncircc');
  expect(imported).toHaveLength(messages.length);
  expect(new Set(imported.map((i) => i.externalId)).size).toBe(messages.length);
});

it('imports nothing again after a restart of both instances', async () => {
  const before = (await all(a, '/api/incidents?source=ncircc')).length;
  await Promise.all([a.kill('SIGTERM'), b.kill('SIGTERM')]);
  [a, b] = await Promise.all([startChildService({ env }), startChildService({ env })]);
  await Promise.all([as(a).post('/api/integrations/rucert/sync'), as(b).post('/api/integrations/rucert/sync')]);
  expect(await all(b, '/api/incidents?source=ncircc')).toHaveLength(before);
});
