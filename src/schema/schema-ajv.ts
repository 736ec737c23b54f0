/**
 * The one ajv configuration for form definitions. The server validates submissions with it, the publish gate
 * compiles definitions with it, and the UI imports it, so a definition means the same thing everywhere.
 * Browser-safe: no Node APIs.
 */
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

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

export function createSchemaAjv(): Ajv {
  const ajv = new Ajv({
    allErrors: true, // every problem of a submission at once, as the API and the form show them
    strict: true, // unknown keywords and type slips in a definition are compile errors, caught by the publish gate
    // strictRequired stays on (strict: true): our `if`s declare the key in `properties` beside `required`, and a
    // `then` may require a property declared at the top level, which ajv accepts.
    $data: false, // `$data` lets form data steer validation; definitions must be static
    useDefaults: false, // defaults are applied explicitly by applyDefaults before validation
    // maxLength counts code points by default in ajv 8 (a 500,000-character Cyrillic name is 500,000, not bytes);
    // patterns get the "u" flag so \p{…} and astral characters behave.
    unicodeRegExp: true,
  });
  addFormats(ajv);
  ajv.addKeyword({ keyword: 'x-rucert', metaSchema: X_RUCERT_META_SCHEMA });
  ajv.addKeyword({ keyword: 'x-title-ru', metaSchema: { type: 'string' } });
  ajv.addKeyword({ keyword: 'x-description-ru', metaSchema: { type: 'string' } });
  return ajv;
}
