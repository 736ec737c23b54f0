// Request bodies, settings and the environment are validated with the very ajv configuration of the form
// definitions (src/forms/form-ajv.ts): one class, one set of options and formats for everything the product checks.
import type Ajv from 'ajv';
import { createFormAjv } from '../forms/form-ajv';

export function createApiAjv(): Ajv {
  return createFormAjv();
}
