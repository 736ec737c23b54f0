// What the NCIRCC specs share: the app on a fresh database, ready for exports under version 1, the NCIRCC emulator
// (API 1.1.2) over real HTTP, and the calls they make. `useNcirccApp()` registers the file's hooks.
import request from 'supertest';
import type { RucertSimulator } from '../../src/rucert-simulator/simulator';
import { createIncident, readyForExport } from '../support/export-setup';
import { startTestApp, type TestApp } from '../support/test-app';

export let t: TestApp;
export let sim: RucertSimulator;
export let analyst: string;

const V1_DATA = { category: 'computer_incident', type: 'malware_infection', affectedSystemName: 'mail01', affectedSystemCategory: 'not_cii', city: 'Тула' };

/** Starts the app and the emulator before the file's tests, clears the emulator's faults after each, stops both. */
export function useNcirccApp(): void {
  beforeAll(async () => {
    t = await startTestApp({ RECONCILE_INTERVAL_MS: '3600000' });
    sim = await readyForExport(t);
    analyst = await t.tokenFor('analyst');
    await as(t.adminToken).post('/api/forms/rucert-export/versions/1/activate');
  });
  afterAll(async () => {
    await sim?.close();
    await t?.close();
  });
  afterEach(() => sim.clearFaults());
}

export const as = (token: string) => ({
  get: (path: string) => request(t.http).get(path).auth(token, { type: 'bearer' }),
  post: (path: string, body?: object) =>
    request(t.http)
      .post(path)
      .auth(token, { type: 'bearer' })
      .send(body ?? {}),
});

export const sync = async () => {
  const res = await as(t.adminToken).post('/api/integrations/rucert/sync');
  expect(res.status).toBe(200);
  return res.body;
};

export const card = async (id: string) => (await as(analyst).get(`/api/incidents/${id}/ncircc`)).body;

/** An incident exported under version 1, and its card's uuid in NCIRCC. */
export async function exported(over: Record<string, unknown> = {}): Promise<{ id: string; uuid: string }> {
  const { id } = await createIncident(t, over);
  const res = await as(analyst).post(`/api/incidents/${id}/rucert-export`, { data: V1_DATA });
  expect(res.status).toBe(201);
  return { id, uuid: res.body.rucert.uuid };
}

/** The outcome of a call can be judged absent only once the call cannot be in flight: the timeout (2 s) + 2 s. */
export function waitForCallBound(): Promise<void> {
  return new Promise((r) => setTimeout(r, 4_200));
}

/** The reconciler's pass over every kind of operation, as the periodic timer runs it. */
export async function reconcile(): Promise<void> {
  const { ReconcilerService } = await import('../../src/outbound/reconciler.service');
  await t.app.get(ReconcilerService).pass();
}
