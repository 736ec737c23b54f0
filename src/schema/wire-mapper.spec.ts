import schema from '../../schemas/forms/rucert-export/v1/schema.json';
import v2 from '../../test/fixtures/rucert-export-v2.json';
import { validateData } from './validator';
import { toWirePayload, wireFieldOf, wireValueOf } from './wire-mapper';

const common = {
  tlp: 'RED',
  affectedSystemName: 'Почтовый сервер mail01',
  affectedSystemCategory: 'cii_category_3',
  affectedSystemFunction: 'banking_finance',
  location: 'RU-MOW',
  affectedSystemConnection: true,
  assistanceRequired: false,
};

// One submission per category and the exact object RUCERT.md §5 expects for it.
const SUBMISSIONS = [
  {
    name: 'computer incident',
    data: {
      ...common,
      category: 'computer_incident',
      type: 'account_compromise',
      detectionTool: 'KUMA',
      incidentEndTime: '2026-03-01T10:15:00+03:00',
      availabilityImpact: 'high',
      integrityImpact: 'low',
      confidentialityImpact: 'none',
      customImpact: 'Почта недоступна два часа',
      city: 'Москва',
    },
    wire: {
      category: 'Уведомление о компьютерном инциденте',
      type: 'Компрометация учетной записи',
      tlp: 'TLP:RED',
      affected_system_name: 'Почтовый сервер mail01',
      affected_system_category: 'Объект КИИ третьей категории значимости',
      affected_system_function: 'Банковская сфера и иные сферы финансового рынка',
      location: 'RU-MOW',
      affected_system_connection: true,
      detection_tool: 'KUMA',
      assistance: false,
      end_time: '2026-03-01T07:15:00.000Z',
      availability_impact: 'Высокое',
      integrity_impact: 'Низкое',
      confidentiality_impact: 'Отсутствует',
      custom_impact: 'Почта недоступна два часа',
      city: 'Москва',
    },
  },
  {
    name: 'computer attack',
    data: { ...common, category: 'computer_attack', type: 'network_scanning', tlp: 'AMBER', location: 'RU-TA', city: 'Казань' },
    wire: {
      category: 'Уведомление о компьютерной атаке',
      type: 'Сетевое сканирование',
      tlp: 'TLP:AMBER',
      affected_system_name: 'Почтовый сервер mail01',
      affected_system_category: 'Объект КИИ третьей категории значимости',
      affected_system_function: 'Банковская сфера и иные сферы финансового рынка',
      location: 'RU-TA',
      affected_system_connection: true,
      assistance: false,
      city: 'Казань',
    },
  },
  {
    name: 'vulnerability',
    data: {
      ...common,
      category: 'vulnerability',
      type: 'vulnerable_resource',
      affectedSystemConnection: false,
      assistanceRequired: true,
      productInfo: [
        { name: 'nginx', version: '1.18.0' },
        { name: 'OpenSSL', version: '1.1.1k' },
      ],
      vulnerabilityId: 'CVE-2021-23017',
      vulnerableProduct: 'nginx 1.18.0',
      incidentEndTime: '2026-03-02T00:00:00Z',
    },
    wire: {
      category: 'Уведомление о наличии уязвимости',
      type: 'Уязвимый ресурс',
      tlp: 'TLP:RED',
      affected_system_name: 'Почтовый сервер mail01',
      affected_system_category: 'Объект КИИ третьей категории значимости',
      affected_system_function: 'Банковская сфера и иные сферы финансового рынка',
      location: 'RU-MOW',
      affected_system_connection: false,
      product_info: [
        { name: 'nginx', version: '1.18.0' },
        { name: 'OpenSSL', version: '1.1.1k' },
      ],
      vulnerability_id: 'CVE-2021-23017',
      product_category: 'nginx 1.18.0',
      assistance: true,
      end_time: '2026-03-02T00:00:00.000Z',
    },
  },
];

describe('toWirePayload', () => {
  it.each(SUBMISSIONS)('maps a valid $name submission to the exact NCIRCC object', ({ data, wire }) => {
    expect(validateData(schema, data)).toEqual([]);
    expect(toWirePayload(schema, data)).toStrictEqual(wire);
  });

  it('omits undefined, null, empty strings and empty arrays, and never sends false as absent', () => {
    const payload = toWirePayload(schema, {
      category: 'computer_attack',
      city: '',
      detectionTool: null,
      customImpact: undefined,
      productInfo: [],
      assistanceRequired: false,
    });
    expect(payload).toStrictEqual({ category: 'Уведомление о компьютерной атаке', assistance: false });
  });

  it('does not send a property without x-rucert, nor an unknown one', () => {
    const s = { properties: { a: { type: 'string', 'x-rucert': { field: 'wire_a' } }, internal: { type: 'string' } } };
    expect(toWirePayload(s, { a: 'x', internal: 'y', stray: 'z' })).toStrictEqual({ wire_a: 'x' });
  });

  it('follows local $refs, the reference keeping its own x-rucert', () => {
    const s = {
      definitions: { level: { oneOf: [{ const: 'hi', 'x-rucert': 'Высокое' }] } },
      properties: { impact: { $ref: '#/definitions/level', 'x-rucert': { field: 'impact' } } },
    };
    expect(toWirePayload(s, { impact: 'hi' })).toStrictEqual({ impact: 'Высокое' });
  });

  it('maps nested objects in arrays by their own x-rucert fields, enumerations included', () => {
    const s = {
      properties: {
        rows: {
          'x-rucert': { field: 'rows' },
          items: {
            properties: {
              kind: { 'x-rucert': { field: 'k' }, oneOf: [{ const: 'a', 'x-rucert': 'А' }] },
              note: { type: 'string' },
            },
          },
        },
      },
    };
    expect(toWirePayload(s, { rows: [{ kind: 'a', note: 'dropped' }] })).toStrictEqual({ rows: [{ k: 'А' }] });
  });

  it('sends a type added in version 2 with its wire string, with no code change', () => {
    const data = { ...SUBMISSIONS[0].data, type: 'attacks_from_resource' };
    expect(validateData(v2.schema, data)).toEqual([]);
    expect(toWirePayload(v2.schema, data)).toMatchObject({ type: 'Использование контролируемого ресурса для проведения атак' });
    const unrelated = { ...SUBMISSIONS[0].data, type: 'not_attack_related' };
    expect(toWirePayload(v2.schema, unrelated)).toMatchObject({ type: 'Событие не связано с компьютерной атакой' });
  });

  it('helpers: wireFieldOf and wireValueOf read the annotations', () => {
    expect(wireFieldOf(schema.properties.incidentEndTime)).toBe('end_time');
    expect(wireFieldOf({ type: 'string' })).toBeUndefined();
    expect(wireValueOf(schema.properties.tlp, 'GREEN')).toBe('TLP:GREEN');
    expect(wireValueOf(schema.properties.city, 'Омск')).toBe('Омск');
  });
});
