// Export to RuCERT: the active form definition rendered by rjsf (defaults pre-filled), then a confirmation step
// with the exact wire object the service would send (POST …/preview), then the export and its RuCERT identifier.
// Field errors from either call land on their fields; a form published meanwhile (409 form_version_stale) asks
// for a reload instead of silently sending data made for another version.
import { useEffect, useRef, useState } from 'react';
import { fillRevealed } from '../../../src/schema/defaults';
import type { FieldError } from '../../../src/schema/validator';
import { api, ApiError } from '../common/api';
import { Loading, ProblemBanner, useLoad } from '../common/components';
import { formatDateTime, useI18n } from '../common/i18n';
import { prune, wireLabels, type Definition, type FormData } from '../forms/definition';
import { SchemaForm } from '../forms/SchemaForm';
import type { ExportPreview, ExportResult, ExportStatus, FormVersionView, IncidentView } from '../common/api-types';
import { PayloadView } from './PayloadView';

/** A published version as the dialog renders it: the service's answer, its documents typed as a form definition. */
export type FormVersion = Omit<FormVersionView, 'schema' | 'uiSchema'> & Definition;

type Step = { kind: 'form' } | { kind: 'confirm'; payload: Record<string, unknown> } | { kind: 'done'; result: ExportResult };

export function ExportDialog({
  incident,
  exportView,
  onClose,
  onExported,
}: {
  incident: IncidentView;
  exportView: ExportStatus;
  onClose(): void;
  onExported(): void;
}) {
  const { t, lang } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  const form = useLoad(() => api.get<FormVersion>('/forms/rucert-export'), []);
  const [data, setData] = useState<FormData | null>(null);
  const [step, setStep] = useState<Step>({ kind: 'form' });
  const [serverErrors, setServerErrors] = useState<FieldError[] | undefined>();
  const [error, setError] = useState<unknown>(null);
  const [stale, setStale] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const el = dialog.current;
    if (el && !el.open) el.showModal();
  }, []);

  // defaults from the service (those the form declares, from the settings and the incident), then what a failed
  // attempt sent
  useEffect(() => {
    if (form.data && data === null) setData(prune(form.data, { ...exportView.defaults, ...(exportView.data ?? {}) }));
  }, [form.data, data, exportView]);

  const fail = (err: unknown) => {
    if (err instanceof ApiError && err.code === 'validation_failed' && err.problem.errors?.length) {
      setServerErrors(err.problem.errors);
      setStep({ kind: 'form' });
      setError(null);
    } else if (err instanceof ApiError && err.code === 'form_version_stale') {
      setStale(true);
      setStep({ kind: 'form' });
    } else {
      setError(err);
    }
  };

  const review = async (submitted: FormData) => {
    setBusy(true);
    setError(null);
    setServerErrors(undefined);
    try {
      const res = await api.post<ExportPreview>(`/incidents/${encodeURIComponent(incident.id)}/rucert-export/preview`, {
        formVersion: form.data!.version,
        data: submitted,
      });
      setData(submitted);
      setStep({ kind: 'confirm', payload: res.payload });
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  };

  const send = async () => {
    setBusy(true);
    setError(null);
    try {
      const result = await api.post<ExportResult>(`/incidents/${encodeURIComponent(incident.id)}/rucert-export`, {
        formVersion: form.data!.version,
        data,
      });
      setStep({ kind: 'done', result });
      onExported();
    } catch (err) {
      fail(err);
      onExported(); // the state may have moved (failed, unknown) even when the call did not succeed
    } finally {
      setBusy(false);
    }
  };

  const reloadForm = () => {
    setStale(false);
    setServerErrors(undefined);
    form.reload();
  };

  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="export-dialog-title" onClose={onClose} onCancel={(e) => busy && e.preventDefault()}>
      <header className="dialog-header">
        <h2 id="export-dialog-title">{t('export.title')}</h2>
        <button type="button" className="btn btn-link" onClick={() => dialog.current?.close()} disabled={busy} aria-label={t('common.close')}>
          ✕
        </button>
      </header>
      <p className="muted">
        {incident.title}
        {form.data ? <> · {t('export.formVersion', { version: form.data.version })}</> : null}
      </p>
      <ProblemBanner error={form.error} />
      {stale ? (
        <div className="banner banner-warn" role="alert">
          {t('export.stale')}{' '}
          <button type="button" className="btn btn-secondary" onClick={reloadForm}>
            {t('export.reload')}
          </button>
        </div>
      ) : null}
      <ProblemBanner error={error} />

      {!form.data || data === null ? (
        form.error ? null : (
          <Loading />
        )
      ) : step.kind === 'form' ? (
        <SchemaForm
          key={form.data.version}
          definition={form.data}
          formData={data}
          // a field a change makes available (the technical details once "Internet connection" is ticked) starts
          // from its default, as it would have had it been available from the start
          onChange={(next) => setData((before) => fillRevealed(form.data!.schema, before ?? {}, next, exportView.defaults))}
          onSubmit={review}
          serverErrors={serverErrors}
          idPrefix="export"
          disabled={busy}
        >
          <div className="actions">
            <button type="submit" className="btn btn-primary" disabled={busy || stale}>
              {busy ? t('export.checking') : t('export.next')}
            </button>
            <button type="button" className="btn btn-secondary" onClick={() => dialog.current?.close()} disabled={busy}>
              {t('common.cancel')}
            </button>
          </div>
        </SchemaForm>
      ) : step.kind === 'confirm' ? (
        <div data-testid="export-confirm">
          <h3>{t('export.confirmTitle')}</h3>
          <p>{t('export.confirmIntro')}</p>
          <PayloadView payload={step.payload} labels={wireLabels(form.data.schema, lang)} />
          <div className="actions">
            <button type="button" className="btn btn-primary" onClick={send} disabled={busy} autoFocus>
              {busy ? t('export.sending') : t('export.confirm')}
            </button>
            <button type="button" className="btn btn-secondary" onClick={() => setStep({ kind: 'form' })} disabled={busy}>
              {t('export.edit')}
            </button>
          </div>
        </div>
      ) : (
        <div data-testid="export-done" role="status">
          <h3>{t('export.doneTitle')}</h3>
          <p>{t('export.done')}</p>
          <p>{t('export.furtherChanges')}</p>
          <dl className="facts">
            <dt>{t('incident.identifier')}</dt>
            <dd className="mono identifier">{step.result.rucert.identifier}</dd>
            <dt>{t('incident.exportedAt')}</dt>
            <dd>{formatDateTime(step.result.exportedAt, lang)}</dd>
            <dt>{t('incident.formVersion')}</dt>
            <dd>{step.result.formVersion}</dd>
          </dl>
          <div className="actions">
            <button type="button" className="btn btn-primary" onClick={() => dialog.current?.close()} autoFocus>
              {t('common.close')}
            </button>
          </div>
        </div>
      )}
    </dialog>
  );
}
