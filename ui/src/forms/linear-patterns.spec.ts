// The browser evaluates a definition's patterns on what the analyst types (rules in definition.ts, rjsf's option
// matching in validator.ts, the validation itself): each must run on the linear-time engine, as the server does,
// or not at all. A backtracking RegExp would freeze the analyst's tab on `^([^!]+)+$` and 31 × "a" + "!".
import { describe, expect, it } from '@jest/globals';
import { performance } from 'node:perf_hooks';
import { resolve, type Definition } from './definition';
import type { RJSFSchema } from '@rjsf/utils';
import { createDefinitionValidator } from './validator';

const EXPONENTIAL = '^([^!]+)+$';
// about 6 s for a backtracking engine (twice that per extra "a"), well under a millisecond for RE2
const EVIL = 'a'.repeat(30) + '!';

function timed<T>(run: () => T): { value: T; ms: number } {
  const started = performance.now();
  const value = run();
  return { value, ms: performance.now() - started };
}

const definition: Definition = {
  schema: {
    type: 'object',
    properties: {
      name: { type: 'string', maxLength: 10_000, title: 'Name' },
      extra: { type: 'string', maxLength: 10, title: 'Extra' },
      rows: {
        type: 'array',
        items: { type: 'object', properties: { a: { type: 'string', maxLength: 5 } }, patternProperties: { '^(a+)+$': { type: 'string', maxLength: 5 } } },
      },
    },
    // a rule keyed on a pattern: evaluated on every keystroke to decide what is shown
    allOf: [{ if: { properties: { name: { pattern: EXPONENTIAL } }, required: ['name'] }, then: { properties: { extra: false } } }],
  },
  uiSchema: {},
};

describe('rules, option matching and validation in the browser run patterns in linear time', () => {
  it('evaluates a rule keyed on a catastrophic pattern within milliseconds, with the right outcome', () => {
    const shown = timed(() => resolve(definition, { name: EVIL }, 'en'));
    expect(shown.ms).toBeLessThan(1_000);
    expect(shown.value.visible).toContain('extra'); // the pattern does not match, so the rule does not hide it
    expect(resolve(definition, { name: 'abc' }, 'en').visible).not.toContain('extra');
  });

  it('validates against the pattern within milliseconds', () => {
    const schema: RJSFSchema = { type: 'object', properties: { name: { type: 'string', maxLength: 10_000, pattern: EXPONENTIAL } } };
    const validator = createDefinitionValidator(schema, 'en');
    const result = timed(() => validator.validateFormData({ name: EVIL }, schema));
    expect(result.ms).toBeLessThan(1_000);
    expect(result.value.errors).toEqual([expect.objectContaining({ property: '.name', name: 'pattern' })]);
  });

  it("answers rjsf's own questions (isValid) on the same engine", () => {
    const validator = createDefinitionValidator(definition.schema, 'en');
    const schema: RJSFSchema = { type: 'string', pattern: EXPONENTIAL };
    const result = timed(() => validator.isValid(schema, EVIL, schema));
    expect(result.ms).toBeLessThan(1_000);
    expect(result.value).toBe(false);
  });

  it("offers rjsf neither ajv-formats' backtracking `url` format nor rjsf's `color` and `data-url`", () => {
    const validator = createDefinitionValidator(definition.schema, 'en');
    for (const format of ['url', 'color', 'data-url']) {
      const schema: RJSFSchema = { type: 'string', format };
      // such a format is not checked: nothing is run, so anything is valid
      const result = timed(() => validator.isValid(schema, 'http://:@' + ':@'.repeat(25_000) + ' ', schema));
      expect(result.ms).toBeLessThan(1_000);
      expect(result.value).toBe(true);
    }
  });

  it('gives rjsf a display schema without patternProperties, which it would match with RegExp', () => {
    const shown = resolve(definition, {}, 'en');
    expect(JSON.stringify(shown.schema)).not.toContain('patternProperties');
    expect(shown.schema.properties.rows.items.properties.a).toEqual({ type: 'string', maxLength: 5 });
  });
});
