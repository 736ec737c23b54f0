/**
 * Is a definition's regular expression safe to run on untrusted form data? Patterns are written by compliance staff
 * and executed against every submission, so one with catastrophic backtracking would let a crafted field stall the
 * service. Conservative: a pattern we cannot prove simple is rejected; staff can always rewrite it.
 */
import safeRegex from 'safe-regex2';

export type RegexVerdict = { ok: true } | { ok: false; rule: 'invalid-regex' | 'unsafe-regex'; reason: string };

export const MAX_PATTERN_LENGTH = 1000;

export function checkPattern(pattern: string): RegexVerdict {
  try {
    new RegExp(pattern, 'u'); // ajv compiles patterns with the unicode flag
  } catch (e) {
    return { ok: false, rule: 'invalid-regex', reason: (e as Error).message };
  }
  if (pattern.length > MAX_PATTERN_LENGTH) {
    return { ok: false, rule: 'unsafe-regex', reason: `longer than ${MAX_PATTERN_LENGTH} characters` };
  }
  // safe-regex2 catches nested quantifiers (star height > 1) such as (a+)+ ...
  let starHeightOk: boolean;
  try {
    starHeightOk = safeRegex(pattern);
  } catch {
    starHeightOk = false;
  }
  if (!starHeightOk) return { ok: false, rule: 'unsafe-regex', reason: 'nested quantifiers (star height above 1)' };
  // ... but not alternatives that can match the same text under a quantifier, such as (a|a)* or (\w|\d)+.
  const overlap = findOverlappingAlternation(pattern);
  if (overlap) return { ok: false, rule: 'unsafe-regex', reason: `alternatives that overlap under a quantifier: ${overlap}` };
  return { ok: true };
}

const ANY = '\u0000any';
const DIGIT = '\u0000digit';

/** The quantified group whose alternatives may start alike, or undefined. */
function findOverlappingAlternation(pattern: string): string | undefined {
  // For each open group: where it starts and where each of its alternatives starts.
  const stack: Array<{ start: number; alternatives: number[] }> = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
    } else if (c === '[') {
      i = skipClass(pattern, i);
    } else if (c === '(') {
      stack.push({ start: i, alternatives: [groupBody(pattern, i)] });
    } else if (c === '|') {
      stack[stack.length - 1]?.alternatives.push(i + 1);
    } else if (c === ')') {
      const group = stack.pop();
      if (!group || group.alternatives.length < 2 || !isRepeating(pattern, i + 1)) continue;
      const firsts = group.alternatives.map((at) => firstAtom(pattern, at));
      for (let a = 0; a < firsts.length; a++) {
        for (let b = a + 1; b < firsts.length; b++) {
          if (overlaps(firsts[a], firsts[b])) return pattern.slice(group.start, i + 2);
        }
      }
    }
  }
  return undefined;
}

/** Where the body of the group opened at `open` starts, after (?: (?= (?! (?<= (?<! or (?<name>. */
function groupBody(pattern: string, open: number): number {
  if (pattern[open + 1] !== '?') return open + 1;
  const kind = pattern[open + 2];
  if (kind === ':' || kind === '=' || kind === '!') return open + 3;
  if (kind === '<' && (pattern[open + 3] === '=' || pattern[open + 3] === '!')) return open + 4;
  const close = pattern.indexOf('>', open);
  return close < 0 ? open + 2 : close + 1;
}

function skipClass(pattern: string, at: number): number {
  for (let i = at + 1; i < pattern.length; i++) {
    if (pattern[i] === '\\') i++;
    else if (pattern[i] === ']') return i;
  }
  return pattern.length;
}

/** A quantifier that allows more than one repetition follows at `at`. */
function isRepeating(pattern: string, at: number): boolean {
  const c = pattern[at];
  if (c === '*' || c === '+') return true;
  if (c !== '{') return false;
  const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(at));
  if (!m) return false;
  return m[2] !== undefined ? m[3] === '' || Number(m[3]) > 1 : Number(m[1]) > 1;
}

/** What an alternative can start with: one literal character, any digit, or (conservatively) anything. */
function firstAtom(pattern: string, at: number): string {
  const c = pattern[at];
  if (c === undefined || c === '|' || c === ')') return ANY; // an empty alternative matches alongside any other
  if (c === '\\') {
    const e = pattern[at + 1];
    if (e === 'd') return DIGIT;
    if (e !== undefined && /[A-Za-z0-9]/.test(e)) return ANY; // \w, \s, \p{…}, \u…, back-references
    return e ?? ANY;
  }
  if ('.[(^$*+?{'.includes(c)) return ANY;
  return c;
}

function overlaps(a: string, b: string): boolean {
  if (a === ANY || b === ANY || a === b) return true;
  if (a === DIGIT) return /[0-9]/.test(b);
  if (b === DIGIT) return /[0-9]/.test(a);
  return false;
}
