// The subject-facing API, as NCIRCC answers it (docs/ncircc.md): create a notification (201), supplement one
// or move a message from NCIRCC (POST /incidents with uuid, 200), attach files (multipart), read cards, comments and
// files. Requests arrive parsed, token-checked and past the fault queue; every refusal is the contract's error shape.
import type { Contract } from './contract';
import { Answer, contractError, isObject, ok, Route } from './http';
import type { Lifecycle } from './lifecycle';
import type { MultipartResult } from './multipart';
import { runQuery } from './query';
import { readCard, readComment, References, renderCard, renderComment, renderFile } from './records';
import { Card, Store, StoreFullError } from './store';

export interface TokenOwner {
  mssp: boolean;
  /** The login shown as the author of comments posted with the token. */
  login: string;
  /** The organisation of a non-MSSP token: the `company` its cards belong to. */
  organization: string;
  /** MSSP: the organisations it may name in `company`; any when undefined. */
  companies?: string[];
}

export interface ApiContext {
  contract: Contract;
  store: Store;
  refs: References;
  lifecycle: Lifecycle;
  token: TokenOwner;
}

export interface ApiRequest {
  route: Route;
  query: URLSearchParams;
  /** The parsed JSON body; undefined when empty. */
  json?: unknown;
  multipart?: MultipartResult;
}

const CARD_DATES = new Set(['create_time', 'updated', 'detect_time', 'end_time']);
const COMMENT_DATES = new Set(['create_time']);

export function processApi(ctx: ApiContext, request: ApiRequest): Answer {
  try {
    return dispatch(ctx, request);
  } catch (error) {
    if (error instanceof StoreFullError) return contractError(500, `хранилище эмулятора заполнено: ${error.message}`);
    throw error;
  }
}

function dispatch(ctx: ApiContext, { route, query, json, multipart }: ApiRequest): Answer {
  switch (route.key) {
    case 'POST /incidents':
      if (multipart) return attachFiles(ctx, multipart);
      if (!isObject(json)) return contractError(400, 'Тело запроса должно быть JSON-объектом');
      return 'uuid' in json ? update(ctx, json) : create(ctx, json);
    case 'GET /incidents':
      return listCards(ctx, query);
    case 'POST /comments':
      return addComment(ctx, json);
    case 'GET /incidents/comments':
      return listComments(ctx, query);
    case 'GET /incidents/:uuid/comments': {
      const card = ctx.store.find(route.uuid);
      return card ? listComments(ctx, query, card) : notFound(route.uuid);
    }
    case 'GET /incidents/:uuid/files': {
      const card = ctx.store.find(route.uuid);
      return card ? ok(200, { success: true, data: ctx.store.filesOf(card.uuid).map(renderFile) }) : notFound(route.uuid);
    }
    case 'GET /incidents/files/:id/download': {
      const file = /^\d{1,9}$/.test(route.fileId ?? '') ? ctx.store.file(Number(route.fileId)) : undefined;
      if (!file) return contractError(404, `Файл «${route.fileId}» не найден`);
      return { status: 200, raw: file.bytes, contentType: file.type, filename: file.filename };
    }
    case 'GET /companies': {
      const names = ctx.token.mssp ? (ctx.token.companies ?? [...new Set(ctx.store.cards().map((c) => c.company))]) : [ctx.token.organization];
      // The organisations spec's basic answer: what the token may report for.
      const data = names.map((name) => ({ uuid: ctx.refs.companyUuid(name), name, updatedAt: new Date(0).toISOString() }));
      return ok(200, { data, success: true, total: data.length });
    }
    default:
      return contractError(404, 'Ресурс не найден');
  }
}

function create(ctx: ApiContext, body: Record<string, unknown>): Answer {
  const refused = verdict(ctx.contract.checkCreate(body)) ?? companyRefused(ctx, body);
  if (refused) return refused;
  const { company, ...fields } = structuredClone(body);
  const card = ctx.store.create({
    kind: 'notification',
    category: body.category as string,
    type: body.type as string,
    status: ctx.contract.config.notificationStatus.created,
    company: ctx.token.mssp ? (company as string) : ctx.token.organization,
    fields,
    body: structuredClone(body),
  });
  ctx.lifecycle.examining(card);
  return ok(201, { success: true, data: [{ identifier: card.identifier, uuid: card.uuid, create_time: card.create_time }] });
}

function update(ctx: ApiContext, body: Record<string, unknown>): Answer {
  if (typeof body.uuid !== 'string') return contractError(400, 'Поле «uuid»: ожидается строка');
  const card = ctx.store.find(body.uuid);
  if (!card) return notFound(body.uuid);
  const config = ctx.contract.config;
  if (card.kind === 'message') {
    const refused = verdict(ctx.contract.checkMessageStatus(body)) ?? companyRefused(ctx, body);
    if (refused) return refused;
    if (config.messageStatus.closed.includes(card.status)) return contractError(400, `Сообщение в статусе «${card.status}» не изменяется`);
    card.status = body.status as string;
    if (typeof body.int_result === 'string') card.int_result = body.int_result;
    ctx.store.applyUpdate(card, 'message-status', body, {});
    return updated(card);
  }
  const kind = ctx.contract.kindOf(card.category);
  if (kind === undefined) return contractError(400, `Уведомление категории «${card.category}» не дополняется в этом профиле API`);
  const refused = verdict(ctx.contract.checkUpdate(kind, body)) ?? companyRefused(ctx, body);
  if (refused) return refused;
  if (card.status !== config.notificationStatus.supplementRequested) {
    return contractError(
      400,
      `Дополнение принимается только в статусе «${config.notificationStatus.supplementRequested}»; статус уведомления — «${card.status}»`,
    );
  }
  const { uuid: _uuid, status: _status, company: _company, ...fields } = structuredClone(body);
  card.status = config.notificationStatus.afterSupplement;
  ctx.store.applyUpdate(card, 'supplement', body, fields);
  ctx.lifecycle.examining(card);
  return updated(card);
}

function attachFiles(ctx: ApiContext, parsed: MultipartResult): Answer {
  const maxFileBytes = ctx.contract.config.maxFileBytes;
  if (parsed.tooLarge !== undefined) return contractError(413, `Файл «${parsed.tooLarge}» больше ${maxFileBytes} байт`);
  if (parsed.overKept) return contractError(413, 'Файлы одного запроса вместе больше, чем эмулятор принимает за раз');
  if (parsed.error) return contractError(400, parsed.error);
  const refused = verdict(ctx.contract.checkAttach(parsed.fields)) ?? companyRefused(ctx, parsed.fields);
  if (refused) return refused;
  const card = ctx.store.find(parsed.fields.uuid);
  if (!card) return notFound(parsed.fields.uuid);
  if (parsed.files.length === 0) return contractError(400, 'Не передан ни один файл (части «files»)');
  const added = ctx.store.addFiles(card, parsed.files);
  const body = { ...parsed.fields, files: added.map(({ id, filename, size, type, sha256 }) => ({ id, filename, size, type, sha256 })) };
  ctx.store.applyUpdate(card, 'files', body, {}, false);
  return updated(card);
}

function listCards(ctx: ApiContext, params: URLSearchParams): Answer {
  const query = parseQuery(params, ['fields', 'filter', 'sort']);
  if (typeof query === 'string') return contractError(400, query);
  const refused = verdict(ctx.contract.checkListQuery(query));
  if (refused) return refused;
  const outcome = runQuery(ctx.store.cards(), paging(ctx, query), readCard(ctx.refs), CARD_DATES);
  if ('error' in outcome) return contractError(400, outcome.error);
  const fields = query.fields as string[];
  const result = outcome.page.map((card) => renderCard(card, fields, ctx.refs, (uuid) => ctx.store.filesOf(uuid)));
  return ok(200, { success: true, data: { next: outcome.next, result } });
}

function addComment(ctx: ApiContext, body: unknown): Answer {
  const refused = verdict(ctx.contract.checkComment(body));
  if (refused) return refused;
  const { 'incident.uuid': uuid, data } = body as { 'incident.uuid': string; data: { comment: string } };
  const card = ctx.store.find(uuid);
  if (!card) return notFound(uuid);
  const comment = ctx.store.addComment(card, data.comment, ctx.token.login);
  const [day, time] = comment.create_time.split('T');
  // The contract's answer: NCIRCC's own row for the comment, not the list item shape.
  const stored = {
    id: comment.id,
    incident_id: card.id,
    comment: comment.text,
    user_id: 1,
    d_comment: `${day}T00:00:00.000Z`,
    t_comment: time.slice(0, 8),
    createdAt: comment.create_time,
    updatedAt: comment.create_time,
    to: '',
    parent_id: null,
    workgroup_resolved: false,
    options: {},
  };
  return ok(200, { data: stored, success: true });
}

function listComments(ctx: ApiContext, params: URLSearchParams, card?: Card): Answer {
  const query = parseQuery(params, ['filter', 'sort']);
  if (typeof query === 'string') return contractError(400, query);
  const refused = verdict(ctx.contract.checkCommentListQuery(query));
  if (refused) return refused;
  const comments = card ? ctx.store.comments().filter((c) => c.incidentUuid === card.uuid) : ctx.store.comments();
  // Newest first unless sorted otherwise, as the contract's examples list them.
  const sorted = { ...paging(ctx, query), sort: (query.sort as never) ?? [{ property: 'id', direction: 'DESC' }] };
  const outcome = runQuery(comments, sorted, (comment, property) => readComment(comment, property), COMMENT_DATES);
  if ('error' in outcome) return contractError(400, outcome.error);
  return ok(200, { data: outcome.page.map(renderComment), success: true });
}

/** JSON-decodes the given parameters and reads limit/offset as integers; a string is the 400 message. */
function parseQuery(params: URLSearchParams, jsonNames: string[]): Record<string, unknown> | string {
  const query: Record<string, unknown> = {};
  for (const name of jsonNames) {
    const raw = params.get(name);
    if (raw === null || raw === '') continue;
    try {
      query[name] = JSON.parse(raw);
    } catch {
      return `Параметр «${name}» не является JSON`;
    }
  }
  for (const name of ['limit', 'offset']) {
    const raw = params.get(name);
    if (raw === null || raw === '') continue;
    query[name] = /^-?\d{1,12}$/.test(raw.trim()) ? Number(raw) : raw;
  }
  return query;
}

function paging(ctx: ApiContext, query: Record<string, unknown>) {
  return {
    filter: query.filter as never,
    sort: query.sort as never,
    limit: (query.limit as number | undefined) ?? ctx.contract.config.defaultLimit,
    offset: (query.offset as number | undefined) ?? 0,
  };
}

function companyRefused(ctx: ApiContext, body: Record<string, unknown>): Answer | undefined {
  const { mssp, companies } = ctx.token;
  if (!mssp || !companies || typeof body.company !== 'string' || companies.includes(body.company)) return undefined;
  return contractError(400, `Поле «company»: организация «${body.company.slice(0, 200)}» не закреплена за токеном`);
}

function verdict(v: { ok: true } | { ok: false; message: string }): Answer | undefined {
  return v.ok ? undefined : contractError(400, v.message);
}

function updated(card: Card): Answer {
  return ok(200, { success: true, data: [{ identifier: card.identifier, uuid: card.uuid, update_time: card.updated }] });
}

function notFound(uuid: unknown): Answer {
  return contractError(404, `Карточка «${String(uuid).slice(0, 100)}» не найдена`);
}
