// Owns the incident register: creation by ingest clients, listing with filters, reading one incident with the
// state of its RuCERT export.
import { raw, UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';
import { ProblemError } from '../common/problem';
import type { ExportState } from '../export/rucert-export.entity';
import type { IncidentCreate } from '../generated/api/incident-create';
import { Incident } from './incident.entity';
import type { IncidentSummary } from './incident.repository';
import type { IncidentPage, IncidentView } from '../generated/api/responses';

export type { IncidentView };

export function incidentView(i: IncidentSummary): IncidentView {
  const e = i.rucertExport;
  return {
    id: i.id,
    externalId: i.externalId ?? null,
    title: i.title,
    description: i.description ?? null,
    severity: i.severity ?? null,
    status: i.status,
    source: i.source,
    detectedAt: i.detectedAt.toISOString(),
    closedAt: i.closedAt?.toISOString() ?? null,
    assets: i.assets,
    observables: i.observables,
    indicators: i.indicators,
    createdAt: i.createdAt.toISOString(),
    rucertExport: {
      state: e.state,
      ...(e.rucertIdentifier ? { identifier: e.rucertIdentifier } : {}),
      ...(e.exportedAt ? { exportedAt: e.exportedAt.toISOString() } : {}),
    },
  };
}

export interface IncidentFilter {
  status?: 'open' | 'closed';
  exportState?: ExportState;
  source?: Incident['source'];
  q?: string;
  limit: number;
  offset: number;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * `column like ? escape '\'`: PostgreSQL takes the backslash as LIKE's escape character by default, SQLite has none
 * unless told, and without the ESCAPE clause there "50\%" looked for a backslash and "%" matched one.
 */
const likeLiteral = (column: string, text: string) => ({
  [raw((alias: string) => `${alias}.${column} like ? escape '\\'`, [`%${escapeLike(text)}%`])]: [],
});

@Injectable()
export class IncidentsService {
  constructor(private readonly em: EntityManager) {}

  async create(input: IncidentCreate): Promise<IncidentView> {
    try {
      const incident = await this.em.getRepository(Incident).insertWithExport({
        externalId: input.externalId,
        title: input.title,
        description: input.description,
        severity: input.severity,
        status: input.status,
        detectedAt: new Date(input.detectedAt),
        closedAt: input.closedAt ? new Date(input.closedAt) : undefined,
        assets: input.assets,
        observables: input.observables,
        indicators: input.indicators,
      });
      return incidentView(incident);
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException && input.externalId) {
        throw new ProblemError('conflict', 'incident.external_id_taken', { externalId: input.externalId });
      }
      throw err;
    }
  }

  async list(filter: IncidentFilter): Promise<IncidentPage> {
    const where: Record<string, unknown> = {};
    if (filter.status) where.status = filter.status;
    if (filter.exportState) where.rucertExport = { state: filter.exportState };
    if (filter.source) where.source = filter.source;
    if (filter.q) {
      where.$or = [likeLiteral('title', filter.q), likeLiteral('description', filter.q), likeLiteral('external_id', filter.q)];
    }
    const [items, total] = await this.em.findAndCount(Incident, where, {
      populate: ['rucertExport'],
      orderBy: { createdAt: 'desc', id: 'asc' },
      limit: filter.limit,
      offset: filter.offset,
    });
    return { items: items.map(incidentView), total };
  }

  async get(id: string): Promise<IncidentView> {
    return incidentView(await this.summary(id));
  }

  /** The incident with the summary of its export (not its stored data), or 404 not_found. */
  async summary(id: string): Promise<IncidentSummary> {
    const incident = await this.em.getRepository(Incident).findSummary(id);
    if (!incident) throw new ProblemError('not_found', 'incident.not_found', { id });
    return incident;
  }

  /** The incident with its export, or 404 not_found. */
  async load(id: string, em: EntityManager = this.em): Promise<Incident> {
    const incident = await em.findOne(Incident, { id }, { populate: ['rucertExport'] });
    if (!incident) throw new ProblemError('not_found', 'incident.not_found', { id });
    return incident;
  }
}
