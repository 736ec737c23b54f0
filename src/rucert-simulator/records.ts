// How NCIRCC's records look on the wire: a card in GET /incidents (only the requested fields; status — and whatever
// else profile.json referenceFields names — as {id, name}; company as {id, name, uuid}; reg_number and every field the
// card lacks as null), a comment in the comment lists, a file in GET /incidents/{uuid}/files, and how the list
// routes read a card's or a comment's filterable properties.
import { randomUUID } from 'node:crypto';
import type { ProfileConfig } from './contract';
import type { Scalar } from './query';
import type { Card, FileInfo, StoredComment } from './store';

/** Ids of reference values: profile.json's known ones, then ids of the emulator's own from 1000, stable per name. */
export class References {
  #ids = new Map<string, Map<string, number>>();
  #companyUuids = new Map<string, string>();
  #next = 1000;

  constructor(private readonly config: ProfileConfig) {}

  idOf(field: string, name: string): number {
    const known = this.config.referenceIds[field]?.[name];
    if (known !== undefined) return known;
    let ids = this.#ids.get(field);
    if (!ids) this.#ids.set(field, (ids = new Map()));
    let id = ids.get(name);
    if (id === undefined) ids.set(name, (id = this.#next++));
    return id;
  }

  render(field: string, name: string | null): unknown {
    if (name === null || !this.config.referenceFields.includes(field)) return name;
    if (field !== 'company') return { id: this.idOf(field, name), name };
    return { id: this.idOf(field, name), name, uuid: this.companyUuid(name) };
  }

  companyUuid(name: string): string {
    let uuid = this.#companyUuids.get(name);
    if (!uuid) this.#companyUuids.set(name, (uuid = randomUUID()));
    return uuid;
  }
}

export function renderCard(card: Card, fields: string[], refs: References, filesOf: (uuid: string) => FileInfo[]): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const field of fields) record[field] = cardValue(card, field, refs, filesOf);
  return record;
}

function cardValue(card: Card, field: string, refs: References, filesOf: (uuid: string) => FileInfo[]): unknown {
  switch (field) {
    case 'uuid':
    case 'identifier':
    case 'reg_number':
    case 'create_time':
    case 'updated':
    case 'int_result':
      return card[field];
    case 'status':
      // Always {id, name}, as the contract shows it for notifications and messages alike.
      return { id: refs.idOf('status', card.status), name: card.status };
    case 'category':
    case 'type':
    case 'company':
      return refs.render(field, card[field]);
    case 'tlp':
      return refs.render('tlp', typeof card.fields.tlp === 'string' ? card.fields.tlp : null);
    case 'files':
      return filesOf(card.uuid).map(renderFile);
    default:
      return Object.prototype.hasOwnProperty.call(card.fields, field) ? structuredClone(card.fields[field]) : null;
  }
}

/** The filterable and sortable properties of a card, as the list query compares them. */
export function readCard(refs: References): (card: Card, property: string, numeric: boolean) => Scalar {
  return (card, property, numeric) => {
    switch (property) {
      case 'status':
      case 'category':
      case 'type':
      case 'company': {
        const name = card[property];
        return numeric ? refs.idOf(property, name) : name;
      }
      case 'uuid':
      case 'reg_number':
      case 'create_time':
      case 'updated':
      case 'int_result':
        return card[property];
      case 'tlp':
        return typeof card.fields.tlp === 'string' ? (numeric ? refs.idOf('tlp', card.fields.tlp) : card.fields.tlp) : null;
      default: {
        const value = card.fields[property];
        return typeof value === 'string' || typeof value === 'number' ? value : null;
      }
    }
  };
}

export function renderComment(comment: StoredComment): Record<string, unknown> {
  return {
    id: comment.id,
    'incident.uuid': comment.incidentUuid,
    text: comment.text,
    login: comment.login,
    'incident.id': comment.incidentIdentifier,
    create_time: comment.create_time,
  };
}

/** Comment filters and sorts name the card with an underscore (incident_uuid, incident_id: its identifier). */
export function readComment(comment: StoredComment, property: string): Scalar {
  switch (property) {
    case 'id':
      return comment.id;
    case 'login':
      return comment.login;
    case 'create_time':
      return comment.create_time;
    case 'incident_uuid':
      return comment.incidentUuid;
    case 'incident_id':
      return comment.incidentIdentifier;
    default:
      return null;
  }
}

/** The contract's file metadata; sha256 stays an emulator-side extra (GET /_control/files). */
export function renderFile({ id, name, filename, description, size, type, md5, sha1, source, add_date }: FileInfo): Record<string, unknown> {
  return { id, name, filename, description, size, type, md5, sha1, source, add_date };
}
