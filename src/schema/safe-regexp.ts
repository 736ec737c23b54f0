/**
 * The regular-expression engine of form definitions: RE2 (re2js, pure JavaScript, linear time in the input whatever
 * the pattern), plugged into ajv through its `code.regExp` option. Patterns are written by compliance staff and run
 * against analysts' data on every preview and export, so no pattern may be able to hold the event loop: a
 * backtracking engine (RegExp) lets `^([^!]+)+$` take 12 s on 32 characters and `^[^!]*[^!]*[^!]*$` 8.5 s on
 * 3,500, and no lint can tell every such pattern from a harmless one. Browser-safe: the UI validates with it too.
 *
 * Patterns keep the meaning JSON Schema gives them (ECMA-262, "u" flag, as ajv compiles them): the few places where
 * RE2's syntax or semantics differ are translated here (`.` and `\s` follow JavaScript's line terminators and
 * white space, `\uXXXX` escapes, `[]`/`[^]`, `[` inside a class). What RE2 cannot run in linear time at all
 * (lookahead, lookbehind, back-references) is refused with UnsupportedPatternError naming the construct.
 */
import { RE2JS } from 're2js';

export class UnsupportedPatternError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'UnsupportedPatternError';
  }
}

// ECMA-262 WhiteSpace and LineTerminator, which `\s` matches in JavaScript; RE2's `\s` is ASCII only.
const JS_SPACE_RANGES = '\\t\\n\\v\\f\\r \\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}\\x{feff}';
// JavaScript's `.` stops at every line terminator; RE2's only at \n.
const JS_DOT = '[^\\n\\r\\x{2028}\\x{2029}]';
const NOTHING = '[^\\x{0}-\\x{10ffff}]';
const ANYTHING = '[\\x{0}-\\x{10ffff}]';
// What "u" mode allows after a backslash as an identity escape
const SYNTAX_CHARACTERS = new Set('^$\\.*+?()[]{}|/-');
// \p{…} spellings of ECMA-262 that RE2 writes without the property name
const PROPERTY_PREFIX = /^(?:Script|sc|Script_Extensions|scx|General_Category|gc)=/;

const isHex = (s: string) => /^[0-9A-Fa-f]+$/.test(s);

/** An ECMA-262 ("u" mode) pattern in RE2 syntax with the same meaning, or UnsupportedPatternError. */
export function toRe2Syntax(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const [text, length] = translateEscape(pattern, i, inClass);
      out += text;
      i += length - 1;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      // RE2 reads "[:alpha:]" inside a class as a POSIX class; in JavaScript "[" there is a plain character
      out += c === '[' ? '\\[' : c;
      continue;
    }
    if (c === '[') {
      // JavaScript: "[]" matches nothing and "[^]" anything; RE2 would take the "]" as a member of the class
      if (pattern.startsWith('[]', i)) {
        out += NOTHING;
        i += 1;
      } else if (pattern.startsWith('[^]', i)) {
        out += ANYTHING;
        i += 2;
      } else {
        inClass = true;
        out += c;
        if (pattern[i + 1] === '^') {
          out += '^';
          i++;
        }
      }
      continue;
    }
    if (c === '.') {
      out += JS_DOT;
      continue;
    }
    if (c === '(' && pattern[i + 1] === '?') {
      const kind = pattern.slice(i + 2, i + 4);
      if (kind[0] === '=' || kind[0] === '!') throw new UnsupportedPatternError('a lookahead assertion (?= or (?! cannot run in linear time');
      if (kind === '<=' || kind === '<!') throw new UnsupportedPatternError('a lookbehind assertion (?<= or (?<! cannot run in linear time');
    }
    out += c;
  }
  return out;
}

/** One escape at `at`: its RE2 text and how many characters of the pattern it took. */
function translateEscape(pattern: string, at: number, inClass: boolean): [string, number] {
  const e = pattern[at + 1];
  if (e === undefined) throw new UnsupportedPatternError('a trailing backslash');
  switch (e) {
    case 's':
      return [inClass ? JS_SPACE_RANGES : `[${JS_SPACE_RANGES}]`, 2];
    case 'S':
      if (inClass) throw new UnsupportedPatternError('\\S inside a character class; write the class without it');
      return [`[^${JS_SPACE_RANGES}]`, 2];
    case 'b':
      return [inClass ? '\\x{8}' : '\\b', 2]; // a backspace inside a class, a word boundary outside
    case 'd':
    case 'D':
    case 'w':
    case 'W':
    case 'B':
    case 'n':
    case 'r':
    case 't':
    case 'f':
    case 'v':
      return [`\\${e}`, 2];
    case '0':
      if (/[0-9]/.test(pattern[at + 2] ?? '')) throw new UnsupportedPatternError('an octal escape or back-reference \\0…');
      return ['\\x{0}', 2];
    case 'k':
      throw new UnsupportedPatternError('a back-reference \\k<…> cannot run in linear time');
    case 'x': {
      const hex = pattern.slice(at + 2, at + 4);
      if (hex.length !== 2 || !isHex(hex)) throw new UnsupportedPatternError('\\x needs two hexadecimal digits');
      return [`\\x{${hex}}`, 4];
    }
    case 'u':
      return unicodeEscape(pattern, at);
    case 'c': {
      const letter = pattern[at + 2] ?? '';
      if (!/^[A-Za-z]$/.test(letter)) throw new UnsupportedPatternError('\\c needs a letter');
      return [`\\x{${(letter.charCodeAt(0) % 32).toString(16)}}`, 3];
    }
    case 'p':
    case 'P': {
      const close = pattern.indexOf('}', at + 3);
      if (pattern[at + 2] !== '{' || close < 0) throw new UnsupportedPatternError(`\\${e} needs {property}`);
      const name = pattern.slice(at + 3, close).replace(PROPERTY_PREFIX, '');
      return [`\\${e}{${name}}`, close - at + 1];
    }
    default:
      if (/[1-9]/.test(e)) throw new UnsupportedPatternError('a back-reference \\1…\\9 cannot run in linear time');
      if (SYNTAX_CHARACTERS.has(e)) return [`\\${e}`, 2];
      throw new UnsupportedPatternError(`the escape \\${e} is not ECMA-262 "u" syntax`);
  }
}

/** \uXXXX (a surrogate pair of two of them is one code point, as in "u" mode) or \u{X…}. */
function unicodeEscape(pattern: string, at: number): [string, number] {
  if (pattern[at + 2] === '{') {
    const close = pattern.indexOf('}', at + 3);
    const hex = close < 0 ? '' : pattern.slice(at + 3, close);
    if (!hex || !isHex(hex) || parseInt(hex, 16) > 0x10ffff) throw new UnsupportedPatternError('\\u{…} needs a code point in hexadecimal');
    return [`\\x{${hex}}`, close - at + 1];
  }
  const hex = pattern.slice(at + 2, at + 6);
  if (hex.length !== 4 || !isHex(hex)) throw new UnsupportedPatternError('\\u needs four hexadecimal digits');
  const unit = parseInt(hex, 16);
  const low = pattern.slice(at + 8, at + 12);
  if (unit >= 0xd800 && unit <= 0xdbff && pattern.startsWith('\\u', at + 6) && low.length === 4 && isHex(low)) {
    const second = parseInt(low, 16);
    if (second >= 0xdc00 && second <= 0xdfff) {
      const codePoint = (unit - 0xd800) * 0x400 + (second - 0xdc00) + 0x10000;
      return [`\\x{${codePoint.toString(16)}}`, 12];
    }
  }
  return [`\\x{${hex}}`, 6];
}

/**
 * Compiles an ECMA-262 pattern for RE2; UnsupportedPatternError when RE2 cannot run it. Flags are ajv's: "u" or
 * none (both mean code points to RE2); JSON Schema has no others.
 */
export function compileSafePattern(pattern: string, flags = ''): RE2JS {
  if (flags !== '' && flags !== 'u') throw new UnsupportedPatternError(`flags "${flags}" are not supported`);
  const syntax = toRe2Syntax(pattern);
  try {
    return RE2JS.compile(syntax);
  } catch (e) {
    throw new UnsupportedPatternError(`the linear-time engine cannot run it: ${(e as Error).message}`);
  }
}

/** What ajv needs of a regular expression. */
export interface SafeRegExp {
  test(input: string): boolean;
  toString(): string;
}

/**
 * ajv's `code.regExp` engine. ajv keys compiled patterns by `toString()`, so it must differ per pattern as a
 * RegExp's does. `code` is what standalone code generation would import; we never generate standalone code.
 */
export const safeRegExp = Object.assign(
  (pattern: string, flags: string): SafeRegExp => {
    const re = compileSafePattern(pattern, flags);
    const text = `/${pattern}/${flags}`;
    return { test: (input: string) => re.test(input), toString: () => text };
  },
  { code: 'require("rucert-export/safe-regexp").safeRegExp' },
);
