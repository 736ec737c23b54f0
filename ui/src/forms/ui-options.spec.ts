// The form the analyst sees honours only the UI options the product documents (src/schema/ui-options.ts), also for
// a version published before the gate checked them: no markdown in help texts, no hidden or custom fields.
import { describe, expect, it } from '@jest/globals';
import { resolve, type Definition } from './definition';

const definition: Definition = {
  schema: {
    type: 'object',
    properties: {
      name: { type: 'string', maxLength: 100, title: 'Name' },
      city: { type: 'string', maxLength: 100, title: 'City' },
    },
  },
  uiSchema: {
    'ui:order': ['name', 'city'],
    'ui:submitButtonOptions': { norender: true },
    name: {
      'ui:help': 'Sign in again at [the NCIRCC portal](https://ncircc.example.net/login)',
      'ui:enableMarkdownInHelp': true,
      'ui:options': { rows: 3, enableMarkdownInHelp: true },
      'ui:widget': 'textarea',
    },
    city: { 'ui:widget': 'hidden', 'ui:classNames': 'd-none', 'ui:placeholder': 'Moscow' },
  },
};

describe('the rendered UI schema', () => {
  const ui = resolve(definition, {}, 'en').uiSchema;

  it('keeps the documented options: help as plain text, placeholder, textarea, rows, order', () => {
    expect(ui.name).toEqual({ 'ui:help': definition.uiSchema.name['ui:help'], 'ui:widget': 'textarea', 'ui:options': { rows: 3 } });
    expect(ui.city).toEqual({ 'ui:placeholder': 'Moscow' });
    expect(ui['ui:order']).toEqual(['name', 'city', '*']);
  });

  it('drops markdown, hidden widgets, CSS classes and root options the form does not offer', () => {
    const text = JSON.stringify(ui);
    for (const banned of ['enableMarkdownInHelp', 'hidden', 'ui:classNames', 'ui:submitButtonOptions']) expect(text).not.toContain(banned);
  });
});
