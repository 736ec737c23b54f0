import { Entity, PrimaryKey, PrimaryKeyProp, Property, type EntityManager } from '@mikro-orm/core';

/**
 * What one attempt of an export recorded at its claim: the form data as sent (defaults chosen) and the exact body
 * sent to NCIRCC. Written once, in the claim's transaction, and never changed. It is kept apart from the export's
 * row, which every transition updates: SQLite rewrites a whole row on update, so documents stored in it (up to a
 * megabyte each) were written again by the outcome of every attempt.
 */
@Entity({ tableName: 'rucert_export_documents' })
export class RucertExportDocuments {
  [PrimaryKeyProp]?: ['incidentId', 'attempt'];

  @PrimaryKey({ type: 'string', length: 36 })
  incidentId!: string;

  @PrimaryKey({ type: 'integer' })
  attempt!: number;

  @Property({ type: 'json' })
  data!: Record<string, unknown>;

  @Property({ type: 'json' })
  payload!: Record<string, unknown>;
}

/** One document an attempt recorded, or undefined; only that column is read (either may be a megabyte). */
export async function recordedDocument(
  em: EntityManager,
  incidentId: string,
  attempt: number,
  name: 'data' | 'payload',
): Promise<Record<string, unknown> | undefined> {
  const row = await em.findOne(RucertExportDocuments, { incidentId, attempt }, { fields: [name] });
  return row?.[name];
}
