// The README's newcomer path: `npm run demo`, then the one curl it prints, exports an incident.
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

it('starts everything and prints a curl that exports the first sample incident', async () => {
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
  expect(received).toHaveLength(1);
  expect(received[0].identifier).toBe(exported.rucert.identifier);
}, 180_000);
