// Role × route matrix (docs/api.md "Authentication and roles"): every route of the contract, called by every role, with no
// token, with a malformed token, with an unknown token and with a revoked one. Missing/invalid/revoked → 401
// unauthorized, wrong role → 403 forbidden, allowed → past the guard (whatever the route then answers, never
// 401, never 403 forbidden, never 5xx). Allowed calls send bodies the route rejects or ids that do not exist, so
// the matrix changes nothing. The route list is checked against the app's own OpenAPI document, so a route added
// without a row here fails this test.
import { createIncident } from '../support/export-setup';
import { startTestApp, type TestApp } from '../support/test-app';
import { expectProblem, listen, type Answer, type Client } from './support';

jest.setTimeout(60_000);

type Role = 'admin' | 'compliance' | 'analyst' | 'ingest';
const ROLES: Role[] = ['admin', 'compliance', 'analyst', 'ingest'];
const ANY: Role[] = ROLES;
const ANALYST_PLUS: Role[] = ['admin', 'compliance', 'analyst'];

interface RouteCase {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  /** The path as OpenAPI writes it, for the completeness check. */
  template: string;
  allowed: Role[] | 'public';
  body?: unknown;
}

const UNKNOWN_ID = '00000000-0000-4000-8000-00000000dead';
/** The matrix is built when jest collects the tests, before beforeAll made the incident: its id goes in at call time. */
let incidentId: string;

// bodies the routes reject after the guard: they prove the guard let the call through without changing anything
const routes = (): RouteCase[] => [
  { method: 'GET', path: '/api/health', template: '/api/health', allowed: 'public' },
  { method: 'GET', path: '/api/auth/me', template: '/api/auth/me', allowed: ANY },
  { method: 'POST', path: '/api/tokens', template: '/api/tokens', allowed: ['admin'], body: { role: 'nobody' } },
  { method: 'GET', path: '/api/tokens', template: '/api/tokens', allowed: ['admin'] },
  { method: 'DELETE', path: `/api/tokens/${UNKNOWN_ID}`, template: '/api/tokens/{id}', allowed: ['admin'] },
  { method: 'POST', path: '/api/incidents', template: '/api/incidents', allowed: ['ingest', 'admin'], body: { title: '' } },
  { method: 'GET', path: '/api/incidents', template: '/api/incidents', allowed: ANY },
  { method: 'GET', path: `/api/incidents/INCIDENT`, template: '/api/incidents/{id}', allowed: ANY },
  { method: 'GET', path: '/api/license', template: '/api/license', allowed: ANY },
  { method: 'PUT', path: '/api/license', template: '/api/license', allowed: ['admin'], body: { key: 'not-a-jws' } },
  { method: 'GET', path: '/api/integrations/rucert', template: '/api/integrations/rucert', allowed: ['admin'] },
  { method: 'PUT', path: '/api/integrations/rucert', template: '/api/integrations/rucert', allowed: ['admin'], body: { enabled: 'yes' } },
  { method: 'POST', path: '/api/integrations/rucert/check', template: '/api/integrations/rucert/check', allowed: ['admin'] },
  { method: 'GET', path: '/api/forms/rucert-export', template: '/api/forms/rucert-export', allowed: ANY },
  { method: 'GET', path: '/api/forms/rucert-export/versions', template: '/api/forms/rucert-export/versions', allowed: ANY },
  { method: 'GET', path: '/api/forms/rucert-export/versions/1', template: '/api/forms/rucert-export/versions/{version}', allowed: ANY },
  {
    method: 'POST',
    path: '/api/forms/rucert-export/versions',
    template: '/api/forms/rucert-export/versions',
    allowed: ['compliance', 'admin'],
    body: { schema: 'no' },
  },
  {
    method: 'POST',
    path: '/api/forms/rucert-export/versions/99/activate',
    template: '/api/forms/rucert-export/versions/{version}/activate',
    allowed: ['compliance', 'admin'],
  },
  { method: 'GET', path: `/api/incidents/INCIDENT/rucert-export`, template: '/api/incidents/{id}/rucert-export', allowed: ANALYST_PLUS },
  {
    method: 'POST',
    path: `/api/incidents/INCIDENT/rucert-export/preview`,
    template: '/api/incidents/{id}/rucert-export/preview',
    allowed: ANALYST_PLUS,
    body: { data: 'not an object' },
  },
  {
    method: 'POST',
    path: `/api/incidents/INCIDENT/rucert-export`,
    template: '/api/incidents/{id}/rucert-export',
    allowed: ANALYST_PLUS,
    body: { data: 'not an object' },
  },
  { method: 'POST', path: `/api/incidents/INCIDENT/rucert-export/reconcile`, template: '/api/incidents/{id}/rucert-export/reconcile', allowed: ['admin'] },
  {
    method: 'POST',
    path: `/api/incidents/INCIDENT/rucert-export/resolve`,
    template: '/api/incidents/{id}/rucert-export/resolve',
    allowed: ['admin'],
    body: { outcome: 'maybe' },
  },
  { method: 'GET', path: '/api/audit', template: '/api/audit', allowed: ['admin'] },
  { method: 'GET', path: `/api/incidents/INCIDENT/ncircc`, template: '/api/incidents/{id}/ncircc', allowed: ANALYST_PLUS },
  { method: 'GET', path: `/api/incidents/INCIDENT/ncircc/supplement`, template: '/api/incidents/{id}/ncircc/supplement', allowed: ANALYST_PLUS },
  {
    method: 'POST',
    path: `/api/incidents/INCIDENT/ncircc/supplement`,
    template: '/api/incidents/{id}/ncircc/supplement',
    allowed: ANALYST_PLUS,
    body: { data: 'not an object' },
  },
  { method: 'GET', path: `/api/incidents/INCIDENT/ncircc/comments`, template: '/api/incidents/{id}/ncircc/comments', allowed: ANALYST_PLUS },
  {
    method: 'POST',
    path: `/api/incidents/INCIDENT/ncircc/comments`,
    template: '/api/incidents/{id}/ncircc/comments',
    allowed: ANALYST_PLUS,
    body: { text: '' },
  },
  { method: 'GET', path: `/api/incidents/INCIDENT/ncircc/files`, template: '/api/incidents/{id}/ncircc/files', allowed: ANALYST_PLUS },
  { method: 'POST', path: `/api/incidents/INCIDENT/ncircc/files`, template: '/api/incidents/{id}/ncircc/files', allowed: ANALYST_PLUS },
  { method: 'GET', path: `/api/incidents/INCIDENT/ncircc/files/1`, template: '/api/incidents/{id}/ncircc/files/{fileId}', allowed: ANALYST_PLUS },
  {
    method: 'POST',
    path: `/api/incidents/INCIDENT/ncircc/status`,
    template: '/api/incidents/{id}/ncircc/status',
    allowed: ANALYST_PLUS,
    body: { status: 'nope' },
  },
  { method: 'POST', path: '/api/integrations/rucert/sync', template: '/api/integrations/rucert/sync', allowed: ['admin'] },
  { method: 'GET', path: '/api/notifications', template: '/api/notifications', allowed: ANY },
  { method: 'POST', path: `/api/notifications/${UNKNOWN_ID}/read`, template: '/api/notifications/{id}/read', allowed: ANY },
];

let t: TestApp;
let client: Client;
const tokens: Record<string, string> = {};
let revoked: string;
let unauthenticatedCalls = 0;

/** Each unauthenticated call comes from its own address (TRUST_PROXY=loopback), so the failed-auth limiter stays out of it. */
function call(route: RouteCase, token?: string, rawAuthorization?: string): Promise<Answer> {
  const headers: Record<string, string> = { 'x-forwarded-for': `198.51.100.${(unauthenticatedCalls++ % 250) + 1}` };
  if (rawAuthorization !== undefined) headers.authorization = rawAuthorization;
  return client.call(route.method, route.path.replace('INCIDENT', incidentId), { token, body: route.body, headers });
}

beforeAll(async () => {
  t = await startTestApp({ RECONCILE_INTERVAL_MS: '3600000', TRUST_PROXY: 'loopback' });
  client = await listen(t);
  for (const role of ROLES) tokens[role] = await t.tokenFor(role);
  // a token of the most powerful role, then revoked
  const created = await client.call('POST', '/api/tokens', { token: t.adminToken, body: { name: 'to be revoked', role: 'admin' } });
  expect(created.status).toBe(201);
  revoked = created.body.token;
  expect((await client.call('GET', '/api/tokens', { token: revoked })).status).toBe(200);
  expect((await client.call('DELETE', `/api/tokens/${created.body.id}`, { token: t.adminToken })).status).toBe(200);
  incidentId = (await createIncident(t)).id;
});
afterAll(async () => {
  await t?.close();
});

it('covers every route the service exposes (its OpenAPI document), and only those', async () => {
  const doc = await client.call('GET', '/api/docs/openapi.json');
  expect(doc.status).toBe(200);
  const exposed = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>)
    .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
    .sort();
  const covered = routes()
    .map((r) => `${r.method} ${r.template}`)
    .sort();
  expect(covered).toEqual(exposed);
});

describe.each(ROLES)('with a %s token', (role) => {
  it.each(routes().map((r) => [`${r.method} ${r.template}`, r] as const))('%s', async (_name, route) => {
    const res = await call(route, tokens[role]);
    expect(res.status).toBeLessThan(500);
    expect(res.status).not.toBe(401);
    if (route.allowed === 'public' || route.allowed.includes(role)) {
      // past the guard: whatever the route answers, it is not a refusal of the role
      if (res.status === 403) expect(res.body.code).not.toBe('forbidden');
    } else {
      expectProblem(res, 403, 'forbidden');
    }
  });
});

describe.each([
  ['no token', undefined, undefined],
  ['a revoked token', 'revoked', undefined],
  ['an unknown token', 'rcx_unknownunknownunknownunknownunknownunknown', undefined],
  ['a malformed Authorization header', undefined, 'Basic YWRtaW46YWRtaW4='],
  ['an empty bearer', undefined, 'Bearer '],
] as const)('with %s', (_label, token, raw) => {
  it.each(routes().map((r) => [`${r.method} ${r.template}`, r] as const))('%s', async (_name, route) => {
    const res = await call(route, token === 'revoked' ? revoked : token, raw);
    if (route.allowed === 'public') {
      expect(res.status).toBe(200);
    } else {
      expectProblem(res, 401, 'unauthorized');
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
    }
  });
});

it('changed nothing while probing: no token created or revoked, no incident created, no license, the built-in form version 2 active beside version 1', async () => {
  const list = await client.call('GET', '/api/tokens', { token: t.adminToken });
  expect(list.body.map((x: { name: string }) => x.name).sort()).toEqual(
    ['bootstrap admin', 'test analyst', 'test compliance', 'test ingest', 'to be revoked'].sort(),
  );
  const incidents = await client.call('GET', '/api/incidents', { token: t.adminToken });
  expect(incidents.body.total).toBe(1);
  expect((await client.call('GET', '/api/license', { token: t.adminToken })).body.state).toBe('missing');
  const versions = await client.call('GET', '/api/forms/rucert-export/versions', { token: t.adminToken });
  expect(versions.body.map((v: { version: number; active: boolean }) => [v.version, v.active])).toEqual([
    [1, false],
    [2, true],
  ]);
});
