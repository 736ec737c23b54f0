import { unstorableText } from './storable-text';

describe('unstorableText: text the databases cannot store', () => {
  it.each([
    ['plain Latin text', 'mail01'],
    ['Cyrillic text', 'ж'.repeat(1000)],
    ['an emoji (a valid surrogate pair)', 'ok \u{1F600} ok'],
    ['pairs back to back', '\u{1F600}\u{1F4A9}\u{20000}'],
    ['empty', ''],
  ])('stores %s', (_what, text) => {
    expect(unstorableText(text)).toBeNull();
  });

  it.each([
    ['a lone high surrogate', 'a\ud800b'],
    ['a lone low surrogate', 'a\udc00b'],
    ['a pair in the wrong order', '\udc00\ud800'],
    ['a high surrogate at the end', `${'ж'.repeat(1000)}\ud83d`],
    ['a lone surrogate after a valid pair', '\u{1F600}\udc00'],
  ])('refuses %s', (_what, text) => {
    expect(unstorableText(text)).toBe('request.lone_surrogate');
  });

  it('refuses a NUL character', () => {
    expect(unstorableText('a\u0000b')).toBe('request.nul_character');
  });
});
