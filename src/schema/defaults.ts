/**
 * Defaults of a form definition (docs/api.md "Export rules"): what an omitted top-level field is filled with.
 * A field takes, in this order, the value its `x-default` annotation resolves to from the sources (integration
 * settings, the incident), else its JSON Schema `default`. A definition that declares no `x-default` at
 * all (version 1, which must stay byte-for-byte as published) takes the declarations of
 * schemas/forms/rucert-export/legacy-defaults.json instead. No field name lives here; docs/form-definitions.md
 * describes the annotation. Pure and browser-safe: the export service and the UI call the same functions.
 *
 *   resolveDefaults(schema, sources)   → {field: value} from the x-default declarations (defined values only)
 *   applyDefaults(schema, data, resolved) → data with its omitted fields filled where the rules allow them
 *   allDefaults(schema, resolved)      → every default, rules ignored (what a form is offered)
 *   fillRevealed(schema, before, after, defaults) → `after` plus the defaults of fields a change has just revealed
 *   settingDefaults(schema)            → [{setting, field}]: which settings are defaults of which fields
 */
import legacyDefaults from '../../schemas/forms/rucert-export/legacy-defaults.json';
import { pointer } from './json-pointer';
import { isObject, type JsonObject } from './json';
import type { ErrorObject } from 'ajv';
import { getValidator } from './validator';

/** Where a default may come from; plain objects (e.g. the integration settings as GET shows them). */
export interface DefaultSources {
  settings?: JsonObject | null;
  incident?: JsonObject | null;
}

/** One declared source: exactly one of setting/incident, a dotted path into it. */
export interface DefaultSpec {
  setting?: string;
  incident?: string;
  /** Scalar source: its value → the field's value (e.g. incident status "open" → a status code). */
  map?: Record<string, unknown>;
  /** List source (an array of objects): keep the rows whose members equal these values... */
  where?: Record<string, unknown>;
  /** ...and copy these members of each (a list field's rows)... */
  pick?: string[];
  /** ...taking these values for members a row lacks. */
  fill?: Record<string, unknown>;
}

/** Which object of DefaultSources each kind of spec reads. */
export const SOURCE_OF = { setting: 'settings', incident: 'incident' } as const;
export type SourceKind = keyof typeof SOURCE_OF;

export function specKind(spec: DefaultSpec): SourceKind | undefined {
  return (Object.keys(SOURCE_OF) as SourceKind[]).find((kind) => typeof spec[kind] === 'string');
}

/** The value at a dotted path ("operator.inn") of a plain object, own properties only, or undefined. */
export function valueAtPath(root: unknown, path: string): unknown {
  let node = root;
  for (const segment of path.split('.')) {
    if (!isObject(node) || !Object.prototype.hasOwnProperty.call(node, segment)) return undefined;
    node = node[segment];
  }
  return node;
}

/** A value worth filling a field with: null and "" mean "not set" in settings and incidents alike. */
const present = (value: unknown) => value !== undefined && value !== null && value !== '';

function propertiesOf(schema: unknown): JsonObject {
  return isObject(schema) && isObject(schema.properties) ? schema.properties : {};
}

function specsOf(annotation: unknown): DefaultSpec[] {
  const list = Array.isArray(annotation) ? annotation : annotation === undefined ? [] : [annotation];
  return list.filter(isObject) as DefaultSpec[];
}

/** The x-default declarations of a definition's top-level properties, or the legacy file's when it declares none. */
export function declaredDefaults(schema: object): Array<{ field: string; specs: DefaultSpec[] }> {
  const properties = propertiesOf(schema);
  const own = Object.entries(properties)
    .filter(([, property]) => isObject(property) && property['x-default'] !== undefined)
    .map(([field, property]) => ({ field, specs: specsOf((property as JsonObject)['x-default']) }));
  if (own.length > 0) return own;
  return Object.entries(propertiesOf(legacyDefaults))
    .filter(([field]) => Object.prototype.hasOwnProperty.call(properties, field))
    .map(([field, legacy]) => ({ field, specs: specsOf((legacy as JsonObject)['x-default']) }));
}

function resolveSpec(spec: DefaultSpec, sources: DefaultSources): unknown {
  const kind = specKind(spec);
  if (!kind) return undefined;
  const value = valueAtPath(sources[SOURCE_OF[kind]], spec[kind]!);
  if (spec.pick) {
    if (!Array.isArray(value)) return undefined;
    const where = Object.entries(spec.where ?? {});
    const rows = value
      .filter((row): row is JsonObject => isObject(row) && where.every(([key, want]) => row[key] === want))
      .map((row) => {
        const out: JsonObject = {};
        for (const key of spec.pick!) {
          const member = present(row[key]) ? row[key] : spec.fill?.[key];
          if (present(member)) out[key] = member;
        }
        return out;
      })
      .filter((row) => Object.keys(row).length > 0);
    return rows.length > 0 ? rows : undefined;
  }
  if (spec.map) {
    const key = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
    return key !== undefined && Object.prototype.hasOwnProperty.call(spec.map, key) ? spec.map[key] : undefined;
  }
  return present(value) ? value : undefined;
}

/** The declared defaults resolved from `sources`: {field: value}, only for fields whose sources give a value. */
export function resolveDefaults(schema: object, sources: DefaultSources): Record<string, unknown> {
  const resolved: Record<string, unknown> = {};
  for (const { field, specs } of declaredDefaults(schema)) {
    for (const spec of specs) {
      const value = resolveSpec(spec, sources);
      if (value !== undefined) {
        resolved[field] = copyJson(value);
        break;
      }
    }
  }
  return resolved;
}

/** Every default of the definition, rules ignored: `resolved` first, then each property's `default`. */
export function allDefaults(schema: object, resolved: Record<string, unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(propertiesOf(schema))) {
    if (resolved[name] !== undefined) out[name] = copyJson(resolved[name]);
    else if (isObject(property) && 'default' in property) out[name] = copyJson(property.default);
  }
  return out;
}

/**
 * A new object: `data` with the fields `names` taken from `values`, made in one step. The form's validator read
 * such an object about twice as fast as a copy of `data` given the same fields one assignment after another
 * (25–34 µs against 54–63 µs for a typical filled submission under version 2, bench/README.md), and every preview
 * and export validates the data so filled.
 */
function filledWith(data: Record<string, unknown>, names: Iterable<string>, values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries([...Object.entries(data), ...[...names].map((name) => [name, values[name]])]);
}

/**
 * Which of `candidates` fill `data`: those it omits (undefined), minus those the definition's rules make
 * unavailable for the data so filled (a `false` schema at the field: the validator says so, with the one ajv
 * configuration). Repeated until stable, since dropping one default can switch a rule for another. `errors` is the
 * validator's verdict on the data filled with `names` when the last round validated exactly that ([] when it
 * accepted it), and undefined when no round did.
 */
function fillable(schema: object, data: Record<string, unknown>, candidates: Record<string, unknown>): { names: Set<string>; errors?: ErrorObject[] } {
  const names = new Set(Object.keys(candidates).filter((name) => data[name] === undefined && candidates[name] !== undefined));
  let validate: ReturnType<typeof getValidator>;
  try {
    validate = getValidator(schema);
  } catch {
    return { names }; // a definition that does not compile fails validation right after; defaults need not say so twice
  }
  for (let round = 0; round <= Object.keys(candidates).length && names.size > 0; round++) {
    if (validate(filledWith(data, names, candidates))) return { names, errors: [] };
    const errors = [...(validate.errors ?? [])];
    const unavailable = [...names].filter((name) => errors.some((e) => e.keyword === 'false schema' && e.instancePath === pointer('', name)));
    if (unavailable.length === 0) return { names, errors };
    for (const name of unavailable) names.delete(name);
  }
  return { names };
}

/**
 * A new object: `data` with each omitted top-level field filled from `resolved` (resolveDefaults), else from the
 * schema's `default`, except where the rules do not let the field be sent (a technical-details list while the
 * resource is offline, a leak block for a type without one): filling it would only turn a default into an error.
 */
export function applyDefaults(schema: object, data: Record<string, unknown>, resolved: Record<string, unknown> = {}): Record<string, unknown> {
  return withDefaults(schema, data, resolved).data;
}

/**
 * applyDefaults, with the validator's errors for the data it returns when choosing what to fill already validated
 * exactly that data (`[]`: valid). Undefined `errors` means "not known", and the caller validates: either way the
 * data is validated once (a 500,000-character field is counted once, and an invalid submission is not checked twice).
 */
export function withDefaults(
  schema: object,
  data: Record<string, unknown>,
  resolved: Record<string, unknown> = {},
): { data: Record<string, unknown>; errors?: ErrorObject[] } {
  const candidates = allDefaults(schema, resolved);
  const { names, errors } = fillable(schema, data, candidates);
  return { data: filledWith(data, names, candidates), errors };
}

/**
 * `after` (the data once a person changed something) plus the defaults of the fields that change revealed: omitted
 * and unavailable before, omitted and available now. A field the person cleared stays cleared.
 */
export function fillRevealed(
  schema: object,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  defaults: Record<string, unknown>,
): Record<string, unknown> {
  const wasFillable = fillable(schema, before, defaults).names;
  const result: Record<string, unknown> = { ...after };
  for (const name of fillable(schema, after, defaults).names) {
    if (before[name] === undefined && !wasFillable.has(name)) result[name] = copyJson(defaults[name]);
  }
  return result;
}

/** Which settings are declared defaults of which fields (a setting used as it is, not mapped or picked from). */
export function settingDefaults(schema: object): Array<{ setting: string; field: string }> {
  return declaredDefaults(schema).flatMap(({ field, specs }) =>
    specs.filter((s) => typeof s.setting === 'string' && !s.map && !s.pick).map((s) => ({ setting: s.setting!, field })),
  );
}

// Object and array defaults are copied so that editing the result never edits the schema or the sources.
function copyJson(value: unknown): unknown {
  return value !== null && typeof value === 'object' ? JSON.parse(JSON.stringify(value)) : value;
}
