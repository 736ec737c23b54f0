/** Plain JSON values as they come out of JSON.parse: the one place that says what "an object" means. Browser-safe. */
export type JsonObject = Record<string, unknown>;

/** A JSON object: not null, not an array. */
export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A copy without the members that are undefined, null or the empty string: optional fields of an answer, read as absent. */
export function withoutEmpty<T extends JsonObject>(record: T): Partial<T> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined && v !== null && v !== '')) as Partial<T>;
}
