// The words the NCIRCC views put on the service's codes: known ones in both languages, unknown ones as NCIRCC or the
// service named them, never a raw dictionary key.
import { describe, expect, it } from '@jest/globals';
import cardWire from '../../../schemas/rucert/card-wire.json';
import { translate, type Lang, type Translate } from '../common/i18n';
import { notificationText, sendStateText, supplementReasonText, technicalLabel } from './labels';
import type { NotificationView } from './types';

const t =
  (lang: Lang): Translate =>
  (key, params) =>
    translate(lang, key, params);

describe('technicalLabel', () => {
  it('names a message’s technical field as card-wire.json does, in the UI language', () => {
    expect(technicalLabel('en', 'inrelated_observables_ipv4')).toBe('Observables: IPv4');
    expect(technicalLabel('en', 'inrelated_indicators_domain_malware')).toBe('Indicators (malware): domain');
    expect(technicalLabel('ru', 'inrelated_indicators_hash')).toBe('Индикаторы: хеш');
  });

  it('has words in both languages for every technical field the service asks NCIRCC for, its group first', () => {
    for (const field of Object.keys(cardWire.message.technicalFields)) {
      const malware = field.endsWith('_malware');
      expect(technicalLabel('en', field)).toMatch(malware ? /^(Observables|Indicators) \(malware\): \S/ : /^(Observables|Indicators): \S/);
      expect(technicalLabel('ru', field)).toMatch(malware ? /^(Наблюдаемые объекты|Индикаторы) \(ВПО\): \S/ : /^(Наблюдаемые объекты|Индикаторы): \S/);
    }
  });

  it('names no other field: one card-wire.json does not list is not a technical field', () => {
    expect(technicalLabel('en', 'inrelated_something')).toBeUndefined();
    expect(technicalLabel('en', 'inrelated_indicators_asn')).toBeUndefined();
    expect(technicalLabel('en', 'event_description')).toBeUndefined();
    expect(technicalLabel('en', 'constructor')).toBeUndefined();
  });
});

describe('codes of the service', () => {
  it('words a known state or reason and shows an unknown one as it is', () => {
    expect(sendStateText(t('ru'), 'sent')).toBe('отправлено');
    expect(sendStateText(t('en'), 'parked')).toBe('parked');
    expect(supplementReasonText(t('en'), 'supplement_sent')).toBe('The supplement for this request was sent.');
    expect(supplementReasonText(t('en'), 'new_reason')).toBe('new_reason');
  });
});

describe('notificationText', () => {
  const at = '2026-11-28T08:00:00.000Z';
  // a kind this UI does not know yet (a newer service) is typed as one it knows: notificationText must still cope
  const n = (kind: string, details: Record<string, unknown>) => ({
    id: '1',
    kind: kind as NotificationView['kind'],
    incidentId: 'i',
    details,
    createdAt: at,
    read: false,
  });

  it('puts the registration number first and fills in what the details say', () => {
    expect(notificationText(t('en'), 'en', n('status_changed', { from: 'Создано', to: 'Зарегистрировано', regNumber: 'RMSH-26-11-1' }))).toBe(
      'RMSH-26-11-1: NCIRCC status: Создано → Зарегистрировано',
    );
    expect(notificationText(t('ru'), 'ru', n('message_received', { regNumber: 'ALRT-26-11-2', type: 'Зараженный ресурс' }))).toBe(
      'ALRT-26-11-2: Сообщение НКЦКИ: Зараженный ресурс',
    );
  });

  it('reads a missing detail as a dash, names the deadline, and shows an unknown kind as it is', () => {
    expect(notificationText(t('en'), 'en', n('status_changed', { to: 'Проверка НКЦКИ' }))).toBe('NCIRCC status: — → Проверка НКЦКИ');
    expect(notificationText(t('en'), 'en', n('deadline_near', { deadline: 'reaction', at }))).toMatch(
      /^Deadline near: Reaction due \(24 hours\) at 28 Nov 2026/,
    );
    expect(notificationText(t('en'), 'en', n('archived', {}))).toBe('archived');
  });
});
