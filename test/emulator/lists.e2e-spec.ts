// GET /incidents as the emulator answers it: only the requested fields, records in the contract's shape, every filter
// operator of the contract (with its aliases) on the six filterable properties, sort, and paging with `next`.
// The emulator's clock is set by hand, so create_time and updated are known to the second.
import type { RucertSimulator } from '../../src/rucert-simulator/simulator';
import { api, attack, created, incident, INCIDENT, list, MESSAGE, startEmulator } from './support';

let clock = Date.parse('2024-10-10T10:00:00Z');
const DAY = 86_400_000;
let sim: RucertSimulator;
/** Card uuid by letter: A incident, B attack, C registered incident, M message from NCIRCC, D supplement requested. */
const card: Record<string, string> = {};
const old = { detect_time: '2024-01-01T00:00:00Z' };

beforeAll(async () => {
  sim = await startEmulator({ now: () => new Date(clock) });
  card.A = await created(sim, incident({ ...old, tlp: 'TLP:AMBER' }));
  clock += DAY;
  card.B = await created(sim, attack(old));
  clock += DAY;
  card.C = await created(sim, incident(old));
  sim.register(card.C);
  clock += DAY;
  card.M = sim.createMessage({
    type: 'Центр управления ВПО',
    inrelated_indicators_ipv4: [{ value: '5.5.5.5', country: 'Нидерланды', lir: '', as_name: '', asn: '' }],
  }).uuid;
  clock += DAY;
  card.D = await created(sim, incident(old));
  sim.requestSupplement(card.D);
});
afterAll(() => sim.close());

/** The letters of the cards a filter (and sort, limit, offset) selects, in answer order. */
async function select(filter: unknown[], extra: Record<string, unknown> = {}): Promise<string> {
  const reply = await list(sim, { fields: ['uuid'], filter, ...extra });
  if (reply.status !== 200) throw new Error(JSON.stringify(reply.body));
  const letter = Object.fromEntries(Object.entries(card).map(([name, uuid]) => [uuid, name]));
  return reply.body.data.result.map((r: { uuid: string }) => letter[r.uuid]).join('');
}
const where = (property: string, operator: string, value?: unknown) => [{ property, operator, ...(value === undefined ? {} : { value }) }];

describe('fields and records', () => {
  it('answers {success, data: {next, result}} with only the requested fields, no total', async () => {
    const { status, body } = await list(sim, { fields: ['reg_number', 'create_time'] });
    expect(status).toBe(200);
    expect(Object.keys(body.data)).toEqual(['next', 'result']);
    expect(body.data.result[2]).toEqual({ reg_number: 'RMSH-24-10-1', create_time: '2024-10-12T10:00:00.000Z' });
    expect(body.data.result[0]).toEqual({ reg_number: null, create_time: '2024-10-10T10:00:00.000Z' });
  });

  it('renders status, category, type, tlp and company as references, and absent fields as null', async () => {
    const fields = ['uuid', 'identifier', 'status', 'category', 'type', 'tlp', 'company', 'owner_name', 'end_time', 'updated'];
    const a = (await list(sim, { fields, filter: where('uuid', 'eq', card.A) })).body.data.result[0];
    expect(a).toEqual({
      uuid: card.A,
      identifier: 'INC-24-10-1',
      status: { id: 2, name: 'Проверка НКЦКИ' },
      category: { id: 25, name: INCIDENT },
      type: { id: expect.any(Number), name: 'Заражение ВПО' },
      tlp: { id: 567, name: 'TLP:AMBER' },
      company: { id: expect.any(Number), name: 'АО "Ромашка"', uuid: expect.any(String) },
      owner_name: 'АО "Ромашка"',
      end_time: null,
      updated: '2024-10-10T10:00:00.000Z',
    });
  });

  it('lists messages from NCIRCC in the same list, with their inbound technical fields', async () => {
    const [m] = (
      await list(sim, { fields: ['category', 'status', 'reg_number', 'type', 'inrelated_indicators_ipv4'], filter: where('category', '=', MESSAGE) })
    ).body.data.result;
    expect(m).toEqual({
      category: { id: 27, name: MESSAGE },
      status: { id: 18, name: 'Новое' },
      reg_number: 'ALRT-24-10-1',
      type: { id: expect.any(Number), name: 'Центр управления ВПО' },
      inrelated_indicators_ipv4: [{ value: '5.5.5.5', country: 'Нидерланды', lir: '', as_name: '', asn: '' }],
    });
  });
});

describe('filter operators', () => {
  it.each(['=', '==', 'eq'])('%s: equal', async (op) => expect(await select(where('category', op, INCIDENT))).toBe('ACD'));
  it.each(['!=', '/=', 'ne'])('%s: not equal', async (op) => expect(await select(where('category', op, INCIDENT))).toBe('BM'));
  it.each(['>', 'gt'])('%s: after a day given as 2024-10-12', async (op) => expect(await select(where('create_time', op, '2024-10-12'))).toBe('CMD'));
  it.each(['<', 'lt'])('%s: before a day given as 2024-10-11T', async (op) => expect(await select(where('create_time', op, '2024-10-11T'))).toBe('A'));
  it.each(['>=', 'ge', 'gte'])('%s: at or after an instant', async (op) =>
    expect(await select(where('create_time', op, '2024-10-12T10:00:00.000Z'))).toBe('CMD'),
  );
  it.each(['<=', 'le', 'lte'])('%s: at or before an instant without a zone (UTC)', async (op) =>
    expect(await select(where('create_time', op, '2024-10-11T10:00:00'))).toBe('AB'),
  );
  it('in: one of the values', async () => expect(await select(where('status', 'in', ['Новое', 'Требуется дополнение']))).toBe('MD'));
  it.each(['not in', 'notin', 'not_in'])('%s: none of the values', async (op) =>
    expect(await select(where('status', op, ['Новое', 'Требуется дополнение']))).toBe('ABC'),
  );
  it('like: SQL pattern, case-sensitive, % and _', async () => {
    expect(await select(where('reg_number', 'like', 'RMSH-%'))).toBe('C');
    expect(await select(where('reg_number', 'like', 'rmsh-%'))).toBe('');
    expect(await select(where('reg_number', 'like', '____-24-10-1'))).toBe('CM');
    expect(await select(where('reg_number', 'like', 'RMSH'))).toBe('');
  });
  it('ilike: case-insensitive', async () => expect(await select(where('reg_number', 'ilike', 'rmsh-%'))).toBe('C'));
  it('not ilike: a value that does not match (a missing value matches nothing)', async () =>
    expect(await select(where('reg_number', 'not ilike', 'alrt%'))).toBe('C'));
  it('between: inclusive range of dates', async () => expect(await select(where('create_time', 'between', ['2024-10-11', '2024-10-12T10:00:00Z']))).toBe('BC'));
  it('not between: outside the range', async () =>
    expect(await select(where('create_time', 'not between', ['2024-10-11', '2024-10-12T10:00:00Z']))).toBe('AMD'));
  it.each(['is null', 'is_null'])('%s: no value yet (reg_number before registration)', async (op) => expect(await select(where('reg_number', op))).toBe('ABD'));
  it('a status given by its id', async () => expect(await select(where('status', 'eq', 18))).toBe('M'));
  it('uuid', async () => expect(await select(where('uuid', 'eq', card.B))).toBe('B'));
  it('every condition must hold', async () => {
    expect(await select([...where('category', 'eq', INCIDENT), ...where('create_time', 'ge', '2024-10-12')])).toBe('CD');
  });
  it('updated: the watermark moves with every change of the card', async () => {
    const before = await select(where('updated', 'gt', '2024-10-14T10:00:00Z'));
    clock += DAY;
    sim.setStatus(card.B, 'Принято решение');
    expect(before).toBe('D');
    expect(await select(where('updated', 'gt', '2024-10-14T10:00:00Z'))).toBe('BD');
  });
});

describe('sort and paging', () => {
  it('sorts by a property and direction, creation order by default', async () => {
    expect(await select([])).toBe('ABCMD');
    expect(await select([], { sort: [{ property: 'create_time', direction: 'DESC' }] })).toBe('DMCBA');
  });

  it('puts missing values last ascending and first descending, as SQL does', async () => {
    expect(await select([], { sort: [{ property: 'reg_number', direction: 'ASC' }] })).toBe('MCABD');
    expect(await select([], { sort: [{ property: 'reg_number', direction: 'DESC' }] })).toBe('ABDCM');
  });

  it('sorts by several keys', async () => {
    const sort = [
      { property: 'category', direction: 'ASC' },
      { property: 'create_time', direction: 'DESC' },
    ];
    expect(await select([], { sort })).toBe('MBDCA');
  });

  it('pages with limit and offset and says whether more follow', async () => {
    const page = async (limit: number, offset: number) => (await list(sim, { fields: ['uuid'], limit, offset })).body.data;
    expect(await page(2, 0)).toMatchObject({ next: true, result: [{ uuid: card.A }, { uuid: card.B }] });
    expect(await page(2, 3)).toMatchObject({ next: false, result: [{ uuid: card.M }, { uuid: card.D }] });
    expect(await page(2, 4)).toMatchObject({ next: false, result: [{ uuid: card.D }] });
    expect(await page(2, 10)).toEqual({ next: false, result: [] });
  });
});

it('requires fields even with a filter', async () => {
  expect((await api(sim, 'GET', `/incidents?filter=${encodeURIComponent(JSON.stringify(where('uuid', 'eq', card.A)))}`)).status).toBe(400);
});
