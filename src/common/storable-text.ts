// Text the databases cannot store, refused where it enters: request bodies (app.setup.ts), query strings and path
// parameters (StorableTextPipe). One answer on SQLite and PostgreSQL: 400 validation_failed naming where it was.
import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { registerMessages } from './messages';
import { ProblemError } from './problem';
import { pointer } from '../schema/json-pointer';

registerMessages({
  'request.invalid_path': { en: 'The request path is not valid', ru: 'Путь запроса некорректен' },
  'request.lone_surrogate': {
    en: 'contains an unpaired UTF-16 surrogate (such as \\ud800), which is not a character and cannot be stored or sent',
    ru: 'содержит непарный суррогат UTF-16 (например, \\ud800): это не символ, его нельзя сохранить или отправить',
  },
  'request.nul_character': {
    en: 'contains the NUL character (\\u0000), which cannot be stored',
    ru: 'содержит символ NUL (\\u0000), который нельзя сохранить',
  },
});

/** A lone surrogate, outside a valid pair (with the u flag a pair is one code point and does not match). */
const LONE_SURROGATE = /\p{Cs}/u;
/** A NUL or any surrogate code unit, paired or not: one scan without the u flag, four times faster on long text. */
// eslint-disable-next-line no-control-regex -- a NUL is what it looks for
const SUSPECT = /[\u0000\ud800-\udfff]/;

/**
 * Why a string cannot be stored, or null. A lone surrogate ("\ud800" once JSON.parse has read it) has no UTF-8
 * form, so PostgreSQL refuses it (the fuzz in test/hardening found an export answering 500) and drivers elsewhere
 * silently store U+FFFD instead. A NUL cannot be held by PostgreSQL text at all, and SQLite stopped reading SQL at
 * it (500 on a title, a token name, `q` or a path segment); refused on both databases alike.
 */
export function unstorableText(text: string): 'request.lone_surrogate' | 'request.nul_character' | null {
  // most text has neither: one scan of it (a megabyte of Cyrillic: ~1.2 ms, against ~2 ms for two scans)
  if (!SUSPECT.test(text)) return null;
  if (text.includes('\u0000')) return 'request.nul_character';
  return LONE_SURROGATE.test(text) ? 'request.lone_surrogate' : null;
}

/** Where in a parsed value a string (key or value) cannot be stored, and why, or null. Iterative: bodies may be nested thousands deep. */
export function unstorableTextPath(value: unknown, base = ''): { path: string; messageKey: string } | null {
  const stack: Array<{ node: unknown; path: string }> = [{ node: value, path: base }];
  while (stack.length) {
    const { node, path } = stack.pop()!;
    if (typeof node === 'string') {
      const messageKey = unstorableText(node);
      if (messageKey) return { path, messageKey };
    } else if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        const at = pointer(path, key);
        const messageKey = unstorableText(key);
        if (messageKey) return { path: at, messageKey };
        stack.push({ node: child, path: at });
      }
    }
  }
  return null;
}

/** 400 validation_failed naming the unstorable text in `value` (a body, a query, a path parameter), or undefined. */
export function unstorableTextProblem(value: unknown, messageKey: string, base = ''): ProblemError | undefined {
  const found = unstorableTextPath(value, base);
  if (!found) return undefined;
  return new ProblemError('validation_failed', messageKey, {}, { fieldErrors: [{ path: found.path, keyword: 'unicode', messageKey: found.messageKey }] });
}

/**
 * A global pipe: a query parameter or path parameter with text that cannot be stored is refused before any
 * controller sees it. Bodies are checked earlier, by the body parser hook; other arguments are left alone.
 */
@Injectable()
export class StorableTextPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'query' && metadata.type !== 'param') return value;
    const base = metadata.data ? pointer('', metadata.data) : '';
    const problem = unstorableTextProblem(value, metadata.type === 'query' ? 'request.invalid_query' : 'request.invalid_path', base);
    if (problem) throw problem;
    return value;
  }
}
