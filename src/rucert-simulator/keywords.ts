// The emulator's own JSON Schema keywords, for the NCIRCC rules of schemas/ncircc/<profile>/ that standard draft-07
// keywords cannot state. Registered on the emulator's ajv instance only, never on the product's.
//   x-not-future: true              a date-time string not after the emulator's clock ("dates in the future are refused")
//   x-max-serialized-length: n      the value's JSON text is at most n characters (a technical-details list as a whole)
//   x-digits: [10, 12]              an integer written with one of these numbers of decimal digits (ИНН)
//   x-mssp-only: ["company"]        on an object: these properties are required for an MSSP token, refused otherwise
//   x-error: "…"                    annotation: the text the emulator's error message uses for a failure of this schema
import type Ajv from 'ajv';
import type { SchemaValidateFunction } from 'ajv';

export interface KeywordContext {
  /** The emulator's clock, in ms since the epoch. */
  now(): number;
  /** Whether the token the emulator answers for belongs to an MSSP provider. */
  mssp: boolean;
}

export function addNcirccKeywords(ajv: Ajv, context: KeywordContext): void {
  const notFuture: SchemaValidateFunction = (enabled: boolean, data: string) => {
    const time = Date.parse(data);
    // An unparsable value is the `format` keyword's to report.
    if (!enabled || Number.isNaN(time) || time <= context.now()) return true;
    notFuture.errors = [{ keyword: 'x-not-future', params: { now: new Date(context.now()).toISOString() }, message: 'date in the future' }];
    return false;
  };
  ajv.addKeyword({ keyword: 'x-not-future', type: 'string', schemaType: 'boolean', errors: true, validate: notFuture });

  const maxSerialized: SchemaValidateFunction = (limit: number, data: unknown) => {
    const length = JSON.stringify(data).length;
    if (length <= limit) return true;
    maxSerialized.errors = [{ keyword: 'x-max-serialized-length', params: { limit, length }, message: `longer than ${limit} characters as JSON` }];
    return false;
  };
  ajv.addKeyword({ keyword: 'x-max-serialized-length', schemaType: 'number', errors: true, validate: maxSerialized });

  const digits: SchemaValidateFunction = (allowed: number[], data: number) => {
    if (Number.isSafeInteger(data) && data > 0 && allowed.includes(String(data).length)) return true;
    digits.errors = [{ keyword: 'x-digits', params: { allowed }, message: `must have ${allowed.join(' or ')} digits` }];
    return false;
  };
  ajv.addKeyword({ keyword: 'x-digits', type: 'number', schemaType: 'array', errors: true, validate: digits });

  const msspOnly: SchemaValidateFunction = (properties: string[], data: Record<string, unknown>) => {
    for (const property of properties) {
      const present = Object.prototype.hasOwnProperty.call(data, property);
      if (present === context.mssp) continue;
      msspOnly.errors = [{ keyword: 'x-mssp-only', params: { property, mssp: context.mssp }, message: context.mssp ? 'required for MSSP' : 'MSSP only' }];
      return false;
    }
    return true;
  };
  ajv.addKeyword({ keyword: 'x-mssp-only', type: 'object', schemaType: 'array', errors: true, validate: msspOnly });

  ajv.addKeyword({ keyword: 'x-error', schemaType: 'string' });
}
