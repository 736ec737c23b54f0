// The publish gate against hostile definitions, through HTTP as a compliance token would send them (docs/form-definitions.md,
// house rules): oversized documents, very deep nesting, regular expressions the linear-time engine cannot run (with samples
// that would make a backtracking engine run for ever), `$ref` to remote URLs. Each is refused with a clear problem
// naming the rule and the place, nothing is published, and the service keeps answering health while it judges them
// (a recursive walk of a deep document would crash it). Patterns it can run are covered by regex-dos.e2e-spec.ts.
import schemaV1 from '../../schemas/forms/rucert-export/v1/schema.json';
import uiSchemaV1 from '../../schemas/forms/rucert-export/v1/ui-schema.json';
import samplesV1 from '../../schemas/forms/rucert-export/v1/samples.json';
import { startTestApp, type TestApp } from '../support/test-app';
import { expectProblem, listen, type Answer, type Client } from './support';

jest.setTimeout(120_000);

let t: TestApp;
let client: Client;
let compliance: string;

beforeAll(async () => {
  t = await startTestApp({ RECONCILE_INTERVAL_MS: '3600000' });
  client = await listen(t);
  compliance = await t.tokenFor('compliance');
});
afterAll(async () => {
  await t?.close();
});

const clone = <T>(v: T): T => structuredClone(v);
const v1 = () => ({
  schema: clone(schemaV1) as Record<string, any>,
  uiSchema: clone(uiSchemaV1) as Record<string, any>,
  notes: 'hostile',
  samples: clone(samplesV1) as Record<string, any>,
});

/**
 * Posts a definition (as JSON text, so depth is not limited by this process's JSON.stringify) while a poller asks
 * for health every 20 ms; returns the answer and every health round-trip time. Health must keep answering.
 */
async function publishWhileProbing(raw: string): Promise<{ res: Answer; health: number[] }> {
  const health: number[] = [];
  let done = false;
  const poller = (async () => {
    while (!done) {
      const started = Date.now();
      const h = await client.call('GET', '/api/health');
      if (h.status !== 200) throw new Error(`health answered ${h.status} during a publish`);
      health.push(Date.now() - started);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  try {
    const res = await client.call('POST', '/api/forms/rucert-export/versions', { token: compliance, raw });
    return { res, health };
  } finally {
    done = true;
    await poller;
  }
}

function expectRejected(res: Answer, rule: string, pathPrefix?: string): void {
  expectProblem(res, 400, 'schema_rejected');
  const errors = res.body.errors as Array<{ path: string; keyword: string; message: string }>;
  expect(Array.isArray(errors)).toBe(true);
  const hit = errors.find((e) => e.keyword === rule && (pathPrefix === undefined || e.path.startsWith(pathPrefix)));
  if (!hit) throw new Error(`no ${rule} problem${pathPrefix ? ` under ${pathPrefix}` : ''} in ${JSON.stringify(errors).slice(0, 1000)}`);
  expect(hit.message.length).toBeGreaterThan(10);
}

const deepText = (depth: number, open: string, close: string, bottom: string) => open.repeat(depth) + bottom + close.repeat(depth);

it('answers 413 payload_too_large to a definition over the 4 MB body limit', async () => {
  const big = v1();
  big.schema.description = 'x'.repeat(5 * 1024 * 1024);
  const { res, health } = await publishWhileProbing(JSON.stringify(big));
  expectProblem(res, 413, 'payload_too_large');
  expect(health.length).toBeGreaterThan(0);
});

it('refuses a definition within the body limit but over the gate size limit (too-large)', async () => {
  const big = v1();
  // many small properties: work for every later rule, if the size were not checked first
  for (let i = 0; i < 40_000; i++) big.schema.properties[`extra${i}`] = { type: 'string', maxLength: 10, 'x-rucert': { field: `extra_${i}` } };
  const { res } = await publishWhileProbing(JSON.stringify(big));
  expectRejected(res, 'too-large');
});

it.each([
  ['objects', 100_000, '{"properties":{"a":', '}}', '{"type":"string"}'],
  ['arrays', 200_000, '[', ']', '1'],
  ['allOf chains', 20_000, '{"allOf":[', ']}', '{}'],
])('refuses schema nested %s deep (%i levels) as too-deep, without a stack overflow', async (_kind, depth, open, close, bottom) => {
  const def = v1();
  const marker = '"__DEEP__"';
  def.schema.properties.deep = '__DEEP__';
  const raw = JSON.stringify(def).replace(marker, deepText(depth, open, close, bottom));
  const { res, health } = await publishWhileProbing(raw);
  expectRejected(res, 'too-deep', '/schema');
  expect(health.length).toBeGreaterThan(0);
});

it.each([
  ['a lookahead', '^(?=a)(a+)+$', 'a'.repeat(40) + '!'],
  ['a lookbehind', '(?<=a)(a|aa)+$', 'a'.repeat(60) + '!'],
  ['a back-reference', '^(.*a){25}\\1$', 'a'.repeat(40)],
])('refuses a pattern the linear-time engine cannot run (%s) and never runs it on the samples', async (_label, pattern, evil) => {
  const def = v1();
  def.schema.properties.city = { ...def.schema.properties.city, pattern };
  // a valid sample whose city would take the pattern exponential time in a backtracking engine
  def.samples.valid[1].data.city = evil;
  const { res, health } = await publishWhileProbing(JSON.stringify(def));
  expectRejected(res, 'unsupported-regex', '/schema/properties/city');
  expect(health.length).toBeGreaterThan(0);
});

it('refuses such a pattern hidden in patternProperties', async () => {
  const def = v1();
  def.schema.properties.productInfo.items.patternProperties = { '^(x+x+)+(?=y)$': { type: 'string', maxLength: 10 } };
  const { res } = await publishWhileProbing(JSON.stringify(def));
  expectRejected(res, 'unsupported-regex');
});

it.each([
  ['an http URL', 'http://example.invalid/schema.json'],
  ['an https URL with a pointer', 'https://example.invalid/schema.json#/definitions/x'],
  ['a file URL', 'file:///etc/passwd'],
  ['a relative file', 'other.json'],
  ['a URN', 'urn:rucert-export:forms:rucert-export:v1'],
])('refuses a $ref to %s, without fetching it', async (_label, ref) => {
  const def = v1();
  def.schema.properties.city = { $ref: ref };
  const { res } = await publishWhileProbing(JSON.stringify(def));
  expectRejected(res, 'remote-ref', '/schema/properties/city');
});

it('refuses a 20,000-option enumeration with a named limit, not "Maximum call stack size exceeded" (point 16)', async () => {
  const def = v1();
  def.schema.properties.city = {
    type: 'string',
    'x-rucert': { field: 'city' },
    oneOf: Array.from({ length: 20_000 }, (_, i) => ({ const: `c${i}`, title: `City ${i}`, 'x-rucert': `c${i}` })),
  };
  const started = Date.now();
  const { res, health } = await publishWhileProbing(JSON.stringify(def));
  expectRejected(res, 'too-many-options', '/schema/properties/city/oneOf');
  expect(res.text).not.toMatch(/call stack/);
  expect(Date.now() - started).toBeLessThan(5_000);
  expect(health.length).toBeGreaterThan(0);
});

it('refuses a UI schema that turns on markdown in help texts or hides a field', async () => {
  const def = v1();
  def.uiSchema.affectedSystemName = {
    ...def.uiSchema.affectedSystemName,
    'ui:enableMarkdownInHelp': true,
    'ui:help': 'Sign in again at [the NCIRCC portal](https://ncircc.example.net/login)',
  };
  def.uiSchema.city = { 'ui:widget': 'hidden' };
  const { res } = await publishWhileProbing(JSON.stringify(def));
  expectRejected(res, 'ui-option-not-allowed', '/uiSchema/affectedSystemName/ui:enableMarkdownInHelp');
  expectRejected(res, 'ui-option-not-allowed', '/uiSchema/city/ui:widget');
});

it('reports every problem of a definition at once, each with a path', async () => {
  const def = v1();
  def.schema.properties.city = { $ref: 'https://example.invalid/x.json' };
  def.schema.properties.customImpact = { ...def.schema.properties.customImpact, pattern: '^(a+)\\1$' };
  def.schema.properties.detectionTool = { type: 'string', 'x-rucert': { field: 'detection_tool' } }; // no maxLength
  const { res } = await publishWhileProbing(JSON.stringify(def));
  expectProblem(res, 400, 'schema_rejected');
  const rules = (res.body.errors as Array<{ keyword: string; path: string }>).map((e) => e.keyword);
  expect(rules).toEqual(expect.arrayContaining(['remote-ref', 'unsupported-regex', 'string-without-maxLength']));
  for (const e of res.body.errors) expect(e.path).toMatch(/^(\/[^/]*)*$/);
});

it('published nothing: the built-in versions 1 and 2 (active) are still the only ones, and the audit has no publication but theirs', async () => {
  const versions = await client.call('GET', '/api/forms/rucert-export/versions', { token: compliance });
  expect(versions.body.map((v: { version: number; active: boolean }) => [v.version, v.active])).toEqual([
    [1, false],
    [2, true],
  ]);
  const audit = await client.call('GET', '/api/audit?limit=1000', { token: t.adminToken });
  const forms = audit.body.items.filter((e: { action: string }) => e.action.startsWith('form.'));
  expect(forms.map((e: { actor: string; details: { version: number } }) => [e.actor, e.details.version]).sort()).toEqual([
    ['system', 1],
    ['system', 2],
  ]);
  // and the gate still accepts an honest definition afterwards: it was refusing the documents, not everything
  const honest = v1();
  honest.schema.properties.city = { ...honest.schema.properties.city, description: 'City or settlement' };
  const res = await client.call('POST', '/api/forms/rucert-export/versions', { token: compliance, body: honest });
  expect(res.status).toBe(201);
  expect(res.body.version).toBe(3);
});
