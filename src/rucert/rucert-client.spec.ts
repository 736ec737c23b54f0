import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { incident } from '../../test/emulator/support';
import { startRucertSimulator, RucertSimulator } from '../rucert-simulator/simulator';
import { RucertClient, RucertError } from './rucert-client';

const TOKEN = 'tok-3c5e7a91-SECRET';
/** A create request the emulator's profile 1.1.2 accepts. */
const payload = incident({ event_description: 'x\n\nrucert-export incident 1' });

/** Every error a test sees goes through here, so that each one is also checked for the token. */
async function failure(promise: Promise<unknown>): Promise<RucertError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(RucertError);
    const e = error as RucertError;
    for (const text of [e.message, JSON.stringify(e), inspect(e), String(e.stack), e.rucertMessage ?? '']) {
      expect(text).not.toContain(TOKEN);
    }
    return e;
  }
  throw new Error('expected a RucertError');
}

/** A plain HTTP server for the answers the simulator never gives. close() ends every connection. */
async function rawServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; close(): Promise<void> }> {
  const server = createHttpServer(handler);
  return listen(server, 'http');
}

async function listen(server: Server, scheme: string): Promise<{ url: string; close(): Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A TCP server that accepts connections and never says a word. */
async function silentServer(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

async function closedPortUrl(): Promise<string> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

describe('RucertClient against the simulator', () => {
  let sim: RucertSimulator;
  let client: RucertClient;

  beforeAll(async () => {
    sim = await startRucertSimulator({ token: TOKEN });
  });
  afterAll(() => sim.close());
  beforeEach(() => {
    sim.reset();
    client = new RucertClient({ url: sim.url, token: TOKEN, timeoutMs: 400 });
  });

  it('creates a notification and returns what RuCERT assigned', async () => {
    const created = await client.createIncident(payload);
    expect(created).toEqual({ uuid: expect.any(String), identifier: expect.stringMatching(/^INC-\d{2}-\d{2}-\d+$/), createTime: expect.any(String) });
    expect(sim.received()).toEqual([expect.objectContaining({ uuid: created.uuid, identifier: created.identifier, body: payload })]);
  });

  it('sends a 500,000-character Cyrillic field whole (API profile 1.0 took such names)', async () => {
    const old = await startRucertSimulator({ token: TOKEN, profile: '1.0' });
    try {
      const name = 'Щ'.repeat(500_000);
      await new RucertClient({ url: old.url, token: TOKEN, timeoutMs: 2000 }).createIncident({ ...payload, affected_system_name: name });
      expect(old.received()[0].body.affected_system_name).toBe(name);
    } finally {
      await old.close();
    }
  });

  it('reports NCIRCC refusing a payload as a definite rejection with its reason', async () => {
    const e = await failure(client.createIncident({ ...payload, company: 'ООО «Ромашка»' }));
    expect(e).toMatchObject({ kind: 'rejected', status: 400, code: 'http_status', rucertMessage: expect.stringContaining('company') });
    expect(sim.received()).toHaveLength(0);
  });

  it('reports a wrong token as a definite rejection with HTTP 401', async () => {
    const wrong = new RucertClient({ url: sim.url, token: 'wrong-token', timeoutMs: 400 });
    const e = await failure(wrong.createIncident(payload));
    expect(e).toMatchObject({ kind: 'rejected', status: 401, code: 'http_status', rucertMessage: expect.stringContaining('Передан неверный токен') });
    expect(sim.received()).toHaveLength(0);
  });

  it.each([
    ['http500', 'ambiguous', 500, 'http_status'],
    ['reject400', 'rejected', 400, 'http_status'],
    ['success_false', 'rejected', 200, 'success_false'],
  ] as const)('classifies the %s fault as %s', async (mode, kind, status, code) => {
    sim.addFault({ mode });
    const e = await failure(client.createIncident(payload));
    expect(e).toMatchObject({ kind, status, code });
    expect(sim.received()).toHaveLength(0);
    await expect(client.createIncident(payload)).resolves.toBeDefined(); // the fault was used up
  });

  it('waits through latency shorter than the timeout', async () => {
    sim.addFault({ mode: 'latency', delayMs: 100 });
    await expect(client.createIncident(payload)).resolves.toMatchObject({ identifier: expect.any(String) });
  });

  it('calls latency beyond the timeout ambiguous: the notification may still be registered', async () => {
    sim.addFault({ mode: 'latency', delayMs: 700 });
    const e = await failure(client.createIncident(payload));
    expect(e).toMatchObject({ kind: 'ambiguous', code: 'timeout' });
    expect(e.message).toMatch(/did not answer within 400 ms/);
    // the emulator goes on with the request the client gave up on, and registers it
    const deadline = Date.now() + 5_000;
    while (sim.received().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(sim.received()).toHaveLength(1);
  });

  it('calls a reset after storing ambiguous', async () => {
    sim.addFault({ mode: 'store_then_reset' });
    const e = await failure(client.createIncident(payload));
    expect(e).toMatchObject({ kind: 'ambiguous', code: 'connection_lost' });
    expect(sim.received()).toHaveLength(1);
  });

  it('calls a hang after storing ambiguous once the timeout expires', async () => {
    sim.addFault({ mode: 'store_then_hang' });
    const e = await failure(client.createIncident(payload));
    expect(e).toMatchObject({ kind: 'ambiguous', code: 'timeout' });
    expect(sim.received()).toHaveLength(1);
  });

  it('calls a held request ambiguous; the simulator registers it on release', async () => {
    sim.addFault({ mode: 'hold' });
    const e = await failure(client.createIncident(payload));
    expect(e).toMatchObject({ kind: 'ambiguous', code: 'timeout' });
    expect(sim.held()).toBe(1);
    expect(sim.received()).toHaveLength(0);
    expect(sim.release()).toBe(1);
    expect(sim.received()).toHaveLength(1);
  });

  it('works with a path prefix, with or without a trailing slash', async () => {
    const prefixed = await startRucertSimulator({ token: TOKEN, prefix: '/api/v2' });
    try {
      expect(prefixed.url).toMatch(/\/api\/v2$/);
      await new RucertClient({ url: `${prefixed.url}/`, token: TOKEN, timeoutMs: 400 }).createIncident(payload);
      expect(prefixed.received()).toHaveLength(1);
      const withoutPrefix = new RucertClient({ url: prefixed.origin, token: TOKEN, timeoutMs: 400 });
      expect(await failure(withoutPrefix.createIncident(payload))).toMatchObject({ kind: 'ambiguous', status: 404 });
    } finally {
      await prefixed.close();
    }
  });

  it('reads one page with the fields asked for, a filter, a sort, a limit and an offset; statuses as {id, name}', async () => {
    for (let i = 1; i <= 5; i++) await client.createIncident({ ...payload, event_description: `incident ${i}` });
    const page = await client.findIncidents({
      fields: ['uuid', 'event_description', 'status'],
      sort: [{ property: 'create_time', direction: 'ASC' }],
      limit: 2,
      offset: 1,
    });
    expect(page.next).toBe(true);
    expect(page.result.map((r) => r.event_description)).toEqual(['incident 2', 'incident 3']);
    expect(page.result[0]).toEqual({ uuid: expect.any(String), event_description: 'incident 2', status: { id: expect.anything(), name: 'Проверка НКЦКИ' } });
    const last = await client.findIncidents({
      fields: ['uuid'],
      filter: [{ property: 'status', operator: 'in', value: ['Проверка НКЦКИ'] }],
      limit: 2,
      offset: 4,
    });
    expect(last).toEqual({ next: false, result: [{ uuid: expect.any(String) }] });
  });

  it('keeps a status name it does not know as text', async () => {
    const created = await client.createIncident(payload);
    sim.setStatus(created.uuid, 'Передано в НКЦКИ');
    const page = await client.findIncidents({ fields: ['uuid', 'status'] });
    expect(page.result[0].status).toEqual({ id: expect.anything(), name: 'Передано в НКЦКИ' });
  });

  it('finds a notification by the text of its description across pages, and says when it saw them all', async () => {
    for (let i = 1; i <= 25; i++) await client.createIncident({ ...payload, event_description: `desc\nrucert-export incident #${i}.` });
    const found = await client.findByText('rucert-export incident #23.', { pageSize: 4 });
    expect(found.exhaustive).toBe(true);
    expect(found.matches).toEqual([
      { uuid: expect.any(String), identifier: expect.any(String), createTime: expect.any(String), status: { id: expect.anything(), name: 'Проверка НКЦКИ' } },
    ]);
    expect(sim.requests()['GET /incidents']).toBe(7); // 25 records, 4 a page: the 7th page says next: false

    await expect(client.findByText('rucert-export incident #99.', { pageSize: 10 })).resolves.toEqual({ matches: [], exhaustive: true });
    // Pages ran out before NCIRCC said next: false: "not found" is then not a proof of absence.
    await expect(client.findByText('rucert-export incident #23.', { pageSize: 5, maxPages: 2 })).resolves.toEqual({ matches: [], exhaustive: false });
  });

  it('reads the identifier and the registration number of a card found by a lookup', async () => {
    const created = await client.createIncident({ ...payload, event_description: 'desc\nrucert-export incident #1.' });
    const reg = sim.register(created.uuid).reg_number;
    const found = await client.findByText('rucert-export incident #1.');
    expect(found.matches).toEqual([expect.objectContaining({ uuid: created.uuid, identifier: created.identifier, regNumber: reg })]);
  });

  it('limits the lookup to notifications created since a given time', async () => {
    await client.createIncident({ ...payload, event_description: 'old incident 7' });
    const since = new Date(Date.now() + 5);
    await new Promise((r) => setTimeout(r, 10));
    await client.createIncident({ ...payload, event_description: 'new incident 7' });
    const found = await client.findByText('incident 7', { createdSince: since });
    expect(found).toMatchObject({ exhaustive: true, matches: [expect.anything()] });
    expect(found.matches).toHaveLength(1);
  });

  it('reports a failing lookup as an error, not as "absent"', async () => {
    sim.addFault({ mode: 'http500', route: 'GET /incidents' });
    expect(await failure(client.findByText('anything'))).toMatchObject({ kind: 'ambiguous', status: 500 });
  });

  describe('check()', () => {
    it('passes with the right token', async () => {
      await expect(client.check()).resolves.toEqual({ ok: true, status: 200, message: expect.stringContaining('token was accepted') });
    });

    it('names a wrong token', async () => {
      const result = await new RucertClient({ url: sim.url, token: 'wrong-token', timeoutMs: 400 }).check();
      expect(result).toEqual({ ok: false, status: 401, message: 'RuCERT refused the token (HTTP 401): check the token in the integration settings' });
    });

    it('names a closed port', async () => {
      const result = await new RucertClient({ url: await closedPortUrl(), token: TOKEN, timeoutMs: 400 }).check();
      expect(result).toEqual({ ok: false, message: expect.stringMatching(/^cannot connect to RuCERT at 127\.0\.0\.1:\d+: connection refused$/) });
    });

    it('names a server that never answers', async () => {
      const silent = await silentServer();
      try {
        const result = await new RucertClient({ url: silent.url, token: TOKEN, timeoutMs: 300 }).check();
        expect(result).toEqual({ ok: false, message: expect.stringMatching(/did not answer within 300 ms$/) });
      } finally {
        await silent.close();
      }
    });

    it('points at the URL when the path is wrong', async () => {
      const result = await new RucertClient({ url: `${sim.url}/nope`, token: TOKEN, timeoutMs: 400 }).check();
      expect(result).toMatchObject({ ok: false, status: 404, message: expect.stringContaining('check the URL') });
    });

    it('never carries the token', async () => {
      const echo = await rawServer((req, res) => json(res, 403, { success: false, message: `token ${req.headers['x-token']} is revoked` }));
      try {
        const result = await new RucertClient({ url: echo.url, token: TOKEN, timeoutMs: 400 }).check();
        expect(result.ok).toBe(false);
        expect(JSON.stringify(result)).not.toContain(TOKEN);
      } finally {
        await echo.close();
      }
    });
  });
});

describe('RucertClient against misbehaving servers', () => {
  const servers: Array<{ close(): Promise<void> }> = [];
  afterAll(() => Promise.all(servers.map((s) => s.close())));
  async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<RucertClient> {
    const server = await rawServer(handler);
    servers.push(server);
    return new RucertClient({ url: `${server.url}/api/v2`, token: TOKEN, timeoutMs: 400, maxResponseBytes: 1024 * 1024 });
  }

  it('sends x-token, JSON content type and Accept to {url}/incidents', async () => {
    let seen: IncomingMessage | undefined;
    let body = '';
    const client = await serve((req, res) => {
      seen = req;
      req.setEncoding('utf8').on('data', (c: string) => (body += c));
      req.on('end', () => json(res, 201, { success: true, data: [{ uuid: 'u', identifier: 'INC-1', create_time: 't' }] }));
    });
    await client.createIncident({ a: 'б' });
    expect(seen?.method).toBe('POST');
    expect(seen?.url).toBe('/api/v2/incidents');
    expect(seen?.headers).toMatchObject({ 'x-token': TOKEN, 'content-type': 'application/json', accept: 'application/json' });
    expect(JSON.parse(body)).toEqual({ a: 'б' });
  });

  it.each([
    [422, 'rejected'],
    [403, 'rejected'],
    [404, 'ambiguous'],
    [429, 'ambiguous'],
    [502, 'ambiguous'],
    [302, 'ambiguous'],
  ] as const)('classifies HTTP %i as %s', async (status, kind) => {
    const client = await serve((_req, res) => json(res, status, { message: 'because' }));
    expect(await failure(client.createIncident(payload))).toMatchObject({ kind, status, rucertMessage: 'because' });
  });

  it.each([
    ['a body that is not JSON', (res: ServerResponse) => res.writeHead(200).end('<html>proxy</html>')],
    ['an empty body', (res: ServerResponse) => res.writeHead(200).end()],
    ['success without data', (res: ServerResponse) => json(res, 200, { success: true })],
    ['an empty data list', (res: ServerResponse) => json(res, 200, { success: true, data: [] })],
    [
      'an overlong identifier',
      (res: ServerResponse) => json(res, 200, { success: true, data: [{ uuid: 'u', identifier: 'I'.repeat(201), create_time: 't' }] }),
    ],
  ])('calls a 200 with %s ambiguous', async (_what, answer) => {
    const client = await serve((_req, res) => answer(res));
    expect(await failure(client.createIncident(payload))).toMatchObject({ kind: 'ambiguous', code: 'invalid_answer' });
  });

  it('calls an oversized answer ambiguous, with or without Content-Length', async () => {
    const big = JSON.stringify({ success: true, data: [{ uuid: 'u', identifier: 'INC', create_time: 'x'.repeat(2 * 1024 * 1024) }] });
    const declared = await serve((_req, res) => res.writeHead(200, { 'Content-Length': Buffer.byteLength(big) }).end(big));
    expect(await failure(declared.createIncident(payload))).toMatchObject({ kind: 'ambiguous', code: 'too_large' });
    const chunked = await serve((_req, res) => {
      res.writeHead(200);
      for (let i = 0; i < 64; i++) res.write('x'.repeat(64 * 1024));
      res.end();
    });
    expect(await failure(chunked.createIncident(payload))).toMatchObject({ kind: 'ambiguous', code: 'too_large' });
    expect(await failure(chunked.findIncidents({ fields: ['uuid'] }))).toMatchObject({ code: 'invalid_answer' }); // lists have a larger bound
  });

  it('calls a connection cut in the middle of the answer ambiguous', async () => {
    const client = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Length': 1000 });
      res.write('{"success":true,');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    expect(await failure(client.createIncident(payload))).toMatchObject({ kind: 'ambiguous', code: 'connection_lost' });
  });

  it('keeps a token echoed by the server out of its messages', async () => {
    const client = await serve((req, res) => json(res, 200, { success: false, message: `bad token ${req.headers['x-token']}` }));
    const e = await failure(client.createIncident(payload));
    expect(e).toMatchObject({ kind: 'rejected', rucertMessage: 'bad token [token]' });
  });

  it('validates the incident list', async () => {
    const client = await serve((_req, res) => json(res, 200, { success: true, data: { result: [{ uuid: 'u' }], total: 1 } }));
    expect(await failure(client.findIncidents({ fields: ['uuid'] }))).toMatchObject({ kind: 'ambiguous', code: 'invalid_answer' });
  });
});

describe('RucertClient when RuCERT cannot be reached', () => {
  it('calls a closed port unreachable', async () => {
    const e = await failure(new RucertClient({ url: await closedPortUrl(), token: TOKEN, timeoutMs: 400 }).createIncident(payload));
    expect(e).toMatchObject({ kind: 'unreachable', code: 'refused' });
  });

  it('calls an unknown host unreachable', async () => {
    const e = await failure(new RucertClient({ url: 'https://rucert.invalid/api/v2', token: TOKEN, timeoutMs: 3000 }).createIncident(payload));
    expect(e).toMatchObject({ kind: 'unreachable', code: 'dns' });
  });

  it('calls a server that never answers ambiguous after the timeout', async () => {
    const silent = await silentServer();
    try {
      const started = Date.now();
      const e = await failure(new RucertClient({ url: silent.url, token: TOKEN, timeoutMs: 300 }).createIncident(payload));
      expect(e).toMatchObject({ kind: 'ambiguous', code: 'timeout' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    } finally {
      await silent.close();
    }
  });

  it('calls TLS to a plain HTTP port a handshake failure: unreachable', async () => {
    const plain = await rawServer((_req, res) => res.end());
    try {
      const e = await failure(new RucertClient({ url: plain.url.replace('http:', 'https:'), token: TOKEN, timeoutMs: 1000 }).createIncident(payload));
      expect(e).toMatchObject({ kind: 'unreachable', code: 'tls' });
    } finally {
      await plain.close();
    }
  });

  it.each([
    ['an ftp URL', { url: 'ftp://x' }, 'the RuCERT URL must start with https:// or http://'],
    ['a non-URL', { url: 'not a url' }, 'the RuCERT URL is not a valid URL'],
    ['a token with CR/LF', { token: 'a\r\nb' }, 'the RuCERT token must be non-empty printable ASCII without spaces'],
    ['a root CA that is not PEM', { rootCa: 'not pem' }, 'the root CA of the RuCERT integration is not a valid PEM certificate'],
    ['credentials in the URL', { url: `https://u:${TOKEN}@x` }, 'the RuCERT URL must not carry credentials, a query or a fragment'],
  ])('refuses %s on use, as unreachable, without echoing it; check() reports it', async (_what, settings, message) => {
    const client = new RucertClient({ url: 'https://x', token: TOKEN, timeoutMs: 100, ...settings });
    expect(await failure(client.createIncident(payload))).toMatchObject({ kind: 'unreachable', code: 'configuration', message });
    await expect(client.check()).resolves.toEqual({ ok: false, message });
  });

  it('does not show the token when the client itself is inspected', () => {
    const client = new RucertClient({ url: 'https://x', token: TOKEN, timeoutMs: 1 });
    expect(inspect(client, { showHidden: true, depth: 5 })).not.toContain(TOKEN);
    expect(JSON.stringify(client)).not.toContain(TOKEN);
  });
});

describe('RucertClient over TLS with a private root CA', () => {
  let dir: string;
  let server: { url: string; close(): Promise<void> };
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rucert-tls-'));
    const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
    openssl(
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '2',
      '-subj',
      '/CN=Test Russian Trusted Root CA',
    );
    openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
    writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
    openssl(
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'server.pem',
      '-days',
      '2',
      '-extfile',
      'ext.cnf',
    );
    const https = createHttpsServer({ key: readFileSync(join(dir, 'server.key')), cert: readFileSync(join(dir, 'server.pem')) }, (req, res) => {
      if (req.headers['x-token'] !== TOKEN) return json(res, 401, { success: false, message: 'no' });
      json(res, 200, { success: true, data: { next: false, result: [] } });
    });
    server = await listen(https as unknown as Server, 'https');
  });
  afterAll(() => server.close());

  it('fails the handshake without the root CA: unreachable, with a hint', async () => {
    const e = await failure(new RucertClient({ url: server.url, token: TOKEN, timeoutMs: 1000 }).findIncidents({ fields: ['uuid'] }));
    expect(e).toMatchObject({ kind: 'unreachable', code: 'tls' });
    expect(e.message).toMatch(/set the root CA/);
  });

  it('connects with the root CA', async () => {
    const client = new RucertClient({ url: server.url, token: TOKEN, timeoutMs: 1000, rootCa: readFileSync(join(dir, 'ca.pem'), 'utf8') });
    await expect(client.check()).resolves.toMatchObject({ ok: true, status: 200 });
  });
});
