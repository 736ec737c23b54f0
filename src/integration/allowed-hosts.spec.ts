import { AllowedHosts } from './allowed-hosts';

describe('AllowedHosts (RUCERT_ALLOWED_HOSTS)', () => {
  const list = new AllowedHosts(' 127.0.0.1, *.cert.gov.ru, LK.Example.RU., ::1 ');

  it.each([
    'http://127.0.0.1:9400/api/v2',
    'http://0x7f.0.0.1/', // the URL parser writes it 127.0.0.1
    'http://2130706433/',
    'https://lk.cert.gov.ru/api/v2',
    'https://test-lk.cert.gov.ru/api/v2',
    'https://lk.example.ru/api/v2',
    'https://LK.EXAMPLE.RU./api/v2',
    'http://[::1]:9/',
    'http://[0:0::1]/',
  ])('allows %s', (url) => {
    expect(list.allows(url)).toBe(true);
  });

  it.each([
    'http://127.0.0.2/',
    'http://localhost/',
    'http://10.0.0.1/',
    'http://169.254.169.254/',
    'https://cert.gov.ru/', // "*." is the subdomains, not the domain itself
    'https://xcert.gov.ru/',
    'https://lk.cert.gov.ru.evil.example/',
    'http://[::2]/',
    'not a url',
  ])('refuses %s', (url) => {
    expect(list.allows(url)).toBe(false);
  });

  it('allows any host when unset or empty', () => {
    for (const text of [undefined, '', ' , ']) {
      const any = new AllowedHosts(text);
      expect(any.restricted).toBe(false);
      expect(any.allows('http://10.0.0.1/')).toBe(true);
    }
  });
});
