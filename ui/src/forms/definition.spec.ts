import { describe, expect, it } from '@jest/globals';
import v1Schema from '../../../schemas/forms/rucert-export/v1/schema.json';
import v1UiSchema from '../../../schemas/forms/rucert-export/v1/ui-schema.json';
import { effectsOf, isListOfRows, prune, resolve, visibleTabs, type Definition, type Json } from './definition';

const v1: Definition = { schema: v1Schema, uiSchema: v1UiSchema };
const CATEGORY_SPECIFIC = [
  'productInfo',
  'vulnerabilityId',
  'vulnerableProduct',
  'availabilityImpact',
  'integrityImpact',
  'confidentialityImpact',
  'customImpact',
];

// A small definition in the shape of the NCIRCC matrix: a field some types of one category forbid, a field only one
// category has, and a check box that reveals two fields.
const str = { type: 'string', maxLength: 10 };
const matrix: Json = {
  type: 'object',
  required: ['category', 'type'],
  properties: {
    category: str,
    type: str,
    note: str,
    hash: str,
    leak: { type: 'boolean' },
    leakName: str,
    leakInn: str,
    cve: str,
    cveOnly: str,
  },
  allOf: [
    {
      if: { properties: { category: { const: 'attack' }, type: { enum: ['scan', 'ddos'] } }, required: ['category', 'type'] },
      then: { properties: { hash: false } },
    },
    { if: { properties: { category: { const: 'incident' } }, required: ['category'] }, else: { properties: { leak: false } } },
    {
      if: { properties: { leak: { const: true } }, required: ['leak'] },
      then: { required: ['leakName', 'leakInn'] },
      else: { properties: { leakName: false, leakInn: false } },
    },
    // an optional field deciding a rule: left empty, it decides as it is
    { if: { properties: { cve: { pattern: '^CVE-' } }, required: ['cve'] }, else: { properties: { cveOnly: false } } },
  ],
};
const visibleOf = (schema: Json, data: Record<string, unknown>) => resolve({ schema, uiSchema: {} }, data, 'en').visible;

describe('effectsOf: a field some category or type forbids is shown once the data determines it is allowed', () => {
  it('shows no category-specific field of v1 on an empty form', () => {
    const visible = visibleOf(v1.schema, {});
    for (const name of CATEGORY_SPECIFIC) expect(visible).not.toContain(name);
    expect(visible).toEqual(expect.arrayContaining(['category', 'type', 'tlp', 'affectedSystemName', 'detectionTool', 'incidentEndTime', 'city']));
    expect(effectsOf(v1.schema, {}).hidden.size).toBe(0); // pending, not forbidden: nothing is dropped yet
  });

  it('brings each v1 field with the category that allows it', () => {
    const incident = visibleOf(v1.schema, { category: 'computer_incident' });
    expect(incident).toEqual(expect.arrayContaining(['availabilityImpact', 'customImpact']));
    expect(incident).not.toContain('productInfo');
    const vulnerability = visibleOf(v1.schema, { category: 'vulnerability' });
    expect(vulnerability).toEqual(expect.arrayContaining(['productInfo', 'vulnerabilityId', 'vulnerableProduct']));
    expect(vulnerability).not.toContain('availabilityImpact');
    expect(resolve(v1, { category: 'vulnerability' }, 'en').schema.required).toContain('productInfo');
    const attack = visibleOf(v1.schema, { category: 'computer_attack' });
    for (const name of CATEGORY_SPECIFIC) expect(attack).not.toContain(name);
  });

  it('waits for the type where the rule tests category and type, but not where the category already decides', () => {
    expect(visibleOf(matrix, {})).not.toContain('hash');
    expect(visibleOf(matrix, { category: 'attack' })).not.toContain('hash');
    expect(effectsOf(matrix, { category: 'attack' }).pending).toContain('hash');
    expect(visibleOf(matrix, { category: 'attack', type: 'scan' })).not.toContain('hash');
    expect(effectsOf(matrix, { category: 'attack', type: 'scan' }).hidden).toContain('hash');
    expect(visibleOf(matrix, { category: 'attack', type: 'phishing' })).toContain('hash');
    // no incident type forbids it: the category alone determines it
    expect(visibleOf(matrix, { category: 'incident' })).toContain('hash');
  });

  it('shows a field only one category has once that category is chosen', () => {
    expect(visibleOf(matrix, {})).not.toContain('leak');
    expect(visibleOf(matrix, { category: 'attack', type: 'scan' })).not.toContain('leak');
    expect(visibleOf(matrix, { category: 'incident' })).toContain('leak');
  });

  it('reveals the fields of a check box when it is ticked, and makes them required', () => {
    const data = { category: 'incident', type: 'malware' };
    expect(visibleOf(matrix, data)).not.toContain('leakName');
    expect(visibleOf(matrix, { ...data, leak: false })).not.toContain('leakName');
    const ticked = resolve({ schema: matrix, uiSchema: {} }, { ...data, leak: true }, 'en');
    expect(ticked.visible).toEqual(expect.arrayContaining(['leakName', 'leakInn']));
    expect(ticked.schema.required).toEqual(expect.arrayContaining(['leakName', 'leakInn']));
  });

  it('decides a rule on an optional field as the data stands', () => {
    const data = { category: 'incident', type: 'malware' };
    expect(visibleOf(matrix, data)).not.toContain('cveOnly');
    expect(visibleOf(matrix, { ...data, cve: 'CVE-1' })).toContain('cveOnly');
  });

  it('drops the data of a forbidden field but keeps the data of a pending one', () => {
    expect(prune(v1, { category: 'computer_attack', customImpact: 'x', city: 'Tver' })).toEqual({ category: 'computer_attack', city: 'Tver' });
    expect(prune(v1, { customImpact: 'x', city: 'Tver' })).toEqual({ customImpact: 'x', city: 'Tver' });
  });
});

describe('visibleTabs', () => {
  const tabs = [
    { id: 'basic', title: 'Basic', fields: ['category', 'type'] },
    { id: 'technical', title: 'Technical details', fields: ['hash'] },
    { id: 'leak', title: 'Leak', fields: ['leak', 'leakName'] },
  ];

  it('keeps only the tabs with a visible field', () => {
    expect(visibleTabs(tabs, ['category', 'type', 'hash']).map((t) => t.id)).toEqual(['basic', 'technical']);
    expect(visibleTabs(tabs, ['category', 'leak']).map((t) => t.id)).toEqual(['basic', 'leak']);
  });

  it('keeps the first tab for the fields no tab names', () => {
    expect(visibleTabs(tabs.slice(1), ['city']).map((t) => t.id)).toEqual(['technical']);
  });

  it('follows the rules in resolve: v1 has both tabs on an empty form', () => {
    expect(resolve(v1, {}, 'en').tabs.map((t) => t.id)).toEqual(['basic', 'advanced']);
  });
});

describe('isListOfRows', () => {
  it('is true for an array of small objects of scalars and enumerations', () => {
    expect(isListOfRows(v1.schema.properties.productInfo)).toBe(true);
    const options = { type: 'string', maxLength: 40, oneOf: [{ const: 'a' }, { const: 'b' }] };
    expect(isListOfRows({ type: 'array', items: { type: 'object', properties: { function: options, value: str } } })).toBe(true);
  });

  it('is false for a list of strings or of nested objects', () => {
    expect(isListOfRows({ type: 'array', items: str })).toBe(false);
    expect(isListOfRows({ type: 'array', items: { type: 'object', properties: { inner: { type: 'object', properties: {} } } } })).toBe(false);
    expect(isListOfRows({ type: 'array', items: { type: 'object', properties: { tags: { type: 'array', items: str } } } })).toBe(false);
  });
});
