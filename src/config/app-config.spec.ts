import { resolve } from 'node:path';
import { ConfigError, DEMO_PUBLIC_KEY_FILE, loadConfig, VENDOR_PUBLIC_KEY_FILE } from './app-config';

describe('loadConfig: the security settings', () => {
  it('trusts no proxy unless TRUST_PROXY says, in Express terms', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toBe('loopback, 10.0.0.0/8');
  });

  it('stops the start on a TRUST_PROXY Express cannot read, naming the variable', () => {
    expect(() => loadConfig({ TRUST_PROXY: 'loopbak' })).toThrow(ConfigError);
    expect(() => loadConfig({ TRUST_PROXY: 'loopbak' })).toThrow(/TRUST_PROXY: invalid IP address: loopbak/);
    expect(() => loadConfig({ TRUST_PROXY: 'a b' })).toThrow(/TRUST_PROXY/);
  });

  it('verifies licenses with the vendor key unless LICENSE_PUBLIC_KEY_FILE names another', () => {
    expect(loadConfig({}).licensePublicKeyFile).toBe(VENDOR_PUBLIC_KEY_FILE);
    expect(loadConfig({ LICENSE_PUBLIC_KEY_FILE: DEMO_PUBLIC_KEY_FILE }).licensePublicKeyFile).toBe(DEMO_PUBLIC_KEY_FILE);
    expect(loadConfig({ LICENSE_PUBLIC_KEY_FILE: 'keys/x.pem' }).licensePublicKeyFile).toBe(resolve('keys/x.pem'));
  });

  it('takes RUCERT_ALLOWED_HOSTS as a list of hosts, refusing anything else', () => {
    expect(loadConfig({}).rucertAllowedHosts).toBeUndefined();
    expect(loadConfig({ RUCERT_ALLOWED_HOSTS: 'lk.cert.gov.ru, *.cert.gov.ru' }).rucertAllowedHosts).toBe('lk.cert.gov.ru, *.cert.gov.ru');
    expect(() => loadConfig({ RUCERT_ALLOWED_HOSTS: 'https://lk.cert.gov.ru/' })).toThrow(/RUCERT_ALLOWED_HOSTS/);
  });

  it("reads NCIRCC at the integration setting's interval unless SYNC_INTERVAL_MS overrides it (the demo)", () => {
    expect(loadConfig({}).syncIntervalMs).toBeUndefined();
    expect(loadConfig({ SYNC_INTERVAL_MS: '5000' }).syncIntervalMs).toBe(5000);
    expect(() => loadConfig({ SYNC_INTERVAL_MS: '5s' })).toThrow(/SYNC_INTERVAL_MS/);
  });
});
