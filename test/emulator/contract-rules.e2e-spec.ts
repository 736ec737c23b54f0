// One test per rule of the NCIRCC emulator: a request that breaks it is refused in the contract's error shape
// ({success: false, message: "[400 Bad Request] …naming the field…", error, statusCode}) and leaves nothing stored;
// where a rule has a permitted side, the same request without the fault is accepted, so the refusal is the rule's.
import type { RucertSimulator } from '../../src/rucert-simulator/simulator';
import { api, attack, control, created, incident, leak, list, refusal, startEmulator, TOKEN, VULNERABILITY } from './support';

const FUTURE = () => new Date(Date.now() + 3_600_000).toISOString();
const ips = (n: number) => Array.from({ length: n }, (_, i) => ({ function: 'Центр управления ВПО', value: `10.0.${Math.floor(i / 250)}.${i % 250}` }));

let sim: RucertSimulator;
let mssp: RucertSimulator;
let v10: RucertSimulator;

beforeAll(async () => {
  [sim, mssp, v10] = await Promise.all([
    startEmulator(),
    startEmulator({ mssp: true, companies: ['АО "Ромашка"', 'ООО "Лютик"'] }),
    startEmulator({ profile: '1.0' }),
  ]);
});
afterAll(() => Promise.all([sim, mssp, v10].map((s) => s.close())));
afterEach(() => {
  for (const s of [sim, mssp, v10]) s.reset();
});

/** Posts a create that must be refused with this status and mention, and checks that nothing was stored. */
async function refused(target: RucertSimulator, body: unknown, status: number, mentions: string | RegExp) {
  expect(await api(target, 'POST', '/incidents', body)).toEqual(refusal(status, mentions));
  expect(target.received()).toEqual([]);
}

describe('token and routes', () => {
  it('refuses a wrong or missing token with 401 "Передан неверный токен" and stores nothing', async () => {
    expect(await api(sim, 'POST', '/incidents', incident(), 'wrong-token')).toEqual(refusal(401, 'Передан неверный токен'));
    expect(await api(sim, 'GET', '/incidents?fields=["uuid"]', undefined, null)).toEqual(refusal(401, 'Передан неверный токен'));
    expect(sim.received()).toEqual([]);
  });

  it('answers 404 in the contract shape for an unknown route or card', async () => {
    expect(await api(sim, 'DELETE', '/incidents')).toEqual(refusal(404, 'не найден'));
    expect(await api(sim, 'GET', '/incidents/no-such-card/files')).toEqual(refusal(404, 'no-such-card'));
    expect(await api(sim, 'POST', '/incidents', { uuid: 'no-such-card', status: 'Проверка НКЦКИ' })).toEqual(refusal(404, 'no-such-card'));
  });

  it('refuses a body that is not a JSON object', async () => {
    await refused(sim, '{oops', 400, 'не является JSON');
    await refused(sim, [incident()], 400, 'JSON-объектом');
  });
});

describe('creating a notification (profile 1.1.2)', () => {
  it('accepts a complete notification with 201 and the contract answer', async () => {
    const reply = await api(sim, 'POST', '/incidents', incident());
    expect(reply).toEqual({
      status: 201,
      body: { success: true, data: [{ identifier: expect.stringMatching(/^INC-\d{2}-\d{2}-1$/), uuid: expect.any(String), create_time: expect.any(String) }] },
    });
    expect(sim.received()).toHaveLength(1);
  });

  it.each([
    'owner_name',
    'event_description',
    'tlp',
    'detect_time',
    'activity_status',
    'affected_system_name',
    'affected_system_category',
    'affected_system_function',
    'location',
    'type',
  ])('requires %s', async (field) => {
    const { [field]: _omitted, ...body } = incident();
    await refused(sim, body, 400, `Не передано обязательное поле «${field}»`);
  });

  it('refuses company from a token that is not an MSSP one', async () => {
    await refused(sim, incident({ company: 'АО "Ромашка"' }), 400, 'Поле «company» передают только MSSP-провайдеры');
  });

  it('requires company from an MSSP token, and one of its organisations', async () => {
    await refused(mssp, incident(), 400, 'Не передано поле «company»: оно обязательно для MSSP-провайдера');
    await refused(mssp, incident({ company: 'ПАО "Чужая"' }), 400, 'Поле «company»: организация «ПАО "Чужая"» не закреплена за токеном');
    expect((await api(mssp, 'POST', '/incidents', incident({ company: 'ООО "Лютик"' }))).status).toBe(201);
  });

  it('refuses a computer-incident type removed in 1.1.x and accepts the two added', async () => {
    await refused(sim, incident({ type: 'Рассылка спам-сообщений с контролируемого ресурса' }), 400, 'Поле «type»: значение «Рассылка спам-сообщений');
    for (const type of ['Событие не связано с компьютерной атакой', 'Использование контролируемого ресурса для проведения атак']) {
      expect((await api(sim, 'POST', '/incidents', incident({ type }))).status).toBe(201);
    }
  });

  it('refuses the vulnerability category, switched off in 1.1.2', async () => {
    await refused(
      sim,
      incident({ category: VULNERABILITY, type: 'Уязвимый ресурс' }),
      400,
      'Поле «category»: значение «Уведомление о наличии уязвимости» не из справочника',
    );
  });

  it('accepts impacts on an attack in 1.1.2 and refuses them in 1.0', async () => {
    const impacts = { availability_impact: 'Высокое', integrity_impact: 'Низкое', confidentiality_impact: 'Отсутствует', custom_impact: 'Портал недоступен' };
    expect((await api(sim, 'POST', '/incidents', attack(impacts))).status).toBe(201);
    await refused(v10, attack(impacts), 400, 'Поле «availability_impact» не предусмотрено контрактом');
  });

  it('refuses an enumerated value outside its reference list (TLP, activity status, location, sector, CII category)', async () => {
    await refused(sim, incident({ tlp: 'RED' }), 400, 'Поле «tlp»: значение «RED» не из справочника');
    await refused(sim, incident({ activity_status: 'Закрыт' }), 400, 'Поле «activity_status»');
    await refused(sim, incident({ location: 'RU-XXX' }), 400, 'Поле «location»: значение «RU-XXX»');
    await refused(sim, incident({ affected_system_function: 'Торговля' }), 400, 'Поле «affected_system_function»');
    await refused(sim, incident({ affected_system_category: 'Объект КИИ' }), 400, 'Поле «affected_system_category»');
  });

  it('refuses a free-text field of 5001 characters and accepts 5000', async () => {
    await refused(sim, incident({ owner_name: 'Я'.repeat(5001) }), 400, 'Поле «owner_name»: более 5000 символов');
    await refused(sim, incident({ event_description: 'x'.repeat(5001) }), 400, 'Поле «event_description»: более 5000 символов');
    expect((await api(sim, 'POST', '/incidents', incident({ affected_system_name: 'Я'.repeat(5000) }))).status).toBe(201);
  });

  it('refuses a technical-details list whose JSON exceeds 5000 characters', async () => {
    const body = incident({ affected_system_connection: true, related_indicators_ipv4: ips(150) });
    expect(JSON.stringify(ips(150)).length).toBeGreaterThan(5000);
    await refused(sim, body, 400, /Поле «related_indicators_ipv4»: более 5000 символов \(\d+\)/);
    expect((await api(sim, 'POST', '/incidents', incident({ affected_system_connection: true, related_indicators_ipv4: ips(50) }))).status).toBe(201);
  });

  it('refuses a technical field the type does not take (malware_hash for a DDoS slowdown)', async () => {
    const hash = { affected_system_connection: true, malware_hash: [{ value: '837b05ef39ba55332d5ec44804e2daa0' }] };
    await refused(
      sim,
      incident({ type: 'Замедление работы ресурса в результате DDoS-атаки', ...hash }),
      400,
      'Поле «malware_hash» не допускается для типа «Замедление работы ресурса в результате DDoS-атаки»',
    );
    await refused(sim, attack({ type: 'Сетевое сканирование', ...hash }), 400, 'Поле «malware_hash» не допускается для типа «Сетевое сканирование»');
    expect((await api(sim, 'POST', '/incidents', incident(hash))).status).toBe(201);
  });

  it('refuses routing details (AS path) outside a traffic interception', async () => {
    const asPath = { affected_system_connection: true, related_observables_as_path: 'AS4:AS1' };
    await refused(sim, incident(asPath), 400, 'Поле «related_observables_as_path» не допускается для типа «Заражение ВПО»');
    expect((await api(sim, 'POST', '/incidents', incident({ type: 'Захват сетевого трафика', ...asPath }))).status).toBe(201);
  });

  it('refuses technical details unless affected_system_connection is true', async () => {
    const details = { related_observables_ipv4: [{ value: '12.12.12.12' }] };
    await refused(sim, incident(details), 400, 'Поле «affected_system_connection»: технические сведения передаются только при');
    await refused(sim, incident({ ...details, affected_system_connection: false }), 400, 'Поле «affected_system_connection»');
  });

  it('checks the shape of technical values (IPv4, indicator function)', async () => {
    await refused(
      sim,
      incident({ affected_system_connection: true, related_observables_ipv4: [{ value: '300.1.1.1' }] }),
      400,
      'Поле «related_observables_ipv4[0].value»: неверный формат (ipv4)',
    );
    await refused(
      sim,
      incident({ affected_system_connection: true, related_indicators_domain: [{ function: 'Ботнет', value: 'bad.ru' }] }),
      400,
      'Поле «related_indicators_domain[0].function»',
    );
  });

  it('refuses the personal-data-leak block on a type that does not take it', async () => {
    await refused(sim, incident({ type: 'Захват сетевого трафика', ...leak() }), 400, 'Поле «rkn_leak_pd» не допускается для типа «Захват сетевого трафика»');
    await refused(sim, attack(leak()), 400, 'Поле «rkn_leak_pd» не предусмотрено контрактом');
    expect((await api(sim, 'POST', '/incidents', incident({ type: 'Компрометация учетной записи', ...leak() }))).status).toBe(201);
  });

  it('requires the whole leak block once a leak is reported, and the flag with any rkn_* field', async () => {
    const { rkn_inn: _inn, ...withoutInn } = leak();
    await refused(sim, incident(withoutInn), 400, 'Не передано обязательное поле «rkn_inn»');
    await refused(sim, incident({ rkn_measures: 'Пароли сброшены' }), 400, 'Поле «rkn_leak_pd»: сведения об утечке ПДн');
  });

  it('refuses an ИНН that is not a number of 10 or 12 digits', async () => {
    await refused(sim, incident(leak({ rkn_inn: 77070838931 })), 400, 'Поле «rkn_inn»: ожидается число из 10 или 12 цифр');
    await refused(sim, incident(leak({ rkn_inn: '7707083893' })), 400, 'Поле «rkn_inn»: ожидается целое число');
    expect((await api(sim, 'POST', '/incidents', incident(leak({ rkn_inn: 500100732250 })))).status).toBe(201);
  });

  it('refuses detect_time and end_time in the future, judged on the emulator clock', async () => {
    await refused(sim, incident({ detect_time: FUTURE() }), 400, 'Поле «detect_time»: дата из будущего не допускается');
    await refused(sim, incident({ end_time: FUTURE() }), 400, 'Поле «end_time»: дата из будущего не допускается');
    const past = await startEmulator({ now: () => new Date('2024-01-01T00:00:00Z') });
    try {
      await refused(past, incident({ detect_time: '2024-06-01T00:00:00Z' }), 400, 'Поле «detect_time»: дата из будущего');
      expect((await api(past, 'POST', '/incidents', incident({ detect_time: '2023-12-31T23:00:00Z' }))).status).toBe(201);
    } finally {
      await past.close();
    }
  });

  it('refuses a date-time that is not ISO 8601 with a zone', async () => {
    await refused(sim, incident({ detect_time: '17.08.2020 15:22' }), 400, 'Поле «detect_time»: неверный формат (date-time)');
  });

  it('refuses an unknown property', async () => {
    await refused(sim, incident({ severity: 'high' }), 400, 'Поле «severity» не предусмотрено контрактом');
  });
});

describe('supplements and messages', () => {
  it('refuses a supplement while NCIRCC has not asked for one', async () => {
    const uuid = await created(sim);
    const reply = await api(sim, 'POST', '/incidents', { uuid, status: 'Проверка НКЦКИ', end_time: new Date().toISOString() });
    expect(reply).toEqual(refusal(400, 'Дополнение принимается только в статусе «Требуется дополнение»; статус уведомления — «Проверка НКЦКИ»'));
    expect(sim.updates()).toEqual([]);
  });

  it('refuses a supplement of a field that cannot be supplemented, or without the status', async () => {
    const uuid = await created(sim);
    sim.requestSupplement(uuid);
    expect(await api(sim, 'POST', '/incidents', { uuid, status: 'Проверка НКЦКИ', affected_system_name: 'другое' })).toEqual(
      refusal(400, 'Поле «affected_system_name» не предусмотрено'),
    );
    expect(await api(sim, 'POST', '/incidents', { uuid, city: 'Тверь' })).toEqual(refusal(400, 'Не передано обязательное поле «status»'));
    const attackUuid = await created(sim, attack());
    sim.requestSupplement(attackUuid);
    expect(await api(sim, 'POST', '/incidents', { uuid: attackUuid, status: 'Проверка НКЦКИ', custom_impact: 'x' })).toEqual(
      refusal(400, 'Поле «custom_impact» не предусмотрено'),
    );
    expect(sim.updates()).toEqual([]);
  });

  it('refuses a decision on a message from NCIRCC without int_result, and int_result without the decision', async () => {
    const { uuid } = sim.createMessage();
    expect(await api(sim, 'POST', '/incidents', { uuid, status: 'Принято решение' })).toEqual(refusal(400, 'Не передано обязательное поле «int_result»'));
    expect(await api(sim, 'POST', '/incidents', { uuid, status: 'В работе', int_result: 'Меры приняты' })).toEqual(
      refusal(400, 'Поле «int_result» не допускается'),
    );
    expect(sim.card(uuid)!.status).toBe('Новое');
  });

  it('refuses a change of a message NCIRCC has closed', async () => {
    const { uuid } = sim.createMessage();
    sim.setStatus(uuid, 'Взаимодействие завершено');
    expect(await api(sim, 'POST', '/incidents', { uuid, status: 'В работе' })).toEqual(
      refusal(400, 'Сообщение в статусе «Взаимодействие завершено» не изменяется'),
    );
  });

  it('refuses a comment longer than 5000 characters, empty, or on an unknown card', async () => {
    const uuid = await created(sim);
    expect(await api(sim, 'POST', '/comments', { 'incident.uuid': uuid, data: { comment: 'ы'.repeat(5001) } })).toEqual(
      refusal(400, 'Поле «data.comment»: более 5000 символов'),
    );
    expect(await api(sim, 'POST', '/comments', { 'incident.uuid': uuid, data: { comment: '' } })).toEqual(refusal(400, 'Поле «data.comment» пустое'));
    expect(await api(sim, 'POST', '/comments', { 'incident.uuid': 'nope', data: { comment: 'x' } })).toEqual(refusal(404, 'nope'));
    expect(sim.comments()).toEqual([]);
  });
});

describe('reading lists', () => {
  it('requires fields', async () => {
    expect(await list(sim, {})).toEqual(refusal(400, 'Не передано обязательное поле «fields»'));
    expect(await list(sim, { fields: ['uuid', 'secret_field'] })).toEqual(refusal(400, 'Поле «fields[1]»: значение «secret_field» не из справочника'));
  });

  it('filters only on uuid, reg_number, category, status, create_time and updated', async () => {
    const reply = await list(sim, { fields: ['uuid'], filter: [{ property: 'event_description', operator: 'like', value: '%x%' }] });
    expect(reply).toEqual(refusal(400, 'Поле «filter[0].property»: значение «event_description» не из справочника'));
  });

  it('refuses an operator that is not the contract’s, and a value of the wrong shape for the operator', async () => {
    expect(await list(sim, { fields: ['uuid'], filter: [{ property: 'status', operator: 'contains', value: 'x' }] })).toEqual(
      refusal(400, 'Поле «filter[0].operator»: значение «contains»'),
    );
    expect(await list(sim, { fields: ['uuid'], filter: [{ property: 'status', operator: 'in', value: 'Новое' }] })).toEqual(
      refusal(400, 'Поле «filter[0].value»: ожидается массив'),
    );
    expect(await list(sim, { fields: ['uuid'], filter: [{ property: 'create_time', operator: '>', value: 'вчера' }] })).toEqual(
      refusal(400, 'Поле «filter[0].value»: «вчера» не дата'),
    );
  });

  it('refuses limit 1001 and accepts 1000', async () => {
    expect(await list(sim, { fields: ['uuid'], limit: 1001 })).toEqual(refusal(400, 'Поле «limit»: не более 1000'));
    expect((await list(sim, { fields: ['uuid'], limit: 1000 })).status).toBe(200);
  });

  it('refuses parameters that are not JSON, and comment filters on other properties', async () => {
    expect(await list(sim, { fields: '[uuid' })).toEqual(refusal(400, 'Параметр «fields» не является JSON'));
    const reply = await api(sim, 'GET', `/incidents/comments?filter=${encodeURIComponent('[{"property":"text","operator":"eq","value":"x"}]')}`);
    expect(reply).toEqual(refusal(400, 'Поле «filter[0].property»: значение «text»'));
  });
});

describe('files', () => {
  it('refuses a file over 50 MB with 413 and stores none of the request', async () => {
    const uuid = await created(sim);
    const form = new FormData();
    form.set('uuid', uuid);
    form.append('files', new Blob([Buffer.from('small')]), 'small.txt');
    form.append('files', new Blob([Buffer.alloc(51 * 1024 * 1024, 0x61)]), 'big.bin');
    const res = await fetch(`${sim.url}/incidents`, { method: 'POST', headers: { 'x-token': TOKEN }, body: form });
    expect({ status: res.status, body: await res.json() }).toEqual(refusal(413, 'Файл «big.bin» больше 52428800 байт'));
    expect(sim.files()).toEqual([]);
    expect((await control(sim, 'GET', '/updates')).body).toEqual([]);
  }, 30_000);

  it('refuses an upload without uuid, with another part name, or with company from a non-MSSP token', async () => {
    const uuid = await created(sim);
    const post = async (build: (form: FormData) => void) => {
      const form = new FormData();
      build(form);
      const res = await fetch(`${sim.url}/incidents`, { method: 'POST', headers: { 'x-token': TOKEN }, body: form });
      return { status: res.status, body: await res.json() };
    };
    const file = new Blob([Buffer.from('x')]);
    expect(await post((f) => f.append('files', file, 'a.txt'))).toEqual(refusal(400, 'Не передано обязательное поле «uuid»'));
    expect(await post((f) => (f.set('uuid', uuid), f.append('file', file, 'a.txt')))).toEqual(refusal(400, 'Поле «file» не предусмотрено контрактом'));
    expect(await post((f) => (f.set('uuid', uuid), f.set('company', 'АО'), f.append('files', file, 'a.txt')))).toEqual(
      refusal(400, 'Поле «company» передают только MSSP-провайдеры'),
    );
    expect(await post((f) => f.set('uuid', uuid))).toEqual(refusal(400, 'Не передан ни один файл'));
    expect(sim.files()).toEqual([]);
  });
});
