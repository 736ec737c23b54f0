import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { RucertSimulator, startRucertSimulator } from './simulator';

const TOKEN = 'sim-token';
const incident = (extra: Record<string, unknown> = {}) => ({ company: 'ACME', category: 'Уведомление о компьютерной атаке', type: 'DDoS-атака', ...extra });

describe('RuCERT simulator', () => {
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
  const list = (query: string) => api('GET', `/incidents${query}`);
  const filter = (...conditions: unknown[]) => `filter=${encodeURIComponent(JSON.stringify(conditions))}`;

  it('registers a notification and answers like RuCERT', async () => {
    const { status, body } = await api('POST', '/incidents', incident({ event_description: 'first' }));
    expect(status).toBe(200);
    expect(body).toEqual({
      success: true,
      data: [{ uuid: expect.any(String), identifier: `INC-${new Date().getUTCFullYear()}-00001`, create_time: expect.any(String) }],
    });
    expect((await control('GET', '/received')).body).toEqual([
      {
        uuid: body.data[0].uuid,
        identifier: body.data[0].identifier,
        create_time: body.data[0].create_time,
        status: 'Проверка НКЦКИ',
        body: incident({ event_description: 'first' }),
      },
    ]);
    expect((await api('POST', '/incidents', incident())).body.data[0].identifier).toMatch(/-00002$/);
  });

  it('checks the token', async () => {
    expect(await api('POST', '/incidents', incident(), 'wrong')).toEqual({ status: 401, body: expect.objectContaining({ success: false }) });
    expect((await api('GET', '/incidents', undefined, null)).status).toBe(401);
    expect(sim.received()).toHaveLength(0);
  });

  it('refuses a notification without company, category or type, naming the field', async () => {
    expect(await api('POST', '/incidents', { company: 'ACME', category: 'c' })).toEqual({
      status: 400,
      body: expect.objectContaining({ success: false, message: 'Field "type" is required' }),
    });
    expect((await api('POST', '/incidents', [1])).status).toBe(400);
    expect((await api('POST', '/incidents', '{oops')).body.message).toBe('The body is not valid JSON');
    expect(sim.received()).toHaveLength(0);
  });

  describe('GET /incidents', () => {
    beforeEach(async () => {
      for (const [i, severity] of [
        [1, 'low'],
        [2, 'high'],
        [3, 'high'],
        [4, 'low'],
        [5, 'high'],
      ] as const) {
        await api('POST', '/incidents', incident({ event_description: `SOC incident #${i}`, severity, n: i }));
      }
    });

    it('pages with limit and offset and gives the total', async () => {
      const { body } = await list('?limit=2&offset=3');
      expect(body.success).toBe(true);
      expect(body.data.total).toBe(5);
      expect(body.data.result.map((r: any) => r.n)).toEqual([4, 5]);
      expect(body.data.result[0]).toMatchObject({ uuid: expect.any(String), identifier: expect.any(String), status: 'Проверка НКЦКИ', company: 'ACME' });
      expect((await list('?offset=10')).body.data).toEqual({ result: [], total: 5 });
    });

    it('filters with =, like and contains (substring), and combines conditions', async () => {
      const ns = async (q: string) => (await list(`?${q}`)).body.data.result.map((r: any) => r.n);
      expect(await ns(filter({ property: 'severity', operator: '=', value: 'high' }))).toEqual([2, 3, 5]);
      expect(await ns(filter({ property: 'event_description', operator: 'like', value: '#3' }))).toEqual([3]);
      expect(await ns(filter({ property: 'event_description', operator: 'like', value: '%incident #4%' }))).toEqual([4]);
      expect(await ns(filter({ property: 'event_description', operator: 'contains', value: 'SOC' }))).toEqual([1, 2, 3, 4, 5]);
      expect(await ns(filter({ property: 'severity', operator: '=', value: 'low' }, { property: 'n', operator: '>=', value: 2 }))).toEqual([4]);
      expect(await ns(filter({ property: 'nope', operator: '=', value: 'x' }))).toEqual([]);
    });

    it('filters times with >= and <=', async () => {
      const all = (await list('')).body.data.result;
      const third = all[2].create_time;
      const since = (await list(`?${filter({ property: 'create_time', operator: '>=', value: third })}`)).body.data.result;
      expect(since.map((r: any) => r.n)).toEqual(all.filter((r: any) => r.create_time >= third).map((r: any) => r.n));
      const until = (await list(`?${filter({ property: 'n', operator: '<=', value: 2 })}`)).body.data;
      expect(until.total).toBe(2);
    });

    it('refuses a malformed filter, an unknown operator and a bad limit with 400', async () => {
      expect((await list('?filter=notjson')).status).toBe(400);
      expect((await list(`?filter=${encodeURIComponent('{"property":"a"}')}`)).status).toBe(400);
      expect((await list(`?${filter({ property: 'n', operator: '!=', value: 1 })}`)).body.message).toBe('unsupported filter operator "!="');
      expect((await list('?limit=-1')).status).toBe(400);
    });
  });

  it('keeps comments per incident', async () => {
    const uuid = (await api('POST', '/incidents', incident())).body.data[0].uuid;
    const added = await api('POST', '/comments', { 'incident.uuid': uuid, data: { comment: 'Дополнение' } });
    expect(added).toEqual({ status: 200, body: { success: true, data: [{ uuid: expect.any(String), create_time: expect.any(String) }] } });
    expect((await api('GET', `/incidents/${uuid}/comments`)).body.data).toEqual({
      result: [{ uuid: added.body.data[0].uuid, incident_uuid: uuid, comment: 'Дополнение', create_time: expect.any(String) }],
      total: 1,
    });
    expect((await api('POST', '/comments', { 'incident.uuid': 'nope', data: { comment: 'x' } })).status).toBe(404);
    expect((await api('GET', '/incidents/nope/comments')).status).toBe(404);
    expect((await api('POST', '/comments', { comment: 'x' })).status).toBe(400);
  });

  it('lists the companies it has heard of', async () => {
    await api('POST', '/incidents', incident());
    expect((await api('GET', '/companies')).body.data).toEqual({ result: [{ id: 1, name: 'ACME' }], total: 1 });
  });

  it('answers 404 on unknown routes and counts requests per route', async () => {
    expect((await api('DELETE', '/incidents')).status).toBe(404);
    await api('POST', '/incidents', incident());
    await api('GET', '/incidents', undefined, 'wrong');
    expect((await control('GET', '/requests')).body).toEqual({ 'DELETE (unknown route)': 1, 'POST /incidents': 1, 'GET /incidents': 1 });
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
      expect(statuses).toEqual([500, 500, 400, 200]);
      expect(sim.received()).toHaveLength(1);
    });

    it('keeps a fault with times -1 until cleared', async () => {
      await control('POST', '/faults', { mode: 'success_false', times: -1 });
      for (let i = 0; i < 3; i++) expect((await api('POST', '/incidents', incident())).body).toMatchObject({ success: false });
      expect((await control('DELETE', '/faults')).body).toEqual({ cleared: 1 });
      expect((await api('POST', '/incidents', incident())).body.success).toBe(true);
    });

    it('applies faults to POST /incidents unless told another route, or "*"', async () => {
      await control('POST', '/faults', { mode: 'http500' });
      expect((await api('GET', '/incidents')).status).toBe(200);
      await control('DELETE', '/faults');
      await control('POST', '/faults', { mode: 'http500', route: 'GET /incidents' });
      expect((await api('POST', '/incidents', incident())).status).toBe(200);
      expect((await api('GET', '/incidents')).status).toBe(500);
      await control('POST', '/faults', { mode: 'reject400', route: '*' });
      expect((await api('GET', '/companies')).status).toBe(400);
    });

    it('refuses an unknown fault', async () => {
      expect((await control('POST', '/faults', { mode: 'explode' })).status).toBe(400);
      expect((await control('POST', '/faults', { mode: 'latency', times: 0 })).status).toBe(400);
    });

    it('delays with latency and then answers normally', async () => {
      await control('POST', '/faults', { mode: 'latency', delayMs: 150 });
      const started = Date.now();
      expect((await api('POST', '/incidents', incident())).status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    });

    it('stores then resets the connection', async () => {
      await control('POST', '/faults', { mode: 'store_then_reset' });
      await expect(api('POST', '/incidents', incident())).rejects.toThrow();
      expect(sim.received()).toHaveLength(1);
    });

    it('stores then hangs', async () => {
      await control('POST', '/faults', { mode: 'store_then_hang' });
      await expect(
        fetch(`${sim.url}/incidents`, { method: 'POST', headers: { 'x-token': TOKEN }, body: JSON.stringify(incident()), signal: AbortSignal.timeout(200) }),
      ).rejects.toThrow();
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
      await api('POST', '/incidents', incident());
      await control('POST', '/faults', { mode: 'http500' });
      expect((await control('POST', '/reset')).body).toEqual({ ok: true });
      expect((await control('GET', '/received')).body).toEqual([]);
      expect((await control('GET', '/faults')).body.faults).toEqual([]);
      expect((await control('GET', '/requests')).body).toEqual({});
    });
  });

  it('serves the API under a prefix and the control API with or without it', async () => {
    const prefixed = await startRucertSimulator({ token: TOKEN, prefix: 'api/v2/' });
    try {
      expect(prefixed.url).toBe(`${prefixed.origin}/api/v2`);
      const post = (url: string) => fetch(url, { method: 'POST', headers: { 'x-token': TOKEN }, body: JSON.stringify(incident()) });
      expect((await post(`${prefixed.url}/incidents`)).status).toBe(200);
      expect((await post(`${prefixed.origin}/incidents`)).status).toBe(404);
      expect(await (await fetch(`${prefixed.origin}/_control/received`)).json()).toHaveLength(1);
      expect(await (await fetch(`${prefixed.url}/_control/received`)).json()).toHaveLength(1);
    } finally {
      await prefixed.close();
    }
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
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('runs as `npm run rucert:simulator` and prints its URL', async () => {
    const root = join(__dirname, '..', '..');
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'scripts/rucert-simulator.ts', '--port', '0', '--token', TOKEN, '--prefix', '/api/v2'], {
      cwd: root,
    });
    try {
      let out = '';
      child.stdout.setEncoding('utf8');
      while (!/listening: (\S+)/.test(out)) {
        const [chunk] = (await Promise.race([
          once(child.stdout, 'data'),
          once(child, 'exit').then(() => {
            throw new Error('exited');
          }),
        ])) as [string];
        out += chunk;
      }
      const url = /listening: (\S+)/.exec(out)![1];
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v2$/);
      const res = await fetch(`${url}/incidents`, { headers: { 'x-token': TOKEN } });
      expect(await res.json()).toEqual({ success: true, data: { result: [], total: 0 } });
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  }, 20000);
});
