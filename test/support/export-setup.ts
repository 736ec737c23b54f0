// What an export needs around the app: a RuCERT simulator over real HTTP, a license with the GosSOPKA module
// signed by the demo vendor key, integration settings pointing at the simulator, and incidents to export.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { signLicenseKey } from '../../src/license/license-key';
import { startRucertSimulator, type RucertSimulator, type SimulatorOptions } from '../../src/rucert-simulator/simulator';
import type { TestApp } from './test-app';

/** An in-process test app or a service running as a child process (supertest takes its URL). */
export type ApiTarget = Pick<TestApp, 'http' | 'adminToken'> | { http: string; adminToken: string };

export const RUCERT_TOKEN = 'rucert-org-token-5f0c1e9a7b3d';

/** A computer incident under version 1's rules (activateFormVersion(t, 1)), every field that applies filled. */
export const COMPUTER_INCIDENT_V1 = {
  category: 'computer_incident',
  type: 'account_compromise',
  affectedSystemName: 'Corporate mail server mail01.example.ru',
  affectedSystemCategory: 'cii_category_2',
  affectedSystemConnection: true,
  assistanceRequired: true,
  detectionTool: 'KUMA',
  incidentEndTime: '2026-11-21T10:15:00+03:00',
  availabilityImpact: 'high',
  integrityImpact: 'low',
  confidentialityImpact: 'none',
  customImpact: 'Mail delivery stopped for two hours',
  city: 'Москва',
};
const DEMO_PRIVATE_KEY = readFileSync(join(__dirname, '..', '..', 'keys', 'license-demo.private.pem'), 'utf8');
const DAY = 24 * 60 * 60 * 1000;

export function demoLicense(over: { modules?: string[]; customer?: string; validFrom?: Date; validUntil?: Date; privateKeyPem?: string } = {}): string {
  return signLicenseKey(
    {
      licenseId: 'LIC-TEST-1',
      customer: over.customer ?? 'ООО «Тестовая организация»',
      modules: over.modules ?? ['gossopka', 'siem'],
      validFrom: over.validFrom ?? new Date(Date.now() - DAY),
      validUntil: over.validUntil ?? new Date(Date.now() + 365 * DAY),
    },
    over.privateKeyPem ?? DEMO_PRIVATE_KEY,
  );
}

/** The NCIRCC emulator, profile 1.1.2 (today's API) unless told otherwise; 1.0 takes version 1's vocabulary. */
export const startSimulator = (options: Partial<SimulatorOptions> = {}) =>
  startRucertSimulator({ port: 0, token: RUCERT_TOKEN, prefix: '/api/v2', ...options });

export async function installLicense(t: ApiTarget, key = demoLicense()) {
  const res = await request(t.http).put('/api/license').auth(t.adminToken, { type: 'bearer' }).send({ key });
  if (res.status !== 200) throw new Error(`license install failed: ${res.status} ${res.text}`);
  return res.body;
}

export async function configureIntegration(t: ApiTarget, sim: Pick<RucertSimulator, 'url'>, over: Record<string, unknown> = {}) {
  const res = await request(t.http)
    .put('/api/integrations/rucert')
    .auth(t.adminToken, { type: 'bearer' })
    .send({
      enabled: true,
      url: sim.url,
      token: RUCERT_TOKEN,
      companyName: 'ООО «Тестовая организация»',
      ownerName: 'ООО «Тестовая организация»',
      detectionTool: 'KUMA 3.2',
      defaultAffectedSystemFunction: 'banking_finance',
      defaultLocation: 'RU-MOW',
      timeoutMs: 2000,
      ...over,
    });
  if (res.status !== 200) throw new Error(`integration setup failed: ${res.status} ${res.text}`);
  return res.body;
}

export async function createIncident(t: ApiTarget, over: Record<string, unknown> = {}): Promise<{ id: string } & Record<string, unknown>> {
  const res = await request(t.http)
    .post('/api/incidents')
    .auth(t.adminToken, { type: 'bearer' })
    .send({ title: 'Trojan on the mail server', description: 'EDR alert 4711: trojan in a mail attachment', detectedAt: '2026-11-20T08:30:00Z', ...over });
  if (res.status !== 201) throw new Error(`incident creation failed: ${res.status} ${res.text}`);
  return res.body;
}

/** Sets everything up so that an export can go through. */
export async function readyForExport(t: ApiTarget, options: Partial<SimulatorOptions> = {}): Promise<RucertSimulator> {
  const sim = await startSimulator(options);
  await installLicense(t);
  await configureIntegration(t, sim);
  return sim;
}

/**
 * Makes a form version active, as compliance staff would. A fresh install starts with version 2 (today's NCIRCC);
 * suites about version 1's own vocabulary and rules activate it first.
 */
export async function activateFormVersion(t: ApiTarget, version: number): Promise<void> {
  const res = await request(t.http).post(`/api/forms/rucert-export/versions/${version}/activate`).auth(t.adminToken, { type: 'bearer' });
  if (res.status !== 200) throw new Error(`activating version ${version} failed: ${res.status} ${res.text}`);
}
