import { performance } from 'node:perf_hooks';
import { compileSafePattern, safeRegExp, toRe2Syntax, UnsupportedPatternError } from './safe-regexp';

// Inputs chosen to hit the places where RE2 and JavaScript differ: line terminators, Unicode white space, astral
// characters, brackets.
const INPUTS = [
  '',
  'a',
  'abc',
  'a b',
  'a\nb',
  'a\rb',
  'a\u2028b',
  'a\u00a0b',
  'a\u3000b',
  'a\vb',
  '\t',
  'Москва',
  'ё',
  '😀',
  'x😀y',
  '[',
  ']',
  '[]',
  ':',
  '[:alpha:]',
  'CVE-2021-23017',
  'BDU:2021-02581',
  'CVE-21-1',
  '\b',
  'a-b',
  '/path/x',
  '\u0000',
];

describe('safe patterns mean what JavaScript ("u" mode) means by them', () => {
  it.each([
    '^(?:CVE-\\d{4}-\\d{4,19}|BDU:\\d{4}-\\d{5})$',
    '^[0-9]{1,9}$',
    '^\\s*x?\\s*$',
    '^a\\sb$',
    '^a\\Sb$',
    '^[\\s]+$',
    '^[^\\s]+$',
    '^a.b$',
    '^.+$',
    '^[.]$',
    '^\\p{L}+$',
    '^\\P{L}+$',
    '^\\p{Script=Cyrillic}+$',
    '^\\p{sc=Cyrillic}+$',
    '^\\p{Lu}',
    '^\\u0041|^\\u{1F600}$',
    '^x\\ud83d\\ude00y$',
    '^[\\u0410-\\u044f\\u0401\\u0451]+$',
    '^[[]$',
    '^[[:a]+$',
    '[]',
    '^[^]+$',
    '^\\bword',
    '^[\\b]$',
    '^[\\-a]+$',
    '^\\/path\\/x$',
    '^(?<year>\\d{4})$',
    '^\\x41?bc$',
    '^\\cJ?a$',
    '^\\0$',
    '^a\\vb$',
  ])('%s', (pattern) => {
    const js = new RegExp(pattern, 'u');
    const re2 = safeRegExp(pattern, 'u');
    for (const input of INPUTS) expect([input, re2.test(input)]).toEqual([input, js.test(input)]);
  });
});

describe('what RE2 cannot run in linear time is refused, naming the construct', () => {
  it.each([
    ['^(?=a)\\w+$', /lookahead/],
    ['^(?!a)\\w+$', /lookahead/],
    ['(?<=a)b', /lookbehind/],
    ['(?<!a)b', /lookbehind/],
    ['^(a+)\\1$', /back-reference/],
    ['^(?<x>a)\\k<x>$', /back-reference/],
    ['^a{1001}$', /linear-time engine cannot run it/],
    ['^[\\S]$', /\\S inside a character class/],
    ['^\\Qa$', /not ECMA-262/],
  ])('%s', (pattern, reason) => {
    expect(() => compileSafePattern(pattern)).toThrow(UnsupportedPatternError);
    expect(() => compileSafePattern(pattern)).toThrow(reason);
  });

  it('only takes the flags ajv passes', () => {
    expect(() => compileSafePattern('a', 'g')).toThrow(UnsupportedPatternError);
    expect(compileSafePattern('a', '').test('a')).toBe(true);
  });
});

describe('time linear in the input', () => {
  it.each([
    ['^([^!]+)+$', 'a'.repeat(200_000) + '!'],
    ['^[^!]*[^!]*[^!]*$', 'a'.repeat(500_000) + '!'],
    ['^(a|aa)+$', 'a'.repeat(200_000) + '!'],
    ['^(.*a){25}$', 'a'.repeat(100_000) + '!'],
    ['^(\\w+\\s?)*$', 'a '.repeat(200_000) + '!'],
  ])('%s stays fast on adversarial input', (pattern, input) => {
    const re = safeRegExp(pattern, 'u');
    const started = performance.now();
    expect(re.test(input)).toBe(false);
    // generous: tens of milliseconds here, minutes to geological ages for a backtracking engine
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe('the ajv engine', () => {
  it('keys each pattern differently, as ajv caches compiled patterns by toString()', () => {
    expect(String(safeRegExp('^a$', 'u'))).toBe('/^a$/u');
    expect(String(safeRegExp('^b$', 'u'))).not.toBe(String(safeRegExp('^a$', 'u')));
  });

  it('translates only what differs', () => {
    expect(toRe2Syntax('^[a-z0-9_-]+$')).toBe('^[a-z0-9_-]+$');
  });
});
