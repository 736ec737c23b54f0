// License keys: verifying, issuing and evaluating them. A key is a compact JWS (RFC 7515) signed with Ed25519
// (alg "EdDSA", RFC 8037) over the claims {lid, sub, modules, nbf, exp}; see docs/api.md.
// The service holds only the vendor's public key; signing lives here too because the CLI and tests need it.
// Framework-free on purpose: the Nest module wraps it.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, randomUUID, sign, verify } from 'node:crypto';
import Ajv from 'ajv';
import claimsSchema from '../../schemas/license/license-claims.schema.json';
import type { LicenseView } from '../generated/api/responses';
import type { LicenseKeyClaims as WireClaims } from '../generated/license/license-claims';

/** A license as the rest of the product sees it (the JWS claim names stay in this file). */
export interface LicenseClaims {
  licenseId: string;
  customer: string;
  modules: string[];
  validFrom: Date;
  validUntil: Date;
}

export type LicenseState = LicenseView['state'];

/** Any reason a key is refused; the message is meant for the admin who pasted the key. */
export class LicenseKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LicenseKeyError';
  }
}

/** Keys are short (a few hundred bytes); the bound keeps hostile input from costing parse and verify time. */
export const MAX_LICENSE_KEY_LENGTH = 16 * 1024;

const ajv = new Ajv({ allErrors: true, strict: true });
const validateWireClaims = ajv.compile<WireClaims>(claimsSchema);

const BASE64URL = /^[A-Za-z0-9_-]*$/;
const ED25519_SIGNATURE_BYTES = 64;

/**
 * Checks a license key against the vendor public key and returns its claims.
 * Validity in time is NOT checked here: it is evaluated at each use with licenseState(), so that an expired key can
 * still be shown to the admin for what it is.
 */
export function verifyLicenseKey(key: string, publicKeyPem: string): LicenseClaims {
  if (typeof key !== 'string') throw new LicenseKeyError('not a compact JWS: the key must be a string');
  const compact = key.trim();
  if (compact.length === 0) throw new LicenseKeyError('not a compact JWS: the key is empty');
  if (compact.length > MAX_LICENSE_KEY_LENGTH) {
    throw new LicenseKeyError(`not a compact JWS: the key is longer than ${MAX_LICENSE_KEY_LENGTH} characters`);
  }
  const parts = compact.split('.');
  if (parts.length !== 3 || parts.some((p) => p.length === 0 || !BASE64URL.test(p))) {
    throw new LicenseKeyError('not a compact JWS: expected three base64url parts separated by dots');
  }
  const [headerPart, payloadPart, signaturePart] = parts;

  // The header is read before the signature check only to refuse anything but EdDSA: never let the key pick the algorithm.
  const header = parseJsonPart(headerPart, 'header');
  if (header.alg !== 'EdDSA') {
    throw new LicenseKeyError(`unsupported algorithm ${JSON.stringify(header.alg ?? null)}: only EdDSA (Ed25519) license keys are accepted`);
  }
  if (header.typ !== undefined && header.typ !== 'JWT') {
    throw new LicenseKeyError(`unsupported token type ${JSON.stringify(header.typ)}: expected "JWT" or none`);
  }
  // RFC 7515 §4.1.11: a recipient that does not understand a critical extension must reject the JWS.
  if ('crit' in header) throw new LicenseKeyError('unsupported critical header extension ("crit")');

  const signature = decodeBase64url(signaturePart);
  if (signature.length !== ED25519_SIGNATURE_BYTES) {
    throw new LicenseKeyError('signature does not match the vendor key');
  }
  const publicKey = loadEd25519Key(publicKeyPem, 'public');
  const signingInput = Buffer.from(`${headerPart}.${payloadPart}`, 'ascii');
  if (!verify(null, signingInput, publicKey, signature)) {
    throw new LicenseKeyError('signature does not match the vendor key');
  }

  // Only a payload signed by the vendor gets this far, but it is still checked: a vendor tool could be buggy.
  const payload = parseJsonPart(payloadPart, 'payload');
  return toClaims(checkWireClaims(payload));
}

/** The state of a license at a given time; evaluated at each use, never stored. */
export function licenseState(claims: LicenseClaims | null | undefined, now: Date): LicenseState {
  if (!claims) return 'missing';
  const t = now.getTime();
  if (t < claims.validFrom.getTime()) return 'not_yet_valid';
  // JWT "exp": the key must not be accepted on or after this instant.
  if (t >= claims.validUntil.getTime()) return 'expired';
  return 'active';
}

/** True when the license is valid at `now` and includes `module` (e.g. "gossopka"). */
export function licenseAllows(claims: LicenseClaims | null | undefined, module: string, now: Date): boolean {
  return licenseState(claims, now) === 'active' && !!claims && claims.modules.includes(module);
}

/** Issues a license key (vendor CLI, demo, tests). The claims go through the same checks a verifier applies. */
export function signLicenseKey(claims: LicenseClaims, privateKeyPem: string): string {
  const wire: WireClaims = {
    lid: claims.licenseId,
    sub: claims.customer,
    modules: [...claims.modules],
    nbf: toUnixSeconds(claims.validFrom, 'validFrom'),
    exp: toUnixSeconds(claims.validUntil, 'validUntil'),
  };
  checkWireClaims(wire);
  const privateKey = loadEd25519Key(privateKeyPem, 'private');
  const header = { alg: 'EdDSA', typ: 'JWT' };
  const signingInput = `${encodeJson(header)}.${encodeJson(wire)}`;
  const signature = sign(null, Buffer.from(signingInput, 'ascii'), privateKey);
  return `${signingInput}.${signature.toString('base64url')}`;
}

export function generateLicenseKeyPair(): { publicKeyPem: string; privateKeyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/** A fresh license id for keys issued without one. */
/**
 * SHA-256 of the key's DER SubjectPublicKeyInfo, base64 without padding, as OpenSSH writes fingerprints:
 * `openssl pkey -pubin -in key.pem -outform DER | openssl dgst -sha256 -binary | base64`.
 */
export function publicKeyFingerprint(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  return `SHA256:${createHash('sha256').update(der).digest('base64').replace(/=+$/, '')}`;
}

/**
 * The demo key of keys/license-demo.public.pem, whose private half is published in the repository: recognised by
 * its fingerprint wherever the file was copied.
 */
export const DEMO_KEY_FINGERPRINT = 'SHA256:le1MDjLHNsrFtEt0iLMb3uMPd8ZnNaCblfAH8X1mvsA';

export function newLicenseId(): string {
  return `LIC-${randomUUID()}`;
}

function checkWireClaims(payload: unknown): WireClaims {
  if (!validateWireClaims(payload)) {
    const problems = (validateWireClaims.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}`).join('; ');
    throw new LicenseKeyError(`payload is not valid: ${problems}`);
  }
  if (payload.exp <= payload.nbf) throw new LicenseKeyError('payload is not valid: exp must be later than nbf');
  return payload;
}

function toClaims(wire: WireClaims): LicenseClaims {
  return {
    licenseId: wire.lid,
    customer: wire.sub,
    modules: [...wire.modules],
    validFrom: new Date(wire.nbf * 1000),
    validUntil: new Date(wire.exp * 1000),
  };
}

function toUnixSeconds(date: Date, name: string): number {
  const ms = date instanceof Date ? date.getTime() : NaN;
  if (!Number.isFinite(ms)) throw new LicenseKeyError(`payload is not valid: ${name} is not a valid date`);
  return Math.floor(ms / 1000);
}

function parseJsonPart(part: string, what: 'header' | 'payload'): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(decodeBase64url(part).toString('utf8'));
  } catch {
    throw new LicenseKeyError(`not a compact JWS: the ${what} is not base64url-encoded JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new LicenseKeyError(`not a compact JWS: the ${what} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

// Node's decoder silently skips junk; the caller has already checked the alphabet, and a re-encode comparison
// refuses non-canonical encodings (trailing bits), so that one key has exactly one spelling.
function decodeBase64url(part: string): Buffer {
  const bytes = Buffer.from(part, 'base64url');
  if (bytes.toString('base64url') !== part) throw new LicenseKeyError('not a compact JWS: invalid base64url encoding');
  return bytes;
}

function encodeJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

function loadEd25519Key(pem: string, kind: 'public' | 'private'): KeyObject {
  let key: KeyObject;
  try {
    key = kind === 'public' ? createPublicKey(pem) : createPrivateKey(pem);
  } catch {
    // Configuration problem, not a bad license key: a plain Error so that it is not reported as the admin's fault.
    throw new Error(`the license ${kind} key is not a valid PEM key`);
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new Error(`the license ${kind} key must be an Ed25519 key, got ${key.asymmetricKeyType ?? 'a symmetric key'}`);
  }
  return key;
}
