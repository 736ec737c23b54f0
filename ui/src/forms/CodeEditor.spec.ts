import { describe, expect, it } from '@jest/globals';
import { CompletionContext } from '@codemirror/autocomplete';
import { EditorState } from '@codemirror/state';
import { ANNOTATIONS, completeAnnotation } from './CodeEditor';

function complete(text: string, explicit = false) {
  const state = EditorState.create({ doc: text });
  return completeAnnotation(new CompletionContext(state, text.length, explicit));
}

describe('completion of the annotations in the code editor', () => {
  it('offers the x- annotations and ui: options for a property name being typed', () => {
    const result = complete('{\n  "type": { "x-');
    expect(result?.from).toBe('{\n  "type": { "'.length);
    expect(result?.options.map((o) => o.label)).toEqual(ANNOTATIONS.map((a) => a.label));
    expect(result?.options.map((o) => o.label)).toEqual(
      expect.arrayContaining(['x-rucert', 'x-title-ru', 'x-default', 'x-not-future', 'x-max-serialized-length', 'ui:tabs']),
    );
    expect(complete('{ "ui:')?.from).toBe(3);
  });

  it('stays quiet elsewhere unless asked', () => {
    expect(complete('{ "title": "Comp')).toBeNull();
    expect(complete('{ 12')).toBeNull();
    expect(complete('{ "', true)?.options.length).toBe(ANNOTATIONS.length);
  });
});
