// What the `x-default` annotations of the export form read (schemas/forms/default-sources.schema.json): the
// integration settings and the incident. Never this product's own name: it detects nothing, and a detection tool
// defaulting to it would tell NCIRCC that it did.
import type { IncidentSummary } from '../incidents/incident.repository';
import type { DefaultSources } from '../schema/defaults';

export function incidentSource(incident: IncidentSummary): Record<string, unknown> {
  return {
    id: incident.id,
    externalId: incident.externalId ?? undefined,
    title: incident.title,
    description: incident.description ?? undefined,
    severity: incident.severity ?? undefined,
    status: incident.status,
    detectedAt: incident.detectedAt.toISOString(),
    closedAt: incident.closedAt?.toISOString(),
    observables: incident.observables ?? [],
    indicators: incident.indicators ?? [],
  };
}

/** The sources of the export form's defaults: the integration settings (as GET shows them) and the incident. */
export function defaultSources(incident: IncidentSummary, settings: object): DefaultSources {
  return { settings: { ...settings }, incident: incidentSource(incident) };
}
