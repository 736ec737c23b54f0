/** JSON Pointer (RFC 6901) helpers shared by the validator, the mapper and the publish gate. Browser-safe. */

export function escapePointerSegment(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function pointer(base: string, ...segments: Array<string | number>): string {
  return base + segments.map((s) => '/' + escapePointerSegment(String(s))).join('');
}

/**
 * The value at a pointer or URI fragment ("#/a/b") inside `root`, or undefined. Fragment segments are
 * percent-decoded, as ajv writes them in `schemaPath` and `$ref`.
 */
export function resolvePointer(root: unknown, ref: string): unknown {
  let path = ref.startsWith('#') ? ref.slice(1) : ref;
  if (path === '') return root;
  if (!path.startsWith('/')) return undefined;
  path = path.slice(1);
  let node: unknown = root;
  for (const raw of path.split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    segment = segment.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, segment)) {
      return undefined;
    }
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}
