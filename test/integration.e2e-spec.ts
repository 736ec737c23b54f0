// The RuCERT integration settings and the connection check over HTTP: write-only token and root CA, the
// defaults checked against the active form, admin only, the check against the simulator and against servers that
// refuse, echo, never answer or are not there. Every response, header, log line and audit record of this file is
// kept and searched at the end for the tokens: "no response, log line or audit record contains the RuCERT token".
import { MikroORM } from '@mikro-orm/core';
import { ConsoleLogger, Logger } from '@nestjs/common';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import request, { type Response } from 'supertest';
import type { RucertSimulator } from '../src/rucert-simulator/simulator';
import { activateFormVersion, createIncident, installLicense, RUCERT_TOKEN, startSimulator } from './support/export-setup';
import { testDialect } from './support/database';
import { startTestApp, type TestApp } from './support/test-app';

type Json = Record<string, any>;

const WRONG_TOKEN = 'rucert-wrong-token-93be0c11d7';
const ROTATED_TOKEN = 'rucert-rotated-token-0a7f44e2c9';
const SECRETS = [RUCERT_TOKEN, WRONG_TOKEN, ROTATED_TOKEN];
const ROOT_CA = rootCertificates[0];
const ROOT_CA_BODY = ROOT_CA.split('\n')[1]; // a line of base64 that only the PEM contains

let t: TestApp;
let sim: RucertSimulator;
const servers: Array<HttpServer | NetServer> = [];
const hanging: Socket[] = [];

// ---- everything the service said, for the search at the end ---------------------------------------------------
const responses: string[] = [];
const output: string[] = [];
const keep = (res: Response) => {
  responses.push(`${res.status} ${JSON.stringify(res.headers)}\n${res.text}`);
  return res;
};
const captureWrites = (stream: NodeJS.WriteStream) => {
  const original = stream.write.bind(stream);
  return jest.spyOn(stream, 'write').mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
    output.push(Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk));
    return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof stream.write);
};

const as = (token: string) => ({
  get: async (path: string) => keep(await request(t.http).get(path).auth(token, { type: 'bearer' })),
  put: async (path: string, body: unknown) =>
    keep(
      await request(t.http)
        .put(path)
        .auth(token, { type: 'bearer' })
        .send(body as object),
    ),
  post: async (path: string, body?: unknown) =>
    keep(
      await request(t.http)
        .post(path)
        .auth(token, { type: 'bearer' })
        .send(body as object),
    ),
});
const admin = () => as(t.adminToken);
const getSettings = () => admin().get('/api/integrations/rucert');
const putSettings = (body: Json) => admin().put('/api/integrations/rucert', body);
const check = () => admin().post('/api/integrations/rucert/check');

const settings = (over: Json = {}): Json => ({
  enabled: true,
  url: sim.url,
  companyName: 'ООО «Тестовая организация»',
  ownerName: 'ООО «Тестовая организация»',
  defaultAffectedSystemFunction: 'banking_finance',
  defaultLocation: 'RU-MOW',
  timeoutMs: 2000,
  ...over,
});
const without = (o: Json, key: string) => Object.fromEntries(Object.entries(o).filter(([k]) => k !== key));

/** The sealed columns as stored, read straight from the database. */
async function storedRow(): Promise<{ token_sealed: string | null; root_ca_sealed: string | null }> {
  const orm = t.app.get(MikroORM);
  const rows = await orm.em.fork().getConnection().execute('select token_sealed, root_ca_sealed from integration_settings');
  expect(rows).toHaveLength(1);
  return rows[0];
}

async function listen<S extends HttpServer | NetServer>(server: S): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  captureWrites(process.stdout);
  captureWrites(process.stderr);
  t = await startTestApp({ RECONCILE_INTERVAL_MS: '3600000' });
  // every level, so that a debug or log line carrying a token would be caught too
  t.app.useLogger(new ConsoleLogger('rucert-export', { logLevels: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] }));
  sim = await startSimulator();
  await activateFormVersion(t, 1); // its exports use version 1's data
});
afterAll(async () => {
  jest.restoreAllMocks();
  for (const socket of hanging) socket.destroy();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  await sim?.close();
  await t?.close();
});

describe('before the integration is configured', () => {
  it('shows it as not configured', async () => {
    const res = await getSettings();
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      configured: false,
      enabled: false,
      url: null,
      companyName: null,
      mssp: false,
      defaultAffectedSystemFunction: null,
      syncIntervalMs: 300000,
      inboundEnabled: false,
      rootCaSet: false,
      tokenSet: false,
    });
  });

  it('answers the connection check with 409 integration_not_configured', async () => {
    const res = await check();
    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 409, code: 'integration_not_configured', title: 'Integration not configured' });
  });

  it('requires a token the first time, naming /token, and stores nothing', async () => {
    const res = await putSettings(settings());
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(res.body.errors).toEqual([{ path: '/token', keyword: 'required', message: 'is required: no token is stored yet' }]);
    expect((await getSettings()).body.configured).toBe(false);
  });
});

describe('saving the settings', () => {
  let sealed: string;

  it('stores them with the token and never returns it', async () => {
    const res = await putSettings(settings({ token: RUCERT_TOKEN }));
    expect(res.status).toBe(200);
    const expected = {
      configured: true,
      enabled: true,
      url: sim.url,
      companyName: 'ООО «Тестовая организация»',
      mssp: false,
      ownerName: 'ООО «Тестовая организация»',
      defaultAffectedSystemFunction: 'banking_finance',
      defaultLocation: 'RU-MOW',
      timeoutMs: 2000,
      syncIntervalMs: 300000,
      inboundEnabled: false,
      rootCaSet: false,
      tokenSet: true,
      updatedAt: expect.any(String),
      updatedBy: expect.any(String),
    };
    expect(res.body).toEqual(expected);
    expect((await getSettings()).body).toEqual(expected);
  });

  it('stores the NCIRCC contract settings: MSSP, asset owner, detection tool, personal-data operator, synchronisation', async () => {
    const operator = { name: 'АО «Ромашка»', inn: '7707083893', address: 'Москва, ул. Ленина, 1', email: 'dpo@example.ru' };
    const res = await putSettings(settings({ mssp: true, detectionTool: 'KUMA 3.2', operator, syncIntervalMs: 600000, inboundEnabled: true }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ mssp: true, detectionTool: 'KUMA 3.2', operator, syncIntervalMs: 600000, inboundEnabled: true, tokenSet: true });
    const bad = await putSettings(settings({ syncIntervalMs: 59999, operator: { ...operator, inn: '12345' } }));
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: Json) => e.path).sort()).toEqual(['/operator/inn', '/syncIntervalMs']);
    expect((await putSettings(settings())).body).toMatchObject({ mssp: false, syncIntervalMs: 300000, inboundEnabled: false });
    expect((await getSettings()).body).not.toHaveProperty('operator');
  });

  it('encrypts the token at rest', async () => {
    const row = await storedRow();
    expect(row.token_sealed).toEqual(expect.any(String));
    sealed = row.token_sealed!;
    for (const form of [
      RUCERT_TOKEN,
      Buffer.from(RUCERT_TOKEN).toString('base64'),
      Buffer.from(RUCERT_TOKEN).toString('base64url'),
      Buffer.from(RUCERT_TOKEN).toString('hex'),
    ]) {
      expect(sealed).not.toContain(form);
    }
    if (testDialect() === 'sqlite') {
      // the database file, its journal and WAL: the token appears in none of them
      for (const file of readdirSync(t.db.dataDir)) {
        expect(readFileSync(join(t.db.dataDir, file)).includes(Buffer.from(RUCERT_TOKEN))).toBe(false);
      }
    }
  });

  it('passes the connection check against the simulator, which checks the token', async () => {
    const res = await check();
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, status: 200, message: expect.stringContaining('the token was accepted') });
    expect(sim.requests()['GET /incidents']).toBeGreaterThanOrEqual(1);
  });

  it('keeps the stored token when a PUT omits it', async () => {
    const res = await putSettings(settings({ companyName: 'АО «Другая организация»' }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ companyName: 'АО «Другая организация»', tokenSet: true });
    expect((await storedRow()).token_sealed).toBe(sealed);
    expect((await check()).body).toMatchObject({ ok: true, status: 200 });
  });

  it('replaces the token when a PUT gives one', async () => {
    const res = await putSettings(settings({ token: ROTATED_TOKEN }));
    expect(res.body.tokenSet).toBe(true);
    expect((await storedRow()).token_sealed).not.toBe(sealed);
    // the simulator only knows RUCERT_TOKEN: the new token is the one sent
    expect((await check()).body).toMatchObject({ ok: false, status: 401 });
    await putSettings(settings({ token: RUCERT_TOKEN }));
    expect((await check()).body.ok).toBe(true);
  });

  it('sets, keeps and clears the root CA, never returning it', async () => {
    const set = await putSettings(settings({ rootCa: ROOT_CA }));
    expect(set.status).toBe(200);
    expect(set.body.rootCaSet).toBe(true);
    expect(set.text).not.toContain(ROOT_CA_BODY);
    const row = await storedRow();
    expect(row.root_ca_sealed).toEqual(expect.any(String));
    expect(row.root_ca_sealed).not.toContain(ROOT_CA_BODY);

    const kept = await putSettings(settings());
    expect(kept.body.rootCaSet).toBe(true);
    expect((await check()).body.ok).toBe(true);

    const cleared = await putSettings(settings({ rootCa: null }));
    expect(cleared.status).toBe(200);
    expect(cleared.body.rootCaSet).toBe(false);
    expect((await storedRow()).root_ca_sealed).toBeNull();
    expect((await getSettings()).body.rootCaSet).toBe(false);
  });

  it.each([
    ['base64 that is no certificate', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----'],
    ['a certificate cut short', ROOT_CA.slice(0, 300) + '\n-----END CERTIFICATE-----'],
    ['a certificate with its DER header overwritten', ROOT_CA.replace('MII', 'AAA')],
  ])('refuses a root CA that is PEM-shaped but %s at PUT, naming /rootCa', async (_what, rootCa) => {
    const before = (await getSettings()).body;
    const res = await putSettings(settings({ rootCa }));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'validation_failed' });
    expect(res.body.errors).toEqual([{ path: '/rootCa', keyword: 'format', message: 'must be one or more PEM certificates that parse' }]);
    expect((await getSettings()).body).toEqual(before);
    expect((await check()).body.ok).toBe(true);
  });

  it('drops defaultLocation and timeoutMs when a PUT omits them', async () => {
    const res = await putSettings(without(without(settings(), 'defaultLocation'), 'timeoutMs'));
    expect(res.status).toBe(200);
    expect(res.body).not.toHaveProperty('defaultLocation');
    expect(res.body).not.toHaveProperty('timeoutMs');
    expect((await putSettings(settings())).body).toMatchObject({ defaultLocation: 'RU-MOW', timeoutMs: 2000 });
  });
});

describe('a stored token never follows the URL to another origin', () => {
  // a server that records every x-token it is sent: where the stored token must never arrive
  const received: string[] = [];
  let port: number;
  beforeAll(async () => {
    port = await listen(
      createHttpServer((req, res) => {
        received.push(String(req.headers['x-token']));
        res.writeHead(401).end();
      }),
    );
    expect((await putSettings(settings({ token: RUCERT_TOKEN }))).status).toBe(200);
  });
  afterAll(async () => {
    expect((await putSettings(settings({ token: RUCERT_TOKEN }))).status).toBe(200);
  });

  it.each([
    ['another host', () => `http://localhost:${port}/api/v2`],
    ['another port', () => `http://127.0.0.1:${port}/api/v2`],
    ['another scheme', () => sim.url.replace(/^http:/, 'https:')],
  ])('refuses a PUT that moves the URL to %s without the token, naming /token, and changes nothing', async (_what, url) => {
    const before = (await getSettings()).body;
    const res = await putSettings(settings({ url: url() }));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'validation_failed', status: 400 });
    expect(res.body.errors).toEqual([
      { path: '/token', keyword: 'required', message: 'is required again when the URL moves to another server (scheme, host or port)' },
    ]);
    expect((await getSettings()).body).toEqual(before);
    expect((await check()).body).toMatchObject({ ok: true, status: 200 });
    expect(received).toEqual([]);
  });

  it('says so in Russian too', async () => {
    const res = await request(t.http)
      .put('/api/integrations/rucert')
      .auth(t.adminToken, { type: 'bearer' })
      .set('Accept-Language', 'ru')
      .send(settings({ url: `http://127.0.0.1:${port}/api/v2` }));
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ path: '/token', message: expect.stringMatching(/обязательное поле/) });
  });

  it('keeps the token when the URL stays on the same origin', async () => {
    const res = await putSettings(settings({ url: `${sim.origin}/api/v2/` }));
    expect(res.status).toBe(200);
    expect(res.body.tokenSet).toBe(true);
    expect((await check()).body).toMatchObject({ ok: true, status: 200 });
  });

  it('moves with a token given in the same request, and sends only that token there', async () => {
    const res = await putSettings(settings({ url: `http://127.0.0.1:${port}/api/v2`, token: WRONG_TOKEN }));
    expect(res.status).toBe(200);
    expect((await check()).body).toMatchObject({ ok: false, status: 401 });
    expect(received).toEqual([WRONG_TOKEN]);
  });
});

describe('settings that are refused, changing nothing', () => {
  let before: Json;
  beforeAll(async () => {
    before = (await getSettings()).body;
  });
  afterEach(async () => {
    expect((await getSettings()).body).toEqual(before);
  });

  it('a business sector the active form does not offer, naming /defaultAffectedSystemFunction', async () => {
    const res = await putSettings(settings({ defaultAffectedSystemFunction: 'retail', token: WRONG_TOKEN }));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'validation_failed', status: 400 });
    expect(res.body.errors).toEqual([
      { path: '/defaultAffectedSystemFunction', keyword: 'enum', message: 'must be a value of the field affectedSystemFunction of the active form version' },
    ]);
  });

  it('a location the active form does not offer, naming /defaultLocation', async () => {
    const res = await putSettings(settings({ defaultLocation: 'RU-XX' }));
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { path: '/defaultLocation', keyword: 'enum', message: 'must be a value of the field location of the active form version' },
    ]);
  });

  it('every such problem at once, listing each', async () => {
    const res = await putSettings(
      settings({ url: 'https://lk.cert.gov.ru/api/v2#x', token: 'with space', defaultAffectedSystemFunction: 'retail', defaultLocation: 'Moscow' }),
    );
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: Json) => e.path).sort()).toEqual(['/defaultAffectedSystemFunction', '/defaultLocation', '/token', '/url']);
    expect(res.text).not.toContain('with space');
  });

  it.each([
    ['a URL that is not http(s)', { url: 'ftp://lk.cert.gov.ru/api/v2' }, '/url'],
    ['a timeout below 100 ms', { timeoutMs: 50 }, '/timeoutMs'],
    ['an empty token', { token: '' }, '/token'],
    ['a root CA that is not PEM', { rootCa: 'not a certificate' }, '/rootCa'],
    ['an unknown field', { password: 'x' }, '/password'],
    ['a URL carrying credentials', { url: 'https://soc:secret@lk.cert.gov.ru/api/v2' }, '/url'],
    ['a URL carrying a query', { url: 'https://lk.cert.gov.ru/api/v2?token=abc' }, '/url'],
    ['a token with a space', { token: 'two words' }, '/token'],
    ['a token in Cyrillic', { token: 'токен' }, '/token'],
  ])('%s, naming the field', async (_what, over, path) => {
    const res = await putSettings(settings(over));
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.errors.map((e: Json) => e.path)).toContain(path);
  });

  it('a request without the required fields, naming each', async () => {
    const res = await putSettings({ token: WRONG_TOKEN });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: Json) => e.path).sort()).toEqual(['/companyName', '/defaultAffectedSystemFunction', '/enabled', '/url']);
  });
});

describe('defaults against a form that shares its enumerations through local $refs', () => {
  afterAll(async () => {
    const back = await as(await t.tokenFor('compliance')).post('/api/forms/rucert-export/versions/1/activate');
    expect(back.status).toBe(200);
  });

  it('checks the defaults through the $ref: a valid one is saved, an unknown one named', async () => {
    const compliance = await t.tokenFor('compliance');
    const v1 = (await as(compliance).get('/api/forms/rucert-export/versions/1')).body;
    const schema = JSON.parse(JSON.stringify(v1.schema));
    const { 'x-rucert': wire, ...sector } = schema.properties.affectedSystemFunction;
    const { 'x-rucert': locationWire, ...region } = schema.properties.location;
    schema.definitions = { sector, region };
    schema.properties.affectedSystemFunction = { $ref: '#/definitions/sector', 'x-rucert': wire };
    schema.properties.location = { $ref: '#/definitions/region', 'x-rucert': locationWire };
    const published = await as(compliance).post('/api/forms/rucert-export/versions', {
      schema,
      uiSchema: v1.uiSchema,
      samples: v1.samples,
      notes: 'enumerations as definitions',
    });
    expect(published.status).toBe(201);

    const ok = await putSettings(settings({ defaultAffectedSystemFunction: 'healthcare', defaultLocation: 'RU-SPE' }));
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ defaultAffectedSystemFunction: 'healthcare', defaultLocation: 'RU-SPE' });
    const bad = await putSettings(settings({ defaultAffectedSystemFunction: 'retail', defaultLocation: 'RU-XX' }));
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: Json) => e.path).sort()).toEqual(['/defaultAffectedSystemFunction', '/defaultLocation']);
    expect((await putSettings(settings())).status).toBe(200);
  });
});

describe('admin only', () => {
  it.each(['analyst', 'compliance', 'ingest'] as const)('forbids %s to read, change or check the integration with 403', async (role) => {
    const token = await t.tokenFor(role);
    for (const res of [
      await as(token).get('/api/integrations/rucert'),
      await as(token).put('/api/integrations/rucert', settings({ token: WRONG_TOKEN })),
      await as(token).post('/api/integrations/rucert/check'),
    ]) {
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ status: 403, code: 'forbidden' });
    }
    expect((await check()).body.ok).toBe(true);
  });
});

describe('the connection check reports clear failures', () => {
  afterAll(async () => {
    expect((await putSettings(settings({ token: RUCERT_TOKEN }))).status).toBe(200);
  });

  it('a wrong token: ok false with status 401', async () => {
    await putSettings(settings({ token: WRONG_TOKEN }));
    const res = await check();
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: false, status: 401, message: 'RuCERT refused the token (HTTP 401): check the token in the integration settings' });
    await putSettings(settings({ token: RUCERT_TOKEN }));
  });

  it('a URL without the API prefix: ok false, pointing at the URL', async () => {
    await putSettings(settings({ url: sim.origin }));
    const res = await check();
    expect(res.body).toMatchObject({ ok: false, status: 404 });
    expect(res.body.message).toMatch(/check the URL/);
  });

  it('a closed port: ok false, connection refused', async () => {
    const port = await freePort();
    await putSettings(settings({ url: `http://127.0.0.1:${port}/api/v2`, token: RUCERT_TOKEN }));
    const res = await check();
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: false, message: `cannot connect to RuCERT at 127.0.0.1:${port}: connection refused` });
  });

  it('a server that accepts the connection and never answers: ok false after the timeout', async () => {
    const port = await listen(createNetServer((socket) => hanging.push(socket)));
    await putSettings(settings({ url: `http://127.0.0.1:${port}/api/v2`, timeoutMs: 300, token: RUCERT_TOKEN }));
    const started = Date.now();
    const res = await check();
    const elapsed = Date.now() - started;
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: false, message: `RuCERT at 127.0.0.1:${port} did not answer within 300 ms` });
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(3000);
    expect(hanging.length).toBeGreaterThanOrEqual(1);
  });

  it('a server that echoes the token in its refusal: the token is not repeated', async () => {
    const port = await listen(
      createHttpServer((req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ success: false, message: `token ${String(req.headers['x-token'])} is not registered` }));
      }),
    );
    await putSettings(settings({ url: `http://127.0.0.1:${port}/api/v2`, token: WRONG_TOKEN }));
    const res = await check();
    // what the server said is not repeated at all: it may not be RuCERT
    expect(res.body).toEqual({ ok: false, status: 200, message: 'RuCERT refused the request (success: false)' });
  });

  it.each([
    ['a JSON refusal with 403', 403, { message: 'SECRET-BANNER internal admin console v2.3' }],
    ['a JSON error with 500', 500, { error: 'SECRET-BANNER stack at db01.internal:5432' }],
    ['a JSON answer with 404', 404, { message: 'SECRET-BANNER no route /api/v2/incidents' }],
    ['success: false with 200', 200, { success: false, message: 'SECRET-BANNER redis 6.2 ready' }],
  ])('%s from a server that may not be RuCERT: the outcome and status only, never its text (point 4)', async (_what, status, body) => {
    const port = await listen(
      createHttpServer((_req, res) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(body));
      }),
    );
    expect((await putSettings(settings({ url: `http://127.0.0.1:${port}/api/v2`, token: RUCERT_TOKEN }))).status).toBe(200);
    const res = await check();
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: false, status, message: expect.any(String) });
    expect(res.text).not.toContain('SECRET-BANNER');
  });

  it('a server that answers something other than RuCERT', async () => {
    const port = await listen(
      createHttpServer((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ hello: 'world' }));
      }),
    );
    await putSettings(settings({ url: `http://127.0.0.1:${port}`, token: RUCERT_TOKEN }));
    const res = await check();
    expect(res.body).toMatchObject({ ok: false, status: 200 });
    expect(res.body.message).toMatch(/not with a RuCERT incident list/);
  });

  it('still checks while the integration is disabled, though exports are refused', async () => {
    await installLicense(t);
    await putSettings(settings({ enabled: false, token: RUCERT_TOKEN }));
    expect((await check()).body).toMatchObject({ ok: true, status: 200 });
    const { id } = await createIncident(t);
    const res = await as(await t.tokenFor('analyst')).post(`/api/incidents/${id}/rucert-export`, {
      data: { category: 'computer_incident', type: 'malware_infection', affectedSystemName: 'mail01', affectedSystemCategory: 'not_cii' },
    });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('integration_not_configured');
  });
});

describe('the token stays secret', () => {
  const data = { category: 'computer_incident', type: 'malware_infection', affectedSystemName: 'mail01', affectedSystemCategory: 'not_cii' };

  it('exports with the stored token, and a rejected export with a wrong token reports no token', async () => {
    await installLicense(t);
    const analyst = await t.tokenFor('analyst');
    await putSettings(settings({ token: RUCERT_TOKEN }));
    const ok = await as(analyst).post(`/api/incidents/${(await createIncident(t)).id}/rucert-export`, { data });
    expect(ok.status).toBe(201);
    expect(sim.received().at(-1)!.body).toMatchObject({ owner_name: 'ООО «Тестовая организация»' });

    await putSettings(settings({ token: WRONG_TOKEN }));
    const { id } = await createIncident(t);
    const refused = await as(analyst).post(`/api/incidents/${id}/rucert-export`, { data });
    expect(refused.status).toBe(502);
    expect(refused.body.code).toBe('rucert_rejected');
    const status = await as(analyst).get(`/api/incidents/${id}/rucert-export`);
    expect(status.body.state).toBe('failed');
    await putSettings(settings({ token: RUCERT_TOKEN }));
  });

  it('appears in no response, header, log line or audit record of this file', async () => {
    const audit = await admin().get('/api/audit?limit=500');
    expect(audit.status).toBe(200);
    expect(audit.body.items.map((e: Json) => e.action)).toEqual(expect.arrayContaining(['integration.updated', 'export.attempted']));
    expect(audit.body.total).toBeLessThanOrEqual(500);
    // the search would be worthless if nothing could be captured: a line through Nest's Logger, as the app's
    // services log, must land in the captured output
    expect(responses.length).toBeGreaterThan(50);
    new Logger('CaptureProbe').debug('capture probe 7f3a');
    expect(output.join('')).toContain('capture probe 7f3a');
    const everything = [...responses, ...output];
    for (const secret of [...SECRETS, ROOT_CA_BODY]) {
      const leaks = everything.filter((text) => text.includes(secret));
      expect(leaks).toEqual([]);
    }
  });
});
