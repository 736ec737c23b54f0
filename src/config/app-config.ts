// Owns the service configuration: read once from the environment at start-up, validated by ajv against
// schemas/config.schema.json, then handed around as one typed, frozen object.
import express from 'express';
import { resolve } from 'node:path';
import { createSchemaAjv } from '../schema/schema-ajv';
import { PROJECT_ROOT } from '../common/paths';
import configSchema from '../../schemas/config.schema.json';
import type { ServiceConfig } from '../generated/config';

export interface AppConfig {
  port: number;
  host: string;
  database: { dialect: 'sqlite'; path: string } | { dialect: 'postgresql'; url: string };
  dataDir: string;
  adminToken?: string;
  licensePublicKeyFile: string;
  secretsKey?: string;
  rucertTimeoutMs: number;
  reconcileIntervalMs: number;
  /** SYNC_INTERVAL_MS: overrides the integration setting `syncIntervalMs` (the demo's short interval); undefined: the setting. */
  syncIntervalMs?: number;
  /** RUCERT_ALLOWED_HOSTS as given: the hosts the RuCERT URL may name; undefined allows any. */
  rucertAllowedHosts?: string;
  /** Express `trust proxy`: which peers' X-Forwarded-For names the client; false (none) unless TRUST_PROXY says. */
  trustProxy: boolean | number | string;
  logLevel: 'error' | 'warn' | 'log' | 'debug';
  /** CHECK_RESPONSES=on: every answer is checked against its response schema (development and tests). */
  checkResponses: boolean;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

/** The vendor's public license key, shipped with the product; its private half is kept by the vendor alone. */
export const VENDOR_PUBLIC_KEY_FILE = resolve(PROJECT_ROOT, 'keys/license-vendor.public.pem');
/** The demo key (keys/README.md): `npm run demo` and the tests name it explicitly. */
export const DEMO_PUBLIC_KEY_FILE = resolve(PROJECT_ROOT, 'keys/license-demo.public.pem');

export class ConfigError extends Error {}

const validateEnv = createSchemaAjv().compile<ServiceConfig>(configSchema);

/** TRUST_PROXY in Express's terms: true, false, a hop count, or the list of addresses and subnets as given. */
function trustProxyOf(text: string | undefined): boolean | number | string {
  if (text === undefined || text === 'false') return false;
  if (text === 'true') return true;
  if (/^[0-9]+$/.test(text)) return Number(text);
  try {
    express().set('trust proxy', text); // compiles the list as the app will, so a typo stops the start here
  } catch (e) {
    throw new ConfigError(`invalid configuration: TRUST_PROXY: ${(e as Error).message}`);
  }
  return text;
}

/** Reads the variables this service knows; unknown ones are left alone (the environment holds many others). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const known = Object.keys(configSchema.properties) as (keyof ServiceConfig)[];
  const raw: Record<string, string> = {};
  for (const name of known) {
    const value = env[name];
    if (value !== undefined && value !== '') raw[name] = value;
  }
  if (!validateEnv(raw)) {
    const problems = (validateEnv.errors ?? []).map((e) => {
      const name = e.instancePath.replace(/^\//, '');
      const description = (configSchema.properties as Record<string, { description?: string }>)[name]?.description;
      return `${name}: ${e.message}${description ? ` (${description})` : ''}`;
    });
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  const c = raw as ServiceConfig;
  const port = Number(c.PORT ?? 3000);
  if (port > 65535) throw new ConfigError('invalid configuration: PORT: must be at most 65535');
  const timeout = Number(c.RUCERT_TIMEOUT_MS ?? 15000);
  if (timeout < 100) throw new ConfigError('invalid configuration: RUCERT_TIMEOUT_MS: must be at least 100');
  const url = c.DATABASE_URL ?? 'sqlite:./data/rucert-export.sqlite';
  const database: AppConfig['database'] = url.startsWith('sqlite:')
    ? { dialect: 'sqlite', path: resolve(url.slice('sqlite:'.length)) }
    : { dialect: 'postgresql', url };
  return Object.freeze({
    port,
    host: c.HOST ?? '0.0.0.0',
    database,
    dataDir: resolve(c.DATA_DIR ?? (database.dialect === 'sqlite' ? resolve(database.path, '..') : './data')),
    adminToken: c.ADMIN_TOKEN,
    licensePublicKeyFile: resolve(c.LICENSE_PUBLIC_KEY_FILE ?? VENDOR_PUBLIC_KEY_FILE),
    secretsKey: c.SECRETS_KEY,
    rucertTimeoutMs: timeout,
    reconcileIntervalMs: Number(c.RECONCILE_INTERVAL_MS ?? 60000),
    ...(c.SYNC_INTERVAL_MS ? { syncIntervalMs: Number(c.SYNC_INTERVAL_MS) } : {}),
    rucertAllowedHosts: c.RUCERT_ALLOWED_HOSTS,
    trustProxy: trustProxyOf(c.TRUST_PROXY),
    logLevel: c.LOG_LEVEL ?? 'log',
    checkResponses: c.CHECK_RESPONSES === 'on',
  });
}
