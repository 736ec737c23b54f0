// The query language of the list routes, after the profile's schema has checked its shape: filter conditions (all
// must hold) with every operator of the contract and its aliases, sort keys, and paging with `next`. SQL semantics,
// as NCIRCC's database would apply them: a missing value (NULL) satisfies nothing but `is null`; like/ilike patterns
// use % and _ and match the whole value.

export interface Condition {
  property: string;
  operator: string;
  value?: unknown;
}

export interface SortKey {
  property: string;
  direction: 'ASC' | 'DESC';
}

export interface Query {
  filter?: Condition[];
  sort?: SortKey[];
  limit: number;
  offset: number;
}

export type Scalar = string | number | null;

/** How a list reads one property of an item; `numeric` asks for the id of a reference (a status given by its id). */
export type Accessor<T> = (item: T, property: string, numeric: boolean) => Scalar;

const OPERATORS: Record<string, string> = {
  '=': 'eq', '==': 'eq', eq: 'eq',
  '!=': 'ne', '/=': 'ne', ne: 'ne',
  '>': 'gt', gt: 'gt',
  '<': 'lt', lt: 'lt',
  '>=': 'ge', ge: 'ge', gte: 'ge',
  '<=': 'le', le: 'le', lte: 'le',
  in: 'in', 'not in': 'notIn', notin: 'notIn', not_in: 'notIn',
  like: 'like', ilike: 'ilike', 'not ilike': 'notIlike',
  between: 'between', 'not between': 'notBetween',
  'is null': 'isNull', is_null: 'isNull',
}; // prettier-ignore

/** Filters, sorts and pages; returns the 400 message instead when a condition's value cannot be used. */
export function runQuery<T>(
  items: readonly T[],
  query: Query,
  read: Accessor<T>,
  dateProperties: ReadonlySet<string>,
): { page: T[]; next: boolean } | { error: string } {
  const tests: Array<(item: T) => boolean> = [];
  for (const [index, condition] of (query.filter ?? []).entries()) {
    const test = compile(condition, read, dateProperties.has(condition.property));
    if (typeof test === 'string') return { error: `Поле «filter[${index}].value»: ${test}` };
    tests.push(test);
  }
  const matching = items.filter((item) => tests.every((test) => test(item)));
  const sorted = sortItems(matching, query.sort ?? [], read, dateProperties);
  const page = sorted.slice(query.offset, query.offset + query.limit);
  return { page, next: query.offset + page.length < sorted.length };
}

function compile<T>({ property, operator, value }: Condition, read: Accessor<T>, isDate: boolean): ((item: T) => boolean) | string {
  const op = OPERATORS[operator];
  if (op === undefined) return `оператор «${operator}» не поддерживается`;
  const values = Array.isArray(value) ? value : [value];
  const numeric = values.every((v) => typeof v === 'number');
  let wanted: Scalar[];
  if (isDate && op !== 'isNull' && !['like', 'ilike', 'notIlike'].includes(op)) {
    wanted = values.map((v) => parseDate(v));
    const bad = wanted.findIndex((v) => Number.isNaN(v));
    if (bad >= 0) return `«${String(values[bad])}» не дата (2024-10-11T11:18:01.110Z, 2024-10-11T или 2024-10-11)`;
  } else {
    wanted = values as Scalar[];
  }
  const actual = (item: T): Scalar => {
    const raw = read(item, property, numeric);
    return isDate && raw !== null && !['like', 'ilike', 'notIlike'].includes(op) ? Date.parse(String(raw)) : raw;
  };
  const [first, second] = wanted;
  switch (op) {
    case 'isNull':
      return (item) => actual(item) === null;
    case 'eq':
      return (item) => compareTo(actual(item), first) === 0;
    case 'ne':
      return (item) => nonNull(actual(item), (a) => compare(a, first) !== 0);
    case 'gt':
      return (item) => nonNull(actual(item), (a) => compare(a, first) > 0);
    case 'lt':
      return (item) => nonNull(actual(item), (a) => compare(a, first) < 0);
    case 'ge':
      return (item) => nonNull(actual(item), (a) => compare(a, first) >= 0);
    case 'le':
      return (item) => nonNull(actual(item), (a) => compare(a, first) <= 0);
    case 'in':
      return (item) => nonNull(actual(item), (a) => wanted.some((w) => compare(a, w) === 0));
    case 'notIn':
      return (item) => nonNull(actual(item), (a) => wanted.every((w) => compare(a, w) !== 0));
    case 'between':
      return (item) => nonNull(actual(item), (a) => compare(a, first) >= 0 && compare(a, second) <= 0);
    case 'notBetween':
      return (item) => nonNull(actual(item), (a) => compare(a, first) < 0 || compare(a, second) > 0);
    default: {
      const caseInsensitive = op !== 'like';
      const pattern = [...(caseInsensitive ? String(first).toLowerCase() : String(first))];
      const matches = (a: string | number) => likeMatch([...(caseInsensitive ? String(a).toLowerCase() : String(a))], pattern);
      return op === 'notIlike' ? (item) => nonNull(actual(item), (a) => !matches(a)) : (item) => nonNull(actual(item), matches);
    }
  }
}

function nonNull(value: Scalar, test: (value: string | number) => boolean): boolean {
  return value !== null && test(value);
}

function compareTo(a: Scalar, b: Scalar): number {
  return a === null || b === null ? NaN : compare(a, b);
}

function compare(a: string | number, b: Scalar): number {
  if (b === null) return NaN;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const [x, y] = [String(a), String(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * SQL LIKE: % any run of characters, _ one character, the rest literal, matched against the whole value. Greedy with
 * a single backtrack point (the last %), so a pattern of many % costs O(value × pattern), never more: a client's
 * pattern cannot stall the emulator the way it would as a regular expression.
 */
function likeMatch(value: string[], pattern: string[]): boolean {
  let v = 0;
  let p = 0;
  let star = -1;
  let resume = 0;
  while (v < value.length) {
    if (p < pattern.length && pattern[p] !== '%' && (pattern[p] === '_' || pattern[p] === value[v])) {
      v++;
      p++;
    } else if (p < pattern.length && pattern[p] === '%') {
      star = p++;
      resume = v;
    } else if (star >= 0) {
      p = star + 1;
      v = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '%') p++;
  return p === pattern.length;
}

/** The contract's date forms: 2024-10-11T11:18:01.110Z, 2024-10-11T, 2024-10-11; without a zone, UTC. */
export function parseDate(value: unknown): number {
  if (typeof value !== 'string') return NaN;
  const day = /^(\d{4}-\d{2}-\d{2})T?$/.exec(value);
  if (day) return Date.parse(`${day[1]}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?$/i.test(value)) return NaN;
  return Date.parse(/(Z|[+-]\d{2}:?\d{2})$/i.test(value) ? value : `${value}Z`);
}

function sortItems<T>(items: T[], keys: SortKey[], read: Accessor<T>, dateProperties: ReadonlySet<string>): T[] {
  if (keys.length === 0) return items;
  const value = (item: T, property: string): Scalar => {
    const raw = read(item, property, false);
    return dateProperties.has(property) && raw !== null ? Date.parse(String(raw)) : raw;
  };
  // Array.prototype.sort is stable: equal keys keep creation order. NULLs last ascending, first descending.
  return [...items].sort((a, b) => {
    for (const { property, direction } of keys) {
      const [x, y] = [value(a, property), value(b, property)];
      const order = x === null ? (y === null ? 0 : 1) : y === null ? -1 : compare(x, y);
      if (order !== 0) return direction === 'DESC' ? -order : order;
    }
    return 0;
  });
}
