// Turns ajv errors into the `errors` entries of problem details: a JSON Pointer `path` to the offending field of
// the submitted document (for a missing required field, the field itself), a message in the request's language,
// and the ajv keyword. Used for request bodies and form data alike.
import type { ErrorObject } from 'ajv';
import localizeRu from 'ajv-i18n/localize/ru';
import type { Lang } from './messages';

export interface FieldError {
  path: string;
  message: string;
  keyword: string;
}

const escapePointer = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

const OWN_MESSAGES: Record<string, Record<Lang, string>> = {
  additionalProperties: { en: 'is not an allowed field', ru: 'недопустимое поле' },
  required: { en: 'is required', ru: 'обязательное поле' },
  'false schema': {
    en: 'is not available for the selected category and type',
    ru: 'недоступно для выбранной категории и типа',
  },
  oneOf: { en: 'must be one of the allowed values', ru: 'должно быть одним из допустимых значений' },
};

/** Maps and deduplicates; `if` errors ("must match then schema") only repeat the errors inside `then`. */
export function toFieldErrors(errors: readonly ErrorObject[] | null | undefined, lang: Lang = 'en'): FieldError[] {
  if (!errors?.length) return [];
  const localized = errors.map((e) => ({ ...e }));
  if (lang === 'ru') localizeRu(localized);
  const out: FieldError[] = [];
  const seen = new Set<string>();
  // a oneOf of const options fails with one `const` error per option plus the oneOf itself: keep only the oneOf
  const oneOfPaths = new Set(localized.filter((e) => e.keyword === 'oneOf').map((e) => e.instancePath));
  for (const e of localized) {
    if (e.keyword === 'if') continue;
    if (e.keyword === 'const' && oneOfPaths.has(e.instancePath) && /\/oneOf\/\d+\/const$/.test(e.schemaPath)) continue;
    let path = e.instancePath;
    if (e.keyword === 'required') path += `/${escapePointer(String(e.params.missingProperty))}`;
    if (e.keyword === 'additionalProperties') path += `/${escapePointer(String(e.params.additionalProperty))}`;
    const key = `${path}\u0000${e.keyword}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const own = OWN_MESSAGES[e.keyword]?.[lang];
    out.push({ path, keyword: e.keyword, message: own ?? e.message ?? e.keyword });
  }
  return out;
}
