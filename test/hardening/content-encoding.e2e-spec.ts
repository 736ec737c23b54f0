// A body that is not what its Content-Encoding says: the body parser's decompression
// error has no type it knew, so it reached Nest as an unknown error and answered 500. It is the client's mistake:
// 400 invalid_json, naming the encoding.
import { gzipSync } from 'node:zlib';
import { startTestApp, type TestApp } from '../support/test-app';
import { expectProblem, listen, type Client } from './support';

let t: TestApp;
let client: Client;

beforeAll(async () => {
  t = await startTestApp({ RECONCILE_INTERVAL_MS: '3600000' });
  client = await listen(t);
});
afterAll(async () => {
  await t?.close();
});

const json = JSON.stringify({ title: 'Trojan', detectedAt: '2026-11-20T08:30:00Z' });
const post = (encoding: string, body: Buffer, lang = 'en') =>
  fetch(`${client.base}/api/incidents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${t.adminToken}`, 'content-type': 'application/json', 'content-encoding': encoding, 'accept-language': lang },
    body,
  });

it.each([
  ['gzip over plain JSON', 'gzip', Buffer.from(json)],
  ['truncated gzip', 'gzip', gzipSync(json).subarray(0, 20)],
  ['deflate over random bytes', 'deflate', Buffer.from([0x13, 0x37, 0xde, 0xad, 0xbe, 0xef, 0x00, 0x01])],
  ['br over plain JSON', 'br', Buffer.from(json)],
])('answers %s with 400 invalid_json, not 500', async (_what, encoding, body) => {
  const res = await post(encoding, body);
  const text = await res.text();
  expectProblem({ status: res.status, headers: res.headers, text, body: JSON.parse(text) }, 400, 'invalid_json');
  expect(JSON.parse(text).detail).toContain(encoding);
});

it('says so in Russian too', async () => {
  const res = await post('gzip', Buffer.from(json), 'ru');
  expect(res.status).toBe(400);
  expect(((await res.json()) as { detail: string }).detail).toMatch(/gzip/);
});

it('still takes a body that is what its Content-Encoding says', async () => {
  expect((await post('gzip', gzipSync(json))).status).toBe(201);
});
