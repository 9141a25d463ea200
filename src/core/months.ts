import { addDays, brusselsDate, fromBrusselsLocal } from './brussels-time.js';

/** A calendar month as Brussels local dates: from the 1st (inclusive) to the 1st of the next (exclusive). */
export interface MonthRange {
  /** "2026-10" */
  month: string;
  /** "2026-10-01" */
  from: string;
  /** "2026-11-01" (exclusive) */
  until: string;
}

export function monthRange(month: string): MonthRange {
  const [year, mm] = month.split('-').map(Number) as [number, number];
  const next = mm === 12 ? `${year + 1}-01` : `${year}-${String(mm + 1).padStart(2, '0')}`;
  return { month, from: `${month}-01`, until: `${next}-01` };
}

/** The last full calendar month before `now`, in Brussels, whatever the machine's time zone. */
export function lastFullMonth(now: Date): MonthRange {
  const today = brusselsDate(now);
  const firstOfThisMonth = `${today.slice(0, 7)}-01`;
  return monthRange(addDays(firstOfThisMonth, -1).slice(0, 7));
}

/**
 * The Brussels month ("2026-10") of a Billit document date. Billit writes dates without offset, which
 * are Brussels local already; a value with an explicit offset is converted. Null when unreadable.
 */
export function brusselsMonthOf(billitDate: string | null | undefined): string | null {
  if (!billitDate) return null;
  const text = billitDate.trim();
  if (/(?:Z|[+-]\d{2}:?\d{2})$/.test(text)) {
    const instant = fromBrusselsLocal(text);
    return instant ? brusselsDate(instant).slice(0, 7) : null;
  }
  return /^\d{4}-\d{2}-\d{2}/.test(text) ? text.slice(0, 7) : null;
}

/** The Brussels calendar date (YYYY-MM-DD) of a Billit date, converting explicit offsets. */
export function brusselsDateOf(billitDate: string | null | undefined): string | null {
  if (!billitDate) return null;
  const text = billitDate.trim();
  if (/(?:Z|[+-]\d{2}:?\d{2})$/.test(text)) {
    const instant = fromBrusselsLocal(text);
    return instant ? brusselsDate(instant) : null;
  }
  return /^\d{4}-\d{2}-\d{2}/.test(text) ? text.slice(0, 10) : null;
}

/**
 * The most recent instant ≤ now at which a monthly run (day `day`, time `HH:MM`, Brussels) was due.
 * Used for catch-up after downtime.
 */
export function lastMonthlyDue(now: Date, day: number, time: string): Date {
  const [hh, mm] = time.split(':') as [string, string];
  const today = brusselsDate(now);
  const candidate = (month: string): Date => fromBrusselsLocal(`${month}-${String(day).padStart(2, '0')}T${hh}:${mm}:00`)!;
  const thisMonth = candidate(today.slice(0, 7));
  if (thisMonth.getTime() <= now.getTime()) return thisMonth;
  return candidate(addDays(`${today.slice(0, 7)}-01`, -1).slice(0, 7));
}
