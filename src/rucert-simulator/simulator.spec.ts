import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { RucertSimulator, startRucertSimulator, STATUS_UNDER_EXAMINATION } from './simulator';

const TOKEN = 'sim-token';
const incident = (extra: Record<string, unknown> = {}) => ({
  category: 'Уведомление о компьютерной атаке',
  type: 'DDoS-атака',
  owner_name: 'АО "Ромашка"',
  event_description: 'DDoS',
  tlp: 'TLP:RED',
  detect_time: '2024-10-11T11:18:01.110Z',
  activity_status: 'Меры приняты',
  affected_system_name: 'Портал',
  affected_system_category: 'Объект КИИ без категории значимости',
  affected_system_function: 'Иная',
  location: 'RU-SPE',
  ...extra,
});

describe('NCIRCC emulator (startRucertSimulator)', () => {
  let sim: RucertSimulator;
  beforeAll(async () => {
    sim = await startRucertSimulator({ token: TOKEN });
  });
  afterAll(() => sim.close());
  beforeEach(() => sim.reset());

  async function api(method: string, path: string, body?: unknown, token: string | null = TOKEN) {
    const res = await fetch(`${sim.url}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', ...(token === null ? {} : { 'x-token': token }) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  }
  const control = async (method: string, path: string, body?: unknown) => api(method, `/_control${path}`, body, null);
  const uuids = `/incidents?fields=${encodeURIComponent('["uuid"]')}`;

  it('speaks profile 1.1.2 for a non-MSSP token by default', () => {
    expect(sim).toMatchObject({ profile: '1.1.2', mssp: false, login: 'soc-api', organization: 'АО "Ромашка"' });
  });

  it('registers a notification, answers 201 like NCIRCC and keeps the body as posted', async () => {
    const { status, body } = await api('POST', '/incidents', incident({ event_description: 'first' }));
    expect(status).toBe(201);
    const yearMonth = new Date().toISOString().slice(2, 7);
    expect(body).toEqual({ success: true, data: [{ identifier: `INC-${yearMonth}-1`, uuid: expect.any(String), create_time: expect.any(String) }] });
    const [created] = body.data;
    expect((await control('GET', '/received')).body).toEqual([
      {
        ...created,
        category: 'Уведомление о компьютерной атаке',
        status: STATUS_UNDER_EXAMINATION,
        reg_number: null,
        updated: created.create_time,
        body: incident({ event_description: 'first' }),
      },
    ]);
    expect((await api('POST', '/incidents', incident())).body.data[0].identifier).toBe(`INC-${yearMonth}-2`);
  });

  it('checks the token before anything is stored', async () => {
    expect(await api('POST', '/incidents', incident(), 'wrong')).toEqual({
      status: 401,
      body: { success: false, message: '[401 Unauthorized] Передан неверный токен', error: 'Передан неверный токен', statusCode: 401 },
    });
    expect((await api('GET', uuids, undefined, null)).status).toBe(401);
    expect(sim.received()).toHaveLength(0);
  });

  it('refuses a request that breaks the contract, naming the field', async () => {
    const { owner_name: _owner, ...body } = incident();
    expect(await api('POST', '/incidents', body)).toEqual({
      status: 400,
      body: {
        success: false,
        message: '[400 Bad Request] Не передано обязательное поле «owner_name»',
        error: 'Не передано обязательное поле «owner_name»',
        statusCode: 400,
      },
    });
    expect((await api('POST', '/incidents', '{oops')).body.error).toBe('Тело запроса не является JSON');
    expect(sim.received()).toHaveLength(0);
  });

  it('answers 404 on unknown routes and counts requests per route, before the token check', async () => {
    expect((await api('DELETE', '/incidents')).status).toBe(404);
    await api('POST', '/incidents', incident());
    await api('GET', uuids, undefined, 'wrong');
    await api('GET', '/incidents/x/files');
    expect((await control('GET', '/requests')).body).toEqual({
      'DELETE (unknown route)': 1,
      'POST /incidents': 1,
      'GET /incidents': 1,
      'GET /incidents/:uuid/files': 1,
    });
  });

  it('describes itself and its control routes at GET /_control', async () => {
    const { body } = await control('GET', '');
    expect(body).toMatchObject({ profile: '1.1.2', mssp: false, login: 'soc-api' });
    expect(body.routes).toEqual(expect.arrayContaining(['POST   /_control/cards/:uuid/request-supplement {comment?, login?}']));
  });

  it('lists the organisations the token reports for at GET /companies', async () => {
    expect((await api('GET', '/companies')).body).toEqual({
      data: [{ uuid: expect.any(String), name: 'АО "Ромашка"', updatedAt: expect.any(String) }],
      success: true,
      total: 1,
    });
  });

  describe('fault injection through /_control', () => {
    it('queues faults in order, uses each the given number of times, and lists them', async () => {
      expect((await control('POST', '/faults', { mode: 'http500', times: 2 })).status).toBe(201);
      await control('POST', '/faults', { mode: 'reject400' });
      expect((await control('GET', '/faults')).body.faults.map((f: any) => [f.mode, f.remaining])).toEqual([
        ['http500', 2],
        ['reject400', 1],
      ]);
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await api('POST', '/incidents', incident())).status);
      expect(statuses).toEqual([500, 500, 400, 201]);
      expect(sim.received()).toHaveLength(1);
    });

    it('answers the injected errors in the contract shape', async () => {
      sim.addFault({ mode: 'http500' });
      expect((await api('POST', '/incidents', incident())).body).toEqual({
        success: false,
        message: expect.stringMatching(/^\[500 Server Error\] /),
        error: expect.any(String),
        statusCode: 500,
      });
    });

    it('keeps a fault with times -1 until cleared', async () => {
      await control('POST', '/faults', { mode: 'success_false', times: -1 });
      for (let i = 0; i < 3; i++) expect((await api('POST', '/incidents', incident())).body).toMatchObject({ success: false });
      expect((await control('DELETE', '/faults')).body).toEqual({ cleared: 1 });
      expect((await api('POST', '/incidents', incident())).body.success).toBe(true);
    });

    it('applies faults to POST /incidents unless told another route, or "*"', async () => {
      await control('POST', '/faults', { mode: 'http500' });
      expect((await api('GET', uuids)).status).toBe(200);
      await control('DELETE', '/faults');
      await control('POST', '/faults', { mode: 'http500', route: 'GET /incidents' });
      expect((await api('POST', '/incidents', incident())).status).toBe(201);
      expect((await api('GET', uuids)).status).toBe(500);
      await control('POST', '/faults', { mode: 'reject400', route: '*' });
      expect((await api('GET', '/incidents/comments')).status).toBe(400);
    });

    it('refuses an unknown fault', async () => {
      expect((await control('POST', '/faults', { mode: 'explode' })).status).toBe(400);
      expect((await control('POST', '/faults', { mode: 'latency', times: 0 })).status).toBe(400);
    });

    it('delays with latency and then answers normally', async () => {
      await control('POST', '/faults', { mode: 'latency', delayMs: 150 });
      const started = Date.now();
      expect((await api('POST', '/incidents', incident())).status).toBe(201);
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    });

    it('stores then resets the connection', async () => {
      await control('POST', '/faults', { mode: 'store_then_reset' });
      await expect(api('POST', '/incidents', incident())).rejects.toThrow();
      expect(sim.received()).toHaveLength(1);
    });

    it('stores then hangs', async () => {
      await control('POST', '/faults', { mode: 'store_then_hang' });
      const post = fetch(`${sim.url}/incidents`, {
        method: 'POST',
        headers: { 'x-token': TOKEN },
        body: JSON.stringify(incident()),
        signal: AbortSignal.timeout(200),
      });
      await expect(post).rejects.toThrow();
      expect(sim.received()).toHaveLength(1);
    });

    it('holds without storing until released, then stores even if the client has gone', async () => {
      await control('POST', '/faults', { mode: 'hold' });
      const pending = fetch(`${sim.url}/incidents`, {
        method: 'POST',
        headers: { 'x-token': TOKEN },
        body: JSON.stringify(incident()),
        signal: AbortSignal.timeout(200),
      });
      await expect(pending).rejects.toThrow();
      expect((await control('GET', '/held')).body).toEqual({ held: 1 });
      expect(sim.received()).toHaveLength(0);
      expect((await control('POST', '/release')).body).toEqual({ released: 1 });
      expect(sim.received()).toHaveLength(1);
    });

    it('answers a held request that is still waiting once released', async () => {
      sim.addFault({ mode: 'hold' });
      const pending = api('POST', '/incidents', incident());
      while (sim.held() === 0) await new Promise((r) => setTimeout(r, 5));
      sim.release();
      expect((await pending).body.success).toBe(true);
    });

    it('forgets everything on reset', async () => {
      const uuid = (await api('POST', '/incidents', incident())).body.data[0].uuid;
      sim.addOperatorComment(uuid, 'Добрый день');
      await control('POST', '/faults', { mode: 'http500' });
      expect((await control('POST', '/reset')).body).toEqual({ ok: true });
      expect((await control('GET', '/received')).body).toEqual([]);
      expect((await control('GET', '/comments')).body).toEqual([]);
      expect((await control('GET', '/faults')).body.faults).toEqual([]);
      expect((await control('GET', '/requests')).body).toEqual({});
      expect((await api('POST', '/incidents', incident())).body.data[0].identifier).toMatch(/-1$/);
    });
  });

  it('serves the API under a prefix and the control API with or without it', async () => {
    const prefixed = await startRucertSimulator({ token: TOKEN, prefix: 'api/v2/' });
    try {
      expect(prefixed.url).toBe(`${prefixed.origin}/api/v2`);
      const post = (url: string) => fetch(url, { method: 'POST', headers: { 'x-token': TOKEN }, body: JSON.stringify(incident()) });
      expect((await post(`${prefixed.url}/incidents`)).status).toBe(201);
      expect((await post(`${prefixed.origin}/incidents`)).status).toBe(404);
      expect(await (await fetch(`${prefixed.origin}/_control/received`)).json()).toHaveLength(1);
      expect(await (await fetch(`${prefixed.url}/_control/received`)).json()).toHaveLength(1);
    } finally {
      await prefixed.close();
    }
  });

  it('refuses to start on a profile that does not exist', async () => {
    await expect(startRucertSimulator({ token: TOKEN, profile: '9.9' })).rejects.toThrow(/no NCIRCC profile "9.9"/);
    await expect(startRucertSimulator({ token: TOKEN, profile: '../1.1.2' })).rejects.toThrow(/not a profile folder name/);
  });

  it('closes promptly with hanging and held requests open', async () => {
    const other = await startRucertSimulator({ token: TOKEN });
    other.addFault({ mode: 'store_then_hang' });
    other.addFault({ mode: 'hold' });
    const post = () =>
      fetch(`${other.url}/incidents`, { method: 'POST', headers: { 'x-token': TOKEN }, body: JSON.stringify(incident()) }).catch(() => 'closed');
    const requests = [post(), post()];
    while (other.held() === 0) await new Promise((r) => setTimeout(r, 5));
    const started = Date.now();
    await other.close();
    expect(await Promise.all(requests)).toEqual(['closed', 'closed']);
    // held requests would keep close() waiting for ever; seconds on a busy machine are not a hang
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('runs as `npm run rucert:simulator` with a profile and token kind, and prints its URL and control API', async () => {
    const root = join(__dirname, '..', '..');
    const args = [
      '-r',
      '@swc-node/register',
      'scripts/rucert-simulator.ts',
      '--port',
      '0',
      '--token',
      TOKEN,
      '--prefix',
      '/api/v2',
      '--profile',
      '1.0',
      '--mssp',
    ];
    const child = spawn(process.execPath, args, { cwd: root });
    try {
      let out = '';
      child.stdout.setEncoding('utf8');
      while (!/POST {3}\/_control\/messages/.test(out)) {
        const [chunk] = (await Promise.race([
          once(child.stdout, 'data'),
          once(child, 'exit').then(() => {
            throw new Error('exited');
          }),
        ])) as [string];
        out += chunk;
      }
      expect(out).toContain('API profile 1.0, an MSSP token');
      const url = /listening: (\S+)/.exec(out)![1];
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v2$/);
      const res = await fetch(`${url}/incidents?fields=${encodeURIComponent('["uuid"]')}`, { headers: { 'x-token': TOKEN } });
      expect(await res.json()).toEqual({ success: true, data: { next: false, result: [] } });
      const noCompany = await fetch(`${url}/incidents`, { method: 'POST', headers: { 'x-token': TOKEN }, body: JSON.stringify(incident()) });
      expect(((await noCompany.json()) as { error: string }).error).toBe('Не передано поле «company»: оно обязательно для MSSP-провайдера');
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  }, 20000);
});
