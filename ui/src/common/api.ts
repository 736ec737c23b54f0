// The one way the UI talks to the service: JSON over fetch with the session's bearer token and the UI language,
// problem details (RFC 9457) surfaced as ApiError so screens can show the message and map field errors.
import type { Problem } from './api-types';
import { getLang } from './i18n';

export type { Problem };
export type FieldProblem = NonNullable<Problem['errors']>[number];

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail || problem.title);
  }
  get status(): number {
    return this.problem.status;
  }
  get code(): string {
    return this.problem.code;
  }
}

const TOKEN_KEY = 'rucert-export.token';

export function getToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}
export function setToken(token: string | null): void {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

type UnauthorizedListener = () => void;
let onUnauthorized: UnauthorizedListener = () => {};
/** The session signs out when the service stops accepting the token (revoked while signed in). */
export function setUnauthorizedListener(listener: UnauthorizedListener): void {
  onUnauthorized = listener;
}

export interface RequestOptions {
  body?: unknown;
  /** Use this token instead of the session's (sign-in probes). */
  token?: string;
  signal?: AbortSignal;
}

/** A call to the service: the Response when it succeeded, an ApiError with the problem details when not. */
async function call(method: string, path: string, options: RequestOptions & { form?: FormData; accept?: string } = {}): Promise<Response> {
  const token = options.token ?? getToken();
  const headers: Record<string, string> = { Accept: options.accept ?? 'application/json', 'Accept-Language': getLang() };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(`/api${path}`, {
      method,
      headers,
      // multipart: the browser sets the content type with its boundary
      body: options.form ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
      signal: options.signal,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError({ type: 'about:blank', title: 'Network error', status: 0, code: 'network_error', detail: (err as Error).message });
  }
  if (!res.ok) {
    const p = (parseJson(await res.text()) ?? {}) as Partial<Problem>;
    const problem: Problem = {
      ...p,
      type: p.type ?? 'about:blank',
      title: p.title ?? res.statusText ?? 'Error',
      status: p.status ?? res.status,
      code: p.code ?? `http_${res.status}`,
      detail: p.detail ?? res.statusText,
    };
    if (res.status === 401 && !options.token) onUnauthorized();
    throw new ApiError(problem);
  }
  return res;
}

function parseJson(text: string): object | undefined {
  if (!text) return undefined;
  try {
    const json: unknown = JSON.parse(text);
    return json && typeof json === 'object' ? json : undefined;
  } catch {
    return undefined;
  }
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const res = await call(method, path, options);
  const text = await res.text();
  if (!text) return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined as T;
  }
}

export const api = {
  get: <T>(path: string, options?: RequestOptions) => request<T>('GET', path, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('POST', path, { ...options, body: body ?? {} }),
  put: <T>(path: string, body: unknown, options?: RequestOptions) => request<T>('PUT', path, { ...options, body }),
  del: <T>(path: string, options?: RequestOptions) => request<T>('DELETE', path, options),
  /** A multipart upload; the answer is JSON. */
  upload: async <T>(path: string, form: FormData, options?: RequestOptions) => (await call('POST', path, { ...options, form })).json() as Promise<T>,
  /** Bytes to save (a download needs the bearer token, so it cannot be a plain link). */
  blob: async (path: string, options?: RequestOptions) => (await call('GET', path, { ...options, accept: '*/*' })).blob(),
};

export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
