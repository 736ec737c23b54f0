import { describe, expect, it } from '@jest/globals';
import v1Schema from '../../../schemas/forms/rucert-export/v1/schema.json';
import v1Samples from '../../../schemas/forms/rucert-export/v1/samples.json';
import v1UiSchema from '../../../schemas/forms/rucert-export/v1/ui-schema.json';
import v2Schema from '../../../schemas/forms/rucert-export/v2/schema.json';
import { checkDefinition } from '../../../src/forms/publish-gate';
import type { Json } from './definition';
import {
  codeFor,
  defaultedCodes,
  defaultSettings,
  describeChanges,
  getAt,
  isAllowed,
  lineDiff,
  lineOf,
  matrixFields,
  matrixOf,
  optionLists,
  pointerLines,
  renameCode,
  setAllowed,
  setAvailable,
  setOptions,
  type Option,
} from './editor-model';

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

describe('reference lists', () => {
  it('finds every enumeration of version 1 and version 2, rows of lists included', () => {
    const names = optionLists(v1Schema).map((l) => l.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'category',
        'type',
        'tlp',
        'affectedSystemCategory',
        'affectedSystemFunction',
        'location',
        'availabilityImpact',
        'integrityImpact',
      ]),
    );
    const v2 = optionLists(v2Schema);
    expect(v2.map((l) => l.name)).toContain('relatedIndicatorsIpv4.function');
    const tlp = v2.find((l) => l.name === 'tlp')!;
    expect(tlp.options[0]).toMatchObject({ code: 'WHITE', title: expect.any(String), wire: expect.any(String) });
    expect(tlp.pointer).toBe('/properties/tlp/oneOf');
  });

  it('writes a list back without touching the input, and drops a removed option from the rules that allowed it', () => {
    const schema = clone(v1Schema) as Json;
    const types = optionLists(schema).find((l) => l.name === 'type')!;
    const kept = types.options.filter((o) => o.code !== 'spam_distribution');
    const next = setOptions(schema, types.pointer, kept);
    expect(schema).toEqual(v1Schema);
    expect(next.properties.type.oneOf.map((o: Json) => o.const)).not.toContain('spam_distribution');
    expect(next.allOf[0].then.properties.type.enum).not.toContain('spam_distribution');
    expect(next.allOf[0].then.properties.type.enum).toContain('malware_infection');
    // everything else of an option is kept, in its order: the JSON of an untouched option does not change
    expect(JSON.stringify(next.properties.type.oneOf[1])).toBe(JSON.stringify(schema.properties.type.oneOf[1]));
    expect(JSON.stringify(setOptions(schema, types.pointer, types.options))).toBe(JSON.stringify(schema));
  });

  it('knows the options the definition\u2019s defaults point at and the settings that fill a field', () => {
    const lists = optionLists(v2Schema);
    const filled = lists.find((l) => l.name.endsWith('.function'))!;
    expect(defaultedCodes(v2Schema, filled.name)).toEqual(['undetermined']);
    const mapped = lists.find((l) => defaultedCodes(v2Schema, l.name).includes('measures_taken'));
    expect(mapped).toBeDefined();
    const withSetting = lists.filter((l) => defaultSettings(v2Schema, l.name).length > 0).map((l) => defaultSettings(v2Schema, l.name)[0]);
    expect(withSetting).toEqual(expect.arrayContaining(['defaultLocation']));
    expect(defaultSettings(v2Schema, 'tlp')).toEqual([]);
    // version 1 declares none: the legacy declarations apply
    expect(optionLists(v1Schema).filter((l) => defaultSettings(v1Schema, l.name).length > 0).length).toBeGreaterThan(0);
  });

  it('reports a label or a wire string changed', () => {
    const schema = clone(v1Schema) as Json;
    const tlp = optionLists(schema).find((l) => l.name === 'tlp')!;
    const next = setOptions(
      schema,
      tlp.pointer,
      tlp.options.map((o) => (o.code === 'RED' ? { ...o, title: 'RED: named people only', wire: 'TLP:RED2' } : o)),
    );
    expect(describeChanges({ schema, uiSchema: {} }, { schema: next, uiSchema: {} })).toEqual([
      { kind: 'label-changed', list: 'tlp', code: 'RED', from: tlp.options[3].title, to: 'RED: named people only', ru: false },
      { kind: 'wire-changed', list: 'tlp', code: 'RED', from: 'TLP:RED', to: 'TLP:RED2' },
    ]);
  });

  it('renames a code in its list and in the rules that name it', () => {
    const schema = clone(v1Schema) as Json;
    const categories = optionLists(schema).find((l) => l.name === 'category')!;
    const next = renameCode(schema, categories.pointer, 1, 'attack');
    expect(next.properties.category.oneOf[1].const).toBe('attack');
    expect(next.allOf[1].if.properties.category.const).toBe('attack');
    expect(matrixOf(next).ruleOf.attack).toBe(1);
    const types = optionLists(next).find((l) => l.name === 'type')!;
    const ddos = types.options.findIndex((o) => o.code === 'ddos');
    const again = renameCode(next, types.pointer, ddos, 'ddos_attack');
    expect(again.allOf[1].then.properties.type.enum).toContain('ddos_attack');
    expect(again.allOf[1].then.properties.type.enum).not.toContain('ddos');
    expect(schema).toEqual(v1Schema);
  });

  it('renames a new option typed over an existing code without touching the rules', () => {
    const schema = clone(v1Schema) as Json;
    const types = optionLists(schema).find((l) => l.name === 'type')!;
    let s = setOptions(schema, types.pointer, [...types.options, { code: 'new', title: '', titleRu: '', wire: '' }]);
    const last = types.options.length;
    s = renameCode(s, types.pointer, last, 'ddos'); // typed so far: the same code as another option
    expect(s.allOf[1].then.properties.type.enum.filter((v: string) => v === 'ddos')).toHaveLength(1);
    s = renameCode(s, types.pointer, last, 'ddos_x');
    expect(s.properties.type.oneOf.map((o: Json) => o.const)).toEqual(expect.arrayContaining(['ddos', 'ddos_x']));
    expect(s.allOf[1].then.properties.type.enum).toContain('ddos');
    expect(s.allOf[1].then.properties.type.enum).not.toContain('ddos_x');
  });

  it('makes a code from an English label, unique in its list', () => {
    expect(codeFor('Ransomware attack!', [])).toBe('ransomware_attack');
    expect(codeFor('Ransomware attack', ['ransomware_attack'])).toBe('ransomware_attack_2');
    expect(codeFor('Вымогатель', [])).toBe('option');
  });
});

describe('the rules matrix', () => {
  it('reads which types belong to which category and which fields each makes unavailable', () => {
    const m = matrixOf(v1Schema);
    expect(m).toMatchObject({ selector: 'category', dependent: 'type', others: [] });
    expect(isAllowed(m, 'computer_attack', 'ddos')).toBe(true);
    expect(isAllowed(m, 'computer_incident', 'ddos')).toBe(false);
    expect(m.unavailable.computer_attack).toEqual(expect.arrayContaining(['availabilityImpact', 'customImpact']));
    expect(m.required.vulnerability).toEqual(['productInfo']);
    expect(matrixFields(v1Schema, m)).not.toContain('type');
    const off = setAvailable(clone(v1Schema), 'vulnerability', 'productInfo', false);
    expect(off.allOf[2].then.required).toEqual([]);
  });

  it('keeps a rule for an option no longer listed aside', () => {
    const categories = optionLists(v1Schema).find((l) => l.name === 'category')!;
    const s = setOptions(
      clone(v1Schema),
      categories.pointer,
      categories.options.filter((o) => o.code !== 'vulnerability'),
    );
    expect(matrixOf(s).others).toEqual([2]);
    expect(matrixOf(s).ruleOf).not.toHaveProperty('vulnerability');
  });

  it('keeps the rules it cannot express aside (version 2: per type, nested, else)', () => {
    const m = matrixOf(v2Schema);
    expect(Object.keys(m.ruleOf).sort()).toEqual(['computer_attack', 'computer_incident']);
    expect(m.others.length).toBeGreaterThan(0);
    expect(m.others.length + Object.keys(m.ruleOf).length).toBe(v2Schema.allOf.length);
  });

  it('writes check boxes back into the rules', () => {
    let s: Json = clone(v1Schema);
    s = setAllowed(s, 'computer_attack', 'spam_distribution', true);
    expect(s.allOf[1].then.properties.type.enum).toContain('spam_distribution');
    s = setAllowed(s, 'computer_attack', 'ddos', false);
    expect(s.allOf[1].then.properties.type.enum).not.toContain('ddos');
    s = setAvailable(s, 'computer_attack', 'availabilityImpact', true);
    expect(s.allOf[1].then.properties).not.toHaveProperty('availabilityImpact');
    s = setAvailable(s, 'computer_incident', 'city', false);
    expect(s.allOf[0].then.properties.city).toBe(false);
    expect(matrixOf(s).others).toEqual([]);
  });

  it('creates the rule of a category that has none', () => {
    // without a rule a category allows every type: unticking one writes the rule with the others
    expect(isAllowed(matrixOf(v1Schema), 'new_category', 'ddos')).toBe(true);
    const categories = optionLists(v1Schema).find((l) => l.name === 'category')!;
    const withCategory = setOptions(clone(v1Schema), categories.pointer, [
      ...categories.options,
      { code: 'new_category', title: 'New', titleRu: 'Новая', wire: 'Новая' },
    ]);
    const s = setAllowed(withCategory, 'new_category', 'ddos', false);
    const rule = s.allOf[s.allOf.length - 1];
    expect(rule.if).toEqual({ properties: { category: { const: 'new_category' } }, required: ['category'] });
    expect(rule.then.properties.type.enum).toHaveLength(v1Schema.properties.type.oneOf.length - 1);
    expect(rule.then.properties.type.enum).not.toContain('ddos');
    expect(matrixOf(s).ruleOf.new_category).toBe(s.allOf.length - 1);
  });
});

describe('the compliance scenario, as the editor writes it, passes the publish gate', () => {
  it('switches off vulnerability, replaces three types by two, allows the impacts for attacks', () => {
    let schema: Json = clone(v1Schema);
    const lists = () => optionLists(schema);
    const category = lists().find((l) => l.name === 'category')!;
    schema = setOptions(
      schema,
      category.pointer,
      category.options.filter((o) => o.code !== 'vulnerability'),
    );
    const types = lists().find((l) => l.name === 'type')!;
    const added: Option[] = [
      { code: 'ransomware', title: 'Ransomware', titleRu: 'Программа-вымогатель', wire: 'Заражение программой-вымогателем' },
      { code: 'supply_chain', title: 'Supply chain compromise', titleRu: 'Атака через поставщика', wire: 'Компрометация цепочки поставок' },
    ];
    const removed = ['spam_distribution', 'phishing_resource', 'illegal_content'];
    schema = setOptions(schema, types.pointer, [...types.options.filter((o) => !removed.includes(o.code)), ...added]);
    for (const o of added) schema = setAllowed(schema, 'computer_incident', o.code, true);
    for (const f of ['availabilityImpact', 'integrityImpact', 'confidentialityImpact', 'customImpact'])
      schema = setAvailable(schema, 'computer_attack', f, true);

    const changes = describeChanges({ schema: v1Schema, uiSchema: v1UiSchema }, { schema, uiSchema: v1UiSchema });
    expect(changes).toEqual(
      expect.arrayContaining([
        { kind: 'option-removed', list: 'category', code: 'vulnerability', label: expect.any(String) },
        { kind: 'option-removed', list: 'type', code: 'spam_distribution', label: expect.any(String) },
        { kind: 'option-added', list: 'type', code: 'ransomware', label: 'Ransomware' },
        { kind: 'allowed-added', selector: 'computer_incident', value: 'supply_chain' },
        { kind: 'field-available', selector: 'computer_attack', field: 'integrityImpact' },
      ]),
    );
    // the rule of the category switched off is kept as it was: neither a change of rules nor of its types
    expect(changes.filter((c) => c.kind === 'rules-changed' || ('selector' in c && c.selector === 'vulnerability'))).toEqual([]);

    // samples that spoke of what is gone go with it (the editor lists them; staff remove them)
    const problems = checkDefinition({ schema, uiSchema: v1UiSchema, samples: v1Samples as Json });
    const failing = new Set(problems.filter((p) => p.path.startsWith('/samples/')).map((p) => p.path.split('/').slice(0, 4).join('/')));
    expect(problems.filter((p) => !p.path.startsWith('/samples/'))).toEqual([]);
    const samples = {
      valid: v1Samples.valid.filter((_, i) => !failing.has(`/samples/valid/${i}`)),
      invalid: v1Samples.invalid.filter((_, i) => !failing.has(`/samples/invalid/${i}`)),
    };
    expect(checkDefinition({ schema, uiSchema: v1UiSchema, samples: samples as Json })).toEqual([]);
  });
});

describe('the JSON diff and lines', () => {
  it('shows changed lines with context and numbers', () => {
    const d = lineDiff('a\nb\nc\nd\ne\nf\ng\nh', 'a\nb\nc\nD\ne\nf\ng\nh', 1);
    expect(d).toEqual([
      { op: ' ', text: 'c', line: 3 },
      { op: '-', text: 'd', line: 4 },
      { op: '+', text: 'D', line: 4 },
      { op: ' ', text: 'e', line: 5 },
    ]);
    expect(lineDiff('x', 'x')).toEqual([]);
  });

  it('finds the line of a JSON Pointer in pretty-printed JSON, or of its nearest ancestor', () => {
    const text = JSON.stringify({ a: 1, 'b/c': { d: [true, { e: 'x"y' }] } }, null, 2);
    const lines = pointerLines(text);
    const at = (p: string) => text.split('\n')[lineOf(lines, p)! - 1].trim();
    expect(at('/a')).toBe('"a": 1,');
    expect(at('/b~1c/d/1/e')).toBe('"e": "x\\"y"');
    expect(at('/b~1c/d/0')).toBe('true,');
    expect(at('/b~1c/d/1/missing')).toBe('{');
    expect(lineOf(lines, '')).toBe(1);
    expect(getAt({ a: [{ b: 2 }] }, '/a/0/b')).toBe(2);
  });
});
