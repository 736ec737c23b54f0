/**
 * Can a definition's regular expression be published? Every pattern of a form definition is evaluated by RE2
 * (safe-regexp.ts), in time linear in the input whatever its shape, so what is judged here is whether RE2 can run it
 * at all with the meaning ECMA-262 gives it, and whether it is small enough to compile cheaply. Nothing here guesses
 * which patterns backtrack: the engine does not backtrack.
 */
import { compileSafePattern, UnsupportedPatternError } from './safe-regexp';

/** `programSize`: RE2's measure of the compiled pattern, which the time of one match grows with. */
export type RegexVerdict = { ok: true; programSize: number } | { ok: false; rule: 'invalid-regex' | 'unsupported-regex' | 'unsafe-regex'; reason: string };

/** RE2 compiles in time that grows faster than the pattern's length: this keeps one compilation cheap. */
export const MAX_PATTERN_LENGTH = 1000;

export function checkPattern(pattern: string): RegexVerdict {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    return { ok: false, rule: 'unsafe-regex', reason: `longer than ${MAX_PATTERN_LENGTH} characters` };
  }
  try {
    // JSON Schema patterns are ECMA-262, compiled with the unicode flag as ajv does; compiling runs nothing
    new RegExp(pattern, 'u');
  } catch (e) {
    return { ok: false, rule: 'invalid-regex', reason: (e as Error).message };
  }
  try {
    return { ok: true, programSize: compileSafePattern(pattern, 'u').programSize() };
  } catch (e) {
    if (!(e instanceof UnsupportedPatternError)) throw e;
    return { ok: false, rule: 'unsupported-regex', reason: e.message };
  }
}
