import { decodeUtf8 } from './utf8';

describe('decodeUtf8', () => {
  const large = (unit: string) => unit.repeat(Math.ceil(40_000 / unit.length));

  it.each([
    ['ASCII', large('mail01 ')],
    ['Cyrillic', large('ж')],
    ['Cyrillic and ASCII mixed', large('Почтовый сервер mail01.example.ru; ')],
    ['characters outside the BMP (surrogate pairs in UTF-16)', large('𝔘😀ж')],
    ['a byte order mark, kept as a character', `\ufeff${large('ж')}`],
    ['short text', 'Москва'],
  ])('gives the string Buffer#toString gives: %s', (_what, text) => {
    const bytes = Buffer.from(text, 'utf8');
    expect(decodeUtf8(bytes)).toBe(text);
    expect(decodeUtf8(bytes)).toBe(bytes.toString('utf8'));
  });

  it('turns invalid sequences into U+FFFD as Buffer#toString does, in large input too', () => {
    const valid = Buffer.from(large('ж'), 'utf8');
    const broken = Buffer.concat([valid.subarray(0, 1001), Buffer.from([0xff, 0xc3]), valid.subarray(1001)]);
    expect(decodeUtf8(broken)).toBe(broken.toString('utf8'));
    expect(decodeUtf8(broken)).toContain('\ufffd');
  });
});
