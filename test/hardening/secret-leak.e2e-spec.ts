// Secrets stay secret (docs/api.md: the RuCERT token is never returned, API tokens are shown once and stored
// hashed). A full run against the service process — configuration, checks, tokens, exports that succeed, are
// rejected, fail ambiguously and are reconciled or resolved, validation errors, failed authentication, and a RuCERT
// that echoes the token back in its error messages — then every response body and header, everything the process
// printed (at LOG_LEVEL=debug), every audit entry and the database itself are searched for every secret.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import type { RucertSimulator } from '../../src/rucert-simulator/simulator';
import { startChildService, type ChildService } from '../support/child-service';
import { createTestDatabase, testDialect, type TestDatabase } from '../support/database';
import { demoLicense, RUCERT_TOKEN, startSimulator } from '../support/export-setup';

jest.setTimeout(120_000);

const ADMIN = `leak-admin-${randomBytes(16).toString('hex')}`;
const OTHER_RUCERT_TOKEN = `other-rucert-token-${randomBytes(12).toString('hex')}`;
const SECRETS_KEY = randomBytes(32).toString('base64');

let db: TestDatabase;
let sim: RucertSimulator;
let echo: Server;
let echoUrl: string;
let svc: ChildService;

interface Seen {
  what: string;
  status: number;
  headers: string;
  body: string;
}
const seen: Seen[] = [];
/** API token secrets by name; each may legitimately appear once: in the answer that created it. */
const apiTokens = new Map<string, string>();
const creationAnswers = new Set<Seen>();

async function call(
  method: string,
  path: string,
  token: string | undefined,
  body?: unknown,
  extraHeaders: Record<string, string> = {},
): Promise<Seen & { json: any }> {
  const res = await fetch(svc.url + path, {
    method,
    headers: {
      ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...extraHeaders,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  const entry: Seen = { what: `${method} ${path}`, status: res.status, headers: JSON.stringify([...res.headers]), body: text };
  seen.push(entry);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { ...entry, json };
}

const admin = (method: string, path: string, body?: unknown) => call(method, path, ADMIN, body);

const integration = (url: string, token?: string) => ({
  enabled: true,
  url,
  ...(token ? { token } : {}),
  companyName: 'ООО «Тестовая организация»',
  ownerName: 'ООО «Тестовая организация»',
  defaultAffectedSystemFunction: 'banking_finance',
  defaultLocation: 'RU-MOW',
  timeoutMs: 1500,
});

const data = {
  category: 'computer_incident',
  type: 'malware_infection',
  affectedSystemName: 'Corporate mail server mail01.example.ru',
  affectedSystemCategory: 'not_cii',
  affectedSystemConnection: true,
};

beforeAll(async () => {
  db = await createTestDatabase();
  sim = await startSimulator();
  // a RuCERT that repeats whatever token it was given in every error it returns
  echo = createServer((req, res) => {
    const token = String(req.headers['x-token'] ?? '');
    req.resume();
    req.on('end', () => {
      const status = req.method === 'POST' ? 400 : 401;
      res.writeHead(status, { 'content-type': 'application/json', 'x-echo': token });
      res.end(JSON.stringify({ success: false, message: `token ${token} is not valid here`, error: `x-token=${token}` }));
    });
  });
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', () => r()));
  echoUrl = `http://127.0.0.1:${(echo.address() as { port: number }).port}/api/v2`;
  svc = await startChildService({
    // TRUST_PROXY: the guesser below acts from an address of its own through X-Forwarded-For
    env: {
      DATABASE_URL: db.url,
      DATA_DIR: db.dataDir,
      SECRETS_KEY,
      ADMIN_TOKEN: ADMIN,
      LOG_LEVEL: 'debug',
      RECONCILE_INTERVAL_MS: '500',
      TRUST_PROXY: 'loopback',
    },
  });
});

afterAll(async () => {
  await svc?.kill();
  await sim?.close();
  await new Promise((r) => echo?.close(r));
  await db?.drop();
});

it('runs configuration, tokens, exports and errors end to end', async () => {
  // configuration
  expect((await admin('PUT', '/api/license', { key: demoLicense() })).status).toBe(200);
  expect((await admin('PUT', '/api/integrations/rucert', integration(sim.url, OTHER_RUCERT_TOKEN))).status).toBe(200);
  expect((await admin('POST', '/api/integrations/rucert/check')).json).toMatchObject({ ok: false }); // wrong token
  expect((await admin('PUT', '/api/integrations/rucert', integration(sim.url, RUCERT_TOKEN))).status).toBe(200);
  expect((await admin('POST', '/api/integrations/rucert/check')).json).toMatchObject({ ok: true });
  expect((await admin('GET', '/api/integrations/rucert')).json).toMatchObject({ tokenSet: true });
  expect((await admin('PUT', '/api/integrations/rucert', { ...integration(sim.url), url: 'not a url', token: 'x\r\nInjected: 1' })).status).toBe(400);

  // tokens of every role, one revoked and then used
  for (const role of ['compliance', 'analyst', 'ingest', 'admin']) {
    const created = await admin('POST', '/api/tokens', { name: `leak ${role}`, role });
    expect(created.status).toBe(201);
    apiTokens.set(`leak ${role}`, created.json.token);
    creationAnswers.add(seen[seen.length - 1]);
  }
  const toRevoke = await admin('POST', '/api/tokens', { name: 'leak revoked', role: 'analyst' });
  apiTokens.set('leak revoked', toRevoke.json.token);
  creationAnswers.add(seen[seen.length - 1]);
  await admin('DELETE', `/api/tokens/${toRevoke.json.id}`);
  expect((await call('GET', '/api/incidents', apiTokens.get('leak revoked'))).status).toBe(401);
  await admin('GET', '/api/tokens');
  const analyst = apiTokens.get('leak analyst')!;
  const ingest = apiTokens.get('leak ingest')!;

  // failed authentication of every kind, up to the rate limit (the token prefix is close to a real one)
  // (from an address of their own: the limiter would otherwise shut the rest of this run out too)
  const guesser = { 'x-forwarded-for': '198.51.100.66' };
  for (let i = 0; i < 22; i++) await call('GET', '/api/incidents', `${analyst.slice(0, -4)}${i}xyz`, undefined, guesser);
  expect((await call('GET', '/api/incidents', analyst, undefined, guesser)).status).toBe(429);
  expect((await call('GET', '/api/tokens', analyst)).status).toBe(403);

  const newIncident = async () =>
    (
      await call(
        'POST',
        '/api/incidents',
        ingest,
        { title: 'Leak check', detectedAt: '2026-11-20T08:30:00Z', description: 'EDR alert' },
        { 'x-forwarded-for': '198.51.100.7' },
      )
    ).json.id as string;
  const as = (method: string, path: string, body?: unknown) => call(method, path, analyst, body, { 'x-forwarded-for': '198.51.100.7' });

  // a good export, a preview, validation errors, a second export
  const ok = await newIncident();
  expect((await as('POST', `/api/incidents/${ok}/rucert-export/preview`, { data })).status).toBe(200);
  expect((await as('POST', `/api/incidents/${ok}/rucert-export`, { data: { ...data, category: 'nope', extra: 1 } })).status).toBe(400);
  expect((await as('POST', `/api/incidents/${ok}/rucert-export`, '{"data": {')).status).toBe(400);
  expect((await as('POST', `/api/incidents/${ok}/rucert-export`, { data })).status).toBe(201);
  expect((await as('POST', `/api/incidents/${ok}/rucert-export`, { data })).status).toBe(409);

  // RuCERT rejects, fails with 500 (unknown, then reconciled as absent or found), resets after storing
  for (const mode of ['reject400', 'success_false', 'http500', 'store_then_reset'] as const) {
    const id = await newIncident();
    sim.addFault({ mode });
    expect((await as('POST', `/api/incidents/${id}/rucert-export`, { data })).status).toBe(502);
    await admin('POST', `/api/incidents/${id}/rucert-export/reconcile`);
    await as('GET', `/api/incidents/${id}/rucert-export`);
  }
  const unresolved = await newIncident();
  sim.addFault({ mode: 'http500' });
  await as('POST', `/api/incidents/${unresolved}/rucert-export`, { data });
  await admin('POST', `/api/incidents/${unresolved}/rucert-export/resolve`, { outcome: 'failed', reason: 'checked in the GosSOPKA account' });

  // a RuCERT that echoes the token: rejected export, failed check, messages built from its answers (a new
  // server, so the token is given again: a stored one never follows the URL)
  expect((await admin('PUT', '/api/integrations/rucert', integration(echoUrl, RUCERT_TOKEN))).status).toBe(200);
  expect((await admin('POST', '/api/integrations/rucert/check')).json).toMatchObject({ ok: false });
  const echoed = await newIncident();
  const rejected = await as('POST', `/api/incidents/${echoed}/rucert-export`, { data });
  expect(rejected.status).toBe(502);
  expect((await as('GET', `/api/incidents/${echoed}/rucert-export`)).json.lastError).toBeDefined();

  // unreachable RuCERT
  expect((await admin('PUT', '/api/integrations/rucert', integration('http://127.0.0.1:9/api/v2', RUCERT_TOKEN))).status).toBe(200);
  await admin('POST', '/api/integrations/rucert/check');
  expect((await as('POST', `/api/incidents/${await newIncident()}/rucert-export`, { data })).status).toBe(502);

  // read everything back
  await as('GET', '/api/incidents?limit=1000');
  await admin('GET', '/api/license');
  await admin('GET', '/api/integrations/rucert');
  await call('GET', '/api/docs/openapi.json', undefined);
  const audit = await admin('GET', '/api/audit?limit=1000');
  expect(audit.json.items.length).toBeGreaterThan(20);
});

describe('after the run, no secret appears', () => {
  const secrets = (): Array<[string, string]> => [
    ['the RuCERT token', RUCERT_TOKEN],
    ['the other RuCERT token', OTHER_RUCERT_TOKEN],
    ['the bootstrap admin token', ADMIN],
    ['SECRETS_KEY', SECRETS_KEY],
    ...[...apiTokens].map(([name, secret]): [string, string] => [`API token "${name}"`, secret]),
  ];

  it('was given secrets to look for, and saw answers to search', () => {
    expect(apiTokens.size).toBe(5);
    expect(seen.length).toBeGreaterThan(60);
    expect(svc.output().length).toBeGreaterThan(0);
  });

  it('in any response body or header (except the one answer that hands out a new API token)', () => {
    for (const [name, secret] of secrets()) {
      for (const s of seen) {
        const handedOut = creationAnswers.has(s) && s.body.includes(secret);
        if (handedOut) continue;
        if (s.body.includes(secret) || s.headers.includes(secret)) throw new Error(`${name} leaked in the answer to ${s.what} (${s.status})`);
      }
    }
  });

  it('in the service output (stdout and stderr at LOG_LEVEL=debug)', () => {
    const output = svc.output();
    for (const [name, secret] of secrets()) expect({ name, leaked: output.includes(secret) }).toEqual({ name, leaked: false });
  });

  it('in any audit entry', async () => {
    const audit = await admin('GET', '/api/audit?limit=1000');
    const text = JSON.stringify(audit.json.items);
    for (const [name, secret] of secrets()) expect({ name, leaked: text.includes(secret) }).toEqual({ name, leaked: false });
  });

  it('in the database, in any table (the RuCERT token is encrypted at rest, API tokens hashed)', async () => {
    let dump: string;
    if (testDialect() === 'sqlite') {
      // the database file with its WAL, as bytes
      dump = readdirSync(db.dataDir)
        .filter((f) => f.startsWith('test.sqlite'))
        .map((f) => readFileSync(join(db.dataDir, f)).toString('latin1'))
        .join('\n');
    } else {
      const pg = new PgClient({ connectionString: db.url });
      await pg.connect();
      try {
        const tables = await pg.query("select tablename from pg_tables where schemaname = 'public'");
        const parts: string[] = [];
        for (const { tablename } of tables.rows) parts.push(JSON.stringify((await pg.query(`select t::text as row from "${tablename}" t`)).rows));
        dump = parts.join('\n');
      } finally {
        await pg.end();
      }
    }
    expect(dump.length).toBeGreaterThan(1000);
    for (const [name, secret] of secrets()) expect({ name, leaked: dump.includes(secret) }).toEqual({ name, leaked: false });
  });
});
