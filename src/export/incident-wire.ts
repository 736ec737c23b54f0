// The part of the NCIRCC payload that comes from the incident and the settings rather than the form
// (RUCERT.md §5); the wire names and strings live in schemas/rucert/incident-wire.json.
import incidentWire from '../../schemas/rucert/incident-wire.json';
import type { Incident } from '../incidents/incident.entity';
import { PRODUCT_NAME, PRODUCT_VERSION } from '../common/product';

const FIELDS = incidentWire.fields;

/** The wire field whose text ends with the reference line. */
export const REFERENCE_FIELD = FIELDS.description;

/** The line written into the description by which the reconciler finds a notification again. */
export function referenceLine(incidentId: string): string {
  return incidentWire.referenceLine.replace('{id}', incidentId);
}

export function incidentWireFields(incident: Incident, companyName: string): Record<string, unknown> {
  const description = incident.description?.trim() ? `${incident.description.trim()}\n\n` : `${incident.title}\n\n`;
  return {
    [FIELDS.company]: companyName,
    [FIELDS.description]: `${description}${referenceLine(incident.id)}`,
    [FIELDS.detectedAt]: incident.detectedAt.toISOString(),
    [FIELDS.status]: incidentWire.statusValues[incident.status],
  };
}

/**
 * The payload with the reference line ending its description. The incident's own description carries it already;
 * a description the form supplies (version 2, which leaves room for it: 4,900 of NCIRCC's 5,000 characters) gets it
 * appended, as "\n\n" + the line.
 */
export function withReferenceLine(payload: Record<string, unknown>, incidentId: string): Record<string, unknown> {
  const line = referenceLine(incidentId);
  const text = payload[REFERENCE_FIELD];
  if (typeof text !== 'string' || text.endsWith(line)) return payload;
  return { ...payload, [REFERENCE_FIELD]: `${text}\n\n${line}` };
}

/** Offered to the analyst as the detection tool when the settings name none: this product, by name and version. */
export function detectionToolDefault(): string {
  return `${PRODUCT_NAME} ${PRODUCT_VERSION}`;
}
