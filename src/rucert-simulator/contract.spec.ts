import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Contract, DEFAULT_PROFILES_DIR } from './contract';
import { fieldName } from './contract-errors';

const NOW = Date.parse('2025-06-01T12:00:00Z');
const context = (mssp = false, now = NOW) => ({ now: () => now, mssp });
const incident = (over: Record<string, unknown> = {}) => ({
  category: 'Уведомление о компьютерном инциденте',
  type: 'Заражение ВПО',
  owner_name: 'АО "Ромашка"',
  event_description: 'Троян',
  tlp: 'TLP:RED',
  detect_time: '2025-06-01T11:00:00Z',
  activity_status: 'Меры приняты',
  affected_system_name: 'mail01',
  affected_system_category: 'Объект КИИ без категории значимости',
  affected_system_function: 'Иная',
  location: 'RU-MOW',
  ...over,
});
const message = (verdict: { ok: boolean; message?: string }) => (verdict.ok ? 'ok' : verdict.message);

describe('Contract: a profile folder of schemas/ncircc', () => {
  it.each(readdirSync(DEFAULT_PROFILES_DIR))('loads the shipped profile %s whole', (profile) => {
    const contract = Contract.load(profile, context());
    expect(contract.profile).toBe(profile);
    expect(Object.keys(contract.config.notificationCategories).length).toBeGreaterThan(0);
  });

  describe('a new profile is a new folder', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'ncircc-profile-'));
      cpSync(join(DEFAULT_PROFILES_DIR, '1.1.2'), join(dir, 'next'), { recursive: true });
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));
    const edit = (file: string, change: (json: any) => void) => {
      const path = join(dir, 'next', file);
      const json = JSON.parse(readFileSync(path, 'utf8'));
      change(json);
      writeFileSync(path, JSON.stringify(json));
    };

    it('takes a type added to the data, with no code change', () => {
      const type = 'Новый тип компьютерного инцидента';
      expect(message(Contract.load('next', context(), dir).checkCreate(incident({ type })))).toMatch(/^Поле «type»/);
      edit('create-incident.schema.json', (s) => s.properties.type.enum.push(type));
      expect(message(Contract.load('next', context(), dir).checkCreate(incident({ type })))).toBe('ok');
    });

    it('switches a category off when profile.json no longer offers it', () => {
      edit('profile.json', (p) => delete p.notificationCategories['Уведомление о компьютерной атаке']);
      const contract = Contract.load('next', context(), dir);
      expect(contract.kindOf('Уведомление о компьютерной атаке')).toBeUndefined();
      expect(message(contract.checkCreate(incident({ category: 'Уведомление о компьютерной атаке', type: 'DDoS-атака' })))).toMatch(
        /^Поле «category»: значение «Уведомление о компьютерной атаке» не из справочника/,
      );
    });

    it('refuses to load a folder that lacks a schema its profile.json needs, naming it', () => {
      rmSync(join(dir, 'next', 'create-attack.schema.json'));
      expect(() => Contract.load('next', context(), dir)).toThrow(/NCIRCC profile "next", create-attack\.schema\.json/);
    });

    it('refuses to load an invalid profile.json', () => {
      edit('profile.json', (p) => (p.badTokenStatus = 418));
      expect(() => Contract.load('next', context(), dir)).toThrow(/profile\.json/);
    });
  });

  describe('the custom keywords', () => {
    it('x-not-future: judges dates on the clock it is given', () => {
      const early = Contract.load('1.1.2', context(false, Date.parse('2025-06-01T10:00:00Z')));
      expect(message(early.checkCreate(incident()))).toBe('Поле «detect_time»: дата из будущего не допускается («2025-06-01T11:00:00Z»)');
      expect(message(Contract.load('1.1.2', context()).checkCreate(incident()))).toBe('ok');
      expect(message(Contract.load('1.1.2', context()).checkCreate(incident({ detect_time: '2025-06-01T12:00:00Z' })))).toBe('ok');
    });

    it('x-mssp-only: company required for an MSSP token, refused for any other, on creates, supplements and messages', () => {
      const [plain, mssp] = [Contract.load('1.1.2', context(false)), Contract.load('1.1.2', context(true))];
      expect(message(plain.checkCreate(incident({ company: 'АО' })))).toBe('Поле «company» передают только MSSP-провайдеры');
      expect(message(mssp.checkCreate(incident()))).toBe('Не передано поле «company»: оно обязательно для MSSP-провайдера');
      expect(message(mssp.checkCreate(incident({ company: 'АО' })))).toBe('ok');
      expect(message(mssp.checkUpdate('incident', { uuid: 'u', status: 'Проверка НКЦКИ' }))).toMatch(/«company»/);
      expect(message(plain.checkMessageStatus({ uuid: 'u', status: 'В работе', company: 'АО' }))).toMatch(/«company»/);
      expect(message(mssp.checkAttach({ uuid: 'u' }))).toMatch(/«company»/);
    });

    it('x-max-serialized-length: a technical-details list of exactly 5000 characters of JSON passes, 5001 does not', () => {
      const contract = Contract.load('1.1.2', context());
      const list = (length: number) => [{ value: 'a'.repeat(length - '[{"value":""}]'.length) }];
      expect(JSON.stringify(list(5000))).toHaveLength(5000);
      expect(message(contract.checkCreate(incident({ affected_system_connection: true, related_indicators_vuln: list(5000) })))).toBe('ok');
      expect(message(contract.checkCreate(incident({ affected_system_connection: true, related_indicators_vuln: list(5001) })))).toBe(
        'Поле «related_indicators_vuln»: более 5000 символов (5001)',
      );
    });

    it('x-digits: an ИНН of 10 or 12 digits, nothing else', () => {
      const contract = Contract.load('1.1.2', context());
      const leak = (rkn_inn: unknown) =>
        incident({
          rkn_leak_pd: true,
          rkn_full_name: 'АО',
          rkn_inn,
          rkn_address: 'a',
          rkn_email: 'a@b.ru',
          rkn_reasons: 'r',
          rkn_pers_data: 'p',
          rkn_damage: 'd',
        });
      for (const inn of [7707083893, 500100732250]) expect(message(contract.checkCreate(leak(inn)))).toBe('ok');
      for (const inn of [770708389, 77070838931, 5001007322501, -7707083893])
        expect(message(contract.checkCreate(leak(inn)))).toBe('Поле «rkn_inn»: ожидается число из 10 или 12 цифр');
      expect(message(contract.checkCreate(leak(7707083893.5)))).toBe('Поле «rkn_inn»: ожидается целое число');
    });
  });

  describe('the technical-details matrix of docs/ncircc.md, type by type', () => {
    const CI = {
      infection: 'Заражение ВПО',
      ddos: 'Замедление работы ресурса в результате DDoS-атаки',
      interception: 'Захват сетевого трафика',
      account: 'Компрометация учетной записи',
      modification: 'Несанкционированное изменение информации',
      disclosure: 'Несанкционированное разглашение информации',
      illegal: 'Публикация на ресурсе запрещенной законодательством РФ информации',
      exploited: 'Успешная эксплуатация уязвимости',
      attacksFrom: 'Использование контролируемого ресурса для проведения атак',
      notAttack: 'Событие не связано с компьютерной атакой',
    };
    const CA = {
      ddos: 'DDoS-атака',
      auth: 'Неудачные попытки авторизации',
      malware: 'Попытки внедрения ВПО',
      exploit: 'Попытки эксплуатации уязвимости',
      fraud: 'Публикация мошеннической информации',
      scan: 'Сетевое сканирование',
      social: 'Социальная инженерия',
    };
    const ip = [{ value: '5.5.5.5' }];
    const value: Record<string, unknown> = {
      related_observables_ipv4: ip, related_observables_ipv6: [{ value: '::1' }], related_observables_domain: [{ value: 'a.ru' }],
      related_observables_uri: [{ value: 'https://a.ru/' }], related_observables_service: [{ name: 'веб', value: '443/TCP' }],
      related_observables_email: [{ value: 'a@a.ru' }], related_observables_as_path: 'AS4:AS1', related_indicators_asn: '6210',
      related_indicators_as: 'Orange', related_indicators_as_lir: 'LIR', related_indicators_ipv4: ip, related_indicators_ipv6: [{ value: '::2' }],
      related_indicators_domain: [{ value: 'b.ru' }], related_indicators_vuln: [{ value: 'CVE-2021-1' }], related_indicators_uri: [{ value: 'https://b.ru/' }],
      related_indicators_email: [{ value: 'b@b.ru' }], malware_hash: [{ value: '837b05ef39ba55332d5ec44804e2daa0' }],
    }; // prettier-ignore
    const observables = [
      'related_observables_ipv4',
      'related_observables_ipv6',
      'related_observables_domain',
      'related_observables_uri',
      'related_observables_service',
    ];
    const indicators = ['related_indicators_ipv4', 'related_indicators_ipv6', 'related_indicators_domain', 'related_indicators_vuln'];
    const routing = ['related_observables_as_path', 'related_indicators_asn', 'related_indicators_as', 'related_indicators_as_lir'];
    const incidentMatrix: Array<[string[], string[]]> = [
      [observables, [CI.infection, CI.ddos, CI.account, CI.modification, CI.disclosure, CI.exploited, CI.notAttack]],
      [['related_observables_email'], [CI.infection, CI.account, CI.disclosure, CI.exploited, CI.notAttack]],
      [routing, [CI.interception]],
      [indicators, [CI.infection, CI.ddos, CI.attacksFrom, CI.account, CI.modification, CI.disclosure, CI.illegal, CI.exploited]],
      [['related_indicators_uri'], [CI.infection, CI.attacksFrom, CI.modification, CI.disclosure, CI.illegal, CI.exploited]],
      [['related_indicators_email'], [CI.infection, CI.disclosure, CI.exploited, CI.attacksFrom]],
      [['malware_hash'], [CI.infection, CI.attacksFrom]],
    ];
    const attackMatrix: Array<[string[], string[]]> = [
      [[...observables, ...indicators], Object.values(CA)],
      [['related_observables_email'], [CA.auth, CA.malware, CA.exploit, CA.social]],
      [['related_indicators_uri'], [CA.malware, CA.exploit, CA.fraud, CA.social]],
      [['related_indicators_email'], [CA.malware, CA.exploit, CA.social]],
      [['malware_hash'], [CA.malware]],
      [routing, []], // not attack fields at all
    ];
    const contract = Contract.load('1.1.2', context());
    const cases = (category: string, types: Record<string, string>, matrix: Array<[string[], string[]]>) =>
      matrix.flatMap(([fields, allowed]) =>
        fields.flatMap((field) => Object.values(types).map((type) => [category, field, type, allowed.includes(type)] as const)),
      );

    it.each([...cases('Уведомление о компьютерном инциденте', CI, incidentMatrix), ...cases('Уведомление о компьютерной атаке', CA, attackMatrix)])(
      '%s: %s with %s → %s',
      (category, field, type, allowed) => {
        const verdict = contract.checkCreate(incident({ category, type, affected_system_connection: true, [field]: value[field] }));
        const refusal =
          category.endsWith('атаке') && routing.includes(field)
            ? `Поле «${field}» не предусмотрено контрактом`
            : `Поле «${field}» не допускается для типа «${type}»`;
        expect(message(verdict)).toBe(allowed ? 'ok' : refusal);
      },
    );
  });

  it('names nested fields as JSON paths with indexes', () => {
    expect(fieldName('')).toBe('');
    expect(fieldName('/related_indicators_ipv4/0/value')).toBe('related_indicators_ipv4[0].value');
    expect(fieldName('/filter/2')).toBe('filter[2]');
    expect(fieldName('/a~1b/c~0d')).toBe('a/b.c~d');
  });
});
