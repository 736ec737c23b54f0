// NCIRCC's memory: the cards (our notifications and NCIRCC's messages), their comments and files, every update body
// received, and the sequences behind identifiers and registration numbers. It owns how a card may change: NCIRCC
// changes only status, reg_number (once) and updated; the subject only the fields a supplement carries.
// `updated` moves at every change of the card (status, reg_number, supplement, message status, and — as profile.json
// updatedMovesOn says — comments and files), strictly forward, so that it can serve as a sync watermark.
// In memory and bounded: counts here, bytes of files by the caller's limit.
import { randomUUID } from 'node:crypto';

export type CardKind = 'notification' | 'message';

export interface Card {
  /** NCIRCC's internal number of the card (the `incident_id` of a comment answer). */
  id: number;
  uuid: string;
  /** INC-YY-MM-N */
  identifier: string;
  kind: CardKind;
  category: string;
  type: string;
  status: string;
  reg_number: string | null;
  int_result: string | null;
  /** The organisation the card belongs to: `company` as an MSSP token sent it, else the token's organisation. */
  company: string;
  create_time: string;
  updated: string;
  /** The card's current fields: the create body (a message's fields) with every accepted supplement applied. */
  fields: Record<string, unknown>;
  /** The create body exactly as posted (for a message: what the control API was given). */
  body: Record<string, unknown>;
}

export interface StoredComment {
  id: number;
  incidentUuid: string;
  incidentIdentifier: string;
  cardId: number;
  text: string;
  login: string;
  create_time: string;
}

export interface FileInfo {
  id: number;
  incidentUuid: string;
  name: string;
  filename: string;
  description: string;
  size: number;
  type: string;
  md5: string;
  sha1: string;
  sha256: string;
  source: string;
  add_date: string;
}

export interface StoredUpdate {
  uuid: string;
  identifier: string;
  /** A supplement of a notification, a status change of a message, or files attached. */
  kind: 'supplement' | 'message-status' | 'files';
  time: string;
  /** What was posted: the JSON body, or for files the text parts and each file's name, size and sha256. */
  body: Record<string, unknown>;
}

export interface NewFile {
  filename: string;
  type: string;
  size: number;
  md5: string;
  sha1: string;
  sha256: string;
  bytes: Buffer;
}

export class StoreFullError extends Error {}

const MAX_CARDS = 100_000;
const MAX_COMMENTS = 100_000;
const MAX_UPDATES = 100_000;

export class Store {
  #cards: Card[] = [];
  #byUuid = new Map<string, Card>();
  #comments: StoredComment[] = [];
  #files: Array<FileInfo & { bytes: Buffer }> = [];
  #fileBytes = 0;
  #updates: StoredUpdate[] = [];
  #sequence = 0;
  #commentSequence = 0;
  #fileSequence = 0;
  #regSequences = new Map<string, number>();

  constructor(
    private readonly now: () => Date,
    private readonly moves: { comment: boolean; file: boolean },
    readonly maxFileBytes: number,
  ) {}

  reset(): void {
    this.#cards = [];
    this.#byUuid.clear();
    this.#comments = [];
    this.#files = [];
    this.#fileBytes = 0;
    this.#updates = [];
    this.#sequence = 0;
    this.#commentSequence = 0;
    this.#fileSequence = 0;
    this.#regSequences.clear();
  }

  create(card: Pick<Card, 'kind' | 'category' | 'type' | 'status' | 'company' | 'fields' | 'body'> & { reg_number?: string | null }): Card {
    if (this.#cards.length >= MAX_CARDS) throw new StoreFullError(`the emulator keeps at most ${MAX_CARDS} cards`);
    const now = this.now();
    this.#sequence += 1;
    const stored: Card = {
      ...card,
      id: this.#sequence,
      uuid: randomUUID(),
      identifier: `INC-${yearMonth(now)}-${this.#sequence}`,
      reg_number: card.reg_number ?? null,
      int_result: null,
      create_time: now.toISOString(),
      updated: now.toISOString(),
    };
    this.#cards.push(stored);
    this.#byUuid.set(stored.uuid, stored);
    return stored;
  }

  find(uuid: unknown): Card | undefined {
    return typeof uuid === 'string' ? this.#byUuid.get(uuid) : undefined;
  }

  cards(): readonly Card[] {
    return this.#cards;
  }

  setStatus(card: Card, status: string): void {
    card.status = status;
    this.touch(card);
  }

  /** Sets reg_number once; generates `<prefix>-YY-MM-N` when no value is given. */
  assignRegNumber(card: Card, prefix: string, value?: string): string {
    if (card.reg_number !== null) throw new Error(`the card already has reg_number ${card.reg_number}`);
    card.reg_number = value ?? this.nextRegNumber(prefix);
    this.touch(card);
    return card.reg_number;
  }

  nextRegNumber(prefix: string): string {
    const next = (this.#regSequences.get(prefix) ?? 0) + 1;
    this.#regSequences.set(prefix, next);
    return `${prefix}-${yearMonth(this.now())}-${next}`;
  }

  /**
   * Applies the fields of an accepted update (the caller removed uuid, status and company), moves `updated` unless
   * told not to (files move it by addFiles' own rule), and records the body.
   */
  applyUpdate(card: Card, kind: StoredUpdate['kind'], body: Record<string, unknown>, fields: Record<string, unknown>, touch = true): StoredUpdate {
    if (this.#updates.length >= MAX_UPDATES) throw new StoreFullError(`the emulator keeps at most ${MAX_UPDATES} updates`);
    Object.assign(card.fields, fields);
    if (touch) this.touch(card);
    const time = touch ? card.updated : this.now().toISOString();
    const update: StoredUpdate = { uuid: card.uuid, identifier: card.identifier, kind, time, body: structuredClone(body) };
    this.#updates.push(update);
    return update;
  }

  updates(): readonly StoredUpdate[] {
    return this.#updates;
  }

  addComment(card: Card, text: string, login: string): StoredComment {
    if (this.#comments.length >= MAX_COMMENTS) throw new StoreFullError(`the emulator keeps at most ${MAX_COMMENTS} comments`);
    this.#commentSequence += 1;
    const comment: StoredComment = {
      id: this.#commentSequence,
      incidentUuid: card.uuid,
      incidentIdentifier: card.identifier,
      cardId: card.id,
      text,
      login,
      create_time: this.now().toISOString(),
    };
    this.#comments.push(comment);
    if (this.moves.comment) this.touch(card);
    return comment;
  }

  comments(): readonly StoredComment[] {
    return this.#comments;
  }

  /** Stores all the files or none; throws StoreFullError when they would exceed the bytes the emulator keeps. */
  addFiles(card: Card, files: NewFile[]): FileInfo[] {
    const bytes = files.reduce((sum, f) => sum + f.size, 0);
    if (this.#fileBytes + bytes > this.maxFileBytes) {
      throw new StoreFullError(`the emulator keeps at most ${this.maxFileBytes} bytes of files (reset it to make room)`);
    }
    const addDate = this.now().toISOString();
    const added = files.map((f) => {
      this.#fileSequence += 1;
      const info: FileInfo = {
        id: this.#fileSequence,
        incidentUuid: card.uuid,
        name: f.filename.replace(/\.[^.]*$/, '') || f.filename,
        filename: f.filename,
        description: '',
        size: f.size,
        type: f.type,
        md5: f.md5,
        sha1: f.sha1,
        sha256: f.sha256,
        source: '',
        add_date: addDate,
      };
      this.#files.push({ ...info, bytes: f.bytes });
      return info;
    });
    this.#fileBytes += bytes;
    if (this.moves.file) this.touch(card);
    return added;
  }

  filesOf(uuid: string): FileInfo[] {
    return this.#files.filter((f) => f.incidentUuid === uuid).map(withoutBytes);
  }

  files(): FileInfo[] {
    return this.#files.map(withoutBytes);
  }

  file(id: number): (FileInfo & { bytes: Buffer }) | undefined {
    return this.#files.find((f) => f.id === id);
  }

  /** Moves `updated` to now, or 1 ms past its last value when the clock has not moved: every change is visible. */
  touch(card: Card): void {
    const now = this.now().getTime();
    const last = Date.parse(card.updated);
    card.updated = new Date(Math.max(now, last + 1)).toISOString();
  }
}

function withoutBytes({ bytes: _bytes, ...info }: FileInfo & { bytes: Buffer }): FileInfo {
  return info;
}

function yearMonth(date: Date): string {
  return `${String(date.getUTCFullYear() % 100).padStart(2, '0')}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
}
