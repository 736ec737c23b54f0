// Our words for the service's codes about a card, falling back to the code itself for one the UI does not know.
import cardWire from '../../../schemas/rucert/card-wire.json';
import { formatDateTime, type Lang, type MessageKey, type Translate } from '../common/i18n';
import type { NotificationView } from './types';

function known(t: Translate, key: string, fallback: string): string {
  const text = t(key as MessageKey);
  return text === key ? fallback : text;
}

/** The state of something we sent to NCIRCC (a comment, a file): sending, sent, failed, unknown. */
export function sendStateText(t: Translate, state: string): string {
  return known(t, `ncircc.sendState.${state}`, state);
}

/** Why a supplement cannot be sent now. */
export function supplementReasonText(t: Translate, reason: string): string {
  return known(t, `ncircc.supplementReason.${reason}`, reason);
}

const TECHNICAL_FIELDS: Record<string, Record<Lang, string> | undefined> = cardWire.message.technicalFields;

/** A technical field of a message in words, as card-wire.json names it; undefined for a field it does not list. */
export function technicalLabel(lang: Lang, field: string): string | undefined {
  return Object.hasOwn(TECHNICAL_FIELDS, field) ? TECHNICAL_FIELDS[field]?.[lang] : undefined;
}

/**
 * One notification in words: the card's registration number when it has one, then its kind with what its details
 * say (a detail it lacks reads as a dash).
 */
export function notificationText(t: Translate, lang: Lang, n: NotificationView): string {
  const d = Object.fromEntries(Object.entries(n.details).map(([k, v]) => [k, typeof v === 'string' || typeof v === 'number' ? v : '']));
  if (n.kind === 'deadline_near') {
    d.deadline = t(`ncircc.deadline.${String(d.deadline)}` as MessageKey);
    d.at = formatDateTime(String(d.at), lang);
  }
  const key = `notifications.kind.${n.kind}` as MessageKey;
  const text = t(key) === key ? n.kind : t(key, d).replace(/\{\w+\}/g, '—');
  return typeof n.details.regNumber === 'string' ? `${n.details.regNumber}: ${text}` : text;
}
