// HTTP concerns that live outside Nest's module graph, applied identically by main.ts and the e2e tests:
// security headers, the body parser and its limit, the /api prefix, OpenAPI, and the UI at /.
import { Reflector } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import compression from 'compression';
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
  if (type === 'entity.parse.failed') return new ProblemError('invalid_json', 'request.invalid_json');
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return new ProblemError('validation_failed', 'request.unsupported_media_type');
  }
  // A decompression error (gzip, deflate, br) comes as a bare 400 without a type; it used to reach Nest as an
  // unknown error and answer 500. The body is the client's mistake.
  if (type === undefined && status === 400) {
    return new ProblemError('invalid_json', 'request.invalid_encoding', { encoding: String(req.headers['content-encoding'] ?? 'identity') });
  }
  return err;
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
  const parseJson = express.json({ limit: BODY_LIMIT, type: ['application/json', 'application/*+json'] });
  // body-parser errors become problems here, before Nest would turn a SyntaxError into a generic 400
  app.use((req: Request, res: Response, next: NextFunction) =>
    parseJson(req, res, (err?: unknown) => next(err ? bodyProblem(err, req) : unstorableTextProblem(req.body, 'request.invalid_body'))),
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
