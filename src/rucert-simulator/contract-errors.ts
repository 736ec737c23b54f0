// Turns the first ajv error of a refused request into the text NCIRCC would put after "[400 Bad Request]": in
// Russian, as the real API speaks, and always naming the field (a JSON path such as related_indicators_ipv4[0].value).
import type { ErrorObject } from 'ajv';

const TYPE_NAMES: Record<string, string> = {
  string: 'строка',
  integer: 'целое число',
  number: 'число',
  boolean: 'true или false',
  object: 'объект',
  array: 'массив',
  null: 'null',
};
const MAX_LISTED_VALUES = 12;
const MAX_QUOTED_CHARS = 80;

/** The message for a request that failed its schema; `data` is what was validated. */
export function describeFailure(errors: ErrorObject[] | null | undefined, data: unknown): string {
  const error = pickError(errors ?? []);
  if (!error) return 'запрос не соответствует контракту';
  return describe(error, data);
}

// The keywords that only say "a sub-schema failed": the sub-schema's own error, listed before them, is the useful one.
const WRAPPERS = new Set(['if', 'allOf', 'anyOf', 'oneOf', 'not', '$ref']);

function pickError(errors: ErrorObject[]): ErrorObject | undefined {
  return errors.find((e) => !WRAPPERS.has(e.keyword)) ?? errors[0];
}

function describe(error: ErrorObject, data: unknown): string {
  const at = fieldName(error.instancePath);
  const field = (name: string) => `«${at ? `${at}.${name}` : name}»`;
  const here = `«${at || 'тело запроса'}»`;
  const custom = typeof error.parentSchema?.['x-error'] === 'string' ? (error.parentSchema['x-error'] as string) : undefined;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required': {
      const missing = field(String(params.missingProperty));
      return custom ? `Поле ${missing}: ${custom}` : `Не передано обязательное поле ${missing}`;
    }
    case 'additionalProperties':
      return `Поле ${field(String(params.additionalProperty))} не предусмотрено контрактом`;
    case 'false schema':
      return `Поле ${here} не допускается${forType(data)}`;
    case 'x-mssp-only':
      return params.mssp
        ? `Не передано поле ${field(String(params.property))}: оно обязательно для MSSP-провайдера`
        : `Поле ${field(String(params.property))} передают только MSSP-провайдеры`;
    case 'x-not-future':
      return `Поле ${here}: дата из будущего не допускается (${quote(valueAt(data, error.instancePath))})`;
    case 'x-max-serialized-length':
      return `Поле ${here}: более ${params.limit} символов (${params.length})`;
    case 'x-digits':
      return `Поле ${here}: ожидается число из ${(params.allowed as number[]).join(' или ')} цифр`;
  }
  if (custom) return `Поле ${here}: ${custom}`;
  switch (error.keyword) {
    case 'enum':
      return `Поле ${here}: значение ${quote(valueAt(data, error.instancePath))} не из справочника${allowed(params.allowedValues)}`;
    case 'const':
      return `Поле ${here}: ожидается ${quote(params.allowedValue)}`;
    case 'type':
      return `Поле ${here}: ожидается ${String(params.type)
        .split(',')
        .map((t) => TYPE_NAMES[t] ?? t)
        .join(' или ')}`;
    case 'maxLength':
      return `Поле ${here}: более ${params.limit} символов`;
    case 'minLength':
      return params.limit === 1 ? `Поле ${here} пустое` : `Поле ${here}: менее ${params.limit} символов`;
    case 'format':
      return `Поле ${here}: неверный формат (${params.format})`;
    case 'maxItems':
      return `Поле ${here}: более ${params.limit} элементов`;
    case 'minItems':
      return `Поле ${here}: менее ${params.limit} элементов`;
    case 'maximum':
      return `Поле ${here}: не более ${params.limit}`;
    case 'minimum':
      return `Поле ${here}: не менее ${params.limit}`;
    default:
      return `Поле ${here}: ${error.message ?? 'не соответствует контракту'}`;
  }
}

/** A field refused outright is refused by a rule keyed on the request's type (the technical-details matrix, the
 * personal-data-leak block): say which type. */
function forType(data: unknown): string {
  const type = isObject(data) ? data.type : undefined;
  return typeof type === 'string' ? ` для типа ${quote(type)}` : '';
}

/** "/related_indicators_ipv4/0/value" → "related_indicators_ipv4[0].value". */
export function fieldName(instancePath: string): string {
  if (instancePath === '') return '';
  return instancePath
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((name, part) => (/^\d+$/.test(part) ? `${name}[${part}]` : name ? `${name}.${part}` : part), '');
}

function valueAt(data: unknown, instancePath: string): unknown {
  let node = data;
  for (const part of instancePath.split('/').slice(1)) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    node = isObject(node) || Array.isArray(node) ? (node as Record<string, unknown>)[key] : undefined;
  }
  return node;
}

function allowed(values: unknown): string {
  if (!Array.isArray(values) || values.length > MAX_LISTED_VALUES) return '';
  return `; допустимо: ${values.map(quote).join(', ')}`;
}

function quote(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return `«${text.length > MAX_QUOTED_CHARS ? `${text.slice(0, MAX_QUOTED_CHARS)}…` : text}»`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
