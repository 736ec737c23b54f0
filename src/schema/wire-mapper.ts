/**
 * Turns valid form data into the NCIRCC wire object, driven only by the definition's `x-rucert` annotations:
 * a property with `x-rucert.field` is sent under that name (as `x-rucert.type` when the wire wants another JSON type
 * than the form holds), an enumeration option's `x-rucert` is the wire value. Lists of objects are mapped row by row
 * with their members' own annotations; rows with nothing to send are dropped, and a list left empty is not sent.
 * No category, type or wire string lives in code, so a newly published type or field exports with no code change.
 * Browser-safe (the UI shows the same payload in its confirmation step).
 */
import { resolvePointer } from './json-pointer';
import { isObject } from './json';

type Schema = Record<string, unknown>;

/** JSON types a wire field can be written as (`x-rucert.type`). */
export type WireType = 'string' | 'number' | 'integer' | 'boolean';

export function toWirePayload(schema: object, data: Record<string, unknown>): Record<string, unknown> {
  return mapObject(schema as Schema, schema as Schema, data);
}

/**
 * The wire form of one value of `propertySchema` (a property of the definition `root`), or undefined when nothing
 * would be sent. The `x-max-serialized-length` keyword measures this, so the bound is on what NCIRCC receives.
 */
export function toWireValue(root: object, propertySchema: object, value: unknown): unknown {
  const property = deref(root as Schema, propertySchema);
  if (!property || isEmpty(value)) return undefined;
  const mapped = mapValue(root as Schema, property, value);
  return isEmpty(mapped) ? undefined : mapped;
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

/** The declared wire type of a property (`x-rucert.type`), or undefined when it is sent as the form holds it. */
export function wireTypeOf(propertySchema: unknown): WireType | undefined {
  if (!isObject(propertySchema)) return undefined;
  const annotation = propertySchema['x-rucert'];
  const type = isObject(annotation) ? annotation.type : undefined;
  return type === 'string' || type === 'number' || type === 'integer' || type === 'boolean' ? type : undefined;
}

/** The wire value of one enumeration code: its option's `x-rucert`, or the code itself when not an enumeration. */
export function wireValueOf(propertySchema: unknown, value: unknown): unknown {
  const options = isObject(propertySchema) ? propertySchema.oneOf : undefined;
  if (!Array.isArray(options)) return value;
  const option = options.find((o) => isObject(o) && 'const' in o && o.const === value);
  return isObject(option) && option['x-rucert'] !== undefined ? option['x-rucert'] : value;
}

const DECIMAL = /^-?\d{1,300}(?:\.\d{1,300})?$/;
const INTEGER = /^-?\d{1,300}$/;

/**
 * `value` written as the JSON type `type`, or undefined when it cannot be without losing or inventing something.
 * A numeric string becomes a number only when it is plain decimal notation and, for integers, exactly representable
 * (a 12-digit taxpayer number is; a 17-digit one would be rounded and is refused). Leading zeros are dropped, as
 * the number type of the wire implies.
 */
export function convertWireType(value: unknown, type: WireType): unknown {
  switch (type) {
    case 'string':
      return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
    case 'boolean':
      return typeof value === 'boolean' ? value : undefined;
    case 'number':
      if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
      if (typeof value === 'string' && DECIMAL.test(value)) {
        const n = Number(value);
        return Number.isFinite(n) ? n : undefined;
      }
      return undefined;
    case 'integer':
      if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
      if (typeof value === 'string' && INTEGER.test(value)) {
        const n = Number(value);
        return Number.isSafeInteger(n) ? n : undefined;
      }
      return undefined;
  }
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
  let mapped: unknown;
  if (Array.isArray(property.oneOf)) mapped = wireValueOf(property, value);
  else if (Array.isArray(value)) {
    const itemSchema = deref(root, property.items);
    mapped = value
      .filter((item) => !isEmpty(item))
      .map((item) => (isObject(itemSchema) ? mapValue(root, itemSchema, item) : item))
      .filter((item) => !isEmpty(item)); // a row whose members are all empty is no row
  } else if (isObject(value)) mapped = mapObject(root, property, value);
  else if (property.format === 'date-time' && typeof value === 'string') {
    const time = new Date(value);
    // Valid data never gets here with a bad time; sending it unchanged beats throwing on the way out.
    mapped = Number.isNaN(time.getTime()) ? value : time.toISOString();
  } else mapped = value;
  const type = wireTypeOf(property);
  if (type === undefined || isEmpty(mapped)) return mapped;
  // Valid data always converts (the x-rucert keyword checks it); anything else is sent as it is rather than lost.
  const converted = convertWireType(mapped, type);
  return converted === undefined ? mapped : converted;
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
  return (
    value === undefined ||
    value === null ||
    value === '' ||
    (Array.isArray(value) && value.length === 0) ||
    (isObject(value) && Object.keys(value).length === 0)
  );
}
