// Owns the installed license: verifying a key against the vendor public key before it is stored, reading it back
// with its state evaluated now, and the check that export requires the `gossopka` module.
import { EntityManager } from '@mikro-orm/knex';
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../auth/auth.decorators';
import { actorLabel } from '../auth/auth.decorators';
import { registerMessages } from '../common/messages';
import { ProblemError } from '../common/problem';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { License } from './license.entity';
import { LicenseRepository } from './license.repository';
import {
  DEMO_KEY_FINGERPRINT,
  licenseAllows,
  LicenseKeyError,
  licenseState,
  publicKeyFingerprint,
  verifyLicenseKey,
  type LicenseClaims,
  type LicenseState,
} from './license-key';
import type { LicenseView } from '../generated/api/responses';

export type { LicenseView };

export const EXPORT_MODULE = 'gossopka';

registerMessages({
  'license.invalid_key': { en: 'The license key is not valid: {reason}', ru: 'Лицензионный ключ недействителен: {reason}' },
  'license.required': {
    en: 'Export to RuCERT needs a valid license that includes the GosSOPKA module (license state: {state})',
    ru: 'Для экспорта в НКЦКИ нужна действующая лицензия с модулем ГосСОПКА (состояние лицензии: {state})',
  },
});

@Injectable()
export class LicenseService implements OnModuleInit {
  private readonly logger = new Logger('License');
  private readonly publicKeyPem: string;
  private verified?: { key: string; claims: LicenseClaims | null };
  private readonly keys: LicenseRepository;

  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.publicKeyPem = readFileSync(config.licensePublicKeyFile, 'utf8');
    this.keys = new LicenseRepository(em);
  }

  /** Which key decides what a license is worth, said once at start-up so an operator can check it. */
  onModuleInit(): void {
    const fingerprint = publicKeyFingerprint(this.publicKeyPem);
    this.logger.log(`license public key: ${this.config.licensePublicKeyFile} (${fingerprint})`);
    if (fingerprint === DEMO_KEY_FINGERPRINT) {
      this.logger.warn(
        'THE DEMO LICENSE KEY IS IN USE: its private key is published in the repository, so anyone can issue a license ' +
          'this installation accepts. Outside `npm run demo` leave LICENSE_PUBLIC_KEY_FILE unset (the vendor key) or ' +
          "point it at the vendor's public key.",
      );
    }
  }

  async get(now = new Date()): Promise<LicenseView> {
    const stored = await this.em.fork().findOne(License, { id: 1 });
    if (!stored) return { state: 'missing' };
    const claims = this.claimsOf(stored.key);
    return { ...this.view(claims, now), installedAt: stored.installedAt.toISOString(), installedBy: stored.installedBy };
  }

  /** Verifies before storing: a refused key changes nothing. */
  async install(key: string, by: Actor): Promise<LicenseView> {
    let claims: LicenseClaims;
    try {
      claims = verifyLicenseKey(key, this.publicKeyPem);
    } catch (err) {
      if (!(err instanceof LicenseKeyError)) throw err;
      throw new ProblemError(
        'validation_failed',
        'license.invalid_key',
        { reason: err.message },
        {
          errors: [{ path: '/key', keyword: 'license', message: err.message }],
        },
      );
    }
    await this.em.transactional(async (em) => {
      await em.upsert(License, { id: 1, key: key.trim(), installedAt: new Date(), installedBy: actorLabel(by) });
      this.audit.record(em, by, 'license.installed', {
        details: { licenseId: claims.licenseId, customer: claims.customer, modules: claims.modules, validUntil: claims.validUntil.toISOString() },
      });
    });
    return this.get();
  }

  /** null when export is allowed now, else the license state to report. */
  async exportBlocker(now = new Date()): Promise<LicenseState | 'module_missing' | null> {
    const key = await this.keys.storedKey();
    const claims = key === null ? null : this.claimsOf(key);
    if (licenseAllows(claims, EXPORT_MODULE, now)) return null;
    const state = licenseState(claims, now);
    return state === 'active' ? 'module_missing' : state;
  }

  async assertExportAllowed(now = new Date()): Promise<void> {
    const blocker = await this.exportBlocker(now);
    if (blocker) throw new ProblemError('license_required', 'license.required', { state: blocker });
  }

  private claimsOf(key: string): LicenseClaims | null {
    // Every export checks the license; verifying the Ed25519 signature each time was ~5% of an export's CPU
    // (bench/README.md). The outcome depends only on the key text and the public key, both fixed here, so the
    // last verified key is remembered. The stored row is still read each time (another instance may replace it),
    // and validity in time is still judged on every call by the callers.
    if (this.verified?.key === key) return this.verified.claims;
    let claims: LicenseClaims | null;
    try {
      claims = verifyLicenseKey(key, this.publicKeyPem);
    } catch {
      // a key stored under another vendor key (LICENSE_PUBLIC_KEY_FILE changed) counts as no license
      claims = null;
    }
    this.verified = { key, claims };
    return claims;
  }

  private view(claims: LicenseClaims | null, now: Date): LicenseView {
    if (!claims) return { state: 'missing' };
    return {
      state: licenseState(claims, now),
      licenseId: claims.licenseId,
      customer: claims.customer,
      modules: claims.modules,
      validFrom: claims.validFrom.toISOString(),
      validUntil: claims.validUntil.toISOString(),
    };
  }
}
