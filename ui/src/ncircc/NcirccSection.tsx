// The NCIRCC section of the incident page, for an exported incident or a message from NCIRCC: the card's facts and
// history, the Supplement action while NCIRCC asks for one, a message's answer, and the chat and files. An incident
// without a card (not exported) has no section.
import { useState } from 'react';
import { api, ApiError } from '../common/api';
import { Loading, ProblemBanner, useLoad } from '../common/components';
import { useI18n } from '../common/i18n';
import { CardFacts, StatusHistory } from './CardFacts';
import { CardTabs } from './CardTabs';
import { supplementReasonText } from './labels';
import { MessageAnswer, MessageDetails } from './Message';
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
  // the chat and files reload with the card
  const [generation, setGeneration] = useState(0);
  const refresh = () => {
    card.reload();
    setGeneration((n) => n + 1);
  };

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
          <CardTabs incidentId={incidentId} generation={generation} />
        </>
      )}
      {supplementOpen ? <SupplementDialog incidentId={incidentId} onClose={() => setSupplementOpen(false)} onSent={card.reload} /> : null}
    </section>
  );
}
