// A message from NCIRCC (an "ALRT" card made into an incident): its type as NCIRCC named it, its technical fields,
// the 24-hour reaction deadline (in the card's facts), and the SOC's answer: take it into work, or decide it with a
// result. Each move is sent once by the service; NCIRCC's own status changes arrive by synchronisation. Which moves
// are still ahead follows the message's life as card-wire.json lists it, not status names in code; so do the
// technical fields and their words.
import { Fragment, useState, type FormEvent } from 'react';
import cardWire from '../../../schemas/rucert/card-wire.json';
import { api } from '../common/api';
import { Notice, ProblemBanner } from '../common/components';
import { formatDateTime, useI18n, type MessageKey } from '../common/i18n';
import { technicalLabel } from './labels';
import { cardPath, MESSAGE_RESULTS, type CardView } from './types';

type Move = keyof typeof cardWire.message.statuses;

/** Whether the message's life has not yet reached the status a move leads to (an unknown status allows both). */
function ahead(status: string, move: Move): boolean {
  const life = cardWire.message.lifecycle;
  return life.indexOf(status) < life.indexOf(cardWire.message.statuses[move]);
}

function Value({ value }: { value: unknown }) {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const { value: main, ...rest } = value as Record<string, unknown>;
    const extra = Object.entries(rest).filter(([, v]) => v !== null && v !== '');
    return (
      <>
        {main !== undefined ? <span className="mono">{String(main)}</span> : null}
        {extra.length ? (
          <span className="small muted"> ({extra.map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join(', ')})</span>
        ) : null}
      </>
    );
  }
  return <span className="mono">{typeof value === 'string' ? value : JSON.stringify(value)}</span>;
}

/** The fields card-wire.json lists as technical, named in the UI language; empty ones left out. */
function TechnicalFields({ details }: { details: Record<string, unknown> }) {
  const { t, lang } = useI18n();
  const fields = Object.entries(details).flatMap(([k, v]) => {
    const label = technicalLabel(lang, k);
    return label && v !== null && !(Array.isArray(v) && v.length === 0) ? [{ k, label, v }] : [];
  });
  if (!fields.length) return null;
  return (
    <>
      <h3>{t('ncircc.message.technical')}</h3>
      <dl className="facts" data-testid="ncircc-technical">
        {fields.map(({ k, label, v }) => (
          <Fragment key={k}>
            <dt>{label}</dt>
            <dd>
              <ul className="plain">
                {(Array.isArray(v) ? v : [v]).map((item, n) => (
                  <li key={n}>
                    <Value value={item} />
                  </li>
                ))}
              </ul>
            </dd>
          </Fragment>
        ))}
      </dl>
    </>
  );
}

/** What NCIRCC wrote: the type as NCIRCC named it, when, the TLP, the technical fields. */
export function MessageDetails({ card }: { card: CardView }) {
  const { t, lang } = useI18n();
  const details = card.details ?? {};
  const created = typeof details.create_time === 'string' ? details.create_time : undefined;
  return (
    <div data-testid="ncircc-message-details">
      <dl className="facts">
        <dt>{t('ncircc.message.type')}</dt>
        <dd data-testid="ncircc-message-type" lang="ru">
          {card.type ?? t('common.none')}
        </dd>
        {created ? (
          <>
            <dt>{t('ncircc.message.created')}</dt>
            <dd>
              <time dateTime={created}>{formatDateTime(created, lang)}</time>
            </dd>
          </>
        ) : null}
        {typeof details.tlp === 'string' ? (
          <>
            <dt>TLP</dt>
            <dd className="mono">{details.tlp}</dd>
          </>
        ) : null}
      </dl>
      <TechnicalFields details={details} />
    </div>
  );
}

/** The SOC's answer: take the message into work, decide it with a result. */
export function MessageAnswer({ incidentId, card, onChanged }: { incidentId: string; card: CardView; onChanged(): void }) {
  const { t } = useI18n();
  const [result, setResult] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [sent, setSent] = useState<Move[]>([]);

  const move = async (status: Move, e?: FormEvent) => {
    e?.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.post(cardPath(incidentId, '/status'), status === 'decided' ? { status, ...(result ? { result } : {}) } : { status });
      setSent((s) => [...s, status]);
      onChanged();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const canTake = ahead(card.status.name, 'in_progress') && !sent.includes('in_progress') && !sent.includes('decided');
  const canDecide = ahead(card.status.name, 'decided') && !sent.includes('decided');
  return (
    <div data-testid="ncircc-message">
      <h3>{t('ncircc.message.answer')}</h3>
      {sent.map((s) => (
        <Notice key={s}>{t(`ncircc.message.sent.${s}` as MessageKey)}</Notice>
      ))}
      {canTake ? (
        <div className="actions">
          <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void move('in_progress')}>
            {t('ncircc.message.take')}
          </button>
        </div>
      ) : null}
      {canDecide ? (
        <form className="inline-form" onSubmit={(e) => void move('decided', e)}>
          <div className="field">
            <label htmlFor="ncircc-result">{t('ncircc.message.result')}</label>
            <select id="ncircc-result" value={result} onChange={(e) => setResult(e.target.value)}>
              <option value="">{t('ncircc.message.chooseResult')}</option>
              {MESSAGE_RESULTS.map((r) => (
                <option key={r} value={r}>
                  {t(`ncircc.result.${r}` as MessageKey)}
                </option>
              ))}
            </select>
          </div>
          <div className="actions">
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {t('ncircc.message.decide')}
            </button>
          </div>
        </form>
      ) : null}
      {!canTake && !canDecide && !sent.length ? <p className="muted">{t('ncircc.message.nothingToDo')}</p> : null}
      <ProblemBanner error={error} fieldErrors />
    </div>
  );
}
