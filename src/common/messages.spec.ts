import { langOf, message } from './messages';

describe('langOf', () => {
  it.each([
    [undefined, 'en'],
    ['ru', 'ru'],
    ['ru-RU,ru;q=0.9,en;q=0.8', 'ru'],
    ['en-US,en;q=0.9,ru;q=0.8', 'en'],
    ['de-DE, ru;q=0.5', 'ru'],
    ['fr', 'en'],
    ['en;q=0.1, ru;q=0.9', 'ru'],
  ])('picks %s → %s', (header, lang) => {
    expect(langOf(header)).toBe(lang);
  });
});

describe('message', () => {
  it('fills parameters in the chosen language', () => {
    expect(message('incident.not_found', 'en', { id: 'X-1' })).toBe('Incident X-1 does not exist');
    expect(message('incident.not_found', 'ru', { id: 'X-1' })).toBe('Инцидент X-1 не существует');
  });

  it('leaves unknown parameters visible instead of inventing text', () => {
    expect(message('incident.not_found', 'en')).toBe('Incident {id} does not exist');
  });
});
