import schemaV1 from '../../schemas/forms/rucert-export/v1/schema.json';
import uiSchemaV1 from '../../schemas/forms/rucert-export/v1/ui-schema.json';
import samplesV1 from '../../schemas/forms/rucert-export/v1/samples.json';
import v2 from '../../test/fixtures/rucert-export-v2.json';
import schemaV2 from '../../schemas/forms/rucert-export/v2/schema.json';
import uiSchemaV2 from '../../schemas/forms/rucert-export/v2/ui-schema.json';
import samplesV2 from '../../schemas/forms/rucert-export/v2/samples.json';
import legacyDefaults from '../../schemas/forms/rucert-export/legacy-defaults.json';
import { checkDefinition, GateProblem } from './publish-gate';

type Json = Record<string, any>;
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));
type Def = { schema: Json; uiSchema: Json; samples: Json | undefined };
const v1 = (): Def => clone({ schema: schemaV1, uiSchema: uiSchemaV1, samples: samplesV1 });
const builtinV2 = (): Def => clone({ schema: schemaV2, uiSchema: uiSchemaV2, samples: samplesV2 });
/** Version 2 without samples: the annotation rules are checked whatever the samples say. */
const v2bare = (): Def => ({ ...builtinV2(), samples: undefined });
const rules = (problems: GateProblem[]) => problems.map((p) => [p.path, p.rule]);

/** Runs the gate and fails the test if it takes longer than `ms`: hostile input must be refused, not stall the process (a bound against blow-ups of minutes, not a speed target; bench/ measures speed). */
function timedCheck(def: unknown, ms = 10_000): GateProblem[] {
  const start = Date.now();
  const problems = checkDefinition(def as never);
  expect(Date.now() - start).toBeLessThan(ms);
  return problems;
}

describe('checkDefinition: accepted definitions', () => {
  it('accepts the built-in version 1 with its samples', () => {
    expect(checkDefinition(v1())).toEqual([]);
  });

  it('accepts version 2, made by editing version 1 JSON only (docs/ncircc.md)', () => {
    expect(checkDefinition(v2)).toEqual([]);
  });

  it('accepts the built-in version 2 (NCIRCC API 1.1.x) with its samples', () => {
    expect(checkDefinition(builtinV2())).toEqual([]);
  });

  it('accepts version 1 carrying the defaults legacy-defaults.json declares for it, as x-default', () => {
    const def = v1();
    for (const [field, legacy] of Object.entries(legacyDefaults.properties)) def.schema.properties[field]['x-default'] = legacy['x-default'];
    expect(checkDefinition(def)).toEqual([]);
  });

  it('accepts a definition without samples', () => {
    const { schema, uiSchema } = v1();
    expect(checkDefinition({ schema, uiSchema })).toEqual([]);
  });
});

describe('checkDefinition: house rules', () => {
  it('lists an if lacking required, a string lacking maxLength and a property lacking x-rucert, all at once', () => {
    const def = v1();
    delete def.schema.allOf[2].if.required;
    def.schema.properties.note = { type: 'string', 'x-rucert': { field: 'note' }, title: 'Note' };
    delete def.schema.properties.city['x-rucert'];
    expect(rules(checkDefinition(def))).toEqual([
      ['/schema/allOf/2/if', 'if-without-required'],
      ['/schema/properties/note', 'string-without-maxLength'],
      ['/schema/properties/city', 'missing-x-rucert'],
    ]);
  });

  it('requires x-rucert on nested object properties and wire values on enumeration options', () => {
    const def = v1();
    delete def.schema.properties.productInfo.items.properties.version['x-rucert'];
    delete def.schema.properties.tlp.oneOf[1]['x-rucert'];
    def.schema.properties.city = { type: 'string', maxLength: 10, enum: ['a'], 'x-rucert': { field: 'city' } };
    def.samples = undefined; // they name cities the enumeration no longer allows
    expect(rules(checkDefinition(def))).toEqual([
      ['/schema/properties/tlp/oneOf/1', 'enum-option-without-x-rucert'],
      ['/schema/properties/productInfo/items/properties/version', 'missing-x-rucert'],
      ['/schema/properties/city/enum', 'enum-option-without-x-rucert'],
    ]);
  });

  it('rejects a remote $ref without fetching it', () => {
    const def = v1();
    def.schema.properties.city = { $ref: 'https://example.invalid/city.json', 'x-rucert': { field: 'city' } };
    expect(rules(timedCheck(def))).toEqual([['/schema/properties/city/$ref', 'remote-ref']]);
  });

  it('rejects $data anywhere', () => {
    const def = v1();
    def.schema.properties.city.maxLength = { $data: '1/affectedSystemName' };
    expect(rules(checkDefinition(def))).toContainEqual(['/schema/properties/city/maxLength/$data', 'data-keyword']);
  });

  it.each(['(a+)+$', '^(a|a)*$', '^(\\w|\\d)+$', '^([a-z]*)*@', '^[^!]*[^!]*[^!]*$'])(
    'replays a sample against %s, catastrophic for a backtracking engine, in linear time',
    (pattern) => {
      const def = v1();
      def.schema.properties.city.pattern = pattern;
      // an invalid sample whose city takes a backtracking engine exponential (or cubic) time to refuse
      def.samples!.invalid.push({
        name: 'evil',
        data: { ...def.samples!.valid[0].data, city: 'a'.repeat(3_000) + '!' },
        errors: [{ path: '/city', keyword: 'pattern' }],
      });
      def.samples!.valid = def.samples!.valid.filter((sample: Json) => !('city' in sample.data));
      expect(rules(timedCheck(def, 5000))).toEqual([]);
    },
  );

  it.each([
    ['a lookahead', '^(?=x)x+$'],
    ['a lookbehind', '(?<=x)y'],
    ['a back-reference', '^(x)\\1$'],
  ])('refuses %s, which the linear-time engine cannot run, and replays no sample', (_label, pattern) => {
    const def = v1();
    def.schema.properties.city.pattern = pattern;
    expect(rules(timedCheck(def, 5000))).toEqual([['/schema/properties/city/pattern', 'unsupported-regex']]);
  });

  it('judges patterns wherever they sit: examples, annotations, unknown places, patternProperties keys', () => {
    const def = v1();
    def.schema.properties.city.examples = [{ type: 'string', maxLength: 5, pattern: '(?=a)' }];
    def.schema.default = { deep: [{ pattern: '\\1(a)' }] };
    def.schema.properties.productInfo.items.patternProperties = { '^(?!x)': { type: 'string', maxLength: 5 } };
    // in document order: the properties, then the root's `default` added last
    expect(rules(checkDefinition(def))).toEqual([
      ['/schema/properties/productInfo/items/patternProperties/^(?!x)', 'unsupported-regex'],
      ['/schema/properties/city/examples/0/pattern', 'unsupported-regex'],
      ['/schema/default/deep/0/pattern', 'unsupported-regex'],
    ]);
  });

  it('rejects a pattern that does not compile', () => {
    const def = v1();
    def.schema.properties.city.pattern = '([a-z]';
    expect(rules(checkDefinition(def))).toContainEqual(['/schema/properties/city/pattern', 'invalid-regex']);
  });

  it('rejects a $schema other than draft-07, and anything the meta-schema refuses', () => {
    const def = v1();
    def.schema.$schema = 'https://json-schema.org/draft/2020-12/schema';
    def.schema.properties.city.maxLength = -1;
    expect(rules(checkDefinition(def))).toEqual([
      ['/schema/$schema', 'meta-schema'],
      ['/schema/properties/city/maxLength', 'meta-schema'],
    ]);
  });

  it('reports what ajv strict mode refuses: unknown keywords, a malformed x-rucert', () => {
    const def = v1();
    def.schema.properties.city.widget = 'text';
    expect(rules(checkDefinition(def))).toEqual([['/schema', 'strict-compile']]);
    const other = v1();
    other.schema.properties.city['x-rucert'] = { field: 'city', extra: true };
    expect(rules(checkDefinition(other))).toEqual([['/schema', 'strict-compile']]);
  });
});

describe('checkDefinition: hostile documents', () => {
  const options = (n: number, prefix = 'c') =>
    Array.from({ length: n }, (_, i) => ({ const: `${prefix}${i}`, title: `${prefix} ${i}`, 'x-rucert': `${prefix}${i}` }));

  it('refuses a 20,000-option enumeration with a named limit, quickly, instead of overflowing the stack', () => {
    const def = v1();
    def.schema.properties.city = { type: 'string', 'x-rucert': { field: 'city' }, oneOf: options(20_000) };
    const problems = timedCheck(def, 3000);
    expect(rules(problems)).toEqual([['/schema/properties/city/oneOf', 'too-many-options']]);
    expect(problems[0].message).toMatch(/20000 options, at most 300/);
  });

  it.each([
    [
      'anyOf',
      (s: Json) => (s.properties.city = { type: 'string', 'x-rucert': { field: 'city' }, anyOf: options(3_000) }),
      '/schema/properties/city/anyOf',
      'too-many-options',
    ],
    [
      'enum',
      (s: Json) => (s.allOf[0].then.properties.type.enum = Array.from({ length: 5_000 }, (_, i) => `t${i}`)),
      '/schema/allOf/0/then/properties/type/enum',
      'too-many-options',
    ],
    [
      'allOf',
      (s: Json) =>
        s.allOf.push(...Array.from({ length: 3_000 }, (_, i) => ({ if: { properties: { city: { const: `x${i}` } }, required: ['city'] }, then: {} }))),
      '/schema/allOf',
      'too-many-rules',
    ],
    [
      'properties',
      (s: Json) => {
        for (let i = 0; i < 2_000; i++) s.properties[`extra${i}`] = { type: 'boolean', 'x-rucert': { field: `extra_${i}` } };
      },
      '/schema/properties',
      'too-many-properties',
    ],
  ])('refuses a huge %s with a named limit, without compiling it', (_what, grow, path, rule) => {
    const def = v1();
    grow(def.schema);
    def.samples = undefined;
    expect(rules(timedCheck(def, 3000))).toEqual([[path, rule]]);
  });

  it('bounds the RE2 program size of all patterns together', () => {
    const def = v1();
    const heavy = '^' + '\\p{L}{1,100}'.repeat(60) + '$'; // about 12,000 instructions, under 1,000 characters
    def.schema.properties.city.pattern = heavy;
    def.samples = undefined;
    expect(rules(timedCheck(def, 3000))).toEqual([['/schema', 'patterns-too-complex']]);
    def.schema.properties.city.pattern = '^' + '\\p{L}{1,100}'.repeat(6) + '$';
    expect(checkDefinition(def)).toEqual([]);
  });

  it('counts options across the whole definition too', () => {
    const def = v1();
    for (let i = 0; i < 6; i++) def.schema.properties[`list${i}`] = { type: 'string', 'x-rucert': { field: `list_${i}` }, oneOf: options(290, `l${i}-`) };
    def.samples = undefined;
    expect(rules(timedCheck(def, 5000))).toEqual([['/schema', 'too-many-options']]);
  });

  it('rejects 10,000 levels of nesting quickly, without recursion', () => {
    const def = v1();
    let deep: Json = { type: 'string', maxLength: 1 };
    for (let i = 0; i < 10_000; i++) deep = { type: 'object', properties: { x: deep } };
    def.schema.properties.city = deep;
    const problems = timedCheck(def);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toEqual(expect.objectContaining({ rule: 'too-deep' }));
    expect(problems[0].path.startsWith('/schema/properties/city/properties/x')).toBe(true);
  });

  it('rejects a 5 MB document quickly', () => {
    const def = v1();
    def.schema.description = 'x'.repeat(5 * 1024 * 1024);
    expect(rules(timedCheck(def))).toEqual([['', 'too-large']]);
  });

  it('rejects a document of too many small values', () => {
    const def = v1();
    def.samples!.valid[0].data.junk = new Array(600_000).fill(0);
    expect(rules(timedCheck(def))).toEqual([['', 'too-large']]);
  });

  it.each([null, 42, 'schema', [], { schema: null, uiSchema: null }, { schema: [], uiSchema: [] }, { schema: true, uiSchema: {} }])(
    'never throws on %j',
    (def) => {
      const problems = checkDefinition(def as never);
      expect(problems.length).toBeGreaterThan(0);
      expect(problems.every((p) => typeof p.path === 'string' && p.rule && p.message)).toBe(true);
    },
  );

  it('survives hostile values where schemas are expected', () => {
    const def = v1();
    def.schema.properties.city = { type: 'string', maxLength: 5, 'x-rucert': { field: 'city' }, properties: 'x', items: [1, null], oneOf: [null, 1] };
    def.schema.allOf.push({ if: { properties: null } });
    const problems = checkDefinition(def);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.map((p) => p.rule)).not.toContain('internal');
  });

  it('gives the same problems in the same order every time', () => {
    const def = v1();
    delete def.schema.allOf[0].if.required;
    def.schema.properties.city.pattern = '(?=a)';
    def.uiSchema['ui:tabs'][0].fields.push('ghost');
    expect(checkDefinition(clone(def))).toEqual(checkDefinition(clone(def)));
  });
});

describe('checkDefinition: samples and UI schema', () => {
  it('replays samples: a failing valid one, a passing invalid one, a missing expected error', () => {
    const def = v1();
    def.samples!.valid[0].data.tlp = 'PURPLE';
    def.samples!.invalid[0].data = def.samples!.valid[1].data;
    def.samples!.invalid[1].errors.push({ path: '/city', keyword: 'maxLength' });
    const problems = checkDefinition(def);
    expect(rules(problems)).toEqual([
      ['/samples/valid/0', 'sample-invalid'],
      ['/samples/invalid/0', 'sample-valid-unexpectedly'],
      ['/samples/invalid/1/errors/1', 'sample-wrong-error'],
    ]);
    expect(problems[0].message).toContain('/tlp oneOf');
  });

  it('rejects samples of the wrong shape', () => {
    const def = v1();
    def.samples = { valid: {} };
    expect(rules(checkDefinition(def))).toEqual([['/samples', 'sample-shape']]);
  });

  it('requires the UI schema to be an object whose tabs and order name schema properties', () => {
    const def = v1();
    def.uiSchema['ui:tabs'][1].fields.push('ghost');
    def.uiSchema['ui:order'].splice(0, 1, 'phantom');
    expect(rules(checkDefinition(def))).toEqual([
      ['/uiSchema/ui:order/0', 'ui-unknown-field'],
      ['/uiSchema/ui:tabs/1/fields/8', 'ui-unknown-field'],
    ]);
    expect(rules(checkDefinition({ ...v1(), uiSchema: [] }))).toEqual([['/uiSchema', 'ui-schema']]);
  });

  it('refuses UI options the form does not document, each with its path', () => {
    const def = v1();
    const ui = def.uiSchema;
    ui.affectedSystemName['ui:enableMarkdownInHelp'] = true;
    ui.affectedSystemName['ui:help'] = 'Details: [the NCIRCC portal](https://ncircc.example.net/login)';
    ui.customImpact['ui:options'] = { rows: 3, enableMarkdownInDescription: true };
    ui.city['ui:widget'] = 'hidden';
    ui.detectionTool = { 'ui:classNames': 'd-none', 'ui:style': { display: 'none' } };
    ui.productInfo.items.name['ui:field'] = 'EvilField';
    ui.vulnerabilityId['ui:label'] = false;
    ui['ui:submitButtonOptions'] = { norender: true };
    ui.ghost = { 'ui:help': 'a property the schema does not have' };
    expect(rules(checkDefinition(def))).toEqual([
      ['/uiSchema/affectedSystemName/ui:enableMarkdownInHelp', 'ui-option-not-allowed'],
      ['/uiSchema/productInfo/items/name/ui:field', 'ui-option-not-allowed'],
      ['/uiSchema/vulnerabilityId/ui:label', 'ui-option-not-allowed'],
      ['/uiSchema/detectionTool/ui:classNames', 'ui-option-not-allowed'],
      ['/uiSchema/detectionTool/ui:style', 'ui-option-not-allowed'],
      ['/uiSchema/customImpact/ui:options/enableMarkdownInDescription', 'ui-option-not-allowed'],
      ['/uiSchema/city/ui:widget', 'ui-option-not-allowed'],
      ['/uiSchema/ui:submitButtonOptions', 'ui-option-not-allowed'],
      ['/uiSchema/ghost', 'ui-unknown-field'],
    ]);
  });

  it('accepts every documented UI option with sensible values, and refuses other values', () => {
    const def = v1();
    def.uiSchema.city = { 'ui:widget': 'text', 'ui:placeholder': 'Moscow', 'ui:help': 'plain text', 'ui:options': { rows: 2 } };
    def.uiSchema.productInfo['ui:options'] = { orderable: false, addable: true, removable: true };
    expect(checkDefinition(def)).toEqual([]);
    def.uiSchema.city['ui:options'] = { rows: 500 };
    def.uiSchema.city['ui:help'] = { html: '<b>x</b>' };
    expect(rules(checkDefinition(def))).toEqual([
      ['/uiSchema/city/ui:help', 'ui-option-not-allowed'],
      ['/uiSchema/city/ui:options/rows', 'ui-option-not-allowed'],
    ]);
  });
});

describe('checkDefinition: our annotations', () => {
  const props = (def: Def) => def.schema.properties;

  it('x-not-future only on a date-time', () => {
    const def = v2bare();
    props(def).city['x-not-future'] = true;
    props(def).assistanceRequired['x-not-future'] = true;
    props(def).incidentEndTime['x-not-future'] = 'yes';
    expect(rules(checkDefinition(def))).toEqual([
      ['/schema/properties/assistanceRequired/x-not-future', 'x-not-future-not-date-time'],
      ['/schema/properties/incidentEndTime/x-not-future', 'x-not-future-invalid'],
      ['/schema/properties/city/x-not-future', 'x-not-future-not-date-time'],
    ]);
  });

  it('x-max-serialized-length a positive integer, on a list or object only', () => {
    const def = v2bare();
    props(def).relatedObservablesIpv4['x-max-serialized-length'] = 0;
    props(def).relatedObservablesIpv6['x-max-serialized-length'] = 12.5;
    props(def).city['x-max-serialized-length'] = 5000;
    props(def).relatedObservablesDomain.items.properties.value['x-max-serialized-length'] = 100;
    expect(rules(checkDefinition(def))).toEqual([
      ['/schema/properties/city/x-max-serialized-length', 'x-max-serialized-length-on-scalar'],
      ['/schema/properties/relatedObservablesIpv4/x-max-serialized-length', 'x-max-serialized-length-invalid'],
      ['/schema/properties/relatedObservablesIpv6/x-max-serialized-length', 'x-max-serialized-length-invalid'],
      ['/schema/properties/relatedObservablesDomain/items/properties/value/x-max-serialized-length', 'x-max-serialized-length-on-scalar'],
    ]);
  });

  it('a wire type the property cannot be written as', () => {
    const def = v2bare();
    props(def).city['x-rucert'].type = 'boolean'; // a string
    props(def).assistanceRequired['x-rucert'].type = 'number'; // a boolean
    props(def).tlp['x-rucert'].type = 'number'; // an enumeration of "TLP:…" strings
    props(def).relatedObservablesIpv4['x-rucert'].type = 'string'; // a list
    props(def).customImpact['x-rucert'].type = 'date';
    delete props(def).operatorInn.type; // a number needs to know what it is made from
    props(def).operatorInn.pattern = undefined;
    delete props(def).operatorInn.pattern;
    delete props(def).operatorInn.format;
    delete props(def).operatorInn.maxLength;
    expect(rules(checkDefinition(def))).toEqual([
      ['/schema/properties/tlp/x-rucert/type', 'wire-type-mismatch'],
      ['/schema/properties/assistanceRequired/x-rucert/type', 'wire-type-mismatch'],
      ['/schema/properties/customImpact/x-rucert/type', 'wire-type-invalid'],
      ['/schema/properties/city/x-rucert/type', 'wire-type-mismatch'],
      ['/schema/properties/relatedObservablesIpv4/x-rucert/type', 'wire-type-mismatch'],
      ['/schema/properties/operatorInn/x-rucert/type', 'wire-type-mismatch'],
    ]);
  });

  it('x-default: an unknown source, a setting or incident field that does not exist', () => {
    const def = v2bare();
    props(def).assetOwner['x-default'] = { config: 'ownerName' };
    props(def).operatorInn['x-default'] = { setting: 'operator.tin' };
    props(def).detectionTool['x-default'] = [{ setting: 'detectionTool' }, { incident: 'tool' }];
    props(def).city['x-default'] = { setting: 'companyName', incident: 'title' };
    expect(rules(checkDefinition(def))).toEqual([
      ['/schema/properties/assetOwner/x-default', 'x-default-unknown-source'],
      ['/schema/properties/detectionTool/x-default/1/incident', 'x-default-unknown-field'],
      ['/schema/properties/city/x-default', 'x-default-invalid'],
      ['/schema/properties/operatorInn/x-default/setting', 'x-default-unknown-setting'],
    ]);
  });

  it('x-default: only on a top-level property', () => {
    const def = v2bare();
    props(def).relatedObservablesIpv4.items.properties.value['x-default'] = { setting: 'companyName' };
    def.schema.allOf[0].then.properties.type['x-default'] = { setting: 'companyName' };
    expect(rules(checkDefinition(def))).toEqual([
      ['/schema/allOf/0/then/properties/type/x-default', 'x-default-not-top-level'],
      ['/schema/properties/relatedObservablesIpv4/items/properties/value/x-default', 'x-default-not-top-level'],
    ]);
  });

  it('x-default: a list for a list, a value for a value, members both sides have, map values the field takes', () => {
    const def = v2bare();
    props(def).assetOwner['x-default'] = { incident: 'observables', where: { kind: 'ipv4' }, pick: ['value'] };
    props(def).relatedObservablesIpv4['x-default'] = { incident: 'title' };
    props(def).relatedObservablesIpv6['x-default'] = { incident: 'observables', where: { kind: 'ipv6' } };
    props(def).relatedObservablesService['x-default'].pick = ['name', 'value', 'port'];
    props(def).relatedIndicatorsIpv4['x-default'].fill = { kind: 'ipv4' };
    props(def).relatedIndicatorsIpv6['x-default'].where = { country: 'RU' };
    props(def).activityStatus['x-default'].map = { open: 'in_progress', closed: 'measures_taken' };
    props(def).city['x-default'] = { setting: 'mssp' };
    expect(rules(checkDefinition(def))).toEqual([
      ['/schema/properties/assetOwner/x-default', 'x-default-list-mismatch'],
      ['/schema/properties/activityStatus/x-default/map', 'x-default-map-value'],
      ['/schema/properties/city/x-default', 'x-default-type-mismatch'],
      ['/schema/properties/relatedObservablesIpv4/x-default', 'x-default-list-mismatch'],
      ['/schema/properties/relatedObservablesIpv6/x-default', 'x-default-list-mismatch'],
      ['/schema/properties/relatedObservablesService/x-default', 'x-default-unknown-member'],
      ['/schema/properties/relatedIndicatorsIpv4/x-default', 'x-default-unknown-member'],
      ['/schema/properties/relatedIndicatorsIpv6/x-default', 'x-default-unknown-member'],
    ]);
  });

  it('a list of objects whose rows declare no members has no wire mapping', () => {
    const def = v2bare();
    props(def).relatedObservablesIpv4.items = { type: 'object' };
    delete props(def).relatedObservablesIpv4['x-default'];
    expect(rules(checkDefinition(def))).toEqual([['/schema/properties/relatedObservablesIpv4/items', 'items-without-x-rucert']]);
  });

  it('still holds version 2 to the house rules: maxLength, required in every if, a wire mapping for every member and value', () => {
    const def = v2bare();
    delete props(def).relatedIndicatorsIpv4.items.properties.value.maxLength;
    delete def.schema.allOf[2].then.allOf[1].if.required;
    delete props(def).relatedIndicatorsIpv4.items.properties.function.oneOf[0]['x-rucert'];
    delete props(def).malwareHash.items.properties.value['x-rucert'];
    expect(rules(checkDefinition(def))).toEqual([
      ['/schema/allOf/2/then/allOf/1/if', 'if-without-required'],
      ['/schema/properties/relatedIndicatorsIpv4/items/properties/function/oneOf/0', 'enum-option-without-x-rucert'],
      ['/schema/properties/relatedIndicatorsIpv4/items/properties/value', 'string-without-maxLength'],
      ['/schema/properties/malwareHash/items/properties/value', 'missing-x-rucert'],
    ]);
  });
});
