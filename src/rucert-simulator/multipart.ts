// Reads a multipart/form-data request as a stream (busboy): text parts into an object, `files` parts hashed on the
// fly (md5, sha1, sha256) and kept in memory while within the per-file limit. A file over the limit is read to its
// end and dropped, and the result says so; nothing is stored here. Bounded: the number of parts, the size of text
// parts, the bytes kept for one request, and the bytes read at all (beyond those the caller answers 413 and closes).
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';
import type { NewFile } from './store';

export interface MultipartLimits {
  /** Per file (the contract: 50 MB). */
  maxFileBytes: number;
  maxFiles: number;
  /** Bytes of files kept for one request. */
  maxKeptBytes: number;
}

export interface MultipartResult {
  fields: Record<string, string>;
  files: NewFile[];
  /** The name of the first file over maxFileBytes. */
  tooLarge?: string;
  /** The files of the request together exceed maxKeptBytes. */
  overKept?: boolean;
  /** Why the body cannot be used (malformed, a part that is neither text nor `files`, too many parts…). */
  error?: string;
}

export const REQUEST_TOO_LARGE = Symbol('request too large');

const MAX_TEXT_PART_BYTES = 64 * 1024;
const MAX_TEXT_PARTS = 20;

export function readMultipart(req: IncomingMessage, limits: MultipartLimits): Promise<MultipartResult | typeof REQUEST_TOO_LARGE> {
  return new Promise((resolve) => {
    const result: MultipartResult = { fields: {}, files: [] };
    let settled = false;
    const settle = (value: MultipartResult | typeof REQUEST_TOO_LARGE) => {
      if (settled) return;
      settled = true;
      resolve(value);
    };
    const refuse = (why: string) => {
      result.error ??= why;
    };

    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        defParamCharset: 'utf8',
        limits: {
          // busboy cuts a file when it reaches the limit: one byte more lets a file of exactly maxFileBytes through.
          fileSize: limits.maxFileBytes + 1,
          files: limits.maxFiles,
          fields: MAX_TEXT_PARTS,
          fieldSize: MAX_TEXT_PART_BYTES,
          parts: limits.maxFiles + MAX_TEXT_PARTS,
          headerPairs: 50,
        },
      });
    } catch (error) {
      req.resume();
      return settle({ ...result, error: `тело multipart/form-data не разобрано (${(error as Error).message})` });
    }

    // Reading is bounded even for a file that is only being discarded: past this, the caller answers and closes.
    const maxRequestBytes = limits.maxKeptBytes + limits.maxFileBytes + MAX_TEXT_PARTS * MAX_TEXT_PART_BYTES;
    let read = 0;
    let kept = 0;
    req.on('data', (chunk: Buffer) => {
      read += chunk.length;
      if (read > maxRequestBytes) {
        req.unpipe(parser);
        settle(REQUEST_TOO_LARGE);
      }
    });

    parser.on('field', (name, value, info) => {
      if (info.nameTruncated || info.valueTruncated) return refuse(`Поле «${name}»: более ${MAX_TEXT_PART_BYTES} байт`);
      if (Object.prototype.hasOwnProperty.call(result.fields, name)) return refuse(`Поле «${name}» передано дважды`);
      result.fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      if (name !== 'files') {
        refuse(`Поле «${name}» не предусмотрено контрактом: файлы передаются в частях «files»`);
        stream.resume();
        return;
      }
      const hashes = ['md5', 'sha1', 'sha256'].map((algorithm) => createHash(algorithm));
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (result.tooLarge !== undefined || result.overKept) return;
        kept += chunk.length;
        if (kept > limits.maxKeptBytes) {
          result.overKept = true;
          return;
        }
        chunks.push(chunk);
        for (const hash of hashes) hash.update(chunk);
      });
      stream.on('limit', () => {
        result.tooLarge ??= info.filename || name;
      });
      stream.on('end', () => {
        if (stream.truncated || result.tooLarge !== undefined || result.overKept) return;
        const [md5, sha1, sha256] = hashes.map((hash) => hash.digest('hex'));
        result.files.push({
          filename: info.filename || 'file',
          type: info.mimeType || 'application/octet-stream',
          size,
          md5,
          sha1,
          sha256,
          bytes: Buffer.concat(chunks, size),
        });
      });
    });
    parser.on('filesLimit', () => refuse(`более ${limits.maxFiles} файлов в одном запросе`));
    parser.on('fieldsLimit', () => refuse(`более ${MAX_TEXT_PARTS} текстовых полей`));
    parser.on('partsLimit', () => refuse('слишком много частей multipart'));
    parser.on('error', (error: Error) => {
      req.unpipe(parser);
      req.resume();
      settle({ ...result, error: result.error ?? `тело multipart/form-data не разобрано (${error.message})` });
    });
    parser.on('close', () => settle(result));
    req.on('error', () => settle({ ...result, error: 'соединение прервано' }));
    req.pipe(parser);
  });
}
