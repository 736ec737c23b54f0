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
  isTypeAvailable,
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
  setTypeAvailable,
  typeGuards,
  type Option,
} from './editor-model';
import v2UiSchema from '../../../schemas/forms/rucert-export/v2/ui-schema.json';

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
/** Deep-equal, the order of an object's keys aside. */
const sorted = (_key: string, v: unknown) =>
  v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v;
const same = (a: unknown, b: unknown) => JSON.stringify(a, sorted) === JSON.stringify(b, sorted);

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

  it('keeps aside, with the reason, the rules it cannot express (version 2: the leak details depend on the leak check box)', () => {
    const m = matrixOf(v2Schema);
    expect(Object.keys(m.ruleOf).sort()).toEqual(['computer_attack', 'computer_incident']);
    expect(m.others).toEqual([4]);
    expect(m.why[4]).toEqual({ reason: 'condition', fields: ['personalDataLeak'] });
    // a rule that narrows what a list's rows may hold cannot be a check box either
    const narrowing = {
      if: { properties: { type: { const: 'ddos' } }, required: ['type'] },
      then: { properties: { relatedIndicatorsIpv4: { items: { properties: { function: { enum: ['malware_c2'] } } } } } },
    };
    const s = { ...clone(v2Schema), allOf: [...v2Schema.allOf, narrowing] } as Json;
    expect(matrixOf(s).why[5]).toEqual({ reason: 'narrows', fields: ['relatedIndicatorsIpv4'] });
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

describe('which fields apply to which type', () => {
  const types = (schema: Json): string[] => schema.properties.type.oneOf.map((o: Json) => o.const);
  const fields = (schema: Json): string[] => matrixFields(schema, matrixOf(schema));

  it('reads version 2: the technical details per type while the resource is online, the leak block for five types', () => {
    const m = matrixOf(v2Schema);
    expect(isTypeAvailable(m, 'malware_infection', 'malwareHash')).toBe(true);
    expect(isTypeAvailable(m, 'ddos', 'malwareHash')).toBe(false);
    expect(isTypeAvailable(m, 'traffic_interception', 'relatedIndicatorsAsn')).toBe(true);
    expect(isTypeAvailable(m, 'ddos', 'relatedIndicatorsAsn')).toBe(false);
    expect(isTypeAvailable(m, 'data_disclosure', 'personalDataLeak')).toBe(true);
    expect(isTypeAvailable(m, 'ddos', 'personalDataLeak')).toBe(false);
    expect(isTypeAvailable(m, 'ddos', 'eventDescription')).toBe(true);
    expect(typeGuards(m, 'malwareHash')).toEqual([{ field: 'affectedSystemConnection', value: true }]);
    expect(typeGuards(m, 'personalDataLeak')).toEqual([]);
    // version 1 has no per-type rule: every field applies to every type
    const m1 = matrixOf(v1Schema);
    expect(m1.typeRules).toEqual([]);
    for (const t of types(v1Schema)) for (const f of fields(v1Schema)) expect(isTypeAvailable(m1, t, f)).toBe(true);
  });

  it.each([
    ['version 1', v1Schema],
    ['version 2', v2Schema],
  ])('writes %s back unchanged when every check box is written as it reads', (_name, original) => {
    let s: Json = clone(original);
    const m = matrixOf(s);
    const categories: string[] = s.properties[m.selector].oneOf.map((o: Json) => o.const);
    for (const c of categories) {
      for (const t of types(s)) s = setAllowed(s, c, t, isAllowed(m, c, t));
      for (const f of fields(s)) s = setAvailable(s, c, f, !(m.unavailable[c] ?? []).includes(f));
    }
    for (const t of types(s)) for (const f of fields(s)) s = setTypeAvailable(s, t, f, isTypeAvailable(m, t, f));
    expect(s).toEqual(original);
    expect(JSON.stringify(s)).toBe(JSON.stringify(original));
  });

  it.each([
    ['version 1', v1Schema],
    ['version 2', v2Schema],
  ])('gives %s back after any type \u00d7 field box is changed and changed back', (_name, original) => {
    const m = matrixOf(original);
    const grid = (schema: Json) => {
      const read = matrixOf(schema);
      return types(schema).map((t) => fields(schema).map((f) => isTypeAvailable(read, t, f)));
    };
    const before = grid(original);
    const text = JSON.stringify(original, sorted);
    const differ: string[] = [];
    for (const t of types(original))
      for (const f of fields(original)) {
        const now = isTypeAvailable(m, t, f);
        const back = setTypeAvailable(setTypeAvailable(original, t, f, !now), t, f, now);
        // a rule that tests a category stops testing it for a type of another category, and reads the same without
        const category = m.typeRules.some((r) => r.fields.includes(f) && r.selectorCode && !isAllowed(m, r.selectorCode, t));
        if (category ? !same(grid(back), before) : JSON.stringify(back, sorted) !== text) differ.push(`${t} \u00d7 ${f}`);
      }
    expect(differ).toEqual([]);
  });

  it('unticks a field for one type with a rule of its own, and ticking it again takes the rule away', () => {
    const off = setTypeAvailable(clone(v1Schema), 'malware_infection', 'detectionTool', false);
    expect(off.allOf.slice(0, 3)).toEqual(v1Schema.allOf);
    expect(off.allOf[3]).toEqual({
      if: { properties: { type: { enum: ['malware_infection'] } }, required: ['type'] },
      then: { properties: { detectionTool: false } },
    });
    const m = matrixOf(off);
    expect(isTypeAvailable(m, 'malware_infection', 'detectionTool')).toBe(false);
    expect(isTypeAvailable(m, 'ddos_slowdown', 'detectionTool')).toBe(true);
    expect(m.others).toEqual([]);
    expect(checkDefinition({ schema: off, uiSchema: v1UiSchema })).toEqual([]);
    expect(describeChanges({ schema: v1Schema, uiSchema: v1UiSchema }, { schema: off, uiSchema: v1UiSchema })).toEqual([
      { kind: 'type-field-unavailable', value: 'malware_infection', field: 'detectionTool' },
    ]);
    expect(setTypeAvailable(off, 'malware_infection', 'detectionTool', true)).toEqual(v1Schema);
  });

  it('writes into the rule it read, inside the rule for an online resource, and takes a field of a group apart', () => {
    // a rule about one field: its types change in place, in the order of the list
    const off = setTypeAvailable(clone(v2Schema), 'malware_infection', 'malwareHash', false);
    expect(off.allOf[2].then.allOf[6].if.properties.type.enum).toEqual(['resource_used_for_attacks', 'malware_injection_attempts']);
    expect(checkDefinition({ schema: off, uiSchema: v2UiSchema })).toEqual([]);
    const back = setTypeAvailable(off, 'malware_infection', 'malwareHash', true);
    expect(JSON.stringify(back)).toBe(JSON.stringify(v2Schema));
    // a rule about several fields gives the one field its own rule beside it; ticking back joins them again
    const apart = setTypeAvailable(clone(v2Schema), 'ddos', 'relatedIndicatorsIpv4', false);
    const nested = apart.allOf[2].then.allOf;
    expect(nested).toHaveLength((v2Schema as Json).allOf[2].then.allOf.length + 1);
    expect(nested[4]).toEqual({
      if: {
        properties: { type: { enum: (v2Schema as Json).allOf[2].then.allOf[3].if.properties.type.enum.filter((t: string) => t !== 'ddos') } },
        required: ['type'],
      },
      else: { properties: { relatedIndicatorsIpv4: false } },
    });
    const m = matrixOf(apart);
    expect(isTypeAvailable(m, 'ddos', 'relatedIndicatorsIpv4')).toBe(false);
    expect(isTypeAvailable(m, 'ddos', 'relatedIndicatorsIpv6')).toBe(true);
    expect(typeGuards(m, 'relatedIndicatorsIpv4')).toEqual([{ field: 'affectedSystemConnection', value: true }]);
    expect(describeChanges({ schema: v2Schema, uiSchema: {} }, { schema: apart, uiSchema: {} })).toEqual([
      { kind: 'type-field-unavailable', value: 'ddos', field: 'relatedIndicatorsIpv4' },
    ]);
    expect(setTypeAvailable(apart, 'ddos', 'relatedIndicatorsIpv4', true)).toEqual(v2Schema);
  });

  it('lets the leak block apply to a type of another category by no longer testing the category', () => {
    const s = setTypeAvailable(clone(v2Schema), 'ddos', 'personalDataLeak', true);
    expect(s.allOf[3].if).toEqual({
      properties: { type: { enum: [...(v2Schema as Json).allOf[3].if.properties.type.enum, 'ddos'] } },
      required: ['type'],
    });
    expect(isTypeAvailable(matrixOf(s), 'ddos', 'personalDataLeak')).toBe(true);
    // taking a type of the category away keeps the test
    const fewer = setTypeAvailable(clone(v2Schema), 'data_disclosure', 'personalDataLeak', false);
    expect(fewer.allOf[3].if.properties.category).toEqual({ const: 'computer_incident' });
    expect(fewer.allOf[3].if.properties.type.enum).not.toContain('data_disclosure');
    expect(isTypeAvailable(matrixOf(fewer), 'malware_infection', 'personalDataLeak')).toBe(true);
    // once a listed type belongs to another category too, the rule is JSON again, with its reason
    const shared = setAllowed(clone(v2Schema), 'computer_attack', 'data_disclosure', true);
    expect(matrixOf(shared).why[3]).toEqual({ reason: 'category-and-type' });
  });

  it('unticks a field for the last type it applied to without an empty list of types', () => {
    let s: Json = clone(v1Schema);
    for (const t of types(s)) s = setTypeAvailable(s, t, 'city', false);
    const m = matrixOf(s);
    expect(types(s).every((t) => !isTypeAvailable(m, t, 'city'))).toBe(true);
    expect(checkDefinition({ schema: s, uiSchema: v1UiSchema })).toEqual([]);
    s = setTypeAvailable(s, 'ddos', 'city', true);
    expect(types(s).filter((t) => isTypeAvailable(matrixOf(s), t, 'city'))).toEqual(['ddos']);
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
