import { join } from 'node:path';
import winston from 'winston';
import DailyRotateFile from 'winston-daily-rotate-file';
import { toBrusselsLocal } from '../core/brussels-time.js';

/** The logging billsync's parts use; winston behind it, a recording one in tests. */
export interface Logger {
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
  /** Flushes the files; call once at shutdown. */
  close(): Promise<void>;
}

const MASK = '[redacted]';

/**
 * Removes secrets from any text before it is written: the configured ones (API key, refresh token)
 * wherever they appear, and anything that looks like an ApiKey header or a bearer token.
 */
export function redactor(secrets: readonly string[]): (text: string) => string {
  const known = secrets.filter((s) => s.length >= 6).sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const secret of known) out = out.split(secret).join(MASK);
    return out
      .replace(/(apikey["']?\s*[:=]\s*["']?)[^\s"',;}]+/gi, `$1${MASK}`)
      .replace(/(bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, `$1${MASK}`)
      .replace(/((?:access|refresh)_token["']?\s*[:=]\s*["']?)[^\s"',;}]+/gi, `$1${MASK}`)
      // The status page's address carries its per-start key; a proxy address may carry a password.
      .replace(/([?&]token=)[^&\s"']+/gi, `$1${MASK}`)
      .replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@"']+:)[^\s@/"']+@/gi, `$1${MASK}@`);
  };
}

export interface LogOptions {
  /** Folder of the daily JSON-lines files (billsync-YYYY-MM-DD.log, kept 14 days). */
  dir: string;
  /**
   * Strings that must never reach a log. A function is asked at every line, so a key entered or
   * changed while billsync runs (status page, config reload) is masked from then on; a secret once
   * given stays masked for the logger's life.
   */
  secrets: readonly string[] | (() => readonly string[]);
  /** Also readable lines on the console. @default true */
  console?: boolean;
}

/** JSON lines with daily rotation in the log folder, plus readable console lines; secrets redacted in both. */
export function createLogger(options: LogOptions): Logger {
  const current = typeof options.secrets === 'function' ? options.secrets : () => options.secrets as readonly string[];
  const known = new Set<string>();
  let redactKnown = redactor([]);
  const redact = (text: string): string => {
    const fresh = current().filter((secret) => secret !== '' && !known.has(secret));
    if (fresh.length > 0) {
      for (const secret of fresh) known.add(secret);
      redactKnown = redactor([...known]);
    }
    return redactKnown(text);
  };
  const scrub = winston.format((entry) => {
    entry.message = redact(String(entry.message));
    for (const key of Object.keys(entry)) {
      if (key === 'message' || key === 'level') continue;
      const value = entry[key];
      if (typeof value === 'string') entry[key] = redact(value);
      else if (value !== null && typeof value === 'object') entry[key] = JSON.parse(redact(JSON.stringify(value)));
    }
    entry.time = toBrusselsLocal(new Date());
    return entry;
  });
  const file = new DailyRotateFile({
    dirname: options.dir, filename: 'billsync-%DATE%.log', datePattern: 'YYYY-MM-DD', maxFiles: '14d',
    format: winston.format.combine(scrub(), winston.format.json()),
  });
  const transports: winston.transport[] = [file];
  if (options.console !== false) {
    transports.push(new winston.transports.Console({
      format: winston.format.combine(scrub(), winston.format.printf((e) => `${String(e.time).replace('T', ' ').slice(0, 19)} ${e.level} ${String(e.message)}`)),
    }));
  }
  const logger = winston.createLogger({ level: 'info', transports });
  return {
    info: (message, meta) => logger.info(message, meta),
    warn: (message, meta) => logger.warn(message, meta),
    error: (message, meta) => logger.error(message, meta),
    // The rotating transport reports 'finish' twice: when the logger stops feeding it, and once its
    // file stream is flushed, which comes after the logger's own 'finish'. Wait for that one.
    close: () => new Promise<void>((resolve) => {
      logger.once('finish', () => file.once('finish', () => resolve()));
      logger.end();
      setTimeout(resolve, 2000).unref();
    }),
  };
}

/** The log file of a given day, for "Open log folder" and support. */
export const logFileOf = (dir: string, date: string): string => join(dir, `billsync-${date}.log`);
