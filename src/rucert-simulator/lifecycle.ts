// NCIRCC's side of a card's life (docs/ncircc.md): what an operator or NCIRCC's automation does — set a status
// (any name; one NCIRCC adds later is kept and shown as it is), register with a reg_number, ask for a supplement,
// comment, send the subject a message — and, for demos, registering each notification a while after it reached
// "Проверка НКЦКИ" (autoRegisterMs). Used by the control routes and by the RucertSimulator methods alike.
import type { ProfileConfig } from './contract';
import { Card, Store, StoredComment } from './store';

export class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** A message from NCIRCC as the control API takes it: every field optional. */
export interface MessageInput {
  /** One of profile.json messageTypes (default: the first) or any other name. */
  type?: string;
  /** Default ALRT-YY-MM-N. */
  reg_number?: string;
  tlp?: string;
  event_description?: string;
  detect_time?: string;
  end_time?: string;
  owner_name?: string;
  /** Default: the token's organisation. */
  company?: string;
  /** Technical fields: inrelated_*, related_*, malware_hash, product_info, vulnerability_id, product_category. */
  [technical: string]: unknown;
}

export interface LifecycleOptions {
  organization: string;
  regNumberPrefix: string;
  operatorLogin: string;
  autoRegisterMs?: number;
}

const TEXT_FIELDS = ['type', 'reg_number', 'tlp', 'event_description', 'detect_time', 'end_time', 'owner_name', 'company'];
const TECHNICAL_FIELD = /^(inrelated_|related_)[a-z0-9_]{1,60}$|^(malware_hash|product_info|vulnerability_id|product_category)$/;
const MAX_TEXT = 5000;
const MAX_TECHNICAL_JSON = 100_000;
const MESSAGE_REG_PREFIX = 'ALRT';

export class Lifecycle {
  #timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly store: Store,
    private readonly config: ProfileConfig,
    private readonly options: LifecycleOptions,
  ) {}

  card(uuid: string): Card {
    const card = this.store.find(uuid);
    if (!card) throw new ControlError(404, `no card ${uuid}`);
    return card;
  }

  setStatus(uuid: string, status: unknown, comment?: { text?: unknown; login?: unknown }): Card {
    const card = this.card(uuid);
    const name = text('status', status, 200, true);
    if (comment?.text !== undefined) this.addComment(uuid, comment.text, comment.login);
    this.store.setStatus(card, name);
    return card;
  }

  /** Once per card: 409 when it already has one. */
  assignRegNumber(uuid: string, regNumber?: unknown): Card {
    const card = this.card(uuid);
    const value = regNumber === undefined ? undefined : text('reg_number', regNumber, 200, true);
    if (card.reg_number !== null) throw new ControlError(409, `card ${uuid} already has reg_number ${card.reg_number}`);
    this.store.assignRegNumber(card, this.options.regNumberPrefix, value);
    return card;
  }

  /** Status "Зарегистрировано", with a reg_number unless the card has one. */
  register(uuid: string, regNumber?: unknown): Card {
    const card = this.card(uuid);
    if (card.reg_number === null) this.assignRegNumber(uuid, regNumber);
    this.store.setStatus(card, this.config.notificationStatus.registered);
    return card;
  }

  requestSupplement(uuid: string, comment?: { text?: unknown; login?: unknown }): Card {
    const card = this.card(uuid);
    if (card.kind !== 'notification') throw new ControlError(400, `card ${uuid} is a message from NCIRCC, not a notification`);
    return this.setStatus(uuid, this.config.notificationStatus.supplementRequested, comment);
  }

  addComment(uuid: string, body: unknown, login?: unknown): StoredComment {
    const card = this.card(uuid);
    return this.store.addComment(card, text('text', body, MAX_TEXT, true), login === undefined ? this.options.operatorLogin : text('login', login, 200, true));
  }

  createMessage(input: unknown = {}): Card {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new ControlError(400, 'a message is a JSON object');
    const given = input as MessageInput;
    const fields: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(given)) {
      if (TEXT_FIELDS.includes(key)) fields[key] = text(key, value, MAX_TEXT, false);
      else if (TECHNICAL_FIELD.test(key)) {
        if (JSON.stringify(value).length > MAX_TECHNICAL_JSON) throw new ControlError(400, `${key} is longer than ${MAX_TECHNICAL_JSON} characters as JSON`);
        fields[key] = structuredClone(value);
      } else throw new ControlError(400, `unknown message field ${key}`);
    }
    const { type = this.config.messageTypes[0], reg_number, company = this.options.organization, ...rest } = fields as Record<string, string>;
    delete rest.type;
    return this.store.create({
      kind: 'message',
      category: this.config.messageCategory,
      type,
      status: this.config.messageStatus.created,
      company,
      reg_number: reg_number ?? this.store.nextRegNumber(MESSAGE_REG_PREFIX),
      fields: rest,
      body: structuredClone(given) as Record<string, unknown>,
    });
  }

  /** A notification has (re)entered NCIRCC's examination: registers it after autoRegisterMs, if configured. */
  examining(card: Card): void {
    const delay = this.options.autoRegisterMs;
    if (delay === undefined) return;
    clearTimeout(this.#timers.get(card.uuid));
    const status = card.status;
    const timer = setTimeout(() => {
      this.#timers.delete(card.uuid);
      // Only if nobody moved it meanwhile (an operator may have asked for a supplement).
      if (this.store.find(card.uuid) === card && card.status === status) this.register(card.uuid);
    }, delay);
    timer.unref();
    this.#timers.set(card.uuid, timer);
  }

  reset(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }
}

function text(name: string, value: unknown, max: number, required: boolean): string {
  if (typeof value !== 'string' || (required && value.trim() === '')) throw new ControlError(400, `${name} must be a non-empty string`);
  if (value.length > max) throw new ControlError(400, `${name} is longer than ${max} characters`);
  return value;
}
