// Nothing slow on either side holds the service: a client that trickles its request headers or sits on an idle
// keep-alive connection is cut off by the server's timeouts (src/main.ts, so against the real process), and a
// RuCERT that never answers is cut off by the integration timeout: the export answers 502 and becomes `unknown`,
// never `exported` or retried, and the service keeps answering meanwhile.
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import request from 'supertest';
import type { RucertSimulator } from '../../src/rucert-simulator/simulator';
import { startChildService, type ChildService } from '../support/child-service';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { configureIntegration, createIncident, installLicense, startSimulator } from '../support/export-setup';
import { startTestApp, type TestApp } from '../support/test-app';
import { eventually, expectProblem } from './support';

jest.setTimeout(90_000);

/** src/main.ts: headers within 10 s, idle keep-alive 5 s, checked every second. Generous margins: no speed is asserted. */
const HEADERS_DEADLINE_MS = 10_000 + 10_000;
const KEEP_ALIVE_DEADLINE_MS = 5_000 + 10_000;

describe('slow clients against the service process', () => {
  let db: TestDatabase;
  let svc: ChildService;

  beforeAll(async () => {
    db = await createTestDatabase();
    svc = await startChildService({
      env: {
        DATABASE_URL: db.url,
        DATA_DIR: db.dataDir,
        SECRETS_KEY: randomBytes(32).toString('base64'),
        ADMIN_TOKEN: 'timeouts-admin-token-0123456789abcdef',
        LOG_LEVEL: 'warn',
      },
    });
  });
  afterAll(async () => {
    await svc?.kill();
    await db?.drop();
  });

  interface Watched {
    socket: Socket;
    closed: boolean;
    received: string;
  }

  function open(): Promise<Watched> {
    return new Promise((resolve, reject) => {
      const socket = connect(svc.port, '127.0.0.1');
      const w: Watched = { socket, closed: false, received: '' };
      socket.on('data', (d) => (w.received += d.toString('latin1')));
      socket.on('close', () => (w.closed = true));
      socket.on('error', () => (w.closed = true));
      socket.once('connect', () => resolve(w));
      socket.once('error', reject);
    });
  }

  it('closes connections that trickle their headers, while other clients are served', async () => {
    const lorises = await Promise.all(Array.from({ length: 30 }, () => open()));
    for (const l of lorises) l.socket.write('GET /api/health HTTP/1.1\r\nHost: localhost\r\n');
    // one more header line every half second, forever: only the headers timeout can end this
    const trickle = setInterval(() => {
      for (const l of lorises) if (!l.closed) l.socket.write(`X-Slow-${Date.now()}: ${'a'.repeat(10)}\r\n`);
    }, 500);
    try {
      // meanwhile the service answers everyone else
      for (let i = 0; i < 5; i++) expect((await request(svc.url).get('/api/health')).status).toBe(200);
      const allClosed = await eventually(() => lorises.every((l) => l.closed), HEADERS_DEADLINE_MS, 200);
      expect(lorises.filter((l) => !l.closed)).toHaveLength(0);
      expect(allClosed).toBe(true);
      // the server ends them with 408, not by crashing or answering the half request
      for (const l of lorises) expect(l.received).toMatch(/^(HTTP\/1\.1 408 |$)/);
      expect((await request(svc.url).get('/api/health')).status).toBe(200);
    } finally {
      clearInterval(trickle);
      for (const l of lorises) l.socket.destroy();
    }
  });

  it('closes an idle keep-alive connection after its answer', async () => {
    const idle = await open();
    idle.socket.write('GET /api/health HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n');
    await eventually(() => idle.received.includes('{"status":"ok"}'), 10_000);
    expect(idle.received).toMatch(/^HTTP\/1\.1 200 /);
    expect(idle.closed).toBe(false);
    expect(await eventually(() => idle.closed, KEEP_ALIVE_DEADLINE_MS, 200)).toBe(true);
    idle.socket.destroy();
  });
});

describe('a RuCERT that never answers', () => {
  const TIMEOUT_MS = 1_000;
  let t: TestApp;
  let sim: RucertSimulator;
  let analyst: string;
  const data = {
    category: 'computer_incident',
    type: 'malware_infection',
    affectedSystemName: 'Corporate mail server mail01.example.ru',
    affectedSystemCategory: 'not_cii',
    affectedSystemConnection: true,
  };

  beforeAll(async () => {
    t = await startTestApp({ RECONCILE_INTERVAL_MS: '3600000' });
    sim = await startSimulator();
    await installLicense(t);
    await configureIntegration(t, sim, { timeoutMs: TIMEOUT_MS });
    analyst = await t.tokenFor('analyst');
  });
  afterAll(async () => {
    await sim?.close();
    await t?.close();
  });
  afterEach(() => {
    sim.release();
    sim.clearFaults();
  });

  it.each([
    ['holds the request without reading it', 'hold'],
    ['stores the notification and then never answers', 'store_then_hang'],
  ] as const)('answers 502 rucert_unavailable within the integration timeout when RuCERT %s; the export is unknown', async (_label, mode) => {
    const incident = await createIncident(t);
    sim.addFault({ mode });
    // the simulator counts every request it has seen, the earlier tests' too: wait for this test's own
    const seenBefore = sim.requests()['POST /incidents'] ?? 0;
    const started = Date.now();
    // supertest sends on then(): start it now
    const pending = request(t.http)
      .post(`/api/incidents/${incident.id}/rucert-export`)
      .auth(analyst, { type: 'bearer' })
      .send({ data })
      .then((r) => r);
    // while the call hangs, the service answers other requests, and a second export of the same incident is refused
    await eventually(async () => (mode === 'hold' ? sim.held() > 0 : (sim.requests()['POST /incidents'] ?? 0) > seenBefore), 5_000, 20);
    expect((await request(t.http).get('/api/health')).status).toBe(200);
    const second = await request(t.http).post(`/api/incidents/${incident.id}/rucert-export`).auth(analyst, { type: 'bearer' }).send({ data });
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('export_in_progress');

    const res = await pending;
    const elapsed = Date.now() - started;
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({ code: 'rucert_unavailable', state: 'unknown' });
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    // bounded by the timeout, not by RuCERT: a generous margin, this is not a speed check
    expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(elapsed).toBeLessThan(TIMEOUT_MS + 10_000);
    const state = await request(t.http).get(`/api/incidents/${incident.id}/rucert-export`).auth(analyst, { type: 'bearer' });
    expect(state.body.state).toBe('unknown');
  });

  it('never re-sends an unknown export: reconciling finds the notification the hanging call stored', async () => {
    const incident = await createIncident(t);
    sim.addFault({ mode: 'store_then_hang' });
    const res = await request(t.http).post(`/api/incidents/${incident.id}/rucert-export`).auth(analyst, { type: 'bearer' }).send({ data });
    expectProblem(
      { status: res.status, headers: new Headers(res.headers as Record<string, string>), text: res.text, body: res.body },
      502,
      'rucert_unavailable',
    );
    const posts = sim.requests()['POST /incidents'];
    const reconciled = await request(t.http).post(`/api/incidents/${incident.id}/rucert-export/reconcile`).auth(t.adminToken, { type: 'bearer' });
    expect(reconciled.status).toBe(200);
    expect(reconciled.body.state).toBe('exported');
    expect(sim.requests()['POST /incidents']).toBe(posts);
    expect(sim.received().filter((n) => String(n.body.event_description).endsWith(incident.id))).toHaveLength(1);
  });
});
