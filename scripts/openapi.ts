// Writes openapi.json (committed, so API changes show in diffs) from the running app's routes and the JSON
// Schemas in schemas/. `--check` fails when the committed file is stale.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppModule } from '../src/app.module';
import { buildOpenApi } from '../src/app.setup';
import { APP_CONFIG, loadConfig } from '../src/config/app-config';

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'rucert-openapi-'));
  process.env.DATABASE_URL = `sqlite:${join(dir, 'openapi.sqlite')}`;
  process.env.DATA_DIR = dir;
  void APP_CONFIG;
  loadConfig();
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { logger: false, bodyParser: false });
  app.setGlobalPrefix('api');
  const text = `${JSON.stringify(buildOpenApi(app), null, 2)}\n`;
  await app.close();
  rmSync(dir, { recursive: true, force: true });
  const file = join(__dirname, '..', 'openapi.json');
  if (process.argv.includes('--check')) {
    let committed = '';
    try {
      committed = readFileSync(file, 'utf8');
    } catch {
      // missing counts as stale
    }
    if (committed !== text) {
      console.error('openapi.json is stale: run npm run openapi and commit it');
      process.exit(1);
    }
    return;
  }
  writeFileSync(file, text);
  console.log(`wrote ${file}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
