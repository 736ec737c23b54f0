// Settling an export whose outcome is unknown: ask RuCERT now (reconcile), or record the outcome by hand after
// checking the GosSOPKA account (resolve). Admins only; the service refuses it to anyone else.
import { useState, type FormEvent } from 'react';
import { api } from '../common/api';
import { Notice, ProblemBanner } from '../common/components';
import { useI18n, type MessageKey } from '../common/i18n';

export function ResolvePanel({ incidentId, onResolved }: { incidentId: string; onResolved(): void }) {
  const { t } = useI18n();
  const [outcome, setOutcome] = useState<'exported' | 'failed'>('exported');
  const [identifier, setIdentifier] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<string | null>(null);
  const base = `/incidents/${encodeURIComponent(incidentId)}/rucert-export`;

  const run = async (call: () => Promise<{ state: string }>) => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const res = await call();
      setResult(res.state);
      onResolved();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const resolve = (e: FormEvent) => {
    e.preventDefault();
    run(() =>
      api.post(`${base}/resolve`, {
        outcome,
        reason: reason.trim(),
        ...(outcome === 'exported' && identifier.trim() ? { identifier: identifier.trim() } : {}),
      }),
    );
  };

  return (
    <section className="resolve" aria-labelledby="resolve-heading">
      <h3 id="resolve-heading">{t('resolve.title')}</h3>
      <p>{t('resolve.intro')}</p>
      <button type="button" className="btn btn-secondary" disabled={busy} onClick={() => run(() => api.post(`${base}/reconcile`))}>
        {t('resolve.reconcile')}
      </button>
      <form onSubmit={resolve} className="inline-form">
        <fieldset>
          <legend>{t('resolve.outcome')}</legend>
          {(['exported', 'failed'] as const).map((o) => (
            <label key={o} className="radio">
              <input type="radio" name="resolve-outcome" value={o} checked={outcome === o} onChange={() => setOutcome(o)} />{' '}
              {t(`resolve.outcome.${o}` as MessageKey)}
            </label>
          ))}
        </fieldset>
        {outcome === 'exported' ? (
          <div className="field">
            <label htmlFor="resolve-identifier">{t('resolve.identifier')}</label>
            <input id="resolve-identifier" required value={identifier} onChange={(e) => setIdentifier(e.target.value)} />
          </div>
        ) : null}
        <div className="field">
          <label htmlFor="resolve-reason">{t('resolve.reason')}</label>
          <input id="resolve-reason" required value={reason} onChange={(e) => setReason(e.target.value)} />
        </div>
        <button type="submit" className="btn btn-primary" disabled={busy || !reason.trim()}>
          {t('resolve.submit')}
        </button>
      </form>
      <ProblemBanner error={error} />
      {result ? <Notice>{t('resolve.done', { state: t(`state.${result}` as MessageKey) })}</Notice> : null}
    </section>
  );
}
