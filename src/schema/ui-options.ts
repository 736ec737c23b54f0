/**
 * The UI options a form definition's UI schema may use: the ones the export form documents and renders. rjsf
 * understands many more, and a compliance user could publish them into every analyst's dialog: markdown in help
 * texts (a phishing link appeared there), `ui:widget: hidden` or a custom `ui:field` (a field the analyst never sees
 * but sends), CSS classes and styles (which hide a field as well), labels switched off. The publish gate refuses
 * anything else (lintUiOptions), and the UI drops it from versions published before the rule (sanitizeUiSchema).
 * Browser-safe.
 *
 * Allowed, at the root of the UI schema:
 *   - `ui:order`: the property names in display order, "*" for the rest;
 *   - `ui:tabs`: [{id, title, x-title-ru?, fields: [property names]}], the Basic/Advanced tabs of the dialog;
 *   - one node per property, by its name.
 * Allowed in a property's node (and, for an array of objects, in `items` and its properties' nodes):
 *   - `ui:help` and `ui:placeholder`: plain text (never markdown), at most 2,000 characters;
 *   - `ui:widget`: one of text, textarea, select, radio, checkbox;
 *   - `ui:options`: {rows: 1–50, orderable, addable, removable: booleans};
 *   - `ui:order` for an object's properties.
 */
import { isObject } from './json';
import { pointer } from './json-pointer';

export interface UiOptionProblem {
  /** JSON Pointer into the UI schema. */
  path: string;
  message: string;
}

export const UI_WIDGETS = ['text', 'textarea', 'select', 'radio', 'checkbox'];
const MAX_TEXT = 2000;
const TAB_KEYS = new Set(['id', 'title', 'x-title-ru', 'fields']);

type Check = (value: unknown) => string | undefined;

const plainText: Check = (v) => (typeof v === 'string' && v.length <= MAX_TEXT ? undefined : `must be plain text of at most ${MAX_TEXT} characters`);
const names: Check = (v) => (Array.isArray(v) && v.every((n) => typeof n === 'string') ? undefined : 'must be an array of property names');

/** The members of `ui:options` that are true or false. */
export const UI_BOOLEAN_OPTIONS = ['orderable', 'addable', 'removable'];
const boolean: Check = (v) => (typeof v === 'boolean' ? undefined : 'must be true or false');

const OPTION_CHECKS: Record<string, Check> = {
  rows: (v) => (Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 50 ? undefined : 'must be an integer from 1 to 50'),
  ...Object.fromEntries(UI_BOOLEAN_OPTIONS.map((option) => [option, boolean])),
};

const FIELD_CHECKS: Record<string, Check> = {
  'ui:help': plainText,
  'ui:placeholder': plainText,
  'ui:widget': (v) => (typeof v === 'string' && UI_WIDGETS.includes(v) ? undefined : `must be one of ${UI_WIDGETS.join(', ')}`),
  'ui:order': names,
  // checked key by key below
  'ui:options': (v) => (isObject(v) ? undefined : 'must be an object'),
};

const ROOT_CHECKS: Record<string, Check> = {
  'ui:order': names,
  'ui:tabs': (v) =>
    Array.isArray(v) && v.every((tab) => isObject(tab) && Object.keys(tab).every((k) => TAB_KEYS.has(k)))
      ? undefined
      : 'must be an array of {id, title, x-title-ru, fields}',
};

const allowedList = (checks: Record<string, Check>) => Object.keys(checks).join(', ');

/** Every UI option the product does not offer, with where it is; property names are checked by the gate. */
export function lintUiOptions(uiSchema: Record<string, unknown>, base = ''): UiOptionProblem[] {
  const problems: UiOptionProblem[] = [];
  for (const [key, value] of Object.entries(uiSchema)) {
    const at = pointer(base, key);
    if (key.startsWith('ui:')) {
      const check = ROOT_CHECKS[key];
      if (!check) problems.push({ path: at, message: `"${key}" is not a UI option of the form's root; allowed: ${allowedList(ROOT_CHECKS)}` });
      else addProblem(problems, at, key, check(value));
    } else {
      lintNode(value, at, problems);
    }
  }
  return problems;
}

function lintNode(node: unknown, path: string, problems: UiOptionProblem[]): void {
  if (!isObject(node)) {
    problems.push({ path, message: 'a property of the UI schema is an object of UI options' });
    return;
  }
  for (const [key, value] of Object.entries(node)) {
    const at = pointer(path, key);
    if (!key.startsWith('ui:')) {
      lintNode(value, at, problems); // `items`, or a nested property's node
      continue;
    }
    const check = FIELD_CHECKS[key];
    if (!check) {
      problems.push({ path: at, message: `"${key}" is not a UI option the form offers; allowed: ${allowedList(FIELD_CHECKS)}` });
      continue;
    }
    addProblem(problems, at, key, check(value));
    if (key === 'ui:options' && isObject(value)) {
      for (const [option, optionValue] of Object.entries(value)) {
        const optionCheck = OPTION_CHECKS[option];
        const optionAt = pointer(at, option);
        if (!optionCheck) problems.push({ path: optionAt, message: `"${option}" is not an option the form offers; allowed: ${allowedList(OPTION_CHECKS)}` });
        else addProblem(problems, optionAt, option, optionCheck(optionValue));
      }
    }
  }
}

function addProblem(problems: UiOptionProblem[], path: string, key: string, problem: string | undefined): void {
  if (problem) problems.push({ path, message: `"${key}" ${problem}` });
}

/** A copy of the UI schema without what lintUiOptions refuses: versions published before the rule render safely. */
export function sanitizeUiSchema(uiSchema: unknown): Record<string, unknown> {
  if (!isObject(uiSchema)) return {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(uiSchema)) {
    if (key.startsWith('ui:')) {
      if (ROOT_CHECKS[key] && !ROOT_CHECKS[key](value)) out[key] = value;
    } else if (isObject(value)) {
      out[key] = sanitizeNode(value, 0);
    }
  }
  return out;
}

function sanitizeNode(node: Record<string, unknown>, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (depth > 64) return out;
  for (const [key, value] of Object.entries(node)) {
    if (!key.startsWith('ui:')) {
      if (isObject(value)) out[key] = sanitizeNode(value, depth + 1);
    } else if (key === 'ui:options' && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).filter(([option, v]) => OPTION_CHECKS[option] && !OPTION_CHECKS[option](v)));
    } else if (FIELD_CHECKS[key] && !FIELD_CHECKS[key](value)) {
      out[key] = value;
    }
  }
  return out;
}
