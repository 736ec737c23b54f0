import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Server } from 'node:http';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { announceGeneratedAdminToken } from './auth/admin-token-notice';
import { QuietLogger } from './common/quiet-logger';
import { ConfigError, loadConfig, type AppConfig } from './config/app-config';

const LOG_LEVELS: Record<AppConfig['logLevel'], ('error' | 'warn' | 'log' | 'debug')[]> = {
  error: ['error'],
  warn: ['error', 'warn'],
  log: ['error', 'warn', 'log'],
  debug: ['error', 'warn', 'log', 'debug'],
};

/**
 * A client that trickles its request must not hold a socket (and the memory behind it) for Node's defaults of a
 * minute for headers and five for the whole request. Headers are small: 10 s. A whole request includes a body of
 * up to 4 MB: 30 s. The deadlines are checked every second instead of every 30 s. Idle keep-alive connections
 * close after 5 s; a load balancer in front must use a shorter idle timeout. Answers are not limited here: an
 * export waits for RuCERT, which RUCERT_TIMEOUT_MS bounds.
 */
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;
const KEEP_ALIVE_TIMEOUT_MS = 5_000;

function limitSlowClients(server: Server): void {
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  // read when the server starts listening (Node 20), so it must be set before listen()
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = 1_000;
}

async function bootstrap(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    bodyParser: false,
    logger: new QuietLogger({ logLevels: LOG_LEVELS[config.logLevel] }),
  });
  configureApp(app);
  limitSlowClients(app.getHttpServer());
  await app.listen(config.port, config.host);
  Logger.log(`listening on http://${config.host}:${config.port} (database: ${config.database.dialect})`, 'Main');
  announceGeneratedAdminToken(app);
}

void bootstrap();
