// Turns a form definition (draft-07 schema + UI schema, as published) into what rjsf renders for the current data:
//   - the `if`/`then`/`else` rules (top level and inside `allOf`) evaluated against the data, so fields a rule sets to
//     `false` disappear, a rule's `required` marks fields required, and a rule's `enum` narrows the options offered;
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
  /** Top-level properties no rule hides now. */
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

interface Effects {
  hidden: Set<string>;
  required: Set<string>;
  narrowed: Record<string, Json>;
}

/** Applies a (sub)schema that holds for the data: its required, its property constraints, its own rules. */
function apply(node: Json, data: FormData, root: Json, fx: Effects, depth = 0): void {
  if (!node || typeof node !== 'object' || depth > 20) return;
  for (const name of Array.isArray(node.required) ? node.required : []) fx.required.add(name);
  for (const [name, sub] of Object.entries<Json>(node.properties ?? {})) {
    if (node === root) continue; // the base properties are the starting point, not a constraint
    if (sub === false) fx.hidden.add(name);
    else if (sub && typeof sub === 'object') fx.narrowed[name] = { ...(fx.narrowed[name] ?? {}), ...sub };
  }
  if ('if' in node) {
    const branch = matches(node.if, data, root) ? node.then : node.else;
    if (branch !== undefined) apply(branch, data, root, fx, depth + 1);
  }
  for (const part of Array.isArray(node.allOf) ? node.allOf : []) apply(part, data, root, fx, depth + 1);
}

export function effectsOf(schema: Json, data: FormData): Effects {
  const fx: Effects = { hidden: new Set(), required: new Set(), narrowed: {} };
  apply(schema, data, schema, fx);
  return fx;
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
  const visible = Object.keys(base).filter((name) => !fx.hidden.has(name) && base[name] !== false);
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
  return { schema: rendered, uiSchema: ui, tabs: tabsOf(uiSchema, lang), visible, narrowedOptions };
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
 * Drops what the rules hide now (and a choice the narrowed options no longer offer), repeating until stable since
 * a dropped value can switch another rule. What rjsf holds is then exactly what would be sent.
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
