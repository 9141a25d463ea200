import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Reading back the daily JSON-lines files that platform/log.ts writes: the status page's Logs tab and
 * the diagnostics report show their newest lines.
 */

/** How many lines the Logs page shows at most. */
export const LOG_LINES = 200;
/** How much of each file's end is read: a day of heavy logging must not be read whole. */
const TAIL_BYTES = 512 * 1024;
const LOG_FILE = /^billsync-\d{4}-\d{2}-\d{2}\.log$/;

export const LOG_LEVELS = ['all', 'warn', 'error'] as const;
export type LogFilter = (typeof LOG_LEVELS)[number];

export interface LogLine {
  /** Brussels local "YYYY-MM-DDTHH:mm:ss.SSS" as the logger writes it; null for a line that is not JSON. */
  time: string | null;
  level: string | null;
  message: string;
  /** The entry's other fields (meta), as JSON. */
  extra: string | null;
  /** Not a JSON line (e.g. a crash printed by the runtime): shown as it is. */
  raw: boolean;
  file: string;
}

/** The end of a file, whole lines only. */
async function tail(file: string, maxBytes: number): Promise<string[]> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const start = Math.max(0, size - maxBytes);
    const buffer = Buffer.alloc(size - start);
    await handle.read(buffer, 0, buffer.length, start);
    const lines = buffer.toString('utf8').split(/\r?\n/);
    if (start > 0) lines.shift(); // the first line was cut
    return lines.filter((line) => line.trim() !== '');
  } finally {
    await handle.close();
  }
}

export function parseLogLine(line: string, file: string): LogLine {
  try {
    const entry: unknown = JSON.parse(line);
    if (entry !== null && typeof entry === 'object' && !Array.isArray(entry)) {
      const { time, level, message, ...rest } = entry as Record<string, unknown>;
      return {
        time: typeof time === 'string' ? time : null, level: typeof level === 'string' ? level : null,
        message: typeof message === 'string' ? message : JSON.stringify(message ?? ''),
        extra: Object.keys(rest).length > 0 ? JSON.stringify(rest) : null, raw: false, file,
      };
    }
  } catch { /* not JSON: shown raw */ }
  return { time: null, level: null, message: line, extra: null, raw: true, file };
}

function passes(line: LogLine, filter: LogFilter): boolean {
  if (filter === 'all') return true;
  if (filter === 'error') return line.level === 'error';
  return line.level === 'error' || line.level === 'warn';
}

/**
 * The newest `limit` lines that pass the filter, newest first, from the newest daily files
 * (billsync-YYYY-MM-DD.log, JSON lines). Lines that are not JSON have no level: only "all" shows them.
 */
export async function readLogTail(dir: string, filter: LogFilter, limit = LOG_LINES): Promise<LogLine[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => LOG_FILE.test(name)).sort().reverse();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const out: LogLine[] = [];
  for (const name of names) {
    const lines = await tail(join(dir, name), TAIL_BYTES);
    for (let i = lines.length - 1; i >= 0 && out.length < limit; i--) {
      const parsed = parseLogLine(lines[i]!, name);
      if (passes(parsed, filter)) out.push(parsed);
    }
    if (out.length >= limit) break;
  }
  return out;
}
