// A contract-faithful emulator of the NCIRCC (НКЦКИ, RuCERT) personal-account API, docs/ncircc.md, as a real HTTP
// server: tests, the fault suite and `npm run demo` talk to it exactly as the product talks to NCIRCC. The rules
// come as data from schemas/ncircc/<profile>/ (contract.ts); this module wires the server: the token, the API routes
// (api-routes.ts), NCIRCC's side of the life cycle (lifecycle.ts), faults (faults.ts) and the control API
// (control-routes.ts). In memory only; not part of the service.
import { timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { ApiRequest, processApi } from './api-routes';
import { Contract } from './contract';
import { handleControl } from './control-routes';
import { Faults, FaultSpec, QueuedFault } from './faults';
import { contractError, isMultipart, normalizePrefix, NOT_JSON, readJson, routeOf, send, TOO_LARGE } from './http';
import { Lifecycle, MessageInput } from './lifecycle';
import { readMultipart, REQUEST_TOO_LARGE } from './multipart';
import { References } from './records';
import { Card, FileInfo, Store, StoredComment, StoredUpdate } from './store';

export { FAULT_MODES } from './faults';
export type { FaultMode, FaultSpec, QueuedFault } from './faults';
export type { MessageInput } from './lifecycle';
export type { Card as CardView, FileInfo, StoredComment, StoredUpdate } from './store';

export const STATUS_UNDER_EXAMINATION = 'Проверка НКЦКИ';

/** The API profiles shipped in schemas/ncircc/; another folder there is another profile. */
export type NcirccProfile = '1.1.2' | '1.0';

/** A notification created through the API: what NCIRCC assigned, and the create body exactly as it was posted. */
export interface StoredNotification {
  uuid: string;
  identifier: string;
  create_time: string;
  category: string;
  /** The current status name. */
  status: string;
  reg_number: string | null;
  updated: string;
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
  /** The folder of schemas/ncircc/ whose rules apply; default "1.1.2". */
  profile?: NcirccProfile | (string & {});
  /** Where the profile folders are; default <repository>/schemas/ncircc. */
  profilesDir?: string;
  /** The token belongs to an MSSP provider: `company` is then required in every request, and refused otherwise. */
  mssp?: boolean;
  /** The token owner's login: the author of comments posted with the token. Default "soc-api". */
  login?: string;
  /** The organisation of a non-MSSP token (the `company` of its cards). Default «АО "Ромашка"». */
  organization?: string;
  /** MSSP only: the organisations the token may name in `company`; any when omitted. */
  companies?: string[];
  /** The login of NCIRCC's comments made through the control API; default "ТИ НКЦКИ". */
  operatorLogin?: string;
  /** Prefix of generated registration numbers, <prefix>-YY-MM-N; default "RMSH". */
  regNumberPrefix?: string;
  /** Demo life cycle: a notification in "Проверка НКЦКИ" (created or supplemented) is registered after this many ms. */
  autoRegisterMs?: number;
  /** The emulator's clock (create_time, updated, the "not in the future" rule); default the system clock. */
  now?: () => Date;
  /** Bytes of uploaded files kept in all; default 256 MiB. */
  maxStoredFileBytes?: number;
}

export interface RucertSimulator {
  /** Base URL of the API including the prefix: what the integration settings take as `url`. */
  url: string;
  /** Scheme, host and port: the control API lives at `${origin}/_control`. */
  origin: string;
  port: number;
  profile: string;
  mssp: boolean;
  login: string;
  organization: string;
  received(): StoredNotification[];
  updates(): StoredUpdate[];
  comments(): StoredComment[];
  files(): FileInfo[];
  fileContent(id: number): Buffer | undefined;
  cards(): Card[];
  card(uuid: string): Card | undefined;
  requests(): Record<string, number>;
  /** The latest API requests in arrival order (bounded): which client asked what, when. */
  requestLog(): LoggedRequest[];
  addFault(fault: FaultSpec): void;
  faults(): QueuedFault[];
  clearFaults(): void;
  /** Number of requests held by a `hold` fault right now. */
  held(): number;
  /** Processes and answers every held request; returns how many. */
  release(): number;
  /** Forgets cards, comments, files, updates, faults and counts; drops held requests. */
  reset(): void;
  /** Stops listening and destroys every open socket, hanging and held ones included. */
  close(): Promise<void>;
  setStatus(uuid: string, status: string, comment?: { text?: string; login?: string }): Card;
  assignRegNumber(uuid: string, regNumber?: string): Card;
  register(uuid: string, regNumber?: string): Card;
  requestSupplement(uuid: string, comment?: { text?: string; login?: string }): Card;
  addOperatorComment(uuid: string, text: string, login?: string): StoredComment;
  createMessage(input?: MessageInput): Card;
}

/** One API request as it arrived, before the token check. */
export interface LoggedRequest {
  at: number;
  route: string;
  userAgent: string;
  offset?: string;
}

const MAX_LOGGED_REQUESTS = 100_000;
const MAX_JSON_BODY_BYTES = 16 * 1024 * 1024; // a 500,000-character Cyrillic field (profile 1.0) is ~1 MB
const MAX_CONTROL_BODY_BYTES = 4 * 1024 * 1024;
const MAX_FILES_PER_REQUEST = 20;
const MAX_KEPT_BYTES_PER_REQUEST = 110 * 1024 * 1024;
const DEFAULT_MAX_STORED_FILE_BYTES = 256 * 1024 * 1024;

export async function startRucertSimulator(options: SimulatorOptions): Promise<RucertSimulator> {
  if (!options.token) throw new Error('the emulator needs a token');
  const host = options.host ?? '127.0.0.1';
  const prefix = normalizePrefix(options.prefix ?? '');
  const expectedToken = Buffer.from(options.token, 'utf8');
  const mssp = options.mssp ?? false;
  const clock = options.now ?? (() => new Date());
  const contract = Contract.load(options.profile ?? '1.1.2', { now: () => clock().getTime(), mssp }, options.profilesDir);
  const config = contract.config;
  const token = { mssp, login: options.login ?? 'soc-api', organization: options.organization ?? 'АО "Ромашка"', companies: options.companies };
  const store = new Store(clock, config.updatedMovesOn, options.maxStoredFileBytes ?? DEFAULT_MAX_STORED_FILE_BYTES);
  const refs = new References(config);
  const lifecycle = new Lifecycle(store, config, {
    organization: token.organization,
    regNumberPrefix: options.regNumberPrefix ?? 'RMSH',
    operatorLogin: options.operatorLogin ?? 'ТИ НКЦКИ',
    autoRegisterMs: options.autoRegisterMs,
  });
  const ctx = { contract, store, refs, lifecycle, token };
  const faults = new Faults<{ request: ApiRequest; res: ServerResponse }>();
  let counts: Record<string, number> = {};
  let log: LoggedRequest[] = [];

  function release(): number {
    const released = faults.takeHeld();
    for (const { request, res } of released) {
      // Processed even when the client has gone: a real server that has read a request finishes it. This is the
      // case the crash test needs: the exporter dies, NCIRCC still registers the notification.
      const answer = processApi(ctx, request);
      if (!res.destroyed) send(res, answer);
    }
    return released.length;
  }

  function reset(): void {
    for (const { res } of faults.reset()) res.destroy();
    lifecycle.reset();
    store.reset();
    counts = {};
    log = [];
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> {
    const method = req.method ?? 'GET';
    const route = routeOf(method, path);
    const request: ApiRequest = { route, query };
    if (route.key === 'POST /incidents' && isMultipart(req)) {
      const maxFileBytes = config.maxFileBytes;
      const parsed = await readMultipart(req, { maxFileBytes, maxFiles: MAX_FILES_PER_REQUEST, maxKeptBytes: MAX_KEPT_BYTES_PER_REQUEST });
      if (parsed === REQUEST_TOO_LARGE) return send(res, contractError(413, `Запрос больше, чем эмулятор принимает (файл до ${maxFileBytes} байт)`), true);
      request.multipart = parsed;
    } else {
      const body = await readJson(req, MAX_JSON_BODY_BYTES);
      if (body === TOO_LARGE) return send(res, contractError(413, `Тело запроса больше ${MAX_JSON_BODY_BYTES} байт`), true);
      if (body === NOT_JSON) return send(res, contractError(400, 'Тело запроса не является JSON'));
      request.json = body;
    }
    counts[route.key] = (counts[route.key] ?? 0) + 1;
    log.push({ at: Date.now(), route: route.key, userAgent: String(req.headers['user-agent'] ?? ''), offset: query.get('offset') ?? undefined });
    if (log.length > MAX_LOGGED_REQUESTS) log.splice(0, log.length - MAX_LOGGED_REQUESTS);
    if (!tokenMatches(req.headers['x-token'])) return send(res, contractError(config.badTokenStatus, 'Передан неверный токен'));

    const fault = faults.take(route.key);
    switch (fault?.mode) {
      case undefined:
        return send(res, processApi(ctx, request));
      case 'http500':
        return send(res, contractError(500, 'Внутренняя ошибка сервера (сбой эмулятора по заказу)'));
      case 'reject400':
        return send(res, contractError(400, 'Уведомление отклонено (сбой эмулятора по заказу)'));
      case 'success_false':
        return send(res, { status: 200, body: { success: false, message: 'Сбой эмулятора по заказу', error: 'Сбой эмулятора по заказу' } });
      case 'latency': {
        await faults.delay(fault.delayMs);
        // Processed even if the client gave up meanwhile, as a slow real server would: that is what makes a
        // client-side timeout ambiguous.
        const answer = processApi(ctx, request);
        if (!res.destroyed) send(res, answer);
        return;
      }
      case 'store_then_reset':
        processApi(ctx, request);
        res.socket?.destroy();
        return;
      case 'store_then_hang':
        processApi(ctx, request); // and never answer: close() destroys the socket
        return;
      case 'hold':
        faults.hold({ request, res });
        return;
    }
  }

  function tokenMatches(header: string | string[] | undefined): boolean {
    if (typeof header !== 'string') return false;
    const given = Buffer.from(header, 'utf8');
    return given.length === expectedToken.length && timingSafeEqual(given, expectedToken);
  }

  const isControl = (path: string) => path === '/_control' || path.startsWith('/_control/');
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://emulator');
      let path = url.pathname;
      if (prefix && (path === prefix || path.startsWith(`${prefix}/`))) path = path.slice(prefix.length) || '/';
      else if (prefix && !isControl(path)) {
        req.resume();
        return send(res, contractError(404, 'Ресурс не найден'));
      }
      if (!isControl(path)) return handleApi(req, res, path, url.searchParams);
      const body = await readJson(req, MAX_CONTROL_BODY_BYTES);
      if (body === TOO_LARGE) return send(res, contractError(413, 'control body too large'), true);
      if (body === NOT_JSON) return send(res, contractError(400, 'the control body is not valid JSON'));
      return send(res, handleControl(simulator, req.method ?? 'GET', path, body));
    })().catch((error: Error) => send(res, contractError(500, `Ошибка эмулятора: ${error.message}`)));
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
  const clone = <T>(value: T): T => structuredClone(value);

  const simulator: RucertSimulator = {
    url: origin + prefix,
    origin,
    port,
    profile: contract.profile,
    mssp,
    login: token.login,
    organization: token.organization,
    received: () =>
      store
        .cards()
        .filter((c) => c.kind === 'notification')
        .map(({ uuid, identifier, create_time, category, status, reg_number, updated, body }) =>
          clone({ uuid, identifier, create_time, category, status, reg_number, updated, body }),
        ),
    updates: () => clone([...store.updates()]),
    comments: () => clone([...store.comments()]),
    files: () => store.files(),
    fileContent: (id) => (store.file(id)?.bytes ? Buffer.from(store.file(id)!.bytes) : undefined),
    cards: () => clone([...store.cards()]),
    card: (uuid) => (store.find(uuid) ? clone(store.find(uuid)) : undefined),
    requests: () => ({ ...counts }),
    requestLog: () => [...log],
    addFault: (spec) => faults.add(spec),
    faults: () => faults.list(),
    clearFaults: () => void faults.clear(),
    held: () => faults.held(),
    release,
    reset,
    close: () =>
      new Promise<void>((resolve) => {
        reset();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
    setStatus: (uuid, status, comment) => clone(lifecycle.setStatus(uuid, status, comment)),
    assignRegNumber: (uuid, regNumber) => clone(lifecycle.assignRegNumber(uuid, regNumber)),
    register: (uuid, regNumber) => clone(lifecycle.register(uuid, regNumber)),
    requestSupplement: (uuid, comment) => clone(lifecycle.requestSupplement(uuid, comment)),
    addOperatorComment: (uuid, text, login) => clone(lifecycle.addComment(uuid, text, login)),
    createMessage: (input) => clone(lifecycle.createMessage(input)),
  };
  return simulator;
}
