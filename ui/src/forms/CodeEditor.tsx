// The raw JSON of a form definition in CodeMirror 6 (bundled, loaded with the editor only): syntax highlighting,
// folding, bracket matching, search, the publish gate's problems shown in place at their line, and completion of the
// `x-` annotations and UI options the product documents (docs/form-definitions.md, src/schema/ui-options.ts).
import { autocompletion, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { json } from '@codemirror/lang-json';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { useEffect, useRef } from 'react';
import type { Marker } from './EditorPanels';

/** What a property name may be, beyond JSON Schema's own keywords. */
export const ANNOTATIONS: Array<{ label: string; info: string }> = [
  { label: 'x-rucert', info: 'wire mapping: {"field": "<wire name>", "type"?} on a property, the wire string on an option' },
  { label: 'x-title-ru', info: 'the Russian label' },
  { label: 'x-description-ru', info: 'the Russian help text' },
  { label: 'x-default', info: 'where an omitted field comes from: {"setting": …} or {"incident": …}, with map, pick, where, fill' },
  { label: 'x-not-future', info: 'a date-time that must not lie in the future' },
  { label: 'x-max-serialized-length', info: 'the most characters of JSON the wire form of a list may take' },
  { label: 'x-supplement', info: 'the fields a supplement may send, and when' },
  { label: 'ui:tabs', info: 'UI schema: [{id, title, x-title-ru, fields}]' },
  { label: 'ui:order', info: 'UI schema: the order of the fields' },
  { label: 'ui:widget', info: 'UI schema: textarea, radio, checkboxes, …' },
  { label: 'ui:help', info: 'UI schema: a help text under the field' },
  { label: 'ui:placeholder', info: 'UI schema: a placeholder' },
  { label: 'ui:options', info: 'UI schema: rows, orderable, …' },
];

/** Completion of a property name being typed (`"x-…` or `"ui:…`). */
export function completeAnnotation(context: CompletionContext): CompletionResult | null {
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
