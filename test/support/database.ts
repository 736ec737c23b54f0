// A fresh database per test file: a new SQLite file in a temporary folder, or, with TEST_DB=postgresql, a new
// PostgreSQL database on the local server (127.0.0.1:5432, trust auth) dropped when the file is done.
import { Client } from 'pg';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PG_SERVER = process.env.TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432';
export const testDialect = (): 'sqlite' | 'postgresql' => (process.env.TEST_DB === 'postgresql' ? 'postgresql' : 'sqlite');

export interface TestDatabase {
  url: string;
  dataDir: string;
  drop(): Promise<void>;
}

async function onServer(sql: string): Promise<void> {
  const client = new Client({ connectionString: `${PG_SERVER}/postgres` });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(dialect = testDialect()): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'rucert-test-'));
  if (dialect === 'sqlite') {
    return { url: `sqlite:${join(dataDir, 'test.sqlite')}`, dataDir, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const name = `rucert_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  await onServer(`create database ${name}`);
  return {
    url: `${PG_SERVER}/${name}`,
    dataDir,
    drop: async () => {
      await onServer(`drop database if exists ${name} with (force)`);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
