// The part of the NCIRCC payload that comes from the incident and the settings rather than the form
// (RUCERT.md §5); the wire strings live in schemas/rucert/incident-wire.json.
import incidentWire from '../../schemas/rucert/incident-wire.json';
import type { Incident } from '../incidents/incident.entity';
import { PRODUCT_NAME, PRODUCT_VERSION } from '../common/product';

/** The line written into event_description by which the reconciler finds a notification again. */
export function referenceLine(incidentId: string): string {
  return incidentWire.referenceLine.replace('{id}', incidentId);
}

export function incidentWireFields(incident: Incident, companyName: string): Record<string, unknown> {
  const description = incident.description?.trim() ? `${incident.description.trim()}\n\n` : `${incident.title}\n\n`;
  return {
    company: companyName,
    event_description: `${description}${referenceLine(incident.id)}`,
    detect_time: incident.detectedAt.toISOString(),
    activity_status: incidentWire.activityStatus[incident.status],
  };
}

/** Offered to the analyst as the detection tool: this product, by name and version. */
export function detectionToolDefault(): string {
  return `${PRODUCT_NAME} ${PRODUCT_VERSION}`;
}
