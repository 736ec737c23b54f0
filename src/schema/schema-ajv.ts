/**
 * The one ajv configuration for form definitions. The server validates submissions with it, the publish gate
 * compiles definitions with it, and the UI imports it, so a definition means the same thing everywhere.
 * Browser-safe: no Node APIs.
 */
import Ajv from 'ajv';
import addFormats, { type FormatName } from 'ajv-formats';
import { safeRegExp } from './safe-regexp';

/** Annotation keywords our definitions carry; strict mode rejects any keyword it does not know. */
export const SCHEMA_ANNOTATION_KEYWORDS = ['x-rucert', 'x-title-ru', 'x-description-ru'] as const;

/** `x-rucert` is `{field}` on a property sent to RuCERT and the wire value itself on an enumeration option. */
const X_RUCERT_META_SCHEMA = {
  anyOf: [
    { type: ['string', 'number', 'boolean'] },
    {
      type: 'object',
      required: ['field'],
      properties: { field: { type: 'string', minLength: 1, maxLength: 255 } },
      additionalProperties: false,
    },
  ],
};

/**
 * The formats of ajv-formats that definitions may use. Each is a fixed, known pattern or function; measured on
 * 50,000-character adversarial inputs they take a few milliseconds, linear in the input, except `url`, whose
 * regular expression backtracks (5 s on 50,000 characters): it is left out, so a definition using it fails
 * compilation at the publish gate.
 */
export const SCHEMA_FORMATS: FormatName[] = [
  'date',
  'time',
  'date-time',
  'iso-time',
  'iso-date-time',
  'duration',
  'uri',
  'uri-reference',
  'uri-template',
  'email',
  'hostname',
  'ipv4',
  'ipv6',
  'regex',
  'uuid',
  'json-pointer',
  'json-pointer-uri-fragment',
  'relative-json-pointer',
  'byte',
  'int32',
  'int64',
  'float',
  'double',
  'password',
  'binary',
];

/**
 * Options every ajv that evaluates a form definition must take, the lenient ones of the UI included: patterns run
 * on RE2 (safe-regexp.ts), never on the backtracking RegExp, whatever location of the definition they sit in.
 * `allowMatchingProperties` skips a strict-mode check that would run each `patternProperties` key as a RegExp
 * against the property names at compile time.
 */
export const LINEAR_TIME_OPTIONS = {
  code: { regExp: safeRegExp },
  // patterns get the "u" flag so \p{…} and astral characters behave (RE2 always works on code points)
  unicodeRegExp: true,
  allowMatchingProperties: true,
} as const;

export function addSchemaFormats(ajv: Ajv): Ajv {
  return addFormats(ajv, SCHEMA_FORMATS);
}

export function createSchemaAjv(): Ajv {
  const ajv = new Ajv({
    allErrors: true, // every problem of a submission at once, as the API and the form show them
    strict: true, // unknown keywords and type slips in a definition are compile errors, caught by the publish gate
    // strictRequired stays on (strict: true): our `if`s declare the key in `properties` beside `required`, and a
    // `then` may require a property declared at the top level, which ajv accepts.
    $data: false, // `$data` lets form data steer validation; definitions must be static
    useDefaults: false, // defaults are applied explicitly by applyDefaults before validation
    // maxLength counts code points by default in ajv 8 (a 500,000-character Cyrillic name is 500,000, not bytes)
    ...LINEAR_TIME_OPTIONS,
  });
  addSchemaFormats(ajv);
  ajv.addKeyword({ keyword: 'x-rucert', metaSchema: X_RUCERT_META_SCHEMA });
  ajv.addKeyword({ keyword: 'x-title-ru', metaSchema: { type: 'string' } });
  ajv.addKeyword({ keyword: 'x-description-ru', metaSchema: { type: 'string' } });
  return ajv;
}
