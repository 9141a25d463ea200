import { toBrusselsLocal } from '../core/brussels-time.js';

/** OData literals as Billit expects them. Timestamps are Brussels local time without offset. */
export const odataDateTime = (instant: Date): string => `DateTime'${toBrusselsLocal(instant).slice(0, 19)}'`;
export const odataString = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/** Joins conditions with `and`, skipping empty ones. */
export function odataAnd(...conditions: Array<string | null | undefined | false>): string {
  return conditions.filter((c): c is string => typeof c === 'string' && c.length > 0).join(' and ');
}
