// HSTS and `upgrade-insecure-requests` only where the service is reached over HTTPS.
// Sent over plain HTTP they broke the UI on every address but localhost (the browser fetched its assets over HTTPS,
// which nothing answered; test/browser/plain-http.browser-spec.ts shows it in Chromium). HTTPS is what the request
// says it came over: TLS to the service, or X-Forwarded-Proto from a proxy named in TRUST_PROXY.
import { ensureUiBuilt } from '../support/child-service';
import { startTestApp, type TestApp } from '../support/test-app';
import { listen, type Client } from './support';

const apps: TestApp[] = [];
afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
});

async function client(env: Record<string, string> = {}): Promise<Client> {
  ensureUiBuilt(); // `/` is the UI's page
  const t = await startTestApp({ RECONCILE_INTERVAL_MS: '3600000', ...env });
  apps.push(t);
  return listen(t);
}

const upgrades = (csp: string | null) => /upgrade-insecure-requests/.test(csp ?? '');

describe('without TRUST_PROXY', () => {
  let c: Client;
  beforeAll(async () => {
    c = await client();
  });

  it.each(['/api/health', '/'])('over plain HTTP, %s carries neither HSTS nor upgrade-insecure-requests, and keeps the rest of the CSP', async (path) => {
    const res = await c.call('GET', path);
    expect(res.status).toBe(200);
    expect(res.headers.get('strict-transport-security')).toBeNull();
    expect(upgrades(res.headers.get('content-security-policy'))).toBe(false);
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self' 'unsafe-eval'/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('does not believe X-Forwarded-Proto from a client', async () => {
    const res = await c.call('GET', '/api/health', { headers: { 'x-forwarded-proto': 'https' } });
    expect(res.headers.get('strict-transport-security')).toBeNull();
    expect(upgrades(res.headers.get('content-security-policy'))).toBe(false);
  });
});

describe('behind a TLS-terminating proxy named in TRUST_PROXY', () => {
  let c: Client;
  beforeAll(async () => {
    c = await client({ TRUST_PROXY: 'loopback' });
  });

  it('sends HSTS and upgrade-insecure-requests when the proxy says the request came over HTTPS', async () => {
    const res = await c.call('GET', '/api/health', { headers: { 'x-forwarded-proto': 'https' } });
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(upgrades(res.headers.get('content-security-policy'))).toBe(true);
  });

  it('sends neither for a request the proxy passed on over plain HTTP', async () => {
    const res = await c.call('GET', '/api/health', { headers: { 'x-forwarded-proto': 'http' } });
    expect(res.headers.get('strict-transport-security')).toBeNull();
    expect(upgrades(res.headers.get('content-security-policy'))).toBe(false);
  });
});
