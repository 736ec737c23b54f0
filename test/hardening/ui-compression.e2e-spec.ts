// The UI's files go compressed to a browser (an analyst's first page is ~900 KB of JavaScript, ~285 KB gzipped):
// brotli where it is offered, else gzip, and as they are to a client that accepts no compression. API answers are not
// compressed per request. Read over raw HTTP, so the bytes on the wire are what is checked.
import { readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { ensureUiBuilt, PROJECT_ROOT } from '../support/child-service';
import { startTestApp, type TestApp } from '../support/test-app';
import { listen } from './support';

const DIST = join(PROJECT_ROOT, 'ui', 'dist');

let t: TestApp;
let base: string;
let script: { path: string; bytes: Buffer };

beforeAll(async () => {
  ensureUiBuilt();
  t = await startTestApp({ RECONCILE_INTERVAL_MS: '3600000' });
  base = (await listen(t)).base;
  // the script the page loads first, as index.html names it
  const path = /<script[^>]* src="(\/assets\/[^"]+\.js)"/.exec(readFileSync(join(DIST, 'index.html'), 'utf8'))![1];
  script = { path, bytes: readFileSync(join(DIST, path)) };
});
afterAll(async () => {
  await t?.close();
});

/** GET `path` with this Accept-Encoding (and token); the body as it came over the wire. */
function get(path: string, acceptEncoding: string, token?: string): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  const headers = { 'accept-encoding': acceptEncoding, ...(token ? { authorization: `Bearer ${token}` } : {}) };
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

it.each([
  ['a browser, brotli (every current one offers it)', 'gzip, deflate, br, zstd', 'br', brotliDecompressSync],
  ['a client that offers only gzip, gzip', 'gzip', 'gzip', gunzipSync],
])('sends the first page’s script compressed to %s: under half the bytes, the built file once inflated', async (_who, offered, encoding, inflate) => {
  const res = await get(script.path, offered);
  expect(res.status).toBe(200);
  expect(res.headers.vary).toMatch(/Accept-Encoding/i);
  expect(res.headers['content-type']).toMatch(/javascript/);
  expect(res.headers['content-encoding']).toBe(encoding);
  expect(res.body.length).toBeLessThan(script.bytes.length / 2);
  expect(inflate(res.body).equals(script.bytes)).toBe(true);
});

it('sends the script as it is to a client that accepts no compression', async () => {
  const res = await get(script.path, 'identity');
  expect(res.status).toBe(200);
  expect(res.headers['content-encoding']).toBeUndefined();
  expect(res.body.equals(script.bytes)).toBe(true);
});

it('leaves API answers uncompressed, whatever the client accepts', async () => {
  // a published form version: ~190 KB of JSON through the API, which a compressing middleware would take
  const res = await get('/api/forms/rucert-export/versions/2', 'gzip, deflate, br, zstd', t.adminToken);
  expect(res.status).toBe(200);
  expect(res.headers['content-encoding']).toBeUndefined();
  expect(JSON.parse(res.body.toString('utf8')).version).toBe(2);
});
