// The service as a separate operating-system process, exactly as operators run it: `node dist/src/main.js` with
// an environment. For tests that need what an in-process app cannot give: several instances on one database,
// signals (SIGTERM, SIGKILL mid-export), real socket timeouts, and the process's own stdout/stderr.
//
//   await ensureServerBuilt();                       // once per jest worker; builds dist/ only when stale
//   const svc = await startChildService({ env: { DATABASE_URL, DATA_DIR, SECRETS_KEY, ADMIN_TOKEN } });
//   await request(svc.url).get('/api/health');
//   svc.output();                                    // everything it printed so far
//   await svc.kill('SIGKILL');                       // resolves when it has exited
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { join } from 'node:path';
import configSchema from '../../schemas/config.schema.json';

export const PROJECT_ROOT = join(__dirname, '..', '..');
export const SERVER_ENTRY = join(PROJECT_ROOT, 'dist', 'src', 'main.js');
export const DEMO_PUBLIC_KEY_FILE = join(PROJECT_ROOT, 'keys', 'license-demo.public.pem');
const BUILD_LOCK = '/tmp/rucert-export-build.lock';
/** The variables the service reads: never inherited from the test runner's environment, only passed explicitly. */
const SERVICE_VARIABLES = Object.keys(configSchema.properties);

function newestMtime(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** True when dist/src/main.js is missing or older than any file under src/ or schemas/. */
export function serverBuildStale(): boolean {
  if (!existsSync(SERVER_ENTRY)) return true;
  const built = statSync(SERVER_ENTRY).mtimeMs;
  return ['src', 'schemas'].some((d) => newestMtime(join(PROJECT_ROOT, d)) > built);
}

let built = false;

/**
 * Compiles the service into dist/ when it is stale. Several jest workers (and other sessions) may ask at once, so
 * the check and the build run under an flock(1) lock: the first builds, the rest find it fresh. Throws with the
 * compiler's output when the build fails, rather than running a stale or half-written dist/.
 */
export function ensureServerBuilt(): void {
  if (built && !serverBuildStale()) return;
  // plain JavaScript so the locked step needs no TypeScript hook; the same staleness rule as serverBuildStale()
  const script = `
    const { existsSync, readdirSync, statSync } = require('node:fs');
    const { join } = require('node:path');
    const root = ${JSON.stringify(PROJECT_ROOT)}, entry = ${JSON.stringify(SERVER_ENTRY)};
    const newest = (dir) => readdirSync(dir, { withFileTypes: true }).reduce((m, e) =>
      Math.max(m, e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs), 0);
    const stale = !existsSync(entry) || ['src', 'schemas'].some((d) => newest(join(root, d)) > statSync(entry).mtimeMs);
    if (stale) {
      const r = require('node:child_process').spawnSync(process.execPath,
        [require.resolve('typescript/bin/tsc', { paths: [root] }), '-p', 'tsconfig.build.json'], { cwd: root, encoding: 'utf8' });
      process.stdout.write(r.stdout || ''); process.stderr.write(r.stderr || '');
      process.exit(r.status === null ? 1 : r.status);
    }`;
  const result = spawnSync('flock', ['-w', '600', BUILD_LOCK, process.execPath, '-e', script], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`building the service failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  if (!existsSync(SERVER_ENTRY)) throw new Error(`the build did not produce ${SERVER_ENTRY}`);
  built = true;
}

const UI_INDEX = join(PROJECT_ROOT, 'ui', 'dist', 'index.html');

/**
 * Builds the UI into ui/dist when a fresh checkout has none (specs that serve the UI need it), under the server
 * build's lock so that parallel workers build it once. An existing build is used as it is: `npm test` builds first.
 */
export function ensureUiBuilt(): void {
  if (existsSync(UI_INDEX)) return;
  const script = `
    if (!require('node:fs').existsSync(${JSON.stringify(UI_INDEX)})) {
      const r = require('node:child_process').spawnSync('npm', ['run', '-s', 'build:ui'], { cwd: ${JSON.stringify(PROJECT_ROOT)}, stdio: 'inherit' });
      process.exit(r.status === null ? 1 : r.status);
    }`;
  // the build a user gets: jest sets NODE_ENV=test, under which Vite would bundle React's development build
  const env = { ...process.env, NODE_ENV: 'production' };
  const result = spawnSync('flock', ['-w', '600', BUILD_LOCK, process.execPath, '-e', script], { cwd: PROJECT_ROOT, encoding: 'utf8', env });
  if (result.error) throw result.error;
  if (result.status !== 0 || !existsSync(UI_INDEX)) throw new Error(`building the UI failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
}

/** A TCP port that was free a moment ago (the child may still lose a race for it; startChildService retries). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ChildService {
  /** `http://127.0.0.1:<port>`, ready for supertest's request(url). */
  url: string;
  port: number;
  pid: number;
  process: ChildProcess;
  /** Everything written to stdout / stderr so far. */
  stdout(): string;
  stderr(): string;
  /** stdout and stderr together, in arrival order. */
  output(): string;
  /** Resolves when the process has exited (whatever the reason). */
  exited: Promise<ChildExit>;
  /** Whether the process is still running. */
  running(): boolean;
  /** Resolves once the output matches, rejects after timeoutMs or when the process exits first. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /**
   * Sends the signal (default SIGTERM) and resolves with the exit. If the process has not exited after
   * graceMs (default 10 s) it is sent SIGKILL. Calling it on an exited process just returns the exit.
   */
  kill(signal?: NodeJS.Signals, graceMs?: number): Promise<ChildExit>;
}

export interface ChildServiceOptions {
  /** The service's environment: DATABASE_URL, DATA_DIR, SECRETS_KEY, ADMIN_TOKEN, … PORT and HOST are chosen here unless given. */
  env: Record<string, string | undefined>;
  /** How long to wait for GET /api/health to answer 200 (default 30 s). */
  readyTimeoutMs?: number;
  /** Extra node options, such as ['--max-old-space-size=256']. */
  nodeArgs?: string[];
  /** Copy the child's output to this process's stderr as it arrives (debugging). */
  echo?: boolean;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // a test that throws before its afterAll must not leave services listening behind it
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

function healthOnce(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: '/api/health', timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function spawnOnce(options: ChildServiceOptions, port: number): Promise<ChildService | 'port_taken'> {
  installExitHook();
  const inherited: Record<string, string | undefined> = { ...process.env };
  for (const name of SERVICE_VARIABLES) delete inherited[name];
  const env: Record<string, string> = {};
  // the demo key, as the tests sign licenses with its private half; `LICENSE_PUBLIC_KEY_FILE: undefined` unsets it
  const defaults = { TZ: 'UTC', NO_COLOR: '1', CHECK_RESPONSES: 'on', HOST: '127.0.0.1', PORT: String(port), LICENSE_PUBLIC_KEY_FILE: DEMO_PUBLIC_KEY_FILE };
  for (const [k, v] of Object.entries({ ...inherited, ...defaults, ...options.env })) {
    if (v !== undefined) env[k] = v;
  }
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), SERVER_ENTRY], {
    cwd: PROJECT_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let out = '';
  let err = '';
  let all = '';
  const watchers = new Set<() => void>();
  const onData = (which: 'out' | 'err') => (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    if (which === 'out') out += text;
    else err += text;
    all += text;
    if (options.echo) process.stderr.write(text);
    for (const w of watchers) w();
  };
  child.stdout!.on('data', onData('out'));
  child.stderr!.on('data', onData('err'));
  let exit: ChildExit | undefined;
  const exited = new Promise<ChildExit>((resolve) => {
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      live.delete(child);
      for (const w of watchers) w();
      resolve(exit);
    });
  });

  const readyBy = Date.now() + (options.readyTimeoutMs ?? 30_000);
  for (;;) {
    if (exit) {
      if (/EADDRINUSE/.test(all)) return 'port_taken';
      throw new Error(`the service exited before it was ready (code ${exit.code}, signal ${exit.signal}):\n${all}`);
    }
    if (await healthOnce(port)) break;
    if (Date.now() > readyBy) {
      child.kill('SIGKILL');
      await exited;
      throw new Error(`the service did not answer /api/health within ${options.readyTimeoutMs ?? 30_000} ms:\n${all}`);
    }
    await delay(50);
  }

  const service: ChildService = {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid!,
    process: child,
    stdout: () => out,
    stderr: () => err,
    output: () => all,
    exited,
    running: () => !exit,
    waitForOutput(pattern, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = pattern.exec(all);
          if (m) {
            done();
            resolve(m[0]);
          } else if (exit) {
            done();
            reject(new Error(`the service exited before printing ${pattern}:\n${all}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`the service did not print ${pattern} within ${timeoutMs} ms:\n${all}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          watchers.delete(check);
        };
        watchers.add(check);
        check();
      });
    },
    async kill(signal = 'SIGTERM', graceMs = 10_000) {
      if (exit) return exit;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
  return service;
}

/** Builds if needed, spawns the service on a free loopback port and resolves once /api/health answers 200. */
export async function startChildService(options: ChildServiceOptions): Promise<ChildService> {
  ensureServerBuilt();
  const fixedPort = options.env.PORT ? Number(options.env.PORT) : undefined;
  for (let attempt = 0; attempt < 5; attempt++) {
    const result = await spawnOnce(options, fixedPort ?? (await freePort()));
    if (result !== 'port_taken') return result;
    if (fixedPort !== undefined) throw new Error(`port ${fixedPort} is in use`);
  }
  throw new Error('no free port found for the service after 5 attempts');
}
