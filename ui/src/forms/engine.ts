// Which JSON Schema engine the browser may use. ajv compiles schemas to JavaScript with `new Function`, which the
// service's Content-Security-Policy (script-src 'self', no 'unsafe-eval') forbids. Where code generation is
// allowed (the Vite dev server, a relaxed policy) the UI validates with the shared ajv configuration exactly as the
// server does; where it is not, it matches the form's rules with an interpreting validator (@cfworker/json-schema,
// no code generation) and leaves validation to the service, which answers with the same errors on the same fields.
import { Validator } from '@cfworker/json-schema';

export const codegenAllowed: boolean = (() => {
  try {
    return new Function('return true')() === true;
  } catch {
    return false;
  }
})();

const interpreters = new WeakMap<object, Validator>();

/** Whether `data` is valid against `schema` (with the root's definitions in scope), without code generation. */
export function interpretValid(schema: unknown, data: unknown, root?: { definitions?: unknown }): boolean {
  if (schema === true) return true;
  if (schema === false || schema === null || typeof schema !== 'object') return false;
  let validator = interpreters.get(schema);
  if (!validator) {
    const { $id: _id, ...rest } = schema as Record<string, unknown>;
    const withDefinitions = root?.definitions && !rest.definitions ? { ...rest, definitions: root.definitions } : rest;
    validator = new Validator(withDefinitions as never, '7', true);
    interpreters.set(schema, validator);
  }
  try {
    return validator.validate(data).valid;
  } catch {
    return false;
  }
}
