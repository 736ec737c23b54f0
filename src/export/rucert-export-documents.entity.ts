import { Entity, PrimaryKey, PrimaryKeyProp, Property, type EntityManager } from '@mikro-orm/core';
import { withSharedTexts, type SharedText } from './shared-texts';

/**
 * What one attempt of an export recorded at its claim: the form data as sent (defaults chosen) and the exact body
 * sent to NCIRCC. Written once, in the claim's transaction, and never changed. It is kept apart from the export's
 * row, which every transition updates: SQLite rewrites a whole row on update, so documents stored in it (up to a
 * megabyte each) were written again by the outcome of every attempt. A long text the data and the payload both hold is
 * stored once, in the payload (shared-texts.ts).
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

  /** Where the data's long texts are in the payload; the data holds null in their place. */
  @Property({ type: 'json', nullable: true })
  shared?: SharedText[] | null;
}

/**
 * One document an attempt recorded, or undefined. Only what it needs is read (either may be a megabyte): the
 * payload alone; the data, and the payload too only when the data shares a text with it.
 */
export async function recordedDocument(
  em: EntityManager,
  incidentId: string,
  attempt: number,
  name: 'data' | 'payload',
): Promise<Record<string, unknown> | undefined> {
  const key = { incidentId, attempt };
  if (name === 'payload') return (await em.findOne(RucertExportDocuments, key, { fields: ['payload'] }))?.payload;
  const row = await em.findOne(RucertExportDocuments, key, { fields: ['data', 'shared'] });
  if (!row?.shared?.length) return row?.data;
  // the row is managed: asking for a column it has not loaded reads that column into it
  const { payload } = await em.findOneOrFail(RucertExportDocuments, key, { fields: ['payload'] });
  return withSharedTexts(row.data, row.shared, payload);
}
