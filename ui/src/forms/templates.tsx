// rjsf templates of the app: the root object laid out in the tabs its UI schema declares (`ui:tabs`, not
// hard-coded fields), arrays of small objects as lists of rows (one column per property, errors in the cell), errors
// rendered next to their fields and announced, text buttons for array rows.
import { getDefaultRegistry } from '@rjsf/core';
import {
  errorId,
  getTemplate,
  getUiOptions,
  buttonId,
  orderProperties,
  type ArrayFieldItemTemplateProps,
  type ArrayFieldTemplateProps,
  type FieldErrorProps,
  type IconButtonProps,
  type ObjectFieldTemplateProps,
} from '@rjsf/utils';
import { createContext, useContext, useRef, type CSSProperties, type KeyboardEvent } from 'react';
import type { Translate } from '../common/i18n';
import { isListOfRows, type Json, type TabSpec } from './definition';

export interface FormContext {
  tabs: TabSpec[];
  activeTab: string;
  setActiveTab(id: string): void;
  t: Translate;
  idPrefix: string;
}

const Defaults = getDefaultRegistry().templates;

function countErrors(node: unknown): number {
  if (!node || typeof node !== 'object') return 0;
  let n = 0;
  for (const [key, value] of Object.entries(node)) {
    if (key === '__errors') n += Array.isArray(value) ? value.length : 0;
    else n += countErrors(value);
  }
  return n;
}

/** Which tab a top-level field lives on; fields no tab names go on the first one, so nothing is ever lost. */
export function tabOfField(tabs: TabSpec[], field: string): string | undefined {
  return (tabs.find((tab) => tab.fields.includes(field)) ?? tabs[0])?.id;
}

/** Set by a list of rows for its items: each item is one row, its properties the cells. */
const RowContext = createContext<{ label: string } | null>(null);

export function TabsObjectFieldTemplate(props: ObjectFieldTemplateProps) {
  const ctx = props.registry.formContext as FormContext | undefined;
  const row = useContext(RowContext);
  const isRoot = props.fieldPathId.path.length === 0;
  const tabRefs = useRef<Record<string, HTMLButtonElement | null>>({});
  if (row && !isRoot) return <RowCells {...props} />;
  if (!isRoot || !ctx || ctx.tabs.length === 0) return <Defaults.ObjectFieldTemplate {...props} />;

  const { tabs: declared, activeTab, setActiveTab, t, idPrefix } = ctx;
  // a tab whose fields the rules all hide now (technical details while offline) is not offered; the first always is
  const tabs = declared.filter((tab, i) => i === 0 || props.properties.some((p) => tabOfField(declared, p.name) === tab.id));
  const current = tabs.some((tab) => tab.id === activeTab) ? activeTab : tabs[0].id;
  const byTab = new Map<string, typeof props.properties>(tabs.map((tab) => [tab.id, []]));
  for (const prop of props.properties) byTab.get(tabOfField(tabs, prop.name)!)!.push(prop);
  const errorSchema = (props.errorSchema ?? {}) as Record<string, unknown>;

  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>, index: number) => {
    let next = -1;
    if (e.key === 'ArrowRight') next = (index + 1) % tabs.length;
    else if (e.key === 'ArrowLeft') next = (index - 1 + tabs.length) % tabs.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = tabs.length - 1;
    if (next < 0) return;
    e.preventDefault();
    setActiveTab(tabs[next].id);
    tabRefs.current[tabs[next].id]?.focus();
  };

  return (
    <div className="form-tabs" id={props.fieldPathId.$id}>
      <div role="tablist" aria-label={t('form.tabs')} className="tablist">
        {tabs.map((tab, index) => {
          const errors = byTab.get(tab.id)!.reduce((n, p) => n + countErrors(errorSchema[p.name]), 0);
          const selected = tab.id === current;
          return (
            <button
              key={tab.id}
              ref={(el) => {
                tabRefs.current[tab.id] = el;
              }}
              type="button"
              role="tab"
              id={`${idPrefix}-tab-${tab.id}`}
              aria-selected={selected}
              aria-controls={`${idPrefix}-panel-${tab.id}`}
              tabIndex={selected ? 0 : -1}
              className={`tab${selected ? ' tab-selected' : ''}${errors ? ' tab-has-errors' : ''}`}
              onClick={() => setActiveTab(tab.id)}
              onKeyDown={(e) => onKeyDown(e, index)}
            >
              {tab.title}
              {errors ? <span className="tab-errors"> ({t('export.tabErrors', { count: errors })})</span> : null}
            </button>
          );
        })}
      </div>
      {tabs.map((tab) => (
        <div
          key={tab.id}
          role="tabpanel"
          id={`${idPrefix}-panel-${tab.id}`}
          aria-labelledby={`${idPrefix}-tab-${tab.id}`}
          hidden={tab.id !== current}
          className="tabpanel"
        >
          {byTab.get(tab.id)!.map((p) => p.content)}
        </div>
      ))}
    </div>
  );
}

interface Column {
  name: string;
  title: string;
  required: boolean;
}

function columnsOf(schema: Json, uiSchema: Json): Column[] {
  const items = schema.items ?? {};
  const names = orderProperties(Object.keys(items.properties ?? {}), uiSchema?.items?.['ui:order']);
  return names
    .filter((name) => name !== '*' && uiSchema?.items?.[name]?.['ui:widget'] !== 'hidden')
    .map((name) => ({
      name,
      title: String(items.properties[name]?.title ?? name),
      required: Array.isArray(items.required) && items.required.includes(name),
    }));
}

/**
 * An array of small objects as a list: a header row of column titles (the inputs keep their own labels for screen
 * readers), one row per item with a Remove button, "Add new element" underneath. Other arrays render as rjsf does.
 */
export function ListArrayFieldTemplate(props: ArrayFieldTemplateProps) {
  const { canAdd, className, disabled, fieldPathId, items, onAddClick, readonly, registry, required, schema, title, uiSchema } = props;
  if (!isListOfRows(schema)) return <Defaults.ArrayFieldTemplate {...props} />;
  const uiOptions = getUiOptions(uiSchema);
  const TitleTemplate = getTemplate('ArrayFieldTitleTemplate', registry, uiOptions);
  const DescriptionTemplate = getTemplate('ArrayFieldDescriptionTemplate', registry, uiOptions);
  const { AddButton } = registry.templates.ButtonTemplates;
  const ctx = registry.formContext as FormContext | undefined;
  const columns = columnsOf(schema, uiSchema);
  const heading = String(uiOptions.title || title || '');
  const row = { label: String((schema.items as Json)?.title ?? heading) };
  return (
    <fieldset className={`${className ?? ''} list-editor`} id={fieldPathId.$id}>
      <TitleTemplate fieldPathId={fieldPathId} title={heading} required={required} schema={schema} uiSchema={uiSchema} registry={registry} />
      <DescriptionTemplate
        fieldPathId={fieldPathId}
        description={uiOptions.description || schema.description}
        schema={schema}
        uiSchema={uiSchema}
        registry={registry}
      />
      {items.length > 0 ? (
        <div className="list-rows" style={{ '--list-columns': columns.length } as CSSProperties}>
          <div className="list-row list-head" aria-hidden="true">
            <div className="list-cells">
              {columns.map((c) => (
                <div key={c.name} className="list-head-cell">
                  {c.title}
                  {c.required ? <span className="required">*</span> : null}
                </div>
              ))}
            </div>
            <div className="list-row-actions" />
          </div>
          <RowContext.Provider value={row}>{items}</RowContext.Provider>
        </div>
      ) : (
        <p className="muted list-empty">{ctx?.t('form.emptyList') ?? ''}</p>
      )}
      {canAdd ? (
        <AddButton
          id={buttonId(fieldPathId, 'add')}
          className="rjsf-array-item-add"
          onClick={onAddClick}
          disabled={disabled || readonly}
          uiSchema={uiSchema}
          registry={registry}
        />
      ) : null}
    </fieldset>
  );
}

export function ListArrayFieldItemTemplate(props: ArrayFieldItemTemplateProps) {
  const row = useContext(RowContext);
  if (!row) return <Defaults.ArrayFieldItemTemplate {...props} />;
  const { children, buttonsProps, hasToolbar, index, registry, uiSchema } = props;
  const Buttons = getTemplate('ArrayFieldItemButtonsTemplate', registry, getUiOptions(uiSchema));
  return (
    <div className="list-row" role="group" aria-label={`${row.label} ${index + 1}`}>
      <div className="list-row-content">{children}</div>
      <div className="list-row-actions">{hasToolbar ? <Buttons {...buttonsProps} /> : null}</div>
    </div>
  );
}

/** One item of a list of rows: its properties side by side, each in its cell with its own errors. */
function RowCells({ fieldPathId, properties }: ObjectFieldTemplateProps) {
  return (
    <div className="list-cells" id={fieldPathId.$id}>
      {properties.map((p) =>
        p.hidden ? (
          p.content
        ) : (
          <div key={p.name} className="list-cell">
            {p.content}
          </div>
        ),
      )}
    </div>
  );
}

export function FieldErrorTemplate({ errors = [], fieldPathId }: FieldErrorProps) {
  const list = errors.filter(Boolean);
  if (list.length === 0) return null;
  return (
    <ul id={errorId(fieldPathId)} className="field-errors" aria-live="polite">
      {list.map((error, i) => (
        <li key={i}>{error}</li>
      ))}
    </ul>
  );
}

function buttonLabel(props: IconButtonProps, key: 'form.add' | 'form.remove'): string {
  const ctx = props.registry.formContext as FormContext | undefined;
  return ctx?.t(key) ?? (key === 'form.add' ? 'Add new element' : 'Remove');
}

export function AddButton(props: IconButtonProps) {
  const { id, className, onClick, disabled } = props;
  return (
    <button type="button" id={id} className={`btn btn-secondary ${className ?? ''}`} onClick={onClick} disabled={disabled}>
      <span aria-hidden="true">+ </span>
      {buttonLabel(props, 'form.add')}
    </button>
  );
}

export function RemoveButton(props: IconButtonProps) {
  const { id, className, onClick, disabled } = props;
  return (
    <button type="button" id={id} className={`btn btn-link btn-danger ${className ?? ''}`} onClick={onClick} disabled={disabled}>
      {buttonLabel(props, 'form.remove')}
    </button>
  );
}

export const templates = {
  ObjectFieldTemplate: TabsObjectFieldTemplate,
  ArrayFieldTemplate: ListArrayFieldTemplate,
  ArrayFieldItemTemplate: ListArrayFieldItemTemplate,
  FieldErrorTemplate,
  ButtonTemplates: { AddButton, RemoveButton },
};
