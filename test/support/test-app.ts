// Boots the real AppModule in-process, exactly as main.ts does (same global guard, filter, body parser), on a
// fresh database, with a known bootstrap admin token. Tests talk to it over HTTP with supertest.
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/app.setup';
import { announceGeneratedAdminToken } from '../../src/auth/admin-token-notice';
import { APP_CONFIG, DEMO_PUBLIC_KEY_FILE, loadConfig } from '../../src/config/app-config';
import { createTestDatabase, type TestDatabase } from './database';

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

export interface TestApp {
  app: INestApplication;
  http: ReturnType<INestApplication['getHttpServer']>;
  db: TestDatabase;
  adminToken: string;
  /** Creates (once per role) a token of that role through the API and returns its secret. */
  tokenFor(role: 'admin' | 'compliance' | 'analyst' | 'ingest'): Promise<string>;
  close(): Promise<void>;
}

/** `db`: a database prepared beforehand (an install of an earlier release, say); a fresh one by default. */
export async function startTestApp(env: Record<string, string> = {}, db?: TestDatabase): Promise<TestApp> {
  db ??= await createTestDatabase();
  const config = loadConfig({
    DATABASE_URL: db.url,
    DATA_DIR: db.dataDir,
    ADMIN_TOKEN,
    LOG_LEVEL: 'error',
    // every answer is checked against its response schema: a drift fails the test that met it
    CHECK_RESPONSES: 'on',
    SECRETS_KEY: randomBytes(32).toString('base64'),
    // the tests sign their licenses with the demo private key (export-setup.ts); a default install would refuse them
    LICENSE_PUBLIC_KEY_FILE: DEMO_PUBLIC_KEY_FILE,
    ...env,
  });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(APP_CONFIG)
    .useValue(config)
    .compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: ['error'] });
  configureApp(app);
  await app.init();
  announceGeneratedAdminToken(app);
  const http = app.getHttpServer();
  const tokens = new Map<string, string>();
  return {
    app,
    http,
    db,
    adminToken: ADMIN_TOKEN,
    async tokenFor(role) {
      if (role === 'admin') return ADMIN_TOKEN;
      if (!tokens.has(role)) {
        const res = await request(http)
          .post('/api/tokens')
          .auth(ADMIN_TOKEN, { type: 'bearer' })
          .send({ name: `test ${role}`, role });
        if (res.status !== 201) throw new Error(`token creation failed: ${res.status} ${res.text}`);
        tokens.set(role, res.body.token);
      }
      return tokens.get(role)!;
    },
    async close() {
      await app.close();
      await db.drop();
    },
  };
}
