// Files go to NCIRCC streamed, never held whole: the service process's peak memory (VmHWM, read from /proc) does not
// grow by the size of a 49 MB file it attaches, nor of a 120 MB one it refuses with 413. (It does grow by some tens
// of MB: the garbage collector frees the passing chunks in its own time; holding a file would cost its whole size.)
// The file is sent from disk, so the test process does not hold it either.
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { RucertSimulator } from '../../src/rucert-simulator/simulator';
import { startChildService, type ChildService } from '../support/child-service';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { configureIntegration, createIncident, installLicense, startSimulator } from '../support/export-setup';

jest.setTimeout(180_000);

const ADMIN = 'files-admin-token-0123456789abcdef';
const MB = 1024 * 1024;
let db: TestDatabase;
let sim: RucertSimulator;
let service: ChildService;
let dir: string;
let incidentId: string;

/** Peak resident memory of a process so far, in bytes. */
function peakRss(pid: number): number {
  const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(kb![1]) * 1024;
}

/** A file of `size` random-ish bytes on disk, written in 1 MB pieces. */
function bigFile(name: string, size: number): string {
  const path = join(dir, name);
  const fd = openSync(path, 'w');
  const piece = randomBytes(MB);
  for (let written = 0; written < size; written += MB) writeSync(fd, piece, 0, Math.min(MB, size - written));
  closeSync(fd);
  return path;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rucert-files-'));
  db = await createTestDatabase('sqlite');
  sim = await startSimulator();
  service = await startChildService({
    env: { DATABASE_URL: db.url, DATA_DIR: db.dataDir, SECRETS_KEY: randomBytes(32).toString('base64'), ADMIN_TOKEN: ADMIN, LOG_LEVEL: 'warn' },
  });
  const target = { http: service.url, adminToken: ADMIN };
  await installLicense(target);
  await configureIntegration(target, sim, { timeoutMs: 30_000 });
  await request(service.url).post('/api/forms/rucert-export/versions/1/activate').auth(ADMIN, { type: 'bearer' });
  incidentId = (await createIncident(target)).id;
  const exported = await request(service.url)
    .post(`/api/incidents/${incidentId}/rucert-export`)
    .auth(ADMIN, { type: 'bearer' })
    .send({
      formVersion: 1,
      data: { category: 'computer_incident', type: 'malware_infection', affectedSystemName: 'mail01', affectedSystemCategory: 'not_cii' },
    });
  expect(exported.status).toBe(201);
  // a first small upload, so the code paths and buffers of an upload are warm before anything is measured
  const warm = await request(service.url)
    .post(`/api/incidents/${incidentId}/ncircc/files`)
    .auth(ADMIN, { type: 'bearer' })
    .attach('file', bigFile('warm.bin', 4 * MB));
  expect(warm.status).toBe(201);
});

afterAll(async () => {
  await service?.kill('SIGTERM');
  await sim?.close();
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

it('refuses a 51 MB file with 413 file_too_large and keeps nothing', async () => {
  const res = await request(service.url)
    .post(`/api/incidents/${incidentId}/ncircc/files`)
    .auth(ADMIN, { type: 'bearer' })
    .attach('file', bigFile('too-big.bin', 51 * MB));
  expect(res.status).toBe(413);
  expect(res.body).toMatchObject({ code: 'file_too_large', status: 413 });
  expect(sim.files().filter((f) => f.filename === 'too-big.bin')).toHaveLength(0);
});

it('does not grow by the size of a 120 MB file it refuses', async () => {
  const path = bigFile('much-too-big.bin', 120 * MB);
  const before = peakRss(service.pid);
  const res = await request(service.url).post(`/api/incidents/${incidentId}/ncircc/files`).auth(ADMIN, { type: 'bearer' }).attach('file', path);
  expect(res.status).toBe(413);
  expect(peakRss(service.pid) - before).toBeLessThan(51 * MB);
});

it('attaches a 49 MB file streamed to NCIRCC, the same bytes arriving, without growing by its size', async () => {
  const path = bigFile('evidence.bin', 49 * MB);
  const before = peakRss(service.pid);
  const res = await request(service.url).post(`/api/incidents/${incidentId}/ncircc/files`).auth(ADMIN, { type: 'bearer' }).attach('file', path);
  expect(res.status).toBe(201);
  expect(peakRss(service.pid) - before).toBeLessThan(49 * MB);
  const [stored] = sim.files().filter((f) => f.filename === 'evidence.bin');
  expect(stored).toMatchObject({ filename: 'evidence.bin', size: 49 * MB, sha256: res.body.attachment.sha256 });
});
