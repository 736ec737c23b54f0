// Statements skip MikroORM's timing and log entry while queries are not logged (src/db/bound-parameters.ts
// executeQuery); with query logging on, each statement is logged as MikroORM logs it, with its time, failures too.
import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../src/config/app-config';
import { ormOptions } from '../../src/db/mikro-orm.config';
import { createTestDatabase, type TestDatabase } from '../support/database';

let db: TestDatabase;
let orm: MikroORM;
const lines: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  const config = loadConfig({ DATABASE_URL: db.url, DATA_DIR: db.dataDir, SECRETS_KEY: randomBytes(32).toString('base64') });
  orm = await MikroORM.init({ ...ormOptions(config.database), debug: ['query'], logger: (line: string) => lines.push(line) });
});
afterAll(async () => {
  await orm?.close();
  await db?.drop();
});

it('logs every statement with its time when query logging is on, a failed one too', async () => {
  const conn = (orm.em.fork() as EntityManager).getConnection();
  lines.length = 0;
  await conn.execute('select 41 + ? as answer', [1]);
  // the driver's own error, unconverted: with several spec files in one jest worker it may come from another realm,
  // so it is matched by its message, not as an Error of this one
  await expect(conn.execute('select * from no_such_table')).rejects.toMatchObject({ message: expect.stringContaining('no_such_table') });
  expect(lines).toEqual([
    expect.stringMatching(/select 41 \+ \? as answer.*\[took \d+ ms/),
    expect.stringMatching(/select \* from no_such_table.*\[took \d+ ms/),
  ]);
});
