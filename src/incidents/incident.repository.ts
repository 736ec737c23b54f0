import { EntityRepository } from '@mikro-orm/knex';
import { RucertExport } from '../export/rucert-export.entity';
import { Incident } from './incident.entity';
import { insertRow, plainTransaction } from '../db/plain-statements';

/** What an incident's view needs: its own fields and the summary of its export, not the export's data. */
export type IncidentSummary = Pick<
  Incident,
  | 'id'
  | 'externalId'
  | 'title'
  | 'description'
  | 'severity'
  | 'status'
  | 'source'
  | 'detectedAt'
  | 'closedAt'
  | 'assets'
  | 'observables'
  | 'indicators'
  | 'createdAt'
> & { rucertExport: ExportSummary };

/** What the view, the preview and the export's preconditions read of an export: not its stored data and payload. */
export type ExportSummary = Pick<RucertExport, 'state' | 'attempt' | 'rucertUuid' | 'rucertIdentifier' | 'rucertCreateTime' | 'exportedAt'>;

/** What an ingest client gives of a new incident; the rest are the entity's defaults. */
export type NewIncident = Pick<Incident, 'title' | 'detectedAt'> & Partial<Omit<IncidentSummary, 'rucertExport' | 'title' | 'detectedAt'>>;

interface SummaryRow {
  id: string;
  external_id: string | null;
  title: string;
  description: string | null;
  severity: string | null;
  status: 'open' | 'closed';
  source: Incident['source'];
  detected_at: unknown;
  closed_at: unknown;
  assets: unknown;
  observables: unknown;
  indicators: unknown;
  created_at: unknown;
  state: RucertExport['state'];
  attempt: number;
  rucert_uuid: string | null;
  rucert_identifier: string | null;
  rucert_create_time: string | null;
  exported_at: unknown;
}

// The two dialects hand raw values back differently; this is the one place that knows: SQLite keeps datetimes as
// epoch milliseconds and JSON as text, PostgreSQL (through MikroORM's pg setup) timestamps as text and JSON parsed.
const toDate = (v: unknown): Date | undefined => (v === null || v === undefined ? undefined : new Date(v as string | number));
const toJson = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);

export class IncidentRepository extends EntityRepository<Incident> {
  /**
   * A new incident and its export row (`not_exported`), in one transaction of two inserts: no entities hydrated,
   * no unit of work (the ingest path, bench/README.md). What `fields` leaves out takes the entity's own defaults
   * (id, status, source, the lists, createdAt). A taken `externalId` is the database's unique constraint.
   */
  async insertWithExport(fields: NewIncident): Promise<IncidentSummary> {
    const { rucertExport: _inverseSide, ...defaults } = new Incident();
    const incident: Omit<IncidentSummary, 'rucertExport'> = { ...defaults };
    for (const [key, value] of Object.entries(fields)) if (value !== undefined) Object.assign(incident, { [key]: value });
    await plainTransaction(this.em, async (tx) => {
      await insertRow(tx, Incident, incident);
      await insertRow(tx, RucertExport, { incident: incident.id, state: 'not_exported', attempt: 0, updatedAt: incident.createdAt });
    });
    return { ...incident, rucertExport: { state: 'not_exported', attempt: 0 } };
  }

  /**
   * GET /incidents/:id, the preview and the export's preconditions, the most frequent reads: one indexed join into
   * plain values. em.findOne with the export populated costs ~0.7 ms of ORM work (and reads the export's stored data
   * and payload, up to megabytes) against ~0.05 ms for this statement (bench/README.md).
   */
  async findSummary(id: string): Promise<IncidentSummary | null> {
    const row = await this.em.getConnection().execute<SummaryRow>(
      `select i.id, i.external_id, i.title, i.description, i.severity, i.status, i.source, i.detected_at, i.closed_at, i.assets, i.observables, i.indicators, i.created_at,
              e.state, e.attempt, e.rucert_uuid, e.rucert_identifier, e.rucert_create_time, e.exported_at
         from incidents i join rucert_exports e on e.incident_id = i.id
        where i.id = ?`,
      [id],
      'get',
    );
    if (!row?.id) return null;
    return {
      id: row.id,
      externalId: row.external_id ?? undefined,
      title: row.title,
      description: row.description ?? undefined,
      severity: row.severity ?? undefined,
      status: row.status,
      source: row.source,
      detectedAt: toDate(row.detected_at)!,
      closedAt: toDate(row.closed_at),
      assets: toJson(row.assets) as Incident['assets'],
      observables: toJson(row.observables) as Incident['observables'],
      indicators: toJson(row.indicators) as Incident['indicators'],
      createdAt: toDate(row.created_at)!,
      rucertExport: {
        state: row.state,
        attempt: Number(row.attempt),
        rucertUuid: row.rucert_uuid ?? undefined,
        rucertIdentifier: row.rucert_identifier ?? undefined,
        rucertCreateTime: row.rucert_create_time ?? undefined,
        exportedAt: toDate(row.exported_at),
      },
    };
  }
}
