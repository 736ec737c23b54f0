// The NCIRCC contract as data: loads one API profile, schemas/ncircc/<profile>/ (JSON Schema draft-07 files and
// profile.json), and judges requests by it on the emulator's own ajv instance — NCIRCC's side, never the product's
// validator. A new profile is a new folder; nothing here names a category, a type or a field of the API.
//
// Files a profile folder must hold (create-<kind> for every kind that profile.json's notificationCategories names):
//   profile.json, common.schema.json, create-<kind>.schema.json, update.schema.json (definitions.<kind>),
//   message-status.schema.json, comment.schema.json, attach-files.schema.json, list-query.schema.json,
//   comment-list-query.schema.json
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { SCHEMAS_DIR } from '../common/paths';
import { describeFailure } from './contract-errors';
import { addNcirccKeywords, KeywordContext } from './keywords';

export const DEFAULT_PROFILES_DIR = join(SCHEMAS_DIR, 'ncircc');

/** profile.json: what the emulator needs of a profile besides the request schemas. */
export interface ProfileConfig {
  profile: string;
  /** Wire category → kind; the kind names create-<kind>.schema.json and update.schema.json#/definitions/<kind>. */
  notificationCategories: Record<string, string>;
  messageCategory: string;
  notificationStatus: { created: string; supplementRequested: string; afterSupplement: string; registered: string };
  messageStatus: { created: string; closed: string[] };
  messageTypes: string[];
  /** List fields answered as {id, name} (company as {id, name, uuid}) rather than as the plain name. */
  referenceFields: string[];
  /** Known ids of reference values, per field; other names get ids of the emulator's own. */
  referenceIds: Record<string, Record<string, number>>;
  /** Whether a comment, or a file upload, counts as a change of the card (moves `updated`). */
  updatedMovesOn: { comment: boolean; file: boolean };
  maxFileBytes: number;
  defaultLimit: number;
  badTokenStatus: number;
}

const PROFILE_CONFIG_SCHEMA = {
  type: 'object',
  required: [
    'profile',
    'notificationCategories',
    'messageCategory',
    'notificationStatus',
    'messageStatus',
    'messageTypes',
    'referenceFields',
    'referenceIds',
    'updatedMovesOn',
    'maxFileBytes',
    'defaultLimit',
    'badTokenStatus',
  ],
  properties: {
    profile: { type: 'string', minLength: 1 },
    notificationCategories: { type: 'object', minProperties: 1, additionalProperties: { type: 'string', pattern: '^[a-z][a-z0-9-]*$' } },
    messageCategory: { type: 'string', minLength: 1 },
    notificationStatus: {
      type: 'object',
      required: ['created', 'supplementRequested', 'afterSupplement', 'registered'],
      additionalProperties: { type: 'string', minLength: 1 },
    },
    messageStatus: {
      type: 'object',
      required: ['created', 'closed'],
      properties: { created: { type: 'string', minLength: 1 }, closed: { type: 'array', items: { type: 'string' } } },
    },
    messageTypes: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
    referenceFields: { type: 'array', items: { type: 'string' } },
    referenceIds: { type: 'object', additionalProperties: { type: 'object', additionalProperties: { type: 'integer' } } },
    updatedMovesOn: { type: 'object', required: ['comment', 'file'], properties: { comment: { type: 'boolean' }, file: { type: 'boolean' } } },
    maxFileBytes: { type: 'integer', minimum: 1 },
    defaultLimit: { type: 'integer', minimum: 1 },
    badTokenStatus: { type: 'integer', enum: [400, 401, 403] },
  },
};

export type Verdict = { ok: true } | { ok: false; message: string };

export class Contract {
  readonly #validators = new Map<string, ValidateFunction>();

  private constructor(
    readonly config: ProfileConfig,
    private readonly ajv: Ajv,
  ) {}

  /** Reads and compiles a whole profile folder; throws naming the file when anything is missing or invalid. */
  static load(profile: string, context: KeywordContext, profilesDir = DEFAULT_PROFILES_DIR): Contract {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(profile)) throw new Error(`"${profile}" is not a profile folder name`);
    const dir = join(profilesDir, profile);
    if (!existsSync(join(dir, 'profile.json'))) throw new Error(`no NCIRCC profile "${profile}": ${join(dir, 'profile.json')} not found`);
    const config = readJson(join(dir, 'profile.json')) as ProfileConfig;
    const checkConfig = new Ajv({ allErrors: true, strict: false }).compile(PROFILE_CONFIG_SCHEMA);
    if (!checkConfig(config)) throw new Error(`${join(dir, 'profile.json')}: ${JSON.stringify(checkConfig.errors)}`);

    // Strict about unknown keywords, not about types and required: the rules are partial schemas (if/then fragments,
    // dependencies) that name neither the type nor the properties they apply to.
    const ajv = new Ajv({ allErrors: false, strict: true, strictTypes: false, strictRequired: false, verbose: true });
    addFormats(ajv);
    addNcirccKeywords(ajv, context);
    for (const file of readdirSync(dir)
      .filter((f) => f.endsWith('.schema.json'))
      .sort()) {
      // Keyed by file name: the folder's files reference each other as "common.schema.json#/definitions/…".
      ajv.addSchema(readJson(join(dir, file)) as object, file);
    }
    const contract = new Contract(config, ajv);
    const kinds = new Set(Object.values(config.notificationCategories));
    const keys = [
      ...[...kinds].flatMap((kind) => [`create-${kind}.schema.json`, `update.schema.json#/definitions/${kind}`]),
      'message-status.schema.json',
      'comment.schema.json',
      'attach-files.schema.json',
      'list-query.schema.json',
      'comment-list-query.schema.json',
    ];
    for (const key of keys) {
      try {
        contract.validator(key);
      } catch (error) {
        throw new Error(`NCIRCC profile "${profile}", ${key}: ${(error as Error).message}`);
      }
    }
    return contract;
  }

  get profile(): string {
    return this.config.profile;
  }

  /** The kind of notification a wire category creates, or undefined when this profile does not offer it. */
  kindOf(category: unknown): string | undefined {
    return typeof category === 'string' && Object.prototype.hasOwnProperty.call(this.config.notificationCategories, category)
      ? this.config.notificationCategories[category]
      : undefined;
  }

  checkCreate(body: Record<string, unknown>): Verdict {
    if (!('category' in body)) return { ok: false, message: 'Не передано обязательное поле «category»' };
    const kind = this.kindOf(body.category);
    if (kind === undefined) {
      const offered = Object.keys(this.config.notificationCategories)
        .map((c) => `«${c}»`)
        .join(', ');
      const given = (typeof body.category === 'string' ? body.category : String(JSON.stringify(body.category))).slice(0, 200);
      return { ok: false, message: `Поле «category»: значение «${given}» не из справочника; допустимо: ${offered}` };
    }
    return this.check(`create-${kind}.schema.json`, body);
  }

  checkUpdate(kind: string, body: unknown): Verdict {
    return this.check(`update.schema.json#/definitions/${kind}`, body);
  }

  checkMessageStatus(body: unknown): Verdict {
    return this.check('message-status.schema.json', body);
  }

  checkComment(body: unknown): Verdict {
    return this.check('comment.schema.json', body);
  }

  checkAttach(fields: Record<string, string>): Verdict {
    return this.check('attach-files.schema.json', fields);
  }

  checkListQuery(query: Record<string, unknown>): Verdict {
    return this.check('list-query.schema.json', query);
  }

  checkCommentListQuery(query: Record<string, unknown>): Verdict {
    return this.check('comment-list-query.schema.json', query);
  }

  private check(key: string, data: unknown): Verdict {
    const validate = this.validator(key);
    return validate(data) ? { ok: true } : { ok: false, message: describeFailure(validate.errors, data) };
  }

  private validator(key: string): ValidateFunction {
    let validate = this.#validators.get(key);
    if (!validate) {
      validate = this.ajv.getSchema(key);
      if (!validate) throw new Error('schema not found in the profile folder');
      this.#validators.set(key, validate);
    }
    return validate;
  }
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`);
  }
}
