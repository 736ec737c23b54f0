// The service foundation as a newcomer's curl sees it: health, tokens and roles, incidents, and the error contract.
import request from 'supertest';
import { startTestApp, type TestApp } from './support/test-app';

let t: TestApp;
const incident = (over: Record<string, unknown> = {}) => ({
  title: 'Malware on the accounting server',
  description: 'EDR detected a trojan',
  severity: 'high',
  detectedAt: '2026-11-20T08:30:00+03:00',
  assets: [{ name: 'acc-srv-01', ip: '10.0.0.5', fqdn: 'acc-srv-01.corp.example' }],
  ...over,
});

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

const get = (path: string, token?: string) => {
  const r = request(t.http).get(path);
  return token ? r.auth(token, { type: 'bearer' }) : r;
};
const post = (path: string, token: string | undefined, body?: unknown) => {
  const r = request(t.http).post(path);
  return (token ? r.auth(token, { type: 'bearer' }) : r).send(body as object);
};

describe('health and authentication', () => {
  it('answers health without a token', async () => {
    const res = await get('/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it.each(['/api/incidents', '/api/tokens', '/api/audit', '/api/incidents/some-id'])('answers %s without a token with 401 problem details', async (path) => {
    const res = await get(path);
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.body).toMatchObject({ status: 401, code: 'unauthorized', title: 'Authentication required' });
    expect(res.body.detail).toMatch(/Bearer/);
  });

  it.each(['bearer ', 'BEARER ', 'BeArEr ', 'Bearer   '])('takes the scheme %j in any case and with any spaces, as RFC 9110 says', async (scheme) => {
    const res = await request(t.http).get('/api/incidents').set('Authorization', `${scheme}${t.adminToken}`);
    expect(res.status).toBe(200);
  });

  it.each(['Basic', 'Bearertoken', 'Bearer'])('still refuses another scheme or a malformed header (%s) with 401', async (scheme) => {
    const header = scheme === 'Bearertoken' ? `Bearer${t.adminToken}` : scheme === 'Bearer' ? 'Bearer ' : `${scheme} ${t.adminToken}`;
    const res = await request(t.http).get('/api/incidents').set('Authorization', header);
    expect(res.status).toBe(401);
  });

  it('rejects an unknown token with 401', async () => {
    const res = await get('/api/incidents', 'rcx_not-a-real-token');
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('unauthorized');
  });

  it('answers an unknown route with 404 not_found, not HTML', async () => {
    const res = await get('/api/nothing-here', t.adminToken);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'not_found', status: 404 });
  });
});

describe('API tokens', () => {
  it('creates a token, shows the secret once, lists without secrets, and revokes it', async () => {
    const created = await post('/api/tokens', t.adminToken, { name: 'SOAR playbook', role: 'ingest' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'SOAR playbook', role: 'ingest', revokedAt: null });
    expect(created.body.token).toMatch(/^rcx_[A-Za-z0-9_-]{43}$/);

    const listed = await get('/api/tokens', t.adminToken);
    expect(listed.status).toBe(200);
    const row = listed.body.find((x: { id: string }) => x.id === created.body.id);
    expect(row).toMatchObject({ name: 'SOAR playbook', role: 'ingest' });
    expect(JSON.stringify(listed.body)).not.toContain(created.body.token);
    expect(row).not.toHaveProperty('token');

    expect((await post('/api/incidents', created.body.token, incident())).status).toBe(201);
    const revoked = await request(t.http).delete(`/api/tokens/${created.body.id}`).auth(t.adminToken, { type: 'bearer' });
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    const after = await post('/api/incidents', created.body.token, incident());
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('unauthorized');
  });

  it('answers revoking an unknown token with 404', async () => {
    const res = await request(t.http).delete('/api/tokens/00000000-0000-4000-8000-00000000abcd').auth(t.adminToken, { type: 'bearer' });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('not_found');
  });

  it('rejects an unknown role and unknown fields, naming them', async () => {
    const res = await post('/api/tokens', t.adminToken, { name: 'x', role: 'root', colour: 'red' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: '/role', keyword: 'enum' }),
        expect.objectContaining({ path: '/colour', keyword: 'additionalProperties' }),
      ]),
    );
  });

  it.each(['analyst', 'ingest', 'compliance'] as const)('forbids token management to %s with 403', async (role) => {
    const token = await t.tokenFor(role);
    const res = await get('/api/tokens', token);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'forbidden', status: 403 });
  });
});

describe('who am I', () => {
  it('tells a token its own name and role, never the secret', async () => {
    const token = await t.tokenFor('compliance');
    const res = await get('/api/auth/me', token);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), name: 'test compliance', role: 'compliance' });
    expect(JSON.stringify(res.body)).not.toContain(token);
    expect((await get('/api/auth/me')).status).toBe(401);
  });
});

describe('incidents', () => {
  it('lets ingest create and analyst list and read an incident', async () => {
    const ingest = await t.tokenFor('ingest');
    const analyst = await t.tokenFor('analyst');
    const created = await post('/api/incidents', ingest, incident({ externalId: 'SIEM-1001' }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      externalId: 'SIEM-1001',
      title: 'Malware on the accounting server',
      status: 'open',
      detectedAt: '2026-11-20T05:30:00.000Z',
      closedAt: null,
      rucertExport: { state: 'not_exported' },
    });
    expect(created.body.id).toMatch(/^[0-9a-f-]{36}$/);

    const one = await get(`/api/incidents/${created.body.id}`, analyst);
    expect(one.status).toBe(200);
    expect(one.body).toEqual(created.body);

    const list = await get('/api/incidents?q=SIEM-1001', analyst);
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(1);
    expect(list.body.items[0].id).toBe(created.body.id);
  });

  it('answers a duplicate externalId with 409', async () => {
    const ingest = await t.tokenFor('ingest');
    expect((await post('/api/incidents', ingest, incident({ externalId: 'DUP-1' }))).status).toBe(201);
    const res = await post('/api/incidents', ingest, incident({ externalId: 'DUP-1' }));
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('conflict');
    expect(res.body.detail).toContain('DUP-1');
  });

  it('filters by status and export state and pages with limit and offset', async () => {
    const ingest = await t.tokenFor('ingest');
    for (let i = 0; i < 3; i++) await post('/api/incidents', ingest, incident({ title: `closed ${i}`, status: 'closed', closedAt: '2026-11-21T00:00:00Z' }));
    const closed = await get('/api/incidents?status=closed&limit=2', t.adminToken);
    expect(closed.body.total).toBe(3);
    expect(closed.body.items).toHaveLength(2);
    expect(closed.body.items.every((i: { status: string }) => i.status === 'closed')).toBe(true);
    const rest = await get('/api/incidents?status=closed&limit=2&offset=2', t.adminToken);
    expect(rest.body.items).toHaveLength(1);
    const exported = await get('/api/incidents?exportState=exported', t.adminToken);
    expect(exported.body).toEqual({ items: [], total: 0 });
    const notExported = await get('/api/incidents?exportState=not_exported', t.adminToken);
    expect(notExported.body.total).toBeGreaterThanOrEqual(4);
  });

  it('rejects bad query parameters naming them', async () => {
    const res = await get('/api/incidents?limit=5000&status=pending&colour=red', t.adminToken);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['/colour', '/limit', '/status']);
  });

  it('treats % and _ in q as plain text', async () => {
    const res = await get('/api/incidents?q=%25', t.adminToken);
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(0);
  });

  describe('q finds the literal text on both databases', () => {
    const titles = ['Disk 50% full on db01', 'Disk 50 full on db02', 'full_x alert', 'fullyx alert', 'path C:\\temp\\x', 'path C:/temp/x'];
    const ids = new Map<string, string>();
    beforeAll(async () => {
      const ingest = await t.tokenFor('ingest');
      for (const title of titles) ids.set(title, (await post('/api/incidents', ingest, incident({ title }))).body.id);
    });
    const search = async (q: string) => {
      const res = await get(`/api/incidents?limit=1000&q=${encodeURIComponent(q)}`, t.adminToken);
      expect(res.status).toBe(200);
      return (res.body.items as Array<{ id: string; title: string }>).map((i) => i.title).filter((title) => ids.has(title));
    };

    it.each([
      ['50%', ['Disk 50% full on db01']],
      ['full_x', ['full_x alert']],
      ['%', ['Disk 50% full on db01']],
      ['_', ['full_x alert']],
      ['\\', ['path C:\\temp\\x']],
      ['C:\\temp', ['path C:\\temp\\x']],
      ['\\%', []],
    ])('%j', async (q, expected) => {
      expect((await search(q)).sort()).toEqual([...expected].sort());
    });
  });

  it('answers an unknown incident with 404 not_found', async () => {
    const res = await get('/api/incidents/00000000-0000-4000-8000-000000000999', t.adminToken);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'not_found', detail: 'Incident 00000000-0000-4000-8000-000000000999 does not exist' });
  });

  it('forbids creating incidents to analysts with 403', async () => {
    const res = await post('/api/incidents', await t.tokenFor('analyst'), incident());
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('forbidden');
  });

  it('points a missing required field at the field itself', async () => {
    const res = await post('/api/incidents', t.adminToken, { title: 'no time', assets: [{ ip: 'not-an-ip' }] });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { path: '/detectedAt', keyword: 'required', message: 'is required' },
        expect.objectContaining({ path: '/assets/0/name', keyword: 'required' }),
        expect.objectContaining({ path: '/assets/0/ip' }),
      ]),
    );
  });

  it('answers in Russian with Accept-Language: ru', async () => {
    const res = await post('/api/incidents', t.adminToken, { title: 'x' }).set('Accept-Language', 'ru-RU,ru;q=0.9,en;q=0.8');
    expect(res.status).toBe(400);
    expect(res.body.title).toBe('Ошибка проверки данных');
    expect(res.body.errors[0]).toMatchObject({ path: '/detectedAt', message: 'обязательное поле' });
    const enumRes = await post('/api/tokens', t.adminToken, { name: 'x', role: 'root' }).set('Accept-Language', 'ru');
    expect(enumRes.body.errors[0].message).toMatch(/должно быть равно одному из/);
  });
});

describe('request bodies', () => {
  it('answers unparsable JSON with 400 invalid_json', async () => {
    const res = await request(t.http).post('/api/incidents').auth(t.adminToken, { type: 'bearer' }).set('Content-Type', 'application/json').send('{"title": ');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'invalid_json', status: 400 });
    expect(res.text).not.toMatch(/at .*\.js:\d+/);
  });

  it('accepts a valid body of about 1 MB', async () => {
    const big = 'Ж'.repeat(100_000);
    const body = incident({ description: big, assets: Array.from({ length: 900 }, (_, i) => ({ name: `host-${i}-${'я'.repeat(400)}` })) });
    expect(Buffer.byteLength(JSON.stringify(body))).toBeGreaterThan(900_000);
    const res = await post('/api/incidents', t.adminToken, body);
    expect(res.status).toBe(201);
    expect(res.body.description).toHaveLength(100_000);
  });

  const raw = (body: string, contentType = 'application/json') =>
    request(t.http).post('/api/incidents').auth(t.adminToken, { type: 'bearer' }).set('Content-Type', contentType).send(body);

  it('reads UTF-8 with or without a charset or a byte order mark, long non-ASCII text whole', async () => {
    const long = `${'Почтовый сервер ж'.repeat(5_000)}😀 end`;
    const body = JSON.stringify(incident({ description: long }));
    for (const [text, type] of [
      [body, 'application/json'],
      [body, 'application/json; charset=UTF-8'],
      [`\ufeff${body}`, 'application/json'],
    ]) {
      const res = await raw(text, type);
      expect([res.status, res.body.errors]).toEqual([201, undefined]);
      expect(res.body.description).toBe(long);
    }
  });

  it('answers a charset other than UTF-8 with 400 validation_failed, and a body that is not an object or an array with 400 invalid_json', async () => {
    const latin1 = await raw(JSON.stringify(incident({ title: 'Cafe' })), 'application/json; charset=ISO-8859-1');
    expect(latin1.status).toBe(400);
    expect(latin1.body).toMatchObject({ code: 'validation_failed', detail: expect.stringContaining('application/json') });
    for (const text of ['"a title"', '42', 'null', '  ']) {
      const res = await raw(text);
      expect([text, res.status, res.body.code]).toEqual([text, 400, 'invalid_json']);
    }
  });

  it('answers a 12 MB body with 413 payload_too_large', async () => {
    const res = await request(t.http)
      .post('/api/incidents')
      .auth(t.adminToken, { type: 'bearer' })
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(incident({ description: 'x'.repeat(12 * 1024 * 1024) })));
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ code: 'payload_too_large', status: 413 });
  });
});

describe('OpenAPI', () => {
  it('serves the document with the request schemas from schemas/', async () => {
    const res = await get('/api/docs/openapi.json');
    expect(res.status).toBe(200);
    const body = res.body.paths['/api/incidents'].post.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(['title', 'detectedAt']);
  });

  it('documents every answer: a success body from schemas/api/responses.schema.json and problem details otherwise', async () => {
    const doc = (await get('/api/docs/openapi.json')).body;
    const undocumented: string[] = [];
    for (const [path, operations] of Object.entries(doc.paths as Record<string, Record<string, { responses: Record<string, object> }>>)) {
      for (const [method, op] of Object.entries(operations)) {
        const success = Object.entries(op.responses).filter(([status]) => status.startsWith('2'));
        const problem = JSON.stringify(op.responses.default ?? {});
        if (success.length !== 1 || !problem.includes('#/components/schemas/Problem')) undocumented.push(`${method} ${path}`);
      }
    }
    expect(undocumented).toEqual([]);
    expect(doc.components.schemas.IncidentView.properties.rucertExport.properties.state).toEqual({ $ref: '#/components/schemas/ExportState' });
    expect(doc.paths['/api/incidents'].get.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/IncidentPage' });
  });
});
