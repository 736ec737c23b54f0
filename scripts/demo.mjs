// npm run demo: the service on a fresh SQLite database under ./data/demo, a local RuCERT simulator, a demo license
// signed by the DEMO vendor key (keys/README.md), integration settings pointing at the simulator, one API token per
// role printed to the console, and sample incidents — so a newcomer can export within a minute. The card's life is
// played within the minute too: the simulator registers every export DEMO_REGISTER_MS after it reaches "Проверка
// НКЦКИ", the demo exports the second sample itself and NCIRCC asks for a supplement on it with an operator comment,
// NCIRCC sends one message (which becomes an incident), and the service reads NCIRCC every DEMO_SYNC_INTERVAL_MS.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ensureBuilt, root } from './ensure-built.mjs';

const PORT = Number(process.env.PORT ?? 3000);
const SIM_PORT = Number(process.env.DEMO_RUCERT_PORT ?? 9400);
const DATA_DIR = process.env.DEMO_DATA_DIR ?? join(root, 'data', 'demo');
const RUCERT_TOKEN = 'demo-rucert-token';
const REGISTER_MS = Number(process.env.DEMO_REGISTER_MS ?? 5000);
const SYNC_INTERVAL_MS = String(process.env.DEMO_SYNC_INTERVAL_MS ?? 5000);

ensureBuilt();
const require = createRequire(import.meta.url);
const { startRucertSimulator } = require(join(root, 'dist/src/rucert-simulator/simulator.js'));
const { signLicenseKey } = require(join(root, 'dist/src/license/license-key.js'));

rmSync(DATA_DIR, { recursive: true, force: true });
const sim = await startRucertSimulator({ port: SIM_PORT, host: '127.0.0.1', token: RUCERT_TOKEN, prefix: '/api/v2', autoRegisterMs: REGISTER_MS });
const adminToken = `demo-admin-${randomBytes(16).toString('hex')}`;
const service = spawn(process.execPath, [join(root, 'dist/src/main.js')], {
  stdio: 'inherit',
  env: {
    ...process.env,
    PORT: String(PORT),
    DATABASE_URL: `sqlite:${join(DATA_DIR, 'rucert-export.sqlite')}`,
    DATA_DIR,
    ADMIN_TOKEN: adminToken,
    // the integration setting syncIntervalMs is at least a minute; the demo reads NCIRCC every few seconds
    SYNC_INTERVAL_MS,
    // the demo license below is signed with the demo key; outside the demo, the service verifies with the vendor's
    LICENSE_PUBLIC_KEY_FILE: join(root, 'keys/license-demo.public.pem'),
  },
});
const stop = async () => {
  service.kill('SIGTERM');
  await sim.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
service.on('exit', (code) => {
  console.error(`the service exited (${code})`);
  void sim.close().then(() => process.exit(code ?? 1));
});

const base = `http://127.0.0.1:${PORT}/api`;
async function api(method, path, body, token = adminToken) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

for (let i = 0; ; i++) {
  try {
    if ((await fetch(`${base}/health`)).ok) break;
  } catch {
    // not listening yet
  }
  if (i > 300) throw new Error('the service did not start');
  await new Promise((r) => setTimeout(r, 100));
}

const demoKey = readFileSync(join(root, 'keys/license-demo.private.pem'), 'utf8');
const now = Date.now();
const key = signLicenseKey(
  {
    licenseId: 'LIC-DEMO',
    customer: 'Demo customer',
    modules: ['gossopka'],
    validFrom: new Date(now - 86_400_000),
    validUntil: new Date(now + 365 * 86_400_000),
  },
  demoKey,
);
await api('PUT', '/license', { key });
await api('PUT', '/integrations/rucert', {
  enabled: true,
  url: sim.url,
  token: RUCERT_TOKEN,
  companyName: 'АО «Демонстрационная организация»',
  ownerName: 'АО «Демонстрационная организация»',
  detectionTool: 'KUMA 3.2',
  defaultAffectedSystemFunction: 'banking_finance',
  defaultLocation: 'RU-MOW',
  inboundEnabled: true,
});
const tokens = {};
for (const role of ['compliance', 'analyst', 'ingest']) tokens[role] = (await api('POST', '/tokens', { name: `demo ${role}`, role })).token;
const samples = [
  {
    externalId: 'DEMO-1',
    title: 'Trojan on the accounting server',
    description: 'EDR: Trojan.Win32.Agent in a mail attachment',
    severity: 'high',
    detectedAt: new Date(now - 3_600_000).toISOString(),
  },
  {
    externalId: 'DEMO-2',
    title: 'Password spraying against the VPN',
    description: '1,240 failed logins from 203.0.113.0/24',
    severity: 'medium',
    detectedAt: new Date(now - 7_200_000).toISOString(),
  },
  {
    externalId: 'DEMO-3',
    title: 'Outdated nginx on the public portal',
    description: 'Scanner found CVE-2021-23017',
    severity: 'low',
    detectedAt: new Date(now - 86_400_000).toISOString(),
    status: 'closed',
    closedAt: new Date(now - 3_600_000).toISOString(),
  },
];
const incidents = [];
for (const s of samples) incidents.push(await api('POST', '/incidents', s, tokens.ingest));

const first = incidents[0].id;

// NCIRCC's side of the life cycle. The second sample is exported now; NCIRCC asks for more information on it (the
// analyst sees "Требуется дополнение" and the operator's comment, answers with a supplement, and the simulator then
// registers it). The first sample waits for the printed curl; the simulator registers it a few seconds after.
const second = incidents[1].id;
const exported = await api(
  'POST',
  `/incidents/${second}/rucert-export`,
  {
    data: {
      category: 'computer_attack',
      type: 'failed_authorization',
      affectedSystemName: 'vpn-gw-01',
      affectedSystemCategory: 'not_cii',
    },
  },
  tokens.analyst,
);
sim.requestSupplement(exported.rucert.uuid, {
  text: 'Укажите, пожалуйста, меры, принятые по блокировке адресов 203.0.113.0/24, и время окончания атаки.',
});
const message = sim.createMessage({
  type: 'Зараженный ресурс',
  event_description: 'Узел 198.51.100.7 организации обращается к серверу управления ботнетом',
  detect_time: new Date(now - 1_800_000).toISOString(),
  inrelated_observables_ipv4: [{ value: '198.51.100.7', country: 'RU' }],
});
console.log(`
  rucert-export demo is running: http://localhost:${PORT}/   (RuCERT simulator: ${sim.url})

  API tokens (sign in with one in the UI):
    admin       ${adminToken}
    compliance  ${tokens.compliance}
    analyst     ${tokens.analyst}
    ingest      ${tokens.ingest}

  Export the first sample incident with one curl:
    curl -s -X POST http://localhost:${PORT}/api/incidents/${first}/rucert-export \\
      -H 'Authorization: Bearer ${tokens.analyst}' -H 'Content-Type: application/json' \\
      -d '{"data":{"category":"computer_incident","type":"malware_infection","affectedSystemName":"acc-srv-01","affectedSystemCategory":"not_cii"}}'

  NCIRCC's side (the service reads it every ${Number(SYNC_INTERVAL_MS) / 1000} s): every export is registered
  ${REGISTER_MS / 1000} s after it reaches "Проверка НКЦКИ"; incident ${second} is exported and NCIRCC asks for a supplement
  on it with a comment; message ${message.reg_number} from NCIRCC becomes an incident.

  What the simulator received: curl -s ${sim.origin}/_control/received
  Ctrl+C stops both. Data: ${DATA_DIR} (recreated at every demo start).
`);
