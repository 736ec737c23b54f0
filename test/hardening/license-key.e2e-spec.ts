// Which key verifies licenses. The demo key pair ships in keys/ with its private half, so
// anyone can sign a license for it: a default install must not accept those licenses. It verifies with the vendor's
// public key (keys/license-vendor.public.pem, whose private half is not in the repository), only `npm run demo` and
// the tests name the demo key (LICENSE_PUBLIC_KEY_FILE), and the service says at start-up which key is in use, with a
// loud warning for the demo key. Run as operators run it: `node dist/src/main.js` with an environment.
import { execFileSync } from 'node:child_process';
import { createHash, createPublicKey, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { demoLicense } from '../support/export-setup';
import { PROJECT_ROOT, startChildService, type ChildService } from '../support/child-service';

jest.setTimeout(180_000);

const ADMIN = 'license-key-admin-token-0123456789';
const VENDOR_KEY_FILE = join(PROJECT_ROOT, 'keys', 'license-vendor.public.pem');
const DEMO_KEY_FILE = join(PROJECT_ROOT, 'keys', 'license-demo.public.pem');
const fingerprint = (file: string) =>
  'SHA256:' +
  createHash('sha256')
    .update(createPublicKey(readFileSync(file, 'utf8')).export({ type: 'spki', format: 'der' }))
    .digest('base64')
    .replace(/=+$/, '');

const running: ChildService[] = [];
const databases: TestDatabase[] = [];

/** The service on a fresh database; `LICENSE_PUBLIC_KEY_FILE: undefined` leaves the variable unset. */
async function start(env: Record<string, string | undefined>): Promise<ChildService> {
  const db = await createTestDatabase();
  databases.push(db);
  const svc = await startChildService({
    env: { DATABASE_URL: db.url, DATA_DIR: db.dataDir, SECRETS_KEY: randomBytes(32).toString('base64'), ADMIN_TOKEN: ADMIN, ...env },
  });
  running.push(svc);
  return svc;
}

async function putLicense(svc: ChildService, key: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${svc.url}/api/license`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ key }),
  });
  return { status: res.status, body: await res.json() };
}

afterAll(async () => {
  await Promise.all(running.map((svc) => svc.kill()));
  await Promise.all(databases.map((db) => db.drop()));
});

describe('a default install (LICENSE_PUBLIC_KEY_FILE unset)', () => {
  let svc: ChildService;
  beforeAll(async () => {
    svc = await start({ LICENSE_PUBLIC_KEY_FILE: undefined });
  });

  it('refuses a license signed with the demo key, naming /key', async () => {
    const res = await putLicense(svc, demoLicense());
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'validation_failed', errors: [expect.objectContaining({ path: '/key', keyword: 'license' })] });
  });

  it('says at start-up that it verifies with the vendor key, giving its file and fingerprint, and no demo warning', async () => {
    await svc.waitForOutput(/license public key/);
    expect(svc.output()).toContain(`license public key: ${VENDOR_KEY_FILE} (${fingerprint(VENDOR_KEY_FILE)})`);
    expect(svc.output()).not.toMatch(/DEMO/);
  });

  it('ships the vendor public key only: no private key of it is in the repository', () => {
    expect(fingerprint(VENDOR_KEY_FILE)).not.toBe(fingerprint(DEMO_KEY_FILE));
    const tracked = execFileSync('git', ['ls-files', 'keys'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    expect(tracked.split('\n').filter((f) => /private/.test(f))).toEqual(['keys/license-demo.private.pem']);
  });
});

describe('an install that names the demo key', () => {
  let svc: ChildService;
  beforeAll(async () => {
    svc = await start({ LICENSE_PUBLIC_KEY_FILE: DEMO_KEY_FILE });
  });

  it('accepts demo licenses, as npm run demo and the tests need', async () => {
    expect((await putLicense(svc, demoLicense())).status).toBe(200);
  });

  it('warns loudly at start-up that anyone can sign licenses for it', async () => {
    await svc.waitForOutput(/license public key/);
    expect(svc.output()).toContain(`license public key: ${DEMO_KEY_FILE} (${fingerprint(DEMO_KEY_FILE)})`);
    expect(svc.output()).toMatch(/WARN.*THE DEMO LICENSE KEY IS IN USE.*anyone can issue a license/);
  });
});
