// Makes SQLite's commits durable off the event loop. With `synchronous=FULL` every COMMIT fsyncs the write-ahead log
// inside the statement, and better-sqlite3 runs statements on the event loop: the whole service waited for the
// disk at every commit (~0.1–0.8 ms a small one, ~13 ms the 2 MB claim of a 500,000-character export;
// bench/README.md). The service's connection now runs with `synchronous=NORMAL`: COMMIT writes the log's frames and
// returns. The caller then waits for `flush()`, which fsyncs the log file on libuv's thread pool, before it goes on
// (answers, or sends anything to NCIRCC). Everything committed before a sync began is on disk when it ends, so a
// commit is as durable when its caller goes on as with FULL, and commits that wait at the same time share one sync
// (group commit).
//
// What differs from FULL: another request can read a committed row a moment before it is on disk, and show it (if
// the machine then loses power, the row is gone, as if the request that wrote it had failed before answering).
// Nothing goes to NCIRCC on such a read without a commit of its own first (a claim), whose sync covers every
// earlier commit in the log (docs/once-only.md).
import * as fs from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Syncs the log of one database for one connection. The log file stays open between syncs (one trip to the thread
 * pool per sync, not three): SQLite keeps the same file while any connection to the database is open, and this
 * connection is open until `close()`.
 */
export class SqliteWalSync {
  private readonly walPath: string;
  private running?: Promise<void>;
  private next?: Promise<void>;
  private log?: Promise<FileHandle>;

  constructor(private readonly databasePath: string) {
    this.walPath = `${databasePath}-wal`;
  }

  /** Resolves once everything committed before the call is on disk; rejects if the sync fails. */
  flush(): Promise<void> {
    if (!this.running) {
      const sync = this.sync().finally(() => (this.running = undefined));
      this.running = sync;
      return sync;
    }
    // the sync under way may have begun before this commit wrote its frames: wait for the next one, which everyone
    // who asks meanwhile shares
    this.next ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.next = undefined;
        return this.flush();
      });
    return this.next;
  }

  /** Waits for the syncs under way, then lets go of the log; a later flush opens it again. */
  async close(): Promise<void> {
    await Promise.allSettled([this.running, this.next]);
    const log = this.log;
    this.log = undefined;
    await (await log?.catch(() => undefined))?.close();
  }

  private async sync(): Promise<void> {
    this.log ??= this.openLog();
    let log: FileHandle;
    try {
      log = await this.log;
    } catch (error) {
      this.log = undefined; // tried again at the next flush
      throw error;
    }
    await log.datasync();
  }

  private async openLog(): Promise<FileHandle> {
    // the log's own entry in its folder must be on disk too: SQLite syncs the folder only when it first syncs the log
    const folder = await fs.open(dirname(this.databasePath), 'r');
    try {
      await folder.sync();
    } finally {
      await folder.close();
    }
    return fs.open(this.walPath, 'r');
  }
}
