// The license through the HTTP API, with keys this file generates: the service is started with our own
// vendor public key (LICENSE_PUBLIC_KEY_FILE), and every license below is signed here. Each kind of key gives the
// state of docs/api.md and, for export, 403 license_required unless it is valid now with the gossopka module.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { generateLicenseKeyPair, signLicenseKey, type LicenseClaims } from '../src/license/license-key';
import type { RucertSimulator } from '../src/rucert-simulator/simulator';
import { configureIntegration, createIncident, demoLicense, startSimulator } from './support/export-setup';
import { startTestApp, type TestApp } from './support/test-app';

type Json = Record<string, any>;

const DAY = 24 * 60 * 60 * 1000;
const vendor = generateLicenseKeyPair();
const stranger = generateLicenseKeyPair();
const keyDir = mkdtempSync(join(tmpdir(), 'license-e2e-'));
const publicKeyFile = join(keyDir, 'vendor.public.pem');
writeFileSync(publicKeyFile, vendor.publicKeyPem);

// whole seconds: JWS nbf/exp are unix seconds
const seconds = (ms: number) => new Date(Math.floor(ms / 1000) * 1000);
const claims = (over: Partial<LicenseClaims> = {}): LicenseClaims => ({
  licenseId: 'LIC-E2E-1',
  customer: 'АО «Ромашка»',
  modules: ['gossopka', 'siem'],
  validFrom: seconds(Date.now() - DAY),
  validUntil: seconds(Date.now() + 365 * DAY),
  ...over,
});
const issue = (over: Partial<LicenseClaims> = {}, privateKeyPem = vendor.privateKeyPem) => signLicenseKey(claims(over), privateKeyPem);

let t: TestApp;
let sim: RucertSimulator;
let analyst: string;

const DATA = {
  category: 'computer_incident',
  type: 'malware_infection',
  affectedSystemName: 'mail01.example.ru',
  affectedSystemCategory: 'not_cii',
};

const getLicense = (token = t.adminToken) => request(t.http).get('/api/license').auth(token, { type: 'bearer' });
const putLicense = (key: unknown, token = t.adminToken) => request(t.http).put('/api/license').auth(token, { type: 'bearer' }).send({ key });
const exportIncident = async () => {
  const { id } = await createIncident(t);
  return request(t.http).post(`/api/incidents/${id}/rucert-export`).auth(analyst, { type: 'bearer' }).send({ data: DATA });
};
const previewIncident = async () => {
  const { id } = await createIncident(t);
  return request(t.http).post(`/api/incidents/${id}/rucert-export/preview`).auth(analyst, { type: 'bearer' }).send({ data: DATA });
};

async function expectLicenseRequired(state: string) {
  const before = sim.received().length;
  const res = await exportIncident();
  expect(res.status).toBe(403);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status: 403, code: 'license_required', title: 'License required' });
  expect(res.body.detail).toContain(`license state: ${state}`);
  expect(sim.received()).toHaveLength(before);
  const preview = await previewIncident();
  expect(preview.status).toBe(403);
  expect(preview.body.code).toBe('license_required');
}

const viewOf = (c: LicenseClaims, state: string) => ({
  state,
  licenseId: c.licenseId,
  customer: c.customer,
  modules: c.modules,
  validFrom: c.validFrom.toISOString(),
  validUntil: c.validUntil.toISOString(),
  installedAt: expect.any(String),
  installedBy: expect.any(String),
});

beforeAll(async () => {
  t = await startTestApp({ LICENSE_PUBLIC_KEY_FILE: publicKeyFile, RECONCILE_INTERVAL_MS: '3600000' });
  sim = await startSimulator();
  await configureIntegration(t, sim);
  analyst = await t.tokenFor('analyst');
});
afterAll(async () => {
  await sim?.close();
  await t?.close();
  rmSync(keyDir, { recursive: true, force: true });
});

describe('license states', () => {
  it('is missing before any license is installed, and export answers 403 license_required', async () => {
    const res = await getLicense();
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ state: 'missing' });
    await expectLicenseRequired('missing');
  });

  it('shows a valid license as active with customer, modules and validity, and export goes through', async () => {
    const c = claims();
    const res = await putLicense(signLicenseKey(c, vendor.privateKeyPem));
    expect(res.status).toBe(200);
    expect(res.body).toEqual(viewOf(c, 'active'));
    expect((await getLicense()).body).toEqual(viewOf(c, 'active'));

    const before = sim.received().length;
    const exported = await exportIncident();
    expect(exported.status).toBe(201);
    expect(exported.body.state).toBe('exported');
    expect(sim.received()).toHaveLength(before + 1);
  });

  it.each(['analyst', 'compliance', 'ingest'] as const)('lets %s read the license', async (role) => {
    const res = await getLicense(await t.tokenFor(role));
    expect(res.status).toBe(200);
    expect(res.body.state).toBe('active');
  });

  it('accepts a key pasted with surrounding whitespace', async () => {
    const res = await putLicense(`\n  ${issue({ licenseId: 'LIC-E2E-PASTED' })}  \n`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: 'active', licenseId: 'LIC-E2E-PASTED' });
  });
});

describe('keys that are refused: 400 naming /key, and nothing is stored', () => {
  let installed: Json;
  beforeAll(async () => {
    installed = (await putLicense(issue({ licenseId: 'LIC-E2E-GOOD' }))).body;
    expect(installed.state).toBe('active');
  });
  afterEach(async () => {
    // whatever was tried, the previously installed license is still the one in force
    const res = await getLicense();
    expect(res.body).toEqual(installed);
    expect((await previewIncident()).status).toBe(200);
  });

  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const tampered = () => {
    const [header, payload, signature] = issue({ modules: ['siem'] }).split('.');
    const wire = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return `${header}.${b64({ ...wire, modules: ['siem', 'gossopka'], exp: wire.exp + 10 * 365 * 86400 })}.${signature}`;
  };

  it.each([
    ['signed by another key', () => issue({}, stranger.privateKeyPem), /signature does not match the vendor key/],
    ['signed by the demo vendor key the repository ships (not the key this service trusts)', () => demoLicense(), /signature does not match the vendor key/],
    ['with a tampered payload (gossopka added, validity extended)', tampered, /signature does not match the vendor key/],
    [
      'with a tampered signature',
      () => issue().replace(/\.(.)([^.]+)$/, (_m, c, rest) => `.${c === 'A' ? 'B' : 'A'}${rest}`),
      /signature does not match the vendor key/,
    ],
    ['with alg none', () => `${b64({ alg: 'none' })}.${issue().split('.')[1]}.AAAA`, /unsupported algorithm "none"/],
    ['that is a single word', () => 'hello', /not a compact JWS/],
    ['of four parts', () => 'a.b.c.d', /not a compact JWS/],
    ['whose header is not JSON', () => `${Buffer.from('{oops').toString('base64url')}.e30.AAAA`, /header is not base64url-encoded JSON/],
    ['of only whitespace', () => '   ', /the key is empty/],
  ])('refuses a key %s', async (_what, key, reason) => {
    const res = await putLicense(key());
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, code: 'validation_failed', title: 'Validation failed' });
    expect(res.body.detail).toMatch(/^The license key is not valid: /);
    expect(res.body.detail).toMatch(reason);
    expect(res.body.errors).toEqual([{ path: '/key', keyword: 'license', message: expect.stringMatching(reason) }]);
  });

  it.each([
    ['an empty key', { key: '' }, '/key', 'minLength'],
    ['a number', { key: 42 }, '/key', 'type'],
    ['no key', {}, '/key', 'required'],
    ['an unknown field', { key: 'a.b.c', until: '2099-01-01' }, '/until', 'additionalProperties'],
  ])('refuses a body with %s as validation_failed, naming the field', async (_what, body, path, keyword) => {
    const res = await request(t.http).put('/api/license').auth(t.adminToken, { type: 'bearer' }).send(body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.errors).toEqual([{ path, keyword, message: expect.any(String) }]);
  });

  it('refuses a key longer than 16 KiB', async () => {
    const res = await putLicense('a'.repeat(16 * 1024 + 1));
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: '/key', keyword: 'maxLength', message: expect.any(String) }]);
  });

  it.each(['analyst', 'compliance', 'ingest'] as const)('forbids %s to install a license, even a valid one, with 403', async (role) => {
    const res = await putLicense(issue({ licenseId: 'LIC-E2E-SNEAKY' }), await t.tokenFor(role));
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ status: 403, code: 'forbidden' });
  });
});

describe('licenses with a valid signature that do not allow export', () => {
  it('stores an expired license and shows it as expired; export answers 403 license_required', async () => {
    const c = claims({ licenseId: 'LIC-E2E-OLD', validFrom: seconds(Date.now() - 400 * DAY), validUntil: seconds(Date.now() - DAY) });
    const res = await putLicense(signLicenseKey(c, vendor.privateKeyPem));
    expect(res.status).toBe(200);
    expect(res.body).toEqual(viewOf(c, 'expired'));
    expect((await getLicense()).body).toEqual(viewOf(c, 'expired'));
    await expectLicenseRequired('expired');
  });

  it('stores a license that is not valid yet and shows it as not_yet_valid; export answers 403 license_required', async () => {
    const c = claims({ licenseId: 'LIC-E2E-NEXT', validFrom: seconds(Date.now() + 30 * DAY), validUntil: seconds(Date.now() + 400 * DAY) });
    const res = await putLicense(signLicenseKey(c, vendor.privateKeyPem));
    expect(res.status).toBe(200);
    expect(res.body).toEqual(viewOf(c, 'not_yet_valid'));
    expect((await getLicense()).body.state).toBe('not_yet_valid');
    await expectLicenseRequired('not_yet_valid');
  });

  it('shows a license without the gossopka module as active, but export answers 403 license_required', async () => {
    const c = claims({ licenseId: 'LIC-E2E-SIEM', modules: ['siem', 'soar'] });
    const res = await putLicense(signLicenseKey(c, vendor.privateKeyPem));
    expect(res.status).toBe(200);
    expect(res.body).toEqual(viewOf(c, 'active'));
    await expectLicenseRequired('module_missing');
  });

  it('reports license_required among the reasons an incident cannot be exported', async () => {
    const { id } = await createIncident(t);
    const res = await request(t.http).get(`/api/incidents/${id}/rucert-export`).auth(analyst, { type: 'bearer' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ exportable: false, reasons: ['license_required'] });
  });
});

describe('the state is evaluated at each use, not at upload', () => {
  it('turns from active to expired when the validity ends, and export stops', async () => {
    // exp is in whole seconds: the license ends 1 to 2 seconds from now
    const validUntil = new Date((Math.floor(Date.now() / 1000) + 2) * 1000);
    const c = claims({ licenseId: 'LIC-E2E-SHORT', validUntil });
    const res = await putLicense(signLicenseKey(c, vendor.privateKeyPem));
    expect(res.status).toBe(200);
    expect(res.body.state).toBe('active');
    expect((await previewIncident()).status).toBe(200);

    const deadline = Date.now() + 10_000;
    let state = res.body.state as string;
    while (state === 'active' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      state = (await getLicense()).body.state;
    }
    expect(state).toBe('expired');
    expect(Date.now()).toBeGreaterThanOrEqual(validUntil.getTime());
    await expectLicenseRequired('expired');
  });

  it('turns from not_yet_valid to active when the validity starts', async () => {
    const validFrom = new Date((Math.floor(Date.now() / 1000) + 2) * 1000);
    const c = claims({ licenseId: 'LIC-E2E-SOON', validFrom });
    const res = await putLicense(signLicenseKey(c, vendor.privateKeyPem));
    expect(res.body.state).toBe('not_yet_valid');
    expect((await previewIncident()).status).toBe(403);

    const deadline = Date.now() + 10_000;
    let state = res.body.state as string;
    while (state === 'not_yet_valid' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      state = (await getLicense()).body.state;
    }
    expect(state).toBe('active');
    expect((await previewIncident()).status).toBe(200);
  });
});

describe('audit', () => {
  it('records each installed license, and no refused one', async () => {
    const res = await request(t.http).get('/api/audit?limit=500').auth(t.adminToken, { type: 'bearer' });
    const installed = res.body.items.filter((e: Json) => e.action === 'license.installed').map((e: Json) => e.details.licenseId);
    expect(installed).toEqual(expect.arrayContaining(['LIC-E2E-1', 'LIC-E2E-GOOD', 'LIC-E2E-OLD', 'LIC-E2E-NEXT', 'LIC-E2E-SIEM', 'LIC-E2E-SHORT']));
    expect(installed).not.toContain('LIC-E2E-SNEAKY');
    expect(JSON.stringify(res.body)).not.toMatch(/eyJ[A-Za-z0-9_-]+\.eyJ/); // no key itself
  });
});
