// Shared by the hardening specs: the in-process app on a real loopback port (fetch with keep-alive is several times
// cheaper per request than supertest's listen-per-request, which matters for ten thousand fuzz cases), and checks
// of the problem-details shape.
import type { TestApp } from '../support/test-app';

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

export interface Client {
  base: string;
  call(method: string, path: string, options?: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> }): Promise<Answer>;
}

/** Makes the test app listen on a loopback port (once) and returns a fetch-based client for it. */
export async function listen(t: TestApp): Promise<Client> {
  const server = t.app.getHttpServer();
  if (!server.listening) await t.app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    base,
    async call(method, path, options = {}) {
      const headers: Record<string, string> = { ...(options.headers ?? {}) };
      if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
      let body: string | undefined;
      if (options.raw !== undefined) body = options.raw;
      else if (options.body !== undefined) body = JSON.stringify(options.body);
      if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
      const res = await fetch(base + path, { method, headers, body });
      const text = await res.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      return { status: res.status, headers: res.headers, text, body: parsed };
    },
  };
}

/** RFC 6901: "" or a sequence of "/segment" with "~" escaped as ~0 and "/" as ~1. */
export const JSON_POINTER = /^(?:\/(?:[^~/]|~[01])*)*$/su;

/** Throws unless the answer is RFC 9457 problem details with our fields and no stack trace. */
export function expectProblem(res: Answer, status: number, code?: string): void {
  const where = `${res.status} ${res.text.slice(0, 500)}`;
  if (res.status !== status) throw new Error(`expected ${status}, got ${where}`);
  if (!/^application\/problem\+json/.test(res.headers.get('content-type') ?? ''))
    throw new Error(`not problem+json: ${res.headers.get('content-type')} ${where}`);
  const b = res.body;
  if (!b || typeof b !== 'object') throw new Error(`problem body is not an object: ${where}`);
  for (const k of ['type', 'title', 'code', 'detail']) if (typeof b[k] !== 'string') throw new Error(`problem lacks ${k}: ${where}`);
  if (b.status !== status) throw new Error(`problem status ${b.status} ≠ ${status}`);
  if (code && b.code !== code) throw new Error(`expected code ${code}, got ${where}`);
  if (/\bat [\w.<>]+ \(|node_modules|\.ts:\d+/.test(res.text)) throw new Error(`problem leaks a stack trace: ${where}`);
}

/** Runs fn over items with at most `limit` in flight, keeping order. */
export async function pool<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i], i);
      }
    }),
  );
  return results;
}

/** Polls until check() returns a truthy value or the deadline passes (then returns the last value). */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 10_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await check();
  while (!value && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, everyMs));
    value = await check();
  }
  return value;
}
