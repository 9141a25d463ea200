/**
 * Times of business meaning are Europe/Brussels, whatever the machine's time zone. Billit writes
 * timestamps without an offset ("2025-04-25T16:22:25.457"), which we read as Brussels local time.
 */

export const BUSINESS_TIME_ZONE = 'Europe/Brussels';

const formatter = new Intl.DateTimeFormat('en-GB', {
  timeZone: BUSINESS_TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric', month: '2-digit', day: '2-digit',
  hour: '2-digit', minute: '2-digit', second: '2-digit',
});

interface LocalParts { year: number; month: number; day: number; hour: number; minute: number; second: number; }

/** Brussels wall-clock fields as the time zone database gives them (slow: a formatToParts call). */
function zonedParts(instant: Date): LocalParts {
  const parts: Record<string, number> = {};
  for (const part of formatter.formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

const HOUR_MS = 3_600_000;
/** Offset (minutes) by UTC hour. Brussels changes offset only on whole UTC hours (01:00 UTC since 1981). */
const offsetByHour = new Map<number, number>();

/**
 * The offset in force during the UTC hour of `ms`, asked of the time zone database once per hour and
 * kept: reading a listing of thousands of Billit timestamps each minute no longer formats each one.
 */
function offsetMinutesAt(ms: number): number {
  const hour = Math.floor(ms / HOUR_MS);
  let offset = offsetByHour.get(hour);
  if (offset === undefined) {
    const start = new Date(hour * HOUR_MS);
    const p = zonedParts(start);
    offset = Math.round((Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - start.getTime()) / 60000);
    if (offsetByHour.size >= 50_000) offsetByHour.clear();
    offsetByHour.set(hour, offset);
  }
  return offset;
}

function localParts(instant: Date): LocalParts {
  const shifted = new Date(instant.getTime() + offsetMinutesAt(instant.getTime()) * 60000);
  return {
    year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(), minute: shifted.getUTCMinutes(), second: shifted.getUTCSeconds(),
  };
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** "YYYY-MM-DDTHH:mm:ss.SSS" in Brussels local time, the way Billit writes timestamps. */
export function toBrusselsLocal(instant: Date): string {
  const p = localParts(instant);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}.${pad(instant.getUTCMilliseconds(), 3)}`;
}

/**
 * A stored ISO instant (the ledger keeps UTC) as Brussels wall-clock "YYYY-MM-DD HH:MM:SS", which
 * people read and Excel takes for a date and time. Text that is not an instant comes back as it is.
 */
export function brusselsTime(iso: string): string {
  const instant = new Date(iso);
  return Number.isNaN(instant.getTime()) ? iso : toBrusselsLocal(instant).slice(0, 19).replace('T', ' ');
}

/** "YYYY-MM-DD" of the instant in Brussels. */
export function brusselsDate(instant: Date): string {
  return toBrusselsLocal(instant).slice(0, 10);
}

/** Offset of Brussels from UTC, in minutes, at `instant` (60 in winter, 120 in summer). */
export function brusselsOffsetMinutes(instant: Date): number {
  return offsetMinutesAt(instant.getTime());
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?$/;

/**
 * Reads a Billit timestamp (no offset) as Brussels local time. A value that carries its own offset
 * or "Z" is honoured as such. Returns null when the text is not a timestamp. In the autumn hour that
 * occurs twice, the later (winter-time) instant is chosen; a time skipped in spring maps an hour on.
 */
export function fromBrusselsLocal(text: string): Date | null {
  const trimmed = text.trim();
  if (/(?:Z|[+-]\d{2}:?\d{2})$/.test(trimmed)) {
    const parsed = new Date(trimmed);
    return Number.isNaN(parsed.getTime()) ? null : parsed;
  }
  const m = LOCAL.exec(trimmed);
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0'] = m;
  const ms = Number(frac.padEnd(3, '0').slice(0, 3));
  const naive = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  if (Number.isNaN(naive)) return null;
  // Two passes settle the offset also right after a DST switch.
  let guess = naive - brusselsOffsetMinutes(new Date(naive)) * 60000;
  guess = naive - brusselsOffsetMinutes(new Date(guess)) * 60000;
  return new Date(guess);
}

/** Adds whole days to a YYYY-MM-DD date (calendar arithmetic, no time zone involved). */
export function addDays(date: string, days: number): string {
  const t = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) + days * 86400000;
  return new Date(t).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday for a YYYY-MM-DD date. */
export function weekday(date: string): number {
  return new Date(`${date}T12:00:00Z`).getUTCDay();
}
