import schema from '../../schemas/forms/rucert-export/v1/schema.json';
import v2 from '../../test/fixtures/rucert-export-v2.json';
import { validateData } from './validator';
import { convertWireType, toWirePayload, toWireValue, wireFieldOf, wireTypeOf, wireValueOf } from './wire-mapper';

const common = {
  tlp: 'RED',
  affectedSystemName: 'Почтовый сервер mail01',
  affectedSystemCategory: 'cii_category_3',
  affectedSystemFunction: 'banking_finance',
  location: 'RU-MOW',
  affectedSystemConnection: true,
  assistanceRequired: false,
};

// One submission per category and the exact object docs/ncircc.md expects for it.
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

describe('lists of objects', () => {
  const activity = {
    type: 'string',
    oneOf: [
      { const: 'c2', 'x-rucert': 'Центр управления ВПО' },
      { const: 'unknown', 'x-rucert': 'Тип не определен' },
    ],
    'x-rucert': { field: 'function' },
  };
  const s = {
    type: 'object',
    properties: {
      indicators: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            fn: activity,
            ip: { type: 'string', 'x-rucert': { field: 'value' } },
            seen: { type: 'string', format: 'date-time', 'x-rucert': { field: 'seen' } },
            note: { type: 'string' },
          },
        },
        'x-rucert': { field: 'related_indicators_ipv4' },
      },
    },
  };

  it('maps each row by its members own wire names, enumeration codes to wire strings, date-times to UTC', () => {
    expect(
      toWirePayload(s, {
        indicators: [
          { fn: 'c2', ip: '203.0.113.5', seen: '2026-01-01T03:00:00+03:00' },
          { fn: 'unknown', ip: '203.0.113.6' },
        ],
      }),
    ).toStrictEqual({
      related_indicators_ipv4: [
        { function: 'Центр управления ВПО', value: '203.0.113.5', seen: '2026-01-01T00:00:00.000Z' },
        { function: 'Тип не определен', value: '203.0.113.6' },
      ],
    });
  });

  it('drops empty rows and rows with nothing to send; a list left empty is not sent', () => {
    expect(toWirePayload(s, { indicators: [{}, { ip: '' }, { note: 'internal only' }, null, { ip: '203.0.113.5', note: 'x' }] })).toStrictEqual({
      related_indicators_ipv4: [{ value: '203.0.113.5' }],
    });
    expect(toWirePayload(s, { indicators: [{}, { ip: '', fn: null }] })).toStrictEqual({});
  });

  it('toWireValue gives one property its wire form, or undefined when nothing would be sent', () => {
    const property = s.properties.indicators;
    expect(toWireValue(s, property, [{ fn: 'c2', ip: '1.2.3.4' }])).toStrictEqual([{ function: 'Центр управления ВПО', value: '1.2.3.4' }]);
    expect(toWireValue(s, property, [{}])).toBeUndefined();
    expect(toWireValue(s, property, undefined)).toBeUndefined();
  });
});

describe('wire types (x-rucert.type)', () => {
  const s = {
    type: 'object',
    properties: {
      inn: { type: 'string', 'x-rucert': { field: 'rkn_inn', type: 'number' } },
      port: { type: 'integer', 'x-rucert': { field: 'port', type: 'string' } },
      flag: { type: 'boolean', 'x-rucert': { field: 'flag', type: 'string' } },
      plain: { type: 'string', 'x-rucert': { field: 'plain' } },
    },
  };

  it('writes each value as its declared wire type', () => {
    expect(toWirePayload(s, { inn: '500100732259', port: 443, flag: false, plain: '007' })).toStrictEqual({
      rkn_inn: 500100732259,
      port: '443',
      flag: 'false',
      plain: '007',
    });
  });

  it('drops the leading zero of a numeric string, as the number type of the wire implies', () => {
    expect(toWirePayload(s, { inn: '0274051582' })).toStrictEqual({ rkn_inn: 274051582 });
  });

  it('sends a value that cannot be converted as it is (validation refuses it before, see schema-ajv)', () => {
    expect(toWirePayload(s, { inn: '12a' })).toStrictEqual({ rkn_inn: '12a' });
  });

  it('convertWireType: only what converts without loss or invention', () => {
    expect(convertWireType('12', 'number')).toBe(12);
    expect(convertWireType('-1.25', 'number')).toBe(-1.25);
    expect(convertWireType('9007199254740993', 'integer')).toBeUndefined();
    expect(convertWireType('1.5', 'integer')).toBeUndefined();
    expect(convertWireType(' 12', 'number')).toBeUndefined();
    expect(convertWireType('0x1F', 'number')).toBeUndefined();
    expect(convertWireType('', 'number')).toBeUndefined();
    expect(convertWireType(Infinity, 'number')).toBeUndefined();
    expect(convertWireType(true, 'boolean')).toBe(true);
    expect(convertWireType('true', 'boolean')).toBeUndefined();
    expect(convertWireType({}, 'string')).toBeUndefined();
    expect(wireTypeOf(s.properties.inn)).toBe('number');
    expect(wireTypeOf(s.properties.plain)).toBeUndefined();
  });
});
