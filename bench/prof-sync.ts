// How bench/README.md's profile of a synchronisation pass was taken: N incidents exported in-process against the
// emulator, NCIRCC registers them all, then one POST /api/integrations/rucert/sync under the inspector's Profiler;
// writes /tmp/perfwork/sync.cpuprofile (open it in Chrome DevTools). Not part of npm run bench.
//   N=2000 node -r @swc-node/register bench/prof-sync.ts
import { mkdirSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import request from 'supertest';
import { createIncident, readyForExport } from '../test/support/export-setup';
import { startTestApp } from '../test/support/test-app';

async function main() {
  const N = Number(process.env.N ?? 2000);
  const t = await startTestApp({ RECONCILE_INTERVAL_MS: '3600000', SYNC_INTERVAL_MS: '99999999' });
  const sim = await readyForExport(t);
  const analyst = await t.tokenFor('analyst');
  const data = { category: 'computer_incident', type: 'malware_infection', affectedSystemName: 'mail01', affectedSystemCategory: 'not_cii' };
  const uuids: string[] = [];
  for (let i = 0; i < N; i++) {
    const { id } = await createIncident(t);
    const res = await request(t.http).post(`/api/incidents/${id}/rucert-export`).auth(analyst, { type: 'bearer' }).send({ data });
    if (res.status !== 201) throw new Error(JSON.stringify(res.body));
    uuids.push(res.body.rucert.uuid);
  }
  for (const u of uuids) sim.register(u);
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  const t0 = performance.now();
  const res = await request(t.http).post('/api/integrations/rucert/sync').auth(t.adminToken, { type: 'bearer' });
  const ms = performance.now() - t0;
  const { profile } = await session.post('Profiler.stop');
  mkdirSync('/tmp/perfwork', { recursive: true });
  writeFileSync('/tmp/perfwork/sync.cpuprofile', JSON.stringify(profile));
  console.log(res.status, JSON.stringify(res.body), `${ms.toFixed(0)} ms`);
  await sim.close();
  await t.close();
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
