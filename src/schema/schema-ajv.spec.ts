import Ajv from 'ajv';
import { createSchemaAjv, isRussianInn, SCHEMA_ANNOTATION_KEYWORDS, codePointLength } from './schema-ajv';
import { validateData } from './validator';

type Json = Record<string, unknown>;
let ids = 0;
/** A one-field form; each gets its own $id so the validator cache never serves another test's schema. */
const form = (property: Json, extra: Json = {}): Json => ({
  $id: `urn:test:schema-ajv:${++ids}`,
  type: 'object',
  properties: { f: property },
  additionalProperties: false,
  ...extra,
});

describe('the ru-inn format: a Russian taxpayer number with its check digits', () => {
  // organisations' INNs are public (the state register); these belong to Sberbank, Gazprom, Yandex, Kaspersky Lab,
  // Rostelecom, VTB, T-Bank and Bashneft (region 02: a leading zero)
  it.each(['7707083893', '7736050003', '7736207543', '7713140469', '7707049388', '7702070139', '7710140679', '0274051582'])('accepts %s', (inn) => {
    expect(isRussianInn(inn)).toBe(true);
  });

  // 12 digits (a person's INN): check digits computed by hand from the first ten, no real person's number
  it.each(['500100732259', '770708389324', '027405158231'])('accepts the 12-digit %s', (inn) => {
    expect(isRussianInn(inn)).toBe(true);
  });

  it.each([
    ['7707083894', 'the 10th digit off by one'],
    ['7707083883', 'two digits swapped'],
    ['500100732250', "the contract's own example: a wrong 12th digit"],
    ['500100732269', 'a wrong 11th digit'],
    ['770708389', 'nine digits'],
    ['77070838931', 'eleven digits'],
    ['7707083893 ', 'a trailing space'],
    ['77O7083893', 'a letter O'],
    ['', 'empty'],
    ['７７０７０８３８９３', 'full-width digits'],
  ])('refuses %j (%s)', (inn) => {
    expect(isRussianInn(inn)).toBe(false);
  });

  it('is checked by the one ajv configuration, with a message that says what is wanted', () => {
    const schema = form({ type: 'string', format: 'ru-inn', maxLength: 12 });
    expect(validateData(schema, { f: '7707083893' })).toEqual([]);
    expect(validateData(schema, { f: '7707083894' })).toEqual([
      { path: '/f', keyword: 'format', message: 'must be a taxpayer number (INN): 10 or 12 digits with valid check digits' },
    ]);
    expect(validateData(schema, { f: '7707083894' }, 'ru')[0].message).toBe('должно быть ИНН: 10 или 12 цифр с верными контрольными цифрами');
  });
});

describe('x-not-future', () => {
  const schema = form({ type: 'string', format: 'date-time', maxLength: 64, 'x-not-future': true });

  it('accepts a time in the past and the present moment', () => {
    expect(validateData(schema, { f: '2024-08-17T17:22:52Z' })).toEqual([]);
    expect(validateData(schema, { f: new Date(Date.now() - 1000).toISOString() })).toEqual([]);
  });

  it('refuses a time in the future, naming the field, in English and Russian', () => {
    const future = new Date(Date.now() + 60_000).toISOString();
    expect(validateData(schema, { f: future })).toEqual([{ path: '/f', keyword: 'x-not-future', message: 'must not be in the future' }]);
    expect(validateData(schema, { f: '2999-01-01T00:00:00+03:00' }, 'ru')).toEqual([
      { path: '/f', keyword: 'x-not-future', message: 'не может быть в будущем' },
    ]);
  });

  it('compares instants, whatever the offset', () => {
    const inAnHour = new Date(Date.now() + 3_600_000);
    const sameInstantAsUtcPlus3 = new Date(inAnHour.getTime() + 3 * 3_600_000).toISOString().replace('Z', '+03:00');
    expect(validateData(schema, { f: sameInstantAsUtcPlus3 }).map((e) => e.keyword)).toEqual(['x-not-future']);
  });

  it('leaves a value that is no date-time to the format keyword', () => {
    expect(validateData(schema, { f: 'tomorrow' }).map((e) => e.keyword)).toEqual(['format']);
  });

  it('does nothing when false', () => {
    expect(validateData(form({ type: 'string', format: 'date-time', maxLength: 64, 'x-not-future': false }), { f: '2999-01-01T00:00:00Z' })).toEqual([]);
  });
});

describe('x-max-serialized-length: the wire form of a list is measured', () => {
  const row = (members: Json) => ({ type: 'object', additionalProperties: false, properties: members });
  const list = (items: Json, limit: number) => form({ type: 'array', maxItems: 1000, 'x-max-serialized-length': limit, items, 'x-rucert': { field: 'f' } });
  const value = { type: 'string', maxLength: 100, 'x-rucert': { field: 'value' } };

  it('counts the JSON NCIRCC receives: [{"value":"1.2.3.4"}] is 21 characters', () => {
    const schema = list(row({ value }), 21);
    expect(validateData(schema, { f: [{ value: '1.2.3.4' }] })).toEqual([]);
    expect(validateData(schema, { f: [{ value: '1.2.3.45' }] })).toEqual([
      { path: '/f', keyword: 'x-max-serialized-length', message: 'is too long: at most 21 characters as sent to NCIRCC, here 22' },
    ]);
  });

  it('measures wire strings, not codes: a short code whose wire value is long can overflow', () => {
    const fn = { type: 'string', oneOf: [{ const: 'c2', 'x-rucert': 'Центр управления ВПО' }], 'x-rucert': { field: 'function' } };
    const schema = list(row({ fn }), 30);
    // as form data: [{"fn":"c2"}] (13); as sent: [{"function":"Центр управления ВПО"}] (36)
    expect(validateData(schema, { f: [{ fn: 'c2' }] }).map((e) => e.keyword)).toEqual(['x-max-serialized-length']);
  });

  it('does not count what is not sent: members without x-rucert and empty rows', () => {
    const schema = list(row({ value, note: { type: 'string', maxLength: 1000 } }), 21);
    expect(validateData(schema, { f: [{ value: '1.2.3.4', note: 'x'.repeat(500) }, {}, { value: '' }] })).toEqual([]);
  });

  it('counts characters (code points) as maxLength does, not bytes or UTF-16 units', () => {
    const schema = list(row({ value }), 14 + 5);
    expect(validateData(schema, { f: [{ value: 'Жжжжж' }] })).toEqual([]); // 10 bytes in UTF-8
    expect(validateData(schema, { f: [{ value: '😀😀😀😀😀' }] })).toEqual([]); // 10 UTF-16 units
    expect(validateData(schema, { f: [{ value: '😀😀😀😀😀😀' }] }).map((e) => e.keyword)).toEqual(['x-max-serialized-length']);
    expect(codePointLength('a😀Ж')).toBe(3);
  });

  it('words the error in Russian', () => {
    expect(validateData(list(row({ value }), 10), { f: [{ value: '1.2.3.4' }] }, 'ru')[0].message).toBe(
      'слишком длинное: при отправке в НКЦКИ не более 10 символов, здесь 21',
    );
  });

  it('follows a local $ref to the row schema, as the mapper does', () => {
    const schema = {
      $id: 'urn:test:schema-ajv:ref',
      type: 'object',
      definitions: { row: row({ value }) },
      properties: { f: { type: 'array', maxItems: 10, 'x-max-serialized-length': 21, items: { $ref: '#/definitions/row' }, 'x-rucert': { field: 'f' } } },
    };
    expect(validateData(schema, { f: [{ value: '1.2.3.4' }] })).toEqual([]);
    expect(validateData(schema, { f: [{ value: '1.2.3.45' }] }).map((e) => e.keyword)).toEqual(['x-max-serialized-length']);
  });
});

describe('x-rucert with a wire type', () => {
  it('lets a numeric string through when it is sent as a number, and names the field when it cannot be', () => {
    const schema = form({ type: 'string', maxLength: 20, 'x-rucert': { field: 'n', type: 'number' } });
    expect(validateData(schema, { f: '500100732259' })).toEqual([]);
    expect(validateData(schema, { f: '12.5' })).toEqual([]);
    expect(validateData(schema, { f: '12a' })).toEqual([{ path: '/f', keyword: 'x-rucert', message: 'cannot be sent as a number' }]);
    expect(validateData(schema, { f: '1e3' }, 'ru')).toEqual([{ path: '/f', keyword: 'x-rucert', message: 'не может быть передано как число' }]);
  });

  it('refuses, as an integer, what a JSON number cannot hold exactly', () => {
    const schema = form({ type: 'string', maxLength: 30, 'x-rucert': { field: 'n', type: 'integer' } });
    expect(validateData(schema, { f: '9007199254740991' })).toEqual([]);
    expect(validateData(schema, { f: '9007199254740993' }).map((e) => e.message)).toEqual(['cannot be sent as an integer']);
    expect(validateData(schema, { f: '1.5' }).map((e) => e.keyword)).toEqual(['x-rucert']);
  });

  it('checks nothing for a plain wire mapping or an enumeration option', () => {
    const schema = form({ type: 'string', maxLength: 5, oneOf: [{ const: 'a', 'x-rucert': 'А' }], 'x-rucert': { field: 'f' } });
    expect(validateData(schema, { f: 'a' })).toEqual([]);
  });
});

describe('the annotation meta-schemas: a malformed annotation does not compile', () => {
  const compile = (property: Json) => () => createSchemaAjv().compile(form(property));
  it.each([
    ['x-max-serialized-length of 0', { type: 'array', 'x-max-serialized-length': 0 }],
    ['x-max-serialized-length of 2.5', { type: 'array', 'x-max-serialized-length': 2.5 }],
    ['x-not-future of "yes"', { type: 'string', format: 'date-time', maxLength: 64, 'x-not-future': 'yes' }],
    ['a wire type "date"', { type: 'string', maxLength: 5, 'x-rucert': { field: 'f', type: 'date' } }],
    ['x-default naming two sources', { type: 'string', maxLength: 5, 'x-default': { setting: 'a', incident: 'b' } }],
    ['x-default naming no source', { type: 'string', maxLength: 5, 'x-default': { map: { a: 'b' } } }],
    ['x-default with an unknown key', { type: 'string', maxLength: 5, 'x-default': { setting: 'a', fallback: 'b' } }],
    ['x-default with a path that is not dotted names', { type: 'string', maxLength: 5, 'x-default': { setting: '../secret' } }],
    ['x-default as an empty list', { type: 'string', maxLength: 5, 'x-default': [] }],
  ])('%s', (_name, property) => {
    expect(compile(property)).toThrow(/"x-[a-z-]+" value is invalid|x-[a-z-]+ value must be/);
  });

  it.each([
    ['a setting path', { setting: 'operator.inn' }],
    ['an incident path with a map', { incident: 'status', map: { open: 'x', closed: 'y' } }],
    ['a list source', { incident: 'indicators', where: { kind: 'ipv4' }, pick: ['function', 'value'], fill: { function: 'undetermined' } }],
    ['alternatives', [{ incident: 'description' }, { incident: 'title' }]],
  ])('accepts %s', (_name, annotation) => {
    expect(compile({ type: 'string', maxLength: 5, 'x-default': annotation })).not.toThrow();
  });

  it('declares every annotation keyword for the UI to register with rjsf', () => {
    expect([...SCHEMA_ANNOTATION_KEYWORDS].sort()).toEqual(
      ['x-default', 'x-description-ru', 'x-max-serialized-length', 'x-not-future', 'x-rucert', 'x-supplement', 'x-title-ru'].sort(),
    );
    const ajv = createSchemaAjv();
    for (const keyword of SCHEMA_ANNOTATION_KEYWORDS) expect(ajv.getKeyword(keyword)).toBeTruthy();
  });
});

describe('maxLength and minLength mean what they mean in plain ajv: code points, with the same errors', () => {
  const plain = new Ajv({ allErrors: true, strict: true });
  const ours = createSchemaAjv();
  const schema = { type: 'object', properties: { max: { type: 'string', maxLength: 3 }, min: { type: 'string', minLength: 3 } } };
  const validatePlain = plain.compile(schema);
  const validateOurs = ours.compile(schema);
  const smile = '\u{1F600}'; // one code point, two UTF-16 code units
  const texts = [
    '',
    'ab',
    'abc',
    'abcd',
    smile,
    smile.repeat(2),
    smile.repeat(3),
    smile.repeat(4),
    `a${smile}`,
    `ab${smile}`,
    `${smile}ab`,
    '\ud83d',
    '\ud83dab',
    // more than twice the limit in code units: too long whatever it holds
    'abcdefg',
    `${smile.repeat(3)}a`,
    smile.repeat(5),
  ];

  it.each(texts)('the same verdict and errors for %j', (text) => {
    const data = { max: text, min: text };
    expect(validateOurs(data)).toBe(validatePlain(data));
    expect(validateOurs.errors ?? null).toEqual(validatePlain.errors ?? null);
  });

  it('counts three emoji as three characters, not six', () => {
    expect(validateOurs({ max: smile.repeat(3), min: smile.repeat(3) })).toBe(true);
    expect(validateOurs({ min: smile.repeat(2) })).toBe(false);
    expect(validateOurs.errors).toEqual([expect.objectContaining({ instancePath: '/min', keyword: 'minLength', params: { limit: 3 } })]);
  });
});
