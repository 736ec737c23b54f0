// The built-in form definition, version 2, checked against today's NCIRCC API (docs/ncircc.md, and the
// contract's NewNotificationCI / NewNotificationCA / NewNotificationRKN). The tables here are typed in from those
// documents on purpose, not read from the schema: they are the independent check on
// schemas/forms/rucert-export/v2/schema.json.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import schema from '../../schemas/forms/rucert-export/v2/schema.json';
import uiSchema from '../../schemas/forms/rucert-export/v2/ui-schema.json';
import samples from '../../schemas/forms/rucert-export/v2/samples.json';
import defaultSources from '../../schemas/forms/default-sources.schema.json';
import schemaV1 from '../../schemas/forms/rucert-export/v1/schema.json';
import { referenceLine } from '../export/incident-wire';
import { allDefaults, applyDefaults, resolveDefaults, settingDefaults } from '../schema/defaults';
import { validateData } from '../schema/validator';
import { toWirePayload, wireValueOf } from '../schema/wire-mapper';
import { checkDefinition } from './publish-gate';

type Data = Record<string, unknown>;
const props = schema.properties as unknown as Record<string, Data & { oneOf?: Array<{ const: string; 'x-rucert': string }> }>;
const ROOT = join(__dirname, '..', '..');

const CI = 'computer_incident';
const CA = 'computer_attack';
type Category = typeof CI | typeof CA;

// ---- the contract's type lists ---------------------------------------------------------------------------------
const TYPES: Array<[Category, string, string]> = [
  [CI, 'ddos_slowdown', 'Замедление работы ресурса в результате DDoS-атаки'],
  [CI, 'malware_infection', 'Заражение ВПО'],
  [CI, 'traffic_interception', 'Захват сетевого трафика'],
  [CI, 'account_compromise', 'Компрометация учетной записи'],
  [CI, 'data_modification', 'Несанкционированное изменение информации'],
  [CI, 'data_disclosure', 'Несанкционированное разглашение информации'],
  [CI, 'illegal_content', 'Публикация на ресурсе запрещенной законодательством РФ информации'],
  [CI, 'vulnerability_exploited', 'Успешная эксплуатация уязвимости'],
  [CI, 'resource_used_for_attacks', 'Использование контролируемого ресурса для проведения атак'],
  [CI, 'not_attack_related', 'Событие не связано с компьютерной атакой'],
  [CA, 'ddos', 'DDoS-атака'],
  [CA, 'failed_authorization', 'Неудачные попытки авторизации'],
  [CA, 'malware_injection_attempts', 'Попытки внедрения ВПО'],
  [CA, 'exploitation_attempts', 'Попытки эксплуатации уязвимости'],
  [CA, 'fraudulent_publication', 'Публикация мошеннической информации'],
  [CA, 'network_scanning', 'Сетевое сканирование'],
  [CA, 'social_engineering', 'Социальная инженерия'],
];
const REMOVED = ['malware_infrastructure', 'phishing_resource', 'spam_distribution'];

const ENUMS: Record<string, Array<[string, string]>> = {
  category: [
    [CI, 'Уведомление о компьютерном инциденте'],
    [CA, 'Уведомление о компьютерной атаке'],
  ],
  tlp: [
    ['WHITE', 'TLP:WHITE'],
    ['GREEN', 'TLP:GREEN'],
    ['AMBER', 'TLP:AMBER'],
    ['RED', 'TLP:RED'],
  ],
  activityStatus: [
    ['measures_taken', 'Меры приняты'],
    ['response_in_progress', 'Проводятся мероприятия по реагированию'],
    ['response_resumed', 'Возобновлены мероприятия по реагированию'],
    ['not_confirmed', 'Инцидент не подтвержден'],
  ],
  affectedSystemCategory: [
    ['not_cii', 'Информационный ресурс не является объектом КИИ'],
    ['cii_no_category', 'Объект КИИ без категории значимости'],
    ['cii_category_3', 'Объект КИИ третьей категории значимости'],
    ['cii_category_2', 'Объект КИИ второй категории значимости'],
    ['cii_category_1', 'Объект КИИ первой категории значимости'],
  ],
  affectedSystemFunction: [
    ['nuclear_energy', 'Атомная энергетика'],
    ['banking_finance', 'Банковская сфера и иные сферы финансового рынка'],
    ['mining', 'Горнодобывающая промышленность'],
    ['government', 'Государственная/муниципальная власть'],
    ['healthcare', 'Здравоохранение'],
    ['metallurgy', 'Металлургическая промышленность'],
    ['science', 'Наука'],
    ['defense_industry', 'Оборонная промышленность'],
    ['education', 'Образование'],
    ['rocket_space', 'Ракетно-космическая промышленность'],
    ['communications', 'Связь'],
    ['mass_media', 'СМИ'],
    ['fuel_energy', 'Топливно-энергетический комплекс'],
    ['transport', 'Транспорт'],
    ['chemical_industry', 'Химическая промышленность'],
    ['other', 'Иная'],
  ],
  availabilityImpact: [
    ['high', 'Высокое'],
    ['low', 'Низкое'],
    ['none', 'Отсутствует'],
  ],
  integrityImpact: [
    ['high', 'Высокое'],
    ['low', 'Низкое'],
    ['none', 'Отсутствует'],
  ],
  confidentialityImpact: [
    ['high', 'Высокое'],
    ['low', 'Низкое'],
    ['none', 'Отсутствует'],
  ],
};
const FUNCTIONS: Array<[string, string]> = [
  ['malware_c2', 'Центр управления ВПО'],
  ['malware_infrastructure', 'Элемент инфраструктуры ВПО'],
  ['malware_distribution', 'Источник распространения ВПО'],
  ['undetermined', 'Тип не определен'],
];

// ---- every field and its wire name, tab by tab -------------------------------------------------------------------
const BASIC: Array<[string, string]> = [
  ['category', 'category'],
  ['type', 'type'],
  ['tlp', 'tlp'],
  ['eventDescription', 'event_description'],
  ['assetOwner', 'owner_name'],
  ['activityStatus', 'activity_status'],
  ['affectedSystemName', 'affected_system_name'],
  ['affectedSystemCategory', 'affected_system_category'],
  ['affectedSystemFunction', 'affected_system_function'],
  ['location', 'location'],
  ['affectedSystemConnection', 'affected_system_connection'],
];
const ADVANCED: Array<[string, string]> = [
  ['detectionTool', 'detection_tool'],
  ['assistanceRequired', 'assistance'],
  ['incidentEndTime', 'end_time'],
  ['availabilityImpact', 'availability_impact'],
  ['integrityImpact', 'integrity_impact'],
  ['confidentialityImpact', 'confidentiality_impact'],
  ['customImpact', 'custom_impact'],
  ['city', 'city'],
];
const TECHNICAL: Array<[string, string]> = [
  ['relatedObservablesIpv4', 'related_observables_ipv4'],
  ['relatedObservablesIpv6', 'related_observables_ipv6'],
  ['relatedObservablesDomain', 'related_observables_domain'],
  ['relatedObservablesUri', 'related_observables_uri'],
  ['relatedObservablesEmail', 'related_observables_email'],
  ['relatedObservablesService', 'related_observables_service'],
  ['relatedObservablesAsPath', 'related_observables_as_path'],
  ['relatedIndicatorsIpv4', 'related_indicators_ipv4'],
  ['relatedIndicatorsIpv6', 'related_indicators_ipv6'],
  ['relatedIndicatorsDomain', 'related_indicators_domain'],
  ['relatedIndicatorsUri', 'related_indicators_uri'],
  ['relatedIndicatorsEmail', 'related_indicators_email'],
  ['malwareHash', 'malware_hash'],
  ['relatedIndicatorsVuln', 'related_indicators_vuln'],
  ['relatedIndicatorsAsn', 'related_indicators_asn'],
  ['relatedIndicatorsAs', 'related_indicators_as'],
  ['relatedIndicatorsAsLir', 'related_indicators_as_lir'],
];
const LEAK: Array<[string, string, boolean]> = [
  // field, wire, required once a leak is reported (docs/ncircc.md)
  ['personalDataLeak', 'rkn_leak_pd', true],
  ['operatorName', 'rkn_full_name', true],
  ['operatorInn', 'rkn_inn', true],
  ['operatorAddress', 'rkn_address', true],
  ['operatorEmail', 'rkn_email', true],
  ['leakCauses', 'rkn_reasons', true],
  ['personalDataCharacteristics', 'rkn_pers_data', true],
  ['leakHarm', 'rkn_damage', true],
  ['leakMeasures', 'rkn_measures', false],
  ['leakAdditionalInfo', 'rkn_add_info', false],
  ['leakInvestigationResults', 'rkn_investigation', false],
];
const WIRE = Object.fromEntries([...BASIC, ...ADVANCED, ...TECHNICAL, ...LEAK.map(([f, w]) => [f, w] as [string, string])]);
const REQUIRED = [
  'category',
  'type',
  'tlp',
  'eventDescription',
  'assetOwner',
  'activityStatus',
  'affectedSystemName',
  'affectedSystemCategory',
  'affectedSystemFunction',
  'location',
];

// ---- docs/ncircc.md: which type takes which technical detail ---------------------------------------------------
const ALL_CA = TYPES.filter(([c]) => c === CA).map(([, t]) => t);
const OBS_MAIN = [
  'malware_infection',
  'ddos_slowdown',
  'account_compromise',
  'data_modification',
  'data_disclosure',
  'vulnerability_exploited',
  'not_attack_related',
  ...ALL_CA,
];
const OBS_EMAIL = [
  'malware_infection',
  'account_compromise',
  'data_disclosure',
  'vulnerability_exploited',
  'not_attack_related',
  'failed_authorization',
  'malware_injection_attempts',
  'exploitation_attempts',
  'social_engineering',
];
const IND_MAIN = [
  'malware_infection',
  'ddos_slowdown',
  'resource_used_for_attacks',
  'account_compromise',
  'data_modification',
  'data_disclosure',
  'illegal_content',
  'vulnerability_exploited',
  ...ALL_CA,
];
const TAKERS: Record<string, string[]> = {
  relatedObservablesIpv4: OBS_MAIN,
  relatedObservablesIpv6: OBS_MAIN,
  relatedObservablesDomain: OBS_MAIN,
  relatedObservablesUri: OBS_MAIN,
  relatedObservablesService: OBS_MAIN,
  relatedObservablesEmail: OBS_EMAIL,
  relatedObservablesAsPath: ['traffic_interception'],
  relatedIndicatorsAsn: ['traffic_interception'],
  relatedIndicatorsAs: ['traffic_interception'],
  relatedIndicatorsAsLir: ['traffic_interception'],
  relatedIndicatorsIpv4: IND_MAIN,
  relatedIndicatorsIpv6: IND_MAIN,
  relatedIndicatorsDomain: IND_MAIN,
  relatedIndicatorsVuln: IND_MAIN,
  relatedIndicatorsUri: [
    'malware_infection',
    'resource_used_for_attacks',
    'data_modification',
    'data_disclosure',
    'illegal_content',
    'vulnerability_exploited',
    'malware_injection_attempts',
    'exploitation_attempts',
    'fraudulent_publication',
    'social_engineering',
  ],
  relatedIndicatorsEmail: [
    'malware_infection',
    'data_disclosure',
    'vulnerability_exploited',
    'resource_used_for_attacks',
    'malware_injection_attempts',
    'exploitation_attempts',
    'social_engineering',
  ],
  malwareHash: ['malware_infection', 'resource_used_for_attacks', 'malware_injection_attempts'],
};
const LEAK_TYPES = ['malware_infection', 'account_compromise', 'data_disclosure', 'vulnerability_exploited', 'not_attack_related'];

// one valid value of each technical detail, and what NCIRCC must receive for it (docs/ncircc.md shapes)
const TECH_VALUES: Record<string, [unknown, unknown]> = {
  relatedObservablesIpv4: [[{ value: '12.12.12.12' }], [{ value: '12.12.12.12' }]],
  relatedObservablesIpv6: [[{ value: '9090:5ffd:695e:fec4:8ecf:8bd0:e2d9:37e6' }], [{ value: '9090:5ffd:695e:fec4:8ecf:8bd0:e2d9:37e6' }]],
  relatedObservablesDomain: [[{ value: 'dbo.rmhk.ru' }], [{ value: 'dbo.rmhk.ru' }]],
  relatedObservablesUri: [[{ value: 'https://dbo.rmhk.ru//fl' }], [{ value: 'https://dbo.rmhk.ru//fl' }]],
  relatedObservablesEmail: [[{ value: 'ivanovmn@rmhk.ru' }], [{ value: 'ivanovmn@rmhk.ru' }]],
  relatedObservablesService: [[{ name: 'веб', value: '443/TCP' }], [{ name: 'веб', value: '443/TCP' }]],
  relatedObservablesAsPath: ['AS4:AS1', 'AS4:AS1'],
  relatedIndicatorsIpv4: [[{ function: 'malware_c2', value: '5.5.5.5' }], [{ function: 'Центр управления ВПО', value: '5.5.5.5' }]],
  relatedIndicatorsIpv6: [[{ function: 'malware_distribution', value: 'ff02::1:ff00' }], [{ function: 'Источник распространения ВПО', value: 'ff02::1:ff00' }]],
  relatedIndicatorsDomain: [[{ function: 'malware_infrastructure', value: 'badboy.ru' }], [{ function: 'Элемент инфраструктуры ВПО', value: 'badboy.ru' }]],
  relatedIndicatorsUri: [
    [{ function: 'undetermined', value: 'https://badboy.com//efweW42ERFSA' }],
    [{ function: 'Тип не определен', value: 'https://badboy.com//efweW42ERFSA' }],
  ],
  relatedIndicatorsEmail: [[{ value: 'admin@badboy.com' }], [{ value: 'admin@badboy.com' }]],
  malwareHash: [[{ value: '837b05ef39ba55332d5ec44804e2daa0' }], [{ value: '837b05ef39ba55332d5ec44804e2daa0' }]],
  relatedIndicatorsVuln: [[{ value: 'CVE-2021-44228' }], [{ value: 'CVE-2021-44228' }]],
  relatedIndicatorsAsn: ['6210', '6210'],
  relatedIndicatorsAs: ['Orange', 'Orange'],
  relatedIndicatorsAsLir: ['LIR', 'LIR'],
};

const categoryOf = (type: string): Category => TYPES.find(([, t]) => t === type)![0];

/** The smallest valid submission of a type. */
function minimal(type: string): Data {
  return {
    category: categoryOf(type),
    type,
    tlp: 'RED',
    eventDescription: 'тестовое уведомление',
    assetOwner: 'АО "Ромашка"',
    activityStatus: 'response_in_progress',
    affectedSystemName: 'ДБО ФЛ',
    affectedSystemCategory: 'cii_no_category',
    affectedSystemFunction: 'banking_finance',
    location: 'RU-KYA',
  };
}
const without = (data: Data, key: string): Data => Object.fromEntries(Object.entries(data).filter(([k]) => k !== key));
const LEAK_DATA: Data = {
  personalDataLeak: true,
  operatorName: 'АО "Ромашка"',
  operatorInn: '7707083893',
  operatorAddress: 'г. Санкт-Петербург, ул. Ромашкина, 152',
  operatorEmail: 'romashka@romashka.ru',
  leakCauses: 'Хакерская атака на сайт',
  personalDataCharacteristics: 'Клиенты интернет магазина, примерное количество N контактов',
  leakHarm: 'Вред правам субъектов персональных данных – низкий.',
};
const errorsOf = (data: Data) => validateData(schema, data).map((e) => [e.path, e.keyword]);

describe('rucert-export v2: the definition and its samples', () => {
  it('passes the publish gate with its samples', () => {
    expect(checkDefinition({ schema, uiSchema, samples })).toEqual([]);
  });

  it('has a valid sample for every type, with and without technical details', () => {
    for (const [, type] of TYPES) {
      const ofType = samples.valid.filter((s) => (s.data as Data).type === type);
      expect(ofType.some((s) => (s.data as Data).affectedSystemConnection !== true)).toBe(true);
      expect(ofType.some((s) => (s.data as Data).affectedSystemConnection === true)).toBe(true);
    }
    expect(samples.valid.some((s) => (s.data as Data).personalDataLeak === true)).toBe(true);
  });

  it.each(samples.valid.map((s) => [s.name, s.data] as const))('accepts the valid sample "%s"', (_name, data) => {
    expect(validateData(schema, data)).toEqual([]);
  });

  it.each(samples.invalid.map((s) => [s.name, s.data, s.errors] as const))('rejects the invalid sample "%s" with its listed errors', (_name, data, errors) => {
    const actual = validateData(schema, data);
    for (const e of errors) expect(actual).toContainEqual(expect.objectContaining(e));
  });

  it('leaves version 1 byte-for-byte as published (existing installs hold it in their database)', () => {
    const sha = (file: string) =>
      createHash('sha256')
        .update(readFileSync(join(ROOT, 'schemas/forms/rucert-export/v1', file)))
        .digest('hex');
    expect(sha('schema.json')).toBe('e3c55c38153ff876f8ec6a1b87f357b689f9283679c813b13ba7b413053b1bd8');
    expect(sha('ui-schema.json')).toBe('59a6b379826498e896d3b6044bcf6eaa741b2a1d012912ac23da1fceb1690e7d');
    expect(sha('samples.json')).toBe('4a69412ca05ef741ba5a1859bb9ecf696df8c556ec3c58eda94e1765c1066a08');
  });
});

describe('rucert-export v2: categories and types (docs/ncircc.md)', () => {
  it('offers the two categories of API 1.1.2 (vulnerability notifications are switched off)', () => {
    expect(props.category.oneOf!.map((o) => [o.const, o['x-rucert']])).toEqual(ENUMS.category);
    expect(errorsOf({ ...minimal('malware_infection'), category: 'vulnerability' })).toContainEqual(['/category', 'oneOf']);
  });

  it('lists exactly the 17 types of the contract, keeping version 1 codes for the types that remain', () => {
    expect(props.type.oneOf!.map((o) => o.const)).toEqual(TYPES.map(([, t]) => t));
    const v1Codes = new Map((schemaV1.properties.type.oneOf as Array<{ const: string; 'x-rucert': string }>).map((o) => [o['x-rucert'], o.const]));
    for (const [, code, wire] of TYPES) if (v1Codes.has(wire)) expect(code).toBe(v1Codes.get(wire));
  });

  it.each(TYPES)('%s: type %s is accepted and sent as "%s"', (_category, type, wire) => {
    expect(validateData(schema, minimal(type))).toEqual([]);
    expect(wireValueOf(props.type, type)).toBe(wire);
    expect(toWirePayload(schema, minimal(type)).type).toBe(wire);
  });

  it.each(TYPES)('%s: type %s is refused under the other category', (category, type) => {
    expect(errorsOf({ ...minimal(type), category: category === CI ? CA : CI })).toEqual([['/type', 'enum']]);
  });

  it.each(REMOVED)('the removed type %s is refused', (type) => {
    expect(errorsOf({ ...minimal('malware_infection'), type })).toEqual([
      ['/type', 'enum'],
      ['/type', 'oneOf'],
    ]);
  });
});

describe('rucert-export v2: fields, wire names and enumerations', () => {
  it('declares exactly the fields of the four tabs, in their order', () => {
    const tabs = uiSchema['ui:tabs'];
    expect(tabs.map((t) => [t.id, t.title])).toEqual([
      ['basic', 'Basic'],
      ['advanced', 'Advanced'],
      ['technical', 'Technical details'],
      ['personalDataLeak', 'Personal data leak'],
    ]);
    expect(tabs.every((t) => typeof t['x-title-ru'] === 'string')).toBe(true);
    expect(tabs.map((t) => t.fields)).toEqual([BASIC.map(([f]) => f), ADVANCED.map(([f]) => f), TECHNICAL.map(([f]) => f), LEAK.map(([f]) => f)]);
    expect(Object.keys(props).sort()).toEqual(Object.keys(WIRE).sort());
    expect(schema.additionalProperties).toBe(false);
  });

  it.each(Object.entries(WIRE))('%s is sent as %s', (field, wire) => {
    expect((props[field]['x-rucert'] as Data).field).toBe(wire);
  });

  it.each(Object.keys(WIRE))('%s has English and Russian title and help', (field) => {
    expect(props[field]).toEqual(
      expect.objectContaining({
        title: expect.any(String),
        description: expect.any(String),
        'x-title-ru': expect.any(String),
        'x-description-ru': expect.any(String),
      }),
    );
  });

  it('requires the fields NCIRCC requires on create (company aside: the service sends it, for MSSP tokens)', () => {
    expect([...schema.required].sort()).toEqual([...REQUIRED].sort());
    for (const field of REQUIRED) expect(errorsOf(without(minimal('ddos'), field))).toContainEqual([`/${field}`, 'required']);
  });

  const rows = Object.entries(ENUMS).flatMap(([field, values]) => values.map(([code, wire]) => ({ field, code, wire })));
  it.each(rows)('$field $code is sent as "$wire"', ({ field, code, wire }) => {
    expect(wireValueOf(props[field], code)).toBe(wire);
  });
  it.each(Object.entries(ENUMS))('%s offers exactly the values of the contract', (field, values) => {
    expect(props[field].oneOf!.map((o) => o.const)).toEqual(values.map(([code]) => code));
  });

  it.each(['relatedIndicatorsIpv4', 'relatedIndicatorsIpv6', 'relatedIndicatorsDomain', 'relatedIndicatorsUri'])(
    '%s rows carry the activity enumeration',
    (field) => {
      const fn = ((props[field].items as Data).properties as Record<string, { oneOf: Array<{ const: string; 'x-rucert': string }> }>).function;
      expect(fn.oneOf.map((o) => [o.const, o['x-rucert']])).toEqual(FUNCTIONS);
    },
  );

  it('offers the 83 regions of version 1', () => {
    expect(props.location.oneOf).toEqual(schemaV1.properties.location.oneOf);
    expect(props.location.oneOf).toHaveLength(83);
  });

  it('every enumeration option has an English title and a Russian label', () => {
    for (const property of Object.values(props)) {
      for (const option of (property.oneOf ?? []) as Data[])
        expect(option).toEqual(expect.objectContaining({ title: expect.any(String), 'x-title-ru': expect.any(String) }));
    }
  });

  it('allows the impacts for attacks too (API 1.1.x), which version 1 forbade', () => {
    const data = { ...minimal('ddos'), availabilityImpact: 'high', integrityImpact: 'none', confidentialityImpact: 'low', customImpact: 'Сайт недоступен' };
    expect(validateData(schema, data)).toEqual([]);
  });
});

describe('rucert-export v2: the type matrix of the technical details (docs/ncircc.md)', () => {
  const cells = TYPES.flatMap(([, type]) => Object.keys(TAKERS).map((field) => ({ type, field, takes: TAKERS[field].includes(type) })));

  it('covers every technical detail', () => {
    expect(Object.keys(TAKERS).sort()).toEqual(TECHNICAL.map(([f]) => f).sort());
  });

  it.each(cells.filter((c) => c.takes))('$type takes $field and sends it as NCIRCC expects', ({ type, field }) => {
    const data = { ...minimal(type), affectedSystemConnection: true, [field]: TECH_VALUES[field][0] };
    expect(validateData(schema, data)).toEqual([]);
    expect(toWirePayload(schema, data)[WIRE[field]]).toEqual(TECH_VALUES[field][1]);
  });

  it.each(cells.filter((c) => !c.takes))('$type does not take $field: not available, named', ({ type, field }) => {
    expect(validateData(schema, { ...minimal(type), affectedSystemConnection: true, [field]: TECH_VALUES[field][0] })).toEqual([
      { path: `/${field}`, keyword: 'false schema', message: 'is not available for the selected category or type' },
    ]);
  });

  it.each(TECHNICAL.map(([f]) => f))('%s is not available without an Internet connection', (field) => {
    const type = TAKERS[field][0];
    expect(errorsOf({ ...minimal(type), [field]: TECH_VALUES[field][0] })).toEqual([[`/${field}`, 'false schema']]);
    expect(errorsOf({ ...minimal(type), affectedSystemConnection: false, [field]: TECH_VALUES[field][0] })).toEqual([[`/${field}`, 'false schema']]);
  });

  it('accepts a connected resource with no technical details yet', () => {
    expect(validateData(schema, { ...minimal('malware_infection'), affectedSystemConnection: true })).toEqual([]);
  });
});

describe('rucert-export v2: values of the technical details', () => {
  const tech = (field: string, value: unknown, type = 'malware_infection') => errorsOf({ ...minimal(type), affectedSystemConnection: true, [field]: value });
  it.each([
    ['relatedObservablesIpv4', [{ value: '256.1.1.1' }], '/relatedObservablesIpv4/0/value', 'format'],
    ['relatedObservablesIpv6', [{ value: '12.12.12.12' }], '/relatedObservablesIpv6/0/value', 'format'],
    ['relatedObservablesDomain', [{ value: 'a b.ru' }], '/relatedObservablesDomain/0/value', 'pattern'],
    ['relatedObservablesDomain', [{ value: 'localhost' }], '/relatedObservablesDomain/0/value', 'pattern'],
    ['relatedObservablesUri', [{ value: 'dbo.rmhk.ru/fl' }], '/relatedObservablesUri/0/value', 'format'],
    ['relatedObservablesEmail', [{ value: 'ivanovmn' }], '/relatedObservablesEmail/0/value', 'format'],
    ['relatedObservablesService', [{ name: 'веб', value: '443' }], '/relatedObservablesService/0/value', 'pattern'],
    ['relatedObservablesService', [{ value: '70000/TCP' }], '/relatedObservablesService/0/value', 'pattern'],
    ['relatedObservablesService', [{ name: 'веб' }], '/relatedObservablesService/0/value', 'required'],
    ['relatedIndicatorsIpv4', [{ value: '5.5.5.5' }], '/relatedIndicatorsIpv4/0/function', 'required'],
    ['relatedIndicatorsIpv4', [{ function: 'botnet', value: '5.5.5.5' }], '/relatedIndicatorsIpv4/0/function', 'oneOf'],
    ['malwareHash', [{ value: 'xyz' }], '/malwareHash/0/value', 'pattern'],
    ['malwareHash', [{ value: 'a'.repeat(33) }], '/malwareHash/0/value', 'pattern'],
    ['relatedIndicatorsVuln', [{ value: 'такая-то уязвимость' }], '/relatedIndicatorsVuln/0/value', 'pattern'],
    ['relatedIndicatorsIpv4', [{ function: 'malware_c2', value: '5.5.5.5', country: 'RU' }], '/relatedIndicatorsIpv4/0/country', 'additionalProperties'],
  ])('%s %j is refused at %s (%s)', (field, value, path, keyword) => {
    expect(tech(field, value)).toContainEqual([path, keyword]);
  });

  it.each([
    ['relatedObservablesDomain', [{ value: 'пример.рф' }]],
    ['relatedObservablesDomain', [{ value: 'xn--e1afmkfd.xn--p1ai' }]],
    ['relatedObservablesService', [{ value: '0/UDP' }, { value: '65535/SCTP' }]],
    ['malwareHash', [{ value: 'A'.repeat(40) }, { value: 'f'.repeat(64) }]],
    ['relatedIndicatorsVuln', [{ value: 'BDU:2021-05600' }]],
  ])('%s %j is accepted', (field, value) => {
    expect(tech(field, value)).toEqual([]);
  });

  it('bounds the AS fields of traffic interception', () => {
    expect(tech('relatedObservablesAsPath', 'AS4:AS1', 'traffic_interception')).toEqual([]);
    expect(tech('relatedObservablesAsPath', '4:1', 'traffic_interception')).toEqual([['/relatedObservablesAsPath', 'pattern']]);
    expect(tech('relatedIndicatorsAsn', 'AS6210', 'traffic_interception')).toEqual([['/relatedIndicatorsAsn', 'pattern']]);
  });
});

describe('rucert-export v2: limits (NCIRCC: 5,000 characters)', () => {
  const FREE_TEXT = ['assetOwner', 'affectedSystemName', 'detectionTool', 'customImpact', 'city'];
  it.each(FREE_TEXT)('%s takes 5,000 Cyrillic characters and refuses 5,001', (field) => {
    expect(validateData(schema, { ...minimal('malware_infection'), [field]: 'Ж'.repeat(5000) })).toEqual([]);
    expect(errorsOf({ ...minimal('malware_infection'), [field]: 'Ж'.repeat(5001) })).toEqual([[`/${field}`, 'maxLength']]);
  });

  it.each(LEAK.filter(([f]) => !['personalDataLeak', 'operatorInn', 'operatorEmail'].includes(f)).map(([f]) => f))(
    '%s takes 5,000 characters and refuses 5,001',
    (field) => {
      const data = { ...minimal('data_disclosure'), ...LEAK_DATA };
      expect(validateData(schema, { ...data, [field]: 'ж'.repeat(5000) })).toEqual([]);
      expect(errorsOf({ ...data, [field]: 'ж'.repeat(5001) })).toEqual([[`/${field}`, 'maxLength']]);
    },
  );

  it('leaves room in the event description for the reference line the service appends, within 5,000', () => {
    const room = `\n\n${referenceLine('6a0b0c8e-2f4b-4f8e-9d51-1d5c0a7e1f00')}`;
    expect(room).toHaveLength(61);
    expect(props.eventDescription.maxLength).toBe(4900);
    expect((props.eventDescription.maxLength as number) + room.length).toBeLessThanOrEqual(5000);
    expect(errorsOf({ ...minimal('ddos'), eventDescription: 'ж'.repeat(4901) })).toEqual([['/eventDescription', 'maxLength']]);
    expect(schema.$comment).toMatch(/4,900/);
  });

  it.each(TECHNICAL.filter(([f]) => (props[f] as Data).type === 'array').map(([f]) => f))('%s is bounded to 5,000 characters as sent', (field) => {
    expect(props[field]['x-max-serialized-length']).toBe(5000);
  });

  it('measures a list as NCIRCC receives it: exactly 5,000 characters pass, 5,001 do not', () => {
    const rows = (last: number) => [{ value: 'https://e.example/' + 'a'.repeat(3000) }, { value: 'https://e.example/' + 'b'.repeat(last) }];
    const size = (last: number) => JSON.stringify(toWirePayload(schema, { relatedObservablesUri: rows(last) }).related_observables_uri).length;
    const last = 5000 - size(0);
    expect(size(last)).toBe(5000);
    const data = (n: number) => ({ ...minimal('malware_infection'), affectedSystemConnection: true, relatedObservablesUri: rows(n) });
    expect(validateData(schema, data(last))).toEqual([]);
    expect(errorsOf(data(last + 1))).toEqual([['/relatedObservablesUri', 'x-max-serialized-length']]);
  });

  it('counts the activity as its wire string, not its code', () => {
    // 100 rows: as form data {"function":"malware_c2",…} fit 5,000 characters, as sent ("Центр управления ВПО") they do not
    const list = Array.from({ length: 100 }, (_, i) => ({ function: 'malware_c2', value: `10.0.${Math.floor(i / 250)}.${i % 250}` }));
    expect(JSON.stringify(list).length).toBeLessThan(5000);
    expect(JSON.stringify(toWirePayload(schema, { relatedIndicatorsIpv4: list }).related_indicators_ipv4).length).toBeGreaterThan(5000);
    expect(errorsOf({ ...minimal('malware_infection'), affectedSystemConnection: true, relatedIndicatorsIpv4: list })).toEqual([
      ['/relatedIndicatorsIpv4', 'x-max-serialized-length'],
    ]);
  });
});

describe('rucert-export v2: dates', () => {
  it('takes an end time in the past and sends it in UTC', () => {
    const data = { ...minimal('ddos'), incidentEndTime: '2020-08-17T20:33:11+03:00' };
    expect(validateData(schema, data)).toEqual([]);
    expect(toWirePayload(schema, data).end_time).toBe('2020-08-17T17:33:11.000Z');
  });

  it('refuses an end time in the future, naming the field', () => {
    const future = new Date(Date.now() + 5 * 60_000).toISOString();
    expect(validateData(schema, { ...minimal('ddos'), incidentEndTime: future })).toEqual([
      { path: '/incidentEndTime', keyword: 'x-not-future', message: 'must not be in the future' },
    ]);
  });
});

describe('rucert-export v2: the personal-data-leak block (docs/ncircc.md)', () => {
  it.each(LEAK_TYPES)('%s takes a leak report', (type) => {
    expect(validateData(schema, { ...minimal(type), ...LEAK_DATA })).toEqual([]);
  });

  it.each(TYPES.filter(([, t]) => !LEAK_TYPES.includes(t)))('%s / %s takes no leak report', (_c, type) => {
    expect(errorsOf({ ...minimal(type), personalDataLeak: true })).toEqual([['/personalDataLeak', 'false schema']]);
    expect(errorsOf({ ...minimal(type), personalDataLeak: false })).toEqual([['/personalDataLeak', 'false schema']]);
  });

  it('requires, once ticked, exactly the fields the contract requires', () => {
    const required = LEAK.filter(([f, , r]) => r && f !== 'personalDataLeak').map(([f]) => [`/${f}`, 'required']);
    expect(errorsOf({ ...minimal('account_compromise'), personalDataLeak: true })).toEqual(required);
  });

  it('takes no leak details while the box is not ticked', () => {
    expect(validateData(schema, { ...minimal('account_compromise'), personalDataLeak: false })).toEqual([]);
    expect(errorsOf({ ...minimal('account_compromise'), operatorName: 'АО "Ромашка"', leakMeasures: 'x' })).toEqual([
      ['/operatorName', 'false schema'],
      ['/leakMeasures', 'false schema'],
    ]);
  });

  it.each(['7707083893', '7736207543', '0274051582', '500100732259'])('takes the INN %s and sends it as a number', (inn) => {
    const data = { ...minimal('data_disclosure'), ...LEAK_DATA, operatorInn: inn };
    expect(validateData(schema, data)).toEqual([]);
    expect(toWirePayload(schema, data).rkn_inn).toBe(Number(inn));
  });

  it.each([
    ['7707083894', [['/operatorInn', 'format']]],
    ['500100732250', [['/operatorInn', 'format']]],
    ['770708389', [['/operatorInn', 'format']]],
    ['7707O83893', [['/operatorInn', 'format']]],
    ['7707083893.0', [['/operatorInn', 'format']]],
  ])('refuses the INN %s', (inn, errors) => {
    expect(errorsOf({ ...minimal('data_disclosure'), ...LEAK_DATA, operatorInn: inn })).toEqual(errors);
  });
});

describe('rucert-export v2: the complete wire object', () => {
  it('maps a full computer incident with technical details and a leak report to what NCIRCC expects', () => {
    const data = {
      ...minimal('malware_infection'),
      tlp: 'GREEN',
      assistanceRequired: true,
      detectionTool: 'WAF',
      incidentEndTime: '2020-08-17T20:33:11Z',
      availabilityImpact: 'none',
      integrityImpact: 'low',
      confidentialityImpact: 'high',
      customImpact: 'больше не было других влияний',
      city: 'Красноярск',
      affectedSystemConnection: true,
      relatedObservablesIpv4: [{ value: '12.12.12.12' }],
      relatedObservablesService: [{ name: 'веб', value: '443/TCP' }],
      relatedIndicatorsIpv4: [{ function: 'malware_c2', value: '5.5.5.5' }],
      malwareHash: [{ value: '837b05ef39ba55332d5ec44804e2daa0' }],
      ...LEAK_DATA,
      leakMeasures: 'Проведен аудит',
    };
    expect(validateData(schema, data)).toEqual([]);
    expect(toWirePayload(schema, data)).toStrictEqual({
      category: 'Уведомление о компьютерном инциденте',
      type: 'Заражение ВПО',
      tlp: 'TLP:GREEN',
      event_description: 'тестовое уведомление',
      owner_name: 'АО "Ромашка"',
      activity_status: 'Проводятся мероприятия по реагированию',
      affected_system_name: 'ДБО ФЛ',
      affected_system_category: 'Объект КИИ без категории значимости',
      affected_system_function: 'Банковская сфера и иные сферы финансового рынка',
      location: 'RU-KYA',
      affected_system_connection: true,
      detection_tool: 'WAF',
      assistance: true,
      end_time: '2020-08-17T20:33:11.000Z',
      availability_impact: 'Отсутствует',
      integrity_impact: 'Низкое',
      confidentiality_impact: 'Высокое',
      custom_impact: 'больше не было других влияний',
      city: 'Красноярск',
      related_observables_ipv4: [{ value: '12.12.12.12' }],
      related_observables_service: [{ name: 'веб', value: '443/TCP' }],
      related_indicators_ipv4: [{ function: 'Центр управления ВПО', value: '5.5.5.5' }],
      malware_hash: [{ value: '837b05ef39ba55332d5ec44804e2daa0' }],
      rkn_leak_pd: true,
      rkn_full_name: 'АО "Ромашка"',
      rkn_inn: 7707083893,
      rkn_address: 'г. Санкт-Петербург, ул. Ромашкина, 152',
      rkn_email: 'romashka@romashka.ru',
      rkn_reasons: 'Хакерская атака на сайт',
      rkn_pers_data: 'Клиенты интернет магазина, примерное количество N контактов',
      rkn_damage: 'Вред правам субъектов персональных данных – низкий.',
      rkn_measures: 'Проведен аудит',
    });
  });
});

describe('rucert-export v2: defaults', () => {
  const incident = {
    id: '6a0b0c8e-2f4b-4f8e-9d51-1d5c0a7e1f00',
    title: 'Троян на почтовом сервере',
    description: 'EDR: троян во вложении',
    status: 'open',
    observables: [
      { kind: 'ipv4', value: '12.12.12.12' },
      { kind: 'service', value: '443/TCP', name: 'веб' },
      { kind: 'email', value: 'ivanovmn@rmhk.ru' },
    ],
    indicators: [
      { kind: 'ipv4', value: '5.5.5.5', function: 'malware_c2' },
      { kind: 'domain', value: 'badboy.ru' },
      { kind: 'hash', value: '837b05ef39ba55332d5ec44804e2daa0' },
      { kind: 'vuln', value: 'CVE-2021-44228' },
    ],
  };
  const settings = {
    ownerName: 'АО "Ромашка"',
    defaultAffectedSystemFunction: 'healthcare',
    defaultLocation: 'RU-SPE',
    detectionTool: 'KUMA',
    operator: { name: 'АО "Ромашка"', inn: '7707083893', address: 'СПб', email: 'dpo@romashka.ru' },
  };

  it('resolves every declared default from the settings and the incident', () => {
    expect(resolveDefaults(schema, { settings, incident })).toEqual({
      eventDescription: 'EDR: троян во вложении',
      assetOwner: 'АО "Ромашка"',
      activityStatus: 'response_in_progress',
      affectedSystemFunction: 'healthcare',
      location: 'RU-SPE',
      detectionTool: 'KUMA',
      relatedObservablesIpv4: [{ value: '12.12.12.12' }],
      relatedObservablesEmail: [{ value: 'ivanovmn@rmhk.ru' }],
      relatedObservablesService: [{ name: 'веб', value: '443/TCP' }],
      relatedIndicatorsIpv4: [{ function: 'malware_c2', value: '5.5.5.5' }],
      relatedIndicatorsDomain: [{ function: 'undetermined', value: 'badboy.ru' }],
      malwareHash: [{ value: '837b05ef39ba55332d5ec44804e2daa0' }],
      relatedIndicatorsVuln: [{ value: 'CVE-2021-44228' }],
      operatorName: 'АО "Ромашка"',
      operatorInn: '7707083893',
      operatorAddress: 'СПб',
      operatorEmail: 'dpo@romashka.ru',
    });
  });

  it('maps a closed incident to "measures taken" and falls back from the description to the title', () => {
    expect(resolveDefaults(schema, { incident: { ...incident, status: 'closed', description: undefined } })).toMatchObject({
      activityStatus: 'measures_taken',
      eventDescription: 'Троян на почтовом сервере',
    });
  });

  it('offers TLP RED and false booleans, and no detection tool at all when the settings name none (never this product)', () => {
    const offered = allDefaults(schema, resolveDefaults(schema, {}));
    expect(offered).toEqual({ tlp: 'RED', affectedSystemConnection: false, assistanceRequired: false });
  });

  it('fills technical details only where the type and the connection take them, the leak block only once ticked', () => {
    const resolved = resolveDefaults(schema, { settings, incident });
    const offline = applyDefaults(schema, minimal('malware_infection'), resolved);
    expect(Object.keys(offline).filter((k) => k.startsWith('related') || k === 'malwareHash' || k.startsWith('operator'))).toEqual([]);
    const online = applyDefaults(schema, { ...minimal('ddos_slowdown'), affectedSystemConnection: true }, resolved);
    expect(online).toMatchObject({
      relatedObservablesIpv4: [{ value: '12.12.12.12' }],
      relatedIndicatorsDomain: [{ function: 'undetermined', value: 'badboy.ru' }],
    });
    expect(online).not.toHaveProperty('malwareHash'); // not taken by a DDoS slowdown
    expect(online).not.toHaveProperty('relatedObservablesEmail');
    expect(validateData(schema, online)).toEqual([]);
    const leak = applyDefaults(schema, { ...minimal('data_disclosure'), personalDataLeak: true }, resolved);
    expect(leak).toMatchObject({ operatorName: 'АО "Ромашка"', operatorInn: '7707083893' });
    expect(errorsOf(leak).map(([p]) => p)).toEqual(['/leakCauses', '/personalDataCharacteristics', '/leakHarm']);
  });

  it('names the settings the integration must keep valid for this form', () => {
    expect(settingDefaults(schema)).toEqual([
      { setting: 'ownerName', field: 'assetOwner' },
      { setting: 'defaultAffectedSystemFunction', field: 'affectedSystemFunction' },
      { setting: 'defaultLocation', field: 'location' },
      { setting: 'detectionTool', field: 'detectionTool' },
      { setting: 'operator.name', field: 'operatorName' },
      { setting: 'operator.inn', field: 'operatorInn' },
      { setting: 'operator.address', field: 'operatorAddress' },
      { setting: 'operator.email', field: 'operatorEmail' },
    ]);
  });
});

describe('rucert-export v2 is data: no field or wire name of it in the code', () => {
  // Words that are also plain English identifiers everywhere (`type`, `value`, `name`…) cannot be told apart from
  // a field reference by a search; the distinctive names can. A form field named like an integration setting
  // (detectionTool) is the setting's name where the code uses it, so it is left out too.
  const GENERIC = new Set(['category', 'type', 'tlp', 'location', 'city', 'value', 'name', 'function', 'assistance']);
  const SETTINGS = new Set(Object.keys(defaultSources.properties.settings.properties));
  const names = [...Object.entries(WIRE).flat(), ...FUNCTIONS.map(([code]) => code), 'activity_status'].filter((n) => !GENERIC.has(n) && !SETTINGS.has(n));
  // Outside the product's knowledge: the generated types, the specs, the RuCERT simulator (it plays NCIRCC, whose
  // field names it must know) and the migrations (DDL column names).
  const OUTSIDE = ['/src/generated/', '/src/rucert-simulator/', '/src/db/migrations/'];
  const sources = ['src', 'ui/src']
    .flatMap((dir) => walk(join(ROOT, dir)))
    .filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.spec.ts') && !OUTSIDE.some((part) => f.includes(part)));

  function walk(dir: string): string[] {
    return readdirSync(dir).flatMap((entry) => {
      const full = join(dir, entry);
      return statSync(full).isDirectory() ? walk(full) : [full];
    });
  }

  it('finds none in src/ and ui/src/ outside the generated types, the specs, the simulator and the migrations', () => {
    expect(sources.length).toBeGreaterThan(50);
    expect(names).toEqual(expect.arrayContaining(['eventDescription', 'event_description', 'operatorInn', 'rkn_inn', 'malwareHash', 'malware_c2']));
    const hits = sources.flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      return names.filter((n) => new RegExp(`\\b${n}\\b`).test(text)).map((n) => `${relative(ROOT, file)}: ${n}`);
    });
    expect(hits).toEqual([]);
  });
});
