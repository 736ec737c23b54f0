// The built-in form versions (schemas/forms/rucert-export/builtin.json) on installs that exist already: a database
// made by the release before migration 0003 (version 1 active, an incident) starts with version 2 published beside
// it, inactive; a number staff already used makes the built-in take the next one; nothing is inserted twice; and a
// built-in goes through the very gate a compliance-authored version does.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import schemaV1 from '../schemas/forms/rucert-export/v1/schema.json';
import uiSchemaV1 from '../schemas/forms/rucert-export/v1/ui-schema.json';
import samplesV1 from '../schemas/forms/rucert-export/v1/samples.json';
import fixtureV2 from './fixtures/rucert-export-v2.json';
import { ProblemError } from '../src/common/problem';
import { FormsService, readBuiltins } from '../src/forms/forms.service';
import { earlierRelease } from './support/earlier-release';
import { startTestApp, type TestApp } from './support/test-app';

type Json = Record<string, any>;
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));
const V1_NOTES = 'Built-in version 1: the categories, types and rules of the seed product (KUMA 1.5), for NCIRCC API profile 1.0';
const STAFF_NOTES = 'Our own version 2, published before the product shipped one';

/**
 * A database as the release before migration 0003 left it: migrated to 0001 only, version 1 inserted as that
 * release did at its first start (no built-in key), an incident without observables; `staffVersion2` adds a version 2
 * published (and active) by compliance staff.
 */
const earlierInstall = (opts: { staffVersion2: boolean }) =>
  earlierRelease('0001-Init', async ({ execute, at, flag }) => {
    const now = at(new Date());
    const insertVersion = (version: number, schema: object, uiSchema: object, samples: object, notes: string, author: string, active: boolean) =>
      execute(
        'insert into form_versions (form_id, version, schema, ui_schema, samples, notes, author, published_at, active) values (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        ['rucert-export', version, JSON.stringify(schema), JSON.stringify(uiSchema), JSON.stringify(samples), notes, author, now, flag(active)],
      );
    await insertVersion(1, schemaV1, uiSchemaV1, samplesV1, V1_NOTES, 'system', !opts.staffVersion2);
    if (opts.staffVersion2) {
      const schema = { ...fixtureV2.schema, $id: 'urn:rucert-export:forms:rucert-export:v2' };
      await insertVersion(2, schema, fixtureV2.uiSchema, fixtureV2.samples, STAFF_NOTES, 'compliance (staff token)', true);
    }
    const incidentId = randomUUID();
    await execute("insert into incidents (id, title, status, detected_at, assets, created_at) values (?, ?, 'open', ?, '[]', ?)", [
      incidentId,
      'Incident of the earlier release',
      now,
      now,
    ]);
    await execute("insert into rucert_exports (incident_id, state, attempt, updated_at) values (?, 'not_exported', 0, ?)", [incidentId, now]);
    return { incidentId };
  });

const get = (t: TestApp, path: string) => request(t.http).get(path).auth(t.adminToken, { type: 'bearer' });
const versionsOf = async (t: TestApp) =>
  (await get(t, '/api/forms/rucert-export/versions')).body.map((v: Json) => ({ version: v.version, active: v.active, author: v.author, notes: v.notes }));
const V2_NOTES = readBuiltins().versions.find((v) => v.key === 'v2')!.notes;

describe('an install of the earlier release, version 1 active', () => {
  let t: TestApp;
  let incidentId: string;
  beforeAll(async () => {
    const earlier = await earlierInstall({ staffVersion2: false });
    incidentId = earlier.incidentId;
    t = await startTestApp({}, earlier.db);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('sees version 2 published, inactive, with its notes; version 1 stays active and unchanged', async () => {
    expect(await versionsOf(t)).toEqual([
      { version: 1, active: true, author: 'system', notes: V1_NOTES },
      { version: 2, active: false, author: 'system', notes: V2_NOTES },
    ]);
    const v1 = await get(t, '/api/forms/rucert-export/versions/1');
    expect(v1.body.schema).toEqual(schemaV1);
    expect((await get(t, '/api/forms/rucert-export')).body.version).toBe(1);
    expect((await get(t, '/api/forms/rucert-export/versions/2')).body.schema.$id).toBe('urn:rucert-export:forms:rucert-export:v2');
  });

  it('records the publication of version 2 (only) in the audit log, by the system', async () => {
    const audit = await get(t, '/api/audit?limit=100');
    const forms = audit.body.items.filter((e: Json) => e.action.startsWith('form.'));
    expect(forms.map((e: Json) => [e.action, e.actor, e.details.version, e.details.builtin])).toEqual([['form.published', 'system', 2, 'v2']]);
  });

  it('reads its incidents with no observables and indicators', async () => {
    const res = await get(t, `/api/incidents/${incidentId}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: incidentId, observables: [], indicators: [] });
  });

  it('inserts nothing more when the built-ins are installed again (the next start, another instance)', async () => {
    const before = await versionsOf(t);
    await t.app.get(FormsService).installBuiltins(readBuiltins());
    expect(await versionsOf(t)).toEqual(before);
  });

  it('publishes a built-in through the gate a compliance-authored version passes: the same problems, nothing stored', async () => {
    const broken = { schema: clone(schemaV1) as Json, uiSchema: clone(uiSchemaV1) as Json, samples: clone(samplesV1) as Json };
    delete broken.schema.properties.city['x-rucert'];
    broken.schema.properties.incidentEndTime['x-not-future'] = 'yes';
    const compliance = await t.tokenFor('compliance');
    const viaHttp = await request(t.http)
      .post('/api/forms/rucert-export/versions')
      .auth(compliance, { type: 'bearer' })
      .send({ ...broken, notes: 'broken' });
    expect(viaHttp.status).toBe(400);
    expect(viaHttp.body.code).toBe('schema_rejected');
    expect(viaHttp.body.errors.map((e: Json) => [e.path, e.keyword])).toEqual([
      ['/schema/properties/city', 'missing-x-rucert'],
      ['/schema/properties/incidentEndTime/x-not-future', 'x-not-future-invalid'],
    ]);

    const before = await versionsOf(t);
    const install = t.app.get(FormsService).installBuiltins({ activeOnFreshInstall: 1, versions: [{ key: 'broken', version: 9, notes: 'broken', ...broken }] });
    const err = (await install.catch((e: unknown) => e)) as ProblemError;
    expect(err).toBeInstanceOf(ProblemError);
    expect(err.code).toBe('schema_rejected');
    expect(err.options.errors).toEqual(viaHttp.body.errors);
    expect(await versionsOf(t)).toEqual(before);
  });
});

describe('an install where staff already published a version 2 of their own', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({}, (await earlierInstall({ staffVersion2: true })).db);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('gets the built-in version 2 as version 3, inactive, and keeps the staff version active', async () => {
    expect(await versionsOf(t)).toEqual([
      { version: 1, active: false, author: 'system', notes: V1_NOTES },
      { version: 2, active: true, author: 'compliance (staff token)', notes: STAFF_NOTES },
      { version: 3, active: false, author: 'system', notes: V2_NOTES },
    ]);
    const v3 = await get(t, '/api/forms/rucert-export/versions/3');
    expect(v3.body.schema.$id).toBe('urn:rucert-export:forms:rucert-export:v3');
    expect(v3.body.schema.properties.operatorInn['x-rucert']).toEqual({ field: 'rkn_inn', type: 'number' });
    expect((await get(t, '/api/forms/rucert-export')).body).toMatchObject({ version: 2, notes: STAFF_NOTES });
  });
});

describe('a fresh install', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('starts with version 2 active, today’s NCIRCC (builtin.json activeOnFreshInstall), and version 1 beside it', async () => {
    expect(readBuiltins().activeOnFreshInstall).toBe(2);
    expect(await versionsOf(t)).toEqual([
      { version: 1, active: false, author: 'system', notes: V1_NOTES },
      { version: 2, active: true, author: 'system', notes: V2_NOTES },
    ]);
    const active = await request(t.http).get('/api/forms/rucert-export').auth(t.adminToken, { type: 'bearer' });
    expect(active.body).toMatchObject({ version: 2, schema: { $id: 'urn:rucert-export:forms:rucert-export:v2' } });
  });
});
