// The SQLite database holds incidents, the audit log and the sealed RuCERT token: only the service's user may read
// it, like the secrets key beside it. SQLite creates the file with the process umask (0644 on most systems) and the
// ORM its folder likewise (0755), so both are made here first, private, before the ORM opens the file.
import { Logger } from '@nestjs/common';
import { closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** An in-memory database: no file, no folder, no write-ahead log. */
export const isInMemory = (path: string): boolean => path === ':memory:' || path.endsWith('/:memory:');

/**
 * Creates the database's folder (and any missing parent) with mode 0700 and an empty database file with mode 0600,
 * whichever is missing; SQLite gives its -wal and -shm files the database's mode. Existing ones are left as they
 * are, with a warning when the database can be read by other users.
 */
export function preparePrivateSqliteFile(path: string): void {
  if (isInMemory(path)) return;
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 }); // the mode applies to the folders it creates only
  closeSync(openSync(path, 'a', 0o600)); // creates it if missing, never truncates
  const mode = statSync(path).mode & 0o777;
  if (mode & 0o077) {
    new Logger('Database').warn(`${path} can be read by other users (mode ${mode.toString(8)}): chmod 600 it (and its -wal and -shm files)`);
  }
}
