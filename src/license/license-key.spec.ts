import { createHash, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEMO_KEY_FINGERPRINT,
  generateLicenseKeyPair,
  LicenseClaims,
  LicenseKeyError,
  licenseAllows,
  licenseState,
  MAX_LICENSE_KEY_LENGTH,
  publicKeyFingerprint,
  signLicenseKey,
  verifyLicenseKey,
} from './license-key';

const vendor = generateLicenseKeyPair();
const stranger = generateLicenseKeyPair();

const claims: LicenseClaims = {
  licenseId: 'LIC-1',
  customer: 'ООО «Ромашка»',
  modules: ['gossopka'],
  validFrom: new Date('2026-01-01T00:00:00Z'),
  validUntil: new Date('2028-01-01T00:00:00Z'),
};

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

function expectRefused(key: string, message: RegExp | string) {
  let error: unknown;
  try {
    verifyLicenseKey(key, vendor.publicKeyPem);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(LicenseKeyError);
  expect((error as Error).message).toMatch(message);
}

/** Signs arbitrary header/payload with the vendor key, to check what the verifier does with signed nonsense. */
function signRaw(header: unknown, payload: unknown): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${sign(null, Buffer.from(input), vendor.privateKeyPem).toString('base64url')}`;
}

const wirePayload = { lid: 'LIC-1', sub: 'ACME', modules: ['gossopka'], nbf: 1767225600, exp: 1830297600 };

describe('license keys', () => {
  it('verifies a key signed by the vendor and returns its claims', () => {
    const key = signLicenseKey(claims, vendor.privateKeyPem);
    expect(key.split('.')).toHaveLength(3);
    expect(verifyLicenseKey(key, vendor.publicKeyPem)).toEqual(claims);
  });

  it('accepts surrounding whitespace from copy and paste', () => {
    const key = signLicenseKey(claims, vendor.privateKeyPem);
    expect(verifyLicenseKey(`\n ${key}\n`, vendor.publicKeyPem).licenseId).toBe('LIC-1');
  });

  it('refuses a key signed by another key', () => {
    expectRefused(signLicenseKey(claims, stranger.privateKeyPem), 'signature does not match the vendor key');
  });

  it('refuses a tampered payload', () => {
    const [h, , s] = signLicenseKey(claims, vendor.privateKeyPem).split('.');
    const forged = b64({ ...wirePayload, exp: 4102444800, modules: ['gossopka', 'everything'] });
    expectRefused(`${h}.${forged}.${s}`, 'signature does not match the vendor key');
  });

  it('refuses a tampered signature', () => {
    const key = signLicenseKey(claims, vendor.privateKeyPem);
    const s = Buffer.from(key.split('.')[2], 'base64url');
    s[0] ^= 1;
    expectRefused(key.replace(/[^.]+$/, s.toString('base64url')), 'signature does not match the vendor key');
  });

  it('refuses alg "none" even without a signature', () => {
    expectRefused(`${b64({ alg: 'none' })}.${b64(wirePayload)}.`, 'not a compact JWS');
    expectRefused(`${b64({ alg: 'none' })}.${b64(wirePayload)}.AAAA`, 'unsupported algorithm "none"');
  });

  it('refuses HS256 keyed with the public key (algorithm confusion)', () => {
    const [, p, s] = signLicenseKey(claims, vendor.privateKeyPem).split('.');
    expectRefused(`${b64({ alg: 'HS256', typ: 'JWT' })}.${p}.${s}`, 'unsupported algorithm "HS256"');
  });

  it('refuses a missing alg, a foreign typ and any crit header', () => {
    expectRefused(signRaw({ typ: 'JWT' }, wirePayload), 'unsupported algorithm null');
    expectRefused(signRaw({ alg: 'EdDSA', typ: 'JOSE+JSON' }, wirePayload), 'unsupported token type');
    expectRefused(signRaw({ alg: 'EdDSA', crit: ['exp'], exp: 1 }, wirePayload), 'crit');
  });

  it('accepts a header without typ', () => {
    expect(verifyLicenseKey(signRaw({ alg: 'EdDSA' }, wirePayload), vendor.publicKeyPem).customer).toBe('ACME');
  });

  it('refuses a signed payload of the wrong shape, naming the problem', () => {
    expectRefused(signRaw({ alg: 'EdDSA' }, { ...wirePayload, modules: 'gossopka' }), /payload is not valid: \/modules must be array/);
    expectRefused(signRaw({ alg: 'EdDSA' }, { ...wirePayload, nbf: 1.5 }), /payload is not valid: \/nbf must be integer/);
    expectRefused(signRaw({ alg: 'EdDSA' }, { lid: 'x' }), /payload is not valid: .*must have required property 'sub'/);
    expectRefused(signRaw({ alg: 'EdDSA' }, { ...wirePayload, exp: wirePayload.nbf }), 'exp must be later than nbf');
    expectRefused(signRaw({ alg: 'EdDSA' }, { ...wirePayload, lid: 'x'.repeat(129) }), /\/lid must NOT have more than 128/);
    expectRefused(signRaw({ alg: 'EdDSA' }, [1, 2]), 'payload is not a JSON object');
  });

  it('ignores extra claims a later vendor tool may add', () => {
    const key = signRaw({ alg: 'EdDSA', typ: 'JWT' }, { ...wirePayload, iat: 1767225600, seats: 10 });
    expect(verifyLicenseKey(key, vendor.publicKeyPem)).toEqual({
      licenseId: 'LIC-1',
      customer: 'ACME',
      modules: ['gossopka'],
      validFrom: new Date(wirePayload.nbf * 1000),
      validUntil: new Date(wirePayload.exp * 1000),
    });
  });

  it.each([
    ['an empty string', '', 'the key is empty'],
    ['a single word', 'hello', 'three base64url parts'],
    ['four parts', 'a.b.c.d', 'three base64url parts'],
    ['non-base64url characters', 'ab+c.de/f.gh==', 'three base64url parts'],
    ['a header that is not JSON', `${Buffer.from('{oops').toString('base64url')}.e30.AAAA`, 'header is not base64url-encoded JSON'],
    ['a header that is a string', `${b64('EdDSA')}.e30.AAAA`, 'header is not a JSON object'],
    ['a short signature', `${b64({ alg: 'EdDSA' })}.${b64(wirePayload)}.AAAA`, 'signature does not match'],
  ])('refuses %s as malformed', (_what, key, message) => {
    expectRefused(key, message);
  });

  it('refuses an oversized key before parsing it', () => {
    expectRefused('a'.repeat(MAX_LICENSE_KEY_LENGTH + 1), 'longer than');
  });

  it('refuses a non-string key', () => {
    expectRefused(42 as unknown as string, 'must be a string');
  });

  it('reports a public key of the wrong type as a configuration error, not a bad license', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const key = signLicenseKey(claims, vendor.privateKeyPem);
    expect(() => verifyLicenseKey(key, rsa)).toThrow('must be an Ed25519 key');
    expect(() => verifyLicenseKey(key, 'not a pem')).toThrow('not a valid PEM key');
    expect(() => verifyLicenseKey(key, 'not a pem')).not.toThrow(LicenseKeyError);
  });

  it('refuses to sign claims it would not accept', () => {
    expect(() => signLicenseKey({ ...claims, validUntil: claims.validFrom }, vendor.privateKeyPem)).toThrow('exp must be later than nbf');
    expect(() => signLicenseKey({ ...claims, modules: ['GosSOPKA!'] }, vendor.privateKeyPem)).toThrow('/modules/0 must match pattern');
    expect(() => signLicenseKey({ ...claims, validFrom: new Date('x') }, vendor.privateKeyPem)).toThrow('validFrom is not a valid date');
  });
});

describe('license state', () => {
  const key = (c: Partial<LicenseClaims>) => verifyLicenseKey(signLicenseKey({ ...claims, ...c }, vendor.privateKeyPem), vendor.publicKeyPem);

  it('is missing without a license', () => {
    expect(licenseState(null, new Date())).toBe('missing');
  });

  it('is active between validFrom (inclusive) and validUntil (exclusive)', () => {
    const c = key({});
    expect(licenseState(c, new Date('2026-01-01T00:00:00Z'))).toBe('active');
    expect(licenseState(c, new Date('2027-12-31T23:59:59Z'))).toBe('active');
  });

  it('is expired from validUntil on', () => {
    expect(licenseState(key({}), new Date('2028-01-01T00:00:00Z'))).toBe('expired');
  });

  it('is not yet valid before validFrom', () => {
    expect(licenseState(key({}), new Date('2025-12-31T23:59:59Z'))).toBe('not_yet_valid');
  });

  it('keeps the module list so that a license without gossopka is valid but does not allow export', () => {
    const c = key({ modules: ['other'] });
    const now = new Date('2026-06-01T00:00:00Z');
    expect(licenseState(c, now)).toBe('active');
    expect(c.modules).toEqual(['other']);
    expect(licenseAllows(c, 'gossopka', now)).toBe(false);
    expect(licenseAllows(key({}), 'gossopka', now)).toBe(true);
    expect(licenseAllows(key({}), 'gossopka', new Date('2029-01-01T00:00:00Z'))).toBe(false);
    expect(licenseAllows(null, 'gossopka', now)).toBe(false);
  });
});

describe('publicKeyFingerprint', () => {
  const demoFile = join(__dirname, '..', '..', 'keys', 'license-demo.public.pem');

  it('recognises the demo key by DEMO_KEY_FINGERPRINT, wherever its file is', () => {
    expect(publicKeyFingerprint(readFileSync(demoFile, 'utf8'))).toBe(DEMO_KEY_FINGERPRINT);
  });

  it('is the SHA-256 of the DER public key, as openssl prints it', () => {
    const { publicKeyPem } = generateLicenseKeyPair();
    const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
    expect(publicKeyFingerprint(publicKeyPem)).toBe(`SHA256:${createHash('sha256').update(der).digest('base64').replace(/=+$/, '')}`);
    expect(publicKeyFingerprint(publicKeyPem)).not.toBe(DEMO_KEY_FINGERPRINT);
  });
});
