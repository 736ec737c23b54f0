// HTTP concerns that live outside Nest's module graph, applied identically by main.ts and the e2e tests:
// security headers, the body parser and its limit, the /api prefix, OpenAPI, and the UI at /.
import { Reflector } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import compression from 'compression';
import contentType from 'content-type';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ResponseCheck, responseComponents } from './common/api-response';
import { PROJECT_ROOT } from './common/paths';
import { APP_CONFIG, type AppConfig } from './config/app-config';
import { registerMessages } from './common/messages';
import { ProblemError } from './common/problem';
import { unstorableTextProblem } from './common/storable-text';
import { decodeUtf8 } from './common/utf8';

/**
 * A 500,000-character Cyrillic affected system name is about 1 MB of UTF-8 JSON (2 bytes a character), and a
 * form definition with the 83 regions is a few hundred KB; 4 MB admits both with room for escaping (\uXXXX
 * quadruples a character) while bounding what one request can make the service parse.
 */
export const BODY_LIMIT = '4mb';
const BODY_LIMIT_TEXT = '4 MB';
const UI_DIST = join(PROJECT_ROOT, 'ui', 'dist');

export function buildOpenApi(app: NestExpressApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('rucert-export')
    .setDescription('Export of SOC incidents to RuCERT (NCIRCC) through declarative, versioned form definitions')
    .setVersion('1')
    // opaque API tokens, not JWTs
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API token of this service (opaque, not a JWT)' })
    .build();
  const document = SwaggerModule.createDocument(app, config);
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ...responseComponents() } };
  return document;
}

function securityHeaders(https: boolean): Parameters<typeof helmet>[0] {
  return {
    contentSecurityPolicy: {
      directives: {
        // 'unsafe-eval': the UI validates form data with the very ajv configuration of the server, and ajv compiles
        // each published form version into a function at run time. Scripts still load from this origin only, and
        // no inline script is allowed, so an injected string has no way in to be evaluated.
        'script-src': ["'self'", "'unsafe-eval'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'upgrade-insecure-requests': https ? [] : null,
      },
    },
    strictTransportSecurity: https,
  };
}

registerMessages({
  'request.invalid_encoding': {
    en: 'The request body is not valid {encoding} data, as its Content-Encoding says it is',
    ru: 'Тело запроса не является корректными данными {encoding}, как указано в Content-Encoding',
  },
});

function bodyProblem(err: unknown, req: Request): unknown {
  const { type, status } = err as { type?: string; status?: number };
  if (type === 'entity.too.large') return new ProblemError('payload_too_large', 'request.too_large', { limit: BODY_LIMIT_TEXT });
  if (type === 'encoding.unsupported') return new ProblemError('validation_failed', 'request.unsupported_media_type');
  // A decompression error (gzip, deflate, br) comes as a bare 400 without a type; it used to reach Nest as an
  // unknown error and answer 500. The body is the client's mistake.
  if (type === undefined && status === 400) {
    return new ProblemError('invalid_json', 'request.invalid_encoding', { encoding: String(req.headers['content-encoding'] ?? 'identity') });
  }
  return err;
}

/** Whether a JSON body's Content-Type names UTF-8 or no charset at all (a malformed header names none that we read). */
function isUtf8Charset(header: string | undefined): boolean {
  let charset: string | undefined;
  try {
    charset = header ? contentType.parse(header).parameters.charset?.toLowerCase() : undefined;
  } catch {
    return false;
  }
  return charset === undefined || charset === 'utf-8' || charset === 'utf8';
}

/**
 * A JSON body from its bytes, or the problem it has. UTF-8 only (RFC 8259 §8.1: JSON between systems is UTF-8); a BOM
 * is skipped; an empty body is {}; a body is an object or an array, as body-parser's strict JSON reader required.
 * Decoded by decodeUtf8: a megabyte of Cyrillic costs ~1.5 ms instead of ~10 ms through V8's decoder.
 */
function parseJsonBody(bytes: Buffer, contentTypeHeader: string | undefined): unknown {
  if (!isUtf8Charset(contentTypeHeader)) return new ProblemError('validation_failed', 'request.unsupported_media_type');
  if (bytes.length === 0) return {};
  const text = decodeUtf8(bytes).replace(/^\ufeff/, '');
  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[') return new ProblemError('invalid_json', 'request.invalid_json');
  try {
    return JSON.parse(text);
  } catch {
    return new ProblemError('invalid_json', 'request.invalid_json');
  }
}

export function configureApp(app: NestExpressApplication): NestExpressApplication {
  app.disable('x-powered-by');
  // X-Forwarded-For names the client (and so the failed-authentication limit's key) only when it comes from a proxy
  // the operator named: from anyone else it is whatever the client wants it to be.
  app.set('trust proxy', app.get<AppConfig>(APP_CONFIG).trustProxy);
  // HSTS and upgrade-insecure-requests only for requests that came over HTTPS (TLS here, or X-Forwarded-Proto from
  // a proxy TRUST_PROXY names): over plain HTTP they send the browser to an HTTPS that nobody serves, and the UI
  // stays blank on every address but localhost.
  const overHttps = helmet(securityHeaders(true));
  const overHttp = helmet(securityHeaders(false));
  app.use((req: Request, res: Response, next: NextFunction) => (req.secure ? overHttps : overHttp)(req, res, next));
  // JSON bodies are read as bytes by body-parser (the type, the limit, a Content-Encoding) and decoded here
  // (parseJsonBody). body-parser's errors become problems here, before Nest would turn them into a generic 400.
  const readJson = express.raw({ limit: BODY_LIMIT, type: ['application/json', 'application/*+json'] });
  app.use((req: Request, res: Response, next: NextFunction) =>
    readJson(req, res, (err?: unknown) => {
      if (err) return next(bodyProblem(err, req));
      if (Buffer.isBuffer(req.body)) {
        const parsed = parseJsonBody(req.body, req.headers['content-type']);
        if (parsed instanceof ProblemError) return next(parsed);
        req.body = parsed;
      }
      next(unstorableTextProblem(req.body, 'request.invalid_body'));
    }),
  );
  app.setGlobalPrefix('api');
  if (app.get<AppConfig>(APP_CONFIG).checkResponses) app.useGlobalInterceptors(new ResponseCheck(app.get(Reflector)));
  SwaggerModule.setup('api/docs', app, () => buildOpenApi(app), { jsonDocumentUrl: 'api/docs/openapi.json' });
  if (existsSync(UI_DIST)) {
    // Only outside /api: serve-static would otherwise stat() ui/dist for every API request (a syscall per call,
    // about a tenth of the time of a small authenticated GET in bench/). The UI's answers go compressed to a browser
    // (brotli where offered, else gzip): an analyst's first page is ~900 KB of JavaScript, ~285 KB gzipped. API
    // answers are left alone: they are small, or made compressed once (the form).
    const compress = compression();
    const assets = express.static(UI_DIST, { index: false, maxAge: '1h' });
    app.use((req: Request, res: Response, next: NextFunction) => (req.path.startsWith('/api/') ? next() : compress(req, res, () => assets(req, res, next))));
    // the UI is a single page: every other GET outside /api answers its index.html
    app.use((req: Request, res: Response, next: NextFunction) => {
      if (req.method !== 'GET' || req.path.startsWith('/api')) return next();
      res.sendFile(join(UI_DIST, 'index.html'));
    });
  }
  app.enableShutdownHooks();
  return app;
}
