// The export form as versioned data, through the HTTP API: the registry's routes, every rule of docs/ncircc.md, version 1
// for every category, every wire string of docs/ncircc.md as the preview shows it, publishing a new version without
// a code change, the publish gate (house rules and hostile definitions), exports keeping the version they were made
// with, and the built-in version 2 for today's NCIRCC API (published, inactive until activated; technical details
// pre-filled from the incident). The tables below are written from docs/ncircc.md, not read from
// schemas/: they are the check on the schema.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { apiDefinitionValidator } from '../src/common/ajv.pipe';
import type { RucertSimulator } from '../src/rucert-simulator/simulator';
import { CATEGORIES, CATEGORY_WIRE, CII_WIRE, FUNCTION_WIRE, IMPACT_WIRE, TLP_WIRE, TYPES, type Category } from './fixtures/rucert-wire-v1';
import { activateFormVersion, configureIntegration, createIncident, readyForExport } from './support/export-setup';
import { startTestApp, type TestApp } from './support/test-app';

type Json = Record<string, any>;

let t: TestApp;
let sim: RucertSimulator;
let analyst: string;
let compliance: string;
let incidentId: string;

const V2 = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'rucert-export-v2.json'), 'utf8')) as {
  schema: Json;
  uiSchema: Json;
  samples: Json;
  notes: string;
};

// ---- version 1's vocabulary and wire strings, typed in from the domain ------------------------------------------
const IMPACT_FIELDS = [
  ['availabilityImpact', 'availability_impact'],
  ['integrityImpact', 'integrity_impact'],
  ['confidentialityImpact', 'confidentiality_impact'],
] as const;

// ---- docs/ncircc.md, version 1: which field applies where ------------------------------------------------------------------
// The minimal valid data of each category; function and location come from the integration defaults
// (banking_finance, RU-MOW, set by readyForExport), TLP from the form default.
const PRODUCT = [{ name: 'nginx', version: '1.18.0' }];
const BASE: Record<Category, Json> = {
  computer_incident: { category: 'computer_incident', type: 'malware_infection', affectedSystemName: 'mail01.example.ru', affectedSystemCategory: 'not_cii' },
  computer_attack: { category: 'computer_attack', type: 'network_scanning', affectedSystemName: 'vpn.example.ru', affectedSystemCategory: 'cii_category_3' },
  vulnerability: {
    category: 'vulnerability',
    type: 'vulnerable_resource',
    affectedSystemName: 'portal.example.ru',
    affectedSystemCategory: 'cii_no_category',
    productInfo: PRODUCT,
  },
};

type Availability = 'required' | 'optional' | 'unavailable';
/** Optional (and unavailable) fields: a valid value, the wire field and the wire value it must be sent as. */
const OPTIONAL_FIELDS: Record<string, { value: unknown; wire: string; sent: unknown; where: Record<Category, Availability> }> = {
  affectedSystemConnection: {
    value: true,
    wire: 'affected_system_connection',
    sent: true,
    where: { computer_incident: 'optional', computer_attack: 'optional', vulnerability: 'optional' },
  },
  productInfo: {
    value: PRODUCT,
    wire: 'product_info',
    sent: PRODUCT,
    where: { computer_incident: 'unavailable', computer_attack: 'unavailable', vulnerability: 'required' },
  },
  vulnerabilityId: {
    value: 'CVE-2021-23017',
    wire: 'vulnerability_id',
    sent: 'CVE-2021-23017',
    where: { computer_incident: 'unavailable', computer_attack: 'unavailable', vulnerability: 'optional' },
  },
  vulnerableProduct: {
    value: 'nginx 1.18.0',
    wire: 'product_category',
    sent: 'nginx 1.18.0',
    where: { computer_incident: 'unavailable', computer_attack: 'unavailable', vulnerability: 'optional' },
  },
  detectionTool: {
    value: 'KUMA 3.2',
    wire: 'detection_tool',
    sent: 'KUMA 3.2',
    where: { computer_incident: 'optional', computer_attack: 'optional', vulnerability: 'optional' },
  },
  assistanceRequired: {
    value: true,
    wire: 'assistance',
    sent: true,
    where: { computer_incident: 'optional', computer_attack: 'optional', vulnerability: 'optional' },
  },
  incidentEndTime: {
    value: '2026-11-21T10:15:00+03:00',
    wire: 'end_time',
    sent: '2026-11-21T07:15:00.000Z',
    where: { computer_incident: 'optional', computer_attack: 'optional', vulnerability: 'optional' },
  },
  availabilityImpact: {
    value: 'high',
    wire: 'availability_impact',
    sent: 'Высокое',
    where: { computer_incident: 'optional', computer_attack: 'unavailable', vulnerability: 'unavailable' },
  },
  integrityImpact: {
    value: 'low',
    wire: 'integrity_impact',
    sent: 'Низкое',
    where: { computer_incident: 'optional', computer_attack: 'unavailable', vulnerability: 'unavailable' },
  },
  confidentialityImpact: {
    value: 'none',
    wire: 'confidentiality_impact',
    sent: 'Отсутствует',
    where: { computer_incident: 'optional', computer_attack: 'unavailable', vulnerability: 'unavailable' },
  },
  customImpact: {
    value: 'Mail delivery stopped for two hours',
    wire: 'custom_impact',
    sent: 'Mail delivery stopped for two hours',
    where: { computer_incident: 'optional', computer_attack: 'unavailable', vulnerability: 'unavailable' },
  },
  city: { value: 'Москва', wire: 'city', sent: 'Москва', where: { computer_incident: 'optional', computer_attack: 'optional', vulnerability: 'optional' } },
};
const cases = (want: Availability) =>
  Object.entries(OPTIONAL_FIELDS).flatMap(([field, f]) => CATEGORIES.filter((c) => f.where[c] === want).map((c) => [field, c] as const));

/** Required in every category and without a default: omitting them is a 400 naming the field. */
const REQUIRED_NO_DEFAULT = ['category', 'type', 'affectedSystemName', 'affectedSystemCategory'];

// ---- HTTP helpers ------------------------------------------------------------------------------------------------
const as = (token: string) => ({
  get: (path: string) => request(t.http).get(path).auth(token, { type: 'bearer' }),
  post: (path: string, body?: unknown) =>
    request(t.http)
      .post(path)
      .auth(token, { type: 'bearer' })
      .send(body as object),
});
const preview = (data: Json, extra: Json = {}) => as(analyst).post(`/api/incidents/${incidentId}/rucert-export/preview`, { data, ...extra });
const publish = (body: Json, token = compliance) => as(token).post('/api/forms/rucert-export/versions', body);
const without = (o: Json, key: string) => Object.fromEntries(Object.entries(o).filter(([k]) => k !== key));
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));
const fieldError = (path: string, keyword: string) => ({ path, keyword, message: expect.any(String) });

async function expectInvalid(data: Json, errors: Array<{ path: string; keyword: string }>) {
  const res = await preview(data);
  expect(res.status).toBe(400);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status: 400, code: 'validation_failed', title: 'Validation failed' });
  // every problem, each once; their order is ajv's and not part of the contract
  const byPlace = (a: { path: string; keyword: string }, b: { path: string; keyword: string }) =>
    `${a.path} ${a.keyword}`.localeCompare(`${b.path} ${b.keyword}`);
  expect([...res.body.errors].sort(byPlace)).toEqual([...errors].sort(byPlace).map((e) => fieldError(e.path, e.keyword)));
  return res;
}
async function expectPayload(data: Json) {
  const res = await preview(data);
  expect(res.status).toBe(200);
  return res.body.payload as Json;
}

let v1: Json; // version 1 as the registry first serves it

beforeAll(async () => {
  t = await startTestApp({ RECONCILE_INTERVAL_MS: '3600000' });
  sim = await readyForExport(t);
  analyst = await t.tokenFor('analyst');
  compliance = await t.tokenFor('compliance');
  incidentId = (await createIncident(t)).id;
  // this file is about version 1's rules and the registry's life from there; a fresh install starts with version 2
  // active (test/forms-builtin.e2e-spec.ts), so it activates version 1 first, as compliance staff would
  await activateFormVersion(t, 1);
  v1 = (await as(analyst).get('/api/forms/rucert-export/versions/1')).body;
});
afterAll(async () => {
  await sim?.close();
  await t?.close();
});

describe('the form registry at version 1', () => {
  it('serves the built-in version 1 as the active form to any role', async () => {
    for (const token of [analyst, await t.tokenFor('ingest'), compliance, t.adminToken]) {
      const res = await as(token).get('/api/forms/rucert-export');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ formId: 'rucert-export', version: 1, active: true, notes: expect.any(String) });
      expect(res.body.schema.$id).toBe('urn:rucert-export:forms:rucert-export:v1');
      expect(res.body.schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
      expect(res.body.uiSchema['ui:tabs'].map((tab: Json) => tab.id)).toEqual(['basic', 'advanced']);
      expect(new Date(res.body.publishedAt).toISOString()).toBe(res.body.publishedAt);
      // the route writes pre-serialized bytes, past the response check: the same definition, checked here
      const follows = apiDefinitionValidator('responses', 'FormVersionView');
      expect(follows(res.body) ? [] : follows.errors).toEqual([]);
    }
  });

  it('sends the active form gzip-compressed to a client that accepts gzip, as it is to one that does not', async () => {
    const plain = await as(analyst).get('/api/forms/rucert-export').set('Accept-Encoding', 'identity');
    const gzipped = await as(analyst).get('/api/forms/rucert-export').set('Accept-Encoding', 'gzip, deflate, br, zstd');
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(gzipped.status).toBe(200);
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    for (const res of [plain, gzipped]) expect(res.headers.vary).toMatch(/Accept-Encoding/i);
    // the same document, a quarter of the bytes or less on the wire
    expect(gzipped.body).toEqual(plain.body);
    expect(plain.body.version).toBe(1);
    expect(Number(gzipped.headers['content-length'])).toBeLessThan(Number(plain.headers['content-length']) / 4);
    expect(gzipped.headers.etag).not.toBe(plain.headers.etag);
  });

  it('answers 304 to a client whose copy of that representation is current, and the new document once another version is active', async () => {
    const get = (encoding: string, etag?: string) => {
      const req = as(analyst).get('/api/forms/rucert-export').set('Accept-Encoding', encoding);
      return etag ? req.set('If-None-Match', etag) : req;
    };
    const plainTag = (await get('identity')).headers.etag;
    const gzipTag = (await get('gzip')).headers.etag;
    expect((await get('identity', plainTag)).status).toBe(304);
    expect((await get('gzip', gzipTag)).status).toBe(304);
    // a cached plain copy does not stand for the compressed bytes, nor the other way round
    expect((await get('gzip', plainTag)).status).toBe(200);
    expect((await get('identity', gzipTag)).status).toBe(200);

    expect((await as(compliance).post('/api/forms/rucert-export/versions/2/activate')).status).toBe(200);
    try {
      for (const [encoding, tag] of [
        ['identity', plainTag],
        ['gzip', gzipTag],
      ]) {
        const res = await get(encoding, tag);
        expect(res.status).toBe(200);
        expect(res.body.version).toBe(2);
      }
    } finally {
      await activateFormVersion(t, 1);
    }
  });

  it('puts the fields of docs/ncircc.md, version 1 on the Basic and Advanced tabs', async () => {
    const { body } = await as(analyst).get('/api/forms/rucert-export');
    const [basic, advanced] = body.uiSchema['ui:tabs'];
    expect(basic.fields).toEqual(
      expect.arrayContaining([
        'category',
        'type',
        'tlp',
        'affectedSystemName',
        'affectedSystemCategory',
        'affectedSystemFunction',
        'location',
        'affectedSystemConnection',
        'productInfo',
        'vulnerabilityId',
        'vulnerableProduct',
      ]),
    );
    expect(advanced.fields).toEqual(
      expect.arrayContaining([
        'detectionTool',
        'assistanceRequired',
        'incidentEndTime',
        'availabilityImpact',
        'integrityImpact',
        'confidentialityImpact',
        'customImpact',
        'city',
      ]),
    );
  });

  it('lists the versions without their documents: version 1 active, the built-in version 2 published beside it', async () => {
    const res = await as(analyst).get('/api/forms/rucert-export/versions');
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      { formId: 'rucert-export', version: 1, active: true, notes: expect.any(String), author: 'system', publishedAt: expect.any(String) },
      { formId: 'rucert-export', version: 2, active: false, notes: expect.stringMatching(/NCIRCC API/), author: 'system', publishedAt: expect.any(String) },
    ]);
  });

  it('serves one version by number', async () => {
    const res = await as(analyst).get('/api/forms/rucert-export/versions/1');
    expect(res.status).toBe(200);
    const active = await as(analyst).get('/api/forms/rucert-export');
    expect(res.body).toEqual(active.body);
    expect(res.body).toEqual(v1);
  });

  it.each(['3', '99', '0', 'abc', '1.0', '-1'])('answers version %s, which does not exist, with 404 not_found', async (version) => {
    const res = await as(analyst).get(`/api/forms/rucert-export/versions/${version}`);
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 404, code: 'not_found', title: 'Not found' });
  });

  it('answers without a token with 401', async () => {
    const res = await request(t.http).get('/api/forms/rucert-export');
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('unauthorized');
  });
});

describe('docs/ncircc.md: every category and type is sent as its wire string', () => {
  it.each(TYPES)('%s / %s is sent as "%s"', async (category, type, wire) => {
    const payload = await expectPayload({ ...BASE[category], type });
    expect(payload.category).toBe(CATEGORY_WIRE[category]);
    expect(payload.type).toBe(wire);
  });

  it('offers exactly the types of docs/ncircc.md, no more', async () => {
    const codes = v1.schema.properties.type.oneOf.map((o: Json) => o.const).sort();
    expect(codes).toEqual(TYPES.map(([, type]) => type).sort());
    expect(v1.schema.properties.category.oneOf.map((o: Json) => o.const).sort()).toEqual([...CATEGORIES].sort());
  });

  it.each(CATEGORIES.flatMap((category) => TYPES.filter(([c]) => c !== category).map(([, type]) => [category, type] as const)))(
    'rejects under %s the type %s of another category, naming /type',
    async (category, type) => {
      await expectInvalid({ ...BASE[category], type }, [{ path: '/type', keyword: 'enum' }]);
    },
  );

  it('rejects an unknown category code, naming /category', async () => {
    await expectInvalid({ ...BASE.computer_incident, category: 'incident' }, [{ path: '/category', keyword: 'oneOf' }]);
  });

  it.each(CATEGORIES)('rejects an unknown type code under %s: neither a type nor one of the category', async (category) => {
    await expectInvalid({ ...BASE[category], type: 'ransomware' }, [
      { path: '/type', keyword: 'oneOf' },
      { path: '/type', keyword: 'enum' },
    ]);
  });
});

describe('docs/ncircc.md: every other enumeration is sent as its wire string', () => {
  it.each(Object.entries(TLP_WIRE))('TLP %s is sent as %s', async (tlp, wire) => {
    expect((await expectPayload({ ...BASE.computer_incident, tlp })).tlp).toBe(wire);
  });

  it.each(Object.entries(CII_WIRE))('affected system category %s is sent as "%s"', async (code, wire) => {
    expect((await expectPayload({ ...BASE.computer_attack, affectedSystemCategory: code })).affected_system_category).toBe(wire);
  });

  it.each(Object.entries(FUNCTION_WIRE))('business sector %s is sent as "%s"', async (code, wire) => {
    expect((await expectPayload({ ...BASE.vulnerability, affectedSystemFunction: code })).affected_system_function).toBe(wire);
  });

  it.each(IMPACT_FIELDS.flatMap(([field, wireField]) => Object.entries(IMPACT_WIRE).map(([code, wire]) => [field, code, wireField, wire])))(
    '%s %s is sent as %s "%s"',
    async (field, code, wireField, wire) => {
      expect((await expectPayload({ ...BASE.computer_incident, [field]: code }))[wireField]).toBe(wire);
    },
  );

  it.each(['RU-MOW', 'RU-SPE', 'RU-TA', 'RU-CHU', 'RU-KGD'])('location %s is sent as the ISO 3166-2 code itself', async (location) => {
    expect((await expectPayload({ ...BASE.computer_incident, location })).location).toBe(location);
  });

  it.each([
    ['tlp', 'BLACK'],
    ['affectedSystemCategory', 'cii'],
    ['affectedSystemFunction', 'retail'],
    ['location', 'RU-XX'],
    ['availabilityImpact', 'medium'],
  ])('rejects an unknown %s code %s, naming the field', async (field, value) => {
    await expectInvalid({ ...BASE.computer_incident, [field]: value }, [{ path: `/${field}`, keyword: 'oneOf' }]);
  });
});

describe('docs/ncircc.md, version 1: which field applies where', () => {
  it('sends the complete payload of a minimal computer incident, defaults applied, fields that do not apply omitted', async () => {
    const payload = await expectPayload(BASE.computer_incident);
    expect(payload).toEqual({
      owner_name: 'ООО «Тестовая организация»',
      event_description: expect.stringContaining(incidentId),
      detect_time: '2026-11-20T08:30:00.000Z',
      activity_status: 'Проводятся мероприятия по реагированию',
      category: 'Уведомление о компьютерном инциденте',
      type: 'Заражение ВПО',
      tlp: 'TLP:RED',
      affected_system_name: 'mail01.example.ru',
      affected_system_category: 'Информационный ресурс не является объектом КИИ',
      affected_system_function: 'Банковская сфера и иные сферы финансового рынка',
      location: 'RU-MOW',
      affected_system_connection: false,
      assistance: false,
      detection_tool: 'KUMA 3.2',
    });
    expect(payload.event_description).toMatch(/^EDR alert 4711: trojan in a mail attachment\n/);
  });

  it('sends every field a vulnerability allows, and nothing it does not', async () => {
    const data = {
      ...BASE.vulnerability,
      productInfo: [...PRODUCT, { name: 'OpenSSL', version: '3.0.7' }],
      vulnerabilityId: 'BDU:2020-01234',
      vulnerableProduct: 'nginx 1.18.0',
      detectionTool: 'MaxPatrol VM',
      assistanceRequired: true,
      incidentEndTime: '2026-11-22T00:00:00Z',
      city: 'Казань',
      affectedSystemConnection: true,
    };
    const payload = await expectPayload(data);
    expect(without(without(without(without(payload, 'owner_name'), 'event_description'), 'detect_time'), 'activity_status')).toEqual({
      category: 'Уведомление о наличии уязвимости',
      type: 'Уязвимый ресурс',
      tlp: 'TLP:RED',
      affected_system_name: 'portal.example.ru',
      affected_system_category: 'Объект КИИ без категории значимости',
      affected_system_function: 'Банковская сфера и иные сферы финансового рынка',
      location: 'RU-MOW',
      affected_system_connection: true,
      product_info: [
        { name: 'nginx', version: '1.18.0' },
        { name: 'OpenSSL', version: '3.0.7' },
      ],
      vulnerability_id: 'BDU:2020-01234',
      product_category: 'nginx 1.18.0',
      detection_tool: 'MaxPatrol VM',
      assistance: true,
      end_time: '2026-11-22T00:00:00.000Z',
      city: 'Казань',
    });
  });

  it.each(CATEGORIES.flatMap((c) => REQUIRED_NO_DEFAULT.map((field) => [field, c] as const)))(
    'requires %s for %s, naming the field',
    async (field, category) => {
      await expectInvalid(without(BASE[category], field), [{ path: `/${field}`, keyword: 'required' }]);
    },
  );

  it.each(CATEGORIES)('requires a non-empty affected system name for %s', async (category) => {
    await expectInvalid({ ...BASE[category], affectedSystemName: '' }, [{ path: '/affectedSystemName', keyword: 'minLength' }]);
  });

  it.each(CATEGORIES)('takes TLP RED by default for %s, and rejects an explicit null TLP', async (category) => {
    expect((await expectPayload(BASE[category])).tlp).toBe('TLP:RED');
    await expectInvalid({ ...BASE[category], tlp: null }, [
      { path: '/tlp', keyword: 'type' },
      { path: '/tlp', keyword: 'oneOf' },
    ]);
  });

  it.each(CATEGORIES)('takes business sector and location from the integration for %s; the form value wins', async (category) => {
    const defaulted = await expectPayload(BASE[category]);
    expect(defaulted).toMatchObject({ affected_system_function: FUNCTION_WIRE.banking_finance, location: 'RU-MOW' });
    const given = await expectPayload({ ...BASE[category], affectedSystemFunction: 'healthcare', location: 'RU-SPE' });
    expect(given).toMatchObject({ affected_system_function: FUNCTION_WIRE.healthcare, location: 'RU-SPE' });
  });

  it('requires a location for every category when the integration has no default location', async () => {
    await configureIntegration(t, sim, { defaultLocation: undefined });
    try {
      for (const category of CATEGORIES) {
        await expectInvalid(BASE[category], [{ path: '/location', keyword: 'required' }]);
        expect((await expectPayload({ ...BASE[category], location: 'RU-TA' })).location).toBe('RU-TA');
      }
    } finally {
      await configureIntegration(t, sim);
    }
  });

  it.each(CATEGORIES)('sends the booleans as false by default for %s', async (category) => {
    expect(await expectPayload(BASE[category])).toMatchObject({ affected_system_connection: false, assistance: false });
  });

  it.each(cases('optional'))('accepts the optional field %s for %s and sends it', async (field, category) => {
    const f = OPTIONAL_FIELDS[field];
    const payload = await expectPayload({ ...BASE[category], [field]: f.value });
    expect(payload[f.wire]).toEqual(f.sent);
  });

  it.each(cases('optional').filter(([field]) => typeof OPTIONAL_FIELDS[field].value !== 'boolean' && field !== 'detectionTool'))(
    'omits the optional field %s for %s from the payload when it is not given',
    async (field, category) => {
      expect(await expectPayload(without(BASE[category], field))).not.toHaveProperty(OPTIONAL_FIELDS[field].wire);
    },
  );

  it.each(CATEGORIES)('takes the detection tool from the integration setting for %s, never this product; the form value wins', async (category) => {
    expect((await expectPayload(BASE[category])).detection_tool).toBe('KUMA 3.2');
    expect((await expectPayload({ ...BASE[category], detectionTool: 'MaxPatrol SIEM' })).detection_tool).toBe('MaxPatrol SIEM');
    await configureIntegration(t, sim, { detectionTool: undefined });
    try {
      const payload = await expectPayload(BASE[category]);
      expect(payload).not.toHaveProperty('detection_tool');
      expect(JSON.stringify(payload)).not.toMatch(/rucert-export \d/);
    } finally {
      await configureIntegration(t, sim);
    }
  });

  it.each(cases('unavailable'))('rejects %s for %s: not available, naming the field', async (field, category) => {
    const res = await expectInvalid({ ...BASE[category], [field]: OPTIONAL_FIELDS[field].value }, [{ path: `/${field}`, keyword: 'false schema' }]);
    expect(res.body.errors[0].message).toBe('is not available for the selected category or type');
  });

  it('words "not available" in Russian with Accept-Language: ru', async () => {
    const res = await preview({ ...BASE.computer_attack, customImpact: 'x' }).set('Accept-Language', 'ru');
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: '/customImpact', keyword: 'false schema', message: 'недоступно для выбранной категории или типа' }]);
  });

  it('reports every problem of a submission at once', async () => {
    const res = await preview({ ...without(BASE.computer_attack, 'affectedSystemName'), productInfo: PRODUCT, customImpact: 'x', city: 'x'.repeat(256) });
    expect(res.status).toBe(400);
    // the order is ajv's; the set is the contract
    expect(res.body.errors).toHaveLength(4);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        fieldError('/affectedSystemName', 'required'),
        fieldError('/city', 'maxLength'),
        fieldError('/productInfo', 'false schema'),
        fieldError('/customImpact', 'false schema'),
      ]),
    );
  });

  describe('product info of a vulnerability: at least one row, name and version both required', () => {
    it('requires the product info table', async () => {
      await expectInvalid(without(BASE.vulnerability, 'productInfo'), [{ path: '/productInfo', keyword: 'required' }]);
    });
    it('requires at least one row', async () => {
      await expectInvalid({ ...BASE.vulnerability, productInfo: [] }, [{ path: '/productInfo', keyword: 'minItems' }]);
    });
    it.each(['name', 'version'])('requires the %s of every row, pointing at it', async (key) => {
      await expectInvalid({ ...BASE.vulnerability, productInfo: [...PRODUCT, without(PRODUCT[0], key)] }, [
        { path: `/productInfo/1/${key}`, keyword: 'required' },
      ]);
    });
    it('rejects an unknown column, pointing at it', async () => {
      await expectInvalid({ ...BASE.vulnerability, productInfo: [{ ...PRODUCT[0], vendor: 'F5' }] }, [
        { path: '/productInfo/0/vendor', keyword: 'additionalProperties' },
      ]);
    });
  });

  describe('field formats', () => {
    it.each(['CVE-2020-1231', 'CVE-2021-1234567', 'BDU:2020-01234'])('accepts the vulnerability ID %s', async (id) => {
      expect((await expectPayload({ ...BASE.vulnerability, vulnerabilityId: id })).vulnerability_id).toBe(id);
    });
    it.each(['CVE-2020-123', 'BDU:2020-1234', 'cve-2020-1231', 'CVE-2020-1231 ', 'GHSA-xxxx'])('rejects the vulnerability ID %j', async (id) => {
      await expectInvalid({ ...BASE.vulnerability, vulnerabilityId: id }, [{ path: '/vulnerabilityId', keyword: 'pattern' }]);
    });
    it.each(['tomorrow', '2026-11-21T10:15:00', '2026-11-21'])('rejects the end time %j, which is not an ISO 8601 date-time with a zone', async (time) => {
      await expectInvalid({ ...BASE.computer_incident, incidentEndTime: time }, [{ path: '/incidentEndTime', keyword: 'format' }]);
    });
    it('accepts an affected system name of 500,000 Cyrillic characters and rejects one more', async () => {
      const name = 'Ж'.repeat(500_000);
      expect((await expectPayload({ ...BASE.computer_incident, affectedSystemName: name })).affected_system_name).toBe(name);
      await expectInvalid({ ...BASE.computer_incident, affectedSystemName: name + 'Ж' }, [{ path: '/affectedSystemName', keyword: 'maxLength' }]);
    });
    it('rejects a field the form does not have, naming it', async () => {
      await expectInvalid({ ...BASE.computer_incident, severity: 'high' }, [{ path: '/severity', keyword: 'additionalProperties' }]);
    });
    it('rejects a boolean given as a string', async () => {
      await expectInvalid({ ...BASE.computer_incident, assistanceRequired: 'yes' }, [{ path: '/assistanceRequired', keyword: 'type' }]);
    });
  });
});

// ---- versions ----------------------------------------------------------------------------------------------------
let exportedUnderV1: string;
const V1_EXPORT_DATA = { ...BASE.computer_incident, type: 'traffic_interception', city: 'Тула' };

describe('an export made under version 1', () => {
  it('is exported with formVersion 1', async () => {
    exportedUnderV1 = (await createIncident(t, { title: 'Traffic interception' })).id;
    const res = await as(analyst).post(`/api/incidents/${exportedUnderV1}/rucert-export`, { formVersion: 1, data: V1_EXPORT_DATA });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ state: 'exported', formVersion: 1 });
    expect(sim.received().at(-1)!.body).toMatchObject({ type: 'Захват сетевого трафика' });
  });
});

describe('the publish gate', () => {
  /** Version 1 broken in the three ways the issue names, each somewhere no sample depends on. */
  function brokenDefinition() {
    const schema = clone(v1.schema);
    delete schema.allOf[1].if.required; // the computer_attack rule
    delete schema.properties.detectionTool.maxLength;
    delete schema.properties.customImpact['x-rucert'];
    return { schema, uiSchema: clone(v1.uiSchema), samples: clone(v1.samples), notes: 'broken on purpose' };
  }

  it('rejects an if without required, a string without maxLength and a property without x-rucert, listing all three', async () => {
    const res = await publish(brokenDefinition());
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, code: 'schema_rejected', title: 'Form definition rejected' });
    expect(res.body.detail).toMatch(/3 problem/);
    expect(res.body.errors).toHaveLength(3);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        fieldError('/schema/allOf/1/if', 'if-without-required'),
        fieldError('/schema/properties/detectionTool', 'string-without-maxLength'),
        fieldError('/schema/properties/customImpact', 'missing-x-rucert'),
      ]),
    );
    expect((await as(analyst).get('/api/forms/rucert-export')).body.version).toBe(1);
    expect((await as(analyst).get('/api/forms/rucert-export/versions')).body).toHaveLength(2);
  });

  it('rejects an enumeration option without its wire value, pointing at the option', async () => {
    const def = { schema: clone(v1.schema), uiSchema: v1.uiSchema, notes: 'x' };
    const i = def.schema.properties.type.oneOf.findIndex((o: Json) => o.const === 'ddos');
    delete def.schema.properties.type.oneOf[i]['x-rucert'];
    const res = await publish(def);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([fieldError(`/schema/properties/type/oneOf/${i}`, 'enum-option-without-x-rucert')]);
  });

  it('replays the samples and reports a valid sample the definition rejects', async () => {
    const def = { schema: clone(v1.schema), uiSchema: v1.uiSchema, samples: clone(v1.samples), notes: 'x' };
    def.schema.properties.city.maxLength = 2;
    const res = await publish(def);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('schema_rejected');
    expect(res.body.errors.length).toBeGreaterThan(0);
    expect(res.body.errors.every((e: Json) => e.keyword === 'sample-invalid' && /^\/samples\/valid\/\d+$/.test(e.path))).toBe(true);
  });

  it('rejects a UI schema naming a field the schema does not have', async () => {
    const uiSchema = clone(v1.uiSchema);
    uiSchema['ui:tabs'][1].fields.push('severity');
    const res = await publish({ schema: v1.schema, uiSchema, notes: 'x' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([fieldError(`/uiSchema/ui:tabs/1/fields/${uiSchema['ui:tabs'][1].fields.length - 1}`, 'ui-unknown-field')]);
  });

  it('rejects an envelope without notes as validation_failed, before the gate', async () => {
    const res = await publish({ schema: v1.schema, uiSchema: v1.uiSchema });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.errors).toEqual([fieldError('/notes', 'required')]);
  });

  describe('hostile definitions are refused quickly', () => {
    const QUICK_MS = 3000;
    async function expectRefusedQuickly(body: Json | string, problem: { path: string; keyword: string }) {
      const started = Date.now();
      const req = request(t.http).post('/api/forms/rucert-export/versions').auth(compliance, { type: 'bearer' });
      const res = typeof body === 'string' ? await req.set('Content-Type', 'application/json').send(body) : await req.send(body);
      const elapsed = Date.now() - started;
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('schema_rejected');
      expect(res.body.errors).toEqual(expect.arrayContaining([fieldError(problem.path, problem.keyword)]));
      expect(elapsed).toBeLessThan(QUICK_MS);
      return res;
    }
    const withCity = (city: Json, samples?: Json) => {
      const schema = clone(v1.schema);
      schema.properties.city = { ...city, 'x-rucert': { field: 'city' } };
      return { schema, uiSchema: v1.uiSchema, notes: 'hostile', ...(samples ? { samples } : {}) };
    };

    it('a remote $ref', async () => {
      await expectRefusedQuickly(withCity({ $ref: 'http://127.0.0.1:1/evil.json' }), { path: '/schema/properties/city/$ref', keyword: 'remote-ref' });
    });

    it('a $data reference', async () => {
      await expectRefusedQuickly(withCity({ type: 'string', maxLength: { $data: '1/detectionTool' } }), {
        path: '/schema/properties/city/maxLength/$data',
        keyword: 'data-keyword',
      });
    });

    it('a pattern the linear-time engine cannot run (a back-reference), with a sample that would make it backtrack', async () => {
      const samples = clone(v1.samples);
      samples.valid.push({ name: 'evil', data: { ...samples.valid[0].data, city: 'a'.repeat(40) + '!' } });
      await expectRefusedQuickly(withCity({ type: 'string', maxLength: 255, pattern: '^(a+)+\\1$' }, samples), {
        path: '/schema/properties/city/pattern',
        keyword: 'unsupported-regex',
      });
    });

    it('nesting 10,000 levels deep within the 4 MB body limit', async () => {
      const depth = 10_000;
      const deep = '{"not":'.repeat(depth) + '{}' + '}'.repeat(depth);
      const schema = JSON.stringify({ ...v1.schema, properties: { ...v1.schema.properties, deep: '__DEEP__' } }).replace('"__DEEP__"', deep);
      const body = `{"schema":${schema},"uiSchema":${JSON.stringify(v1.uiSchema)},"notes":"deep"}`;
      expect(Buffer.byteLength(body)).toBeLessThan(4 * 1024 * 1024);
      const res = await expectRefusedQuickly(body, {
        path: expect.stringMatching(/^\/schema\/properties\/deep(\/not)+$/) as unknown as string,
        keyword: 'too-deep',
      });
      expect(res.body.errors).toHaveLength(1);
    });

    it('a 3 MB document', async () => {
      const schema = { ...clone(v1.schema), description: 'x'.repeat(3 * 1024 * 1024) };
      const res = await expectRefusedQuickly({ schema, uiSchema: v1.uiSchema, notes: 'big' }, { path: '', keyword: 'too-large' });
      expect(res.body.errors).toHaveLength(1);
    });

    it('the service still answers afterwards', async () => {
      expect((await as(analyst).get('/api/forms/rucert-export')).body.version).toBe(1);
    });
  });
});

describe('publishing version 3 (the type-list change of docs/ncircc.md, by hand: three types removed, two added, only the definition edited)', () => {
  it.each(['analyst', 'ingest'] as const)('forbids %s tokens to publish or activate with 403', async (role) => {
    const token = await t.tokenFor(role);
    const res = await publish(V2, token);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ status: 403, code: 'forbidden' });
    const activate = await as(token).post('/api/forms/rucert-export/versions/1/activate');
    expect(activate.status).toBe(403);
    expect((await as(analyst).get('/api/forms/rucert-export/versions')).body).toHaveLength(2);
  });

  it('publishes version 3 with a compliance token; it becomes active and gets its own $id', async () => {
    // staff start from the active version, so the submitted $id is the old one: the registry replaces it
    const res = await publish({ ...V2, schema: { ...V2.schema, $id: 'urn:rucert-export:forms:rucert-export:v1' } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ formId: 'rucert-export', version: 3, active: true, notes: V2.notes, author: expect.any(String) });
    expect(res.body.schema.$id).toBe('urn:rucert-export:forms:rucert-export:v3');
    expect(res.body.uiSchema).toEqual(V2.uiSchema);

    const active = await as(analyst).get('/api/forms/rucert-export');
    expect(active.body).toMatchObject({ version: 3, active: true });
    expect(active.body.schema).toEqual({ ...V2.schema, $id: 'urn:rucert-export:forms:rucert-export:v3' });
    const versions = await as(analyst).get('/api/forms/rucert-export/versions');
    expect(versions.body.map((v: Json) => [v.version, v.active])).toEqual([
      [1, false],
      [2, false],
      [3, true],
    ]);
  });

  it('keeps version 1 readable, unchanged', async () => {
    const res = await as(analyst).get('/api/forms/rucert-export/versions/1');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...v1, active: false });
    expect(res.body.schema.properties.type.oneOf.map((o: Json) => o.const)).toContain('malware_infrastructure');
  });

  it.each([
    ['not_attack_related', 'Событие не связано с компьютерной атакой'],
    ['attacks_from_resource', 'Использование контролируемого ресурса для проведения атак'],
  ])('previews the new type %s as "%s"', async (type, wire) => {
    const payload = await expectPayload({ ...BASE.computer_incident, type });
    expect(payload).toMatchObject({ category: CATEGORY_WIRE.computer_incident, type: wire });
  });

  it.each(['malware_infrastructure', 'phishing_resource', 'spam_distribution'])('rejects the removed type %s', async (type) => {
    await expectInvalid({ ...BASE.computer_incident, type }, [
      { path: '/type', keyword: 'oneOf' },
      { path: '/type', keyword: 'enum' },
    ]);
  });

  it.each(TYPES.filter(([, type]) => !['malware_infrastructure', 'phishing_resource', 'spam_distribution'].includes(type)))(
    'still sends %s / %s as "%s"',
    async (category, type, wire) => {
      expect((await expectPayload({ ...BASE[category], type })).type).toBe(wire);
    },
  );

  it('exports with a new type: RuCERT receives the new wire string, and the export records version 3', async () => {
    const id = (await createIncident(t, { title: 'Mail server used to attack others' })).id;
    const before = sim.received().length;
    const res = await as(analyst).post(`/api/incidents/${id}/rucert-export`, {
      formVersion: 3,
      data: { ...BASE.computer_incident, type: 'attacks_from_resource' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ state: 'exported', formVersion: 3 });
    expect(sim.received()).toHaveLength(before + 1);
    expect(sim.received().at(-1)!.body).toMatchObject({
      category: CATEGORY_WIRE.computer_incident,
      type: 'Использование контролируемого ресурса для проведения атак',
    });
  });

  it('answers data filled in version 1 with 409 form_version_stale', async () => {
    const id = (await createIncident(t)).id;
    const res = await as(analyst).post(`/api/incidents/${id}/rucert-export`, { formVersion: 1, data: BASE.computer_incident });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'form_version_stale', status: 409 });
  });

  it('keeps the export made under version 1 with its version and data', async () => {
    const res = await as(analyst).get(`/api/incidents/${exportedUnderV1}/rucert-export`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: 'exported', formVersion: 1, rucert: { identifier: expect.any(String) } });
    expect(res.body.data).toMatchObject(V1_EXPORT_DATA);
    expect(res.body.data.type).toBe('traffic_interception');
  });

  it('replays the active version 3 samples when a definition is published without samples', async () => {
    // version 1's schema is a fine definition, but version 3's valid samples use types it does not have
    const res = await publish({ schema: v1.schema, uiSchema: v1.uiSchema, notes: 'back to the old list' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('schema_rejected');
    const newTypeSamples = V2.samples.valid
      .map((s: Json, i: number) => [s, i])
      .filter(([s]: Json[]) => ['not_attack_related', 'attacks_from_resource'].includes(s.data.type));
    expect(newTypeSamples).toHaveLength(2);
    expect(res.body.errors).toEqual(expect.arrayContaining(newTypeSamples.map(([, i]: [Json, number]) => fieldError(`/samples/valid/${i}`, 'sample-invalid'))));
    // with version 1's own samples the same definition passes: the problems came from the replayed samples
    const ok = await publish({ schema: v1.schema, uiSchema: v1.uiSchema, samples: v1.samples, notes: 'back to the old list' });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ version: 4, active: true });
    expect(ok.body.schema.$id).toBe('urn:rucert-export:forms:rucert-export:v4');
    expect(ok.body.samples).toEqual(v1.samples);
  });

  it('publishing without samples stores the replayed samples with the new version', async () => {
    const res = await publish({ schema: V2.schema, uiSchema: V2.uiSchema, samples: V2.samples, notes: 'v2 again' });
    expect(res.status).toBe(201);
    const again = await publish({ schema: V2.schema, uiSchema: V2.uiSchema, notes: 'v2 once more' });
    expect(again.status).toBe(201);
    expect(again.body.version).toBe(res.body.version + 1);
    expect(again.body.samples).toEqual(V2.samples);
  });
});

describe('activating an earlier version', () => {
  it('makes version 1 active again, with its rules', async () => {
    const res = await as(compliance).post('/api/forms/rucert-export/versions/1/activate');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ version: 1, active: true });
    expect(res.body.schema.$id).toBe('urn:rucert-export:forms:rucert-export:v1');

    const active = await as(analyst).get('/api/forms/rucert-export');
    expect(active.body).toEqual({ ...v1, active: true });
    const versions = (await as(analyst).get('/api/forms/rucert-export/versions')).body;
    expect(versions.filter((v: Json) => v.active).map((v: Json) => v.version)).toEqual([1]);

    expect((await expectPayload({ ...BASE.computer_incident, type: 'traffic_interception' })).type).toBe('Захват сетевого трафика');
    await expectInvalid({ ...BASE.computer_incident, type: 'attacks_from_resource' }, [
      { path: '/type', keyword: 'oneOf' },
      { path: '/type', keyword: 'enum' },
    ]);
  });

  it('answers activating a version that does not exist with 404 and changes nothing', async () => {
    const res = await as(compliance).post('/api/forms/rucert-export/versions/99/activate');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('not_found');
    expect((await as(analyst).get('/api/forms/rucert-export')).body.version).toBe(1);
  });

  it('records publishing and activating in the audit log', async () => {
    const res = await as(t.adminToken).get('/api/audit?limit=200');
    const actions = res.body.items.map((e: Json) => [e.action, e.details.version]);
    expect(actions).toEqual(
      expect.arrayContaining([
        ['form.published', 3],
        ['form.activated', 1],
      ]),
    );
  });
});

// ---- version 2, built in: today's NCIRCC API (docs/ncircc.md) --------------------------------------------------------
describe('version 2, built in (NCIRCC API 1.1.x)', () => {
  const V2_FILES = join(__dirname, '..', 'schemas', 'forms', 'rucert-export', 'v2');
  const readV2 = (file: string) => JSON.parse(readFileSync(join(V2_FILES, file), 'utf8')) as Json;
  const OBSERVED = {
    observables: [
      { kind: 'ipv4', value: '198.51.100.7' },
      { kind: 'service', value: '443/TCP', name: 'https' },
      { kind: 'domain', value: 'mail.example.ru' },
      { kind: 'email', value: 'buh@example.ru' },
    ],
    indicators: [
      { kind: 'ipv4', value: '203.0.113.5', function: 'malware_c2' },
      { kind: 'domain', value: 'badboy.example.com' },
      { kind: 'hash', value: '837b05ef39ba55332d5ec44804e2daa0' },
      { kind: 'vuln', value: 'CVE-2021-26855' },
    ],
  };
  // the leak block: the operator comes from the integration settings once they carry it (docs/ncircc.md); here
  // the analyst types it in
  const LEAK = {
    personalDataLeak: true,
    operatorName: 'ООО «Тестовая организация»',
    operatorInn: '7707083893',
    operatorAddress: 'г. Москва, ул. Вавилова, 19',
    operatorEmail: 'dpo@example.ru',
    leakCauses: 'Заражение почтового сервера',
    personalDataCharacteristics: 'Переписка клиентов: около 2 000 адресов электронной почты',
    leakHarm: 'Низкий',
  };
  const V2_BASE = {
    category: 'computer_incident',
    type: 'malware_infection',
    assetOwner: 'ООО «Тестовая организация»',
    affectedSystemName: 'mail01.example.ru',
    affectedSystemCategory: 'not_cii',
  };
  let observed: string;

  it('is published beside version 1, inactive, with its notes and the definition as shipped', async () => {
    const res = await as(analyst).get('/api/forms/rucert-export/versions/2');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ formId: 'rucert-export', version: 2, active: false, author: 'system' });
    expect(res.body.notes).toBe(readFileSync(join(V2_FILES, 'notes.md'), 'utf8').trim());
    expect(res.body.schema).toEqual({ ...readV2('schema.json'), $id: 'urn:rucert-export:forms:rucert-export:v2' });
    expect(res.body.uiSchema).toEqual(readV2('ui-schema.json'));
    expect(res.body.samples).toEqual(readV2('samples.json'));
    expect(res.body.uiSchema['ui:tabs'].map((tab: Json) => tab.id)).toEqual(['basic', 'advanced', 'technical', 'personalDataLeak']);
  });

  it('stores the observables and indicators an incident is created with; GET /incidents/:id returns them', async () => {
    const created = await createIncident(t, { title: 'Trojan with known infrastructure', ...OBSERVED });
    observed = created.id;
    expect(created).toMatchObject(OBSERVED);
    const res = await as(analyst).get(`/api/incidents/${observed}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: observed, ...OBSERVED });
    const plain = await as(analyst).get(`/api/incidents/${incidentId}`);
    expect(plain.body).toMatchObject({ observables: [], indicators: [] });
  });

  it.each([
    ['an observable of an unknown kind', { observables: [{ kind: 'mac', value: '00:11:22:33:44:55' }] }, '/observables/0/kind', 'enum'],
    ['an indicator without a value', { indicators: [{ kind: 'ipv4' }] }, '/indicators/0/value', 'required'],
    ['an unknown activity', { indicators: [{ kind: 'ipv4', value: '203.0.113.5', function: 'botnet' }] }, '/indicators/0/function', 'enum'],
    ['501 observables', { observables: Array.from({ length: 501 }, () => ({ kind: 'ipv4', value: '198.51.100.7' })) }, '/observables', 'maxItems'],
    ['a value of 2049 characters', { indicators: [{ kind: 'uri', value: 'https://e.example/' + 'a'.repeat(2031) }] }, '/indicators/0/value', 'maxLength'],
  ])('refuses an incident with %s, naming the field', async (_name, extra, path, keyword) => {
    const res = await as(t.adminToken).post('/api/incidents', { title: 'x', detectedAt: '2026-11-20T08:30:00Z', ...extra });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'validation_failed' });
    expect(res.body.errors).toContainEqual(fieldError(path, keyword));
  });

  it('becomes the active version when activated', async () => {
    const res = await as(compliance).post('/api/forms/rucert-export/versions/2/activate');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ version: 2, active: true });
    expect((await as(analyst).get('/api/forms/rucert-export')).body).toMatchObject({ version: 2, active: true });
  });

  it('offers the defaults it declares in the export status: incident, settings, technical details', async () => {
    const res = await as(analyst).get(`/api/incidents/${observed}/rucert-export`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: 'not_exported', formVersion: 2 });
    expect(res.body.defaults).toEqual({
      tlp: 'RED',
      eventDescription: 'EDR alert 4711: trojan in a mail attachment',
      activityStatus: 'response_in_progress',
      affectedSystemFunction: 'banking_finance',
      location: 'RU-MOW',
      affectedSystemConnection: false,
      assetOwner: 'ООО «Тестовая организация»',
      detectionTool: 'KUMA 3.2',
      assistanceRequired: false,
      relatedObservablesIpv4: [{ value: '198.51.100.7' }],
      relatedObservablesDomain: [{ value: 'mail.example.ru' }],
      relatedObservablesEmail: [{ value: 'buh@example.ru' }],
      relatedObservablesService: [{ name: 'https', value: '443/TCP' }],
      relatedIndicatorsIpv4: [{ function: 'malware_c2', value: '203.0.113.5' }],
      relatedIndicatorsDomain: [{ function: 'undetermined', value: 'badboy.example.com' }],
      malwareHash: [{ value: '837b05ef39ba55332d5ec44804e2daa0' }],
      relatedIndicatorsVuln: [{ value: 'CVE-2021-26855' }],
    });
  });

  const previewOf = (id: string, data: Json) => as(analyst).post(`/api/incidents/${id}/rucert-export/preview`, { formVersion: 2, data });

  it('previews the exact payload: technical details from the incident, the INN as a number, the reference line appended', async () => {
    const res = await previewOf(observed, { ...V2_BASE, affectedSystemConnection: true, ...LEAK });
    expect(res.status).toBe(200);
    expect(res.body.payload).toEqual({
      detect_time: '2026-11-20T08:30:00.000Z',
      category: 'Уведомление о компьютерном инциденте',
      type: 'Заражение ВПО',
      tlp: 'TLP:RED',
      event_description: `EDR alert 4711: trojan in a mail attachment\n\nrucert-export incident ${observed}`,
      owner_name: 'ООО «Тестовая организация»',
      activity_status: 'Проводятся мероприятия по реагированию',
      affected_system_name: 'mail01.example.ru',
      affected_system_category: 'Информационный ресурс не является объектом КИИ',
      affected_system_function: 'Банковская сфера и иные сферы финансового рынка',
      location: 'RU-MOW',
      affected_system_connection: true,
      detection_tool: 'KUMA 3.2',
      assistance: false,
      related_observables_ipv4: [{ value: '198.51.100.7' }],
      related_observables_domain: [{ value: 'mail.example.ru' }],
      related_observables_email: [{ value: 'buh@example.ru' }],
      related_observables_service: [{ name: 'https', value: '443/TCP' }],
      related_indicators_ipv4: [{ function: 'Центр управления ВПО', value: '203.0.113.5' }],
      related_indicators_domain: [{ function: 'Тип не определен', value: 'badboy.example.com' }],
      malware_hash: [{ value: '837b05ef39ba55332d5ec44804e2daa0' }],
      related_indicators_vuln: [{ value: 'CVE-2021-26855' }],
      rkn_leak_pd: true,
      rkn_full_name: 'ООО «Тестовая организация»',
      rkn_inn: 7707083893,
      rkn_address: 'г. Москва, ул. Вавилова, 19',
      rkn_email: 'dpo@example.ru',
      rkn_reasons: 'Заражение почтового сервера',
      rkn_pers_data: 'Переписка клиентов: около 2 000 адресов электронной почты',
      rkn_damage: 'Низкий',
    });
    expect(res.body.payload.event_description.length).toBeLessThanOrEqual(5000);
  });

  it('pre-fills only what the type takes and sends no technical details for an offline resource', async () => {
    const ddos = await previewOf(observed, { ...V2_BASE, type: 'ddos_slowdown', affectedSystemConnection: true });
    expect(ddos.status).toBe(200);
    expect(ddos.body.payload).toMatchObject({ related_observables_ipv4: [{ value: '198.51.100.7' }], related_indicators_vuln: [{ value: 'CVE-2021-26855' }] });
    expect(ddos.body.payload).not.toHaveProperty('malware_hash');
    expect(ddos.body.payload).not.toHaveProperty('related_observables_email');
    const offline = await previewOf(observed, V2_BASE);
    expect(offline.status).toBe(200);
    expect(Object.keys(offline.body.payload).filter((k) => k.startsWith('related_') || k === 'malware_hash')).toEqual([]);
    expect(offline.body.payload.affected_system_connection).toBe(false);
  });

  it("keeps the analyst's own lists and texts over the incident's", async () => {
    const res = await previewOf(observed, {
      ...V2_BASE,
      affectedSystemConnection: true,
      eventDescription: 'Своё описание',
      activityStatus: 'response_resumed',
      relatedObservablesIpv4: [{ value: '192.0.2.1' }],
      malwareHash: [],
    });
    expect(res.status).toBe(200);
    expect(res.body.payload).toMatchObject({
      event_description: `Своё описание\n\nrucert-export incident ${observed}`,
      activity_status: 'Возобновлены мероприятия по реагированию',
      related_observables_ipv4: [{ value: '192.0.2.1' }],
    });
    expect(res.body.payload).not.toHaveProperty('malware_hash');
  });

  it('takes the response status of a closed incident as "measures taken"', async () => {
    const closed = (await createIncident(t, { status: 'closed', closedAt: '2026-11-21T08:30:00Z' })).id;
    const res = await previewOf(closed, V2_BASE);
    expect(res.status).toBe(200);
    expect(res.body.payload.activity_status).toBe('Меры приняты');
  });

  const future = () => new Date(Date.now() + 24 * 3600_000).toISOString();
  it.each([
    ['a future end time', () => ({ ...V2_BASE, incidentEndTime: future() }), '/incidentEndTime', 'x-not-future'],
    ['a 5,001-character field', () => ({ ...V2_BASE, city: 'Ж'.repeat(5001) }), '/city', 'maxLength'],
    ['a description leaving no room for the reference line', () => ({ ...V2_BASE, eventDescription: 'ж'.repeat(4901) }), '/eventDescription', 'maxLength'],
    ['a bad INN', () => ({ ...V2_BASE, ...LEAK, operatorInn: '7707083894' }), '/operatorInn', 'format'],
    [
      'a field the type does not take',
      () => ({ ...V2_BASE, type: 'ddos_slowdown', affectedSystemConnection: true, malwareHash: [{ value: '837b05ef39ba55332d5ec44804e2daa0' }] }),
      '/malwareHash',
      'false schema',
    ],
    ['a leak on a type that takes none', () => ({ ...V2_BASE, type: 'ddos_slowdown', personalDataLeak: true }), '/personalDataLeak', 'false schema'],
    [
      'a technical list over 5,000 characters as sent',
      () => ({
        ...V2_BASE,
        affectedSystemConnection: true,
        relatedObservablesIpv4: Array.from({ length: 250 }, (_, i) => ({ value: `198.51.${Math.floor(i / 200)}.${i % 200}` })),
      }),
      '/relatedObservablesIpv4',
      'x-max-serialized-length',
    ],
  ])('refuses %s with 400 validation_failed naming the field; nothing is stored or sent', async (_name, data, path, keyword) => {
    const id = (await createIncident(t, OBSERVED)).id;
    const before = sim.received().length;
    const res = await as(analyst).post(`/api/incidents/${id}/rucert-export`, { formVersion: 2, data: data() });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(res.body.errors).toEqual([fieldError(path, keyword)]);
    expect(sim.received()).toHaveLength(before);
    const status = await as(analyst).get(`/api/incidents/${id}/rucert-export`);
    expect(status.body).toMatchObject({ state: 'not_exported', exportable: true });
    expect(status.body).not.toHaveProperty('data');
    // no claim, no attempt: at most a record of the refusal
    const audit = await as(t.adminToken).get('/api/audit?limit=1000');
    expect(audit.body.items.filter((e: Json) => e.incidentId === id && !e.action.endsWith('refused'))).toEqual([]);
  });

  it('says so in Russian with Accept-Language: ru', async () => {
    const res = await previewOf(observed, { ...V2_BASE, incidentEndTime: future() }).set('Accept-Language', 'ru');
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: '/incidentEndTime', keyword: 'x-not-future', message: 'не может быть в будущем' }]);
  });

  it('exports under version 2: RuCERT receives exactly what the preview showed', async () => {
    const data = { ...V2_BASE, affectedSystemConnection: true, incidentEndTime: '2026-11-20T10:00:00Z', ...LEAK };
    const preview = await previewOf(observed, data);
    expect(preview.status).toBe(200);
    const before = sim.received().length;
    const res = await as(analyst).post(`/api/incidents/${observed}/rucert-export`, { formVersion: 2, data });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ state: 'exported', formVersion: 2 });
    expect(sim.received()).toHaveLength(before + 1);
    expect(sim.received().at(-1)!.body).toEqual(preview.body.payload);
    const stored = await as(analyst).get(`/api/incidents/${observed}/rucert-export`);
    expect(stored.body).toMatchObject({ state: 'exported', formVersion: 2, data: { ...data, relatedObservablesIpv4: [{ value: '198.51.100.7' }] } });
  });

  // every type of both categories, with and without technical details, with a leak: NCIRCC's contract (the emulator,
  // profile 1.1.2) takes each payload version 2 lets through, exactly as previewed
  const validSamples: Array<[string, Json]> = readV2('samples.json').valid.map((sample: Json) => [sample.name, sample.data]);
  it.each(validSamples)('exports the sample "%s" and the emulator (API 1.1.2) accepts exactly the preview', async (_name, data) => {
    const id = (await createIncident(t, { title: 'Sample export' })).id;
    const preview = await previewOf(id, data);
    expect(preview.status).toBe(200);
    const res = await as(analyst).post(`/api/incidents/${id}/rucert-export`, { formVersion: 2, data });
    expect(res.body).toMatchObject({ state: 'exported', formVersion: 2 });
    expect(sim.received().at(-1)!.body).toEqual(preview.body.payload);
  });
});
