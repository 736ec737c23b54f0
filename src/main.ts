import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { ConfigError, loadConfig, type AppConfig } from './config/app-config';

const LOG_LEVELS: Record<AppConfig['logLevel'], ('error' | 'warn' | 'log' | 'debug')[]> = {
  error: ['error'],
  warn: ['error', 'warn'],
  log: ['error', 'warn', 'log'],
  debug: ['error', 'warn', 'log', 'debug'],
};

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
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bodyParser: false, logger: LOG_LEVELS[config.logLevel] });
  configureApp(app);
  await app.listen(config.port, config.host);
  Logger.log(`listening on http://${config.host}:${config.port} (database: ${config.database.dialect})`, 'Main');
}

void bootstrap();
