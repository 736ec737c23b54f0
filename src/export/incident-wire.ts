// The part of the NCIRCC payload that comes from the incident and the integration settings rather than the form, and
// the contract rules checked on every payload whatever the form version (text bound, no future dates). The wire
// names and strings live in schemas/rucert/incident-wire.json; docs/ncircc.md explains them.
import incidentWire from '../../schemas/rucert/incident-wire.json';
import type { LocalizedFieldError } from '../common/problem';
import { registerMessages } from '../common/messages';
import type { IncidentSummary } from '../incidents/incident.repository';
import type { WireSettings } from '../integration/integration.service';
import { formFieldOf } from '../schema/wire-mapper';

registerMessages({
  'wire.too_long': {
    en: 'is {length} characters with the reference line; NCIRCC takes at most {max}',
    ru: 'вместе со строкой-ссылкой занимает {length} символов; НКЦКИ принимает не более {max}',
  },
  'wire.in_future': {
    en: 'is in the future ({value}); NCIRCC refuses dates in the future',
    ru: 'находится в будущем ({value}); НКЦКИ не принимает даты из будущего',
  },
});

const FIELDS = incidentWire.fields;

/** The wire field whose text ends with the reference line. */
export const REFERENCE_FIELD = FIELDS.description;

/** The line written into the description by which the reconciler finds a notification again. */
export function referenceLine(incidentId: string): string {
  return incidentWire.referenceLine.replace('{id}', incidentId);
}

/**
 * The whole payload: the incident's and the settings' fields, then the form's (a form field mapped to the same wire
 * field wins), with the reference line appended to the description. `company` goes only with an MSSP token.
 */
export function wirePayload(incident: IncidentSummary, settings: WireSettings, formPayload: Record<string, unknown>): Record<string, unknown> {
  const formDescription = formPayload[FIELDS.description];
  const description = typeof formDescription === 'string' && formDescription.trim() ? formDescription.trim() : incident.description?.trim() || incident.title;
  return {
    ...(settings.mssp ? { [FIELDS.company]: settings.companyName } : {}),
    ...(settings.ownerName ? { [FIELDS.ownerName]: settings.ownerName } : {}),
    [FIELDS.detectedAt]: incident.detectedAt.toISOString(),
    [FIELDS.status]: incidentWire.statusValues[incident.status],
    ...formPayload,
    [FIELDS.description]: `${description}${incidentWire.referenceSeparator}${referenceLine(incident.id)}`,
  };
}

/**
 * NCIRCC's rules that hold for every payload: the description within the text bound, no date in the future. Errors
 * name the form field that filled the wire field, else the incident's field.
 */
export function checkWirePayload(payload: Record<string, unknown>, formSchema: object, now = new Date()): LocalizedFieldError[] {
  const errors: LocalizedFieldError[] = [];
  const pathOf = (wireField: string) => {
    const formField = formFieldOf(formSchema, wireField);
    const incidentField = (incidentWire.incidentFieldOf as Record<string, string>)[wireField];
    return `/${formField ?? incidentField ?? wireField}`;
  };
  const description = payload[REFERENCE_FIELD];
  if (typeof description === 'string' && [...description].length > incidentWire.maxTextLength) {
    errors.push({
      path: pathOf(REFERENCE_FIELD),
      keyword: 'maxLength',
      messageKey: 'wire.too_long',
      params: { length: [...description].length, max: incidentWire.maxTextLength },
    });
  }
  for (const field of incidentWire.notInFuture) {
    const value = payload[field];
    if (typeof value === 'string' && Date.parse(value) > now.getTime()) {
      errors.push({ path: pathOf(field), keyword: 'x-not-future', messageKey: 'wire.in_future', params: { value } });
    }
  }
  return errors;
}
