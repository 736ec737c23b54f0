import { describe, expect, it } from '@jest/globals';
import { CompletionContext } from '@codemirror/autocomplete';
import { EditorState } from '@codemirror/state';
import { SCHEMA_ANNOTATION_KEYWORDS, WIRE_TYPES } from '../../../src/schema/schema-ajv';
import { lintUiOptions, UI_WIDGETS } from '../../../src/schema/ui-options';
import { ANNOTATIONS, completeAnnotation } from './CodeEditor';

/** Completion at the cursor "|" (the end of the text without one). */
function complete(text: string, explicit = false) {
  const pos = text.includes('|') ? text.indexOf('|') : text.length;
  const state = EditorState.create({ doc: text.replace('|', '') });
  return { state, result: completeAnnotation(new CompletionContext(state, pos, explicit)) };
}

/** The text once the completion's option `label` is applied, as the editor applies it. */
function apply(text: string, label: string): string {
  const { state, result } = complete(text);
  const option = result?.options.find((o) => o.label === label);
  if (!result || !option) throw new Error(`no option ${label} at ${text}`);
  return state.update({ changes: { from: result.from, to: result.to ?? state.selection.main.head, insert: option.label } }).state.doc.toString();
}

const labels = (text: string) => complete(text).result?.options.map((o) => o.label);

describe('completion of the annotations in the code editor', () => {
  it('offers the x- annotations and ui: options for a property name being typed', () => {
    const { result } = complete('{\n  "type": { "x-');
    expect(result?.from).toBe('{\n  "type": { "'.length);
    expect(result?.options.map((o) => o.label)).toEqual(ANNOTATIONS.map((a) => a.label));
    // every keyword the validator declares, and the UI options the form renders
    expect(result?.options.map((o) => o.label)).toEqual(expect.arrayContaining([...SCHEMA_ANNOTATION_KEYWORDS, 'ui:tabs', 'ui:widget', 'ui:options']));
    expect(complete('{ "ui:').result?.from).toBe(3);
  });

  it('stays quiet elsewhere unless asked', () => {
    expect(complete('{ "title": "Comp').result).toBeNull();
    expect(complete('{ 12').result).toBeNull();
    expect(complete('{ "', true).result?.options.length).toBe(ANNOTATIONS.length);
  });
});

describe('completion of the values the product knows', () => {
  it('offers the widgets the form renders after "ui:widget", and every one passes the gate', () => {
    expect(labels('{ "city": { "ui:widget": ')).toEqual(UI_WIDGETS.map((w) => JSON.stringify(w)));
    expect(apply('{ "city": { "ui:widget": ', '"textarea"')).toBe('{ "city": { "ui:widget": "textarea"');
    // with the quotes typed (the editor closes them), the value replaces both
    expect(apply('{ "city": { "ui:widget": "te|" } }', '"textarea"')).toBe('{ "city": { "ui:widget": "textarea" } }');
    for (const label of labels('{ "city": { "ui:widget": ')!) expect(lintUiOptions({ city: { 'ui:widget': JSON.parse(label) } })).toEqual([]);
  });

  it('offers true and false for a boolean annotation and for the boolean members of "ui:options"', () => {
    expect(labels('{ "incidentEndTime": { "format": "date-time", "x-not-future": ')).toEqual(['true', 'false']);
    expect(apply('{ "x-not-future": tr|\n}', 'true')).toBe('{ "x-not-future": true\n}');
    expect(labels('{ "list": { "ui:options": { "rows": 3, "orderable": ')).toEqual(['true', 'false']);
    expect(labels('{ "list": {\n  "ui:options": {\n    "addable": f')).toEqual(['true', 'false']);
    // the same name outside "ui:options" is a property like any other
    expect(complete('{ "properties": { "orderable": ').result).toBeNull();
    expect(complete('{ "list": { "ui:options": { "rows": 3 }, "orderable": ').result).toBeNull();
  });

  it('offers the wire types inside "x-rucert"', () => {
    expect(labels('{ "inn": { "x-rucert": { "field": "rkn_inn", "type": "')).toEqual(WIRE_TYPES.map((w) => JSON.stringify(w)));
    // a property's own "type" is JSON Schema's, not a wire type
    expect(complete('{ "inn": { "x-rucert": { "field": "rkn_inn" }, "type": "').result).toBeNull();
  });

  it('offers nothing for a value the product does not enumerate', () => {
    expect(complete('{ "x-title-ru": "').result).toBeNull();
    expect(complete('{ "x-max-serialized-length": ').result).toBeNull();
    expect(complete('{ "ui:help": "').result).toBeNull();
  });
});
