// npm run bench: how fast the product is against the limits of its stack. Every figure is measured next to
// its reference in the same run, so machine noise mostly cancels in the ratios:
//   1. form validation (src/schema) vs a raw compiled ajv validator of the same schema, patterns on the same engine;
//   2. GET /api/forms/rucert-export, GET /api/incidents/:id, the export preview and ingest vs the trivial GET /api/health
//      of the same process (the target ratios in bench/README.md);
//   3. export throughput of distinct incidents against the RuCERT simulator on loopback, SQLite and PostgreSQL,
//      at 1, 8 and 32 connections, and the cost of one 500,000-character export;
//   4. start-up time, RSS after start and after 10,000 exports, the UI's JavaScript gzipped;
//   5. one synchronisation pass with NCIRCC over 10,000 exported cards that NCIRCC registered (time, the service's
//      RSS during the pass), next to a pass over 1,000 changed cards: memory bounded by a page, not by the cards;
//   6. a soak: 50,000 exports then 50,000 previews in one service, its memory after a full GC every 10,000.
// The service runs as `node dist/src/main.js` (built when stale), the simulator as its own process, autocannon here.
// Prints a table and writes bench/results.json. Not part of npm test. BENCH_QUICK=1 shortens every phase.
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import autocannon from 'autocannon';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import samples from '../schemas/forms/rucert-export/v1/samples.json';
import formSchema from '../schemas/forms/rucert-export/v1/schema.json';
import { getValidator, validateData } from '../src/schema/validator';
import { LINEAR_TIME_OPTIONS } from '../src/schema/schema-ajv';
import { signLicenseKey } from '../src/license/license-key';
import { ensureServerBuilt, PROJECT_ROOT, startChildService, type ChildService } from '../test/support/child-service';
import { createTestDatabase, type TestDatabase } from '../test/support/database';

const QUICK = process.env.BENCH_QUICK === '1';
/**
 * BENCH_ONLY=validation,http,exports,huge,footprint,sync,soak runs a subset (while working on one figure); results.json is then
 * not written. BENCH_ONLY=ui measures the UI's JavaScript only and updates that figure in results.json.
 */
const ONLY = new Set((process.env.BENCH_ONLY ?? '').split(',').filter(Boolean));
const want = (section: string) => ONLY.size === 0 || ONLY.has(section);
const SECONDS = QUICK ? 1 : 5; // one autocannon phase
const ADMIN = 'bench-admin-token-0123456789abcdef';
const RUCERT_TOKEN = 'bench-rucert-token-5f0c1e9a7b3d';
const TOTAL_EXPORTS_FOR_RSS = QUICK ? 1_000 : 10_000;
const SYNC_CARDS = QUICK ? 1_000 : 10_000;
/** No scheduled synchronisation pass during the bench (SYNC_INTERVAL_MS overrides the setting): passes are on demand. */
const NO_SCHEDULED_SYNC = '99999999';
const HUGE = 500_000;

const typical = samples.valid[1].data as Record<string, unknown>; // a computer incident with every field it allows
const exportData = {
  category: 'computer_incident',
  type: 'malware_infection',
  affectedSystemName: 'Corporate mail server mail01.example.ru',
  affectedSystemCategory: 'not_cii',
  affectedSystemConnection: true,
};

const log = (s: string) => process.stderr.write(`${s}\n`);
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

// ---------------------------------------------------------------- 1. validation

/** ops/s of fn, measured over `ms` after a warm-up. */
function opsPerSec(fn: () => unknown, ms: number): number {
  const warm = Date.now() + Math.min(200, ms / 5);
  while (Date.now() < warm) fn();
  let n = 0;
  const start = process.hrtime.bigint();
  const end = start + BigInt(ms) * 1_000_000n;
  let now = start;
  while (now < end) {
    for (let i = 0; i < 16; i++) fn();
    n += 16;
    now = process.hrtime.bigint();
  }
  return n / (Number(now - start) / 1e9);
}

function benchValidation() {
  log('validation: product vs raw ajv');
  // raw ajv: the same schema, the same semantics that matter (all errors, formats, patterns on the linear-time engine
  // every definition is evaluated with), no product code around it
  const raw = new Ajv({ allErrors: true, strict: false, ...LINEAR_TIME_OPTIONS });
  addFormats(raw);
  const rawValidate = raw.compile({ ...formSchema, $id: 'urn:bench:raw' });
  // for the record: what the linear-time engine costs against ajv's default, backtracking RegExp
  const backtracking = new Ajv({ allErrors: true, strict: false, unicodeRegExp: true });
  addFormats(backtracking);
  const backtrackingValidate = backtracking.compile({ ...formSchema, $id: 'urn:bench:backtracking' });
  const schema = { ...formSchema, $id: 'urn:bench:product' };
  const huge = { ...typical, affectedSystemName: 'ж'.repeat(HUGE) };
  // sanity: both accept both documents, so both do the full work
  if (!rawValidate(typical) || !rawValidate(huge) || !backtrackingValidate(typical)) throw new Error('raw ajv rejects the bench documents');
  if (validateData(schema, typical).length || validateData(schema, huge).length) throw new Error('the product rejects the bench documents');
  const cases = [
    { name: 'typical submission', doc: typical, ms: QUICK ? 300 : 1500 },
    { name: `${HUGE.toLocaleString('en')}-character field`, doc: huge, ms: QUICK ? 300 : 1500 },
  ];
  const results = [];
  for (const c of cases) {
    const product: number[] = [];
    const rawOps: number[] = [];
    const backtrackingOps: number[] = [];
    // interleaved rounds: drift of the machine hits every side alike
    for (let r = 0; r < 3; r++) {
      product.push(opsPerSec(() => validateData(schema, c.doc), c.ms / 3));
      rawOps.push(opsPerSec(() => rawValidate(c.doc), c.ms / 3));
      backtrackingOps.push(opsPerSec(() => backtrackingValidate(c.doc), c.ms / 3));
    }
    const p = median(product);
    const a = median(rawOps);
    results.push({
      case: c.name,
      productOpsPerSec: Math.round(p),
      rawAjvOpsPerSec: Math.round(a),
      ratio: round(p / a, 2),
      target: 0.8,
      met: p / a >= 0.8,
      backtrackingRegExpOpsPerSec: Math.round(median(backtrackingOps)),
    });
  }
  // also the server's own path: getValidator (cached compile) + the call, as ExportService uses it
  const v = getValidator(schema);
  const server = opsPerSec(() => getValidator(schema)(typical), QUICK ? 200 : 800);
  const direct = opsPerSec(() => v(typical), QUICK ? 200 : 800);
  return { cases: results, getValidatorLookup: { opsPerSec: Math.round(server), directOpsPerSec: Math.round(direct), ratio: round(server / direct, 2) } };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

// ---------------------------------------------------------------- helpers: processes and HTTP

interface Simulator {
  url: string;
  origin: string;
  process: ChildProcess;
  received(): Promise<number>;
  close(): Promise<void>;
}

async function startSimulatorProcess(): Promise<Simulator> {
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', 'scripts/rucert-simulator.ts', '--port', '0', '--token', RUCERT_TOKEN, '--prefix', '/api/v2'],
    {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`simulator did not start: ${out}`)), 30_000);
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /listening: (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', () => reject(new Error(`simulator exited: ${out}`)));
  });
  const origin = new URL(url).origin;
  return {
    url,
    origin,
    process: child,
    async received() {
      const res = await fetch(`${origin}/_control/requests`);
      return ((await res.json()) as Record<string, number>)['POST /incidents'] ?? 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function api(svc: ChildService, method: string, path: string, body?: unknown, token = ADMIN): Promise<any> {
  const res = await fetch(svc.url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : undefined;
}

async function pool<T>(n: number, limit: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < n) {
        const i = next++;
        out[i] = await fn(i);
      }
    }),
  );
  return out;
}

const DAY = 86_400_000;
const licenseKey = () =>
  signLicenseKey(
    {
      licenseId: 'LIC-BENCH',
      customer: 'ООО «Бенчмарк»',
      modules: ['gossopka'],
      validFrom: new Date(Date.now() - DAY),
      validUntil: new Date(Date.now() + 30 * DAY),
    },
    readFileSync(join(PROJECT_ROOT, 'keys', 'license-demo.private.pem'), 'utf8'),
  );

interface Service {
  svc: ChildService;
  db: TestDatabase;
  analyst: string;
  startupMs: number;
  rssAfterStartMb: number;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return round(Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024);
}

/** CPU time (user + system) a process has used so far, ms: what a phase costs each process on the shared cores. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

/** Starts counting CPU ms; the function returned reads what the service, the simulator and autocannon (here) spent since. */
function cpuSince(service: number, simulator?: number): () => { service: number; simulator: number; autocannon: number } {
  const [service0, simulator0, bench0] = [cpuMs(service), simulator ? cpuMs(simulator) : 0, process.cpuUsage()];
  return () => {
    const bench = process.cpuUsage(bench0);
    return {
      service: cpuMs(service) - service0,
      simulator: simulator ? cpuMs(simulator) - simulator0 : 0,
      autocannon: (bench.user + bench.system) / 1000,
    };
  };
}

async function startService(dialect: 'sqlite' | 'postgresql', sim: Simulator, probe?: { file: string }): Promise<Service> {
  const db = await createTestDatabase(dialect);
  const started = Date.now();
  const svc = await startChildService({
    nodeArgs: [
      // BENCH_PROFILE=<dir>: the service writes a V8 CPU profile there when it stops (open it in Chrome DevTools)
      ...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []),
      ...(probe ? ['--expose-gc', '--import', pathToFileURL(join(__dirname, 'memory-probe.mjs')).href] : []),
    ],
    env: {
      ...(probe ? { MEMORY_PROBE_FILE: probe.file } : {}),
      DATABASE_URL: db.url,
      DATA_DIR: db.dataDir,
      SECRETS_KEY: randomBytes(32).toString('base64'),
      ADMIN_TOKEN: ADMIN,
      LOG_LEVEL: 'warn',
      RECONCILE_INTERVAL_MS: '3600000',
      // measured as production runs: without the tests' response checks
      CHECK_RESPONSES: 'off',
      SYNC_INTERVAL_MS: NO_SCHEDULED_SYNC,
    },
  });
  const startupMs = Date.now() - started;
  const rssAfterStartMb = rssMb(svc.pid);
  await api(svc, 'PUT', '/api/license', { key: licenseKey() });
  await api(svc, 'PUT', '/api/integrations/rucert', {
    enabled: true,
    url: sim.url,
    token: RUCERT_TOKEN,
    companyName: 'ООО «Бенчмарк»',
    ownerName: 'ООО «Бенчмарк»',
    detectionTool: 'KUMA 3.2',
    defaultAffectedSystemFunction: 'banking_finance',
    defaultLocation: 'RU-MOW',
    timeoutMs: 10_000,
  });
  const analyst = (await api(svc, 'POST', '/api/tokens', { name: 'bench analyst', role: 'analyst' })).token;
  return { svc, db, analyst, startupMs, rssAfterStartMb };
}

async function stopService(s: Service): Promise<void> {
  await s.svc.kill('SIGTERM');
  await s.db.drop();
}

async function createIncidents(s: Service, n: number): Promise<string[]> {
  return pool(n, 16, async (i) => (await api(s.svc, 'POST', '/api/incidents', { title: `Bench incident ${i}`, detectedAt: '2026-11-20T08:30:00Z' })).id);
}

interface Load {
  reqPerSec: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
}

function summarize(r: autocannon.Result): Load {
  return {
    reqPerSec: round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
  };
}

function cannon(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

// ---------------------------------------------------------------- 2. HTTP reads

async function benchHttp(s: Service) {
  log('http: forms, incident, preview and ingest vs health');
  const [incident] = await createIncidents(s, 1);
  const json = { 'content-type': 'application/json' };
  // the targets, as ratios to the trivial route of the same run
  // `refused`: a reference whose every answer is a problem (4xx), not a success
  const routes: Array<{
    name: string;
    path: string;
    target?: number;
    method?: 'POST';
    body?: string;
    token?: string;
    headers?: Record<string, string>;
    refused?: true;
  }> = [
    { name: 'GET /api/health (trivial)', path: '/api/health' },
    // as the UI asks for it: a browser accepts gzip, and gets the compressed document (version 2: 19 KB)
    { name: 'GET /api/forms/rucert-export', path: '/api/forms/rucert-export', target: 0.5, headers: { 'accept-encoding': 'gzip, deflate, br, zstd' } },
    // as a client that accepts no compression gets it: 187 KB (no target; autocannon's own reading of it is the limit)
    { name: 'GET /api/forms/rucert-export (uncompressed)', path: '/api/forms/rucert-export' },
    { name: 'GET /api/incidents/:id', path: `/api/incidents/${incident}`, target: 0.6 },
    {
      name: 'POST /api/incidents/:id/rucert-export/preview',
      path: `/api/incidents/${incident}/rucert-export/preview`,
      target: 0.4,
      method: 'POST',
      body: JSON.stringify({ data: exportData }),
      headers: json,
    },
    // the floor of the preview (no target): the same request for an incident that does not exist. Its body, token,
    // pipe and first read cost what the preview's do; it stops at the 404 where the preview goes on to the license,
    // the settings, the form version, the defaults, the validation and the mapping
    {
      name: 'POST …/rucert-export/preview, unknown incident (404)',
      path: `/api/incidents/${randomUUID()}/rucert-export/preview`,
      method: 'POST',
      body: JSON.stringify({ data: exportData }),
      headers: json,
      refused: true,
    },
    {
      name: 'POST /api/incidents (ingest)',
      path: '/api/incidents',
      target: 0.35,
      method: 'POST',
      body: JSON.stringify({ title: 'Bench ingest', detectedAt: '2026-11-20T08:30:00Z' }),
      token: ADMIN,
      headers: json,
    },
  ];
  const opts = (r: (typeof routes)[number], duration: number): autocannon.Options => ({
    url: s.svc.url + r.path,
    connections: 10,
    duration,
    method: r.method ?? 'GET',
    body: r.body,
    headers: { authorization: `Bearer ${r.token ?? s.analyst}`, ...r.headers },
  });
  const runs: Record<string, Load[]> = {};
  // CPU time per request (user + system): the service, autocannon (this process); which of the two cores is full
  const cpu: Record<string, { service: number; autocannon: number; requests: number }> = {};
  // warm-up, then two interleaved rounds
  for (const r of routes) await cannon(opts(r, 1));
  for (let round_ = 0; round_ < 2; round_++) {
    for (const r of routes) {
      const spent = cpuSince(s.svc.pid);
      const res = summarize(await cannon(opts(r, SECONDS)));
      const { service, autocannon: client } = spent();
      const used = (cpu[r.name] ??= { service: 0, autocannon: 0, requests: 0 });
      used.service += service;
      used.autocannon += client;
      used.requests += res.requests;
      if (res.non2xx !== (r.refused ? res.requests : 0) || res.errors) throw new Error(`${r.name}: ${res.non2xx} non-2xx, ${res.errors} errors`);
      (runs[r.name] ??= []).push(res);
    }
  }
  const mean = (ls: Load[]): Load => ({
    reqPerSec: round(ls.reduce((a, l) => a + l.reqPerSec, 0) / ls.length),
    p50: round(ls.reduce((a, l) => a + l.p50, 0) / ls.length),
    p99: round(ls.reduce((a, l) => a + l.p99, 0) / ls.length),
    requests: ls.reduce((a, l) => a + l.requests, 0),
    non2xx: 0,
    errors: 0,
  });
  const trivial = mean(runs[routes[0].name]);
  return routes.map((r) => {
    const m = mean(runs[r.name]);
    const ratio = round(m.reqPerSec / trivial.reqPerSec, 2);
    const { service, autocannon: client, requests } = cpu[r.name];
    const cpuMsPerRequest = { service: round(service / requests, 3), autocannon: round(client / requests, 3) };
    return {
      route: r.name,
      connections: 10,
      ...m,
      ratioToTrivial: ratio,
      cpuMsPerRequest,
      target: r.target,
      met: r.target === undefined ? undefined : ratio >= r.target,
    };
  });
}

// ---------------------------------------------------------------- 3. exports

async function exportLoad(s: Service, ids: string[], connections: number, seconds: number, body: string): Promise<Load & { used: number }> {
  let next = 0;
  const res = await cannon({
    url: s.svc.url,
    connections,
    duration: seconds,
    headers: { authorization: `Bearer ${s.analyst}`, 'content-type': 'application/json' },
    requests: [
      {
        method: 'POST',
        setupRequest: (req: any) => {
          if (next >= ids.length) throw new Error('ran out of incidents: create more');
          return { ...req, path: `/api/incidents/${ids[next++]}/rucert-export`, body };
        },
      },
    ],
  });
  const load = summarize(res);
  return { ...load, used: next };
}

async function benchExports(s: Service, sim: Simulator, dialect: string, ids: string[]) {
  const body = JSON.stringify({ data: exportData });
  const rows = [];
  let rate = 200;
  // the trivial route of the same process just before, for the target ratio at 8 connections
  const trivial = summarize(await cannon({ url: `${s.svc.url}/api/health`, connections: 10, duration: SECONDS }));
  for (const connections of [1, 8, 32]) {
    // enough distinct incidents for the phase: a generous multiple of the rate seen so far
    const need = Math.ceil(Math.max(1_000, rate * 3) * SECONDS);
    if (ids.length < need) {
      log(`exports: creating ${need - ids.length} incidents (${dialect})`);
      ids.push(...(await createIncidents(s, need - ids.length)));
    }
    log(`exports: ${dialect}, ${connections} connection(s)`);
    const before = await sim.received();
    const spent = cpuSince(s.svc.pid, sim.process.pid!);
    const load = await exportLoad(s, ids, connections, SECONDS, body);
    // where the two cores went, per export: the service, the simulator, autocannon (this process)
    const perExport = (ms: number) => round(ms / Math.max(1, load.requests), 2);
    const { service, simulator, autocannon: client } = spent();
    const cpuMsPerExport = { service: perExport(service), simulator: perExport(simulator), autocannon: perExport(client) };
    ids.splice(0, load.used); // those were sent; the rest were never touched
    const sent = (await sim.received()) - before;
    if (load.non2xx || load.errors) throw new Error(`exports ${dialect} c=${connections}: ${load.non2xx} non-2xx, ${load.errors} errors`);
    rate = Math.max(rate, load.reqPerSec);
    const ratioToTrivial = round(load.reqPerSec / trivial.reqPerSec, 3);
    // the targets: at 8 connections, at least 0.2 of the trivial route with p99 under 50 ms
    const target = connections === 8 ? { target: 'ratio ≥ 0.2, p99 < 50 ms', met: ratioToTrivial >= 0.2 && load.p99 < 50 } : {};
    rows.push({
      dialect,
      connections,
      exportsPerSec: load.reqPerSec,
      p50: load.p50,
      p99: load.p99,
      exports: load.requests,
      sentToSimulator: sent,
      ratioToTrivial,
      cpuMsPerExport,
      ...target,
    });
  }
  return rows;
}

/**
 * One export with a 500,000-character Cyrillic field, next to a typical one, median of `count`. Today's NCIRCC takes
 * at most 5000 characters per text, so:
 *   - version 2 (active on a fresh install) refuses such data at validation: 400, nothing stored or sent;
 *   - version 1 allows 500,000: the export is claimed with its data and payload stored, the 1 MB body is sent, and
 *     NCIRCC (the emulator enforces the contract) refuses it: 502 rucert_rejected. The whole path at its largest.
 */
async function hugeExportCost(s: Service, sim: Simulator, count: number) {
  const ids = await createIncidents(s, count * 3);
  const typicalBody = JSON.stringify({ data: exportData });
  const hugeBody = JSON.stringify({ data: { ...exportData, affectedSystemName: 'ж'.repeat(HUGE) } });
  // CPU of the service and of the simulator during the large exports (clock ticks of 10 ms: summed over all of them)
  const hugeCpu = { service: 0, simulator: 0 };
  const typical: number[] = [];
  const huge: number[] = [];
  const timed = async (id: string, body: string, status: number, into: number[]) => {
    const spent = into === huge ? cpuSince(s.svc.pid, sim.process.pid!) : undefined;
    const t0 = performance.now();
    const res = await fetch(`${s.svc.url}/api/incidents/${id}/rucert-export`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.analyst}`, 'content-type': 'application/json' },
      body,
    });
    const text = await res.text();
    if (res.status !== status) throw new Error(`export answered ${res.status}, expected ${status}: ${text.slice(0, 300)}`);
    into.push(performance.now() - t0);
    if (spent) {
      const { service, simulator } = spent();
      hugeCpu.service += service;
      hugeCpu.simulator += simulator;
    }
  };
  const refused: number[] = [];
  for (let i = 0; i < count; i++) await timed(ids[3 * i], hugeBody, 400, refused);
  await api(s.svc, 'POST', '/api/forms/rucert-export/versions/1/activate');
  try {
    for (let i = 0; i < count; i++) {
      await timed(ids[3 * i + 1], typicalBody, 201, typical);
      await timed(ids[3 * i + 2], hugeBody, 502, huge);
    }
  } finally {
    await api(s.svc, 'POST', '/api/forms/rucert-export/versions/2/activate');
  }
  return {
    typicalMs: round(median(typical), 2),
    hugeMs: round(median(huge), 2),
    hugeCpuMsPerExport: { service: round(hugeCpu.service / count, 1), simulator: round(hugeCpu.simulator / count, 1) },
    refusedByVersion2Ms: round(median(refused), 2),
    bodyBytes: Buffer.byteLength(hugeBody),
    exports: count,
  };
}

// ---------------------------------------------------------------- 4. footprint

function uiSize() {
  const dist = join(PROJECT_ROOT, 'ui', 'dist');
  if (!existsSync(join(dist, 'index.html'))) {
    log('ui: building (ui/dist absent)');
    const r = spawnSync('npm', ['run', '-s', 'build:ui'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
    if (r.status !== 0) return { error: 'npm run build:ui failed' };
  }
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name.endsWith('.js')) files.push(join(d, e.name));
    }
  };
  walk(dist);
  let raw = 0;
  let gz = 0;
  for (const f of files) {
    const buf = readFileSync(f);
    raw += buf.length;
    gz += gzipSync(buf, { level: 9 }).length;
  }
  return { files: files.length, rawKb: round(raw / 1024), gzipKb: round(gz / 1024), analyst: analystBundle(dist) };
}

/** Before the editor was split off, the whole UI was one chunk that every page loaded: 950 KB, 286 KB gzipped. */
const ANALYST_BEFORE = { rawKb: 950.3, gzipKb: 286 };

/**
 * What an analyst's first page loads: the JavaScript index.html names (the entry and its modulepreloads), not the
 * chunks loaded on demand (the form version editor). test/browser/editor-bundle.browser-spec.ts checks the same
 * split in the browser.
 */
export function analystBundle(dist: string) {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const names = [...html.matchAll(/(?:src|href)="\/?([^"]+\.js)"/g)].map((m) => m[1]);
  let raw = 0;
  let gz = 0;
  for (const name of names) {
    const buf = readFileSync(join(dist, name));
    raw += buf.length;
    gz += gzipSync(buf, { level: 9 }).length;
  }
  return { files: names.length, rawKb: round(raw / 1024), gzipKb: round(gz / 1024), before: ANALYST_BEFORE };
}

// ---------------------------------------------------------------- 6. soak

const SOAK_COUNT = QUICK ? 5_000 : 50_000;
const SOAK_STEP = SOAK_COUNT / 5;

/** The service's memory after a full garbage collection (bench/memory-probe.mjs answers SIGWINCH). */
async function memoryAfterGc(s: Service, file: string): Promise<{ rssMb: number; heapMb: number }> {
  const lines = () => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : []);
  const before = lines().length;
  process.kill(s.svc.pid, 'SIGWINCH');
  for (let i = 0; i < 200 && lines().length === before; i++) await new Promise((r) => setTimeout(r, 25));
  const last = JSON.parse(lines().at(-1)!) as { rss: number; heapUsed: number };
  return { rssMb: round(last.rss / 1024 / 1024), heapMb: round(last.heapUsed / 1024 / 1024) };
}

/**
 * SOAK_COUNT exports of distinct incidents, then SOAK_COUNT previews, at 8 connections, in one SQLite service; its
 * memory after a full GC is read after every SOAK_STEP. The first step of each phase is its warm-up; from the second
 * on, RSS and heap must stay within 10 % of the second step's figures: a steady workload does not grow the process.
 */
async function benchSoak(sim: Simulator) {
  const file = join(tmpdir(), `rucert-bench-memory-${process.pid}.jsonl`);
  const s = await startService('sqlite', sim, { file });
  const body = JSON.stringify({ data: exportData });
  const post = async (path: string, status: number) => {
    const res = await fetch(s.svc.url + path, { method: 'POST', headers: { authorization: `Bearer ${s.analyst}`, 'content-type': 'application/json' }, body });
    await res.text();
    if (res.status !== status) throw new Error(`soak ${path}: ${res.status}`);
  };
  const samples: Array<{ phase: string; done: number; rssMb: number; heapMb: number }> = [];
  try {
    samples.push({ phase: 'start', done: 0, ...(await memoryAfterGc(s, file)) });
    for (let done = SOAK_STEP; done <= SOAK_COUNT; done += SOAK_STEP) {
      log(`soak: exports ${done}/${SOAK_COUNT}`);
      const ids = await createIncidents(s, SOAK_STEP);
      await pool(SOAK_STEP, 8, (i) => post(`/api/incidents/${ids[i]}/rucert-export`, 201));
      samples.push({ phase: 'exports', done, ...(await memoryAfterGc(s, file)) });
    }
    const [previewed] = await createIncidents(s, 1);
    for (let done = SOAK_STEP; done <= SOAK_COUNT; done += SOAK_STEP) {
      log(`soak: previews ${done}/${SOAK_COUNT}`);
      await pool(SOAK_STEP, 8, () => post(`/api/incidents/${previewed}/rucert-export/preview`, 200));
      samples.push({ phase: 'previews', done, ...(await memoryAfterGc(s, file)) });
    }
  } finally {
    await stopService(s);
    rmSync(file, { force: true });
  }
  // each phase warms up in its first step (caches, V8's code and heap sizing for that workload); from its second step
  // on, every sample is compared with that second one
  const spread = (key: 'rssMb' | 'heapMb') =>
    round(
      Math.max(
        ...['exports', 'previews'].flatMap((phase) => {
          const [, ref, ...rest] = samples.filter((x) => x.phase === phase);
          return [ref, ...rest].map((x) => Math.abs(x[key] / ref[key] - 1));
        }),
      ) * 100,
    );
  const rssSpreadPct = spread('rssMb');
  const heapSpreadPct = spread('heapMb');
  return { samples, rssSpreadPct, heapSpreadPct, targetPct: 10, met: rssSpreadPct <= 10 && heapSpreadPct <= 10 };
}

// ---------------------------------------------------------------- 5. synchronisation

/** Peak RSS of a process while `during` runs, sampled every 20 ms. */
async function peakRss<T>(pid: number, during: () => Promise<T>): Promise<{ value: T; ms: number; beforeMb: number; peakMb: number; afterMb: number }> {
  const beforeMb = rssMb(pid);
  let peakMb = beforeMb;
  const sampler = setInterval(() => (peakMb = Math.max(peakMb, rssMb(pid))), 20);
  const t0 = performance.now();
  try {
    const value = await during();
    const ms = performance.now() - t0;
    const afterMb = rssMb(pid);
    return { value, ms, beforeMb, peakMb: Math.max(peakMb, afterMb), afterMb };
  } finally {
    clearInterval(sampler);
  }
}

/** The simulator's control API: NCIRCC's side of a card. */
async function control(sim: Simulator, path: string, body: unknown): Promise<any> {
  const res = await fetch(`${sim.origin}/_control${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`control ${path}: ${res.status} ${text.slice(0, 200)}`);
  return JSON.parse(text);
}

/**
 * One synchronisation pass over SYNC_CARDS cards: a fresh SQLite service and its own simulator, SYNC_CARDS incidents
 * exported through the API (each export makes the card), then NCIRCC registers every one of them (reg_number and
 * status "Зарегистрировано", so every card has a status change, a history row, audit lines and a notification to
 * store), then one pass by POST /api/integrations/rucert/sync. Then a tenth of the cards is moved on and a second pass
 * reads only those: if memory is bounded by a page, both passes raise the service's RSS by about the same.
 */
async function benchSync() {
  const sim = await startSimulatorProcess();
  const s = await startService('sqlite', sim);
  try {
    log(`sync: ${SYNC_CARDS} incidents, exported`);
    const ids = await createIncidents(s, SYNC_CARDS);
    const body = JSON.stringify({ data: exportData });
    const uuids = await pool(
      SYNC_CARDS,
      8,
      async (i) => (await api(s.svc, 'POST', `/api/incidents/${ids[i]}/rucert-export`, JSON.parse(body), s.analyst)).rucert.uuid as string,
    );
    log(`sync: NCIRCC registers all ${SYNC_CARDS}`);
    await pool(SYNC_CARDS, 16, (i) => control(sim, `/cards/${uuids[i]}/register`, {}));
    const full = await peakRss(s.svc.pid, () => api(s.svc, 'POST', '/api/integrations/rucert/sync'));
    if (full.value.cards !== SYNC_CARDS || full.value.statusChanges !== SYNC_CARDS) throw new Error(`sync pass: ${JSON.stringify(full.value)}`);
    const tenth = SYNC_CARDS / 10;
    log(`sync: NCIRCC decides on ${tenth}`);
    await pool(tenth, 16, (i) => control(sim, `/cards/${uuids[i]}/status`, { status: 'Принято решение' }));
    const small = await peakRss(s.svc.pid, () => api(s.svc, 'POST', '/api/integrations/rucert/sync'));
    if (small.value.cards < tenth || small.value.statusChanges !== tenth) throw new Error(`second sync pass: ${JSON.stringify(small.value)}`);
    const row = (r: typeof full) => ({
      cards: r.value.cards,
      statusChanges: r.value.statusChanges,
      seconds: round(r.ms / 1000, 2),
      cardsPerSec: Math.round(r.value.cards / (r.ms / 1000)),
      rssBeforeMb: r.beforeMb,
      rssPeakMb: r.peakMb,
      rssPeakDeltaMb: round(r.peakMb - r.beforeMb),
      rssAfterMb: r.afterMb,
    });
    return { dialect: 'sqlite', page: 500, full: { ...row(full), targetSeconds: 10, met: full.ms < 10_000 }, tenth: row(small) };
  } finally {
    await stopService(s);
    await sim.close();
  }
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const began = Date.now();
  const machine = {
    nproc: cpus().length,
    memoryGb: round(totalmem() / 1024 ** 3),
    node: process.version,
    cpu: /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model,
    date: new Date().toISOString(),
    quick: QUICK,
  };
  if (ONLY.size === 1 && ONLY.has('ui')) {
    // BENCH_ONLY=ui: the UI's JavaScript alone (no service, seconds), written into the last run's results.json
    const ui = uiSize();
    const file = join(__dirname, 'results.json');
    const last = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, unknown>>) : {};
    last.footprint = { ...(last.footprint ?? {}), ui };
    writeFileSync(file, `${JSON.stringify(last, null, 2)}\n`);
    printTable({ machine, footprint: last.footprint });
    return;
  }
  ensureServerBuilt();
  const results: Record<string, unknown> = { machine };
  if (want('validation')) results.validation = benchValidation();

  const sim = await startSimulatorProcess();
  let sqlite: Service | undefined;
  let pg: Service | undefined;
  try {
    sqlite = await startService('sqlite', sim);
    if (want('http')) results.http = await benchHttp(sqlite);
    let exportsInSqlite = 0;
    if (want('exports')) {
      const exportsSqlite = await benchExports(sqlite, sim, 'sqlite', []);
      pg = await startService('postgresql', sim);
      const exportsPg = await benchExports(pg, sim, 'postgresql', []);
      results.exports = [...exportsSqlite, ...exportsPg];
      exportsInSqlite = exportsSqlite.reduce((a, r) => a + r.exports, 0);
    }
    if (want('exports') || ONLY.has('huge')) {
      pg ??= await startService('postgresql', sim);
      log('exports: one 500,000-character export');
      const huge = { sqlite: await hugeExportCost(sqlite, sim, QUICK ? 3 : 15), postgresql: await hugeExportCost(pg, sim, QUICK ? 3 : 15) };
      results.hugeExport = huge;
      exportsInSqlite += huge.sqlite.exports * 3;
    }
    if (want('footprint')) {
      pg ??= await startService('postgresql', sim);
      // RSS after 10,000 exports in one process: top up the SQLite service's count
      const missing = Math.max(0, TOTAL_EXPORTS_FOR_RSS - exportsInSqlite);
      log(`memory: ${missing} more exports to reach ${TOTAL_EXPORTS_FOR_RSS}`);
      const more = await createIncidents(sqlite, missing);
      const body = JSON.stringify({ data: exportData });
      await pool(missing, 8, async (i) => {
        const res = await fetch(`${sqlite!.svc.url}/api/incidents/${more[i]}/rucert-export`, {
          method: 'POST',
          headers: { authorization: `Bearer ${sqlite!.analyst}`, 'content-type': 'application/json' },
          body,
        });
        await res.text();
        if (res.status !== 201) throw new Error(`top-up export: ${res.status}`);
      });
      results.footprint = {
        startupMs: { sqlite: sqlite.startupMs, postgresql: pg.startupMs },
        rssAfterStartMb: { sqlite: sqlite.rssAfterStartMb, postgresql: pg.rssAfterStartMb },
        rssAfterExportsMb: rssMb(sqlite.svc.pid),
        exportsInProcess: exportsInSqlite + missing,
        ui: uiSize(),
      };
    }
    if (want('sync')) results.sync = await benchSync();
    if (want('soak')) results.soak = await benchSoak(sim);
    results.seconds = round((Date.now() - began) / 1000);
    if (ONLY.size === 0) writeFileSync(join(__dirname, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    printTable(results);
  } finally {
    if (sqlite) await stopService(sqlite);
    if (pg) await stopService(pg);
    await sim.close();
  }
}

function printTable(r: any): void {
  const lines: string[] = [];
  const row = (...cells: unknown[]) => lines.push(`| ${cells.map((c) => String(c ?? '')).join(' | ')} |`);
  lines.push(
    `machine: ${r.machine.nproc} cores (${r.machine.cpu}), ${r.machine.memoryGb} GB, Node ${r.machine.node}${r.machine.quick ? ' — QUICK run' : ''}`,
    '',
  );
  if (r.validation) {
    lines.push('1. form validation (ops/s)', '');
    row('case', 'product', 'raw ajv (linear-time patterns)', 'ratio', 'target ≥ 0.8', 'raw ajv, backtracking RegExp (for the record)');
    row('---', '---:', '---:', '---:', '---', '---:');
    for (const c of r.validation.cases) row(c.case, c.productOpsPerSec, c.rawAjvOpsPerSec, c.ratio, c.met ? 'met' : 'MISSED', c.backtrackingRegExpOpsPerSec);
    lines.push('');
  }
  if (r.http) {
    lines.push('2. HTTP reads, 10 connections', '');
    row('route', 'req/s', 'p50 ms', 'p99 ms', 'ratio to trivial', 'target', 'CPU ms per request: service / autocannon');
    row('---', '---:', '---:', '---:', '---:', '---', '---:');
    for (const h of r.http)
      row(
        h.route,
        h.reqPerSec,
        h.p50,
        h.p99,
        h.ratioToTrivial,
        h.target === undefined ? '' : `≥ ${h.target} ${h.met ? 'met' : 'MISSED'}`,
        `${h.cpuMsPerRequest.service} / ${h.cpuMsPerRequest.autocannon}`,
      );
    lines.push('');
  }
  if (r.exports) {
    lines.push('3. exports of distinct incidents to the simulator', '');
    row(
      'database',
      'connections',
      'exports/s',
      'p50 ms',
      'p99 ms',
      'exports',
      'ratio to trivial',
      'target',
      'CPU ms per export: service / simulator / autocannon',
    );
    row('---', '---:', '---:', '---:', '---:', '---:', '---:', '---', '---:');
    for (const e of r.exports) {
      const cpu = `${e.cpuMsPerExport.service} / ${e.cpuMsPerExport.simulator} / ${e.cpuMsPerExport.autocannon}`;
      row(
        e.dialect,
        e.connections,
        e.exportsPerSec,
        e.p50,
        e.p99,
        e.exports,
        e.ratioToTrivial,
        e.target ? `${e.target}: ${e.met ? 'met' : 'MISSED'}` : '',
        cpu,
      );
    }
    lines.push('');
  }
  if (r.hugeExport) {
    for (const [d, h] of Object.entries<any>(r.hugeExport)) {
      lines.push(
        `one export, ${d}: typical ${h.typicalMs} ms; 500,000-character field (${round(h.bodyBytes / 1024 / 1024, 2)} MB body): ` +
          `version 1 sent and refused by NCIRCC ${h.hugeMs} ms (target < 50; CPU per export: service ${h.hugeCpuMsPerExport.service} ms, simulator ${h.hugeCpuMsPerExport.simulator} ms), ` +
          `version 2 refused at validation ${h.refusedByVersion2Ms} ms; median of ${h.exports}`,
      );
    }
    lines.push('');
  }
  const f = r.footprint;
  if (f) {
    lines.push('4. footprint', '');
    lines.push(`start-up to first /api/health 200 (fresh database, migrations): sqlite ${f.startupMs.sqlite} ms, postgresql ${f.startupMs.postgresql} ms`);
    lines.push(
      `RSS after start: sqlite ${f.rssAfterStartMb.sqlite} MB, postgresql ${f.rssAfterStartMb.postgresql} MB; after ${f.exportsInProcess} exports (sqlite): ${f.rssAfterExportsMb} MB`,
    );
    lines.push(f.ui.error ? `UI: ${f.ui.error}` : `UI JavaScript: ${f.ui.files} file(s), ${f.ui.rawKb} KB, ${f.ui.gzipKb} KB gzipped`);
    if (!f.ui.error && f.ui.analyst) {
      const a = f.ui.analyst;
      lines.push(
        `  an analyst's first page: ${a.files} file(s), ${a.rawKb} KB, ${a.gzipKb} KB gzipped (before the editor was split off: ${a.before.gzipKb} KB gzipped)`,
      );
    }
  }
  if (r.sync) {
    const { full, tenth } = r.sync;
    lines.push('', `5. one synchronisation pass (${r.sync.dialect}, pages of ${r.sync.page})`, '');
    row('pass', 'cards', 'status changes', 's', 'cards/s', 'RSS before MB', 'peak MB', 'peak Δ MB', 'target < 10 s');
    row('---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---');
    row(
      'every card registered',
      full.cards,
      full.statusChanges,
      full.seconds,
      full.cardsPerSec,
      full.rssBeforeMb,
      full.rssPeakMb,
      full.rssPeakDeltaMb,
      full.met ? 'met' : 'MISSED',
    );
    row('a tenth decided', tenth.cards, tenth.statusChanges, tenth.seconds, tenth.cardsPerSec, tenth.rssBeforeMb, tenth.rssPeakMb, tenth.rssPeakDeltaMb, '');
  }
  if (r.soak) {
    lines.push('', '6. soak: memory after a full GC (SQLite, 8 connections)', '');
    row('phase', 'done', 'RSS MB', 'heap MB');
    row('---', '---:', '---:', '---:');
    for (const x of r.soak.samples) row(x.phase, x.done, x.rssMb, x.heapMb);
    lines.push(
      '',
      `after each phase's warm-up step: RSS within ${r.soak.rssSpreadPct} %, heap within ${r.soak.heapSpreadPct} % (target ${r.soak.targetPct} %: ${r.soak.met ? 'met' : 'MISSED'})`,
    );
  }
  const written = ONLY.size === 0 ? 'results in bench/results.json' : 'a subset (BENCH_ONLY): bench/results.json left as it was';
  lines.push('', r.seconds === undefined ? 'UI size written into bench/results.json' : `bench took ${r.seconds} s; ${written}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? err}\n`);
  process.exitCode = 1;
});
