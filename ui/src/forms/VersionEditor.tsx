// Compliance: a new version of the export form, edited as JSON starting from the active version, with a live
// preview of the form it defines (the same renderer analysts get) and the publish gate's problems listed with
// the JSON Pointer of each into the submitted {schema, uiSchema, samples} document.
import { Component, useDeferredValue, useEffect, useMemo, useState, type ErrorInfo, type FormEvent, type ReactNode } from 'react';
import { api, ApiError, type FieldProblem } from '../common/api';
import { Loading, Notice, ProblemBanner, useLoad } from '../common/components';
import { useI18n } from '../common/i18n';
import { Link } from '../common/router';
import type { FormVersion } from '../export/ExportDialog';
import type { Definition, FormData } from './definition';
import { SchemaForm } from './SchemaForm';

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

function parse<T>(text: string): Parsed<T> {
  try {
    return { ok: true, value: JSON.parse(text) as T };
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
}

// A schema rjsf cannot render shows a message instead of the preview; the next edit tries again.
class PreviewBoundary extends Component<{ children: ReactNode; resetKey: unknown; render(message: string): ReactNode }, { error: Error | null }> {
  state = { error: null as Error | null };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  componentDidUpdate(prev: { resetKey: unknown }) {
    if (prev.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: null });
  }
  componentDidCatch(_error: Error, _info: ErrorInfo) {
    /* shown in place of the preview */
  }
  render() {
    return this.state.error ? this.props.render(this.state.error.message) : this.props.children;
  }
}

export function VersionEditor() {
  const { t } = useI18n();
  const active = useLoad(() => api.get<FormVersion>('/forms/rucert-export'), []);
  const [schemaText, setSchemaText] = useState<string | null>(null);
  const [uiText, setUiText] = useState('');
  const [samplesText, setSamplesText] = useState('');
  const [notes, setNotes] = useState('');
  const [previewData, setPreviewData] = useState<FormData>({});
  const [previewValid, setPreviewValid] = useState(false);
  const [problems, setProblems] = useState<FieldProblem[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [published, setPublished] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (active.data && schemaText === null) {
      setSchemaText(JSON.stringify(active.data.schema, null, 2));
      setUiText(JSON.stringify(active.data.uiSchema, null, 2));
    }
  }, [active.data, schemaText]);

  const deferredSchema = useDeferredValue(schemaText ?? '');
  const deferredUi = useDeferredValue(uiText);
  const schema = useMemo(() => parse<object>(deferredSchema), [deferredSchema]);
  const uiSchema = useMemo(() => parse<object>(deferredUi), [deferredUi]);
  const definition = useMemo<Definition | null>(
    () => (schema.ok && uiSchema.ok ? { schema: schema.value, uiSchema: uiSchema.value } : null),
    [schema, uiSchema],
  );

  const publish = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setProblems(null);
    setPublished(null);
    const s = parse<object>(schemaText ?? '');
    const u = parse<object>(uiText);
    const samples = samplesText.trim() ? parse<object>(samplesText) : null;
    const bad = [
      !s.ok && t('forms.jsonError', { field: t('forms.schema'), message: s.message }),
      !u.ok && t('forms.jsonError', { field: t('forms.uiSchema'), message: u.message }),
      samples && !samples.ok && t('forms.jsonError', { field: t('forms.samples'), message: samples.message }),
    ].filter(Boolean);
    if (bad.length || !s.ok || !u.ok) {
      setError(new Error(bad.join('; ')));
      return;
    }
    setBusy(true);
    try {
      const res = await api.post<{ version: number }>('/forms/rucert-export/versions', {
        schema: s.value,
        uiSchema: u.value,
        notes,
        ...(samples && samples.ok ? { samples: samples.value } : {}),
      });
      setPublished(res.version);
    } catch (err) {
      if (err instanceof ApiError && err.problem.errors?.length) {
        setProblems(err.problem.errors);
        setError(err);
      } else setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (active.error) return <ProblemBanner error={active.error} />;
  if (!active.data || schemaText === null) return <Loading />;

  return (
    <section>
      <p>
        <Link to="/forms">← {t('forms.title')}</Link>
      </p>
      <h1>{t('forms.editorTitle')}</h1>
      <p>{t('forms.editorIntro', { version: active.data.version })}</p>
      <div className="editor-grid">
        <form onSubmit={publish} className="editor" aria-label={t('forms.editorTitle')}>
          <div className="field">
            <label htmlFor="editor-schema">{t('forms.schema')}</label>
            <textarea
              id="editor-schema"
              className="mono code"
              rows={18}
              spellCheck={false}
              value={schemaText}
              onChange={(e) => setSchemaText(e.target.value)}
              aria-invalid={!schema.ok}
              aria-describedby="editor-schema-error"
            />
            <div id="editor-schema-error" className="field-errors" aria-live="polite">
              {!schema.ok ? t('forms.jsonError', { field: t('forms.schema'), message: schema.message }) : null}
            </div>
          </div>
          <div className="field">
            <label htmlFor="editor-ui">{t('forms.uiSchema')}</label>
            <textarea
              id="editor-ui"
              className="mono code"
              rows={10}
              spellCheck={false}
              value={uiText}
              onChange={(e) => setUiText(e.target.value)}
              aria-invalid={!uiSchema.ok}
              aria-describedby="editor-ui-error"
            />
            <div id="editor-ui-error" className="field-errors" aria-live="polite">
              {!uiSchema.ok ? t('forms.jsonError', { field: t('forms.uiSchema'), message: uiSchema.message }) : null}
            </div>
          </div>
          <div className="field">
            <label htmlFor="editor-samples">{t('forms.samples')}</label>
            <textarea
              id="editor-samples"
              className="mono code"
              rows={5}
              spellCheck={false}
              value={samplesText}
              onChange={(e) => setSamplesText(e.target.value)}
              placeholder='{"valid": [], "invalid": []}'
            />
          </div>
          <div className="field">
            <label htmlFor="editor-notes">{t('forms.notes')}</label>
            <textarea id="editor-notes" rows={3} required maxLength={10000} value={notes} onChange={(e) => setNotes(e.target.value)} />
          </div>
          <div aria-live="polite">
            <ProblemBanner error={error} />
            {problems ? (
              <div data-testid="publish-problems">
                <p>{t('forms.problems', { count: problems.length })}</p>
                <table className="table">
                  <thead>
                    <tr>
                      <th scope="col">{t('forms.problemPath')}</th>
                      <th scope="col">{t('forms.problemMessage')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {problems.map((p, i) => (
                      <tr key={i}>
                        <td className="mono">{p.path || '/'}</td>
                        <td>
                          {p.message} <span className="muted small">({p.keyword})</span>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : null}
            {published !== null ? (
              <Notice>
                {t('forms.published', { version: published })} <Link to="/forms">{t('forms.title')}</Link>
              </Notice>
            ) : null}
          </div>
          <button type="submit" className="btn btn-primary" disabled={busy || !notes.trim()}>
            {busy ? t('forms.publishing') : t('forms.publish')}
          </button>
        </form>
        <section className="preview card" aria-labelledby="preview-heading">
          <h2 id="preview-heading">{t('forms.preview')}</h2>
          {definition ? (
            <PreviewBoundary resetKey={definition} render={(message) => <p role="alert">{t('forms.previewBroken', { message })}</p>}>
              <SchemaForm
                definition={definition}
                formData={previewData}
                onChange={(d) => {
                  setPreviewValid(false);
                  setPreviewData(d);
                }}
                onSubmit={() => setPreviewValid(true)}
                idPrefix="preview"
              >
                {previewValid ? <Notice>{t('forms.previewValid')}</Notice> : null}
                <button type="submit" className="btn btn-secondary">
                  {t('forms.previewValidate')}
                </button>
              </SchemaForm>
            </PreviewBoundary>
          ) : (
            <p role="alert">{t('forms.previewBroken', { message: !schema.ok ? schema.message : !uiSchema.ok ? uiSchema.message : '' })}</p>
          )}
        </section>
      </div>
    </section>
  );
}
