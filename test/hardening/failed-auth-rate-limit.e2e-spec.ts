// Token guessing is slowed down (src/auth/failed-auth-limiter.ts): after 20 failed authentications from one address
// within a minute, that address gets 429 with Retry-After on every authenticated route, even with a valid token,
// until the window passes; other addresses and the public health route are unaffected. Which address a request
// comes from is the peer's, unless TRUST_PROXY names the proxy in front: a client that
// reaches the service directly must not pick its own address with X-Forwarded-For.
import { startTestApp, type TestApp } from '../support/test-app';
import { expectProblem, listen, type Client } from './support';

jest.setTimeout(60_000);

const LIMIT = 20;
let t: TestApp;
let client: Client;

beforeAll(async () => {
  // as behind a reverse proxy on the same machine: X-Forwarded-For from loopback names the client, which lets one
  // test act as several clients
  t = await startTestApp({ RECONCILE_INTERVAL_MS: '3600000', TRUST_PROXY: 'loopback' });
  client = await listen(t);
});
afterAll(async () => {
  await t?.close();
});

const from = (address: string, token?: string) => client.call('GET', '/api/incidents', { token, headers: { 'x-forwarded-for': address } });

it(`answers 401 to the first ${LIMIT} failed attempts from an address, then 429 with Retry-After`, async () => {
  const attacker = '203.0.113.10';
  for (let i = 0; i < LIMIT; i++) {
    const res = await from(attacker, `rcx_guess_${i}_${'x'.repeat(40)}`);
    expectProblem(res, 401, 'unauthorized');
  }
  const limited = await from(attacker, 'rcx_one_more_guess_xxxxxxxxxxxxxxxxxxxxxxxxxxxx');
  expectProblem(limited, 429);
  const retryAfter = Number(limited.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(60);

  // a correct token does not get the address out of it: guessing then trying the real one gains nothing
  expectProblem(await from(attacker, t.adminToken), 429);
  // nor does leaving the token out
  expectProblem(await from(attacker), 429);
});

it('keeps other addresses and the public health route working meanwhile', async () => {
  const attacker = '203.0.113.11';
  for (let i = 0; i <= LIMIT; i++) await from(attacker, `rcx_guess_${i}_${'y'.repeat(40)}`);
  expectProblem(await from(attacker, t.adminToken), 429);

  const bystander = await from('203.0.113.12', t.adminToken);
  expect(bystander.status).toBe(200);
  const health = await client.call('GET', '/api/health', { headers: { 'x-forwarded-for': attacker } });
  expect(health.status).toBe(200);
});

it('does not count successful authentications against an address', async () => {
  const busy = '203.0.113.13';
  for (let i = 0; i < LIMIT * 2; i++) expect((await from(busy, t.adminToken)).status).toBe(200);
  for (let i = 0; i < LIMIT - 1; i++) expectProblem(await from(busy, `rcx_typo_${i}_${'z'.repeat(40)}`), 401);
  expect((await from(busy, t.adminToken)).status).toBe(200);
});

describe('without TRUST_PROXY (the default)', () => {
  let direct: TestApp;
  let directClient: Client;
  beforeAll(async () => {
    direct = await startTestApp({ RECONCILE_INTERVAL_MS: '3600000' });
    directClient = await listen(direct);
  });
  afterAll(async () => {
    await direct?.close();
  });

  it('ignores X-Forwarded-For, so a client cannot escape the limit by naming a new address each time', async () => {
    for (let i = 0; i < LIMIT; i++) {
      const res = await directClient.call('GET', '/api/incidents', {
        token: `rcx_guess_${i}_${'w'.repeat(40)}`,
        headers: { 'x-forwarded-for': `198.51.100.${i}` },
      });
      expectProblem(res, 401, 'unauthorized');
    }
    const next = await directClient.call('GET', '/api/incidents', { token: direct.adminToken, headers: { 'x-forwarded-for': '198.51.100.200' } });
    expectProblem(next, 429);
  });
});
