// The raw JSON of a form definition in CodeMirror 6 (bundled, loaded with the editor only): syntax highlighting,
// folding, bracket matching, search, the publish gate's problems shown in place at their line, and completion of the
// `x-` annotations and UI options the product documents (docs/form-definitions.md, src/schema/ui-options.ts), and of
// their values where the product knows the set (the widgets it renders, the wire types, true or false).
import { autocompletion, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { json } from '@codemirror/lang-json';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { useEffect, useRef } from 'react';
import { SCHEMA_ANNOTATION_KEYWORDS, WIRE_TYPES } from '../../../src/schema/schema-ajv';
import { UI_BOOLEAN_OPTIONS, UI_WIDGETS } from '../../../src/schema/ui-options';
import type { Marker } from './EditorPanels';

type Value = string | boolean;
const BOOLEANS: Value[] = [true, false];

interface Annotation {
  label: string;
  info: string;
  /** The values it takes, where they are a known set. */
  values?: readonly Value[];
  /** The same for the members of the object it holds. */
  members?: Record<string, readonly Value[]>;
}

/** The x- annotations, named by the keywords the one ajv configuration declares. */
const X_ANNOTATIONS: Record<(typeof SCHEMA_ANNOTATION_KEYWORDS)[number], Omit<Annotation, 'label'>> = {
  'x-rucert': {
    info: 'wire mapping: {"field": "<wire name>", "type"?} on a property, the wire string on an option',
    members: { type: WIRE_TYPES },
  },
  'x-title-ru': { info: 'the Russian label' },
  'x-description-ru': { info: 'the Russian help text' },
  'x-default': { info: 'where an omitted field comes from: {"setting": …} or {"incident": …}, with map, pick, where, fill' },
  'x-not-future': { info: 'a date-time that must not lie in the future', values: BOOLEANS },
  'x-max-serialized-length': { info: 'the most characters of JSON the wire form of a list may take' },
  'x-supplement': { info: 'the fields a supplement may send, and when' },
};

/** What a property name may be, beyond JSON Schema's own keywords, and the values of those that take a known set. */
export const ANNOTATIONS: Annotation[] = [
  ...SCHEMA_ANNOTATION_KEYWORDS.map((label) => ({ label, ...X_ANNOTATIONS[label] })),
  { label: 'ui:tabs', info: 'UI schema: [{id, title, x-title-ru, fields}]' },
  { label: 'ui:order', info: 'UI schema: the order of the fields' },
  { label: 'ui:widget', info: `UI schema: ${UI_WIDGETS.join(', ')}`, values: UI_WIDGETS },
  { label: 'ui:help', info: 'UI schema: a help text under the field' },
  { label: 'ui:placeholder', info: 'UI schema: a placeholder' },
  {
    label: 'ui:options',
    info: `UI schema: rows, ${UI_BOOLEAN_OPTIONS.join(', ')}`,
    members: Object.fromEntries(UI_BOOLEAN_OPTIONS.map((option) => [option, BOOLEANS])),
  },
];

/** Completion of an annotation's name being typed (`"x-…`, `"ui:…`), or of its value where the set is known. */
export function completeAnnotation(context: CompletionContext): CompletionResult | null {
  return completeValue(context) ?? completeName(context);
}

function completeName(context: CompletionContext): CompletionResult | null {
  const word = context.matchBefore(/"[\w:-]*/);
  if (!word || (word.from === word.to && !context.explicit)) return null;
  const typed = word.text.slice(1);
  if (!context.explicit && !/^(x|ui)/.test(typed)) return null;
  return {
    from: word.from + 1,
    options: ANNOTATIONS.map((a) => ({ label: a.label, type: 'property', info: a.info })),
    validFor: /^[\w:-]*$/,
  };
}

const VALUE_BEFORE = /"([\w:-]+)"\s*:\s*("[\w-]*|[a-z]*)$/;

/** After `"<name>": `, the values of an annotation (or of a member of one, `"ui:options": {"orderable": `). */
function completeValue(context: CompletionContext): CompletionResult | null {
  const match = context.matchBefore(VALUE_BEFORE);
  if (!match) return null;
  const [, name, typed] = VALUE_BEFORE.exec(match.text)!;
  const values =
    ANNOTATIONS.find((a) => a.label === name)?.values ??
    ANNOTATIONS.find((a) => a.label === enclosingName(context.state.sliceDoc(0, match.from)))?.members?.[name];
  if (!values) return null;
  // an opening quote typed brings its closing one: the value replaces both
  const closing = typed.startsWith('"') && context.state.sliceDoc(context.pos, context.pos + 1) === '"';
  return {
    from: context.pos - typed.length,
    to: context.pos + (closing ? 1 : 0),
    options: values.map((v) => ({ label: JSON.stringify(v), type: typeof v === 'boolean' ? 'keyword' : 'enum' })),
    validFor: /^("[\w-]*"?|[a-z]*)$/,
  };
}

/** The name of the property holding the object (or list) open at the end of `text`, read as JSON so far. */
function enclosingName(text: string): string | undefined {
  const holders: Array<string | undefined> = [];
  let last: string | undefined;
  let name: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let end = i + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      last = text.slice(i + 1, end);
      i = end;
    } else if (c === ':') name = last;
    else if (c === ',') name = undefined;
    else if (c === '{' || c === '[') {
      holders.push(name);
      name = undefined;
    } else if (c === '}' || c === ']') holders.pop();
  }
  return holders[holders.length - 1];
}

function diagnostics(state: EditorState, markers: Marker[]): Diagnostic[] {
  return markers
    .filter((m) => m.line >= 1 && m.line <= state.doc.lines)
    .map((m) => {
      const line = state.doc.line(m.line);
      const indent = /^\s*/.exec(line.text)![0].length;
      return { from: line.from + indent, to: line.to, severity: 'error', message: m.message, source: m.path };
    });
}

export interface CodeEditorHandle {
  goTo(line: number): void;
}

export function CodeEditor({
  labelId,
  value,
  onChange,
  markers,
  handle,
}: {
  labelId: string;
  value: string;
  onChange(text: string): void;
  markers: Marker[];
  handle?: { current: CodeEditorHandle | null };
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const change = useRef(onChange);
  change.current = onChange;

  useEffect(() => {
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          basicSetup,
          json(),
          lintGutter(),
          autocompletion({ override: [completeAnnotation] }),
          EditorView.contentAttributes.of({ 'aria-labelledby': labelId }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) change.current(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = v;
    // for the browser specs, as a textarea's value would be: read and replace the whole text
    Object.defineProperty(host.current!, 'editorView', { value: v, configurable: true });
    if (handle)
      handle.current = {
        goTo(line) {
          const target = v.state.doc.line(Math.min(Math.max(1, line), v.state.doc.lines));
          v.dispatch({ selection: { anchor: target.from, head: target.to }, effects: EditorView.scrollIntoView(target.from, { y: 'center' }) });
          v.focus();
        },
      };
    return () => {
      v.destroy();
      view.current = null;
      if (handle) handle.current = null;
    };
    // the view is made once; value and markers are pushed into it below
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== value) v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
  }, [value]);

  useEffect(() => {
    const v = view.current;
    if (v) v.dispatch(setDiagnostics(v.state, diagnostics(v.state, markers)));
  }, [markers, value]);

  return <div ref={host} className="code-mirror" data-testid={`${labelId}-code`} />;
}
