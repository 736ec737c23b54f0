// Each instance keeps the integration settings it last read (the row, its view, the RuCERT client with the token
// unsealed once) and the license claims it last verified, but checks the rows at every use: a change saved by
// another instance sharing the database takes effect at that instance's next preview or export, whatever it kept.
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type { RucertSimulator } from '../src/rucert-simulator/simulator';
import { configureIntegration, createIncident, demoLicense, installLicense, readyForExport, startSimulator } from './support/export-setup';
import { startTestApp, type TestApp } from './support/test-app';

jest.setTimeout(60_000);

const DATA = { category: 'computer_incident', type: 'malware_infection', affectedSystemName: 'mail01', affectedSystemCategory: 'not_cii' };
let a: TestApp;
let b: TestApp;
let first: RucertSimulator;
let second: RucertSimulator;
let analystOfB: string;

beforeAll(async () => {
  const secretsKey = randomBytes(32).toString('base64');
  a = await startTestApp({ SECRETS_KEY: secretsKey, RECONCILE_INTERVAL_MS: '3600000' });
  b = await startTestApp({ SECRETS_KEY: secretsKey, RECONCILE_INTERVAL_MS: '3600000' }, a.db);
  first = await readyForExport(a);
  second = await startSimulator();
  analystOfB = await b.tokenFor('analyst');
});
afterAll(async () => {
  await first?.close();
  await second?.close();
  await b?.app.close(); // the database is a's, dropped by a.close()
  await a?.close();
});

/** An export made through instance b. */
async function exportOnB() {
  const { id } = await createIncident(b);
  return request(b.http).post(`/api/incidents/${id}/rucert-export`).auth(analystOfB, { type: 'bearer' }).send({ data: DATA });
}

it('follows settings saved by another instance at its next export: a new URL and token, then disabled, then enabled again', async () => {
  expect((await exportOnB()).status).toBe(201);
  expect((await exportOnB()).status).toBe(201);
  expect(first.received()).toHaveLength(2);

  await configureIntegration(a, second); // another server (and so the token again)
  expect((await exportOnB()).status).toBe(201);
  expect(first.received()).toHaveLength(2);
  expect(second.received()).toHaveLength(1);

  await configureIntegration(a, second, { enabled: false, token: undefined });
  const refused = await exportOnB();
  expect(refused.status).toBe(409);
  expect(refused.body.code).toBe('integration_not_configured');
  expect(second.received()).toHaveLength(1);

  await configureIntegration(a, second, { token: undefined });
  expect((await exportOnB()).status).toBe(201);
  expect(second.received()).toHaveLength(2);
});

it('sends the token another instance saved in place of the one it used before', async () => {
  await configureIntegration(a, second, { token: 'a-revoked-token-000' });
  const res = await exportOnB();
  expect(res.status).not.toBe(201);
  expect(second.received()).toHaveLength(2); // refused by NCIRCC: the new token went, not the one b had kept
  await configureIntegration(a, second);
  expect((await exportOnB()).status).toBe(201);
});

it('follows a license another instance installed at its next preview and export: without the GosSOPKA module, then with it', async () => {
  const { id } = await createIncident(b);
  const preview = () => request(b.http).post(`/api/incidents/${id}/rucert-export/preview`).auth(analystOfB, { type: 'bearer' }).send({ data: DATA });
  expect((await preview()).status).toBe(200); // b has verified and kept the installed key

  await installLicense(a, demoLicense({ modules: ['siem'] }));
  const refused = await preview();
  expect(refused.status).toBe(403);
  expect(refused.body).toMatchObject({ code: 'license_required', detail: expect.stringContaining('module_missing') });
  const sent = second.received().length;
  expect((await exportOnB()).body.code).toBe('license_required');
  expect(second.received()).toHaveLength(sent);

  await installLicense(a);
  expect((await preview()).status).toBe(200);
  expect((await exportOnB()).status).toBe(201);
});

it('shows the same settings on both instances after each save', async () => {
  await configureIntegration(a, second, { detectionTool: 'KUMA 4.0' });
  const viewOnB = (await request(b.http).get('/api/integrations/rucert').auth(b.adminToken, { type: 'bearer' })).body;
  expect(viewOnB).toMatchObject({ url: second.url, detectionTool: 'KUMA 4.0', enabled: true });
});
