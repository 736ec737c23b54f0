// A test double of the NCIRCC (RuCERT) personal-account API, RUCERT.md §5, as a real HTTP server: tests, the fault
// suite and `npm run demo` talk to it exactly as the product talks to RuCERT. It keeps what it received and injects
// faults on demand through a control API under /_control (no token), described in ControlApi below.
// In memory only; not part of the service.
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

export const FAULT_MODES = [
  'http500', // answer 500, store nothing
  'reject400', // answer 400 {success:false}, store nothing
  'success_false', // answer 200 {success:false}, store nothing
  'latency', // wait delayMs (default 1000), then behave normally
  'store_then_reset', // process normally, then destroy the socket instead of answering
  'store_then_hang', // process normally, then never answer (until the server closes)
  'hold', // neither process nor answer until release(); then process and answer if the client is still there
] as const;
export type FaultMode = (typeof FAULT_MODES)[number];

export interface FaultSpec {
  mode: FaultMode;
  /** How many matching requests get the fault: default 1, -1 until cleared. */
  times?: number;
  delayMs?: number;
  /** Which route the fault applies to, as counted by requests(): default "POST /incidents", "*" for any. */
  route?: string;
}

/** A notification as stored: what RuCERT assigned, and the body exactly as it was posted. */
export interface StoredNotification {
  uuid: string;
  identifier: string;
  create_time: string;
  status: string;
  body: Record<string, unknown>;
}

export interface SimulatorOptions {
  /** 0 or omitted: a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  token: string;
  /** Path prefix of the API, such as "/api/v2"; default none. The control API answers with and without it. */
  prefix?: string;
}

export interface RucertSimulator {
  /** Base URL of the API including the prefix: what the integration settings take as `url`. */
  url: string;
  /** Scheme, host and port: the control API lives at `${origin}/_control`. */
  origin: string;
  port: number;
  received(): StoredNotification[];
  requests(): Record<string, number>;
  addFault(fault: FaultSpec): void;
  clearFaults(): void;
  /** Number of requests held by a `hold` fault right now. */
  held(): number;
  /** Processes and answers every held request; returns how many. */
  release(): number;
  reset(): void;
  /** Stops listening and destroys every open socket, hanging and held ones included. */
  close(): Promise<void>;
}

// Control API (no token), under /_control or <prefix>/_control:
//   POST   /_control/faults    {mode, times?, delayMs?, route?} → 201 {queued}   (queued in order)
//   GET    /_control/faults    → {faults}
//   DELETE /_control/faults    → {cleared}
//   GET    /_control/received  → [StoredNotification…]
//   GET    /_control/requests  → {"POST /incidents": n, …}   every request to the API, before the token check
//   GET    /_control/held      → {held}
//   POST   /_control/release   → {released}
//   POST   /_control/reset     → {ok: true}   forgets notifications, comments, faults, counts; drops held requests

export const STATUS_UNDER_EXAMINATION = 'Проверка НКЦКИ';
const MAX_BODY_BYTES = 64 * 1024 * 1024; // a 500,000-character Cyrillic field is ~1 MB; leave plenty of room
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;
const FILTER_OPERATORS = ['=', '>=', '<=', 'like', 'contains'];

interface Answer {
  status: number;
  body: unknown;
}

interface QueuedFault {
  mode: FaultMode;
  remaining: number;
  delayMs: number;
  route: string;
}

interface Comment {
  uuid: string;
  incident_uuid: string;
  comment: unknown;
  create_time: string;
}

interface ApiRequest {
  route: string;
  uuid?: string;
  query: URLSearchParams;
  body: unknown;
}

export async function startRucertSimulator(options: SimulatorOptions): Promise<RucertSimulator> {
  if (!options.token) throw new Error('the simulator needs a token');
  const host = options.host ?? '127.0.0.1';
  const prefix = normalizePrefix(options.prefix ?? '');
  const expectedToken = Buffer.from(options.token, 'utf8');

  let notifications: StoredNotification[] = [];
  let comments: Comment[] = [];
  let faults: QueuedFault[] = [];
  let counts: Record<string, number> = {};
  let sequence = 0;
  let heldRequests: Array<{ request: ApiRequest; res: ServerResponse }> = [];
  const timers = new Set<NodeJS.Timeout>();

  // ---- the API ----

  function processApi(request: ApiRequest): Answer {
    switch (request.route) {
      case 'POST /incidents':
        return createIncident(request.body);
      case 'GET /incidents':
        return listIncidents(request.query);
      case 'POST /comments':
        return addComment(request.body);
      case 'GET /incidents/:uuid/comments':
        return listComments(request.uuid as string, request.query);
      case 'GET /companies':
        return listCompanies(request.query);
      default:
        return fail(404, 'Not found');
    }
  }

  function createIncident(body: unknown): Answer {
    if (!isObject(body)) return fail(400, 'The body must be a JSON object');
    for (const field of ['company', 'category', 'type']) {
      const value = body[field];
      if (typeof value !== 'string' || value.trim() === '') return fail(400, `Field "${field}" is required`);
    }
    const now = new Date();
    sequence += 1;
    const stored: StoredNotification = {
      uuid: randomUUID(),
      identifier: `INC-${now.getUTCFullYear()}-${String(sequence).padStart(5, '0')}`,
      create_time: now.toISOString(),
      status: STATUS_UNDER_EXAMINATION,
      body,
    };
    notifications.push(stored);
    return { status: 200, body: { success: true, data: [{ uuid: stored.uuid, identifier: stored.identifier, create_time: stored.create_time }] } };
  }

  function listIncidents(query: URLSearchParams): Answer {
    const filter = parseFilter(query.get('filter'));
    if (typeof filter === 'string') return fail(400, filter);
    const records = notifications.map(asIncidentRecord).filter((r) => filter.every((f) => matches(r, f)));
    return page(records, query);
  }

  function addComment(body: unknown): Answer {
    if (!isObject(body) || typeof body['incident.uuid'] !== 'string' || !isObject(body.data)) {
      return fail(400, 'Expected {"incident.uuid": "…", "data": {"comment": "…"}}');
    }
    const incidentUuid = body['incident.uuid'];
    if (!notifications.some((n) => n.uuid === incidentUuid)) return fail(404, 'Incident not found');
    const comment: Comment = { uuid: randomUUID(), incident_uuid: incidentUuid, comment: body.data.comment, create_time: new Date().toISOString() };
    comments.push(comment);
    return { status: 200, body: { success: true, data: [{ uuid: comment.uuid, create_time: comment.create_time }] } };
  }

  function listComments(incidentUuid: string, query: URLSearchParams): Answer {
    if (!notifications.some((n) => n.uuid === incidentUuid)) return fail(404, 'Incident not found');
    return page(
      comments.filter((c) => c.incident_uuid === incidentUuid),
      query,
    );
  }

  function listCompanies(query: URLSearchParams): Answer {
    // The companies this simulator has heard of: those named in the notifications it stored.
    const names = [...new Set(notifications.map((n) => n.body.company as string))];
    return page(
      names.map((name, index) => ({ id: index + 1, name })),
      query,
    );
  }

  // ---- fault injection ----

  function takeFault(route: string): QueuedFault | undefined {
    const index = faults.findIndex((f) => f.route === '*' || f.route === route);
    if (index < 0) return undefined;
    const fault = faults[index];
    if (fault.remaining > 0 && --fault.remaining === 0) faults.splice(index, 1);
    return fault;
  }

  function addFault(spec: FaultSpec): void {
    if (!FAULT_MODES.includes(spec?.mode)) throw new Error(`mode must be one of ${FAULT_MODES.join(', ')}`);
    const times = spec.times ?? 1;
    if (!Number.isInteger(times) || (times < 1 && times !== -1)) throw new Error('times must be a positive integer or -1');
    const delayMs = spec.delayMs ?? 1000;
    if (!Number.isInteger(delayMs) || delayMs < 0) throw new Error('delayMs must be a non-negative integer');
    if (spec.route !== undefined && typeof spec.route !== 'string') throw new Error('route must be a string');
    faults.push({ mode: spec.mode, remaining: times, delayMs, route: spec.route ?? 'POST /incidents' });
  }

  function release(): number {
    const released = heldRequests;
    heldRequests = [];
    for (const { request, res } of released) {
      // Processed even when the client has gone: a real server that has read a request finishes it. This is the
      // case the crash test needs: the exporter dies, RuCERT still registers the notification.
      const answer = processApi(request);
      if (!res.destroyed) send(res, answer);
    }
    return released.length;
  }

  function reset(): void {
    for (const { res } of heldRequests) res.destroy();
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    notifications = [];
    comments = [];
    faults = [];
    counts = {};
    sequence = 0;
    heldRequests = [];
  }

  // ---- HTTP plumbing ----

  async function handleApi(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams, body: unknown): Promise<void> {
    const request = routeOf(req.method ?? 'GET', path, query, body);
    counts[request.route] = (counts[request.route] ?? 0) + 1;
    if (!tokenMatches(req.headers['x-token'])) return send(res, fail(401, 'Invalid or missing x-token'));

    const fault = takeFault(request.route);
    switch (fault?.mode) {
      case undefined:
        return send(res, processApi(request));
      case 'http500':
        return send(res, fail(500, 'Simulated internal server error'));
      case 'reject400':
        return send(res, fail(400, 'Simulated rejection of the notification'));
      case 'success_false':
        return send(res, { status: 200, body: { success: false, message: 'Simulated failure', error: 'simulated' } });
      case 'latency': {
        await delay(fault.delayMs);
        // Processed even if the client gave up meanwhile, as a slow real server would: that is what makes a
        // client-side timeout ambiguous.
        const answer = processApi(request);
        if (!res.destroyed) send(res, answer);
        return;
      }
      case 'store_then_reset':
        processApi(request);
        res.socket?.destroy();
        return;
      case 'store_then_hang':
        processApi(request); // and never answer: close() destroys the socket
        return;
      case 'hold':
        heldRequests.push({ request, res });
        return;
    }
  }

  function handleControl(req: IncomingMessage, res: ServerResponse, path: string, body: unknown): void {
    const route = `${req.method} ${path}`;
    try {
      switch (route) {
        case 'POST /_control/faults':
          addFault(body as FaultSpec);
          return send(res, { status: 201, body: { queued: faults } });
        case 'GET /_control/faults':
          return send(res, { status: 200, body: { faults } });
        case 'DELETE /_control/faults': {
          const cleared = faults.length;
          faults = [];
          return send(res, { status: 200, body: { cleared } });
        }
        case 'GET /_control/received':
          return send(res, { status: 200, body: notifications });
        case 'GET /_control/requests':
          return send(res, { status: 200, body: counts });
        case 'GET /_control/held':
          return send(res, { status: 200, body: { held: heldRequests.length } });
        case 'POST /_control/release':
          return send(res, { status: 200, body: { released: release() } });
        case 'POST /_control/reset':
          reset();
          return send(res, { status: 200, body: { ok: true } });
        default:
          return send(res, fail(404, `No control route ${route}`));
      }
    } catch (error) {
      return send(res, fail(400, (error as Error).message));
    }
  }

  function tokenMatches(header: string | string[] | undefined): boolean {
    if (typeof header !== 'string') return false;
    const given = Buffer.from(header, 'utf8');
    return given.length === expectedToken.length && timingSafeEqual(given, expectedToken);
  }

  function delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });
  }

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://simulator');
      const body = await readJsonBody(req);
      if (body === TOO_LARGE) return send(res, fail(413, 'Request body too large'), true);
      if (body === NOT_JSON) return send(res, fail(400, 'The body is not valid JSON'));
      let path = url.pathname;
      if (prefix && (path === prefix || path.startsWith(`${prefix}/`))) path = path.slice(prefix.length) || '/';
      else if (prefix && !path.startsWith('/_control')) return send(res, fail(404, 'Not found'));
      if (path === '/_control' || path.startsWith('/_control/')) return handleControl(req, res, path, body);
      return handleApi(req, res, path, url.searchParams, body);
    })().catch((error: Error) => {
      if (!res.headersSent && !res.destroyed) send(res, fail(500, `Simulator error: ${error.message}`));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    url: origin + prefix,
    origin,
    port,
    received: () => notifications.map((n) => structuredClone(n)),
    requests: () => ({ ...counts }),
    addFault,
    clearFaults: () => {
      faults = [];
    },
    held: () => heldRequests.length,
    release,
    reset,
    close: () =>
      new Promise<void>((resolve) => {
        reset();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// ---- helpers without state ----

const TOO_LARGE = Symbol('too large');
const NOT_JSON = Symbol('not json');

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return TOO_LARGE;
    chunks.push(chunk);
  }
  if (size === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return NOT_JSON;
  }
}

function routeOf(method: string, path: string, query: URLSearchParams, body: unknown): ApiRequest {
  const trimmed = path.replace(/\/+$/, '') || '/';
  if (trimmed === '/incidents' && (method === 'POST' || method === 'GET')) return { route: `${method} /incidents`, query, body };
  if (trimmed === '/comments' && method === 'POST') return { route: 'POST /comments', query, body };
  if (trimmed === '/companies' && method === 'GET') return { route: 'GET /companies', query, body };
  const comments = /^\/incidents\/([^/]+)\/comments$/.exec(trimmed);
  if (comments && method === 'GET') return { route: 'GET /incidents/:uuid/comments', uuid: decodeURIComponent(comments[1]), query, body };
  return { route: `${method} (unknown route)`, query, body };
}

function send(res: ServerResponse, answer: Answer, closeConnection = false): void {
  const json = JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(json),
    ...(closeConnection ? { Connection: 'close' } : {}),
  });
  res.end(json);
}

function fail(status: number, message: string): Answer {
  return { status, body: { success: false, message, error: message } };
}

function page(records: unknown[], query: URLSearchParams): Answer {
  const limit = parseCount(query.get('limit'), DEFAULT_LIMIT);
  const offset = parseCount(query.get('offset'), 0);
  if (limit === undefined || offset === undefined) return fail(400, 'limit and offset must be non-negative integers');
  const slice = records.slice(offset, offset + Math.min(limit, MAX_LIMIT));
  return { status: 200, body: { success: true, data: { result: slice, total: records.length } } };
}

function parseCount(text: string | null, fallback: number): number | undefined {
  if (text === null || text === '') return fallback;
  return /^\d{1,9}$/.test(text) ? Number(text) : undefined;
}

interface Condition {
  property: string;
  operator: string;
  value: unknown;
}

/** Returns the conditions or a message for the 400 answer. */
function parseFilter(text: string | null): Condition[] | string {
  if (text === null || text === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'filter is not valid JSON';
  }
  if (!Array.isArray(parsed)) return 'filter must be a JSON array of {property, operator, value}';
  for (const c of parsed) {
    if (!isObject(c) || typeof c.property !== 'string' || typeof c.operator !== 'string' || !('value' in c)) {
      return 'filter must be a JSON array of {property, operator, value}';
    }
    if (!FILTER_OPERATORS.includes(c.operator)) return `unsupported filter operator "${c.operator}"`;
  }
  return parsed as Condition[];
}

function matches(record: Record<string, unknown>, { property, operator, value }: Condition): boolean {
  const actual = record[property];
  switch (operator) {
    case '=':
      return actual === value;
    case '>=':
    case '<=': {
      const comparable = (typeof actual === 'string' && typeof value === 'string') || (typeof actual === 'number' && typeof value === 'number');
      if (!comparable) return false;
      return operator === '>=' ? (actual as string | number) >= (value as string | number) : (actual as string | number) <= (value as string | number);
    }
    case 'like':
    case 'contains':
      // SQL-style "%needle%" and a bare "needle" both mean: contains the needle.
      return typeof actual === 'string' && typeof value === 'string' && actual.includes(value.replace(/^%+|%+$/g, ''));
    default:
      return false;
  }
}

function asIncidentRecord(n: StoredNotification): Record<string, unknown> {
  return { ...n.body, uuid: n.uuid, identifier: n.identifier, create_time: n.create_time, status: n.status };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function normalizePrefix(prefix: string): string {
  const trimmed = prefix.trim().replace(/\/+$/, '');
  if (trimmed === '') return '';
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}
