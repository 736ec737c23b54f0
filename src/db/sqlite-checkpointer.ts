// Checkpoints the SQLite write-ahead log from a thread of its own. A checkpoint copies the committed pages of the
// WAL into the database file and fsyncs it; left to SQLite, the commit that makes the WAL pass 1,000 pages runs it,
// on the event loop, inside the request that committed: ~10 ms for the claim of a 500,000-character export (2 MB of
// documents, bench/README.md), a stall of some milliseconds for whichever commit passes the threshold. Here a
// worker thread with its own connection runs a PASSIVE checkpoint every CHECKPOINT_INTERVAL_MS: it never blocks a
// reader or a writer, and its copying and fsync run on another core. The service's connection keeps SQLite's own
// checkpoint as a safety net, at a threshold the worker keeps the WAL far below (mikro-orm.config.ts).
import { Logger } from '@nestjs/common';
import { Worker } from 'node:worker_threads';

const CHECKPOINT_INTERVAL_MS = 100;

// Plain JavaScript evaluated in the worker: no TypeScript hook there, in tests or in dist/.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('synchronous = FULL');
let failing = false;
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
    failing = false;
  } catch (error) {
    // SQLITE_BUSY: another connection is checkpointing; anything else is said once until it clears
    if (!failing && error.code !== 'SQLITE_BUSY') parentPort.postMessage(String(error.message));
    failing = true;
  }
}, workerData.intervalMs);
parentPort.once('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export class SqliteCheckpointer {
  private readonly logger = new Logger('Database');
  private readonly worker: Worker;
  private readonly exited: Promise<void>;

  constructor(path: string, intervalMs = CHECKPOINT_INTERVAL_MS) {
    this.worker = new Worker(WORKER, { eval: true, workerData: { path, intervalMs, driver: require.resolve('better-sqlite3') } });
    this.worker.on('message', (message: string) => this.logger.warn(`WAL checkpoint failed: ${message}`));
    this.worker.on('error', (error) => this.logger.error(`WAL checkpointer stopped: ${error.message}`));
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
  }

  /** Stops the timer and closes the worker's connection; resolves once the thread has ended. */
  async stop(): Promise<void> {
    this.worker.postMessage('stop');
    await this.exited;
  }
}
