// NUL characters, values bound as parameters, and the SQLite statement cache.
//  - A NUL (U+0000) in a title, an external id, a token name, `q` or a path segment answered 500: the ORM wrote
//    values into the SQL text, and SQLite stops reading at a NUL. PostgreSQL text cannot hold one at all, so on both
//    databases it is now 400 validation_failed naming where it was.
//  - The prepared-statement cache was keyed by that SQL text, values included: 500 large inserts kept ~100 MB of
//    heap. Statements are now parameterised, the cache is keyed by SQL without values, and it is bounded (LRU).
//  - On PostgreSQL the ORM's escaping of a 1 MB text took most of a large export; values are bound there too.
import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { createTestDatabase } from '../support/database';
import { startTestApp, type TestApp } from '../support/test-app';
import { readyForExport, createIncident } from '../support/export-setup';
import type { RucertSimulator } from '../../src/rucert-simulator/simulator';
import { STATEMENT_CACHE, STATEMENT_CACHE_SIZE } from '../../src/db/mikro-orm.config';
import { expectProblem, listen, type Client } from './support';

let t: TestApp;
let client: Client;
let sim: RucertSimulator;

beforeAll(async () => {
  t = await startTestApp({ RECONCILE_INTERVAL_MS: '3600000' });
  client = await listen(t);
  sim = await readyForExport(t);
});
afterAll(async () => {
  await sim?.close();
  await t?.close();
});

const NUL = '\u0000';

describe('a NUL character is refused with 400 validation_failed naming where it was', () => {
  const incident = { title: 'Trojan', detectedAt: '2026-11-20T08:30:00Z' };

  it.each([
    ['a title', { ...incident, title: `Tro${NUL}jan` }, '/title'],
    ['an external id', { ...incident, externalId: `SIEM-${NUL}1` }, '/externalId'],
    ['an asset name', { ...incident, assets: [{ name: `mail${NUL}01` }] }, '/assets/0/name'],
    ['an object key', { ...incident, [`ti${NUL}tle`]: 'x' }, `/ti${NUL}tle`],
  ])('in %s of a new incident', async (_what, body, path) => {
    const res = await client.call('POST', '/api/incidents', { token: t.adminToken, body });
    expectProblem(res, 400, 'validation_failed');
    expect(res.body.errors).toEqual([{ path, keyword: 'unicode', message: expect.stringContaining('NUL') }]);
  });

  it('in a token name', async () => {
    const res = await client.call('POST', '/api/tokens', { token: t.adminToken, body: { name: `bot${NUL}`, role: 'ingest' } });
    expectProblem(res, 400, 'validation_failed');
    expect(res.body.errors).toEqual([expect.objectContaining({ path: '/name', keyword: 'unicode' })]);
  });

  it('in form data of an export preview', async () => {
    const { id } = await createIncident(t);
    const data = { category: 'computer_incident', type: 'malware_infection', affectedSystemName: `mail${NUL}01`, affectedSystemCategory: 'not_cii' };
    const res = await client.call('POST', `/api/incidents/${id}/rucert-export/preview`, { token: t.adminToken, body: { data } });
    expectProblem(res, 400, 'validation_failed');
    expect(res.body.errors).toEqual([expect.objectContaining({ path: '/data/affectedSystemName', keyword: 'unicode' })]);
  });

  it('in the search text q', async () => {
    const res = await client.call('GET', '/api/incidents?q=a%00b', { token: t.adminToken });
    expectProblem(res, 400, 'validation_failed');
    expect(res.body.errors).toEqual([expect.objectContaining({ path: '/q', keyword: 'unicode' })]);
  });

  it.each([
    ['an incident id', 'GET', '/api/incidents/abc%00def', '/id'],
    ['an incident id of an export', 'GET', '/api/incidents/abc%00def/rucert-export', '/id'],
    ['a token id', 'DELETE', '/api/tokens/abc%00def', '/id'],
    ['a form version', 'GET', '/api/forms/rucert-export/versions/1%00', '/version'],
  ])('in a path segment: %s', async (_what, method, path, pointer) => {
    const res = await client.call(method, path, { token: t.adminToken });
    expectProblem(res, 400, 'validation_failed');
    expect(res.body.errors).toEqual([expect.objectContaining({ path: pointer, keyword: 'unicode' })]);
  });

  it('in Russian too', async () => {
    const res = await client.call('POST', '/api/incidents', {
      token: t.adminToken,
      body: { ...incident, title: `a${NUL}` },
      headers: { 'accept-language': 'ru' },
    });
    expect(res.body.errors[0].message).toMatch(/NUL/);
    expect(res.body.errors[0].message).not.toMatch(/contains/);
  });
});

// SQLite's own cache, so on a SQLite database whatever the run's dialect (the PostgreSQL driver keeps none)
describe('the SQLite prepared-statement cache', () => {
  let lite: TestApp;
  let liteClient: Client;
  beforeAll(async () => {
    lite = await startTestApp({ RECONCILE_INTERVAL_MS: '3600000' }, await createTestDatabase('sqlite'));
    liteClient = await listen(lite);
  });
  afterAll(async () => {
    await lite?.close();
  });

  /** The statements the one SQLite connection keeps, by SQL text. */
  async function cachedTexts(): Promise<string[]> {
    const knex = (lite.app.get(MikroORM).em as EntityManager).getKnex();
    const connection = await knex.client.acquireConnection();
    try {
      return [...((connection as Record<symbol, Map<string, unknown>>)[STATEMENT_CACHE]?.keys() ?? [])];
    } finally {
      await knex.client.releaseConnection(connection);
    }
  }

  it('is keyed by SQL without the values: inserted text never appears in a key', async () => {
    const marker = 'marker-5d1c9e';
    for (let i = 0; i < 20; i++) await createIncident(lite, { title: `${marker} ${i}`, description: `${marker} ${'x'.repeat(10_000)} ${i}` });
    const texts = await cachedTexts();
    expect(texts.length).toBeGreaterThan(0);
    expect(texts.filter((sql) => sql.includes(marker))).toEqual([]);
  });

  it('stays bounded, keeping the statements used most recently', async () => {
    const em = lite.app.get(MikroORM).em.fork() as EntityManager;
    for (let i = 0; i < STATEMENT_CACHE_SIZE + 50; i++) await em.getConnection().execute(`select ${i} as n`);
    const texts = await cachedTexts();
    expect(texts.length).toBeLessThanOrEqual(STATEMENT_CACHE_SIZE);
    expect(texts).toContain(`select ${STATEMENT_CACHE_SIZE + 49} as n`);
    expect(texts).not.toContain('select 0 as n');
  });

  it('still serves the statements of every request correctly', async () => {
    const a = await createIncident(lite, { title: 'first of two', externalId: 'STMT-1' });
    const b = await createIncident(lite, { title: 'second of two', externalId: 'STMT-2' });
    expect((await liteClient.call('GET', `/api/incidents/${a.id}`, { token: lite.adminToken })).body).toMatchObject({
      title: 'first of two',
      externalId: 'STMT-1',
    });
    expect((await liteClient.call('GET', `/api/incidents/${b.id}`, { token: lite.adminToken })).body).toMatchObject({
      title: 'second of two',
      externalId: 'STMT-2',
    });
  });
});

// On each database, whatever the run's dialect: what the ORM sends is SQL with placeholders, and the values beside it
describe.each(['sqlite', 'postgresql'] as const)('values travel as bindings, never inside the SQL text (%s)', (dialect) => {
  let app: TestApp;
  let appClient: Client;
  const sent: Array<{ sql: string; bindings: unknown[] }> = [];
  beforeAll(async () => {
    app = await startTestApp({ RECONCILE_INTERVAL_MS: '3600000' }, await createTestDatabase(dialect));
    appClient = await listen(app);
    (app.app.get(MikroORM).em as EntityManager)
      .getKnex()
      .on('query', (q: { sql: string; bindings?: unknown[] }) => sent.push({ sql: q.sql, bindings: q.bindings ?? [] }));
  });
  afterAll(async () => {
    await app?.close();
  });

  it('stores and reads back text that SQL quoting would have to escape, exactly', async () => {
    const title = "O'Brien \\ \\x41 ? $1 :name -- /* ж 😀 */ E'\\'";
    const detectedAt = '2026-11-20T08:30:00.123Z';
    const { id } = await createIncident(app, { title, detectedAt, externalId: `BIND-${dialect}` });
    const res = await appClient.call('GET', `/api/incidents/${id}`, { token: app.adminToken });
    expect(res.body).toMatchObject({ title, detectedAt, externalId: `BIND-${dialect}` });
    const carrying = sent.filter((q) => q.bindings.includes(title));
    expect(carrying.length).toBeGreaterThan(0);
    expect(sent.filter((q) => q.sql.includes('Brien'))).toEqual([]);
  });
});
