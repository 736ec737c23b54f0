// Files attached to a card: POST /incidents as multipart/form-data (uuid, company for MSSP, one or more `files`),
// the contract's metadata with md5 and sha1, the raw bytes back, and the per-file limit taken from profile.json.
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_PROFILES_DIR } from '../../src/rucert-simulator/contract';
import type { RucertSimulator } from '../../src/rucert-simulator/simulator';
import { api, control, created, incident, list, refusal, startEmulator, TOKEN } from './support';

let sim: RucertSimulator;
beforeAll(async () => {
  sim = await startEmulator();
});
afterAll(() => sim.close());
afterEach(() => sim.reset());

const hash = (algorithm: string, bytes: Buffer) => createHash(algorithm).update(bytes).digest('hex');

async function upload(target: RucertSimulator, parts: Record<string, string>, files: Array<{ name: string; bytes: Buffer; type?: string }>) {
  const form = new FormData();
  for (const [name, value] of Object.entries(parts)) form.set(name, value);
  for (const f of files) form.append('files', new Blob([f.bytes], { type: f.type ?? 'application/octet-stream' }), f.name);
  const res = await fetch(`${target.url}/incidents`, { method: 'POST', headers: { 'x-token': TOKEN }, body: form });
  return { status: res.status, body: await res.json() };
}

it('stores uploaded files with their hashes and gives them back byte for byte', async () => {
  const uuid = await created(sim);
  const binary = randomBytes(1024 * 1024 + 17);
  const text = Buffer.from('IP-адреса: 5.5.5.5\n', 'utf8');
  const before = sim.card(uuid)!.updated;

  const reply = await upload(sim, { uuid }, [
    { name: 'дамп.pcap', bytes: binary },
    { name: 'ioc_info.txt', bytes: text, type: 'text/plain' },
  ]);
  expect(reply).toEqual({
    status: 200,
    body: { success: true, data: [{ identifier: sim.card(uuid)!.identifier, uuid, update_time: sim.card(uuid)!.updated }] },
  });
  expect(sim.card(uuid)!.updated > before).toBe(true); // profile.json updatedMovesOn.file

  const meta = await api(sim, 'GET', `/incidents/${uuid}/files`);
  expect(meta).toEqual({
    status: 200,
    body: {
      success: true,
      data: [
        {
          id: 1,
          name: 'дамп',
          filename: 'дамп.pcap',
          description: '',
          size: binary.length,
          type: 'application/octet-stream',
          md5: hash('md5', binary),
          sha1: hash('sha1', binary),
          source: '',
          add_date: expect.any(String),
        },
        {
          id: 2,
          name: 'ioc_info',
          filename: 'ioc_info.txt',
          description: '',
          size: text.length,
          type: 'text/plain',
          md5: hash('md5', text),
          sha1: hash('sha1', text),
          source: '',
          add_date: expect.any(String),
        },
      ],
    },
  });
  expect(sim.files().map((f) => f.sha256)).toEqual([hash('sha256', binary), hash('sha256', text)]);

  const download = await fetch(`${sim.url}/incidents/files/1/download`, { headers: { 'x-token': TOKEN } });
  expect(download.status).toBe(200);
  expect(Buffer.from(await download.arrayBuffer()).equals(binary)).toBe(true);
  expect(download.headers.get('content-disposition')).toBe(`attachment; filename*=UTF-8''${encodeURIComponent('дамп.pcap')}`);
  expect(sim.fileContent(2)!.toString('utf8')).toBe('IP-адреса: 5.5.5.5\n');

  expect((await list(sim, { fields: ['files'] })).body.data.result[0].files.map((f: { filename: string }) => f.filename)).toEqual([
    'дамп.pcap',
    'ioc_info.txt',
  ]);
  expect((await control(sim, 'GET', '/updates')).body).toEqual([
    {
      uuid,
      identifier: expect.any(String),
      kind: 'files',
      time: expect.any(String),
      body: { uuid, files: [expect.objectContaining({ id: 1, filename: 'дамп.pcap', sha256: hash('sha256', binary) }), expect.objectContaining({ id: 2 })] },
    },
  ]);
});

it('attaches files to a message from NCIRCC too, and answers 404 for an unknown card or file', async () => {
  const { uuid } = sim.createMessage();
  expect((await upload(sim, { uuid }, [{ name: 'a.txt', bytes: Buffer.from('a') }])).status).toBe(200);
  expect(await upload(sim, { uuid: 'nope' }, [{ name: 'a.txt', bytes: Buffer.from('a') }])).toEqual(refusal(404, 'nope'));
  expect(await api(sim, 'GET', '/incidents/files/99/download')).toEqual(refusal(404, 'Файл «99» не найден'));
});

it('requires company in an upload from an MSSP token', async () => {
  const mssp = await startEmulator({ mssp: true });
  try {
    const uuid = await created(mssp, incident({ company: 'АО "Ромашка"' }));
    expect(await upload(mssp, { uuid }, [{ name: 'a.txt', bytes: Buffer.from('a') }])).toEqual(refusal(400, 'Не передано поле «company»'));
    expect((await upload(mssp, { uuid, company: 'АО "Ромашка"' }, [{ name: 'a.txt', bytes: Buffer.from('a') }])).status).toBe(200);
  } finally {
    await mssp.close();
  }
});

it('takes the per-file limit from profile.json: a profile is a folder, switched by data', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ncircc-profiles-'));
  try {
    cpSync(join(DEFAULT_PROFILES_DIR, '1.1.2'), join(dir, 'small-files'), { recursive: true });
    const configPath = join(dir, 'small-files', 'profile.json');
    writeFileSync(configPath, JSON.stringify({ ...JSON.parse(readFileSync(configPath, 'utf8')), profile: 'small-files', maxFileBytes: 1000 }));
    const small = await startEmulator({ profile: 'small-files', profilesDir: dir });
    try {
      expect(small.profile).toBe('small-files');
      const uuid = await created(small);
      expect((await upload(small, { uuid }, [{ name: 'ok.bin', bytes: Buffer.alloc(1000) }])).status).toBe(200);
      expect(await upload(small, { uuid }, [{ name: 'big.bin', bytes: Buffer.alloc(1001) }])).toEqual(refusal(413, 'Файл «big.bin» больше 1000 байт'));
      expect(small.files().map((f) => f.filename)).toEqual(['ok.bin']);
    } finally {
      await small.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
