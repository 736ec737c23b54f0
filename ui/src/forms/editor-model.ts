// The structured view of a form definition that compliance staff edit instead of JSON Schema, and the way back:
//   - reference lists: every enumeration (`oneOf` of `{const, title, x-title-ru, x-rucert}`) as a table of options;
//   - the rules matrix: the `allOf` rules of the shape `if {selector: const c} then {dependent: enum […], field: false}`
//     as check boxes (which types belong to which category, which fields apply to which category), and the per-type
//     rules `if {dependent: enum […]} then|else {field: false…}` (which fields apply to which type; see TypeRule); any
//     other rule is kept as it is and edited as JSON, with the reason the grids cannot show it;
//   - what changed against the active version, in the staff's words, and a line diff of the JSON;
//   - where a JSON Pointer sits in pretty-printed JSON text (the gate's problems shown at their line).
// Everything here is pure: a schema in, a new schema out (the input is never modified).
import { declaredDefaults } from '../../../src/schema/defaults';
import type { Json } from './definition';

export type Wire = string | number | boolean;

export interface Option {
  code: string;
  title: string;
  titleRu: string;
  wire: Wire;
  /** Whatever else the option declares (descriptions…), kept as it is. */
  rest?: Record<string, Json>;
  /** The option's keys in the order the definition wrote them, kept so that the diff shows real changes only. */
  keys?: string[];
}

export interface OptionList {
  /** JSON Pointer of the `oneOf` inside the schema, e.g. "/properties/type/oneOf". */
  pointer: string;
  /** The top-level property it belongs to (a list inside the rows of a list: "<list>.<member>"). */
  name: string;
  property: string;
  title: string;
  titleRu: string;
  options: Option[];
}

const isObject = (v: unknown): v is Record<string, Json> => v !== null && typeof v === 'object' && !Array.isArray(v);
const escape = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
const unescape = (s: string) => s.replace(/~1/g, '/').replace(/~0/g, '~');

function isConstOneOf(node: unknown): node is Json[] {
  return Array.isArray(node) && node.length > 0 && node.every((o) => isObject(o) && 'const' in o);
}

function toOption(o: Json): Option {
  const { const: code, title, 'x-title-ru': titleRu, 'x-rucert': wire, ...rest } = o;
  return {
    code: String(code),
    title: String(title ?? ''),
    titleRu: String(titleRu ?? ''),
    wire: wire ?? '',
    ...(Object.keys(rest).length ? { rest } : {}),
    keys: Object.keys(o),
  };
}

function fromOption(o: Option): Json {
  const own: Json = { const: o.code, title: o.title, ...(o.titleRu ? { 'x-title-ru': o.titleRu } : {}), 'x-rucert': o.wire, ...(o.rest ?? {}) };
  const out: Json = {};
  for (const key of [...(o.keys ?? []), ...Object.keys(own)]) if (key in own && !(key in out)) out[key] = own[key];
  return out;
}

/** Every enumeration of the definition, in the order of the properties. */
export function optionLists(schema: Json): OptionList[] {
  const lists: OptionList[] = [];
  for (const [name, prop] of Object.entries<Json>(schema?.properties ?? {})) {
    if (!isObject(prop)) continue;
    const base = `/properties/${escape(name)}`;
    const label = { title: String(prop.title ?? name), titleRu: String(prop['x-title-ru'] ?? prop.title ?? name) };
    if (isConstOneOf(prop.oneOf)) lists.push({ pointer: `${base}/oneOf`, name, property: name, ...label, options: prop.oneOf.map(toOption) });
    const items = prop.items;
    if (isObject(items) && isConstOneOf(items.oneOf)) {
      lists.push({ pointer: `${base}/items/oneOf`, name, property: name, ...label, options: items.oneOf.map(toOption) });
    }
    if (isObject(items) && isObject(items.properties)) {
      for (const [member, sub] of Object.entries<Json>(items.properties)) {
        if (isObject(sub) && isConstOneOf(sub.oneOf)) {
          lists.push({
            pointer: `${base}/items/properties/${escape(member)}/oneOf`,
            name: `${name}.${member}`,
            property: name,
            title: `${label.title} — ${String(sub.title ?? member)}`,
            titleRu: `${label.titleRu} — ${String(sub['x-title-ru'] ?? sub.title ?? member)}`,
            options: sub.oneOf.map(toOption),
          });
        }
      }
    }
  }
  return lists;
}

function segments(pointer: string): string[] {
  return pointer === '' ? [] : pointer.replace(/^\//, '').split('/').map(unescape);
}

/** The value at a JSON Pointer, or undefined. */
export function getAt(doc: Json, pointer: string): Json {
  let node = doc;
  for (const s of segments(pointer)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = node[s];
  }
  return node;
}

/** A copy of `doc` with the value at `pointer` replaced; only the nodes on the way are copied. */
export function setAt(doc: Json, pointer: string, value: Json): Json {
  const path = segments(pointer);
  const put = (node: Json, i: number): Json => {
    if (i === path.length) return value;
    const copy = Array.isArray(node) ? [...node] : { ...(node ?? {}) };
    copy[path[i]] = put(node?.[path[i]], i + 1);
    return copy;
  };
  return put(doc, 0);
}

/** Walks the rules (`allOf`, `then`, `else`, nested) calling `visit` on every node that can narrow properties. */
function mapRules(node: Json, visit: (node: Json) => Json): Json {
  if (!isObject(node)) return node;
  let out = visit(node);
  for (const key of ['then', 'else'] as const) if (isObject(out[key])) out = { ...out, [key]: mapRules(out[key], visit) };
  if (Array.isArray(out.allOf)) out = { ...out, allOf: out.allOf.map((r: Json) => mapRules(r, visit)) };
  return out;
}

/**
 * The schema with the list at `pointer` replaced by `options`. A top-level option removed disappears from the rules'
 * `enum`s of that property too (what the rules allowed of it); the rules that test for it stay (see the matrix).
 */
export function setOptions(schema: Json, pointer: string, options: Option[]): Json {
  const before = getAt(schema, pointer);
  let next = setAt(schema, pointer, options.map(fromOption));
  const m = /^\/properties\/([^/]+)\/oneOf$/.exec(pointer);
  if (m && isConstOneOf(before)) {
    const property = unescape(m[1]);
    const kept = new Set<unknown>(options.map((o) => o.code));
    const removed = new Set<unknown>(before.map((o: Json) => o.const).filter((c: unknown) => !kept.has(c)));
    if (removed.size) {
      next = {
        ...next,
        allOf: Array.isArray(next.allOf)
          ? next.allOf.map((rule: Json) =>
              mapRules(rule, (node) => {
                const narrow = node.properties?.[property];
                if (!isObject(narrow) || !Array.isArray(narrow.enum)) return node;
                return { ...node, properties: { ...node.properties, [property]: { ...narrow, enum: narrow.enum.filter((v: unknown) => !removed.has(v)) } } };
              }),
            )
          : next.allOf,
      };
    }
  }
  return next;
}

/**
 * Renames an option's code, in its list and wherever the rules name it for that property (`const` and `enum` under
 * `properties.<property>`, in conditions and branches alike), so that the rules keep meaning what they meant.
 */
export function renameCode(schema: Json, pointer: string, index: number, to: string): Json {
  const list = getAt(schema, pointer);
  if (!isConstOneOf(list) || !list[index]) return schema;
  const from = list[index].const;
  let next = setAt(
    schema,
    pointer,
    list.map((o: Json, i: number) => (i === index ? { ...o, const: to } : o)),
  );
  // the rules follow only a code that was the list's own (not one it shared with another option while typed)
  if (list.filter((o: Json) => o.const === from).length > 1 || list.some((o: Json) => o.const === to)) return next;
  const m = /^\/properties\/([^/]+)\/oneOf$/.exec(pointer);
  if (!m || !Array.isArray(next.allOf)) return next;
  const property = unescape(m[1]);
  const rename = (node: Json, depth: number): Json => {
    if (depth > 50 || node === null || typeof node !== 'object') return node;
    if (Array.isArray(node)) return node.map((n) => rename(n, depth + 1));
    const out: Json = {};
    for (const [key, value] of Object.entries<Json>(node)) out[key] = rename(value, depth + 1);
    const test = out.properties?.[property];
    if (isObject(test)) {
      const renamed: Json = { ...test };
      if (test.const === from) renamed.const = to;
      if (Array.isArray(test.enum)) renamed.enum = test.enum.map((v: unknown) => (v === from ? to : v));
      out.properties = { ...out.properties, [property]: renamed };
    }
    return out;
  };
  next = { ...next, allOf: rename(next.allOf, 0) };
  return next;
}

/** A new option's code from its English label: lower case words joined by "_", unique in the list. */
export function codeFor(title: string, taken: string[]): string {
  const base =
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 60) || 'option';
  let code = base;
  for (let i = 2; taken.includes(code); i++) code = `${base}_${i}`;
  return code;
}

/** The default declarations of a field, the legacy ones for a definition that declares none (src/schema/defaults.ts). */
function defaultSpecs(schema: Json, property: string): Json[] {
  return declaredDefaults(schema ?? {}).find((d) => d.field === property)?.specs ?? [];
}

/**
 * Codes of the list `name` ("<field>" or "<list>.<member>") that the definition's own defaults point at: `x-default`
 * `map` values, and `fill` values of a list member.
 */
export function defaultedCodes(schema: Json, name: string): string[] {
  const [property, member] = name.split('.');
  const codes: string[] = [];
  for (const spec of defaultSpecs(schema, property)) {
    if (member === undefined && isObject(spec.map)) for (const v of Object.values(spec.map)) codes.push(String(v));
    if (member !== undefined && isObject(spec.fill) && member in spec.fill) codes.push(String(spec.fill[member]));
  }
  return codes;
}

/** The integration settings a field is filled from by default: whatever option they hold must stay in its list. */
export function defaultSettings(schema: Json, name: string): string[] {
  if (name.includes('.')) return [];
  return defaultSpecs(schema, name)
    .filter((spec) => typeof spec.setting === 'string' && !spec.map && !spec.pick)
    .map((spec) => String(spec.setting));
}

// ---------------------------------------------------------------------------------------------------------------
// The rules matrix

export interface Matrix {
  /** The property a rule tests (the category) and the one whose options it narrows (the type). */
  selector: string;
  dependent: string;
  /** Selector code → index in `allOf` of its rule (absent: no rule yet). */
  ruleOf: Record<string, number>;
  /** Selector code → the dependent codes it allows (absent: the rule does not narrow them, all allowed). */
  allowed: Record<string, string[] | undefined>;
  /** Selector code → the fields its rule makes unavailable (`false`). */
  unavailable: Record<string, string[]>;
  /** Selector code → the fields its rule makes required. */
  required: Record<string, string[]>;
  /** The per-type rules, in the order of the definition. */
  typeRules: TypeRule[];
  /** Indexes in `allOf` of the rules the grids cannot express, edited as JSON. */
  others: number[];
  /** Why each of `others` cannot be shown as check boxes, by index. */
  why: Record<number, Why>;
}

/**
 * A per-type rule: `if {dependent: {enum: [t…]} | {const: t}}, required: [dependent]` with either `else {properties:
 * {field: false…}}` (the fields apply to the listed types only) or `then {…}` (they apply to every type but the listed
 * ones). The `if` may test a category as well (`{selector: {const: c}}`) when every listed type belongs to that
 * category alone: the test then changes nothing the grid would show. The rule may sit at the top of `allOf` or in the
 * `then.allOf` of a rule that applies while another field has a value (`guard`), e.g. only for a resource connected to
 * the Internet: the grid shows the per-type part, and the condition beside the fields it concerns.
 */
export interface TypeRule {
  /** JSON Pointer of the `allOf` the rule is in ("/allOf", "/allOf/2/then/allOf") and its index there. */
  list: string;
  index: number;
  types: string[];
  branch: 'then' | 'else';
  fields: string[];
  /** The category the `if` tests as well. */
  selectorCode?: string;
  /** The field and value the enclosing rule tests. */
  guard?: { field: string; value: Json };
}

/** Why a rule is edited as JSON. */
export type Why = { reason: 'orphan' | 'duplicate' | 'category-and-type' | 'shape' } | { reason: 'condition' | 'narrows'; fields: string[] };

/** The code `rule` tests the selector for, when it is exactly `if {selector: {const}} required [selector]`. */
function simpleRule(rule: Json): { selector: string; code: string } | undefined {
  const cond = rule?.if;
  if (!isObject(rule) || !isObject(cond) || !isObject(cond.properties) || 'else' in rule || !isObject(rule.then)) return undefined;
  if (Object.keys(cond).some((k) => !['properties', 'required', '$comment'].includes(k))) return undefined;
  const names = Object.keys(cond.properties);
  if (names.length !== 1) return undefined;
  const test = cond.properties[names[0]];
  if (!isObject(test) || Object.keys(test).length !== 1 || !('const' in test) || typeof test.const !== 'string') return undefined;
  if (!Array.isArray(cond.required) || cond.required.length !== 1 || cond.required[0] !== names[0]) return undefined;
  // the `then` may hold properties only (an enum narrowing or `false` each), plus required and a comment
  const then = rule.then;
  if (Object.keys(then).some((k) => !['properties', 'required', '$comment'].includes(k))) return undefined;
  if (then.required !== undefined && !Array.isArray(then.required)) return undefined;
  for (const sub of Object.values<Json>(then.properties ?? {})) {
    if (sub === false) continue;
    if (!isObject(sub) || Object.keys(sub).length !== 1 || !Array.isArray(sub.enum)) return undefined;
  }
  return { selector: names[0], code: test.const };
}

const onlyKeys = (node: Json, keys: string[]) => Object.keys(node).every((k) => keys.includes(k));
const sameSet = (a: unknown[], b: unknown[]) => a.length === b.length && a.every((x) => b.includes(x));

/** What a rule's `if` tests, by property, when it is `{properties, required: [each of them]}` and the rule has no other keys. */
function testsOf(rule: Json): Record<string, Json> | undefined {
  const cond = rule?.if;
  if (!isObject(rule) || !isObject(cond) || !onlyKeys(rule, ['if', 'then', 'else', '$comment'])) return undefined;
  if (!onlyKeys(cond, ['properties', 'required', '$comment']) || !isObject(cond.properties)) return undefined;
  return Array.isArray(cond.required) && sameSet(cond.required, Object.keys(cond.properties)) ? cond.properties : undefined;
}

/** The parts of a per-type rule (see TypeRule), its place left to the caller; undefined for any other shape. */
function typeRuleOf(rule: Json, selector: string, dependent: string): Omit<TypeRule, 'list' | 'index' | 'guard'> | undefined {
  const tests = testsOf(rule);
  if (!tests || 'then' in rule === 'else' in rule) return undefined;
  const { [dependent]: test, [selector]: category, ...rest } = tests;
  if (Object.keys(rest).length || !isObject(test)) return undefined;
  const types = isConstTest(test) ? [test.const] : onlyKeys(test, ['enum']) && Array.isArray(test.enum) && test.enum.length ? test.enum : undefined;
  if (!types?.every((t: unknown) => typeof t === 'string')) return undefined;
  if (category !== undefined && !isConstTest(category)) return undefined;
  const branch = 'then' in rule ? 'then' : 'else';
  const body = rule[branch];
  if (!isObject(body) || !onlyKeys(body, ['properties', '$comment']) || !isObject(body.properties)) return undefined;
  const fields = Object.keys(body.properties);
  if (!fields.length || fields.some((f) => body.properties[f] !== false)) return undefined;
  return { types, branch, fields, ...(category ? { selectorCode: category.const } : {}) };
}

function isConstTest(test: Json): test is { const: string } {
  return isObject(test) && onlyKeys(test, ['const']) && typeof test.const === 'string';
}

/** Whether `type` belongs to the category `code` and to no other of `categories`. */
function belongsAlone(matrix: Matrix, categories: string[], code: string, type: string): boolean {
  return categories.every((c) => (c === code) === isAllowed(matrix, c, type));
}

/** A rule that applies while one field has a value, holding per-type rules only: `if {g: const v} then {allOf}`. */
function guardOf(rule: Json, selector: string, dependent: string): TypeRule['guard'] | undefined {
  const tests = testsOf(rule);
  const names = Object.keys(tests ?? {});
  const test = tests?.[names[0]];
  if (names.length !== 1 || [selector, dependent].includes(names[0]) || !isObject(test) || !onlyKeys(test, ['const'])) return undefined;
  const then = rule.then;
  if (!isObject(then) || !onlyKeys(then, ['allOf', '$comment']) || !Array.isArray(then.allOf) || !then.allOf.length) return undefined;
  if (!then.allOf.every((r: Json) => typeRuleOf(r, selector, dependent) && !r.if.properties[selector])) return undefined;
  const otherwise = rule.else;
  if (
    otherwise !== undefined &&
    !(isObject(otherwise) && onlyKeys(otherwise, ['properties', '$comment']) && Object.values(otherwise.properties ?? {}).every((v) => v === false))
  )
    return undefined;
  return { field: names[0], value: test.const };
}

/** Why the grids cannot show a rule (see Why). */
function whyOf(rule: Json, selector: string, dependent: string): Why {
  const tested = isObject(rule?.if?.properties) ? Object.keys(rule.if.properties) : [];
  const conditions = tested.filter((n) => n !== selector && n !== dependent);
  if (conditions.length) return { reason: 'condition', fields: conditions };
  const narrowed = (['then', 'else'] as const).flatMap((branch) =>
    Object.entries<Json>(isObject(rule?.[branch]?.properties) ? rule[branch].properties : {})
      .filter(([name, sub]) => sub !== false && sub !== true && !(name === dependent && isObject(sub) && onlyKeys(sub, ['enum'])))
      .map(([name]) => name),
  );
  if (narrowed.length) return { reason: 'narrows', fields: narrowed };
  return { reason: tested.includes(selector) && tested.includes(dependent) ? 'category-and-type' : 'shape' };
}

export function matrixOf(schema: Json): Matrix {
  const rules: Json[] = Array.isArray(schema?.allOf) ? schema.allOf : [];
  const simple = rules.map(simpleRule);
  // the selector is what a rule narrowing another property's options tests (a category rule), else what any tests
  const narrows = (i: number) => Object.values<Json>(rules[i].then.properties ?? {}).some(isObject);
  const selector = simple.find((s, i) => s && narrows(i))?.selector ?? simple.find(Boolean)?.selector ?? 'category';
  let dependent = 'type';
  for (const [i, s] of simple.entries()) {
    if (s?.selector !== selector) continue;
    const narrowed = Object.entries<Json>(rules[i].then.properties ?? {}).find(([, sub]) => isObject(sub));
    if (narrowed) {
      dependent = narrowed[0];
      break;
    }
  }
  const options = schema?.properties?.[selector]?.oneOf;
  const matrix: Matrix = { selector, dependent, ruleOf: {}, allowed: {}, unavailable: {}, required: {}, typeRules: [], others: [], why: {} };
  const aside = (i: number, why: Why) => {
    matrix.others.push(i);
    matrix.why[i] = why;
  };
  const perType: number[] = [];
  simple.forEach((s, i) => {
    const then = rules[i]?.then;
    const props: Record<string, Json> = then?.properties ?? {};
    const narrowsOther = Object.entries(props).some(([name, sub]) => isObject(sub) && name !== dependent);
    // a rule for an option the list no longer has is kept aside, never dropped
    const orphan = s && Array.isArray(options) && !options.some((o: Json) => o?.const === s.code);
    if (!s || s.selector !== selector || narrowsOther) perType.push(i);
    else if (orphan) aside(i, { reason: 'orphan' });
    else if (s.code in matrix.ruleOf) aside(i, { reason: 'duplicate' });
    else {
      matrix.ruleOf[s.code] = i;
      matrix.allowed[s.code] = isObject(props[dependent]) ? props[dependent].enum.map(String) : undefined;
      matrix.unavailable[s.code] = Object.keys(props).filter((name) => props[name] === false);
      matrix.required[s.code] = Array.isArray(then.required) ? then.required.map(String) : [];
    }
  });
  // per-type rules need the category rules: a category test in one is shown only when its types are the category's alone
  const categories: string[] = Array.isArray(options) ? options.map((o: Json) => String(o?.const)) : [];
  const alone = (code: string, type: string) => belongsAlone(matrix, categories, code, type);
  for (const i of perType) {
    const own = typeRuleOf(rules[i], selector, dependent);
    const guard = own ? undefined : guardOf(rules[i], selector, dependent);
    if (own && (!own.selectorCode || (categories.includes(own.selectorCode) && own.types.every((t) => alone(own.selectorCode!, t))))) {
      matrix.typeRules.push({ list: '/allOf', index: i, ...own });
    } else if (guard) {
      const list = `/allOf/${i}/then/allOf`;
      rules[i].then.allOf.forEach((r: Json, index: number) => matrix.typeRules.push({ list, index, ...typeRuleOf(r, selector, dependent)!, guard }));
    } else aside(i, whyOf(rules[i], selector, dependent));
  }
  matrix.others.sort((a, b) => a - b);
  return matrix;
}

function withRule(schema: Json, matrix: Matrix, code: string, change: (then: Json) => Json): Json {
  const rules: Json[] = Array.isArray(schema.allOf) ? [...schema.allOf] : [];
  const index = matrix.ruleOf[code];
  if (index === undefined) {
    const rule = { if: { properties: { [matrix.selector]: { const: code } }, required: [matrix.selector] }, then: change({ properties: {} }) };
    return { ...schema, allOf: [...rules, rule] };
  }
  rules[index] = { ...rules[index], then: change(rules[index].then ?? {}) };
  return { ...schema, allOf: rules };
}

/** Whether the selector's `code` allows the dependent option `value` (no narrowing: all allowed). */
export function isAllowed(matrix: Matrix, code: string, value: string): boolean {
  const allowed = matrix.allowed[code];
  return allowed === undefined || allowed.includes(value);
}

export function setAllowed(schema: Json, code: string, value: string, on: boolean): Json {
  const matrix = matrixOf(schema);
  if (isAllowed(matrix, code, value) === on) return schema;
  const all: string[] = (schema.properties?.[matrix.dependent]?.oneOf ?? []).map((o: Json) => String(o.const));
  const current = matrix.allowed[code] ?? all;
  const next = on ? all.filter((v) => v === value || current.includes(v)) : current.filter((v) => v !== value);
  return withRule(schema, matrix, code, (then) => ({ ...then, properties: { ...(then.properties ?? {}), [matrix.dependent]: { enum: next } } }));
}

/** The fields the matrix offers per selector code: the top-level properties but the selector and the dependent. */
export function matrixFields(schema: Json, matrix: Matrix): string[] {
  return Object.keys(schema?.properties ?? {}).filter((n) => n !== matrix.selector && n !== matrix.dependent);
}

export function setAvailable(schema: Json, code: string, field: string, on: boolean): Json {
  const matrix = matrixOf(schema);
  if (!(matrix.unavailable[code] ?? []).includes(field) === on) return schema;
  return withRule(schema, matrix, code, (then) => {
    const properties = { ...(then.properties ?? {}) };
    if (on) delete properties[field];
    else properties[field] = false;
    // a field no longer available is no longer required either
    const required = Array.isArray(then.required) ? then.required.filter((name: string) => on || name !== field) : undefined;
    return { ...then, properties, ...(required ? { required } : {}) };
  });
}

// Which fields apply to which type

const allows = (rule: Pick<TypeRule, 'types' | 'branch'>, type: string) => rule.types.includes(type) === (rule.branch === 'else');

/** Whether the field applies to the type: every per-type rule about the field lets it. */
export function isTypeAvailable(matrix: Matrix, type: string, field: string): boolean {
  return matrix.typeRules.every((r) => !r.fields.includes(field) || allows(r, type));
}

/** The conditions (another field's value) under which the per-type rules about a field apply, one each. */
export function typeGuards(matrix: Matrix, field: string): Array<NonNullable<TypeRule['guard']>> {
  const guards = matrix.typeRules.filter((r) => r.guard && r.fields.includes(field)).map((r) => r.guard!);
  return guards.filter((g, i) => guards.findIndex((h) => same(h, g)) === i);
}

/** `list` with `value` put where the order of `all` puts it. */
function insertInOrder(list: string[], value: string, all: string[]): string[] {
  const rank = (v: string) => (all.includes(v) ? all.indexOf(v) : Infinity);
  const at = list.findIndex((v) => rank(v) > rank(value));
  return at < 0 ? [...list, value] : [...list.slice(0, at), value, ...list.slice(at)];
}

/**
 * The schema with the field applying to the type or not. The per-type rules about the field that say otherwise are
 * changed (a rule about several fields gives the field its own, right after it, or to a neighbour rule that says the
 * same); a field without any gets a new rule `if {type: {enum: [t]}} then {field: false}`. A rule that tests a
 * category as well stops testing it when it comes to list a type of another category.
 */
export function setTypeAvailable(schema: Json, type: string, field: string, on: boolean): Json {
  const matrix = matrixOf(schema);
  if (isTypeAvailable(matrix, type, field) === on) return schema;
  const { selector, dependent } = matrix;
  const about = matrix.typeRules.filter((r) => r.fields.includes(field));
  if (!about.length) {
    const rule = { if: { properties: { [dependent]: { enum: [type] } }, required: [dependent] }, then: { properties: { [field]: false } } };
    return { ...schema, allOf: [...(Array.isArray(schema.allOf) ? schema.allOf : []), rule] };
  }
  const all: string[] = (schema.properties?.[dependent]?.oneOf ?? []).map((o: Json) => String(o.const));
  const categories: string[] = (schema.properties?.[selector]?.oneOf ?? []).map((o: Json) => String(o.const));
  let next = schema;
  // from the last, so that a rule inserted or removed does not move the ones still to change
  for (const r of [...about].reverse()) {
    if (allows(r, type) === on) continue;
    const types = r.types.includes(type) ? r.types.filter((t) => t !== type) : insertInOrder(r.types, type, all);
    const keepCategory = r.selectorCode !== undefined && types.every((t) => belongsAlone(matrix, categories, r.selectorCode!, t));
    // a rule about no type is written as the opposite rule about every type (an empty `enum` is not allowed)
    const branch = types.length ? r.branch : r.branch === 'else' ? 'then' : 'else';
    const listed = types.length ? types : all;
    const condition = conditionFor(matrix, listed, keepCategory ? r.selectorCode : undefined);
    next = setAt(next, r.list, moveField(getAt(next, r.list), r, field, branch, condition, all, matrix));
  }
  return next;
}

function conditionFor(matrix: Matrix, types: string[], category: string | undefined): Json {
  const { selector, dependent } = matrix;
  const properties = { ...(category !== undefined ? { [selector]: { const: category } } : {}), [dependent]: { enum: types } };
  return { properties, required: Object.keys(properties) };
}

/**
 * The rules of one `allOf` with the field moved out of `r` into a rule with `condition` on `branch`: `r` itself when
 * the field is all it is about, a neighbour rule that says the same, or a new one right after `r`; nowhere when the
 * rule would let the field apply to every type (`noop`).
 */
function moveField(list: Json[], r: TypeRule, field: string, branch: 'then' | 'else', condition: Json, all: string[], matrix: Matrix): Json[] {
  const out = [...list];
  const rule = out[r.index];
  const { selector, dependent } = matrix;
  const wanted = typeRuleOf({ if: condition, [branch]: { properties: { [field]: false } } }, selector, dependent)!;
  const noop = all.every((t) => allows(wanted, t));
  // a rule that says the same of the listed types, whichever way it says it
  const sameAs = (other: Json) => {
    const o = typeRuleOf(other, selector, dependent);
    return !!o && o.selectorCode === wanted.selectorCode && all.every((t) => allows(o, t) === allows(wanted, t));
  };
  const neighbour = noop ? -1 : out.findIndex((other, i) => i !== r.index && sameAs(other));
  const alone = r.fields.length === 1;
  if (alone && neighbour < 0 && !(noop && out.length > 1)) {
    // the rule keeps its comment, its keys' order and a `const` test where one type is left
    const types: string[] = condition.properties[dependent].enum;
    const test = types.length === 1 && 'const' in rule.if.properties[dependent] ? { const: types[0] } : { enum: types };
    const head = Object.fromEntries(Object.entries<Json>(rule).filter(([key]) => key !== 'then' && key !== 'else'));
    out[r.index] = { ...head, if: { ...rule.if, ...condition, properties: { ...condition.properties, [dependent]: test } }, [branch]: rule[r.branch] };
    return out;
  }
  if (neighbour >= 0) {
    const n = out[neighbour];
    const its = 'then' in n ? 'then' : 'else';
    out[neighbour] = { ...n, [its]: { ...n[its], properties: { ...n[its].properties, [field]: false } } };
  } else if (!noop) out.splice(r.index + 1, 0, { if: condition, [branch]: { properties: { [field]: false } } });
  if (alone) out.splice(r.index, 1);
  else {
    const { [field]: _gone, ...properties } = rule[r.branch].properties;
    out[r.index] = { ...rule, [r.branch]: { ...rule[r.branch], properties } };
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// What changed

export type Change =
  | { kind: 'option-added' | 'option-removed'; list: string; code: string; label: string }
  | { kind: 'label-changed'; list: string; code: string; from: string; to: string; ru: boolean }
  | { kind: 'wire-changed'; list: string; code: string; from: string; to: string }
  | { kind: 'list-added' | 'list-removed'; list: string }
  | { kind: 'allowed-added' | 'allowed-removed'; selector: string; value: string }
  | { kind: 'field-available' | 'field-unavailable'; selector: string; field: string }
  | { kind: 'type-field-available' | 'type-field-unavailable'; value: string; field: string }
  | { kind: 'field-added' | 'field-removed'; field: string }
  | { kind: 'rules-changed'; count: number }
  | { kind: 'ui-changed' }
  | { kind: 'samples-changed'; valid: number; invalid: number };

export interface Draft {
  schema: Json;
  uiSchema: Json;
  samples?: Json;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function describeChanges(before: Draft, after: Draft): Change[] {
  const changes: Change[] = [];
  const oldProps = Object.keys(before.schema?.properties ?? {});
  const newProps = Object.keys(after.schema?.properties ?? {});
  for (const field of newProps) if (!oldProps.includes(field)) changes.push({ kind: 'field-added', field });
  for (const field of oldProps) if (!newProps.includes(field)) changes.push({ kind: 'field-removed', field });

  const oldLists = new Map(optionLists(before.schema).map((l) => [l.name, l]));
  const newLists = new Map(optionLists(after.schema).map((l) => [l.name, l]));
  for (const [name, list] of newLists) {
    const old = oldLists.get(name);
    if (!old) {
      changes.push({ kind: 'list-added', list: name });
      continue;
    }
    const oldByCode = new Map(old.options.map((o) => [o.code, o]));
    const newCodes = new Set(list.options.map((o) => o.code));
    for (const o of list.options) {
      const was = oldByCode.get(o.code);
      if (!was) changes.push({ kind: 'option-added', list: name, code: o.code, label: o.title });
      else {
        if (was.title !== o.title) changes.push({ kind: 'label-changed', list: name, code: o.code, from: was.title, to: o.title, ru: false });
        if (was.titleRu !== o.titleRu) changes.push({ kind: 'label-changed', list: name, code: o.code, from: was.titleRu, to: o.titleRu, ru: true });
        if (!same(was.wire, o.wire)) changes.push({ kind: 'wire-changed', list: name, code: o.code, from: String(was.wire), to: String(o.wire) });
      }
    }
    for (const o of old.options) if (!newCodes.has(o.code)) changes.push({ kind: 'option-removed', list: name, code: o.code, label: o.title });
  }
  for (const name of oldLists.keys()) if (!newLists.has(name)) changes.push({ kind: 'list-removed', list: name });

  const m0 = matrixOf(before.schema);
  const m1 = matrixOf(after.schema);
  const dependentValues = (schema: Json, m: Matrix) => (schema?.properties?.[m.dependent]?.oneOf ?? []).map((o: Json) => String(o.const));
  // a rule whose option is gone is reported with the option (and kept aside, see the matrix)
  const codes = new Set(Object.keys(m1.ruleOf));
  const values0: string[] = dependentValues(before.schema, m0);
  const values1: string[] = dependentValues(after.schema, m1);
  for (const code of codes) {
    const was = new Set(values0.filter((v) => code in m0.ruleOf && isAllowed(m0, code, v)));
    const now = new Set(values1.filter((v) => code in m1.ruleOf && isAllowed(m1, code, v)));
    for (const v of now) if (!was.has(v)) changes.push({ kind: 'allowed-added', selector: code, value: v });
    for (const v of was) if (!now.has(v) && values1.includes(v)) changes.push({ kind: 'allowed-removed', selector: code, value: v });
    const off0 = new Set(m0.unavailable[code] ?? []);
    const off1 = new Set(m1.unavailable[code] ?? []);
    for (const f of off0) if (!off1.has(f)) changes.push({ kind: 'field-available', selector: code, field: f });
    for (const f of off1) if (!off0.has(f)) changes.push({ kind: 'field-unavailable', selector: code, field: f });
  }
  // which fields apply to which type, for the types and fields both versions have
  for (const field of newProps.filter((f) => oldProps.includes(f)))
    for (const value of values1.filter((v) => values0.includes(v))) {
      const now = isTypeAvailable(m1, value, field);
      if (now !== isTypeAvailable(m0, value, field)) changes.push({ kind: now ? 'type-field-available' : 'type-field-unavailable', value, field });
    }
  // the rules the grids do not show, and the conditions around per-type rules: those not found unchanged on the other side
  const rules0: Json[] = Array.isArray(before.schema?.allOf) ? before.schema.allOf : [];
  const rules1: Json[] = Array.isArray(after.schema?.allOf) ? after.schema.allOf : [];
  const aside = (rules: Json[], m: Matrix): Json[] => {
    const guarded = new Set(m.typeRules.filter((r) => r.guard).map((r) => Number(r.list.split('/')[2])));
    return [...m.others.map((i) => rules[i]), ...[...guarded].map((i) => ({ ...rules[i], then: { ...rules[i].then, allOf: [] } }))];
  };
  const others0 = aside(rules0, m0);
  const others1 = aside(rules1, m1);
  const known0 = [...rules0, ...others0];
  const known1 = [...rules1, ...others1];
  const unmatched = others1.filter((r) => !known0.some((o) => same(o, r))).length + others0.filter((r) => !known1.some((o) => same(o, r))).length;
  if (unmatched) changes.push({ kind: 'rules-changed', count: unmatched });
  if (!same(before.uiSchema, after.uiSchema)) changes.push({ kind: 'ui-changed' });
  if (after.samples !== undefined && !same(before.samples, after.samples)) {
    changes.push({ kind: 'samples-changed', valid: after.samples?.valid?.length ?? 0, invalid: after.samples?.invalid?.length ?? 0 });
  }
  return changes;
}

// ---------------------------------------------------------------------------------------------------------------
// Line diff of the JSON

export interface DiffLine {
  op: ' ' | '-' | '+';
  text: string;
  /** Line number in the old (for ' ' and '-') or new ('+') text, from 1. */
  line: number;
}

/** The changed lines with `context` lines around each change; a gap between hunks is an op ' ' line "…". */
export function lineDiff(a: string, b: string, context = 2): DiffLine[] {
  const x = a.split('\n');
  const y = b.split('\n');
  let start = 0;
  while (start < x.length && start < y.length && x[start] === y[start]) start++;
  let endX = x.length;
  let endY = y.length;
  while (endX > start && endY > start && x[endX - 1] === y[endY - 1]) {
    endX--;
    endY--;
  }
  const mx = x.slice(start, endX);
  const my = y.slice(start, endY);
  const ops: DiffLine[] = [];
  for (let i = 0; i < start; i++) ops.push({ op: ' ', text: x[i], line: i + 1 });
  if (mx.length * my.length > 4_000_000) {
    mx.forEach((text, i) => ops.push({ op: '-', text, line: start + i + 1 }));
    my.forEach((text, i) => ops.push({ op: '+', text, line: start + i + 1 }));
  } else {
    // longest common subsequence of the middle, rows from the end
    const w = my.length + 1;
    const lcs = new Uint32Array((mx.length + 1) * w);
    for (let i = mx.length - 1; i >= 0; i--)
      for (let j = my.length - 1; j >= 0; j--)
        lcs[i * w + j] = mx[i] === my[j] ? lcs[(i + 1) * w + j + 1] + 1 : Math.max(lcs[(i + 1) * w + j], lcs[i * w + j + 1]);
    let i = 0;
    let j = 0;
    while (i < mx.length || j < my.length) {
      if (i < mx.length && j < my.length && mx[i] === my[j]) {
        ops.push({ op: ' ', text: mx[i], line: start + i + 1 });
        i++;
        j++;
      } else if (i < mx.length && (j === my.length || lcs[(i + 1) * w + j] >= lcs[i * w + j + 1])) {
        ops.push({ op: '-', text: mx[i], line: start + i + 1 });
        i++;
      } else {
        ops.push({ op: '+', text: my[j], line: start + j + 1 });
        j++;
      }
    }
  }
  for (let i = endX; i < x.length; i++) ops.push({ op: ' ', text: x[i], line: i + 1 });
  const keep = ops.map(() => false);
  ops.forEach((o, k) => {
    if (o.op !== ' ') for (let d = Math.max(0, k - context); d <= Math.min(ops.length - 1, k + context); d++) keep[d] = true;
  });
  const out: DiffLine[] = [];
  ops.forEach((o, k) => {
    if (keep[k]) out.push(o);
    else if (out.length && out[out.length - 1].text !== '…' && keep.slice(k).some(Boolean)) out.push({ op: ' ', text: '…', line: 0 });
  });
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// JSON Pointer → line

/**
 * The line (from 1) where each value of a JSON text starts, by JSON Pointer (a member's line is its key's line).
 * Text that is not JSON gives the pointers read so far.
 */
export function pointerLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let pos = 0;
  let line = 1;
  const ws = () => {
    while (pos < text.length && /\s/.test(text[pos])) {
      if (text[pos] === '\n') line++;
      pos++;
    }
  };
  const str = (): string => {
    const from = pos;
    pos++;
    while (pos < text.length && text[pos] !== '"') pos += text[pos] === '\\' ? 2 : 1;
    pos++;
    return JSON.parse(text.slice(from, pos)) as string;
  };
  const value = (pointer: string, at: number): void => {
    ws();
    if (!lines.has(pointer)) lines.set(pointer, at || line);
    const c = text[pos];
    if (c === '{') {
      pos++;
      ws();
      if (text[pos] === '}') return void pos++;
      for (;;) {
        ws();
        const keyLine = line;
        const key = str();
        ws();
        pos++; // ':'
        value(`${pointer}/${escape(key)}`, keyLine);
        ws();
        if (text[pos++] !== ',') return;
      }
    } else if (c === '[') {
      pos++;
      ws();
      if (text[pos] === ']') return void pos++;
      for (let i = 0; ; i++) {
        ws();
        value(`${pointer}/${i}`, line);
        ws();
        if (text[pos++] !== ',') return;
      }
    } else if (c === '"') str();
    else while (pos < text.length && /[^,\]}\s]/.test(text[pos])) pos++;
  };
  try {
    value('', 1);
  } catch {
    /* not JSON: what was read */
  }
  return lines;
}

/** The line of a pointer, or of its nearest ancestor the text has. */
export function lineOf(lines: Map<string, number>, pointer: string): number | undefined {
  for (let p = pointer; ; p = p.slice(0, p.lastIndexOf('/'))) {
    const hit = lines.get(p);
    if (hit !== undefined) return hit;
    if (p === '') return undefined;
  }
}
