/**
 * Turns valid form data into the NCIRCC wire object, driven only by the definition's `x-rucert` annotations:
 * a property with `x-rucert.field` is sent under that name, an enumeration option's `x-rucert` is the wire value.
 * No category, type or wire string lives in code, so a newly published type or field exports with no code change.
 * Browser-safe (the UI shows the same payload in its confirmation step).
 */
import { resolvePointer } from './json-pointer';
import { isObject } from './json';

type Schema = Record<string, unknown>;

export function toWirePayload(schema: object, data: Record<string, unknown>): Record<string, unknown> {
  return mapObject(schema as Schema, schema as Schema, data);
}

/** The wire name of a property (its `x-rucert.field`), or undefined when it is not sent. */
export function wireFieldOf(propertySchema: unknown): string | undefined {
  if (!isObject(propertySchema)) return undefined;
  const annotation = propertySchema['x-rucert'];
  return isObject(annotation) && typeof annotation.field === 'string' ? annotation.field : undefined;
}

/** The top-level form property sent as `wireField`, or undefined when the form has none. */
export function formFieldOf(schema: object, wireField: string): string | undefined {
  const root = schema as Schema;
  const properties = isObject(root.properties) ? root.properties : {};
  return Object.keys(properties).find((name) => wireFieldOf(deref(root, properties[name])) === wireField);
}

/** The wire value of one enumeration code: its option's `x-rucert`, or the code itself when not an enumeration. */
export function wireValueOf(propertySchema: unknown, value: unknown): unknown {
  const options = isObject(propertySchema) ? propertySchema.oneOf : undefined;
  if (!Array.isArray(options)) return value;
  const option = options.find((o) => isObject(o) && 'const' in o && o.const === value);
  return isObject(option) && option['x-rucert'] !== undefined ? option['x-rucert'] : value;
}

function mapObject(root: Schema, objectSchema: Schema, data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const properties = isObject(objectSchema.properties) ? objectSchema.properties : {};
  // Schema order, not submission order: the preview reads like the form.
  for (const [name, declared] of Object.entries(properties)) {
    const value = Object.prototype.hasOwnProperty.call(data, name) ? data[name] : undefined;
    const property = deref(root, declared);
    const field = wireFieldOf(property);
    if (field === undefined || isEmpty(value)) continue;
    const mapped = mapValue(root, property as Schema, value);
    if (!isEmpty(mapped)) out[field] = mapped;
  }
  return out;
}

function mapValue(root: Schema, property: Schema, value: unknown): unknown {
  if (Array.isArray(property.oneOf)) return wireValueOf(property, value);
  if (Array.isArray(value)) {
    const itemSchema = deref(root, property.items);
    return value.filter((item) => !isEmpty(item)).map((item) => (isObject(itemSchema) ? mapValue(root, itemSchema, item) : item));
  }
  if (isObject(value)) return mapObject(root, property, value);
  if (property.format === 'date-time' && typeof value === 'string') {
    const time = new Date(value);
    // Valid data never gets here with a bad time; sending it unchanged beats throwing on the way out.
    return Number.isNaN(time.getTime()) ? value : time.toISOString();
  }
  return value;
}

// Definitions may share pieces through local `$ref`s; the sibling keywords of the reference (its `x-rucert`) win.
function deref(root: Schema, schema: unknown): Schema | undefined {
  let current = schema;
  for (let hops = 0; isObject(current) && typeof current.$ref === 'string' && hops < 32; hops++) {
    const { $ref, ...siblings } = current;
    const target = ($ref as string).startsWith('#') ? resolvePointer(root, $ref as string) : undefined;
    current = isObject(target) ? { ...target, ...siblings } : siblings;
  }
  return isObject(current) ? current : undefined;
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}
