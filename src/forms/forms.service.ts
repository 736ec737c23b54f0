// Owns the form registry: published versions of a form definition are immutable and numbered; exactly one is
// active. The built-in versions of `rucert-export` (schemas/forms/rucert-export/builtin.json) are loaded at start-up,
// each once. Publishing, of a built-in or of a compliance-authored version, runs the same gate first.
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/knex';
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { AuditService, SYSTEM_ACTOR } from '../audit/audit.service';
import { actorLabel, type Actor } from '../auth/auth.decorators';
import { registerMessages } from '../common/messages';
import { SCHEMAS_DIR } from '../common/paths';
import { ProblemError } from '../common/problem';
import type { FormPublish } from '../generated/api/form-publish';
import { lockInTransaction } from '../db/locks';
import { FormVersion } from './form-version.entity';
import { checkDefinition, type FormDefinitionInput } from './publish-gate';
import type { FormVersionList, FormVersionSummary, FormVersionView } from '../generated/api/responses';

export type { FormVersionSummary, FormVersionView };

export const EXPORT_FORM_ID = 'rucert-export';
const MAX_PUBLISH_RETRIES = 5;

registerMessages({
  'form.unknown': { en: 'Form {formId} does not exist', ru: 'Формы {formId} не существует' },
  'form.version_not_found': { en: 'Form {formId} has no version {version}', ru: 'У формы {formId} нет версии {version}' },
  'form.rejected': {
    en: 'The form definition failed the publish gate with {count} problem(s)',
    ru: 'Определение формы не прошло проверку публикации: проблем — {count}',
  },
});

/** A version shipped with the product: inserted once (remembered by `key`), at `version` or the next free number. */
export interface BuiltinVersion {
  key: string;
  version: number;
  schema: Record<string, unknown>;
  uiSchema: Record<string, unknown>;
  samples: Record<string, unknown>;
  notes: string;
}

export interface BuiltinVersions {
  /** The version a database with no version of the form starts with active. */
  activeOnFreshInstall: number;
  versions: BuiltinVersion[];
}

/** The built-in versions of a form, as schemas/forms/<formId>/builtin.json lists them. */
export function readBuiltins(formId = EXPORT_FORM_ID): BuiltinVersions {
  const dir = join(SCHEMAS_DIR, 'forms', formId);
  const read = (file: string) => readFileSync(join(dir, file), 'utf8');
  const manifest = JSON.parse(read('builtin.json')) as {
    activeOnFreshInstall: number;
    versions: Array<{ key: string; version: number; dir: string; notes?: string; notesFile?: string }>;
  };
  return {
    activeOnFreshInstall: manifest.activeOnFreshInstall,
    versions: manifest.versions.map((v) => ({
      key: v.key,
      version: v.version,
      schema: JSON.parse(read(join(v.dir, 'schema.json'))),
      uiSchema: JSON.parse(read(join(v.dir, 'ui-schema.json'))),
      samples: JSON.parse(read(join(v.dir, 'samples.json'))),
      notes: v.notesFile ? read(v.notesFile).trim() : (v.notes ?? ''),
    })),
  };
}

export const formSchemaId = (formId: string, version: number) => `urn:rucert-export:forms:${formId}:v${version}`;

const view = (v: FormVersion): FormVersionView => ({
  formId: v.formId,
  version: v.version,
  active: v.active,
  schema: v.schema,
  uiSchema: v.uiSchema,
  samples: v.samples,
  notes: v.notes,
  author: v.author,
  publishedAt: v.publishedAt.toISOString(),
});

const gzipAsync = promisify(gzip);

/** A representation of a document: its bytes and their ETag. */
export interface EncodedBody {
  body: Buffer;
  etag: string;
}

/** The active form's JSON document, as it is and gzip-compressed (55 KB and 9 KB for the built-in version 1, 187 KB and 19 KB for version 2). */
export interface ActiveFormJson {
  identity: EncodedBody;
  gzip: EncodedBody;
}

@Injectable()
export class FormsService implements OnApplicationBootstrap {
  /** Published versions never change, so their parsed documents are kept; only the active pointer is re-read. */
  private readonly cache = new Map<string, FormVersionView>();
  private readonly activeJsonCache = new Map<string, ActiveFormJson>();

  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.installBuiltins(readBuiltins(EXPORT_FORM_ID));
  }

  /**
   * Inserts the built-in versions the database does not hold yet, each through the publish gate. A fresh database
   * (no version of the form) gets `activeOnFreshInstall` active; an existing one keeps its active version and sees
   * the new built-ins as published, inactive. Several instances may start at once on one PostgreSQL database: the
   * advisory lock that publishing takes makes them insert one after the other, and the unique (form, builtin) key
   * would refuse a second copy anyway.
   */
  async installBuiltins(builtins: BuiltinVersions, formId = EXPORT_FORM_ID): Promise<void> {
    // a built-in that fails the gate is a defect of this release: the service refuses to start with it
    for (const b of builtins.versions) this.gate(b);
    await this.em.fork().transactional(async (em) => {
      await lockInTransaction(em, `form:${formId}`);
      const rows = await em.find(FormVersion, { formId }, { fields: ['version', 'builtin'] });
      const fresh = rows.length === 0;
      const installed = new Set(rows.map((r) => r.builtin));
      const taken = new Set(rows.map((r) => r.version));
      for (const b of builtins.versions) {
        if (installed.has(b.key)) continue;
        // staff may have published their own version under this number: the built-in takes the next free one
        const version = taken.has(b.version) ? Math.max(...taken) + 1 : b.version;
        taken.add(version);
        em.create(FormVersion, {
          formId,
          version,
          builtin: b.key,
          schema: { ...b.schema, $id: formSchemaId(formId, version) },
          uiSchema: b.uiSchema,
          samples: b.samples,
          notes: b.notes,
          author: SYSTEM_ACTOR,
          publishedAt: new Date(),
          active: fresh && b.version === builtins.activeOnFreshInstall,
        });
        this.audit.record(em, SYSTEM_ACTOR, 'form.published', { details: { formId, version, builtin: b.key, notes: b.notes } });
      }
    });
  }

  /** The publish gate, for every way a version gets published: 400 schema_rejected with every problem. */
  private gate(def: FormDefinitionInput): void {
    const problems = checkDefinition(def);
    if (problems.length) {
      throw new ProblemError(
        'schema_rejected',
        'form.rejected',
        { count: problems.length },
        {
          errors: problems.map((p) => ({ path: p.path, keyword: p.rule, message: p.message })),
        },
      );
    }
  }

  async active(formId = EXPORT_FORM_ID): Promise<FormVersionView> {
    return { ...(await this.document(formId, await this.activeVersion(formId))), active: true };
  }

  /**
   * The active version as JSON bytes, plain and gzip-compressed, each with its ETag, made once per version: the
   * document is tens of kilobytes and immutable, so GET /api/forms/rucert-export need not stringify, encode, hash
   * and compress it on every request (bench/README.md).
   */
  async activeJson(formId = EXPORT_FORM_ID): Promise<ActiveFormJson> {
    const version = await this.activeVersion(formId);
    const key = `${formId}:${version}`;
    let cached = this.activeJsonCache.get(key);
    if (!cached) {
      const body = Buffer.from(JSON.stringify({ ...(await this.document(formId, version)), active: true }), 'utf8');
      const hash = createHash('sha1').update(body).digest('base64url');
      // compressed on libuv's thread pool, once per version; each representation has its own ETag (RFC 9110 §8.8.3)
      cached = { identity: { body, etag: `"${hash}"` }, gzip: { body: await gzipAsync(body, { level: 9 }), etag: `"${hash}.gz"` } };
      this.activeJsonCache.set(key, cached);
    }
    return cached;
  }

  private async activeVersion(formId: string): Promise<number> {
    const version = await this.em.getRepository(FormVersion).activeVersion(formId);
    if (!version) throw new ProblemError('not_found', 'form.unknown', { formId });
    return version;
  }

  async list(formId = EXPORT_FORM_ID): Promise<FormVersionList> {
    const rows = await this.em
      .fork()
      .find(FormVersion, { formId }, { fields: ['formId', 'version', 'active', 'notes', 'author', 'publishedAt'], orderBy: { version: 'asc' } });
    if (!rows.length) throw new ProblemError('not_found', 'form.unknown', { formId });
    return rows.map((v) => ({
      formId: v.formId,
      version: v.version,
      active: v.active,
      notes: v.notes,
      author: v.author,
      publishedAt: v.publishedAt.toISOString(),
    }));
  }

  async get(version: number, formId = EXPORT_FORM_ID): Promise<FormVersionView> {
    const row = await this.em.fork().findOne(FormVersion, { formId, version }, { fields: ['id', 'active'] });
    if (!row) throw new ProblemError('not_found', 'form.version_not_found', { formId, version });
    return { ...(await this.document(formId, version)), active: row.active };
  }

  private async document(formId: string, version: number): Promise<FormVersionView> {
    const key = `${formId}:${version}`;
    let doc = this.cache.get(key);
    if (!doc) {
      doc = view(await this.em.fork().findOneOrFail(FormVersion, { formId, version }));
      this.cache.set(key, doc);
    }
    return doc;
  }

  /** Gate, then insert as the next version and make it active, in one transaction. */
  async publish(input: FormPublish, by: Actor, formId = EXPORT_FORM_ID): Promise<FormVersionView> {
    const samples = input.samples ?? (await this.active(formId)).samples;
    this.gate({ schema: input.schema, uiSchema: input.uiSchema, samples });
    for (let attempt = 1; ; attempt++) {
      try {
        const version = await this.em.fork().transactional(async (em) => {
          await lockInTransaction(em, `form:${formId}`); // one activation at a time, or two versions could end active
          const last = await em.findOne(FormVersion, { formId }, { orderBy: { version: 'desc' }, fields: ['version'] });
          const next = (last?.version ?? 0) + 1;
          await em.nativeUpdate(FormVersion, { formId, active: true }, { active: false });
          const created = em.create(FormVersion, {
            formId,
            version: next,
            schema: { ...input.schema, $id: formSchemaId(formId, next) },
            uiSchema: input.uiSchema,
            samples: samples as Record<string, unknown>,
            notes: input.notes,
            author: actorLabel(by),
            active: true,
          });
          this.audit.record(em, by, 'form.published', { details: { formId, version: next, notes: input.notes } });
          return created.version;
        });
        return this.get(version, formId);
      } catch (err) {
        // two publishers raced for the same number: the loser takes the next one
        if (!(err instanceof UniqueConstraintViolationException) || attempt >= MAX_PUBLISH_RETRIES) throw err;
      }
    }
  }

  async activate(version: number, by: Actor, formId = EXPORT_FORM_ID): Promise<FormVersionView> {
    await this.em.fork().transactional(async (em) => {
      await lockInTransaction(em, `form:${formId}`);
      const target = await em.findOne(FormVersion, { formId, version }, { fields: ['id', 'active'] });
      if (!target) throw new ProblemError('not_found', 'form.version_not_found', { formId, version });
      await em.nativeUpdate(FormVersion, { formId, active: true }, { active: false });
      await em.nativeUpdate(FormVersion, { id: target.id }, { active: true });
      this.audit.record(em, by, 'form.activated', { details: { formId, version } });
    });
    return this.get(version, formId);
  }
}
