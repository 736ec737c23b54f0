// The ajv configuration for everything the service validates that is not a form definition: request bodies,
// settings, environment. Same class and options as the form validator so both behave alike.
import Ajv, { type Options } from 'ajv';
import addFormats from 'ajv-formats';

export const AJV_OPTIONS: Options = { allErrors: true, strict: true, strictRequired: false };

export function createApiAjv(): Ajv {
  const ajv = new Ajv(AJV_OPTIONS);
  addFormats(ajv);
  return ajv;
}
