/** Plain JSON values as they come out of JSON.parse: the one place that says what "an object" means. Browser-safe. */
export type JsonObject = Record<string, unknown>;

/** A JSON object: not null, not an array. */
export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
