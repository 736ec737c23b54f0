// Every human-readable message of the API, in English and Russian. Problem details pick one by Accept-Language.
export type Lang = 'en' | 'ru';

const MESSAGES = {
  // titles, one per problem code
  'title.unauthorized': { en: 'Authentication required', ru: 'Требуется аутентификация' },
  'title.forbidden': { en: 'Forbidden', ru: 'Доступ запрещён' },
  'title.license_required': { en: 'License required', ru: 'Требуется лицензия' },
  'title.not_found': { en: 'Not found', ru: 'Не найдено' },
  'title.invalid_json': { en: 'Invalid JSON', ru: 'Некорректный JSON' },
  'title.validation_failed': { en: 'Validation failed', ru: 'Ошибка проверки данных' },
  'title.payload_too_large': { en: 'Payload too large', ru: 'Слишком большой запрос' },
  'title.already_exported': { en: 'Already exported', ru: 'Уже экспортирован в НКЦКИ' },
  'title.export_in_progress': { en: 'Export in progress', ru: 'Экспорт в НКЦКИ выполняется' },
  'title.form_version_stale': { en: 'Form version is not active', ru: 'Версия формы неактуальна' },
  'title.integration_not_configured': { en: 'Integration not configured', ru: 'Интеграция не настроена' },
  'title.conflict': { en: 'Conflict', ru: 'Конфликт' },
  'title.card_not_found': { en: 'No NCIRCC card', ru: 'Нет карточки НКЦКИ' },
  'title.supplement_not_requested': { en: 'Supplement not requested', ru: 'Дополнение не запрошено' },
  'title.file_too_large': { en: 'File too large', ru: 'Файл слишком большой' },
  'title.schema_rejected': { en: 'Form definition rejected', ru: 'Определение формы отклонено' },
  'title.rucert_rejected': { en: 'RuCERT rejected the request', ru: 'НКЦКИ отклонил запрос' },
  'title.rucert_unavailable': { en: 'RuCERT unavailable', ru: 'НКЦКИ недоступен' },
  'title.too_many_requests': { en: 'Too many requests', ru: 'Слишком много запросов' },
  'title.internal_error': { en: 'Internal error', ru: 'Внутренняя ошибка' },

  'auth.missing': { en: 'Send an API token as "Authorization: Bearer <token>"', ru: 'Передайте API-токен в заголовке "Authorization: Bearer <токен>"' },
  'auth.invalid': { en: 'The API token is unknown or revoked', ru: 'API-токен неизвестен или отозван' },
  'auth.role': { en: 'This action needs one of the roles: {roles}', ru: 'Для этого действия нужна одна из ролей: {roles}' },
  'auth.rate_limited': {
    en: 'Too many failed authentication attempts; retry after {seconds} s',
    ru: 'Слишком много неудачных попыток входа; повторите через {seconds} с',
  },
  'request.invalid_json': { en: 'The request body is not valid JSON', ru: 'Тело запроса не является корректным JSON' },
  'request.invalid_body': { en: 'The request body is not valid', ru: 'Тело запроса некорректно' },
  'request.invalid_query': { en: 'The query parameters are not valid', ru: 'Параметры запроса некорректны' },
  'request.too_large': { en: 'The request body exceeds {limit}', ru: 'Тело запроса превышает {limit}' },
  'request.unsupported_media_type': { en: 'Send the body as application/json', ru: 'Передайте тело запроса как application/json' },
  'route.not_found': { en: 'No such route', ru: 'Такого маршрута нет' },
  'incident.not_found': { en: 'Incident {id} does not exist', ru: 'Инцидент {id} не существует' },
  'incident.external_id_taken': { en: 'An incident with externalId "{externalId}" already exists', ru: 'Инцидент с externalId "{externalId}" уже существует' },
  'token.not_found': { en: 'API token {id} does not exist', ru: 'API-токен {id} не существует' },
  'internal.error': { en: 'An unexpected error occurred; it has been logged', ru: 'Произошла непредвиденная ошибка; она записана в журнал' },
} as const satisfies Record<string, Record<Lang, string>>;

export type MessageKey = keyof typeof MESSAGES;

const EXTRA: Record<string, Record<Lang, string>> = {};

/** Feature modules register their own messages at load time, so this file does not grow with every feature. */
export function registerMessages(messages: Record<string, Record<Lang, string>>): void {
  Object.assign(EXTRA, messages);
}

export function message(key: string, lang: Lang, params: Record<string, string | number> = {}): string {
  const entry = (MESSAGES as Record<string, Record<Lang, string>>)[key] ?? EXTRA[key];
  if (!entry) return key;
  return entry[lang].replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** `Accept-Language: ru` (or ru-RU, or a list preferring ru) selects Russian; everything else English. */
export function langOf(acceptLanguage: string | undefined): Lang {
  if (!acceptLanguage) return 'en';
  const ranked = acceptLanguage
    .split(',')
    .map((part) => {
      const [tag, ...rest] = part.trim().split(';');
      const q = rest.find((p) => p.trim().startsWith('q='));
      return { tag: tag.trim().toLowerCase(), q: q ? Number(q.trim().slice(2)) : 1 };
    })
    .filter((x) => x.tag && !Number.isNaN(x.q))
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag === 'ru' || tag.startsWith('ru-')) return 'ru';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return 'en';
}
