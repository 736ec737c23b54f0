// A form definition rendered by rjsf: the display schema follows the data (rules, language), data of hidden fields
// is dropped as the user types, validation runs the server's ajv configuration against the definition, and errors
// from the server land on their fields. Used by the export dialog and the compliance editor's live preview.
import Form, { type IChangeEvent } from '@rjsf/core';
import { englishStringTranslator, TranslatableString, type ErrorSchema, type RJSFValidationError } from '@rjsf/utils';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { FieldError } from '../../../src/schema/validator';
import { useI18n, type Lang } from '../common/i18n';
import { pointerSegments, prune, resolve, type Definition, type FormData } from './definition';
import { tabOfField, templates, type FormContext } from './templates';
import { createDefinitionValidator, toErrorSchema } from './validator';

const RU_STRINGS: Partial<Record<TranslatableString, string>> = {
  [TranslatableString.YesLabel]: 'Да',
  [TranslatableString.NoLabel]: 'Нет',
  [TranslatableString.AddButton]: 'Добавить',
  [TranslatableString.AddItemButton]: 'Добавить новый элемент',
  [TranslatableString.RemoveButton]: 'Удалить',
  [TranslatableString.ArrayItemTitle]: 'Элемент',
  [TranslatableString.EmptyArray]: 'Пока нет ни одной строки. Добавьте её кнопкой ниже.',
  [TranslatableString.NowLabel]: 'Сейчас',
  [TranslatableString.ClearLabel]: 'Очистить',
};

function translator(lang: Lang) {
  return (key: TranslatableString, params?: string[]) => (lang === 'ru' && RU_STRINGS[key] ? RU_STRINGS[key]! : englishStringTranslator(key, params));
}

const DEFAULTS_BEHAVIOR = { constAsDefaults: 'never' } as const;

export interface SchemaFormProps {
  definition: Definition;
  formData: FormData;
  onChange(data: FormData): void;
  onSubmit(data: FormData): void;
  /** Errors the server reported for this data (problem details `errors`), shown on their fields. */
  serverErrors?: FieldError[];
  idPrefix: string;
  disabled?: boolean;
  children?: ReactNode;
}

/** Top-level field name of a rjsf error property (".productInfo.0.name" → "productInfo"). */
function topField(property: string | undefined): string {
  return (property ?? '').replace(/^\./, '').split('.')[0] ?? '';
}

function valueAt(data: unknown, path: string): string {
  let node = data as Record<string, unknown> | undefined;
  for (const segment of pointerSegments(path)) node = node && typeof node === 'object' ? (node[segment] as Record<string, unknown>) : undefined;
  return JSON.stringify(node ?? null);
}

export function SchemaForm({ definition, formData, onChange, onSubmit, serverErrors: reported, idPrefix, disabled, children }: SchemaFormProps) {
  // a server error stays on its field until the user changes that field's value
  const snapshot = useMemo(
    () => new Map((reported ?? []).map((e) => [e.path, valueAt(formData, e.path)])),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [reported],
  );
  const serverErrors = useMemo(() => reported?.filter((e) => snapshot.get(e.path) === valueAt(formData, e.path)), [reported, snapshot, formData]);
  const { lang, t } = useI18n();
  const resolved = useMemo(() => resolve(definition, formData, lang), [definition, formData, lang]);
  // rjsf re-derives a lot when the schema object changes; keep the same object while the rendering is the same
  const stable = useStableByJson(resolved);
  const validator = useMemo(() => createDefinitionValidator(definition.schema, lang), [definition.schema, lang]);
  const [activeTab, setActiveTab] = useState(resolved.tabs[0]?.id ?? '');
  const [clientErrorCount, setClientErrorCount] = useState(0);
  const [pendingFocus, setPendingFocus] = useState<string | null>(null);
  const formContext = useMemo<FormContext>(() => ({ tabs: stable.tabs, activeTab, setActiveTab, t, idPrefix }), [stable.tabs, activeTab, t, idPrefix]);
  const extraErrors = useMemo<ErrorSchema | undefined>(() => (serverErrors?.length ? toErrorSchema(serverErrors) : undefined), [serverErrors]);

  const focusField = (segments: string[]) => {
    const tab = segments[0] ? tabOfField(stable.tabs, segments[0]) : undefined;
    if (tab) setActiveTab(tab);
    setPendingFocus([idPrefix, ...segments].join('_'));
  };

  // server errors: show the tab of the first one and put the cursor there
  useEffect(() => {
    if (reported?.length) focusField(pointerSegments(reported[0].path));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [reported]);

  useEffect(() => {
    if (!pendingFocus) return;
    let id = pendingFocus;
    // an array or object has no input of its own: its first control will do
    let el = document.getElementById(id);
    while (!el && id.includes('_')) {
      id = id.slice(0, id.lastIndexOf('_'));
      el = document.getElementById(id);
    }
    const target = el?.matches('input,select,textarea,button') ? el : el?.querySelector<HTMLElement>('input,select,textarea,button');
    target?.focus();
    setPendingFocus(null);
  }, [pendingFocus]);

  const onError = (errors: RJSFValidationError[]) => {
    setClientErrorCount(errors.length);
    if (errors[0]) focusField(topField(errors[0].property) ? (errors[0].property ?? '').replace(/^\./, '').split('.') : []);
  };

  const errorCount = clientErrorCount + (serverErrors?.length ?? 0);
  const unplaced = (serverErrors ?? []).filter((e) => !resolved.visible.includes(pointerSegments(e.path)[0] ?? ''));

  return (
    <div className="schema-form">
      <div aria-live="assertive" className="error-summary-region">
        {errorCount > 0 ? (
          <div className="banner banner-error" role="alert">
            {t('export.errorsAbove', { count: errorCount })}
            {unplaced.length ? (
              <ul>
                {unplaced.map((e, i) => (
                  <li key={i}>
                    <code>{e.path || '/'}</code> {e.message}
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null}
      </div>
      <Form
        schema={stable.schema}
        uiSchema={stable.uiSchema}
        formData={formData}
        validator={validator}
        idPrefix={idPrefix}
        formContext={formContext}
        templates={templates}
        translateString={translator(lang)}
        extraErrors={extraErrors}
        showErrorList={false}
        // a oneOf of consts is a drop-down, not a choice to default to its first option
        experimental_defaultFormStateBehavior={DEFAULTS_BEHAVIOR}
        noHtml5Validate
        disabled={disabled}
        onChange={(e: IChangeEvent) => {
          const next = prune(definition, e.formData as FormData);
          if (clientErrorCount) setClientErrorCount(0);
          onChange(next);
        }}
        onError={onError}
        onSubmit={(e: IChangeEvent) => {
          setClientErrorCount(0);
          onSubmit(prune(definition, e.formData as FormData));
        }}
      >
        {children}
      </Form>
    </div>
  );
}

function useStableByJson<T>(value: T): T {
  const ref = useRef<{ key: string; value: T } | null>(null);
  const key = JSON.stringify(value);
  if (!ref.current || ref.current.key !== key) ref.current = { key, value };
  return ref.current.value;
}
