// The README's newcomer path: `npm run demo`, then the one curl it prints, exports an incident; within the minute
// that follows, the analyst sees through the service's API what NCIRCC did: the export registered with a number, a
// supplement asked for with the operator's comment, a message from NCIRCC become an incident.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './support/child-service';

let demo: ChildProcess | undefined;
let output = '';
const dataDir = mkdtempSync(join(tmpdir(), 'rucert-demo-'));

afterAll(async () => {
  if (demo && demo.exitCode === null) {
    const exited = new Promise((r) => demo!.once('exit', r));
    demo.kill('SIGTERM');
    await exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
});

/** Polls `read` until it returns something, for at most `ms`; the last value otherwise (undefined). */
async function within<T>(ms: number, read: () => Promise<T | undefined>): Promise<T | undefined> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (value !== undefined || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 250));
  }
}

it("starts everything, prints a curl that exports the first sample incident, and plays NCIRCC's side within a minute", async () => {
  const [port, simPort] = [await freePort(), await freePort()];
  demo = spawn(process.execPath, ['scripts/demo.mjs'], {
    cwd: join(__dirname, '..'),
    env: { ...process.env, PORT: String(port), DEMO_RUCERT_PORT: String(simPort), DEMO_DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
  });
  demo.stdout!.on('data', (chunk) => (output += chunk));
  demo.stderr!.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + 120_000;
  while (!output.includes('Ctrl+C stops both') && Date.now() < deadline && demo.exitCode === null) await new Promise((r) => setTimeout(r, 100));
  expect(output).toContain('rucert-export demo is running');

  // the printed curl, taken apart: URL, analyst token, body
  const url = /curl -s -X POST (\S+)/.exec(output)![1];
  const token = /Authorization: Bearer (\S+?)'/.exec(output)![1];
  const body = /-d '(\{.*\})'/.exec(output)![1];
  expect(/analyst\s+(\S+)/.exec(output)![1]).toBe(token);
  const res = await fetch(url, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body });
  expect(res.status).toBe(201);
  const exported = (await res.json()) as { rucert: { identifier: string } };
  expect(exported).toMatchObject({ state: 'exported', rucert: { identifier: expect.stringMatching(/^INC-/) } });

  const received = (await (await fetch(`http://127.0.0.1:${simPort}/_control/received`)).json()) as Array<{ identifier: string }>;
  // the demo exported the second sample itself: two notifications, the curl's one among them
  expect(received).toHaveLength(2);
  expect(received.map((r) => r.identifier)).toContain(exported.rucert.identifier);

  // what the analyst sees in the minute after the curl, all through the service's API
  const base = url.replace(/\/api\/incidents\/.*$/, '/api');
  const get = async (path: string) => {
    const r = await fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${token}` } });
    return { status: r.status, body: (await r.json()) as Record<string, any> };
  };
  const firstId = /\/incidents\/([^/]+)\/rucert-export/.exec(url)![1];
  const samples = (await get('/incidents?limit=100')).body.items as Array<{ id: string; externalId: string }>;
  const secondId = samples.find((i) => i.externalId === 'DEMO-2')!.id;
  const MINUTE = 60_000;

  const registered = await within(MINUTE, async () => {
    const card = await get(`/incidents/${firstId}/ncircc`);
    return card.status === 200 && card.body.regNumber ? card.body : undefined;
  });
  expect(registered).toMatchObject({ kind: 'notification', regNumber: expect.stringMatching(/^RMSH-/), status: { name: 'Зарегистрировано' } });

  const asked = await within(MINUTE, async () => {
    const card = await get(`/incidents/${secondId}/ncircc`);
    return card.status === 200 && card.body.supplement.requested ? card.body : undefined;
  });
  expect(asked).toMatchObject({ status: { name: 'Требуется дополнение' }, supplement: { requested: true, allowed: true } });
  const chat = await within(MINUTE, async () => {
    const items = (await get(`/incidents/${secondId}/ncircc/comments`)).body.items as Array<{ direction: string; text: string }>;
    return items.some((c) => c.direction === 'in') ? items : undefined;
  });
  expect(chat).toEqual([expect.objectContaining({ direction: 'in', text: expect.stringContaining('203.0.113.0/24') })]);
  const notified = (await get('/notifications?limit=100')).body.items as Array<{ kind: string; incidentId: string }>;
  expect(notified).toContainEqual(expect.objectContaining({ kind: 'supplement_requested', incidentId: secondId }));

  const fromNcircc = await within(MINUTE, async () => {
    const list = await get('/incidents?source=ncircc');
    return list.body.total === 1 ? list.body.items : undefined;
  });
  expect(fromNcircc).toEqual([
    expect.objectContaining({
      source: 'ncircc',
      severity: 'critical',
      externalId: expect.stringMatching(/^ALRT-/),
      title: expect.stringContaining('Зараженный ресурс'),
    }),
  ]);
}, 240_000);
