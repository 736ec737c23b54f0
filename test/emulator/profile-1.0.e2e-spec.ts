// Profile 1.0: the API as connectors used it before 1.1 (docs/ncircc.md). Version 1 of the product's form must still
// export against it; its vocabulary differs from 1.1.2 while the protocol (answers, lists, company, dates) does not.
import schema from '../../schemas/forms/rucert-export/v1/schema.json';
import samples from '../../schemas/forms/rucert-export/v1/samples.json';
import { toWirePayload } from '../../src/schema/wire-mapper';
import type { RucertSimulator } from '../../src/rucert-simulator/simulator';
import { api, attack, incident, INCIDENT, list, refusal, startEmulator, VULNERABILITY } from './support';

let v10: RucertSimulator;
let v10mssp: RucertSimulator;
let v112: RucertSimulator;
beforeAll(async () => {
  [v10, v10mssp, v112] = await Promise.all([startEmulator({ profile: '1.0' }), startEmulator({ profile: '1.0', mssp: true }), startEmulator()]);
});
afterAll(() => Promise.all([v10, v10mssp, v112].map((s) => s.close())));

const vulnerability = (over: Record<string, unknown> = {}) =>
  incident({
    category: VULNERABILITY,
    type: 'Уязвимый ресурс',
    product_info: [{ name: 'nginx', version: '1.18.0' }],
    vulnerability_id: 'CVE-2021-23017',
    ...over,
  });

it('speaks profile 1.0 when asked', () => expect(v10.profile).toBe('1.0'));

it.each(samples.valid.map((s) => [s.name, s.data] as const))('accepts a version-1 export as the product sends it today: %s', async (_name, data) => {
  // What the export service adds to the form's wire payload: company, the description with our reference line, the
  // detection time and the activity status.
  const payload = {
    company: 'ООО «Тестовая организация»',
    event_description: 'EDR alert 4711\n\nrucert-export incident 42',
    detect_time: '2026-01-20T08:30:00.000Z',
    activity_status: 'Проводятся мероприятия по реагированию',
    ...toWirePayload(schema, data as Record<string, unknown>),
  };
  const reply = await api(v10mssp, 'POST', '/incidents', payload);
  expect(reply).toEqual({ status: 201, body: { success: true, data: [expect.objectContaining({ identifier: expect.any(String) })] } });
  expect(v10mssp.received().at(-1)!.body).toEqual(payload);
});

it('accepts a vulnerability notification with a 500,000-character name, which 1.1.2 refuses', async () => {
  const body = vulnerability({ affected_system_name: 'Щ'.repeat(500_000) });
  expect((await api(v10, 'POST', '/incidents', body)).status).toBe(201);
  expect(v10.received().at(-1)!.body.affected_system_name).toHaveLength(500_000);
  expect(await api(v112, 'POST', '/incidents', body)).toEqual(refusal(400, 'Поле «category»: значение «Уведомление о наличии уязвимости» не из справочника'));
  expect(await api(v10, 'POST', '/incidents', vulnerability({ affected_system_name: 'Щ'.repeat(500_001) }))).toEqual(
    refusal(400, 'Поле «affected_system_name»: более 500000 символов'),
  );
});

it('requires at least one vulnerable product, each with a name and a version', async () => {
  expect(await api(v10, 'POST', '/incidents', vulnerability({ product_info: [] }))).toEqual(refusal(400, 'Поле «product_info»: менее 1 элементов'));
  expect(await api(v10, 'POST', '/incidents', vulnerability({ product_info: [{ name: 'nginx' }] }))).toEqual(
    refusal(400, 'Не передано обязательное поле «product_info[0].version»'),
  );
});

it('keeps the eleven old computer-incident types and knows none of the new ones', async () => {
  expect((await api(v10, 'POST', '/incidents', incident({ type: 'Рассылка спам-сообщений с контролируемого ресурса' }))).status).toBe(201);
  expect(await api(v10, 'POST', '/incidents', incident({ type: 'Событие не связано с компьютерной атакой' }))).toEqual(refusal(400, 'Поле «type»'));
});

it('accepts owner_name but does not require it', async () => {
  const { owner_name: _owner, ...withoutOwner } = incident();
  expect((await api(v10, 'POST', '/incidents', withoutOwner)).status).toBe(201);
  expect((await api(v10, 'POST', '/incidents', incident())).status).toBe(201);
});

it('takes impacts on a computer incident only, and no technical details at all', async () => {
  expect((await api(v10, 'POST', '/incidents', incident({ availability_impact: 'Высокое' }))).status).toBe(201);
  expect(await api(v10, 'POST', '/incidents', attack({ integrity_impact: 'Низкое' }))).toEqual(refusal(400, 'Поле «integrity_impact» не предусмотрено'));
  const details = { affected_system_connection: true, related_observables_ipv4: [{ value: '1.2.3.4' }] };
  expect(await api(v10, 'POST', '/incidents', incident(details))).toEqual(refusal(400, 'Поле «related_observables_ipv4» не предусмотрено'));
});

it('follows the same protocol as 1.1.2: company rule, future dates, required fields in lists', async () => {
  expect(await api(v10, 'POST', '/incidents', incident({ company: 'ООО' }))).toEqual(refusal(400, 'Поле «company» передают только MSSP-провайдеры'));
  expect(await api(v10mssp, 'POST', '/incidents', incident())).toEqual(refusal(400, 'Не передано поле «company»'));
  expect(await api(v10, 'POST', '/incidents', incident({ end_time: new Date(Date.now() + 3_600_000).toISOString() }))).toEqual(
    refusal(400, 'Поле «end_time»: дата из будущего'),
  );
  expect(await list(v10, {})).toEqual(refusal(400, 'Не передано обязательное поле «fields»'));
  const products = (category: string) => list(v10, { fields: ['product_info'], filter: [{ property: 'category', operator: 'eq', value: category }], limit: 1 });
  expect((await products(VULNERABILITY)).body.data).toEqual({ next: false, result: [{ product_info: [{ name: 'nginx', version: '1.18.0' }] }] });
  expect((await products(INCIDENT)).body.data).toEqual({ next: true, result: [{ product_info: null }] });
});
