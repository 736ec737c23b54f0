// Compliance: a new version of the export form, starting from the active version. Staff edit the reference lists as
// tables, the rules as a matrix of check boxes and the samples as forms; the raw JSON stays editable with the publish
// gate's problems marked at their line. The gate runs in the browser as they edit (the same code as the server's),
// a live preview shows the form it defines, and before publishing they review what changed against the active
// version. Loaded on demand (App.tsx): the analyst's pages do not carry it.
import { Component, useDeferredValue, useEffect, useMemo, useState, type ErrorInfo, type FormEvent, type ReactNode } from 'react';
import { checkDefinition } from '../../../src/forms/publish-gate';
import { validateData } from '../../../src/schema/validator';
import { api, ApiError, type FieldProblem } from '../common/api';
import { Loading, Notice, ProblemBanner, useLoad } from '../common/components';
import { useI18n } from '../common/i18n';
import { Link } from '../common/router';
import type { FormVersion } from '../export/ExportDialog';
import type { Definition, FormData, Json } from './definition';
import { ChangeList, JsonDiff, JsonEditor, ListsPanel, RulesPanel, SamplesPanel, Tabs, type Marker, type Samples } from './EditorPanels';
import { describeChanges, lineOf, pointerLines } from './editor-model';
import type { FormVersionSummary, FormVersionView } from '../common/api-types';
import { SchemaForm } from './SchemaForm';

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

function parse<T>(text: string): Parsed<T> {
  try {
    return { ok: true, value: JSON.parse(text) as T };
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
}

const pretty = (value: unknown) => JSON.stringify(value, null, 2);

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

type TabKey = 'lists' | 'rules' | 'samples' | 'json' | 'review';

/** The gate's problems of one document ("/schema", "/uiSchema", "/samples") at their line in its text. */
function markersOf(problems: FieldProblem[], root: string, text: string): Marker[] {
  const mine = problems.filter((p) => p.path === root || p.path.startsWith(`${root}/`));
  if (!mine.length) return [];
  const lines = pointerLines(text);
  return mine.map((p) => ({ line: lineOf(lines, p.path.slice(root.length)) ?? 1, message: p.message, path: p.path })).sort((a, b) => a.line - b.line);
}

export function VersionEditor() {
  const { t, lang } = useI18n();
  const active = useLoad(() => api.get<FormVersion & { samples?: Samples }>('/forms/rucert-export'), []);
  const versions = useLoad(() => api.get<FormVersionSummary[]>('/forms/rucert-export/versions'), []);
  const [tab, setTab] = useState<TabKey>('lists');
  const [schemaText, setSchemaText] = useState<string | null>(null);
  const [uiText, setUiText] = useState('');
  const [samplesText, setSamplesText] = useState('');
  const [notes, setNotes] = useState('');
  const [previewData, setPreviewData] = useState<FormData>({});
  const [previewValid, setPreviewValid] = useState(false);
  const [problems, setProblems] = useState<FieldProblem[] | null>(null);
  // the gate's last verdict in the browser, with the draft it judged: until the draft is judged again it is stale
  const [checked, setChecked] = useState<{ of: unknown; problems: FieldProblem[] }>({ of: null, problems: [] });
  const [error, setError] = useState<unknown>(null);
  const [published, setPublished] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (active.data && schemaText === null) {
      setSchemaText(pretty(active.data.schema));
      setUiText(pretty(active.data.uiSchema));
      setSamplesText(active.data.samples ? pretty(active.data.samples) : '');
    }
  }, [active.data, schemaText]);

  const schema = useMemo(() => parse<Json>(schemaText ?? ''), [schemaText]);
  const uiSchema = useMemo(() => parse<Json>(uiText), [uiText]);
  const samples = useMemo(() => (samplesText.trim() ? parse<Samples>(samplesText) : null), [samplesText]);
  const deferredSchema = useDeferredValue(schema);
  const deferredUi = useDeferredValue(uiSchema);
  const definition = useMemo<Definition | null>(
    () => (deferredSchema.ok && deferredUi.ok ? { schema: deferredSchema.value, uiSchema: deferredUi.value } : null),
    [deferredSchema, deferredUi],
  );

  // the gate, in the browser, a moment after the last edit; a rejected publish shows the server's verdict instead
  const draft = useMemo(() => ({ schema, uiSchema, samples }), [schema, uiSchema, samples]);
  const checkable = schema.ok && uiSchema.ok && !(samples && !samples.ok);
  useEffect(() => {
    setProblems(null);
    const { schema, uiSchema, samples } = draft;
    if (!schema.ok || !uiSchema.ok || (samples && !samples.ok)) return;
    const timer = setTimeout(() => {
      const found = checkDefinition({ schema: schema.value, uiSchema: uiSchema.value, ...(samples?.ok ? { samples: samples.value as Json } : {}) });
      setChecked({ of: draft, problems: found.map((p) => ({ path: p.path, message: p.message, keyword: p.rule })) });
    }, 400);
    return () => clearTimeout(timer);
  }, [draft]);
  const gate = problems ?? checked.problems;
  /** Edited since the gate's last check: its verdict on the samples is not to be acted on until it checks again. */
  const gatePending = !problems && checkable && checked.of !== draft;

  const before = useMemo(
    () => (active.data ? { schema: active.data.schema, uiSchema: active.data.uiSchema, samples: active.data.samples } : null),
    [active.data],
  );
  const changes = useMemo(
    () =>
      before && schema.ok && uiSchema.ok
        ? describeChanges(before, { schema: schema.value, uiSchema: uiSchema.value, samples: samples?.ok ? samples.value : undefined })
        : [],
    [before, schema, uiSchema, samples],
  );
  const nextVersion = versions.data ? Math.max(0, ...versions.data.map((v) => v.version)) + 1 : null;

  const sampleProblems = useMemo(() => {
    const m = new Map<string, string[]>();
    for (const p of gate) {
      const key = /^\/samples\/(valid|invalid)\/\d+/.exec(p.path)?.[0];
      if (key) m.set(key, [...(m.get(key) ?? []), p.message]);
    }
    return m;
  }, [gate]);

  const schemaMarkers = useMemo(() => markersOf(gate, '/schema', schemaText ?? ''), [gate, schemaText]);
  const uiMarkers = useMemo(() => markersOf(gate, '/uiSchema', uiText), [gate, uiText]);
  const samplesMarkers = useMemo(() => markersOf(gate, '/samples', samplesText), [gate, samplesText]);

  const editSchema = (next: Json) => setSchemaText(pretty(next));

  const publish = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setProblems(null);
    setPublished(null);
    const bad = [
      !schema.ok && t('forms.jsonError', { field: t('forms.schema'), message: schema.message }),
      !uiSchema.ok && t('forms.jsonError', { field: t('forms.uiSchema'), message: uiSchema.message }),
      samples && !samples.ok && t('forms.jsonError', { field: t('forms.samples'), message: samples.message }),
    ].filter(Boolean);
    if (bad.length || !schema.ok || !uiSchema.ok) {
      setError(new Error(bad.join('; ')));
      return;
    }
    setBusy(true);
    try {
      const res = await api.post<FormVersionView>('/forms/rucert-export/versions', {
        schema: schema.value,
        uiSchema: uiSchema.value,
        notes,
        ...(samples && samples.ok ? { samples: samples.value } : {}),
      });
      setPublished(res.version);
      versions.reload();
    } catch (err) {
      if (err instanceof ApiError && err.problem.errors?.length) setProblems(err.problem.errors);
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (active.error) return <ProblemBanner error={active.error} />;
  if (!active.data || schemaText === null) return <Loading />;

  const structured = schema.ok ? null : <p role="alert">{t('editor.fixJson', { message: schema.message })}</p>;
  const tabs: Array<[TabKey, string]> = [
    ['lists', t('editor.tab.lists')],
    ['rules', t('editor.tab.rules')],
    ['samples', t('editor.tab.samples')],
    ['json', gate.length ? `${t('editor.tab.json')} (${gate.length})` : t('editor.tab.json')],
    ['review', t('editor.tab.review')],
  ];

  return (
    <section>
      <p>
        <Link to="/forms">← {t('forms.title')}</Link>
      </p>
      <h1>{t('forms.editorTitle')}</h1>
      <p>{t('forms.editorIntro', { version: active.data.version })}</p>
      <div className="editor-grid">
        <div className="editor">
          <Tabs<TabKey> label={t('forms.editorTitle')} tabs={tabs} current={tab} onSelect={setTab} />
          <div role="tabpanel" id={`editor-panel-${tab}`} aria-labelledby={`editor-tab-${tab}`} className="editor-panel">
            {tab === 'lists' ? (structured ?? <ListsPanel schema={schema.ok ? schema.value : {}} onChange={editSchema} />) : null}
            {tab === 'rules' ? (structured ?? <RulesPanel schema={schema.ok ? schema.value : {}} onChange={editSchema} />) : null}
            {tab === 'samples' ? (
              <SamplesPanel
                samples={samples === null ? { valid: [], invalid: [] } : samples.ok ? samples.value : null}
                problems={sampleProblems}
                pending={gatePending}
                onChange={(next) => setSamplesText(pretty(next))}
                onOpen={(data) => {
                  setPreviewValid(false);
                  setPreviewData(data);
                }}
                onSave={(name, kind) => {
                  const current: Samples = samples?.ok ? samples.value : { valid: [], invalid: [] };
                  const data = { ...previewData };
                  const sample =
                    kind === 'valid'
                      ? { name, data }
                      : { name, data, errors: (schema.ok ? validateData(schema.value, data, lang) : []).map(({ path, keyword }) => ({ path, keyword })) };
                  setSamplesText(pretty({ ...current, [kind]: [...current[kind], sample] }));
                }}
              />
            ) : null}
            {tab === 'json' ? (
              <>
                <JsonEditor
                  id="editor-schema"
                  label={t('forms.schema')}
                  value={schemaText}
                  onChange={setSchemaText}
                  markers={schemaMarkers}
                  error={!schema.ok ? t('forms.jsonError', { field: t('forms.schema'), message: schema.message }) : undefined}
                />
                <JsonEditor
                  id="editor-ui"
                  label={t('forms.uiSchema')}
                  value={uiText}
                  onChange={setUiText}
                  markers={uiMarkers}
                  error={!uiSchema.ok ? t('forms.jsonError', { field: t('forms.uiSchema'), message: uiSchema.message }) : undefined}
                />
                <JsonEditor
                  id="editor-samples"
                  label={t('forms.samples')}
                  value={samplesText}
                  onChange={setSamplesText}
                  markers={samplesMarkers}
                  error={samples && !samples.ok ? t('forms.jsonError', { field: t('forms.samples'), message: samples.message }) : undefined}
                />
              </>
            ) : null}
            {tab === 'review' ? (
              <form onSubmit={publish} aria-label={t('editor.tab.review')}>
                <h2>{t('editor.review.changes', { version: active.data.version })}</h2>
                {schema.ok ? <ChangeList changes={changes} before={active.data.schema} after={schema.value} /> : structured}
                <JsonDiff label={t('editor.review.jsonDiff', { document: t('forms.schema') })} before={pretty(active.data.schema)} after={schemaText} />
                <JsonDiff label={t('editor.review.jsonDiff', { document: t('forms.uiSchema') })} before={pretty(active.data.uiSchema)} after={uiText} />
                {!problems && checked.problems.length ? (
                  <Notice kind="warn">
                    {t('editor.review.gate', { count: checked.problems.length })}{' '}
                    <button type="button" className="linklike" onClick={() => setTab('json')}>
                      {t('editor.tab.json')}
                    </button>
                  </Notice>
                ) : null}
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
                <button type="submit" className="btn btn-primary" disabled={busy || !notes.trim() || nextVersion === null}>
                  {busy ? t('forms.publishing') : t('editor.publishVersion', { version: nextVersion ?? '…' })}
                </button>
              </form>
            ) : null}
          </div>
        </div>
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
