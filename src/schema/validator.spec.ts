import schema from '../../schemas/forms/rucert-export/v1/schema.json';
import samples from '../../schemas/forms/rucert-export/v1/samples.json';
import { getValidator, mapAjvErrors, validateData } from './validator';

const incident = samples.valid[0].data as Record<string, unknown>;

describe('validateData', () => {
  it.each(samples.valid.map((s) => [s.name, s.data] as const))('accepts the valid sample "%s"', (_name, data) => {
    expect(validateData(schema, data)).toEqual([]);
  });

  it.each(samples.invalid.map((s) => [s.name, s.data, s.errors] as const))('rejects the invalid sample "%s" with its listed errors', (_name, data, errors) => {
    const actual = validateData(schema, data);
    for (const e of errors) expect(actual).toContainEqual(expect.objectContaining(e));
  });

  it('reports every problem at once, each once, with paths naming the fields', () => {
    const errors = validateData(schema, {
      ...incident,
      category: 'computer_attack',
      type: 'malware_infection',
      location: 'RU-XX',
      customImpact: 'x',
      severity: 'high',
      affectedSystemName: undefined,
    });
    // In ajv's evaluation order: the rules (allOf) come before the top-level keywords.
    expect(errors).toEqual([
      { path: '/type', keyword: 'enum', message: 'must be equal to one of the allowed values' },
      { path: '/customImpact', keyword: 'false schema', message: 'is not available for the selected category or type' },
      { path: '/affectedSystemName', keyword: 'required', message: 'is required' },
      { path: '/severity', keyword: 'additionalProperties', message: 'is not a field of this form' },
      { path: '/location', keyword: 'oneOf', message: 'must be one of the allowed values' },
    ]);
  });

  it('gives Russian messages, ours and ajv-i18n', () => {
    const errors = validateData(
      schema,
      { ...incident, tlp: undefined, city: 'x'.repeat(300), location: 'RU-XX', category: 'computer_attack', type: 'ddos', customImpact: 'x' },
      'ru',
    );
    expect(errors).toEqual([
      { path: '/customImpact', keyword: 'false schema', message: 'недоступно для выбранной категории или типа' },
      { path: '/tlp', keyword: 'required', message: 'обязательное поле' },
      { path: '/location', keyword: 'oneOf', message: 'должно быть одним из допустимых значений' },
      { path: '/city', keyword: 'maxLength', message: 'должно быть не длиннее, чем 255 символов' },
    ]);
  });

  it('escapes JSON Pointer characters in a missing or extra property name', () => {
    expect(validateData(schema, { ...incident, 'a/b~c': 1 })).toEqual([expect.objectContaining({ path: '/a~1b~0c', keyword: 'additionalProperties' })]);
  });

  it('rejects data that is not an object', () => {
    expect(validateData(schema, 'x')).toEqual([{ path: '', keyword: 'type', message: 'must be object' }]);
  });

  it('leaves ajv errors untouched when localizing', () => {
    const validate = getValidator(schema);
    validate({ ...incident, city: 'x'.repeat(300) });
    const before = JSON.stringify(validate.errors);
    mapAjvErrors(schema, validate.errors!, 'ru');
    expect(JSON.stringify(validate.errors)).toBe(before);
  });

  it('compiles a definition once: by object, and by $id for a copy read again from storage', () => {
    const first = getValidator(schema);
    expect(getValidator(schema)).toBe(first);
    expect(getValidator(JSON.parse(JSON.stringify(schema)))).toBe(first);
    const other = { ...JSON.parse(JSON.stringify(schema)), $id: 'urn:test:other' };
    expect(getValidator(other)).not.toBe(first);
  });

  it('keeps a real (non-enumeration) oneOf error as ajv gives it, one error per path and keyword', () => {
    const s = {
      type: 'object',
      properties: { v: { oneOf: [{ type: 'string', maxLength: 3 }, { type: 'number' }] } },
    };
    expect(validateData(s, { v: true }).map((e) => e.keyword)).toEqual(['type', 'oneOf']);
  });
});
