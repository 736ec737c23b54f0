// The NCIRCC section of the incident page, for an exported incident or a message from NCIRCC: the card's facts and
// history, the Supplement action while NCIRCC asks for one, a message's answer, and the chat and files. An incident
// without a card (not exported) has no section.
import { useEffect, useState } from 'react';
import { api, ApiError } from '../common/api';
import { Loading, ProblemBanner, useLoad } from '../common/components';
import { useI18n } from '../common/i18n';
import { CardFacts, StatusHistory } from './CardFacts';
import { CardTabs } from './CardTabs';
import { supplementReasonText } from './labels';
import { MessageAnswer, MessageDetails } from './Message';
import { POLL_MS } from './notifications';
import { SupplementDialog } from './SupplementDialog';
import { cardPath, type CardView } from './types';

function SupplementAction({ card, onOpen }: { card: CardView; onOpen(): void }) {
  const { t } = useI18n();
  if (!card.supplement.requested) return null;
  return (
    <div className="banner banner-warn" data-testid="supplement-requested">
      <p>{t('ncircc.supplement.requested')}</p>
      {card.supplement.allowed ? (
        <button type="button" className="btn btn-primary" onClick={onOpen}>
          {t('ncircc.supplement.open')}
        </button>
      ) : (
        <ul>
          {card.supplement.reasons.map((r) => (
            <li key={r}>{supplementReasonText(t, r)}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function NcirccSection({ incidentId }: { incidentId: string }) {
  const { t } = useI18n();
  const card = useLoad(() => api.get<CardView>(cardPath(incidentId)), [incidentId]);
  const [supplementOpen, setSupplementOpen] = useState(false);
  // Refresh reads the card, the chat and the files again; the files are listed by NCIRCC on every read
  const [generation, setGeneration] = useState(0);
  // what a synchronisation brought (a status, a supplement request, NCIRCC's comments) shows without a Refresh: the
  // card and the chat, which the service reads from its own database, are read again every half minute while the
  // page is in view; the files only on Refresh
  const [chatGeneration, setChatGeneration] = useState(0);
  const refresh = () => {
    card.reload();
    setGeneration((n) => n + 1);
    setChatGeneration((n) => n + 1);
  };
  const reloadCard = card.reload;
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState !== 'visible') return;
      reloadCard();
      setChatGeneration((n) => n + 1);
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [reloadCard]);

  if (card.error instanceof ApiError && card.error.code === 'card_not_found') return null;
  return (
    <section className="card" aria-labelledby="ncircc-heading" data-testid="ncircc">
      <div className="title-row">
        <h2 id="ncircc-heading">{card.data?.kind === 'message' ? t('ncircc.messageTitle') : t('ncircc.title')}</h2>
        <button type="button" className="btn btn-secondary" onClick={refresh} disabled={card.loading}>
          {t('ncircc.refresh')}
        </button>
      </div>
      <ProblemBanner error={card.error} />
      {!card.data ? (
        card.error ? null : (
          <Loading />
        )
      ) : (
        <>
          <CardFacts card={card.data} />
          {card.data.kind === 'message' ? <MessageDetails card={card.data} /> : null}
          <StatusHistory card={card.data} />
          {card.data.kind === 'message' ? (
            <MessageAnswer incidentId={incidentId} card={card.data} onChanged={card.reload} />
          ) : (
            <SupplementAction card={card.data} onOpen={() => setSupplementOpen(true)} />
          )}
          <CardTabs incidentId={incidentId} generation={generation} chatGeneration={chatGeneration} />
        </>
      )}
      {supplementOpen ? <SupplementDialog incidentId={incidentId} onClose={() => setSupplementOpen(false)} onSent={card.reload} /> : null}
    </section>
  );
}
