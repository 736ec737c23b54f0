/**
 * Validates form data against a form definition and turns ajv's errors into problem-details entries whose `path`
 * points at the offending field of the submitted data. Used by the server and the UI (browser-safe).
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import localizeRu from 'ajv-i18n/localize/ru';
import { createSchemaAjv } from './schema-ajv';
import { pointer, resolvePointer } from './json-pointer';

export interface FieldError {
  /** JSON Pointer into the submitted form data; for a missing or extra field, that field. */
  path: string;
  message: string;
  /** The ajv keyword that failed (`required`, `false schema`, `oneOf`, `maxLength`, …). */
  keyword: string;
}

export type MessageLang = 'en' | 'ru';

// Messages for the errors we rephrase; ajv's own wording (or ajv-i18n's) is kept for everything else.
type Message = string | ((params: Record<string, unknown>) => string);
const MESSAGES: Record<string, Record<MessageLang, string>> = {
  required: { en: 'is required', ru: 'обязательное поле' },
  additionalProperties: { en: 'is not a field of this form', ru: 'не является полем этой формы' },
  'false schema': {
    en: 'is not available for the selected category or type',
    ru: 'недоступно для выбранной категории или типа',
  },
  oneOf: { en: 'must be one of the allowed values', ru: 'должно быть одним из допустимых значений' },
};

// Our own keywords (schema-ajv.ts) and formats: ajv would only name them.
const OWN_MESSAGES: Record<string, Record<MessageLang, Message>> = {
  'x-not-future': { en: 'must not be in the future', ru: 'не может быть в будущем' },
  'x-max-serialized-length': {
    en: (p) => `is too long: at most ${String(p.limit)} characters as sent to NCIRCC, here ${String(p.length)}`,
    ru: (p) => `слишком длинное: при отправке в НКЦКИ не более ${String(p.limit)} символов, здесь ${String(p.length)}`,
  },
  'x-rucert': {
    en: (p) => (p.type === 'integer' ? 'cannot be sent as an integer' : 'cannot be sent as a number'),
    ru: (p) => (p.type === 'integer' ? 'не может быть передано как целое число' : 'не может быть передано как число'),
  },
};

const FORMAT_MESSAGES: Record<string, Record<MessageLang, string>> = {
  'ru-inn': {
    en: 'must be a taxpayer number (INN): 10 or 12 digits with valid check digits',
    ru: 'должно быть ИНН: 10 или 12 цифр с верными контрольными цифрами',
  },
};

function ownMessage(e: ErrorObject, lang: MessageLang): string | undefined {
  if (e.keyword === 'format') return FORMAT_MESSAGES[String(e.params.format)]?.[lang];
  const message = OWN_MESSAGES[e.keyword]?.[lang];
  return typeof message === 'function' ? message(e.params) : message;
}

// Compiled once per definition. Each definition gets its own ajv instance, so two definitions that happen to share
// an `$id` never collide inside ajv; the `$id` cache serves a definition re-read from storage as a new object.
const bySchema = new WeakMap<object, ValidateFunction>();
const byId = new Map<string, ValidateFunction>();

export function getValidator(schema: object): ValidateFunction {
  const cached = bySchema.get(schema);
  if (cached) return cached;
  const id = (schema as { $id?: unknown }).$id;
  let validate = typeof id === 'string' ? byId.get(id) : undefined;
  if (!validate) {
    validate = createSchemaAjv().compile(schema);
    if (typeof id === 'string') byId.set(id, validate);
  }
  bySchema.set(schema, validate);
  return validate;
}

export function validateData(schema: object, data: unknown, lang: MessageLang = 'en'): FieldError[] {
  const validate = getValidator(schema);
  if (validate(data)) return [];
  return mapAjvErrors(schema, validate.errors ?? [], lang);
}

/** An enumeration in our definitions: a `oneOf` whose every option is a `const`. */
function isConstOneOf(node: unknown): boolean {
  return Array.isArray(node) && node.length > 0 && node.every((o) => o !== null && typeof o === 'object' && 'const' in (o as object));
}

const ONE_OF_OPTION_CONST = /^(.*\/oneOf)\/\d+\/const$/;

/** ajv errors → field errors: noise dropped, enum options collapsed, paths naming the field, deduplicated. */
export function mapAjvErrors(schema: object, errors: ErrorObject[], lang: MessageLang = 'en'): FieldError[] {
  // ajv-i18n rewrites messages in place; the caller's errors (often validate.errors) stay untouched.
  const localized = errors.map((e) => ({ ...e }));
  if (lang === 'ru') localizeRu(localized);

  const result: FieldError[] = [];
  const seen = new Set<string>();
  const push = (path: string, keyword: string, message: string) => {
    const key = `${path}\u0000${keyword}`;
    if (seen.has(key)) return;
    seen.add(key);
    result.push({ path, keyword, message });
  };

  for (const e of localized) {
    const ours = MESSAGES[e.keyword]?.[lang];
    switch (e.keyword) {
      case 'if':
        // "must match then schema" only repeats the errors of the `then` branch.
        continue;
      case 'required':
        push(pointer(e.instancePath, String(e.params.missingProperty)), e.keyword, ours!);
        continue;
      case 'additionalProperties':
        push(pointer(e.instancePath, String(e.params.additionalProperty)), e.keyword, ours!);
        continue;
      case 'false schema':
        push(e.instancePath, e.keyword, ours!);
        continue;
      case 'const': {
        // One "must be equal to constant" per enumeration option is noise: the oneOf error below says it once.
        const option = ONE_OF_OPTION_CONST.exec(e.schemaPath);
        if (option && isConstOneOf(resolvePointer(schema, option[1]))) continue;
        break;
      }
      case 'oneOf':
        if (isConstOneOf(resolvePointer(schema, e.schemaPath))) {
          push(e.instancePath, e.keyword, ours!);
          continue;
        }
        break;
    }
    push(e.instancePath, e.keyword, ownMessage(e, lang) ?? e.message ?? e.keyword);
  }
  // "cannot be sent as a number" only helps when nothing else is wrong with the value (a format, a pattern)
  return result.filter((e) => e.keyword !== 'x-rucert' || !result.some((other) => other.path === e.path && other.keyword !== 'x-rucert'));
}
