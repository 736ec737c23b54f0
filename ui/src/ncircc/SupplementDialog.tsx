// The supplement NCIRCC asked for: the form of the card's own form version limited to the fields that version lets
// a supplement change (the service derives it), pre-filled with what NCIRCC has, sent once; field errors from the
// service land on their fields.
import { useEffect, useRef, useState } from 'react';
import type { FieldError } from '../../../src/schema/validator';
import { api, ApiError } from '../common/api';
import { Loading, ProblemBanner, useLoad } from '../common/components';
import { formatDateTime, useI18n } from '../common/i18n';
import type { FormData } from '../forms/definition';
import { SchemaForm } from '../forms/SchemaForm';
import type { SupplementResult } from '../common/api-types';
import { cardPath, type SupplementForm } from './types';

export function SupplementDialog({ incidentId, onClose, onSent }: { incidentId: string; onClose(): void; onSent(): void }) {
  const { t, lang } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  const form = useLoad(() => api.get<SupplementForm>(cardPath(incidentId, '/supplement')), [incidentId]);
  const [data, setData] = useState<FormData | null>(null);
  const [serverErrors, setServerErrors] = useState<FieldError[] | undefined>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<SupplementResult | null>(null);

  useEffect(() => {
    const el = dialog.current;
    if (el && !el.open) el.showModal();
  }, []);
  useEffect(() => {
    if (form.data && data === null) setData(form.data.data);
  }, [form.data, data]);

  const send = async (submitted: FormData) => {
    setBusy(true);
    setError(null);
    setServerErrors(undefined);
    try {
      setResult(await api.post<SupplementResult>(cardPath(incidentId, '/supplement'), { data: submitted }));
      onSent();
    } catch (err) {
      // errors on a field go to the field; the problem itself is shown unless they say all of it (one about the
      // whole document, such as "nothing changed", has no field)
      const errors = err instanceof ApiError && err.code === 'validation_failed' ? (err.problem.errors ?? []) : [];
      const placed = errors.filter((e) => e.path);
      if (placed.length) setServerErrors(placed);
      if (!placed.length || placed.length < errors.length) setError(err);
    } finally {
      setBusy(false);
    }
  };

  const close = () => dialog.current?.close();
  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="supplement-title" onClose={onClose} onCancel={(e) => busy && e.preventDefault()}>
      <header className="dialog-header">
        <h2 id="supplement-title">{t('ncircc.supplement.title')}</h2>
        <button type="button" className="btn btn-link" onClick={close} disabled={busy} aria-label={t('common.close')}>
          ✕
        </button>
      </header>
      <ProblemBanner error={form.error} />
      {result ? (
        <div data-testid="supplement-done" role="status">
          <p>{t('ncircc.supplement.done', { n: result.supplement.n })}</p>
          {result.supplement.sentAt ? <p>{formatDateTime(result.supplement.sentAt, lang)}</p> : null}
          <div className="actions">
            <button type="button" className="btn btn-primary" onClick={close} autoFocus>
              {t('common.close')}
            </button>
          </div>
        </div>
      ) : !form.data || data === null ? (
        form.error ? null : (
          <Loading />
        )
      ) : (
        <>
          <p className="muted">{t('ncircc.supplement.intro', { version: form.data.formVersion })}</p>
          <ProblemBanner error={error} fieldErrors />
          <SchemaForm
            definition={form.data}
            formData={data}
            onChange={setData}
            onSubmit={(d) => void send(d)}
            serverErrors={serverErrors}
            idPrefix="supplement"
            disabled={busy}
          >
            <div className="actions">
              <button type="submit" className="btn btn-primary" disabled={busy}>
                {busy ? t('ncircc.sending') : t('ncircc.supplement.send')}
              </button>
              <button type="button" className="btn btn-secondary" onClick={close} disabled={busy}>
                {t('common.cancel')}
              </button>
            </div>
          </SchemaForm>
        </>
      )}
    </dialog>
  );
}
