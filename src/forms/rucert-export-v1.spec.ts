// The built-in form definition, version 1, checked against the domain's own tables (test/fixtures/rucert-wire-v1.ts,
// typed in from docs/ncircc.md): the independent check on schemas/forms/rucert-export/v1/schema.json.
import schema from '../../schemas/forms/rucert-export/v1/schema.json';
import uiSchema from '../../schemas/forms/rucert-export/v1/ui-schema.json';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateData } from '../schema/validator';
import { wireValueOf } from '../schema/wire-mapper';
import { CATEGORIES, CATEGORY_WIRE, CII_WIRE, FUNCTION_WIRE, IMPACT_WIRE, TLP_WIRE, TYPES, type Category } from '../../test/fixtures/rucert-wire-v1';

type Data = Record<string, unknown>;
const props = schema.properties as Record<string, { oneOf?: Array<{ const: string; 'x-rucert': string }> } & Data>;

const pairs = (table: Record<string, string>): Array<[string, string]> => Object.entries(table);
const ENUMS: Record<string, Array<[string, string]>> = {
  category: pairs(CATEGORY_WIRE),
  tlp: pairs(TLP_WIRE),
  affectedSystemCategory: pairs(CII_WIRE),
  affectedSystemFunction: pairs(FUNCTION_WIRE),
  availabilityImpact: pairs(IMPACT_WIRE),
  integrityImpact: pairs(IMPACT_WIRE),
  confidentialityImpact: pairs(IMPACT_WIRE),
};

const WIRE_FIELDS: Record<string, string> = {
  category: 'category',
  type: 'type',
  tlp: 'tlp',
  affectedSystemName: 'affected_system_name',
  affectedSystemCategory: 'affected_system_category',
  affectedSystemFunction: 'affected_system_function',
  location: 'location',
  affectedSystemConnection: 'affected_system_connection',
  productInfo: 'product_info',
  vulnerabilityId: 'vulnerability_id',
  vulnerableProduct: 'product_category',
  detectionTool: 'detection_tool',
  assistanceRequired: 'assistance',
  incidentEndTime: 'end_time',
  availabilityImpact: 'availability_impact',
  integrityImpact: 'integrity_impact',
  confidentialityImpact: 'confidentiality_impact',
  customImpact: 'custom_impact',
  city: 'city',
};

// docs/ncircc.md, version 1, row by row: R required, O optional, '-' not available.
type Rule = 'R' | 'O' | '-';
const AVAILABILITY: Array<[string, Rule, Rule, Rule, unknown]> = [
  // field,                  incident, attack, vulnerability, a valid value
  ['category', 'R', 'R', 'R', undefined],
  ['type', 'R', 'R', 'R', undefined],
  ['tlp', 'R', 'R', 'R', 'AMBER'],
  ['affectedSystemName', 'R', 'R', 'R', 'web01'],
  ['affectedSystemCategory', 'R', 'R', 'R', 'cii_category_2'],
  ['affectedSystemFunction', 'R', 'R', 'R', 'healthcare'],
  ['location', 'R', 'R', 'R', 'RU-SPE'],
  ['affectedSystemConnection', 'O', 'O', 'O', true],
  ['productInfo', '-', '-', 'R', [{ name: 'Exim', version: '4.94' }]],
  ['vulnerabilityId', '-', '-', 'O', 'BDU:2020-01234'],
  ['vulnerableProduct', '-', '-', 'O', 'Exim 4.94'],
  ['detectionTool', 'O', 'O', 'O', 'KUMA'],
  ['assistanceRequired', 'O', 'O', 'O', true],
  ['incidentEndTime', 'O', 'O', 'O', '2026-02-01T12:00:00Z'],
  ['availabilityImpact', 'O', '-', '-', 'low'],
  ['integrityImpact', 'O', '-', '-', 'none'],
  ['confidentialityImpact', 'O', '-', '-', 'high'],
  ['customImpact', 'O', '-', '-', 'Backups were lost'],
  ['city', 'O', 'O', 'O', 'Тверь'],
];

const firstType = (category: Category) => TYPES.find(([c]) => c === category)![1];

/** The smallest valid submission of a category: only its required fields. */
function minimal(category: Category): Data {
  const data: Data = {
    category,
    type: firstType(category),
    tlp: 'RED',
    affectedSystemName: 'mail01',
    affectedSystemCategory: 'not_cii',
    affectedSystemFunction: 'other',
    location: 'RU-MOW',
  };
  if (category === 'vulnerability') data.productInfo = [{ name: 'nginx', version: '1.18.0' }];
  return data;
}

const without = (data: Data, key: string): Data => Object.fromEntries(Object.entries(data).filter(([k]) => k !== key));

describe('rucert-export v1: field availability (docs/ncircc.md, version 1)', () => {
  const cases = AVAILABILITY.flatMap(([field, ...rest]) => CATEGORIES.map((category, i) => ({ field, category, rule: rest[i] as Rule, value: rest[3] })));

  it.each(CATEGORIES)('accepts the minimal %s submission', (category) => {
    expect(validateData(schema, minimal(category))).toEqual([]);
  });

  it.each(cases.filter((c) => c.rule === 'R'))('$category: $field is required', ({ category, field }) => {
    expect(validateData(schema, without(minimal(category), field))).toContainEqual({
      path: `/${field}`,
      keyword: 'required',
      message: 'is required',
    });
  });

  it.each(cases.filter((c) => c.rule !== '-' && c.value !== undefined))('$category: $field is accepted', ({ category, field, value }) => {
    expect(validateData(schema, { ...minimal(category), [field]: value })).toEqual([]);
  });

  it.each(cases.filter((c) => c.rule === 'O'))('$category: $field may be omitted', ({ category, field }) => {
    expect(validateData(schema, without(minimal(category), field))).toEqual([]);
  });

  it.each(cases.filter((c) => c.rule === '-'))('$category: $field is not available, and the error names it', ({ category, field, value }) => {
    expect(validateData(schema, { ...minimal(category), [field]: value })).toEqual([
      { path: `/${field}`, keyword: 'false schema', message: 'is not available for the selected category or type' },
    ]);
  });

  it('a vulnerability needs at least one product row, each with name and version', () => {
    expect(validateData(schema, { ...minimal('vulnerability'), productInfo: [] })).toEqual([
      { path: '/productInfo', keyword: 'minItems', message: 'must NOT have fewer than 1 items' },
    ]);
    expect(validateData(schema, { ...minimal('vulnerability'), productInfo: [{ version: '1' }] })).toEqual([
      { path: '/productInfo/0/name', keyword: 'required', message: 'is required' },
    ]);
  });

  it('declares every field of the table once, at the top level, and nothing else', () => {
    expect(Object.keys(schema.properties).sort()).toEqual(AVAILABILITY.map(([f]) => f).sort());
    expect(schema.additionalProperties).toBe(false);
  });

  it('places each field on the tab of docs/ncircc.md, version 1', () => {
    const [basic, advanced] = uiSchema['ui:tabs'];
    expect(basic.fields).toEqual(AVAILABILITY.slice(0, 11).map(([f]) => f));
    expect(advanced.fields).toEqual(AVAILABILITY.slice(11).map(([f]) => f));
  });
});

describe('rucert-export v1: types and their categories (docs/ncircc.md)', () => {
  it.each(TYPES)('%s: type %s is accepted', (category, type) => {
    expect(validateData(schema, { ...minimal(category), type })).toEqual([]);
  });

  const foreign = TYPES.flatMap(([own, type]) => CATEGORIES.filter((c) => c !== own).map((category) => ({ category, type })));
  it.each(foreign)('$category: type $type of another category is rejected at /type', ({ category, type }) => {
    expect(validateData(schema, { ...minimal(category), type })).toEqual([
      { path: '/type', keyword: 'enum', message: 'must be equal to one of the allowed values' },
    ]);
  });

  it.each(TYPES)('%s: type %s is sent as "%s"', (_category, type, wire) => {
    expect(wireValueOf(props.type, type)).toBe(wire);
  });

  it('lists exactly the types of docs/ncircc.md', () => {
    expect(props.type.oneOf!.map((o) => o.const)).toEqual(TYPES.map(([, t]) => t));
  });
});

describe('rucert-export v1: enumerations (docs/ncircc.md)', () => {
  const rows = Object.entries(ENUMS).flatMap(([field, values]) => values.map(([code, wire]) => ({ field, code, wire })));
  it.each(rows)('$field $code is sent as "$wire"', ({ field, code, wire }) => {
    expect(wireValueOf(props[field], code)).toBe(wire);
  });
  it.each(Object.entries(ENUMS))('%s offers exactly the codes of docs/ncircc.md', (field, values) => {
    expect(props[field].oneOf!.map((o) => o.const)).toEqual(values.map(([code]) => code));
  });

  const regions = readFileSync(join(__dirname, '../../test/fixtures/regions.tsv'), 'utf8');
  it('offers the 83 regions of regions.tsv, sent as their ISO code, with English and Russian names', () => {
    const expected = regions
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split('\t'));
    expect(expected).toHaveLength(83);
    expect(props.location.oneOf).toEqual(expected.map(([code, en, ru]) => ({ const: code, title: en, 'x-rucert': code, 'x-title-ru': ru })));
  });

  it('every enumeration option has an English title and a Russian label', () => {
    for (const property of Object.values(props)) {
      for (const option of (property.oneOf ?? []) as Data[]) {
        expect(option).toEqual(expect.objectContaining({ title: expect.any(String), 'x-title-ru': expect.any(String) }));
      }
    }
  });
});

describe('rucert-export v1: annotations and values', () => {
  it.each(Object.entries(WIRE_FIELDS))('%s is sent as %s', (field, wire) => {
    expect(props[field]['x-rucert']).toEqual({ field: wire });
  });

  it.each(Object.keys(WIRE_FIELDS))('%s has English and Russian title and help', (field) => {
    expect(props[field]).toEqual(
      expect.objectContaining({
        title: expect.any(String),
        description: expect.any(String),
        'x-title-ru': expect.any(String),
        'x-description-ru': expect.any(String),
      }),
    );
  });

  it('defaults: TLP RED, booleans false', () => {
    expect(props.tlp.default).toBe('RED');
    expect(props.affectedSystemConnection.default).toBe(false);
    expect(props.assistanceRequired.default).toBe(false);
  });

  it.each(['CVE-2020-1231', 'CVE-2021-44228', 'CVE-2024-1234567', 'BDU:2020-01234'])('accepts vulnerability id %s', (id) => {
    expect(validateData(schema, { ...minimal('vulnerability'), vulnerabilityId: id })).toEqual([]);
  });
  it.each(['CVE-2020-123', 'cve-2020-1231', 'BDU:2020-1234', 'BDU:2020-012345', ' CVE-2020-1231', 'CVE-2020-1231\n', 'X'])(
    'rejects vulnerability id %j',
    (id) => {
      expect(validateData(schema, { ...minimal('vulnerability'), vulnerabilityId: id })).toEqual([
        expect.objectContaining({ path: '/vulnerabilityId', keyword: 'pattern' }),
      ]);
    },
  );

  it('accepts a 500,000-character Cyrillic affected system name and rejects 500,001 characters', () => {
    const name = 'ж'.repeat(500_000);
    expect(validateData(schema, { ...minimal('computer_incident'), affectedSystemName: name })).toEqual([]);
    expect(validateData(schema, { ...minimal('computer_incident'), affectedSystemName: name + 'ж' })).toEqual([
      expect.objectContaining({ path: '/affectedSystemName', keyword: 'maxLength' }),
    ]);
  });

  it('counts characters outside the BMP as one each', () => {
    const name = '😀'.repeat(500_000); // 1,000,000 UTF-16 units
    expect(validateData(schema, { ...minimal('computer_incident'), affectedSystemName: name })).toEqual([]);
  });

  it('requires a time zone in the incident end time', () => {
    expect(validateData(schema, { ...minimal('computer_attack'), incidentEndTime: '2026-02-01T12:00:00' })).toEqual([
      expect.objectContaining({ path: '/incidentEndTime', keyword: 'format' }),
    ]);
  });
});
