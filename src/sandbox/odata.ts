/**
 * The OData subset Billit's list endpoints answer and billsync needs: comparisons joined with `and`,
 * `$orderby` on one property, `$top` (at most 120) and `$skip`. Anything else is answered the way
 * Billit answers it: 400 with Code "GenericError".
 */

export type ODataValue = string | number | boolean | null | Date;

export interface FieldSpec<T> {
  type: 'string' | 'number' | 'boolean' | 'datetime';
  get: (item: T) => ODataValue;
}

export type EntitySpec<T> = { typeName: string; fields: Record<string, FieldSpec<T>> };

export class ODataError extends Error {
  override readonly name = 'ODataError';
}

type Operator = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
interface Comparison { property: string; operator: Operator; value: ODataValue; }

const TOKEN = /\s*([A-Za-z_][\w/]*)\s+(eq|ne|gt|ge|lt|le)\s+(DateTime'[^']*'|datetime'[^']*'|'(?:[^']|'')*'|true|false|null|-?\d+(?:\.\d+)?)\s*/y;

export function parseFilter(filter: string): Comparison[] {
  const comparisons: Comparison[] = [];
  let position = 0;
  const text = filter.trim();
  while (position < text.length) {
    TOKEN.lastIndex = position;
    const match = TOKEN.exec(text);
    if (!match) throw new ODataError(`Syntax error at position ${position} in '${text}'.`);
    comparisons.push({ property: match[1]!, operator: match[2] as Operator, value: parseLiteral(match[3]!) });
    position = TOKEN.lastIndex;
    if (position >= text.length) break;
    const joiner = /\s*and\s+/iy;
    joiner.lastIndex = position;
    if (!joiner.exec(text)) throw new ODataError(`Syntax error at position ${position} in '${text}': only 'and' is supported.`);
    position = joiner.lastIndex;
  }
  return comparisons;
}

function parseLiteral(raw: string): ODataValue {
  if (/^datetime'/i.test(raw)) {
    const inner = raw.slice(raw.indexOf("'") + 1, -1);
    const date = parseLocalDateTime(inner);
    if (!date) throw new ODataError(`The DateTime literal '${inner}' is not valid.`);
    return date;
  }
  if (raw.startsWith("'")) return raw.slice(1, -1).replace(/''/g, "'");
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (raw === 'null') return null;
  return Number(raw);
}

/** Billit timestamps have no offset; compare them as naive local times (milliseconds of a UTC reading). */
export function parseLocalDateTime(text: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?$/.exec(text.trim());
  if (!m) return null;
  const ms = Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3));
  const value = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), ms);
  return Number.isNaN(value) ? null : new Date(value);
}

function compare(a: ODataValue, b: ODataValue): number {
  if (a === null || b === null) return a === b ? 0 : Number.NaN;
  const x = a instanceof Date ? a.getTime() : a;
  const y = b instanceof Date ? b.getTime() : b;
  if (typeof x === 'string' && typeof y === 'string') return x.localeCompare(y, 'en', { sensitivity: 'accent' });
  if (x === y) return 0;
  return x < y ? -1 : 1;
}

function holds(c: number, operator: Operator): boolean {
  switch (operator) {
    case 'eq': return c === 0;
    case 'ne': return c !== 0;
    case 'gt': return c > 0;
    case 'ge': return c >= 0;
    case 'lt': return c < 0;
    case 'le': return c <= 0;
  }
}

export interface QueryResult<T> { items: T[]; count: number; nextSkip: number | null; }

/** Applies `$filter`, `$orderby`, `$skip` and `$top` of a request to a list of entities. */
export function runQuery<T>(spec: EntitySpec<T>, all: readonly T[], params: URLSearchParams, pageSize = 120): QueryResult<T> {
  const filter = params.get('$filter');
  const comparisons = filter ? parseFilter(filter) : [];
  for (const c of comparisons) {
    const field = spec.fields[c.property];
    if (!field) throw new ODataError(`Could not find a property named '${c.property}' on type '${spec.typeName}'.`);
    if (field.type === 'datetime' && c.value !== null && !(c.value instanceof Date)) {
      throw new ODataError(`A binary operator with incompatible types was detected. Found operand types 'Edm.DateTime' and '${typeof c.value}' for operator kind '${c.operator}'.`);
    }
  }
  let items = all.filter((item) => comparisons.every((c) => holds(compare(spec.fields[c.property]!.get(item), c.value), c.operator)));

  const orderBy = params.get('$orderby');
  if (orderBy) {
    const [property = '', direction = 'asc'] = orderBy.trim().split(/\s+/);
    const field = spec.fields[property];
    if (!field) throw new ODataError(`Could not find a property named '${property}' on type '${spec.typeName}'.`);
    const sign = direction.toLowerCase() === 'desc' ? -1 : 1;
    items = items.map((item, index) => ({ item, index }))
      .sort((a, b) => sign * (compare(field.get(a.item), field.get(b.item)) || 0) || a.index - b.index)
      .map((entry) => entry.item);
  }

  const top = readInt(params, '$top', pageSize);
  if (top > pageSize) throw new ODataError(`The limit of '${pageSize}' for Top query has been exceeded. The value from the incoming request is '${top}'.`);
  const skip = readInt(params, '$skip', 0);
  const page = items.slice(skip, skip + top);
  const nextSkip = skip + top < items.length ? skip + top : null;
  return { items: page, count: items.length, nextSkip };
}

function readInt(params: URLSearchParams, name: string, fallback: number): number {
  const raw = params.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ODataError(`The value '${raw}' for ${name} is not a valid non-negative integer.`);
  return Number(raw);
}
