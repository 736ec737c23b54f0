/**
 * The one ajv configuration for form definitions. The server validates submissions with it, the publish gate
 * compiles definitions with it, and the UI imports it, so a definition means the same thing everywhere.
 * Browser-safe: no Node APIs.
 *
 * Besides draft-07 it knows the annotation language of our definitions (docs/form-definitions.md):
 *   x-rucert                 wire mapping; with {"type": "number"|"integer"} it also checks the value can be sent so
 *   x-not-future             a date-time that must not lie in the future
 *   x-max-serialized-length  a list or object whose wire form (JSON) must fit N characters
 *   x-default                where an omitted field's value comes from (settings, incident, product): resolved by
 *                            defaults.ts, only its shape is checked here
 *   x-title-ru, x-description-ru   labels
 * and the format "ru-inn" (a Russian taxpayer number with its check digits).
 */
import Ajv, { _, str, type AnySchemaObject, type CodeKeywordDefinition, type KeywordCxt, type SchemaObjCxt } from 'ajv';
import type { DataValidateFunction } from 'ajv/dist/types';
import { useFunc } from 'ajv/dist/compile/util';
import ucs2length from 'ajv/dist/runtime/ucs2length';
import addFormats, { type FormatName } from 'ajv-formats';
import { isObject } from './json';
import { safeRegExp } from './safe-regexp';
import { convertWireType, toWireValue, type WireType } from './wire-mapper';

/** Keywords our definitions carry beyond draft-07; strict mode rejects any keyword it does not know. */
export const SCHEMA_ANNOTATION_KEYWORDS = [
  'x-rucert',
  'x-title-ru',
  'x-description-ru',
  'x-default',
  'x-not-future',
  'x-max-serialized-length',
  'x-supplement',
] as const;

export const WIRE_TYPES: readonly WireType[] = ['string', 'number', 'integer', 'boolean'];

/**
 * `x-rucert` is `{field, type?}` on a property sent to RuCERT (`type`: the JSON type written on the wire when it is not
 * the form's own, e.g. a form string sent as a number) and the wire value itself on an enumeration option.
 */
const X_RUCERT_META_SCHEMA = {
  anyOf: [
    { type: ['string', 'number', 'boolean'] },
    {
      type: 'object',
      required: ['field'],
      properties: {
        field: { type: 'string', minLength: 1, maxLength: 255 },
        type: { type: 'string', enum: WIRE_TYPES },
      },
      additionalProperties: false,
    },
  ],
};

/** A dotted path into a source object: "ownerName", "operator.inn". */
const SOURCE_PATH = { type: 'string', minLength: 1, maxLength: 200, pattern: '^[A-Za-z][A-Za-z0-9]*(?:\\.[A-Za-z][A-Za-z0-9]*){0,7}$' };
const SCALAR = { type: ['string', 'number', 'boolean'] };

/** One source of a default; `x-default` is one of them, or a list tried in order (the first that gives a value wins). */
export const X_DEFAULT_SOURCE_META_SCHEMA = {
  type: 'object',
  properties: {
    setting: SOURCE_PATH,
    incident: SOURCE_PATH,
    map: { type: 'object', additionalProperties: SCALAR, maxProperties: 100 },
    where: { type: 'object', additionalProperties: SCALAR, minProperties: 1, maxProperties: 10 },
    pick: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 100 }, minItems: 1, maxItems: 20, uniqueItems: true },
    fill: { type: 'object', additionalProperties: SCALAR, minProperties: 1, maxProperties: 20 },
  },
  additionalProperties: false,
  // exactly one source
  oneOf: (['setting', 'incident'] as const).map((kind) => ({ type: 'object', properties: { [kind]: SOURCE_PATH }, required: [kind] })),
};

/** Which fields a supplement may change: rules `{when: <JSON Schema of the exported data>, fields}`, first match wins. */
export const X_SUPPLEMENT_META_SCHEMA = {
  type: 'array',
  maxItems: 20,
  items: {
    type: 'object',
    required: ['when', 'fields'],
    properties: {
      when: { type: 'object' },
      fields: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 100 }, maxItems: 100, uniqueItems: true },
    },
    additionalProperties: false,
  },
};

export const X_DEFAULT_META_SCHEMA = {
  anyOf: [X_DEFAULT_SOURCE_META_SCHEMA, { type: 'array', items: X_DEFAULT_SOURCE_META_SCHEMA, minItems: 1, maxItems: 5 }],
};

// ---- formats -------------------------------------------------------------------------------------------------------

const INN_10 = [2, 4, 10, 3, 5, 9, 4, 6, 8];
const INN_11 = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
const INN_12 = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
const checkDigit = (digits: number[], weights: number[]) => (weights.reduce((sum, w, i) => sum + w * digits[i], 0) % 11) % 10;

/** A Russian taxpayer number (ИНН): 10 digits (organisation) or 12 (person), with their check digits. */
export function isRussianInn(value: string): boolean {
  if (!/^(?:\d{10}|\d{12})$/.test(value)) return false;
  const d = [...value].map(Number);
  if (d.length === 10) return checkDigit(d, INN_10) === d[9];
  return checkDigit(d, INN_11) === d[10] && checkDigit(d, INN_12) === d[11];
}

/** Formats beyond ajv-formats; the UI registers them with rjsf's own ajv too. */
export const SCHEMA_FORMATS: Record<string, (value: string) => boolean> = { 'ru-inn': isRussianInn };

// ---- keywords that validate ----------------------------------------------------------------------------------------

/** Code points, counted by ajv's own function for maxLength, so "5000 characters" means the same for a field and for a list. */
export const codePointLength: (text: string) => number = ucs2length;

function failing(fn: DataValidateFunction, keyword: string, params: Record<string, unknown>, message: string): false {
  fn.errors = [{ keyword, params, message }]; // ajv adds where: instancePath, schemaPath
  return false;
}

/**
 * `x-rucert`: on most fields only the wire mapping, for which no code is generated at all (a compiled keyword would
 * cost a call and a context object per field and validation: the validator ran at a tenth of plain ajv's speed).
 * With a numeric wire type the form value must be one the mapper can write as that type.
 */
const WIRE_TYPE_KEYWORD: CodeKeywordDefinition = {
  keyword: 'x-rucert',
  metaSchema: X_RUCERT_META_SCHEMA,
  error: {
    message: ({ schema }) => str`cannot be sent as ${(schema as { type: string }).type === 'integer' ? 'an integer' : 'a number'}`,
    params: ({ schema }) => _`{type: ${(schema as { type: string }).type}}`,
  },
  code(cxt: KeywordCxt) {
    const type = isObject(cxt.schema) ? cxt.schema.type : undefined;
    if (type !== 'number' && type !== 'integer') return;
    const convert = cxt.gen.scopeValue('func', { ref: convertWireType });
    cxt.fail(_`${cxt.data} !== undefined && ${convert}(${cxt.data}, ${type}) === undefined`);
  },
};

function compileNotFuture(enabled: boolean): DataValidateFunction {
  if (!enabled) return () => true;
  const fn: DataValidateFunction = (data: unknown) => {
    const time = typeof data === 'string' ? Date.parse(data) : NaN;
    // an unparsable value is the format keyword's to report
    return Number.isNaN(time) || time <= Date.now() || failing(fn, 'x-not-future', {}, 'must not be in the future');
  };
  return fn;
}

/** The wire form is measured (what NCIRCC counts), not the form data: codes become wire strings, empty rows vanish. */
function compileMaxSerializedLength(limit: number, parentSchema: AnySchemaObject, it: SchemaObjCxt): DataValidateFunction {
  const root = it.schemaEnv.root.schema as object;
  const fn: DataValidateFunction = (data: unknown) => {
    const wire = toWireValue(root, parentSchema, data);
    const json = wire === undefined ? '' : JSON.stringify(wire);
    if (json.length <= limit) return true; // never more code points than code units: no need to count
    const length = codePointLength(json);
    return length <= limit || failing(fn, 'x-max-serialized-length', { limit, length }, `must not be longer than ${limit} characters as sent (is ${length})`);
  };
  return fn;
}

/**
 * The formats of ajv-formats that definitions may use. Each is a fixed, known pattern or function; measured on
 * 50,000-character adversarial inputs they take a few milliseconds, linear in the input, except `url`, whose
 * regular expression backtracks (5 s on 50,000 characters): it is left out, so a definition using it fails
 * compilation at the publish gate.
 */
export const STANDARD_FORMATS: FormatName[] = [
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

/** The standard formats definitions may use, and ours (SCHEMA_FORMATS). */
export function addSchemaFormats(ajv: Ajv): Ajv {
  addFormats(ajv, STANDARD_FORMATS);
  for (const [name, validate] of Object.entries(SCHEMA_FORMATS)) ajv.addFormat(name, { type: 'string', validate });
  return ajv;
}

/**
 * maxLength and minLength exactly as ajv defines them (code points, the same error), without counting a long text
 * whose UTF-16 length already decides: a text of n code units holds between n/2 and n code points. ajv counts every
 * text twice when a field has both limits, which was 6 ms of a 500,000-character export, and counts a text far over
 * its limit to the end (~2.4 ms for 500,000 characters against version 2's 5,000; bench/README.md).
 */
const TEXT_LENGTH_KEYWORD: CodeKeywordDefinition = {
  keyword: ['maxLength', 'minLength'],
  type: 'string',
  schemaType: 'number',
  error: {
    message: ({ keyword, schemaCode }) => str`must NOT have ${keyword === 'maxLength' ? 'more' : 'fewer'} than ${schemaCode} characters`,
    params: ({ schemaCode }) => _`{limit: ${schemaCode}}`,
  },
  code(cxt: KeywordCxt) {
    const { keyword, data, schemaCode, gen } = cxt;
    const count = useFunc(gen, ucs2length);
    cxt.fail(
      keyword === 'maxLength'
        ? _`${data}.length > ${schemaCode} && (${data}.length > 2 * ${schemaCode} || ${count}(${data}) > ${schemaCode})`
        : _`${data}.length < 2 * ${schemaCode} && ${count}(${data}) < ${schemaCode}`,
    );
  },
};

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
  ajv.removeKeyword('maxLength').removeKeyword('minLength').addKeyword(TEXT_LENGTH_KEYWORD);
  ajv.addKeyword(WIRE_TYPE_KEYWORD);
  ajv.addKeyword({ keyword: 'x-title-ru', metaSchema: { type: 'string' } });
  ajv.addKeyword({ keyword: 'x-description-ru', metaSchema: { type: 'string' } });
  ajv.addKeyword({ keyword: 'x-default', metaSchema: X_DEFAULT_META_SCHEMA });
  ajv.addKeyword({ keyword: 'x-supplement', metaSchema: X_SUPPLEMENT_META_SCHEMA });
  ajv.addKeyword({ keyword: 'x-not-future', type: 'string', schemaType: 'boolean', errors: true, compile: compileNotFuture });
  ajv.addKeyword({
    keyword: 'x-max-serialized-length',
    type: ['array', 'object'],
    schemaType: 'number',
    metaSchema: { type: 'integer', minimum: 1 },
    errors: true,
    compile: compileMaxSerializedLength,
  });
  return ajv;
}
