// Nobody can lock the admins out. Revoking the last live admin token is refused with
// 409 conflict, also when two admins revoke each other at the same moment; and an installation that has no live
// admin token left (revoked before this rule existed, or by hand in the database) takes ADMIN_TOKEN again at the
// next start, or prints a new token once, where it used to ignore ADMIN_TOKEN for ever.
import { MikroORM } from '@mikro-orm/core';
import request from 'supertest';
import { startTestApp, ADMIN_TOKEN, type TestApp } from '../support/test-app';

jest.setTimeout(120_000);

let t: TestApp;
const apps: TestApp[] = [];

const as = (token: string, app = t) => ({
  get: (path: string) => request(app.http).get(path).auth(token, { type: 'bearer' }),
  post: (path: string, body: object) => request(app.http).post(path).auth(token, { type: 'bearer' }).send(body),
  del: (path: string) => request(app.http).delete(path).auth(token, { type: 'bearer' }),
});

async function newAdmin(by: string, name: string): Promise<{ id: string; token: string }> {
  const res = await as(by).post('/api/tokens', { name, role: 'admin' });
  expect(res.status).toBe(201);
  return res.body;
}

async function liveAdmins(app = t): Promise<number> {
  const rows = await app.app
    .get(MikroORM)
    .em.fork()
    .getConnection()
    .execute("select count(*) as n from api_tokens where role = 'admin' and revoked_at is null");
  return Number(rows[0].n);
}

const bootstrapId = async (by = ADMIN_TOKEN) => (await as(by).get('/api/tokens')).body.find((x: { name: string }) => x.name === 'bootstrap admin').id as string;

beforeAll(async () => {
  t = await startTestApp({ RECONCILE_INTERVAL_MS: '3600000' });
  apps.push(t);
});
afterAll(async () => {
  for (const app of apps.reverse()) await app.app.close();
  await t.db.drop();
});

describe('revoking admin tokens', () => {
  it('refuses to revoke the last live admin token with 409 conflict, saying why, and the token keeps working', async () => {
    const res = await as(ADMIN_TOKEN).del(`/api/tokens/${await bootstrapId()}`);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'conflict', status: 409, detail: expect.stringMatching(/last live admin token/) });
    expect((await as(ADMIN_TOKEN).get('/api/tokens')).status).toBe(200);
    expect(await liveAdmins()).toBe(1);
  });

  it('says so in Russian too', async () => {
    const res = await as(ADMIN_TOKEN)
      .del(`/api/tokens/${await bootstrapId()}`)
      .set('Accept-Language', 'ru');
    expect(res.status).toBe(409);
    expect(res.body.detail).toMatch(/администратора/);
  });

  let second: { id: string; token: string };

  it('revokes an admin token while another remains, then refuses the one left', async () => {
    second = await newAdmin(ADMIN_TOKEN, 'second admin');
    expect((await as(second.token).del(`/api/tokens/${await bootstrapId(second.token)}`)).status).toBe(200);
    expect((await as(ADMIN_TOKEN).get('/api/tokens')).status).toBe(401);
    const self = await as(second.token).del(`/api/tokens/${second.id}`);
    expect(self.status).toBe(409);
    expect(await liveAdmins()).toBe(1);
  });

  it('leaves exactly one live admin when two admins revoke each other at the same moment', async () => {
    const third = await newAdmin(second.token, 'third admin');
    const [x, y] = await Promise.all([as(second.token).del(`/api/tokens/${third.id}`), as(third.token).del(`/api/tokens/${second.id}`)]);
    // the loser is refused as the last admin (409), or, if the winner's revocation came first, no longer admitted
    const statuses = [x.status, y.status].sort();
    expect(statuses[0]).toBe(200);
    expect([401, 409]).toContain(statuses[1]);
    expect(await liveAdmins()).toBe(1);
  });
});

describe('an installation with no live admin token left', () => {
  const NEW_ADMIN_TOKEN = 'replacement-admin-token-9f8e7d6c5b4a';

  async function restart(env: Record<string, string>): Promise<TestApp> {
    await t.app.close();
    apps.splice(apps.indexOf(t), 1);
    const next = await startTestApp({ RECONCILE_INTERVAL_MS: '3600000', DATABASE_URL: t.db.url, DATA_DIR: t.db.dataDir, ...env });
    await next.db.drop(); // the fresh database it made and does not use
    next.db = t.db;
    apps.push(next);
    t = next;
    return next;
  }

  beforeAll(async () => {
    // as revocations before this rule could leave it: every admin token revoked
    await t.app.get(MikroORM).em.fork().getConnection().execute("update api_tokens set revoked_at = created_at where role = 'admin'");
    expect(await liveAdmins()).toBe(0);
  });

  it('installs a new ADMIN_TOKEN at the next start', async () => {
    const app = await restart({ ADMIN_TOKEN: NEW_ADMIN_TOKEN });
    expect((await as(NEW_ADMIN_TOKEN, app).get('/api/tokens')).status).toBe(200);
    expect(await liveAdmins(app)).toBe(1);
  });

  it('prints a generated admin token once when ADMIN_TOKEN is not set', async () => {
    await t.app.get(MikroORM).em.fork().getConnection().execute("update api_tokens set revoked_at = created_at where role = 'admin'");
    const printed: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation(((chunk: unknown) => {
      printed.push(String(chunk));
      return true;
    }) as typeof process.stdout.write);
    let app: TestApp;
    try {
      app = await restart({ ADMIN_TOKEN: '' });
    } finally {
      spy.mockRestore();
    }
    const token = /Admin API token \(shown once, store it now\): (\S+)/.exec(printed.join(''))?.[1];
    expect(token).toBeDefined();
    expect((await as(token!, app).get('/api/tokens')).status).toBe(200);
  });
});
