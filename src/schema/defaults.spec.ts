import schema from '../../schemas/forms/rucert-export/v1/schema.json';
import { allDefaults, applyDefaults, declaredDefaults, fillRevealed, resolveDefaults, settingDefaults, valueAtPath, withDefaults } from './defaults';
import { getValidator } from './validator';

describe('applyDefaults', () => {
  it('fills omitted fields from the schema: TLP RED, booleans false', () => {
    expect(applyDefaults(schema, { category: 'vulnerability' })).toEqual({
      category: 'vulnerability',
      tlp: 'RED',
      affectedSystemConnection: false,
      assistanceRequired: false,
    });
  });

  it('prefers the extra defaults (integration settings) over the schema', () => {
    expect(applyDefaults(schema, {}, { affectedSystemFunction: 'healthcare', location: 'RU-SPE', tlp: 'AMBER', nope: 1 })).toEqual({
      affectedSystemFunction: 'healthcare',
      location: 'RU-SPE',
      tlp: 'AMBER',
      affectedSystemConnection: false,
      assistanceRequired: false,
    });
  });

  it('keeps what the submission gives, including false and empty values', () => {
    const data = { tlp: 'WHITE', affectedSystemConnection: true, assistanceRequired: false, city: '' };
    expect(applyDefaults(schema, data, { tlp: 'RED', city: 'Москва' })).toEqual(data);
  });

  it('treats an explicit undefined as omitted, and an undefined extra default as none', () => {
    expect(applyDefaults(schema, { tlp: undefined }, { tlp: undefined }).tlp).toBe('RED');
  });

  it('returns a new object and leaves the input alone', () => {
    const data = { category: 'computer_attack' };
    const result = applyDefaults(schema, data);
    expect(result).not.toBe(data);
    expect(data).toEqual({ category: 'computer_attack' });
  });

  it('copies object defaults so that editing the result never edits the schema', () => {
    const s = { properties: { rows: { default: [{ a: 1 }] } } };
    const result = applyDefaults(s, {}) as { rows: Array<{ a: number }> };
    result.rows[0].a = 2;
    expect(s.properties.rows.default).toEqual([{ a: 1 }]);
  });
});

// A small definition in the annotation language (docs/form-definitions.md), made up for these tests.
const declared = {
  $id: 'urn:test:defaults:declared',
  type: 'object',
  additionalProperties: false,
  properties: {
    kind: { type: 'string', maxLength: 10 },
    online: { type: 'boolean', default: false },
    owner: { type: 'string', maxLength: 100, 'x-default': { setting: 'ownerName' } },
    taxId: { type: 'string', maxLength: 12, 'x-default': { setting: 'operator.inn' } },
    summary: { type: 'string', maxLength: 100, 'x-default': [{ incident: 'description' }, { incident: 'title' }] },
    state: { type: 'string', maxLength: 20, 'x-default': { incident: 'status', map: { open: 'working', closed: 'done' } } },
    tool: { type: 'string', maxLength: 100, 'x-default': [{ setting: 'detectionTool' }, { setting: 'siemName' }] },
    addresses: {
      type: 'array',
      items: { type: 'object', properties: { value: { type: 'string', maxLength: 50 } } },
      'x-default': { incident: 'observables', where: { kind: 'ipv4' }, pick: ['value'] },
    },
    bad: {
      type: 'array',
      items: { type: 'object', properties: { function: { type: 'string', maxLength: 20 }, value: { type: 'string', maxLength: 50 } } },
      'x-default': { incident: 'indicators', where: { kind: 'ipv4' }, pick: ['function', 'value'], fill: { function: 'unknown' } },
    },
  },
  allOf: [
    {
      if: { properties: { online: { const: true } }, required: ['online'] },
      else: { properties: { addresses: false, bad: false } },
    },
    {
      if: { properties: { kind: { const: 'quiet' } }, required: ['kind'] },
      then: { properties: { tool: false } },
    },
  ],
};

const incident = {
  id: '6a0b0c8e-2f4b-4f8e-9d51-1d5c0a7e1f00',
  title: 'Trojan on mail01',
  description: 'EDR alert 4711',
  status: 'closed',
  observables: [
    { kind: 'ipv4', value: '198.51.100.7' },
    { kind: 'domain', value: 'mail.example.ru' },
    { kind: 'ipv4', value: '198.51.100.8', name: 'ignored' },
  ],
  indicators: [
    { kind: 'ipv4', value: '203.0.113.5', function: 'c2' },
    { kind: 'ipv4', value: '203.0.113.6' },
    { kind: 'hash', value: 'ab'.repeat(16) },
  ],
};
const settings = {
  ownerName: 'АО "Ромашка"',
  operator: { inn: '7707083893', name: 'АО "Ромашка"' },
  detectionTool: null,
  siemName: 'SIEM 1.0',
  companyName: 'x',
};

describe('resolveDefaults', () => {
  it('resolves settings (dotted paths too), incident fields, maps and lists', () => {
    expect(resolveDefaults(declared, { settings, incident })).toEqual({
      owner: 'АО "Ромашка"',
      taxId: '7707083893',
      summary: 'EDR alert 4711',
      state: 'done',
      tool: 'SIEM 1.0',
      addresses: [{ value: '198.51.100.7' }, { value: '198.51.100.8' }],
      bad: [
        { function: 'c2', value: '203.0.113.5' },
        { function: 'unknown', value: '203.0.113.6' },
      ],
    });
  });

  it('takes the first alternative that gives a value; null and "" give none', () => {
    const resolved = resolveDefaults(declared, {
      settings: { detectionTool: 'KUMA 3.2' },
      incident: { ...incident, description: '' },
    });
    expect(resolved).toMatchObject({ summary: 'Trojan on mail01', tool: 'KUMA 3.2' });
    expect(resolveDefaults(declared, { settings: { ownerName: null }, incident: { description: null } })).toEqual({});
  });

  it('gives nothing for a source it is not given, an unmapped value, a list with no matching row', () => {
    expect(resolveDefaults(declared, {})).toEqual({});
    expect(resolveDefaults(declared, { incident: { status: 'reopened', observables: [{ kind: 'email', value: 'a@b.c' }] } })).toEqual({});
  });

  it('reads own properties only: a path never reaches the prototype', () => {
    const s = {
      properties: { a: { type: 'string', 'x-default': { setting: 'constructor' } }, b: { type: 'string', 'x-default': { setting: 'ownerName.length' } } },
    };
    expect(resolveDefaults(s, { settings: { ownerName: 'abc' } })).toEqual({});
    expect(valueAtPath({ a: { b: 1 } }, 'a.b')).toBe(1);
    expect(valueAtPath({ a: [1] }, 'a.0')).toBeUndefined();
  });

  it('returns copies: editing a resolved list never edits the incident', () => {
    const resolved = resolveDefaults(declared, { incident }) as { addresses: Array<{ value: string }> };
    resolved.addresses[0].value = 'changed';
    expect(incident.observables[0].value).toBe('198.51.100.7');
  });

  it('reads version 1 defaults, which it cannot declare, from legacy-defaults.json', () => {
    expect(
      resolveDefaults(schema, { settings: { defaultAffectedSystemFunction: 'healthcare', defaultLocation: 'RU-SPE', detectionTool: 'KUMA 3.2' } }),
    ).toEqual({
      affectedSystemFunction: 'healthcare',
      location: 'RU-SPE',
      detectionTool: 'KUMA 3.2',
    });
    expect(resolveDefaults(schema, { settings: { detectionTool: 'KUMA' } })).toEqual({ detectionTool: 'KUMA' });
    expect(declaredDefaults(schema).map((d) => d.field)).toEqual(['affectedSystemFunction', 'location', 'detectionTool']);
  });

  it('ignores legacy-defaults.json for a definition that declares x-default, and applies it only to fields a definition has', () => {
    expect(declaredDefaults(declared).map((d) => d.field)).not.toContain('location');
    expect(declaredDefaults({ properties: { location: { type: 'string' } } }).map((d) => d.field)).toEqual(['location']);
  });

  it('lists which settings are defaults of which fields', () => {
    expect(settingDefaults(declared)).toEqual([
      { setting: 'ownerName', field: 'owner' },
      { setting: 'operator.inn', field: 'taxId' },
      { setting: 'detectionTool', field: 'tool' },
      { setting: 'siemName', field: 'tool' },
    ]);
    expect(settingDefaults(schema)).toEqual([
      { setting: 'defaultAffectedSystemFunction', field: 'affectedSystemFunction' },
      { setting: 'defaultLocation', field: 'location' },
      { setting: 'detectionTool', field: 'detectionTool' },
    ]);
  });
});

describe('applyDefaults follows the rules', () => {
  const resolved = resolveDefaults(declared, { settings, incident });

  it('does not fill a field the rules make unavailable for the data (lists while offline)', () => {
    const data = applyDefaults(declared, { kind: 'loud' }, resolved);
    expect(data).toMatchObject({ online: false, owner: 'АО "Ромашка"', state: 'done', tool: 'SIEM 1.0' });
    expect(data).not.toHaveProperty('addresses');
    expect(data).not.toHaveProperty('bad');
  });

  it('fills them once the data allows them, and drops a default another rule forbids', () => {
    const data = applyDefaults(declared, { kind: 'quiet', online: true }, resolved);
    expect(data.addresses).toEqual([{ value: '198.51.100.7' }, { value: '198.51.100.8' }]);
    expect(data).not.toHaveProperty('tool');
  });

  it('never drops or changes what the submission gives, allowed or not', () => {
    const data = applyDefaults(declared, { kind: 'quiet', online: false, addresses: [], tool: 'given' }, resolved);
    expect(data).toMatchObject({ addresses: [], tool: 'given' });
  });

  it("withDefaults gives the validator's verdict on exactly the data it returns, when it has one (the export then validates once)", () => {
    const validate = getValidator(declared);
    const accepted = withDefaults(declared, { kind: 'loud' }, resolved);
    expect(accepted).toEqual({ data: applyDefaults(declared, { kind: 'loud' }, resolved), errors: [] });
    expect(validate(accepted.data)).toBe(true);
    // a value the definition refuses: the errors are those of the data returned, defaults included
    const refused = withDefaults(declared, { kind: 'loud', online: 'yes' }, resolved);
    expect(validate(refused.data)).toBe(false);
    expect(refused.errors).toEqual(validate.errors);
    expect(refused.errors?.map((e) => e.instancePath)).toContain('/online');
    // nothing to fill, so nothing was validated: no verdict, the caller validates
    expect(withDefaults({ properties: { a: { type: 'string' } } }, { a: 1 })).toEqual({ data: { a: 1 } });
  });

  it('allDefaults lists every default whatever the rules say (what the form is offered)', () => {
    expect(Object.keys(allDefaults(declared, resolved)).sort()).toEqual(['addresses', 'bad', 'online', 'owner', 'state', 'summary', 'taxId', 'tool'].sort());
  });
});

describe('fillRevealed', () => {
  const defaults = allDefaults(declared, resolveDefaults(declared, { settings, incident }));

  it('fills the fields a change reveals: ticking "online" brings the lists in', () => {
    const before = applyDefaults(declared, { kind: 'loud' }, defaults);
    const after = fillRevealed(declared, before, { ...before, online: true }, defaults);
    expect(after.addresses).toEqual([{ value: '198.51.100.7' }, { value: '198.51.100.8' }]);
    expect(after.bad).toHaveLength(2);
  });

  it('leaves a field the person cleared cleared', () => {
    const before = { kind: 'loud', online: true, owner: 'x' };
    const after = fillRevealed(declared, before, { kind: 'loud', online: true }, defaults);
    expect(after).not.toHaveProperty('owner');
  });

  it('does not fill what was already available and left empty', () => {
    const before = { kind: 'loud', online: true };
    expect(fillRevealed(declared, before, { ...before, kind: 'other' }, defaults)).toEqual({ kind: 'other', online: true });
  });
});
