import type { PageQuery } from '../generated/api/page-query';

export type { PageQuery };

export const DEFAULT_PAGE_SIZE = 50;

/** Query strings were validated by their schema (digits only), so conversion cannot fail. */
export function toPage(query: PageQuery): { limit: number; offset: number } {
  return { limit: Number(query.limit ?? DEFAULT_PAGE_SIZE), offset: Number(query.offset ?? 0) };
}
