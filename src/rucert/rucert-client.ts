// HTTP client of the NCIRCC (RuCERT) personal-account API, RUCERT.md §5, on node:http/node:https.
// It owns two things the once-only export depends on (ARCHITECTURE.md §5):
//  - classifying every failure as `rejected` (RuCERT definitely refused), `unreachable` (the request provably never
//    reached RuCERT) or `ambiguous` (it may have been registered: only a lookup can tell);
//  - treating answers as untrusted: size-bounded, parsed defensively, checked against schemas/rucert/*.
// The token is sent in `x-token` and appears in no message or property of anything this module produces.
// Framework-free on purpose: the Nest module wraps it.
import { request as httpRequest, IncomingMessage, RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { X509Certificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import { Socket } from 'node:net';
import Ajv, { ValidateFunction } from 'ajv';
import createResponseSchema from '../../schemas/rucert/create-response.schema.json';
import listResponseSchema from '../../schemas/rucert/list-response.schema.json';
import type { RuCERTAnswerToPOSTIncidentsSuccess as CreateResponse } from '../generated/rucert/create-response';
import type { RuCERTAnswerToGETIncidentsSuccess as ListResponse } from '../generated/rucert/list-response';
import { isObject } from '../schema/json';

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
}

export interface RucertCreated {
  uuid: string;
  identifier: string;
  createTime: string;
}

export interface RucertFilterCondition {
  property: string;
  operator: string;
  value: string | number | boolean;
}

export interface FindIncidentsQuery {
  filter?: RucertFilterCondition[];
  limit?: number;
  offset?: number;
}

export interface RucertIncidentPage {
  result: Array<Record<string, unknown>>;
  total: number;
}

export interface RucertIncidentMatch {
  uuid: string;
  identifier: string;
  createTime?: string;
  status?: string;
}

export interface FindByTextOptions {
  /** Only notifications created at or after this instant (a `create_time >=` filter, the one RUCERT.md documents). */
  createdSince?: Date;
  pageSize?: number;
  maxPages?: number;
}

export interface FindByTextResult {
  matches: RucertIncidentMatch[];
  /** True when every candidate was seen, so an empty `matches` means "definitely absent". */
  exhaustive: boolean;
}

export interface RucertCheckResult {
  ok: boolean;
  status?: number;
  message: string;
}

const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
const DEFAULT_MAX_LIST_RESPONSE_BYTES = 32 * 1024 * 1024;
const MAX_RUCERT_MESSAGE_CHARS = 500;
// ARCHITECTURE.md §5: the statuses that are a definite "no". Any other 4xx (404 behind a proxy, 409, 429…) does not
// prove that nothing was registered, so it is ambiguous: a lookup settles it, a blind retry could duplicate.
const REJECTING_STATUSES = new Set([400, 401, 403, 422]);
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL']);

const ajv = new Ajv({ allErrors: false, strict: true });
const validateCreateResponse = ajv.compile<CreateResponse>(createResponseSchema);
const validateListResponse = ajv.compile<ListResponse>(listResponseSchema);

interface RawAnswer {
  status: number;
  body: Buffer;
}

export class RucertClient {
  #token = ''; // private field: not enumerable, not in JSON.stringify or util.inspect of the client
  #base = new URL('http://unconfigured.invalid');
  #basePath = ''; // without a trailing slash: "" or "/api/v2"
  #timeoutMs = 15000;
  #ca?: string[];
  #maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;
  #maxListResponseBytes = DEFAULT_MAX_LIST_RESPONSE_BYTES;
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
  async createIncident(payload: Record<string, unknown>): Promise<RucertCreated> {
    const { body } = await this.#call('POST', '/incidents', undefined, payload, this.#maxResponseBytes);
    if (!validateCreateResponse(body)) {
      // RuCERT said success but we cannot read what it registered: it may well exist, so only a lookup can tell.
      throw new RucertError('ambiguous', `RuCERT answered success in an unexpected shape (${schemaProblem(validateCreateResponse)})`, 'invalid_answer', 200);
    }
    const created = body.data[0];
    return { uuid: created.uuid, identifier: created.identifier, createTime: created.create_time };
  }

  /** GET {url}/incidents?filter=<json>&limit=&offset= */
  async findIncidents(query: FindIncidentsQuery = {}): Promise<RucertIncidentPage> {
    const params = new URLSearchParams();
    if (query.filter && query.filter.length > 0) params.set('filter', JSON.stringify(query.filter));
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
    return { result: body.data.result, total: body.data.total };
  }

  /**
   * Looks notifications up by a text their `event_description` contains (our incident id), page by page, at most
   * maxPages pages. The match is checked here whatever the server filters, and `exhaustive` is false when the
   * pages ran out before `total`: the caller must then not conclude "absent".
   */
  async findByText(needle: string, options: FindByTextOptions = {}): Promise<FindByTextResult> {
    if (needle.length === 0) throw new Error('findByText needs a non-empty needle');
    const pageSize = options.pageSize ?? 10;
    const maxPages = options.maxPages ?? 100;
    const filter: RucertFilterCondition[] = options.createdSince
      ? [{ property: 'create_time', operator: '>=', value: options.createdSince.toISOString() }]
      : [];
    const matches = new Map<string, RucertIncidentMatch>();
    for (let pageIndex = 0, offset = 0; pageIndex < maxPages; pageIndex++) {
      const page = await this.findIncidents({ filter, limit: pageSize, offset });
      for (const record of page.result) {
        if (typeof record.event_description === 'string' && record.event_description.includes(needle)) {
          matches.set(record.uuid as string, {
            uuid: record.uuid as string,
            identifier: record.identifier as string,
            ...(typeof record.create_time === 'string' ? { createTime: record.create_time } : {}),
            ...(typeof record.status === 'string' ? { status: record.status } : {}),
          });
        }
      }
      offset += page.result.length;
      if (page.result.length === 0 || offset >= page.total) return { matches: [...matches.values()], exhaustive: true };
    }
    return { matches: [...matches.values()], exhaustive: false };
  }

  /** GET {url}/incidents?limit=1 with the configured token. Never throws; the message is for the admin. */
  async check(): Promise<RucertCheckResult> {
    try {
      const { status, body } = await this.#call('GET', '/incidents', new URLSearchParams({ limit: '1' }), undefined, this.#maxListResponseBytes);
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
    const raw = await this.#exchange(method, path, query, payload, maxBytes);
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

  /** The transport: one connection per exchange (no keep-alive) so that "was anything sent?" has a clear answer. */
  #exchange(method: string, path: string, query: URLSearchParams | undefined, payload: unknown, maxBytes: number): Promise<RawAnswer> {
    if (this.#configurationError) return Promise.reject(this.#configurationError);
    const https = this.#base.protocol === 'https:';
    const data = payload === undefined ? undefined : Buffer.from(JSON.stringify(payload), 'utf8');
    const search = query && [...query.keys()].length > 0 ? `?${query.toString()}` : '';
    const options: RequestOptions & { ca?: string[] } = {
      method,
      hostname: this.#base.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: this.#base.port || (https ? 443 : 80),
      path: `${this.#basePath}${path}${search}`,
      agent: false,
      headers: {
        'x-token': this.#token,
        'Content-Type': 'application/json',
        Accept: 'application/json',
        'User-Agent': 'rucert-export',
        ...(data ? { 'Content-Length': data.length } : {}),
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
      const timer = setTimeout(() => {
        finish(
          connected
            ? new RucertError('ambiguous', `RuCERT at ${where} did not answer within ${this.#timeoutMs} ms`, 'timeout')
            : new RucertError('unreachable', `no connection to RuCERT at ${where} within ${this.#timeoutMs} ms`, 'timeout'),
        );
      }, this.#timeoutMs);

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
      req.end(data);
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
