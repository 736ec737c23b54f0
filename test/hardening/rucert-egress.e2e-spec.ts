// The RuCERT URL against the internal network: with RUCERT_ALLOWED_HOSTS set, the
// integration settings may only name those hosts, checked when they are saved and again before every call, so an
// admin token cannot turn the connection check into a scanner of internal addresses. (Without it any host is
// allowed, and the check still never repeats what a server answered: test/integration.e2e-spec.ts.)
import { MikroORM } from '@mikro-orm/core';
import { createServer, type Server } from 'node:http';
import request from 'supertest';
import type { RucertSimulator } from '../../src/rucert-simulator/simulator';
import { createIncident, installLicense, RUCERT_TOKEN, startSimulator } from '../support/export-setup';
import { startTestApp, type TestApp } from '../support/test-app';

type Json = Record<string, any>;

let t: TestApp;
let sim: RucertSimulator;
let internal: Server;
let internalPort: number;
const reached: string[] = [];

const putSettings = (over: Json) =>
  request(t.http)
    .put('/api/integrations/rucert')
    .auth(t.adminToken, { type: 'bearer' })
    .send({ enabled: true, url: sim.url, token: RUCERT_TOKEN, companyName: 'ООО «Тест»', defaultAffectedSystemFunction: 'banking_finance', ...over });
const check = () => request(t.http).post('/api/integrations/rucert/check').auth(t.adminToken, { type: 'bearer' });

beforeAll(async () => {
  t = await startTestApp({ RECONCILE_INTERVAL_MS: '3600000', RUCERT_ALLOWED_HOSTS: '127.0.0.1, *.cert.gov.ru' });
  sim = await startSimulator(); // listens on 127.0.0.1
  // an "internal service" on this machine, reachable as localhost: it must never be contacted
  internal = createServer((req, res) => {
    reached.push(`${req.method} ${req.url}`);
    res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"internal":true}');
  });
  await new Promise<void>((resolve) => internal.listen(0, '127.0.0.1', resolve));
  internalPort = (internal.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((resolve) => internal?.close(resolve));
  await sim?.close();
  await t?.close();
});

it('accepts a URL on an allowed host and checks it', async () => {
  const res = await putSettings({});
  expect(res.status).toBe(200);
  expect((await check()).body).toMatchObject({ ok: true, status: 200 });
});

it('accepts a subdomain of a "*." entry without contacting it', async () => {
  expect((await putSettings({ url: 'https://lk.cert.gov.ru/api/v2' })).status).toBe(200);
  expect((await putSettings({})).status).toBe(200);
});

it.each([
  ['localhost', () => `http://localhost:${internalPort}/api/v2`],
  ['another loopback address', () => `http://127.0.0.2:${internalPort}/`],
  ['the same, spelt in hexadecimal', () => `http://0x7f.0.0.2:${internalPort}/`],
  ['a private address', () => 'http://10.0.0.1/api/v2'],
  ['the cloud metadata address', () => 'http://169.254.169.254/latest/meta-data'],
  ['IPv6 loopback', () => `http://[::1]:${internalPort}/`],
  ['the apex of a "*." entry', () => 'https://cert.gov.ru/api/v2'],
  ['a look-alike suffix', () => 'https://lk.cert.gov.ru.example.net/api/v2'],
])('refuses %s at PUT, naming /url, storing and contacting nothing', async (_what, url) => {
  const before = (await request(t.http).get('/api/integrations/rucert').auth(t.adminToken, { type: 'bearer' })).body;
  const res = await putSettings({ url: url() });
  expect(res.status).toBe(400);
  expect(res.body.code).toBe('validation_failed');
  expect(res.body.errors).toEqual([{ path: '/url', keyword: 'allowedHosts', message: expect.stringContaining('RUCERT_ALLOWED_HOSTS') }]);
  expect((await request(t.http).get('/api/integrations/rucert').auth(t.adminToken, { type: 'bearer' })).body).toEqual(before);
  expect(reached).toEqual([]);
});

it('checks again before every call: a URL stored before the list was set is neither checked nor exported to', async () => {
  await installLicense(t);
  expect((await putSettings({})).status).toBe(200);
  // as if saved while RUCERT_ALLOWED_HOSTS was empty
  await t.app
    .get(MikroORM)
    .em.fork()
    .getConnection()
    .execute('update integration_settings set url = ?', [`http://localhost:${internalPort}/api/v2`]);

  const checked = await check();
  expect(checked.status).toBe(200);
  expect(checked.body).toEqual({ ok: false, message: expect.stringContaining('RUCERT_ALLOWED_HOSTS') });

  const { id } = await createIncident(t);
  const exported = await request(t.http)
    .post(`/api/incidents/${id}/rucert-export`)
    .auth(await t.tokenFor('analyst'), { type: 'bearer' })
    .send({
      data: { category: 'computer_incident', type: 'malware_infection', affectedSystemName: 'mail01', affectedSystemCategory: 'not_cii', location: 'RU-MOW' },
    });
  expect(exported.status).toBe(409);
  expect(exported.body).toMatchObject({ code: 'integration_not_configured', detail: expect.stringContaining('RUCERT_ALLOWED_HOSTS') });
  expect(reached).toEqual([]);
});
