import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSecretsKey, SecretBox, SecretBoxError } from './secret-box';

const tempDir = () => mkdtempSync(join(tmpdir(), 'secret-box-'));

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));

  it('round-trips a secret, Cyrillic and long ones included', () => {
    for (const secret of ['', 'token-123', 'секрет', 'x'.repeat(100_000)]) {
      const sealed = box.seal(secret);
      expect(sealed).toMatch(/^v1:[A-Za-z0-9+/]+=*$/);
      expect(box.open(sealed)).toBe(secret);
    }
  });

  it('uses a fresh IV for each seal', () => {
    expect(box.seal('same')).not.toBe(box.seal('same'));
  });

  it('refuses tampered data without revealing the secret', () => {
    const sealed = box.seal('very-secret-token');
    const bytes = Buffer.from(sealed.slice(3), 'base64');
    for (const index of [0, 12, bytes.length - 1]) {
      const copy = Buffer.from(bytes);
      copy[index] ^= 1;
      const attempt = () => box.open(`v1:${copy.toString('base64')}`);
      expect(attempt).toThrow(SecretBoxError);
      expect(attempt).toThrow('tampered with or sealed with another SECRETS_KEY');
    }
  });

  it('refuses data sealed with another key', () => {
    const other = new SecretBox(randomBytes(32));
    expect(() => other.open(box.seal('very-secret-token'))).toThrow('sealed with another SECRETS_KEY');
  });

  it('refuses unknown formats and truncated data', () => {
    expect(() => box.open('plain text')).toThrow('unknown format');
    expect(() => box.open('v1:AAAA')).toThrow('truncated');
  });

  it('wants a 32-byte key', () => {
    expect(() => new SecretBox(randomBytes(16))).toThrow('must be 32 bytes');
  });
});

describe('loadSecretsKey', () => {
  it('takes SECRETS_KEY when given', () => {
    const key = randomBytes(32);
    expect(loadSecretsKey({ secretsKey: key.toString('base64'), dataDir: tempDir(), required: true })).toEqual(key);
  });

  it.each([
    ['too short', randomBytes(16).toString('base64'), 'got 16 bytes'],
    ['not base64', 'not*base64!', 'not base64'],
    ['hex instead of base64', randomBytes(32).toString('hex'), 'got 48 bytes'],
  ])('refuses a SECRETS_KEY that is %s, naming the variable', (_what, value, detail) => {
    const attempt = () => loadSecretsKey({ secretsKey: value, dataDir: tempDir(), required: false });
    expect(attempt).toThrow(/^SECRETS_KEY must be 32 random bytes in base64/);
    expect(attempt).toThrow(detail);
  });

  it('requires SECRETS_KEY with PostgreSQL', () => {
    expect(() => loadSecretsKey({ dataDir: tempDir(), required: true })).toThrow('SECRETS_KEY is required with PostgreSQL');
    expect(() => loadSecretsKey({ secretsKey: '  ', dataDir: tempDir(), required: true })).toThrow('SECRETS_KEY is required');
  });

  it('creates <dataDir>/secrets.key once with mode 0600 and reuses it', () => {
    const dataDir = join(tempDir(), 'nested', 'data');
    const first = loadSecretsKey({ dataDir, required: false });
    const file = join(dataDir, 'secrets.key');
    expect(first).toHaveLength(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.toString('base64'));
    expect(loadSecretsKey({ dataDir, required: false })).toEqual(first);
    // and a box made with it opens what an earlier box sealed
    expect(new SecretBox(loadSecretsKey({ dataDir, required: false })).open(new SecretBox(first).seal('t'))).toBe('t');
  });

  it('refuses a key file of the wrong length instead of replacing it', () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'secrets.key'), randomBytes(8).toString('base64'));
    expect(() => loadSecretsKey({ dataDir, required: false })).toThrow(/secrets\.key must be 32 random bytes .* got 8 bytes/);
  });
});
