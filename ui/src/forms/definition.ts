// Turns a form definition (draft-07 schema + UI schema, as published) into what rjsf renders for the current data:
//   - the `if`/`then`/`else` rules (top level and inside `allOf`) evaluated against the data, so fields a rule sets to
//     `false` disappear, a rule's `required` marks fields required, and a rule's `enum` narrows the options offered;
//     a field some rule may forbid stays hidden until the data determines that it is allowed (effectsOf);
//   - the `ui:tabs` that have a visible field, and arrays of small objects laid out as lists of rows;
//   - labels, enum titles and help taken from `x-title-ru` / `x-description-ru` when the UI is in Russian.
// The display schema is for rendering only: validation always runs against the definition itself (validator.ts), and
// the definition is never modified or sent back.
import Ajv, { type ValidateFunction } from 'ajv';
import { addSchemaFormats, LINEAR_TIME_OPTIONS } from '../../../src/schema/schema-ajv';
import { sanitizeUiSchema } from '../../../src/schema/ui-options';
import type { Lang } from '../common/i18n';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;
export type FormData = Record<string, unknown>;

export interface Definition {
  schema: Json;
  uiSchema: Json;
  /** The UI schema is the app's own (the integration settings' password field), not a published one: taken as is. */
  trustedUi?: boolean;
}

export interface TabSpec {
  id: string;
  title: string;
  fields: string[];
}

export interface Resolved {
  schema: Json;
  uiSchema: Json;
  tabs: TabSpec[];
  /** Top-level properties the rules allow for this data (neither forbidden nor still pending). */
  visible: string[];
  /** Allowed option values per property, where a rule narrows them. */
  narrowedOptions: Record<string, unknown[]>;
}

// Rules are matched with a lenient ajv: an `if` taken out of its definition may lack the `type` that strict mode
// wants, but matching means the same thing. The definition itself is compiled strictly by the shared validator.
// Rules run on what the analyst types, so their patterns go through the same linear-time engine as the server's.
const matcher = new Ajv({ strict: false, allErrors: false, validateSchema: false, ...LINEAR_TIME_OPTIONS });
addSchemaFormats(matcher);
const compiled = new WeakMap<object, ValidateFunction>();

function matches(condition: Json, data: FormData, root: Json): boolean {
  if (condition === true) return true;
  if (condition === false || condition === null || typeof condition !== 'object') return false;
  let validate = compiled.get(condition);
  if (!validate) {
    try {
      const { $id: _id, ...rest } = condition;
      validate = matcher.compile(root?.definitions ? { ...rest, definitions: root.definitions } : rest);
    } catch {
      validate = (() => false) as unknown as ValidateFunction;
    }
    compiled.set(condition, validate);
  }
  return validate(data) as boolean;
}

export interface Effects {
  /** Forbidden by the data as it stands: a rule that holds sets the property to `false`. */
  hidden: Set<string>;
  /** Not allowed yet: a rule the data does not decide yet (it tests a required field still empty) may forbid it. */
  pending: Set<string>;
  required: Set<string>;
  narrowed: Record<string, Json>;
}

/** Empty as far as deciding a rule goes: a field the user has not filled in yet. */
function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/** The top-level data keys an `if` tests (the house rules list each one in its `required`). */
function keysOf(condition: Json): string[] {
  if (!condition || typeof condition !== 'object') return [];
  const keys = new Set<string>(Array.isArray(condition.required) ? condition.required.map(String) : []);
  for (const name of Object.keys(condition.properties ?? {})) keys.add(name);
  for (const part of [...(Array.isArray(condition.allOf) ? condition.allOf : []), ...(Array.isArray(condition.anyOf) ? condition.anyOf : [])])
    for (const key of keysOf(part)) keys.add(key);
  if (condition.not) for (const key of keysOf(condition.not)) keys.add(key);
  return [...keys];
}

// Keywords of an `if` that constrain each data key separately, so dropping one key's constraints leaves a condition
// that fails only when the whole one fails whatever that key becomes.
const CONJUNCTIVE = new Set(['properties', 'required', 'type', '$comment', 'title', 'description']);
const relaxedCache = new WeakMap<object, Map<string, Json>>();

/** The condition without what it says about `keys`, or undefined when it cannot be split that way. */
function relaxed(condition: Json, keys: string[]): Json | undefined {
  if (Object.keys(condition).some((k) => !CONJUNCTIVE.has(k))) return undefined;
  const cacheKey = keys.join('\u0000');
  let byKeys = relaxedCache.get(condition);
  if (!byKeys) relaxedCache.set(condition, (byKeys = new Map()));
  let result = byKeys.get(cacheKey);
  if (!result) {
    const properties = Object.fromEntries(Object.entries<Json>(condition.properties ?? {}).filter(([name]) => !keys.includes(name)));
    const required = (Array.isArray(condition.required) ? condition.required : []).filter((name: string) => !keys.includes(name));
    result = { ...condition, properties, required };
    byKeys.set(cacheKey, result);
  }
  return result;
}

type Outcome = 'then' | 'else' | 'either';

/**
 * Which branch of a rule the data takes. A rule that tests a field still to be filled (`unfilled`) is undecided
 * ('either'), unless what it says about the filled fields already fails, in which case it fails whatever comes.
 */
function decide(condition: Json, data: FormData, root: Json, unfilled: Set<string>): Outcome {
  const open = keysOf(condition).filter((key) => unfilled.has(key));
  if (open.length === 0) return matches(condition, data, root) ? 'then' : 'else';
  const rest = relaxed(condition, open);
  return rest && !matches(rest, data, root) ? 'else' : 'either';
}

/**
 * Applies a (sub)schema to the data. `holds`: it applies for sure (its required, its property constraints count);
 * otherwise it is only a possible outcome of an undecided rule, and all that counts is what it would forbid.
 */
function apply(node: Json, data: FormData, root: Json, unfilled: Set<string>, fx: Effects, holds: boolean, depth = 0): void {
  if (!node || typeof node !== 'object' || depth > 20) return;
  if (holds) for (const name of Array.isArray(node.required) ? node.required : []) fx.required.add(name);
  for (const [name, sub] of Object.entries<Json>(node.properties ?? {})) {
    if (node === root) continue; // the base properties are the starting point, not a constraint
    if (sub === false) (holds ? fx.hidden : fx.pending).add(name);
    else if (holds && sub && typeof sub === 'object') fx.narrowed[name] = { ...(fx.narrowed[name] ?? {}), ...sub };
  }
  if ('if' in node) {
    const outcome = decide(node.if, data, root, unfilled);
    if (outcome !== 'else' && node.then !== undefined) apply(node.then, data, root, unfilled, fx, holds && outcome === 'then', depth + 1);
    if (outcome !== 'then' && node.else !== undefined) apply(node.else, data, root, unfilled, fx, holds && outcome === 'else', depth + 1);
  }
  for (const part of Array.isArray(node.allOf) ? node.allOf : []) apply(part, data, root, unfilled, fx, holds, depth + 1);
}

function evaluate(schema: Json, data: FormData, unfilled: Set<string>): Effects {
  const fx: Effects = { hidden: new Set(), pending: new Set(), required: new Set(), narrowed: {} };
  apply(schema, data, schema, unfilled, fx, true);
  for (const name of fx.hidden) fx.pending.delete(name);
  return fx;
}

/**
 * What the rules do with this data. A field some rule may forbid is shown only once the data determines that it is
 * allowed: while a required field a rule tests is still empty (typically the category or the type), every field
 * that one of the rule's possible outcomes forbids is `pending`, so an empty form shows only what every category and
 * type allows. A field left empty that is not required (a check box, an optional text) decides its rules as it is.
 */
export function effectsOf(schema: Json, data: FormData): Effects {
  const plain = evaluate(schema, data, new Set());
  const mustFill = [...(Array.isArray(schema?.required) ? schema.required : []), ...plain.required];
  const unfilled = new Set<string>(mustFill.filter((name) => isEmpty(data[name])));
  return unfilled.size === 0 ? plain : evaluate(schema, data, unfilled);
}

function localized(node: Json, lang: Lang, key: 'title' | 'description'): string | undefined {
  if (!node || typeof node !== 'object') return undefined;
  return (lang === 'ru' ? node[`x-${key}-ru`] : undefined) ?? node[key];
}

/** The allowed values a narrowing schema names (`enum` or `const`), or undefined when it does not narrow. */
function allowedValues(narrow: Json): unknown[] | undefined {
  if (!narrow) return undefined;
  if (Array.isArray(narrow.enum)) return narrow.enum;
  if ('const' in narrow) return [narrow.const];
  return undefined;
}

const SCALAR_TYPES = new Set(['string', 'number', 'integer', 'boolean']);

/**
 * An array of small flat objects (`[{value}]`, `[{name, version}]`, `[{function, value}]`): edited as a list of rows,
 * one column per property, rather than as a stack of nested sub-forms.
 */
export function isListOfRows(schema: Json): boolean {
  const items = schema?.type === 'array' ? schema.items : undefined;
  if (!items || typeof items !== 'object' || Array.isArray(items) || items.type !== 'object') return false;
  const columns = Object.values<Json>(items.properties ?? {});
  return columns.length > 0 && columns.every((c) => c && typeof c === 'object' && SCALAR_TYPES.has(c.type));
}

/**
 * A display copy of a property schema: titles localized, description moved to help (so it shows once, in the UI
 * language), options narrowed. `ui` is the property's UI schema node, modified in place (it is a copy).
 */
function displayProperty(prop: Json, ui: Json, lang: Lang, narrow?: Json): Json {
  if (!prop || typeof prop !== 'object') return prop;
  const { description: _d, enum: _e, const: _c, ...narrowRest } = narrow ?? {};
  const out: Json = { ...prop, ...stripKeywordsForDisplay(narrowRest) };
  const title = localized(prop, lang, 'title');
  if (title !== undefined) out.title = title;
  const help = lang === 'ru' ? (prop['x-description-ru'] ?? ui['ui:help'] ?? prop.description) : (ui['ui:help'] ?? prop.description);
  if (help) ui['ui:help'] = help;
  delete out.description;
  const allowed = allowedValues(narrow);
  if (Array.isArray(prop.oneOf)) {
    out.oneOf = prop.oneOf
      .filter((o: Json) => !allowed || allowed.includes(o?.const))
      .map((o: Json) => (o && typeof o === 'object' ? { ...o, title: localized(o, lang, 'title') ?? o.title } : o));
  } else if (Array.isArray(prop.enum) && allowed) {
    out.enum = prop.enum.filter((v: unknown) => allowed.includes(v));
  }
  if (out.type === 'object' && out.properties) {
    const props: Json = {};
    for (const [name, sub] of Object.entries<Json>(out.properties)) {
      ui[name] = { ...(ui[name] ?? {}) };
      props[name] = displayProperty(sub, ui[name], lang);
    }
    out.properties = props;
  }
  if (out.type === 'array' && out.items && typeof out.items === 'object' && !Array.isArray(out.items)) {
    // rows of a list keep their order unless the UI schema asks for up/down buttons
    if (isListOfRows(out)) ui['ui:options'] = { orderable: false, ...(ui['ui:options'] ?? {}) };
    ui.items = { ...(ui.items ?? {}) };
    out.items = displayProperty(out.items, ui.items, lang);
    // the item title ("Product") heads each row; the array's own label already names the list
    delete ui.items['ui:help'];
  }
  return out;
}

// Rule-level keywords that make no sense on a rendered property
function stripKeywordsForDisplay(node: Json): Json {
  const { if: _i, then: _t, else: _e, allOf: _a, anyOf: _n, oneOf: _o, not: _x, ...rest } = node ?? {};
  return rest;
}

/** The tabs of `ui:tabs` that show something: at least one visible field, or (the first) the fields no tab names. */
export function visibleTabs(tabs: TabSpec[], visible: string[]): TabSpec[] {
  const named = new Set(tabs.flatMap((tab) => tab.fields));
  const homeless = visible.some((name) => !named.has(name));
  return tabs.filter((tab, i) => tab.fields.some((name) => visible.includes(name)) || (homeless && i === 0));
}

export function tabsOf(uiSchema: Json, lang: Lang): TabSpec[] {
  const raw = uiSchema?.['ui:tabs'];
  if (!Array.isArray(raw)) return [];
  return raw
    .filter((tab: Json) => tab && typeof tab === 'object' && Array.isArray(tab.fields))
    .map((tab: Json, i: number) => ({
      id: String(tab.id ?? `tab${i}`),
      title: String((lang === 'ru' ? tab['x-title-ru'] : undefined) ?? tab.title ?? tab.id ?? i + 1),
      fields: tab.fields.map(String),
    }));
}

export function resolve(definition: Definition, data: FormData, lang: Lang): Resolved {
  const { schema, uiSchema } = definition;
  const fx = effectsOf(schema, data);
  const base: Record<string, Json> = schema?.properties ?? {};
  const visible = Object.keys(base).filter((name) => !fx.hidden.has(name) && !fx.pending.has(name) && base[name] !== false);
  // only the UI options the form documents: a version published before the gate checked them may hold others
  // (markdown in help texts, hidden fields), which rjsf would honour
  const ui: Json = definition.trustedUi ? { ...(uiSchema ?? {}) } : sanitizeUiSchema(uiSchema);
  delete ui['ui:tabs'];
  const properties: Json = {};
  const narrowedOptions: Record<string, unknown[]> = {};
  for (const name of visible) {
    ui[name] = { ...(ui[name] ?? {}) };
    properties[name] = displayProperty(base[name], ui[name], lang, fx.narrowed[name]);
    const allowed = allowedValues(fx.narrowed[name]);
    if (allowed) narrowedOptions[name] = allowed;
  }
  // rjsf refuses a ui:order that names a property the schema no longer has
  const order: unknown[] | undefined = Array.isArray(uiSchema?.['ui:order']) ? uiSchema['ui:order'] : undefined;
  if (order) {
    const kept = order.filter((n) => n === '*' || visible.includes(String(n)));
    ui['ui:order'] = kept.includes('*') ? kept : [...kept, '*'];
  }
  const required = [...new Set([...(Array.isArray(schema?.required) ? schema.required : []), ...fx.required])].filter((n) => visible.includes(n));
  const display: Json = {
    type: 'object',
    title: localized(schema, lang, 'title'),
    properties,
    required,
    additionalProperties: false,
  };
  if (schema?.definitions) display.definitions = schema.definitions;
  ui['ui:title'] = '';
  const rendered = hasPatternProperties(schema) ? withoutPatternProperties(display, 0) : display;
  return { schema: rendered, uiSchema: ui, tabs: visibleTabs(tabsOf(uiSchema, lang), visible), visible, narrowedOptions };
}

// rjsf matches `patternProperties` keys against property names with the backtracking RegExp (@rjsf/utils
// getMatchingPatternProperties, omitExtraData). Rendering does not need them and validation runs the definition
// itself on the linear-time engine, so the display schema leaves them out.
const withPatternProperties = new WeakMap<object, boolean>();

function hasPatternProperties(schema: Json): boolean {
  if (!schema || typeof schema !== 'object') return false;
  let known = withPatternProperties.get(schema);
  if (known === undefined) {
    known = JSON.stringify(schema).includes('"patternProperties"');
    withPatternProperties.set(schema, known);
  }
  return known;
}

function withoutPatternProperties(node: Json, depth: number): Json {
  if (!node || typeof node !== 'object' || depth > 100) return node;
  if (Array.isArray(node)) return node.map((item) => withoutPatternProperties(item, depth + 1));
  const out: Json = {};
  for (const [key, value] of Object.entries<Json>(node)) if (key !== 'patternProperties') out[key] = withoutPatternProperties(value, depth + 1);
  return out;
}

/**
 * Drops what the rules forbid now (and a choice the narrowed options no longer offer), repeating until stable since
 * a dropped value can switch another rule. What rjsf holds is then what would be sent. A field only pending keeps its
 * value (a default, or what was typed before the category was cleared): nothing can be sent while a rule is
 * undecided, since that waits for a required field.
 */
export function prune(definition: Definition, data: FormData | undefined): FormData {
  let current: FormData = { ...(data ?? {}) };
  for (let round = 0; round < 5; round++) {
    const fx = effectsOf(definition.schema, current);
    const base: Record<string, Json> = definition.schema?.properties ?? {};
    const next: FormData = {};
    for (const [name, value] of Object.entries(current)) {
      if (value === undefined) continue;
      if (!(name in base) || base[name] === false || fx.hidden.has(name)) continue;
      const allowed = allowedValues(fx.narrowed[name]);
      if (allowed && !allowed.includes(value)) continue;
      next[name] = value;
    }
    if (Object.keys(next).length === Object.keys(current).length) return next;
    current = next;
  }
  return current;
}

/** Where each wire field comes from, for a readable preview: `x-rucert.field` → the property's label. */
export function wireLabels(schema: Json, lang: Lang): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [, prop] of Object.entries<Json>(schema?.properties ?? {})) {
    const field = prop?.['x-rucert']?.field;
    if (typeof field === 'string') labels[field] = localized(prop, lang, 'title') ?? field;
  }
  return labels;
}

/** A JSON Pointer's segments, unescaped. */
export function pointerSegments(path: string): string[] {
  if (!path || path === '/') return path === '/' ? [''] : [];
  return path
    .replace(/^\//, '')
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}
