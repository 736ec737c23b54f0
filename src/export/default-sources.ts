// What the `x-default` annotations of the export form read (schemas/forms/default-sources.schema.json): the
// integration settings, the incident, and the product. The product's name is a suggestion for a person filling the
// export dialog, never something added to what an API client submits, so only the dialog's sources carry it.
import type { Incident } from '../incidents/incident.entity';
import { PRODUCT_NAME, PRODUCT_VERSION } from '../common/product';
import type { DefaultSources } from '../schema/defaults';
import { detectionToolDefault } from './incident-wire';

export function incidentSource(incident: Incident): Record<string, unknown> {
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

/** Sources for the export dialog (GET …/rucert-export `defaults`): settings, incident and product. */
export function offeredSources(incident: Incident, settings: object): DefaultSources {
  return {
    settings: { ...settings },
    incident: incidentSource(incident),
    product: { name: PRODUCT_NAME, version: PRODUCT_VERSION, label: detectionToolDefault() },
  };
}

/** Sources for a submission (preview and export): settings and incident. */
export function submissionSources(incident: Incident, settings: object): DefaultSources {
  return { settings: { ...settings }, incident: incidentSource(incident) };
}
