/**
 * Supplements of a form definition (docs/form-definitions.md, `x-supplement`): which fields NCIRCC lets a notification
 * change once it asks for more information, and the form that edits them. A definition declares a list of rules
 * `{when, fields}` at its root; the first rule whose `when` (a JSON Schema) the exported data matches gives the fields.
 * A definition that declares none (version 1, which must stay as published) takes
 * schemas/forms/rucert-export/legacy-supplement.json, for the fields it has. Pure and browser-safe; no field names.
 */
import legacySupplement from '../../schemas/forms/rucert-export/legacy-supplement.json';
import { isObject, type JsonObject } from './json';
import { createSchemaAjv } from './schema-ajv';

export interface SupplementRule {
  when: JsonObject;
  fields: string[];
}

const matcher = createSchemaAjv();
const compiled = new WeakMap<object, (data: unknown) => boolean>();

function matches(when: JsonObject, data: unknown): boolean {
  let validate = compiled.get(when);
  if (!validate) {
    // matched alone, out of its definition; the object type makes the rule strict-mode clean
    const fn = matcher.compile({ type: 'object', ...when });
    validate = (d: unknown) => fn(d) as boolean;
    compiled.set(when, validate);
  }
  return validate(data);
}

/** The rules a definition declares, or the legacy ones, keeping only fields the definition has. */
export function supplementRules(schema: object): SupplementRule[] {
  const properties = isObject((schema as JsonObject).properties) ? ((schema as JsonObject).properties as JsonObject) : {};
  const declared = (schema as JsonObject)['x-supplement'];
  const rules = (Array.isArray(declared) ? declared : legacySupplement['x-supplement']) as SupplementRule[];
  return rules.map((rule) => ({ when: rule.when, fields: rule.fields.filter((f) => Object.prototype.hasOwnProperty.call(properties, f)) }));
}

/** The fields a supplement of an export made with `data` may change: the first matching rule's; none when no rule matches. */
export function supplementFields(schema: object, data: unknown): string[] {
  const rule = supplementRules(schema).find((r) => matches(r.when, data));
  return rule ? rule.fields : [];
}

/** The supplement form: those fields of the definition, as they are there, none of them required. */
export function supplementSchema(schema: object, fields: string[]): JsonObject {
  const source = schema as JsonObject;
  const properties = source.properties as JsonObject;
  return {
    $schema: source.$schema,
    ...(typeof source.$id === 'string' ? { $id: `${source.$id}:supplement:${fields.join(',')}` } : {}),
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(fields.map((f) => [f, properties[f]])),
    ...(isObject(source.definitions) ? { definitions: source.definitions } : {}),
  };
}

/**
 * The fields a supplement changes: those it gives whose value differs from what NCIRCC has (JSON equality). A field
 * it leaves out is unchanged: NCIRCC's API has no way to clear one.
 */
export function changedFields(before: JsonObject, after: JsonObject, fields: string[]): string[] {
  return fields.filter((f) => after[f] !== undefined && JSON.stringify(before[f] ?? null) !== JSON.stringify(after[f]));
}
