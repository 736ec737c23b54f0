/** Fills omitted top-level fields before validation (ARCHITECTURE.md "Export rules"). Browser-safe. */

/**
 * A new object: each top-level property of the schema that `data` omits (undefined) takes `extraDefaults[name]`
 * when that is defined (e.g. the integration's business sector and location), else the schema's `default`.
 */
export function applyDefaults(schema: object, data: Record<string, unknown>, extraDefaults: Record<string, unknown> = {}): Record<string, unknown> {
  const result: Record<string, unknown> = { ...data };
  const properties = (schema as { properties?: Record<string, unknown> }).properties ?? {};
  for (const [name, property] of Object.entries(properties)) {
    if (result[name] !== undefined) continue;
    if (extraDefaults[name] !== undefined) {
      result[name] = structuredCloneJson(extraDefaults[name]);
    } else if (property !== null && typeof property === 'object' && 'default' in property) {
      result[name] = structuredCloneJson((property as { default: unknown }).default);
    }
  }
  return result;
}

// Object and array defaults are copied so that editing the result never edits the schema.
function structuredCloneJson(value: unknown): unknown {
  return value !== null && typeof value === 'object' ? JSON.parse(JSON.stringify(value)) : value;
}
