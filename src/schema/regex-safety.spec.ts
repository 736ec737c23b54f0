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
  ])('accepts %s', (pattern) => {
    expect(checkPattern(pattern)).toEqual({ ok: true });
  });

  it.each([
    ['(a+)+$', 'unsafe-regex'],
    ['^(a*)*$', 'unsafe-regex'],
    ['^(a|a)*$', 'unsafe-regex'],
    ['^(a|ab)+$', 'unsafe-regex'],
    ['^(\\d|1)+$', 'unsafe-regex'],
    ['^(.|x){2,}$', 'unsafe-regex'],
    ['^(x|)*$', 'unsafe-regex'],
    ['a'.repeat(1001), 'unsafe-regex'],
    ['(', 'invalid-regex'],
    ['\\', 'invalid-regex'],
    ['^\\p{Nope}$', 'invalid-regex'],
  ])('rejects %s as %s', (pattern, rule) => {
    expect(checkPattern(pattern)).toEqual(expect.objectContaining({ ok: false, rule }));
  });
});
