// The panels of the form version editor (loaded on demand with it): reference lists as tables, the rules matrix,
// the JSON with the gate's problems at their line, samples as forms, and the review of what changed.
import { Fragment, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { Notice } from '../common/components';
import { useI18n, type Translate } from '../common/i18n';
import { CodeEditor, type CodeEditorHandle } from './CodeEditor';
import type { Json } from './definition';
import {
  codeFor,
  defaultedCodes,
  defaultSettings,
  isAllowed,
  lineDiff,
  matrixFields,
  matrixOf,
  optionLists,
  renameCode,
  setAllowed,
  setAvailable,
  setOptions,
  setTypeAvailable,
  typeGuards,
  isTypeAvailable,
  type Change,
  type Matrix,
  type Option,
  type Why,
} from './editor-model';

export interface Marker {
  line: number;
  message: string;
  path: string;
}

/** Tabs with arrow-key movement between them (WAI-ARIA tabs). */
export function Tabs<K extends string>({ label, tabs, current, onSelect }: { label: string; tabs: Array<[K, string]>; current: K; onSelect(k: K): void }) {
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  const onKeyDown = (e: KeyboardEvent, index: number) => {
    const next = e.key === 'ArrowRight' ? index + 1 : e.key === 'ArrowLeft' ? index - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? tabs.length - 1 : null;
    if (next === null) return;
    e.preventDefault();
    const [key] = tabs[(next + tabs.length) % tabs.length];
    onSelect(key);
    refs.current[key]?.focus();
  };
  return (
    <div role="tablist" aria-label={label} className="tablist">
      {tabs.map(([key, title], index) => (
        <button
          key={key}
          ref={(el) => {
            refs.current[key] = el;
          }}
          type="button"
          role="tab"
          id={`editor-tab-${key}`}
          aria-selected={key === current}
          aria-controls={`editor-panel-${key}`}
          tabIndex={key === current ? 0 : -1}
          className={`tab${key === current ? ' tab-selected' : ''}`}
          onClick={() => onSelect(key)}
          onKeyDown={(e) => onKeyDown(e, index)}
        >
          {title}
        </button>
      ))}
    </div>
  );
}

// ---------------------------------------------------------------------------------------------------------------

export function ListsPanel({ schema, onChange }: { schema: Json; onChange(next: Json): void }) {
  const { t, lang } = useI18n();
  const lists = useMemo(() => optionLists(schema), [schema]);
  const [selected, setSelected] = useState(() => (lists.some((l) => l.name === 'type') ? 'type' : (lists[0]?.name ?? '')));
  const list = lists.find((l) => l.name === selected) ?? lists[0];
  if (!list) return <p>{t('editor.lists.none')}</p>;
  const defaulted = new Set(defaultedCodes(schema, list.name));
  const settings = defaultSettings(schema, list.name);
  const write = (options: Option[]) => onChange(setOptions(schema, list.pointer, options));
  const update = (i: number, patch: Partial<Option>) => write(list.options.map((o, j) => (j === i ? { ...o, ...patch } : o)));
  const move = (i: number, by: number) => {
    const next = [...list.options];
    const [o] = next.splice(i, 1);
    next.splice(i + by, 0, o);
    write(next);
  };
  const listTitle = (l: typeof list) => (lang === 'ru' ? l.titleRu : l.title);
  return (
    <div>
      <div className="field">
        <label htmlFor="editor-list">{t('editor.lists.pick')}</label>
        <select id="editor-list" value={list.name} onChange={(e) => setSelected(e.target.value)}>
          {lists.map((l) => (
            <option key={l.name} value={l.name}>
              {listTitle(l)} ({l.options.length})
            </option>
          ))}
        </select>
      </div>
      {settings.length ? <Notice kind="info">{t('editor.lists.fromSetting', { settings: settings.join(', ') })}</Notice> : null}
      <div className="matrix-scroll">
        <table className="table options-table" data-testid="options-table" aria-label={listTitle(list)}>
          <thead>
            <tr>
              <th scope="col">{t('editor.lists.code')}</th>
              <th scope="col">{t('editor.lists.title')}</th>
              <th scope="col">{t('editor.lists.titleRu')}</th>
              <th scope="col">{t('editor.lists.wire')}</th>
              <th scope="col">
                <span className="sr-only">{t('editor.lists.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.options.map((o, i) => (
              <tr key={i} data-code={o.code}>
                <td>
                  <input
                    className="mono"
                    aria-label={`${t('editor.lists.code')} ${i + 1}`}
                    value={o.code}
                    onChange={(e) => onChange(renameCode(schema, list.pointer, i, e.target.value))}
                  />
                  {defaulted.has(o.code) ? <span className="badge badge-unknown">{t('editor.lists.defaulted')}</span> : null}
                </td>
                <td>
                  <input aria-label={`${t('editor.lists.title')} ${i + 1}`} value={o.title} onChange={(e) => update(i, { title: e.target.value })} />
                </td>
                <td>
                  <input
                    lang="ru"
                    aria-label={`${t('editor.lists.titleRu')} ${i + 1}`}
                    value={o.titleRu}
                    onChange={(e) => update(i, { titleRu: e.target.value })}
                  />
                </td>
                <td>
                  <input
                    lang="ru"
                    aria-label={`${t('editor.lists.wire')} ${i + 1}`}
                    value={String(o.wire)}
                    onChange={(e) =>
                      update(i, { wire: typeof o.wire === 'number' && /^-?\d+(\.\d+)?$/.test(e.target.value) ? Number(e.target.value) : e.target.value })
                    }
                  />
                </td>
                <td className="nowrap">
                  <button
                    type="button"
                    className="btn btn-secondary btn-small"
                    disabled={i === 0}
                    onClick={() => move(i, -1)}
                    aria-label={`${t('editor.lists.up')}: ${o.code}`}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    className="btn btn-secondary btn-small"
                    disabled={i === list.options.length - 1}
                    onClick={() => move(i, 1)}
                    aria-label={`${t('editor.lists.down')}: ${o.code}`}
                  >
                    ↓
                  </button>
                  <button
                    type="button"
                    className="btn btn-secondary btn-small"
                    onClick={() => write(list.options.filter((_, j) => j !== i))}
                    aria-label={`${t('editor.lists.remove')}: ${o.code}`}
                  >
                    {t('editor.lists.remove')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <button
        type="button"
        className="btn btn-secondary"
        onClick={() =>
          write([
            ...list.options,
            {
              code: codeFor(
                'new',
                list.options.map((o) => o.code),
              ),
              title: '',
              titleRu: '',
              wire: '',
            },
          ])
        }
      >
        {t('editor.lists.add')}
      </button>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------------------------

function labelOf(schema: Json, property: string, code: string, lang: string): string {
  const option = (schema?.properties?.[property]?.oneOf ?? []).find((o: Json) => o?.const === code);
  return (lang === 'ru' ? option?.['x-title-ru'] : undefined) ?? option?.title ?? code;
}

function fieldTitle(schema: Json, field: string, lang: string): string {
  const prop = schema?.properties?.[field];
  return (lang === 'ru' ? prop?.['x-title-ru'] : undefined) ?? prop?.title ?? field;
}

/** A grid of check boxes, one per row and column, each named "<row> — <column>" for the keyboard and screen readers. */
function CheckGrid({
  id,
  title,
  rows,
  columns,
  isChecked,
  onToggle,
  cellNote,
}: {
  id: string;
  title: string;
  rows: Array<{ key: string; label: string; note?: string }>;
  columns: Array<{ key: string; label: string }>;
  isChecked(row: string, column: string): boolean;
  onToggle(row: string, column: string, on: boolean): void;
  cellNote?(row: string, column: string): string | undefined;
}) {
  return (
    <>
      <h3 id={id}>{title}</h3>
      <div className="matrix-scroll">
        <table className="table matrix" aria-labelledby={id} data-testid={id}>
          <thead>
            <tr>
              <th scope="col" />
              {columns.map((c) => (
                <th key={c.key} scope="col">
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key}>
                <th scope="row">
                  {r.label}
                  {r.note ? <span className="muted small"> {r.note}</span> : null}
                </th>
                {columns.map((c) => {
                  const note = cellNote?.(r.key, c.key);
                  return (
                    <td key={c.key}>
                      <input
                        type="checkbox"
                        aria-label={`${r.label} — ${c.label}`}
                        checked={isChecked(r.key, c.key)}
                        onChange={(e) => onToggle(r.key, c.key, e.target.checked)}
                      />
                      {note ? <span className="muted small"> {note}</span> : null}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** Why a rule stays JSON, in the staff's words. */
function whyText(why: Why, schema: Json, matrix: Matrix, lang: string, t: Translate): string {
  const names = { selector: fieldTitle(schema, matrix.selector, lang), dependent: fieldTitle(schema, matrix.dependent, lang) };
  switch (why.reason) {
    case 'orphan':
      return t('editor.rules.why.orphan', names);
    case 'duplicate':
      return t('editor.rules.why.duplicate', names);
    case 'category-and-type':
      return t('editor.rules.why.categoryAndType', names);
    case 'shape':
      return t('editor.rules.why.shape', names);
    case 'condition':
    case 'narrows':
      return t(why.reason === 'condition' ? 'editor.rules.why.condition' : 'editor.rules.why.narrows', {
        ...names,
        fields: why.fields.map((f) => fieldTitle(schema, f, lang)).join(', '),
      });
  }
}

export function RulesPanel({ schema, onChange }: { schema: Json; onChange(next: Json): void }) {
  const { t, lang } = useI18n();
  const matrix = useMemo(() => matrixOf(schema), [schema]);
  const options = (property: string) =>
    (schema?.properties?.[property]?.oneOf ?? []).map((o: Json) => ({ key: String(o.const), label: labelOf(schema, property, String(o.const), lang) }));
  const selectors: Array<{ key: string; label: string }> = options(matrix.selector);
  const values: Array<{ key: string; label: string }> = options(matrix.dependent);
  const fields = matrixFields(schema, matrix).map((f) => ({ key: f, label: fieldTitle(schema, f, lang) }));
  const [texts, setTexts] = useState<Record<number, string>>({});
  const [errors, setErrors] = useState<Record<number, string>>({});
  // a check box may add or remove a rule: what was typed into the JSON of one would then stand beside another
  const write = (next: Json) => {
    setTexts({});
    setErrors({});
    onChange(next);
  };
  const guardText = (g: { field: string; value: Json }) =>
    t('editor.rules.when', {
      field: fieldTitle(schema, g.field, lang),
      value: typeof g.value === 'boolean' ? t(g.value ? 'editor.rules.ticked' : 'editor.rules.unticked') : labelOf(schema, g.field, g.value, lang),
    });
  const names = { dependent: fieldTitle(schema, matrix.dependent, lang), selector: fieldTitle(schema, matrix.selector, lang) };
  return (
    <div>
      <CheckGrid
        id="matrix-types"
        title={t('editor.rules.types', names)}
        rows={values.map((v) => ({ ...v, note: selectors.every((c) => !isAllowed(matrix, c.key, v.key)) ? t('editor.rules.nowhere') : undefined }))}
        columns={selectors}
        isChecked={(v, c) => isAllowed(matrix, c, v)}
        onToggle={(v, c, on) => write(setAllowed(schema, c, v, on))}
      />
      <CheckGrid
        id="matrix-fields"
        title={t('editor.rules.fields', names)}
        rows={fields}
        columns={selectors}
        isChecked={(f, c) => !(matrix.unavailable[c] ?? []).includes(f)}
        onToggle={(f, c, on) => write(setAvailable(schema, c, f, on))}
        cellNote={(f, c) => ((matrix.required[c] ?? []).includes(f) ? t('editor.rules.required') : undefined)}
      />
      <CheckGrid
        id="matrix-type-fields"
        title={t('editor.rules.typeFields', names)}
        rows={fields.map((f) => ({ ...f, note: typeGuards(matrix, f.key).map(guardText).join(' ') || undefined }))}
        columns={values}
        isChecked={(f, v) => isTypeAvailable(matrix, v, f)}
        onToggle={(f, v, on) => write(setTypeAvailable(schema, v, f, on))}
      />
      <h3>{t('editor.rules.others', { count: matrix.others.length })}</h3>
      <p className="muted">{t('editor.rules.othersHelp')}</p>
      {matrix.others.map((index) => {
        const rule = schema.allOf[index];
        const text = texts[index] ?? JSON.stringify(rule, null, 2);
        return (
          <div className="field" key={index} data-testid="other-rule">
            <label htmlFor={`editor-rule-${index}`}>
              {t('editor.rules.rule', { number: index + 1 })}
              {typeof rule?.$comment === 'string' ? `: ${rule.$comment}` : ''}
            </label>
            <p className="muted small" id={`editor-rule-${index}-why`} data-testid="other-rule-why">
              {whyText(matrix.why[index], schema, matrix, lang, t)}
            </p>
            <textarea
              id={`editor-rule-${index}`}
              aria-describedby={`editor-rule-${index}-why`}
              className="mono code"
              rows={Math.min(14, text.split('\n').length)}
              spellCheck={false}
              value={text}
              aria-invalid={!!errors[index]}
              onChange={(e) => {
                const value = e.target.value;
                setTexts((s) => ({ ...s, [index]: value }));
                try {
                  const parsed = JSON.parse(value);
                  setErrors((s) => ({ ...s, [index]: '' }));
                  const allOf = [...schema.allOf];
                  allOf[index] = parsed;
                  onChange({ ...schema, allOf });
                } catch (err) {
                  setErrors((s) => ({ ...s, [index]: (err as Error).message }));
                }
              }}
            />
            {errors[index] ? (
              <div className="field-errors">{t('forms.jsonError', { field: t('editor.rules.rule', { number: index + 1 }), message: errors[index] })}</div>
            ) : null}
          </div>
        );
      })}
    </div>
  );
}

// ---------------------------------------------------------------------------------------------------------------

/** A JSON text in the code editor, the gate's problems marked at their line and listed (each selects its line). */
export function JsonEditor({
  id,
  label,
  value,
  onChange,
  markers,
  error,
}: {
  id: string;
  label: string;
  value: string;
  onChange(text: string): void;
  markers: Marker[];
  error?: string;
}) {
  const { t } = useI18n();
  const handle = useRef<CodeEditorHandle | null>(null);
  return (
    <div className="field" aria-describedby={`${id}-problems`}>
      <label id={`${id}-label`}>{label}</label>
      <CodeEditor labelId={`${id}-label`} value={value} onChange={onChange} markers={markers} handle={handle} />
      <div id={`${id}-problems`} className="field-errors" aria-live="polite">
        {error ? <div>{error}</div> : null}
        {markers.length ? (
          <ul className="problem-lines" data-testid={`${id}-markers`}>
            {markers.map((m, i) => (
              <li key={i} data-line={m.line}>
                <button type="button" className="linklike" onClick={() => handle.current?.goTo(m.line)}>
                  {t('editor.json.line', { line: m.line })}
                </button>{' '}
                {m.message} <span className="muted small mono">{m.path}</span>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------------------------

export interface Sample {
  name: string;
  data: Record<string, unknown>;
  errors?: Array<{ path: string; keyword: string }>;
}
export interface Samples {
  valid: Sample[];
  invalid: Sample[];
}

export function SamplesPanel({
  samples,
  onChange,
  problems,
  pending,
  onOpen,
  onSave,
}: {
  samples: Samples | null;
  onChange(next: Samples): void;
  /** The gate's problems by sample ("/samples/valid/3"), from the last check. */
  problems: Map<string, string[]>;
  /** The draft changed since that check: no verdict is shown or acted on until the next one. */
  pending: boolean;
  onOpen(data: Record<string, unknown>): void;
  onSave(name: string, kind: 'valid' | 'invalid'): void;
}) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  if (!samples) return <p role="alert">{t('editor.samples.broken')}</p>;
  const rows = (['valid', 'invalid'] as const).flatMap((kind) => samples[kind].map((s, i) => ({ kind, i, s, key: `/samples/${kind}/${i}` })));
  const failing = pending ? [] : rows.filter((r) => problems.has(r.key));
  const remove = (keys: Set<string>) =>
    onChange({
      valid: samples.valid.filter((_, i) => !keys.has(`/samples/valid/${i}`)),
      invalid: samples.invalid.filter((_, i) => !keys.has(`/samples/invalid/${i}`)),
    });
  return (
    <div>
      <p className="muted">{t('editor.samples.help')}</p>
      <div className="field">
        <label htmlFor="editor-sample-name">{t('editor.samples.name')}</label>
        <input id="editor-sample-name" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
      </div>
      <p>
        {(['valid', 'invalid'] as const).map((kind, i) => (
          <Fragment key={kind}>
            {i ? ' ' : null}
            <button
              type="button"
              className="btn btn-secondary"
              disabled={!name.trim()}
              onClick={() => {
                onSave(name.trim(), kind);
                setName('');
              }}
            >
              {t(kind === 'valid' ? 'editor.samples.saveValid' : 'editor.samples.saveInvalid')}
            </button>
          </Fragment>
        ))}
      </p>
      {failing.length ? (
        <p role="status">
          {t('editor.samples.failing', { count: failing.length })}{' '}
          <button type="button" className="btn btn-secondary" onClick={() => remove(new Set(failing.map((r) => r.key)))}>
            {t('editor.samples.removeFailing', { count: failing.length })}
          </button>
        </p>
      ) : null}
      <div className="matrix-scroll">
        <table className="table" data-testid="samples-table">
          <thead>
            <tr>
              <th scope="col">{t('editor.samples.name')}</th>
              <th scope="col">{t('editor.samples.kind')}</th>
              <th scope="col">{t('editor.samples.status')}</th>
              <th scope="col">
                <span className="sr-only">{t('editor.lists.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key} data-sample={r.key}>
                <td>{r.s.name}</td>
                <td>{r.kind === 'valid' ? t('editor.samples.valid') : t('editor.samples.invalid')}</td>
                {pending ? (
                  <td className="muted">{t('editor.samples.checking')}</td>
                ) : (
                  <td className={problems.has(r.key) ? 'danger' : undefined}>
                    {problems.has(r.key) ? problems.get(r.key)!.join('; ') : t('editor.samples.holds')}
                  </td>
                )}
                <td className="nowrap">
                  <button
                    type="button"
                    className="btn btn-secondary btn-small"
                    onClick={() => onOpen(r.s.data)}
                    aria-label={`${t('editor.samples.open')}: ${r.s.name}`}
                  >
                    {t('editor.samples.open')}
                  </button>{' '}
                  <button
                    type="button"
                    className="btn btn-secondary btn-small"
                    onClick={() => remove(new Set([r.key]))}
                    aria-label={`${t('editor.lists.remove')}: ${r.s.name}`}
                  >
                    {t('editor.lists.remove')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------------------------

const FIELD_CHANGES = {
  'field-available': 'editor.change.fieldAvailable',
  'field-unavailable': 'editor.change.fieldUnavailable',
  'type-field-available': 'editor.change.typeFieldAvailable',
  'type-field-unavailable': 'editor.change.typeFieldUnavailable',
} as const;

export function ChangeList({ changes, before, after }: { changes: Change[]; before: Json; after: Json }) {
  const { t, lang } = useI18n();
  const list = (schema: Json, name: string) => {
    const l = optionLists(schema).find((x) => x.name === name);
    return l ? (lang === 'ru' ? l.titleRu : l.title) : name;
  };
  const optionLabel = (schema: Json, name: string, code: string) => {
    const o = optionLists(schema)
      .find((x) => x.name === name)
      ?.options.find((x) => x.code === code);
    return o ? (lang === 'ru' ? o.titleRu || o.title : o.title) || code : code;
  };
  const text = (c: Change): { text: string; warn?: boolean } => {
    const matrix = matrixOf(after);
    switch (c.kind) {
      case 'option-added':
        return { text: t('editor.change.optionAdded', { list: list(after, c.list), option: `${optionLabel(after, c.list, c.code)} (${c.code})` }) };
      case 'option-removed': {
        const defaulted = defaultedCodes(before, c.list).includes(c.code);
        const settings = defaultSettings(before, c.list);
        const params = { list: list(before, c.list), option: `${optionLabel(before, c.list, c.code)} (${c.code})`, settings: settings.join(', ') };
        if (defaulted) return { text: t('editor.change.optionRemovedDefaulted', params), warn: true };
        if (settings.length) return { text: t('editor.change.optionRemovedSetting', params), warn: true };
        return { text: t('editor.change.optionRemoved', params) };
      }
      case 'label-changed':
        return { text: t(c.ru ? 'editor.change.labelRu' : 'editor.change.label', { list: list(after, c.list), code: c.code, from: c.from, to: c.to }) };
      case 'wire-changed':
        return { text: t('editor.change.wire', { list: list(after, c.list), code: c.code, from: c.from, to: c.to }) };
      case 'list-added':
        return { text: t('editor.change.listAdded', { list: list(after, c.list) }) };
      case 'list-removed':
        return { text: t('editor.change.listRemoved', { list: list(before, c.list) }) };
      case 'allowed-added':
      case 'allowed-removed':
        return {
          text: t(c.kind === 'allowed-added' ? 'editor.change.allowedAdded' : 'editor.change.allowedRemoved', {
            value: labelOf(after, matrix.dependent, c.value, lang),
            selector: labelOf(after, matrix.selector, c.selector, lang) || labelOf(before, matrix.selector, c.selector, lang),
          }),
        };
      case 'field-available':
      case 'field-unavailable':
      case 'type-field-available':
      case 'type-field-unavailable':
        return {
          text: t(FIELD_CHANGES[c.kind], {
            field: fieldTitle(after, c.field, lang),
            ...('selector' in c
              ? { selector: labelOf(after, matrix.selector, c.selector, lang) }
              : { value: labelOf(after, matrix.dependent, c.value, lang), dependent: fieldTitle(after, matrix.dependent, lang) }),
          }),
        };
      case 'field-added':
        return { text: t('editor.change.fieldAdded', { field: fieldTitle(after, c.field, lang) }) };
      case 'field-removed':
        return { text: t('editor.change.fieldRemoved', { field: fieldTitle(before, c.field, lang) }) };
      case 'rules-changed':
        return { text: t('editor.change.rules', { count: c.count }) };
      case 'ui-changed':
        return { text: t('editor.change.ui') };
      case 'samples-changed':
        return { text: t('editor.change.samples', { valid: c.valid, invalid: c.invalid }) };
    }
  };
  if (!changes.length) return <p data-testid="changes">{t('editor.change.none')}</p>;
  return (
    <ul data-testid="changes" className="changes">
      {changes.map((c, i) => {
        const { text: line, warn } = text(c);
        return (
          <li key={i} className={warn ? 'danger' : undefined}>
            {line}
          </li>
        );
      })}
    </ul>
  );
}

export function JsonDiff({ before, after, label }: { before: string; after: string; label: string }) {
  const lines = useMemo(() => lineDiff(before, after), [before, after]);
  if (!lines.length) return null;
  return (
    <details className="json-diff">
      <summary>{label}</summary>
      <pre className="mono code" data-testid="json-diff">
        {lines.map((l, i) => (
          <div key={i} className={l.op === '+' ? 'diff-add' : l.op === '-' ? 'diff-del' : undefined}>
            {l.line ? String(l.line).padStart(5) : '     '} {l.op} {l.text}
          </div>
        ))}
      </pre>
    </details>
  );
}
