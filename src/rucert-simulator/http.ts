// HTTP plumbing of the emulator: answers in the contract's shape, bounded JSON bodies, the API's routes by method
// and path, and the path prefix. No state.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeUtf8 } from '../common/utf8';

export type Answer = { status: number; body: unknown } | { status: number; raw: Buffer; contentType: string; filename: string };

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  500: 'Server Error',
  503: 'Service Unavailable',
};

/** The contract's error: {"success": false, "message": "[400 Bad Request] <detail>", "error": "<detail>", "statusCode"}. */
export function contractError(status: number, detail: string): Answer {
  return { status, body: { success: false, message: `[${status} ${REASONS[status] ?? 'Error'}] ${detail}`, error: detail, statusCode: status } };
}

export function ok(status: number, body: unknown): Answer {
  return { status, body };
}

export function send(res: ServerResponse, answer: Answer, closeConnection = false): void {
  if (res.headersSent || res.destroyed) return;
  const connection = closeConnection ? { Connection: 'close' } : {};
  if ('raw' in answer) {
    res.writeHead(answer.status, {
      'Content-Type': answer.contentType,
      'Content-Length': answer.raw.length,
      'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(answer.filename)}`,
      ...connection,
    });
    res.end(answer.raw);
    return;
  }
  const json = JSON.stringify(answer.body);
  res.writeHead(answer.status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(json), ...connection });
  res.end(json);
}

export const TOO_LARGE = Symbol('too large');
export const NOT_JSON = Symbol('not json');

/** Reads a whole JSON body, at most maxBytes; undefined when empty. */
export async function readJson(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) return TOO_LARGE;
    chunks.push(chunk);
  }
  if (size === 0) return undefined;
  try {
    return JSON.parse(decodeUtf8(Buffer.concat(chunks)));
  } catch {
    return NOT_JSON;
  }
}

export function isMultipart(req: IncomingMessage): boolean {
  return /^multipart\/form-data\b/i.test(req.headers['content-type'] ?? '');
}

export interface Route {
  /** As counted by requests() and selected by faults: "POST /incidents", "GET /incidents/:uuid/files", … */
  key: string;
  uuid?: string;
  fileId?: string;
}

export function routeOf(method: string, path: string): Route {
  const p = path.replace(/\/+$/, '') || '/';
  const exact: Record<string, string[]> = { '/incidents': ['GET', 'POST'], '/comments': ['POST'], '/incidents/comments': ['GET'], '/companies': ['GET'] };
  if (exact[p]?.includes(method)) return { key: `${method} ${p}` };
  if (method === 'GET') {
    const download = /^\/incidents\/files\/([^/]+)\/download$/.exec(p);
    if (download) return { key: 'GET /incidents/files/:id/download', fileId: decode(download[1]) };
    const sub = /^\/incidents\/([^/]+)\/(comments|files)$/.exec(p);
    if (sub) return { key: `GET /incidents/:uuid/${sub[2]}`, uuid: decode(sub[1]) };
  }
  return { key: `${method} (unknown route)` };
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function normalizePrefix(prefix: string): string {
  const trimmed = prefix.trim().replace(/\/+$/, '');
  if (trimmed === '') return '';
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
