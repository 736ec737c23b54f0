// A long text of the form data is, as a rule, sent as it is: the same string is then in the data and in the payload
// an export records at its claim, and storing both would write it twice (up to a megabyte each, on the claim's path).
// The payload, the exact body sent, is stored whole; the data holds null where such a text was, and `shared` says
// where each one is in both documents, so the data reads back as it was.

/** Where a value sits in a document: the keys and indexes from its root. */
export type DocumentPath = Array<string | number>;

/** One text of the data stored only in the payload. */
export interface SharedText {
  data: DocumentPath;
  payload: DocumentPath;
}

/** Shorter texts stay where they are: only a long one costs enough to be worth finding in the other document. */
export const SHARED_FROM_CHARS = 1024;

/** Every string of at least SHARED_FROM_CHARS characters in `node`, with its path. */
function longTexts(node: unknown, path: DocumentPath = [], into: Array<[DocumentPath, string]> = []): Array<[DocumentPath, string]> {
  if (typeof node === 'string') {
    if (node.length >= SHARED_FROM_CHARS) into.push([path, node]);
  } else if (Array.isArray(node)) {
    node.forEach((item, i) => longTexts(item, [...path, i], into));
  } else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) longTexts(value, [...path, key], into);
  }
  return into;
}

/** A copy of `root` with `value` at `path`; only the objects and arrays along the path are copied. */
function replaced(root: unknown, path: DocumentPath, value: unknown): unknown {
  if (path.length === 0) return value;
  const [key, ...rest] = path;
  const copy = (Array.isArray(root) ? [...root] : { ...(root as object) }) as Record<string | number, unknown>;
  copy[key] = replaced(copy[key], rest, value);
  return copy;
}

function at(root: unknown, path: DocumentPath): unknown {
  return path.reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[key] : undefined), root);
}

/**
 * What the claim stores of `data` beside the whole `payload`: the data with each long text that the payload holds
 * as it is replaced by null, and where those texts are (undefined when there is none).
 */
export function storedOnce(
  data: Record<string, unknown>,
  payload: Record<string, unknown>,
): { data: Record<string, unknown>; shared: SharedText[] | undefined } {
  const inData = longTexts(data);
  if (!inData.length) return { data, shared: undefined };
  const inPayload = longTexts(payload);
  const shared: SharedText[] = [];
  let stored: unknown = data;
  for (const [path, text] of inData) {
    const sent = inPayload.find(([, candidate]) => candidate === text);
    if (!sent) continue;
    shared.push({ data: path, payload: sent[0] });
    stored = replaced(stored, path, null);
  }
  return { data: stored as Record<string, unknown>, shared: shared.length ? shared : undefined };
}

/** The data as it was recorded: a copy of the stored `data` with each shared text put back from the payload. */
export function withSharedTexts(data: Record<string, unknown>, shared: SharedText[], payload: Record<string, unknown>): Record<string, unknown> {
  let restored: unknown = data;
  for (const text of shared) restored = replaced(restored, text.data, at(payload, text.payload));
  return restored as Record<string, unknown>;
}
