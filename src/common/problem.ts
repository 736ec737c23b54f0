// Owns the error vocabulary of the API: the codes of docs/api.md, their HTTP statuses and titles, and the
// one error type that domain code throws. The global ProblemFilter turns it into RFC 9457 problem details.
import type { ErrorObject } from 'ajv';
import type { FieldError } from '../schema/validator';

export const PROBLEM_STATUS = {
  unauthorized: 401,
  forbidden: 403,
  license_required: 403,
  not_found: 404,
  invalid_json: 400,
  validation_failed: 400,
  payload_too_large: 413,
  already_exported: 409,
  export_in_progress: 409,
  form_version_stale: 409,
  integration_not_configured: 409,
  conflict: 409,
  card_not_found: 404,
  supplement_not_requested: 409,
  file_too_large: 413,
  schema_rejected: 400,
  rucert_rejected: 502,
  rucert_unavailable: 502,
  too_many_requests: 429,
  internal_error: 500,
} as const;

export type ProblemCode = keyof typeof PROBLEM_STATUS;

/** A field error whose message is looked up in the request's language by the filter. */
export interface LocalizedFieldError {
  path: string;
  keyword: string;
  messageKey: string;
  params?: Record<string, string | number>;
}

export interface ProblemOptions {
  fieldErrors?: LocalizedFieldError[];
  /** Field errors already mapped to JSON Pointers (the form validator's output, the publish gate's problems). */
  errors?: FieldError[];
  /** Raw ajv errors and the schema they came from, localised and mapped by the filter in the request's language. */
  ajv?: { schema: object; errors: ErrorObject[] };
  /** Extra members of the problem document (e.g. the RuCERT identifier of an earlier export). */
  extensions?: Record<string, unknown>;
  headers?: Record<string, string>;
}

export class ProblemError extends Error {
  constructor(
    readonly code: ProblemCode,
    readonly messageKey: string,
    readonly params: Record<string, string | number> = {},
    readonly options: ProblemOptions = {},
  ) {
    super(`${code}: ${messageKey}`);
  }

  get status(): number {
    return PROBLEM_STATUS[this.code];
  }
}
