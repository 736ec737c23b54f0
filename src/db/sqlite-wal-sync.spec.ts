import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteWalSync } from './sqlite-wal-sync';

/** The part of better-sqlite3 used here (its typings are not installed). */
interface Sqlite {
  pragma(statement: string): unknown;
  exec(sql: string): void;
  prepare(sql: string): { run(...values: unknown[]): unknown };
  close(): void;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Database = require('better-sqlite3') as new (path: string) => Sqlite;

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'wal-sync-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('syncs the write-ahead log of a database in WAL mode, again and again', async () => {
  const path = join(dir, 'db.sqlite');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('create table t (v text)');
  const sync = new SqliteWalSync(path);
  db.prepare('insert into t values (?)').run('one');
  await expect(Promise.all([sync.flush(), sync.flush(), sync.flush()])).resolves.toHaveLength(3);
  db.prepare('insert into t values (?)').run('two');
  await expect(sync.flush()).resolves.toBeUndefined();
  await sync.close();
  db.close();
});

it('fails when there is no log to sync, rather than pretending the commit is on disk', async () => {
  const sync = new SqliteWalSync(join(dir, 'never-opened.sqlite'));
  await expect(sync.flush()).rejects.toMatchObject({ code: 'ENOENT' });
  // and the failure is not remembered: the next flush tries again
  await expect(sync.flush()).rejects.toMatchObject({ code: 'ENOENT' });
});

it('lets go of the log when closed, and opens it again at the next flush', async () => {
  const path = join(dir, 'db.sqlite');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec('create table t (v text)');
  const sync = new SqliteWalSync(path);
  await sync.flush();
  const open = () => readdirSync('/proc/self/fd').filter((fd) => safeReadlink(`/proc/self/fd/${fd}`) === `${path}-wal`).length;
  const withLog = open();
  await sync.close();
  expect(open()).toBe(withLog - 1);
  db.prepare('insert into t values (?)').run('after');
  await expect(sync.flush()).resolves.toBeUndefined();
  expect(open()).toBe(withLog);
  await sync.close();
  db.close();
});

function safeReadlink(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}
