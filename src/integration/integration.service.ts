// Owns the RuCERT integration settings (one record): validation against the active form's reference values,
// sealing the token and root CA at rest, never returning them, and building the RuCERT client from them.
import { EntityManager } from '@mikro-orm/knex';
import { Inject, Injectable } from '@nestjs/common';
import { X509Certificate } from 'node:crypto';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../auth/auth.decorators';
import { actorLabel } from '../auth/auth.decorators';
import { message, registerMessages } from '../common/messages';
import { ProblemError, type LocalizedFieldError } from '../common/problem';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { INSTANCE_ID } from '../common/instance';
import { PRODUCT_NAME, PRODUCT_VERSION } from '../common/product';
import { settingDefaults, valueAtPath } from '../schema/defaults';
import { pointer } from '../schema/json-pointer';
import { validateData } from '../schema/validator';
import { FormsService } from '../forms/forms.service';
import type { RucertSettingsPut } from '../generated/integration/rucert-settings';
import { RucertClient, type RucertCheckResult } from '../rucert/rucert-client';
import { AllowedHosts } from './allowed-hosts';
import { IntegrationSettings } from './integration-settings.entity';
import { IntegrationSettingsRepository } from './integration-settings.repository';
import { loadSecretsKey, SecretBox } from './secret-box';
import type { IntegrationView } from '../generated/api/responses';

export type { IntegrationView };

registerMessages({
  'integration.invalid': { en: 'The integration settings are not valid', ru: 'Настройки интеграции некорректны' },
  'integration.not_configured': {
    en: 'The RuCERT integration is not configured or not enabled',
    ru: 'Интеграция с НКЦКИ не настроена или выключена',
  },
  'integration.token_required': { en: 'is required: no token is stored yet', ru: 'обязательное поле: токен ещё не сохранён' },
  'integration.token_required_for_origin': {
    en: 'is required again when the URL moves to another server (scheme, host or port)',
    ru: 'обязательное поле: при переносе URL на другой сервер (схема, хост или порт) токен нужно указать заново',
  },
  'integration.host_not_allowed': {
    en: 'names a host outside RUCERT_ALLOWED_HOSTS (the hosts this installation may send the RuCERT token to)',
    ru: 'указывает хост вне RUCERT_ALLOWED_HOSTS (хостов, которым эта установка может передавать токен НКЦКИ)',
  },
  'integration.stored_host_not_allowed': {
    en: 'The stored RuCERT URL names a host outside RUCERT_ALLOWED_HOSTS: save the integration settings with an allowed URL',
    ru: 'Сохранённый URL НКЦКИ указывает хост вне RUCERT_ALLOWED_HOSTS: сохраните настройки интеграции с разрешённым URL',
  },
  'integration.root_ca_invalid': {
    en: 'must be one or more PEM certificates that parse',
    ru: 'должен содержать один или несколько корректных сертификатов PEM',
  },
  'integration.not_in_form': {
    en: 'must be a value of the field {field} of the active form version',
    ru: 'должно быть значением поля {field} активной версии формы',
  },
  'integration.url_parts': {
    en: 'must not carry credentials, a query or a fragment',
    ru: 'не должен содержать учётные данные, параметры запроса или фрагмент',
  },
  'integration.token_chars': {
    en: 'must be printable ASCII without spaces (it is sent as the x-token header)',
    ru: 'должен состоять из печатных символов ASCII без пробелов (он передаётся в заголовке x-token)',
  },
});

/** What the wire payload takes from the settings rather than from the form. */
export interface WireSettings {
  companyName: string;
  mssp: boolean;
  ownerName?: string;
}

/** Settings ready for an export: the client, what the wire payload takes from them, and what the form's defaults read. */
export interface ActiveIntegration {
  client: RucertClient;
  wire: WireSettings;
  /** The settings as GET shows them (no secrets): what a form's `x-default` {"setting": …} reads. */
  settings: IntegrationView;
}

/** The synchronisation interval when the settings do not set one (5 minutes). */
export const DEFAULT_SYNC_INTERVAL_MS = 300_000;

/** Whether every PEM block of the text is an X.509 certificate, and there is at least one. */
function parsesAsCertificates(pem: string): boolean {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0 || blocks.length !== pem.split('-----BEGIN CERTIFICATE-----').length - 1) return false;
  try {
    for (const block of blocks) new X509Certificate(block);
    return true;
  } catch {
    return false;
  }
}

/** Scheme, host and port: what decides which server receives the token. */
function originOf(url: string): string | undefined {
  return URL.canParse(url) ? new URL(url).origin : undefined;
}

/** The settings row as this instance last read it, with what is derived from it. */
interface LoadedSettings {
  /** IntegrationSettingsRepository.fingerprint() of the row these were derived from. */
  key: string;
  s: IntegrationSettings;
  view: IntegrationView;
  wire: WireSettings;
  /** Built at the first use: the token and root CA are unsealed once per row, not once per export. */
  client?: RucertClient;
}

@Injectable()
export class IntegrationService {
  private readonly box: SecretBox;
  private readonly allowedHosts: AllowedHosts;
  private readonly rows: IntegrationSettingsRepository;
  private loaded?: LoadedSettings;

  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditService,
    private readonly forms: FormsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.box = new SecretBox(loadSecretsKey({ secretsKey: config.secretsKey, dataDir: config.dataDir, required: config.database.dialect === 'postgresql' }));
    this.allowedHosts = new AllowedHosts(config.rucertAllowedHosts);
    this.rows = new IntegrationSettingsRepository(em);
  }

  /**
   * The settings, checked against the database on every call with one plain select of the row: the hydrated row,
   * its view and the client are rebuilt only when the row differs from the one they were made from. A change saved
   * by any instance (every save moves `updated_at` and whatever it changed) is therefore seen at the next use here,
   * and a disabled integration or a revoked token never outlives one read.
   */
  private async current(): Promise<LoadedSettings | null> {
    const key = await this.rows.fingerprint();
    if (key === null) {
      this.loaded = undefined;
      return null;
    }
    if (this.loaded?.key === key) return this.loaded;
    // read after the fingerprint: at worst newer than it, and then the next call's fingerprint differs and reloads
    const s = await this.em.fork().findOne(IntegrationSettings, { id: 1 });
    if (!s) {
      this.loaded = undefined;
      return null;
    }
    this.loaded = { key, s, view: this.viewOf(s), wire: { companyName: s.companyName, mssp: s.mssp, ownerName: s.ownerName ?? undefined } };
    return this.loaded;
  }

  private clientFor(loaded: LoadedSettings): RucertClient {
    return (loaded.client ??= this.clientOf(loaded.s));
  }

  async get(): Promise<IntegrationView> {
    const loaded = await this.current();
    if (!loaded) {
      return {
        configured: false,
        enabled: false,
        url: null,
        companyName: null,
        mssp: false,
        defaultAffectedSystemFunction: null,
        syncIntervalMs: DEFAULT_SYNC_INTERVAL_MS,
        inboundEnabled: false,
        rootCaSet: false,
        tokenSet: false,
      };
    }
    return structuredClone(loaded.view);
  }

  private viewOf(s: IntegrationSettings): IntegrationView {
    return {
      configured: true,
      enabled: s.enabled,
      url: s.url,
      companyName: s.companyName,
      mssp: s.mssp,
      ...(s.ownerName ? { ownerName: s.ownerName } : {}),
      defaultAffectedSystemFunction: s.defaultAffectedSystemFunction,
      ...(s.defaultLocation ? { defaultLocation: s.defaultLocation } : {}),
      ...(s.detectionTool ? { detectionTool: s.detectionTool } : {}),
      ...(s.operator ? { operator: s.operator } : {}),
      ...(s.timeoutMs ? { timeoutMs: s.timeoutMs } : {}),
      syncIntervalMs: s.syncIntervalMs ?? DEFAULT_SYNC_INTERVAL_MS,
      inboundEnabled: s.inboundEnabled,
      rootCaSet: !!s.rootCaSealed,
      tokenSet: !!s.tokenSealed,
      updatedAt: s.updatedAt.toISOString(),
      updatedBy: s.updatedBy,
    };
  }

  async put(input: RucertSettingsPut, by: Actor): Promise<IntegrationView> {
    const invalid = [...this.checkUsable(input), ...(await this.checkDefaults(input))];
    if (invalid.length) throw new ProblemError('validation_failed', 'integration.invalid', {}, { fieldErrors: invalid });
    await this.em.fork().transactional(async (em) => {
      const current = await em.findOne(IntegrationSettings, { id: 1 });
      if (input.token === undefined) {
        // The stored token was given for one server: kept silently when the URL moves elsewhere, it would be sent
        // to whatever the new URL names (the check and every export would carry it there).
        const messageKey = !current
          ? 'integration.token_required'
          : originOf(current.url) !== originOf(input.url)
            ? 'integration.token_required_for_origin'
            : undefined;
        if (messageKey) {
          throw new ProblemError('validation_failed', 'integration.invalid', {}, { fieldErrors: [{ path: '/token', keyword: 'required', messageKey }] });
        }
      }
      const s =
        current ??
        em.create(IntegrationSettings, {
          url: input.url,
          companyName: input.companyName,
          defaultAffectedSystemFunction: input.defaultAffectedSystemFunction,
          updatedBy: '',
        });
      s.enabled = input.enabled;
      s.url = input.url;
      s.companyName = input.companyName;
      s.mssp = input.mssp ?? false;
      s.ownerName = input.ownerName ?? undefined;
      s.defaultAffectedSystemFunction = input.defaultAffectedSystemFunction;
      s.defaultLocation = input.defaultLocation ?? undefined;
      s.detectionTool = input.detectionTool ?? undefined;
      s.operator = input.operator ?? null;
      s.timeoutMs = input.timeoutMs ?? undefined;
      s.syncIntervalMs = input.syncIntervalMs ?? undefined;
      s.inboundEnabled = input.inboundEnabled ?? false;
      if (input.token !== undefined) s.tokenSealed = this.box.seal(input.token);
      if (input.rootCa === null) s.rootCaSealed = undefined;
      else if (input.rootCa !== undefined) s.rootCaSealed = this.box.seal(input.rootCa);
      s.updatedAt = new Date();
      s.updatedBy = actorLabel(by);
      em.persist(s);
      this.audit.record(em, by, 'integration.updated', {
        details: {
          enabled: s.enabled,
          url: s.url,
          companyName: s.companyName,
          mssp: s.mssp,
          ownerName: s.ownerName,
          inboundEnabled: s.inboundEnabled,
          tokenChanged: input.token !== undefined,
          rootCaChanged: input.rootCa !== undefined,
        },
      });
    });
    return this.get();
  }

  /** The client and settings for an export, or 409 integration_not_configured. */
  async requireActive(): Promise<ActiveIntegration> {
    const loaded = await this.current();
    const s = loaded?.s;
    if (!loaded || !s || !s.enabled || !s.tokenSealed) throw new ProblemError('integration_not_configured', 'integration.not_configured');
    if (!this.allowedHosts.allows(s.url)) throw new ProblemError('integration_not_configured', 'integration.stored_host_not_allowed');
    // a setting left empty (null) gives no default: src/schema/defaults.ts reads null as "not set"
    return { client: this.clientFor(loaded), wire: { ...loaded.wire }, settings: structuredClone(loaded.view) };
  }

  /** What the wire takes from the settings (the MSSP company), whatever `enabled` says; null before any settings. */
  async wireSettings(): Promise<WireSettings | null> {
    const loaded = await this.current();
    return loaded ? { ...loaded.wire } : null;
  }

  /**
   * The client whatever `enabled` says: the reconciler and the connection check need it while disabled too. Null
   * when nothing is configured, or when the stored URL names a host RUCERT_ALLOWED_HOSTS does not list (the list
   * may have been set after the URL was saved): no call goes there.
   */
  async client(): Promise<RucertClient | null> {
    const loaded = await this.current();
    return loaded?.s.tokenSealed && this.allowedHosts.allows(loaded.s.url) ? this.clientFor(loaded) : null;
  }

  async check(): Promise<RucertCheckResult> {
    const loaded = await this.current();
    if (!loaded?.s.tokenSealed) throw new ProblemError('integration_not_configured', 'integration.not_configured');
    if (!this.allowedHosts.allows(loaded.s.url)) return { ok: false, message: message('integration.stored_host_not_allowed', 'en') };
    return this.clientFor(loaded).check();
  }

  private clientOf(s: IntegrationSettings): RucertClient {
    return new RucertClient({
      url: s.url,
      token: this.box.open(s.tokenSealed!),
      timeoutMs: s.timeoutMs ?? this.config.rucertTimeoutMs,
      rootCa: s.rootCaSealed ? this.box.open(s.rootCaSealed) : undefined,
      userAgent: `${PRODUCT_NAME}/${PRODUCT_VERSION} (${INSTANCE_ID})`,
    });
  }

  /**
   * What the RuCERT client would refuse at every use, refused here instead: stored, it would only fail each check and
   * export, and a URL's credentials or query would be returned by GET and written to the audit log.
   */
  private checkUsable(input: RucertSettingsPut): LocalizedFieldError[] {
    const errors: LocalizedFieldError[] = [];
    const url = URL.canParse(input.url) ? new URL(input.url) : undefined;
    if (url && (url.username || url.password || url.search || url.hash)) {
      errors.push({ path: '/url', keyword: 'format', messageKey: 'integration.url_parts' });
    }
    // Parsed now: OpenSSL would skip what it cannot read, and a pasting mistake would surface as a TLS error at the
    // next export instead of here
    if (typeof input.rootCa === 'string' && !parsesAsCertificates(input.rootCa)) {
      errors.push({ path: '/rootCa', keyword: 'format', messageKey: 'integration.root_ca_invalid' });
    }
    if (!this.allowedHosts.allows(input.url)) {
      errors.push({ path: '/url', keyword: 'allowedHosts', messageKey: 'integration.host_not_allowed' });
    }
    // the message never quotes the token
    if (input.token !== undefined && !/^[\x21-\x7e]+$/.test(input.token)) {
      errors.push({ path: '/token', keyword: 'pattern', messageKey: 'integration.token_chars' });
    }
    return errors;
  }

  /**
   * The defaults must be values the active form accepts, or every export would fail validation. Which settings are
   * defaults of which fields is the form's to say (its `x-default` {"setting": …} declarations, legacy-defaults.json
   * for version 1).
   */
  private async checkDefaults(input: RucertSettingsPut): Promise<LocalizedFieldError[]> {
    const form = await this.forms.active();
    const properties = (form.schema.properties ?? {}) as Record<string, object>;
    // The whole definition minus its top-level `required` (and minus `$id`, which would hit the cached validator
    // of the form itself), so that a property sharing its options through a local `$ref` resolves as it does in
    // the form; the `if`s key on category and type, which the probe data does not carry.
    const { $id: _id, required: _required, ...probe } = form.schema;
    const errors: LocalizedFieldError[] = [];
    for (const { setting, field } of settingDefaults(form.schema)) {
      const value = valueAtPath(input, setting);
      if (value === undefined || value === null || !properties[field]) continue;
      const at = pointer('', field);
      const own = validateData(probe, { [field]: value }).filter((e) => e.path === at || e.path.startsWith(`${at}/`));
      if (own.length) {
        errors.push({ path: pointer('', ...setting.split('.')), keyword: 'enum', messageKey: 'integration.not_in_form', params: { field } });
      }
    }
    return errors;
  }
}
