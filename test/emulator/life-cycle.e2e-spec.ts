// A card's life as NCIRCC plays it through the control API: statuses, registration, a supplement asked for and
// received, comments both ways, messages from NCIRCC moved by the subject, and the demo's auto-registration.
import type { RucertSimulator } from '../../src/rucert-simulator/simulator';
import { api, attack, control, created, incident, list, startEmulator } from './support';

let sim: RucertSimulator;
beforeAll(async () => {
  sim = await startEmulator({ login: 'soc-bot' });
});
afterAll(() => sim.close());
afterEach(() => sim.reset());

const statusOf = async (uuid: string) =>
  (await list(sim, { fields: ['status', 'reg_number', 'updated'], filter: [{ property: 'uuid', operator: 'eq', value: uuid }] })).body.data.result[0];

describe('control routes playing NCIRCC', () => {
  it('sets any status by name, keeping a name NCIRCC may add later as it is', async () => {
    const uuid = await created(sim);
    expect((await control(sim, 'POST', `/cards/${uuid}/status`, { status: 'Зарегистрировано' })).body).toMatchObject({ uuid, status: 'Зарегистрировано' });
    expect((await statusOf(uuid)).status).toEqual({ id: 5, name: 'Зарегистрировано' });
    await control(sim, 'POST', `/cards/${uuid}/status`, { status: 'Передано в правоохранительные органы' });
    expect((await statusOf(uuid)).status).toEqual({ id: expect.any(Number), name: 'Передано в правоохранительные органы' });
    expect((await statusOf(uuid)).status.id).toBeGreaterThanOrEqual(1000);
  });

  it('assigns reg_number once, generated as <prefix>-YY-MM-N or as given', async () => {
    const [a, b] = [await created(sim), await created(sim)];
    expect((await control(sim, 'POST', `/cards/${a}/reg-number`, {})).body.reg_number).toMatch(/^RMSH-\d{2}-\d{2}-1$/);
    expect(await control(sim, 'POST', `/cards/${a}/reg-number`, { reg_number: 'X-1' })).toMatchObject({ status: 409 });
    expect((await control(sim, 'POST', `/cards/${b}/register`, { reg_number: 'RMSH-24-10-77' })).body).toMatchObject({
      status: 'Зарегистрировано',
      reg_number: 'RMSH-24-10-77',
    });
    expect(await control(sim, 'POST', '/cards/nope/status', { status: 'x' })).toMatchObject({ status: 404 });
  });

  it('posts an operator comment under NCIRCC’s login, and ours under the token’s', async () => {
    const uuid = await created(sim);
    expect((await control(sim, 'POST', `/cards/${uuid}/comments`, { text: 'Добрый день.' })).status).toBe(201);
    await api(sim, 'POST', '/comments', { 'incident.uuid': uuid, data: { comment: 'Принято' } });
    expect(sim.comments().map((c) => [c.login, c.text])).toEqual([
      ['ТИ НКЦКИ', 'Добрый день.'],
      ['soc-bot', 'Принято'],
    ]);
  });

  it('lists what it received: creates, updates, comments, files, cards', async () => {
    const uuid = await created(sim);
    for (const path of ['/received', '/cards']) expect((await control(sim, 'GET', path)).body).toHaveLength(1);
    for (const path of ['/updates', '/comments', '/files']) expect((await control(sim, 'GET', path)).body).toEqual([]);
    expect((await control(sim, 'GET', `/cards/${uuid}`)).body).toMatchObject({ uuid, kind: 'notification', fields: { owner_name: 'АО "Ромашка"' } });
  });
});

describe('a supplement asked for and received', () => {
  it('accepts exactly the supplement NCIRCC asked for, applies only its fields and hands the card back', async () => {
    const uuid = await created(sim);
    const asked = await control(sim, 'POST', `/cards/${uuid}/request-supplement`, { comment: 'Уточните время завершения' });
    expect(asked.body.status).toBe('Требуется дополнение');
    expect(sim.comments()).toMatchObject([{ incidentUuid: uuid, login: 'ТИ НКЦКИ', text: 'Уточните время завершения' }]);
    const before = await statusOf(uuid);

    const supplement = { uuid, status: 'Проверка НКЦКИ', end_time: new Date(Date.now() - 60_000).toISOString(), activity_status: 'Меры приняты' };
    const reply = await api(sim, 'POST', '/incidents', supplement);
    expect(reply).toEqual({
      status: 200,
      body: { success: true, data: [{ identifier: expect.stringMatching(/^INC-/), uuid, update_time: expect.any(String) }] },
    });
    expect(sim.updates()).toEqual([
      { uuid, identifier: reply.body.data[0].identifier, kind: 'supplement', time: reply.body.data[0].update_time, body: supplement },
    ]);
    const after = await statusOf(uuid);
    expect(after.status.name).toBe('Проверка НКЦКИ');
    expect(after.updated > before.updated).toBe(true);
    expect(sim.card(uuid)!.fields).toMatchObject({
      end_time: supplement.end_time,
      activity_status: 'Меры приняты',
      event_description: incident().event_description,
    });
    expect(sim.received()[0].body).toEqual(incident({ detect_time: sim.received()[0].body.detect_time }));
    expect((await api(sim, 'POST', '/incidents', supplement)).status).toBe(400); // the next one waits for NCIRCC again
  });

  it('supplements an attack with the attack fields', async () => {
    const uuid = await created(sim, attack());
    sim.requestSupplement(uuid);
    expect((await api(sim, 'POST', '/incidents', { uuid, status: 'Проверка НКЦКИ', city: 'Тверь' })).status).toBe(200);
    expect(sim.card(uuid)!.fields.city).toBe('Тверь');
  });
});

describe('comments', () => {
  it('answers a new comment with NCIRCC’s stored row', async () => {
    const uuid = await created(sim);
    const reply = await api(sim, 'POST', '/comments', { 'incident.uuid': uuid, data: { comment: 'hello' } });
    expect(reply).toEqual({
      status: 200,
      body: {
        success: true,
        data: {
          id: 1,
          incident_id: sim.card(uuid)!.id,
          comment: 'hello',
          user_id: 1,
          d_comment: expect.stringMatching(/T00:00:00\.000Z$/),
          t_comment: expect.stringMatching(/^\d\d:\d\d:\d\d$/),
          createdAt: expect.any(String),
          updatedAt: expect.any(String),
          to: '',
          parent_id: null,
          workgroup_resolved: false,
          options: {},
        },
      },
    });
  });

  it('lists a card’s comments and all comments, newest first, filtered by login, card and time', async () => {
    const [a, b] = [await created(sim), await created(sim)];
    sim.addOperatorComment(a, 'Первый');
    await api(sim, 'POST', '/comments', { 'incident.uuid': a, data: { comment: 'Второй' } });
    sim.addOperatorComment(b, 'Третий', 'Оператор НКЦКИ');
    const item = { id: 2, 'incident.uuid': a, text: 'Второй', login: 'soc-bot', 'incident.id': sim.card(a)!.identifier, create_time: expect.any(String) };
    expect((await api(sim, 'GET', `/incidents/${a}/comments`)).body).toEqual({ data: [item, expect.objectContaining({ id: 1 })], success: true });
    const q = (filter: unknown, extra = '') => api(sim, 'GET', `/incidents/comments?filter=${encodeURIComponent(JSON.stringify(filter))}${extra}`);
    const texts = async (filter: unknown, extra = '') => (await q(filter, extra)).body.data.map((c: { text: string }) => c.text);
    expect(await texts([{ property: 'login', operator: 'eq', value: 'Оператор НКЦКИ' }])).toEqual(['Третий']);
    expect(await texts([{ property: 'login', operator: 'in', value: ['ТИ НКЦКИ', 'soc-bot'] }])).toEqual(['Второй', 'Первый']);
    expect(await texts([{ property: 'incident_uuid', operator: 'eq', value: b }])).toEqual(['Третий']);
    expect(await texts([{ property: 'incident_id', operator: '!=', value: sim.card(b)!.identifier }])).toEqual(['Второй', 'Первый']);
    expect(await texts([{ property: 'create_time', operator: 'gt', value: '2000-01-01' }], '&sort=[{"property":"id","direction":"ASC"}]&limit=2')).toEqual([
      'Первый',
      'Второй',
    ]);
    expect(await texts([{ property: 'create_time', operator: 'lt', value: '2000-01-01' }])).toEqual([]);
  });

  it('does not move updated for a comment (profile.json updatedMovesOn.comment is false)', async () => {
    const uuid = await created(sim);
    const before = (await statusOf(uuid)).updated;
    sim.addOperatorComment(uuid, 'x');
    expect((await statusOf(uuid)).updated).toBe(before);
  });
});

describe('messages from NCIRCC', () => {
  it('creates a message of one of the 24 types, or of any type given, as "Новое" with an ALRT number', async () => {
    const first = await control(sim, 'POST', '/messages', {});
    expect(first).toMatchObject({
      status: 201,
      body: {
        kind: 'message',
        category: 'Сообщение от НКЦКИ',
        type: 'Зараженный ресурс',
        status: 'Новое',
        reg_number: expect.stringMatching(/^ALRT-\d{2}-\d{2}-1$/),
      },
    });
    const second = await control(sim, 'POST', '/messages', {
      type: 'Угроза компрометации ПДн',
      tlp: 'TLP:GREEN',
      inrelated_observables_domain: [{ value: 'rmsh.ru', reg_domain: '' }],
    });
    expect(second.body).toMatchObject({
      reg_number: expect.stringMatching(/-2$/),
      fields: { tlp: 'TLP:GREEN', inrelated_observables_domain: [{ value: 'rmsh.ru', reg_domain: '' }] },
    });
    expect((await control(sim, 'POST', '/messages', { type: 'Новый тип НКЦКИ' })).body.type).toBe('Новый тип НКЦКИ');
    expect((await control(sim, 'POST', '/messages', { password: 'x' })).status).toBe(400);
  });

  it('is moved by the subject: "В работе", then "Принято решение" with int_result', async () => {
    const { uuid } = sim.createMessage();
    expect((await api(sim, 'POST', '/incidents', { uuid, status: 'В работе' })).status).toBe(200);
    expect((await api(sim, 'POST', '/incidents', { uuid, status: 'Принято решение', int_result: 'Информация учтена' })).status).toBe(200);
    const [record] = (await list(sim, { fields: ['status', 'int_result'], filter: [{ property: 'uuid', operator: 'eq', value: uuid }] })).body.data.result;
    expect(record).toEqual({ status: { id: 6, name: 'Принято решение' }, int_result: 'Информация учтена' });
    expect(sim.updates().map((u) => [u.kind, u.body.status])).toEqual([
      ['message-status', 'В работе'],
      ['message-status', 'Принято решение'],
    ]);
  });
});

describe('token kinds and demo automation', () => {
  it('shows an MSSP token’s cards under the company it named', async () => {
    const mssp = await startEmulator({ mssp: true });
    try {
      await created(mssp, incident({ company: 'ООО "Лютик"' }));
      expect((await list(mssp, { fields: ['company'] })).body.data.result[0].company).toMatchObject({ name: 'ООО "Лютик"' });
      expect(mssp.received()[0].body.company).toBe('ООО "Лютик"');
    } finally {
      await mssp.close();
    }
  });

  it('registers each notification autoRegisterMs after it reaches "Проверка НКЦКИ", unless an operator moved it', async () => {
    const demo = await startEmulator({ autoRegisterMs: 50 });
    try {
      const [a, b] = [await created(demo), await created(demo)];
      demo.requestSupplement(b);
      await new Promise((r) => setTimeout(r, 150));
      expect(demo.card(a)).toMatchObject({ status: 'Зарегистрировано', reg_number: expect.stringMatching(/^RMSH-/) });
      expect(demo.card(b)).toMatchObject({ status: 'Требуется дополнение', reg_number: null });
    } finally {
      await demo.close();
    }
  });
});
