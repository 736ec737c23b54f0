// The files of a SQLite installation are private to the service's user: the database
// was created world-readable (0644) beside the 0600 secrets key, so any local user could read incidents, audit log
// and the sealed token. The data folder is created 0700, the database 0600 (SQLite gives its -wal and -shm files
// the database's mode).
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/test-app';

const mode = (path: string) => statSync(path).mode & 0o777;

// whatever the run's dialect: DATABASE_URL names a SQLite file
describe('a fresh SQLite installation', () => {
  const root = mkdtempSync(join(tmpdir(), 'rucert-modes-'));
  const dataDir = join(root, 'var', 'data');
  let t: TestApp;

  beforeAll(async () => {
    // DATA_DIR unset: the secrets key goes beside the database, as on a default install
    t = await startTestApp({
      RECONCILE_INTERVAL_MS: '3600000',
      DATABASE_URL: `sqlite:${join(dataDir, 'rucert-export.sqlite')}`,
      DATA_DIR: '',
      SECRETS_KEY: '',
    });
    // a write, so that SQLite has its -wal and -shm files
    expect((await request(t.http).post('/api/tokens').auth(t.adminToken, { type: 'bearer' }).send({ name: 'x', role: 'ingest' })).status).toBe(201);
  });
  afterAll(async () => {
    await t?.app.close();
    await t?.db.drop();
    rmSync(root, { recursive: true, force: true });
  });

  it('creates its data folder 0700, each folder it had to create', () => {
    expect(mode(dataDir).toString(8)).toBe('700');
    expect(mode(join(root, 'var')).toString(8)).toBe('700');
  });

  it('creates the database, its WAL and shared-memory files and the secrets key 0600', () => {
    const files = readdirSync(dataDir).sort();
    expect(files).toEqual(expect.arrayContaining(['rucert-export.sqlite', 'rucert-export.sqlite-wal', 'secrets.key']));
    for (const file of files) expect([file, mode(join(dataDir, file)).toString(8)]).toEqual([file, '600']);
  });
});
