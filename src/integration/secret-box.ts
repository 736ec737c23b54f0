// Encryption at rest of the integration secrets (RuCERT token, root CA): AES-256-GCM with a key from SECRETS_KEY
// or, for a single SQLite installation, a key generated once into the data folder (docs/architecture.md).
// Framework-free on purpose: the Nest module wraps it.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const VERSION = 'v1:';
const KEY_BYTES = 32;
const IV_BYTES = 12; // the GCM standard nonce size; random per seal, so 2^32 seals per key stay far from a collision
const TAG_BYTES = 16;
export const SECRETS_KEY_FILE = 'secrets.key';

export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

export class SecretBox {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) {
      throw new SecretBoxError(`the secrets key must be ${KEY_BYTES} bytes`);
    }
    this.#key = Buffer.from(key); // a copy: the caller may zero or reuse its buffer
  }

  /** Returns "v1:" + base64(iv | tag | ciphertext). The version prefix leaves room for a later key rotation. */
  seal(plain: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return VERSION + Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64');
  }

  /** Throws SecretBoxError on a wrong key or tampered data; the message never carries any part of the secret. */
  open(sealed: string): string {
    if (typeof sealed !== 'string' || !sealed.startsWith(VERSION)) {
      throw new SecretBoxError('sealed secret has an unknown format (expected "v1:")');
    }
    const bytes = Buffer.from(sealed.slice(VERSION.length), 'base64');
    if (bytes.length < IV_BYTES + TAG_BYTES) throw new SecretBoxError('sealed secret is truncated');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, bytes.subarray(0, IV_BYTES));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      const plain = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
      return plain.toString('utf8');
    } catch {
      throw new SecretBoxError('sealed secret cannot be opened: it was tampered with or sealed with another SECRETS_KEY');
    }
  }
}

export interface LoadSecretsKeyOptions {
  /** SECRETS_KEY as given in the environment: base64 of 32 bytes. */
  secretsKey?: string;
  dataDir: string;
  /** True with PostgreSQL: several instances share the database, so a per-machine generated key cannot work. */
  required: boolean;
}

export function loadSecretsKey({ secretsKey, dataDir, required }: LoadSecretsKeyOptions): Buffer {
  if (secretsKey !== undefined && secretsKey.trim() !== '') {
    return decodeKey(secretsKey, 'SECRETS_KEY');
  }
  if (required) throw new SecretBoxError('SECRETS_KEY is required with PostgreSQL');

  const path = join(dataDir, SECRETS_KEY_FILE);
  if (existsSync(path)) return readKeyFile(path);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 }); // private, like the key: 0700 for the folders it creates
  // The file holds base64 text, the same format as SECRETS_KEY, so moving to PostgreSQL is
  // SECRETS_KEY=$(cat data/secrets.key).
  // Written to a private temporary file and then hard-linked into place: the link is atomic and fails if the file
  // exists, so two instances starting together agree on one key and neither ever reads a half-written file.
  const temp = join(dataDir, `.${SECRETS_KEY_FILE}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  writeFileSync(temp, `${randomBytes(KEY_BYTES).toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
  try {
    linkSync(temp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temp);
  }
  return readKeyFile(path);
}

function readKeyFile(path: string): Buffer {
  return decodeKey(readFileSync(path, 'utf8'), path);
}

function decodeKey(text: string, source: string): Buffer {
  const trimmed = text.trim();
  // Node's base64 decoder skips invalid characters silently; check the alphabet first so a typo is not "repaired".
  const key = /^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) ? Buffer.from(trimmed, 'base64') : Buffer.alloc(0);
  if (key.length !== KEY_BYTES) {
    throw new SecretBoxError(
      `${source} must be ${KEY_BYTES} random bytes in base64 (e.g. from "openssl rand -base64 32"), ` +
        `got ${key.length === 0 ? 'something that is not base64' : `${key.length} bytes`}`,
    );
  }
  return key;
}
