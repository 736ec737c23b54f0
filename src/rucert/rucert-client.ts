// HTTP client of the NCIRCC (RuCERT) personal-account API, docs/ncircc.md, on node:http/node:https.
// It owns two things the once-only export depends on (docs/once-only.md):
//  - classifying every failure as `rejected` (RuCERT definitely refused), `unreachable` (the request provably never
//    reached RuCERT) or `ambiguous` (it may have been registered: only a lookup can tell);
//  - treating answers as untrusted: size-bounded, parsed defensively, checked against schemas/rucert/*.
// The token is sent in `x-token` and appears in no message or property of anything this module produces.
// Framework-free on purpose: the Nest module wraps it.
import { request as httpRequest, IncomingMessage, RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { randomBytes, X509Certificate } from 'node:crypto';
import { Readable } from 'node:stream';
import { rootCertificates } from 'node:tls';
import { Socket } from 'node:net';
import type { ValidateFunction } from 'ajv';
import { JsonText } from '../common/json-text';
import commentCreatedSchema from '../../schemas/rucert/comment-created.schema.json';
import commentListSchema from '../../schemas/rucert/comment-list.schema.json';
import createResponseSchema from '../../schemas/rucert/create-response.schema.json';
import fileListSchema from '../../schemas/rucert/file-list.schema.json';
import listResponseSchema from '../../schemas/rucert/list-response.schema.json';
import updateResponseSchema from '../../schemas/rucert/update-response.schema.json';
import incidentWire from '../../schemas/rucert/incident-wire.json';
import type { RuCERTAnswerToPOSTCommentsSuccess as CommentCreated } from '../generated/rucert/comment-created';
import type { RuCERTAnswerToGETIncidentsCommentsAndGETIncidentsUuidCommentsSuccess as CommentList } from '../generated/rucert/comment-list';
import type { RuCERTAnswerToPOSTIncidentsSuccess as CreateResponse } from '../generated/rucert/create-response';
import type { RuCERTAnswerToGETIncidentsUuidFilesSuccess as FileList } from '../generated/rucert/file-list';
import type { RuCERTAnswerToPOSTIncidentsWithUuidSuccess as UpdateResponse } from '../generated/rucert/update-response';
import type { RuCERTAnswerToGETIncidentsSuccess as ListResponse } from '../generated/rucert/list-response';
import { isObject, withoutEmpty } from '../schema/json';
import { createSchemaAjv } from '../schema/schema-ajv';
import type { IntegrationCheck } from '../generated/api/responses';

export type RucertErrorKind = 'rejected' | 'unreachable' | 'ambiguous';

/** What went wrong, for callers that word their own messages (the connection check does). */
export type RucertErrorCode =
  | 'http_status' // RuCERT answered with an HTTP error status
  | 'success_false' // RuCERT answered {success: false}
  | 'invalid_answer' // the answer is not JSON or not the expected shape
  | 'too_large' // the answer exceeds the size bound
  | 'refused' // connection refused
  | 'dns' // host name not resolved
  | 'tls' // TLS handshake failed
  | 'timeout' // no complete answer in time
  | 'connection_lost' // the connection broke after the request was sent
  | 'network' // another network error before the connection was established
  | 'configuration'; // the integration settings cannot be used (e.g. a root CA that is not PEM)

export class RucertError extends Error {
  constructor(
    readonly kind: RucertErrorKind,
    message: string,
    readonly code: RucertErrorCode,
    readonly status?: number,
    /** RuCERT's own message, when it gave one (bounded, control characters removed). */
    readonly rucertMessage?: string,
  ) {
    super(message);
    this.name = 'RucertError';
  }
}

export interface RucertClientOptions {
  /** Base URL, possibly with a path prefix: https://lk.cert.gov.ru/api/v2 */
  url: string;
  token: string;
  /** Bound of one whole exchange: connect, TLS, sending, and the complete answer. */
  timeoutMs: number;
  /** PEM of an extra trusted root (the Russian national CA), added to Node's default roots. */
  rootCa?: string;
  /** Bound of a create or check answer; default 1 MiB. */
  maxResponseBytes?: number;
  /** Bound of a list page: records may carry 500,000-character fields; default 32 MiB. */
  maxListResponseBytes?: number;
  /** How the client names itself; default "rucert-export". */
  userAgent?: string;
}

export interface RucertCreated {
  uuid: string;
  identifier: string;
  createTime: string;
}

export interface RucertFilterCondition {
  property: string;
  operator: string;
  value: string | number | boolean | null | Array<string | number>;
}

export interface RucertSort {
  property: string;
  direction: 'ASC' | 'DESC';
}

/** GET /incidents: `fields` is required by the API (the answer holds only those fields). */
export interface FindIncidentsQuery {
  fields: readonly string[];
  filter?: RucertFilterCondition[];
  sort?: RucertSort[];
  limit?: number;
  offset?: number;
}

/** A card's status as NCIRCC names it; an id when NCIRCC gave one. Unknown names are kept as they are. */
export interface RucertStatus {
  id?: number | string;
  name: string;
}

/** One card of a list answer: the fields asked for, `status` normalised to {id?, name}. */
export type RucertRecord = Record<string, unknown> & { uuid: string; status?: RucertStatus };

export interface RucertIncidentPage {
  result: RucertRecord[];
  /** NCIRCC has more records after this page. */
  next: boolean;
}

export interface RucertIncidentMatch {
  uuid: string;
  /** The card's identifier when the list gave one, else its registration number, else its uuid. */
  identifier: string;
  regNumber?: string;
  createTime?: string;
  status?: RucertStatus;
}

/** The wire field that carries the incident's description, with the reference line a lookup searches for. */
const DESCRIPTION_FIELD = incidentWire.fields.description;

export interface FindByTextOptions {
  /** Only cards created at or after this instant (a `create_time >=` filter). */
  createdSince?: Date;
  pageSize?: number;
  maxPages?: number;
}

export interface FindByTextResult {
  matches: RucertIncidentMatch[];
  /** True when the paging ended with `next: false`, so an empty `matches` means "definitely absent". */
  exhaustive: boolean;
}

export interface RucertUpdated {
  uuid: string;
  identifier?: string;
  updateTime?: string;
}

/** A comment of a card, as NCIRCC lists it. */
export interface RucertComment {
  id: string;
  cardUuid: string;
  text: string;
  login?: string;
  createTime: string;
}

export interface CommentsQuery {
  filter?: RucertFilterCondition[];
  sort?: RucertSort[];
  limit?: number;
  offset?: number;
}

/** A file of a card, as NCIRCC lists it. */
export interface RucertFile {
  id: string;
  name?: string;
  filename?: string;
  size?: number;
  type?: string;
  md5?: string;
  sha1?: string;
  addDate?: string;
}

/** A file to attach: opened as a stream when sent, of a known size. */
export interface OutgoingFile {
  open: () => NodeJS.ReadableStream;
  size: number;
  filename: string;
  contentType: string;
}

/** The connection check's outcome, as the API answers it. */
export type RucertCheckResult = IntegrationCheck;

const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
const DEFAULT_MAX_LIST_RESPONSE_BYTES = 32 * 1024 * 1024;
const MAX_RUCERT_MESSAGE_CHARS = 500;
// docs/once-only.md: the statuses that are a definite "no". Any other 4xx (404 behind a proxy, 409, 429…) does not
// prove that nothing was registered, so it is ambiguous: a lookup settles it, a blind retry could duplicate.
const REJECTING_STATUSES = new Set([400, 401, 403, 422]);
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL']);

const ajv = createSchemaAjv();
const validateCreateResponse = ajv.compile<CreateResponse>(createResponseSchema);
const validateListResponse = ajv.compile<ListResponse>(listResponseSchema);
const validateUpdateResponse = ajv.compile<UpdateResponse>(updateResponseSchema);
const validateCommentCreated = ajv.compile<CommentCreated>(commentCreatedSchema);
const validateCommentList = ajv.compile<CommentList>(commentListSchema);
const validateFileList = ajv.compile<FileList>(fileListSchema);

interface RawAnswer {
  status: number;
  body: Buffer;
  /** With `stream: true`, a 2xx answer's body is not read: the caller reads it from here. */
  stream?: IncomingMessage;
}

/** A request body: JSON, or a stream of known length (a multipart upload). */
type OutgoingBody = { json: unknown } | { open: () => NodeJS.ReadableStream; length: number; contentType: string };

export class RucertClient {
  #token = ''; // private field: not enumerable, not in JSON.stringify or util.inspect of the client
  #base = new URL('http://unconfigured.invalid');
  #basePath = ''; // without a trailing slash: "" or "/api/v2"
  #timeoutMs = 15000;
  #ca?: string[];
  #maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;
  #maxListResponseBytes = DEFAULT_MAX_LIST_RESPONSE_BYTES;
  #userAgent = 'rucert-export';
  // Unusable settings (stored before a rule existed, a bad root CA…) do not make the constructor throw: every call
  // fails with this `unreachable` error instead, so check() can report it and an export fails cleanly.
  readonly #configurationError?: RucertError;

  constructor(options: RucertClientOptions) {
    try {
      this.#configure(options);
    } catch (error) {
      if (!(error instanceof RucertError)) throw error;
      this.#configurationError = error;
    }
  }

  #configure(options: RucertClientOptions): void {
    let base: URL;
    try {
      base = new URL(options.url);
    } catch {
      throw new RucertError('unreachable', 'the RuCERT URL is not a valid URL', 'configuration');
    }
    if (base.protocol !== 'https:' && base.protocol !== 'http:') {
      throw new RucertError('unreachable', 'the RuCERT URL must start with https:// or http://', 'configuration');
    }
    if (base.username || base.password || base.search || base.hash) {
      throw new RucertError('unreachable', 'the RuCERT URL must not carry credentials, a query or a fragment', 'configuration');
    }
    // A header value with CR/LF or non-Latin-1 characters would be refused by Node with a message we do not control.
    if (typeof options.token !== 'string' || !/^[\x21-\x7e]+$/.test(options.token)) {
      throw new RucertError('unreachable', 'the RuCERT token must be non-empty printable ASCII without spaces', 'configuration');
    }
    this.#base = base;
    this.#basePath = base.pathname.replace(/\/+$/, '');
    this.#token = options.token;
    this.#timeoutMs = Number.isInteger(options.timeoutMs) && options.timeoutMs > 0 ? options.timeoutMs : 15000;
    this.#maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.#maxListResponseBytes = options.maxListResponseBytes ?? DEFAULT_MAX_LIST_RESPONSE_BYTES;
    if (options.userAgent) this.#userAgent = options.userAgent;
    if (options.rootCa && options.rootCa.trim() !== '') {
      // OpenSSL skips what it cannot parse in `ca`, which would turn a pasting mistake into a puzzling TLS error later.
      const pems = options.rootCa.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
      try {
        if (pems.length === 0) throw new Error('no certificate');
        for (const pem of pems) new X509Certificate(pem);
      } catch {
        throw new RucertError('unreachable', 'the root CA of the RuCERT integration is not a valid PEM certificate', 'configuration');
      }
      this.#ca = [...rootCertificates, ...pems];
    }
  }

  /** POST {url}/incidents. Resolves only when RuCERT confirmed the registration with a well-formed answer. */
  async createIncident(payload: Record<string, unknown> | JsonText): Promise<RucertCreated> {
    const { body } = await this.#call('POST', '/incidents', undefined, payload, this.#maxResponseBytes);
    if (!validateCreateResponse(body)) {
      // RuCERT said success but we cannot read what it registered: it may well exist, so only a lookup can tell.
      throw new RucertError('ambiguous', `RuCERT answered success in an unexpected shape (${schemaProblem(validateCreateResponse)})`, 'invalid_answer', 200);
    }
    const created = body.data[0];
    return { uuid: created.uuid, identifier: created.identifier, createTime: created.create_time };
  }

  /** GET {url}/incidents?fields=&filter=&sort=&limit=&offset= — one page. */
  async findIncidents(query: FindIncidentsQuery): Promise<RucertIncidentPage> {
    const params = new URLSearchParams({ fields: JSON.stringify(query.fields) });
    if (query.filter?.length) params.set('filter', JSON.stringify(query.filter));
    if (query.sort?.length) params.set('sort', JSON.stringify(query.sort));
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    if (query.offset !== undefined) params.set('offset', String(query.offset));
    const { status, body } = await this.#call('GET', '/incidents', params, undefined, this.#maxListResponseBytes);
    if (!validateListResponse(body)) {
      throw new RucertError(
        'ambiguous',
        `RuCERT answered the incident list in an unexpected shape (${schemaProblem(validateListResponse)})`,
        'invalid_answer',
        status,
      );
    }
    return { result: body.data.result.map(normaliseRecord), next: body.data.next };
  }

  /**
   * The pages of a query, `pageSize` records at a time: stops after the page that says `next: false`, after an
   * empty page, or after maxPages pages. Only the first means the caller saw everything.
   */
  async *pages(query: Omit<FindIncidentsQuery, 'limit' | 'offset'>, pageSize: number, maxPages: number): AsyncGenerator<RucertIncidentPage> {
    for (let page = 0, offset = 0; page < maxPages; page++) {
      const answer = await this.findIncidents({ ...query, limit: pageSize, offset });
      yield answer;
      if (!answer.next || answer.result.length === 0) return;
      offset += answer.result.length;
    }
  }

  /**
   * Looks cards up by a text their description contains (our reference line), oldest first, page by page.
   * The filters NCIRCC offers cannot search the description, so the match is checked here; `exhaustive` is true
   * only when NCIRCC said `next: false`, and only then may the caller conclude "absent".
   */
  async findByText(needle: string, options: FindByTextOptions = {}): Promise<FindByTextResult> {
    if (needle.length === 0) throw new Error('findByText needs a non-empty needle');
    const filter: RucertFilterCondition[] = options.createdSince
      ? [{ property: 'create_time', operator: '>=', value: options.createdSince.toISOString() }]
      : [];
    const query = { fields: LOOKUP_FIELDS, filter, sort: [{ property: 'create_time', direction: 'ASC' as const }] };
    const matches = new Map<string, RucertIncidentMatch>();
    let sawTheEnd = false;
    for await (const page of this.pages(query, options.pageSize ?? 100, options.maxPages ?? 100)) {
      for (const record of page.result) {
        const text = record[DESCRIPTION_FIELD];
        if (typeof text === 'string' && text.includes(needle)) matches.set(record.uuid, matchOf(record));
      }
      sawTheEnd = !page.next;
    }
    return { matches: [...matches.values()], exhaustive: sawTheEnd };
  }

  /** POST {url}/incidents with `uuid`: changes a card (a supplement, a message's status); NCIRCC answers 200. */
  async updateIncident(uuid: string, changes: Record<string, unknown>): Promise<RucertUpdated> {
    const { status, body } = await this.#call('POST', '/incidents', undefined, { ...changes, uuid }, this.#maxResponseBytes);
    return this.#updated(status, body);
  }

  /** POST {url}/comments: a comment on a card, authored by the token's owner. */
  async postComment(uuid: string, text: string): Promise<{ id: string; createTime?: string }> {
    const { status, body } = await this.#call('POST', '/comments', undefined, { 'incident.uuid': uuid, data: { comment: text } }, this.#maxResponseBytes);
    if (!validateCommentCreated(body)) throw this.#unexpected('the stored comment', validateCommentCreated, status);
    return { id: String(body.data.id), ...(body.data.createdAt ? { createTime: body.data.createdAt } : {}) };
  }

  /** GET {url}/incidents/comments (one page, all cards) or GET {url}/incidents/{uuid}/comments (one card). */
  async comments(query: CommentsQuery & { cardUuid?: string } = {}): Promise<RucertComment[]> {
    const params = new URLSearchParams();
    if (query.filter?.length) params.set('filter', JSON.stringify(query.filter));
    if (query.sort?.length) params.set('sort', JSON.stringify(query.sort));
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    if (query.offset !== undefined) params.set('offset', String(query.offset));
    const path = query.cardUuid ? `/incidents/${encodeURIComponent(query.cardUuid)}/comments` : '/incidents/comments';
    const { status, body } = await this.#call('GET', path, params, undefined, this.#maxListResponseBytes);
    if (!validateCommentList(body)) throw this.#unexpected('the comment list', validateCommentList, status);
    return body.data.map(
      (c) => withoutEmpty({ id: String(c.id), cardUuid: c['incident.uuid'], text: c.text, login: c.login, createTime: c.create_time }) as RucertComment,
    );
  }

  /** GET {url}/incidents/{uuid}/files */
  async files(uuid: string): Promise<RucertFile[]> {
    const { status, body } = await this.#call('GET', `/incidents/${encodeURIComponent(uuid)}/files`, undefined, undefined, this.#maxListResponseBytes);
    if (!validateFileList(body)) throw this.#unexpected('the file list', validateFileList, status);
    return body.data.map(
      (f) =>
        withoutEmpty({
          id: String(f.id),
          name: f.name,
          filename: f.filename,
          size: f.size,
          type: f.type,
          md5: f.md5,
          sha1: f.sha1,
          addDate: f.add_date,
        }) as RucertFile,
    );
  }

  /** POST {url}/incidents as multipart/form-data: `uuid`, `company` (MSSP tokens only) and the file, streamed. */
  async attachFile(uuid: string, file: OutgoingFile, company?: string): Promise<RucertUpdated> {
    const boundary = `----rucert-export-${randomBytes(12).toString('hex')}`;
    const field = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    const filename = file.filename.replace(/["\\\r\n]/g, '_');
    const head = Buffer.from(
      field('uuid', uuid) +
        (company !== undefined ? field('company', company) : '') +
        `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${filename}"\r\nContent-Type: ${file.contentType}\r\n\r\n`,
      'utf8',
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8');
    const body = {
      contentType: `multipart/form-data; boundary=${boundary}`,
      length: head.length + file.size + tail.length,
      open: () =>
        Readable.from(
          (async function* () {
            yield head;
            for await (const chunk of file.open()) yield chunk as Buffer;
            yield tail;
          })(),
        ),
    };
    const raw = await this.#exchange('POST', '/incidents', undefined, body, this.#maxResponseBytes);
    const { status, body: answer } = this.#judge(raw);
    return this.#updated(status, answer);
  }

  /** GET {url}/incidents/files/{id}/download: the raw bytes, streamed; at most `maxBytes`. */
  async downloadFile(id: string, maxBytes: number): Promise<{ stream: NodeJS.ReadableStream; contentType?: string; length?: number }> {
    const raw = await this.#exchange('GET', `/incidents/files/${encodeURIComponent(id)}/download`, undefined, undefined, maxBytes, true);
    if (!raw.stream) this.#judge(raw); // an error answer: throws with NCIRCC's reason
    const res = raw.stream!;
    const length = Number(res.headers['content-length']);
    return {
      stream: res,
      ...(res.headers['content-type'] ? { contentType: String(res.headers['content-type']) } : {}),
      ...(Number.isFinite(length) ? { length } : {}),
    };
  }

  #updated(status: number, body: unknown): RucertUpdated {
    if (!validateUpdateResponse(body)) throw this.#unexpected('the changed card', validateUpdateResponse, status);
    const card = body.data[0];
    return { uuid: card.uuid, ...(card.identifier ? { identifier: card.identifier } : {}), ...(card.update_time ? { updateTime: card.update_time } : {}) };
  }

  /** NCIRCC said success in a shape we cannot read: it may well have acted, so only a lookup can tell. */
  #unexpected(what: string, validate: ValidateFunction, status: number): RucertError {
    return new RucertError('ambiguous', `RuCERT answered with ${what} in an unexpected shape (${schemaProblem(validate)})`, 'invalid_answer', status);
  }

  /** GET {url}/incidents?fields=["uuid"]&limit=1 with the configured token. Never throws; the message is for the admin. */
  async check(): Promise<RucertCheckResult> {
    try {
      const query = new URLSearchParams({ fields: JSON.stringify(['uuid']), limit: '1' });
      const { status, body } = await this.#call('GET', '/incidents', query, undefined, this.#maxListResponseBytes);
      if (!validateListResponse(body)) {
        const message = `the server at ${this.#where()} answered, but not with a RuCERT incident list: check the URL (it usually ends with /api/v2)`;
        return { ok: false, status, message };
      }
      return { ok: true, status, message: `Connected to RuCERT at ${this.#where()}: the token was accepted` };
    } catch (error) {
      const e = error instanceof RucertError ? error : new RucertError('ambiguous', 'unexpected error', 'network');
      return { ok: false, ...(e.status !== undefined ? { status: e.status } : {}), message: checkMessage(e) };
    }
  }

  /** One exchange, classified: resolves with the parsed body of a 2xx answer that is not {success: false}. */
  async #call(
    method: 'GET' | 'POST',
    path: string,
    query: URLSearchParams | undefined,
    payload: unknown,
    maxBytes: number,
  ): Promise<{ status: number; body: unknown }> {
    const raw = await this.#exchange(method, path, query, payload === undefined ? undefined : { json: payload }, maxBytes);
    return this.#judge(raw);
  }

  /** Classifies an answer: resolves with the parsed body of a 2xx answer that is not {success: false}. */
  #judge(raw: RawAnswer): { status: number; body: unknown } {
    const body = parseJson(raw.body);
    const rucertMessage = this.#rucertMessage(body);
    const said = rucertMessage ? `: ${rucertMessage}` : '';
    if (REJECTING_STATUSES.has(raw.status)) {
      throw new RucertError('rejected', `RuCERT rejected the request (HTTP ${raw.status})${said}`, 'http_status', raw.status, rucertMessage);
    }
    if (raw.status < 200 || raw.status > 299) {
      throw new RucertError('ambiguous', `RuCERT answered HTTP ${raw.status}${said}`, 'http_status', raw.status, rucertMessage);
    }
    if (isObject(body) && body.success === false) {
      throw new RucertError('rejected', `RuCERT refused the request (success: false)${said}`, 'success_false', raw.status, rucertMessage);
    }
    if (body === undefined) {
      throw new RucertError('ambiguous', `RuCERT answered HTTP ${raw.status} with a body that is not JSON`, 'invalid_answer', raw.status);
    }
    return { status: raw.status, body };
  }

  /**
   * The transport: one connection per exchange (no keep-alive) so that "was anything sent?" has a clear answer.
   * The timeout bounds the whole exchange; while a streamed body is being sent or a streamed answer read, it bounds
   * the silence between two chunks instead, so a 50 MB file is not cut off for being large.
   */
  #exchange(
    method: string,
    path: string,
    query: URLSearchParams | undefined,
    body: OutgoingBody | undefined,
    maxBytes: number,
    stream = false,
  ): Promise<RawAnswer> {
    if (this.#configurationError) return Promise.reject(this.#configurationError);
    const https = this.#base.protocol === 'https:';
    const json = body && 'json' in body ? body.json : undefined;
    const data = json === undefined ? undefined : Buffer.from(json instanceof JsonText ? json.text : JSON.stringify(json), 'utf8');
    const upload = body && 'open' in body ? body : undefined;
    const search = query && [...query.keys()].length > 0 ? `?${query.toString()}` : '';
    const options: RequestOptions & { ca?: string[] } = {
      method,
      hostname: this.#base.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: this.#base.port || (https ? 443 : 80),
      path: `${this.#basePath}${path}${search}`,
      agent: false,
      headers: {
        'x-token': this.#token,
        'Content-Type': upload ? upload.contentType : 'application/json',
        Accept: 'application/json',
        'User-Agent': this.#userAgent,
        ...(data ? { 'Content-Length': data.length } : {}),
        ...(upload ? { 'Content-Length': upload.length } : {}),
      },
      ...(https && this.#ca ? { ca: this.#ca } : {}),
    };
    const where = this.#where();

    return new Promise<RawAnswer>((resolve, reject) => {
      // Once the (TLS) connection is up the request bytes are on their way: from then on a failure may hide a
      // registered notification. Before it, nothing reached RuCERT.
      let connected = false;
      let settled = false;
      const finish = (error: RucertError | null, answer?: RawAnswer) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) {
          req.destroy();
          reject(error);
        } else resolve(answer as RawAnswer);
      };
      const expire = () =>
        finish(
          connected
            ? new RucertError('ambiguous', `RuCERT at ${where} did not answer within ${this.#timeoutMs} ms`, 'timeout')
            : new RucertError('unreachable', `no connection to RuCERT at ${where} within ${this.#timeoutMs} ms`, 'timeout'),
        );
      let timer = setTimeout(expire, this.#timeoutMs);
      const stillMoving = () => {
        clearTimeout(timer);
        timer = setTimeout(expire, this.#timeoutMs);
      };

      const req = (https ? httpsRequest : httpRequest)(options);
      req.on('socket', (socket: Socket) => {
        socket.once(https ? 'secureConnect' : 'connect', () => {
          connected = true;
        });
      });
      req.on('error', (error: NodeJS.ErrnoException) => finish(this.#networkError(error, connected, where)));
      req.on('response', (res: IncomingMessage) => {
        const status = res.statusCode ?? 0;
        const tooLarge = () => new RucertError('ambiguous', `RuCERT's answer (HTTP ${status}) is larger than ${maxBytes} bytes`, 'too_large', status);
        if (Number(res.headers['content-length']) > maxBytes) return finish(tooLarge());
        if (stream && status >= 200 && status <= 299) {
          // the caller reads the body; silence of more than the timeout between chunks ends it
          settled = true;
          clearTimeout(timer);
          res.socket?.setTimeout(this.#timeoutMs, () => res.destroy(new Error(`RuCERT at ${where} stopped sending for ${this.#timeoutMs} ms`)));
          return resolve({ status, body: Buffer.alloc(0), stream: res });
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) finish(tooLarge());
          else chunks.push(chunk);
        });
        res.on('end', () => finish(null, { status, body: Buffer.concat(chunks) }));
        res.on('close', () => {
          if (!res.complete) {
            finish(new RucertError('ambiguous', `the connection to RuCERT at ${where} broke before the whole answer arrived`, 'connection_lost', status));
          }
        });
      });
      if (!upload) return void req.end(data);
      const source = upload.open();
      source.on('data', stillMoving);
      source.on('error', (error: Error) => finish(new RucertError('unreachable', `could not read the file to send: ${error.message}`, 'network')));
      source.pipe(req);
    });
  }

  #networkError(error: NodeJS.ErrnoException, connected: boolean, where: string): RucertError {
    const code = error.code ?? '';
    if (connected) {
      return new RucertError('ambiguous', `the connection to RuCERT at ${where} broke after the request was sent (${code || 'closed'})`, 'connection_lost');
    }
    if (code === 'ECONNREFUSED') return new RucertError('unreachable', `cannot connect to RuCERT at ${where}: connection refused`, 'refused');
    if (DNS_CODES.has(code)) {
      return new RucertError('unreachable', `cannot resolve the RuCERT host "${this.#base.hostname}" (${code})`, 'dns');
    }
    if (isTlsError(error)) {
      return new RucertError(
        'unreachable',
        `TLS handshake with RuCERT at ${where} failed: ${this.#redact(error.message)}; if RuCERT uses a certificate of the Russian national CA, set the root CA in the integration settings`,
        'tls',
      );
    }
    return new RucertError('unreachable', `cannot connect to RuCERT at ${where} (${code || this.#redact(error.message)})`, 'network');
  }

  #rucertMessage(body: unknown): string | undefined {
    if (!isObject(body)) return undefined;
    const text = [body.message, body.error].find((v): v is string => typeof v === 'string' && v.trim() !== '');
    if (text === undefined) return undefined;
    return this.#redact(text.replace(/\p{Cc}+/gu, ' ').trim()).slice(0, MAX_RUCERT_MESSAGE_CHARS);
  }

  /** A server could echo the token back in its message; it must not travel further in ours. */
  #redact(text: string): string {
    return this.#token ? text.split(this.#token).join('[token]') : text;
  }

  #where(): string {
    return this.#base.host;
  }
}

/** What a lookup reads of each card. */
const LOOKUP_FIELDS = ['uuid', 'identifier', 'reg_number', 'create_time', 'status', DESCRIPTION_FIELD] as const;

/** A reference field of a list record (`{id, name}`, as NCIRCC gives a category, a type, a TLP) or a plain string, as its name. */
export function referenceName(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  return isObject(value) && typeof value.name === 'string' && value.name !== '' ? value.name : undefined;
}

function normaliseRecord(record: ListResponse['data']['result'][number]): RucertRecord {
  const { status, ...rest } = record;
  if (status === undefined || status === null) return rest;
  return {
    ...rest,
    status: typeof status === 'string' ? { name: status } : { ...(status.id !== undefined && status.id !== null ? { id: status.id } : {}), name: status.name },
  };
}

function matchOf(record: RucertRecord): RucertIncidentMatch {
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const regNumber = text(record.reg_number);
  return {
    uuid: record.uuid,
    identifier: text(record.identifier) ?? regNumber ?? record.uuid,
    ...(regNumber ? { regNumber } : {}),
    ...(text(record.create_time) ? { createTime: text(record.create_time) } : {}),
    ...(record.status ? { status: record.status } : {}),
  };
}

/**
 * The connection check says what happened and the HTTP status, in our words only. The URL may name any server, not
 * RuCERT, and repeating what it answered would let the check read internal services.
 */
function checkMessage(e: RucertError): string {
  if (e.code === 'success_false') return 'RuCERT refused the request (success: false)';
  if (e.code !== 'http_status' || e.status === undefined) return e.message; // our own wording, no answer text
  if (e.status === 401 || e.status === 403) return `RuCERT refused the token (HTTP ${e.status}): check the token in the integration settings`;
  if (e.status === 404) return 'RuCERT answered HTTP 404: check the URL (it usually ends with /api/v2)';
  return REJECTING_STATUSES.has(e.status) ? `RuCERT rejected the request (HTTP ${e.status})` : `RuCERT answered HTTP ${e.status}`;
}

function parseJson(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function isTlsError(error: NodeJS.ErrnoException): boolean {
  const code = error.code ?? '';
  return (
    code === 'EPROTO' ||
    code.startsWith('ERR_SSL_') ||
    code.startsWith('ERR_TLS_') ||
    /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/.test(code) ||
    /SSL|TLS|certificate/i.test(error.message ?? '')
  );
}

function schemaProblem(validate: ValidateFunction): string {
  const e = validate.errors?.[0];
  return e ? `${e.instancePath || 'the answer'} ${e.message ?? 'is invalid'}` : 'invalid';
}
