import { checkPattern } from './regex-safety';

describe('checkPattern', () => {
  it.each([
    '^(?:CVE-\\d{4}-\\d{4,19}|BDU:\\d{4}-\\d{5})$',
    '^[0-9]{1,9}$',
    '^(?:[1-9][0-9]{0,2}|1000)$',
    '^(a|b)+$',
    '^(?:ab|cd)*$',
    '^\\p{L}+$',
    '^(?<year>\\d{4})-(?:0|1)\\d$',
    // catastrophic for a backtracking engine, linear for RE2, which runs every pattern of a definition
    '(a+)+$',
    '^(a|a)*$',
    '^(.|x){2,}$',
    '^[^!]*[^!]*[^!]*$',
  ])('accepts %s', (pattern) => {
    expect(checkPattern(pattern)).toEqual({ ok: true, programSize: expect.any(Number) });
  });

  it.each([
    ['a'.repeat(1001), 'unsafe-regex'],
    ['(', 'invalid-regex'],
    ['\\', 'invalid-regex'],
    ['^\\p{Nope}$', 'invalid-regex'],
    ['^(?=a)', 'unsupported-regex'],
    ['(?<!a)b', 'unsupported-regex'],
    ['^(a)\\1$', 'unsupported-regex'],
    ['^a{2000}$', 'unsupported-regex'],
  ])('rejects %s as %s', (pattern, rule) => {
    expect(checkPattern(pattern)).toEqual(expect.objectContaining({ ok: false, rule }));
  });
});
