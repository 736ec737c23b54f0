// The card as NCIRCC keeps it: status (named as NCIRCC names it), registration number, identifier, last
// synchronisation and the deadlines that run; and the history of its statuses.
import type { ReactNode } from 'react';
import { formatDateTime, useI18n, type MessageKey } from '../common/i18n';
import type { CardView } from './types';

function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </>
  );
}

export function CardFacts({ card }: { card: CardView }) {
  const { t, lang } = useI18n();
  const time = (iso: string) => <time dateTime={iso}>{formatDateTime(iso, lang)}</time>;
  return (
    <dl className="facts">
      <Fact label={t('ncircc.status')} testId="ncircc-status">
        <span lang="ru">{card.status.name}</span>
      </Fact>
      <Fact label={t('ncircc.regNumber')} testId="ncircc-reg-number">
        {card.regNumber ? <span className="mono">{card.regNumber}</span> : <span className="muted">{t('ncircc.notRegistered')}</span>}
      </Fact>
      {card.identifier ? (
        <Fact label={t('ncircc.identifier')}>
          <span className="mono">{card.identifier}</span>
        </Fact>
      ) : null}
      <Fact label={t('ncircc.syncedAt')} testId="ncircc-synced-at">
        {card.syncedAt ? time(card.syncedAt) : <span className="muted">{t('ncircc.neverSynced')}</span>}
      </Fact>
      {Object.entries(card.deadlines ?? {}).map(([which, at]) => (
        <Fact key={which} label={t(`ncircc.deadline.${which}` as MessageKey)} testId={`ncircc-deadline-${which}`}>
          {time(at)}
          {Date.parse(at) < Date.now() ? <strong className="overdue"> {t('ncircc.overdue')}</strong> : null}
        </Fact>
      ))}
    </dl>
  );
}

export function StatusHistory({ card }: { card: CardView }) {
  const { t, lang } = useI18n();
  return (
    <>
      <h3>{t('ncircc.history')}</h3>
      {card.history.length ? (
        <ol className="plain-ol" data-testid="ncircc-history">
          {card.history.map((h, n) => (
            <li key={n}>
              <time dateTime={h.at}>{formatDateTime(h.at, lang)}</time> — <span lang="ru">{h.status}</span>
            </li>
          ))}
        </ol>
      ) : (
        <p className="muted">{t('ncircc.noHistory')}</p>
      )}
    </>
  );
}
