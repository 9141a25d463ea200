import { ConfigError } from './config-error.js';
import { parseConfig } from './load-config.js';
import type { BillsyncConfig } from './schema.js';

/**
 * `billsync config get|set|unset KEY`: a dotted key ("billit.apiKey", "policy.frequency",
 * "dossiers.200001.folder") read from or applied to the configuration file's JSON, checked by the schema
 * before anything is saved.
 */

/** Keys whose value is a secret, or may hold one (a proxy address with a password): never printed. */
export const SECRET_KEYS = new Set(['billit.apiKey', 'billit.proxy']);

const SEGMENT = /^[A-Za-z0-9_-]{1,100}$/;
// A key path must never reach an object's prototype through the JSON it edits.
const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor']);

export function splitKey(key: string): string[] {
  const path = key.split('.');
  if (path.length === 0 || path.some((segment) => !SEGMENT.test(segment) || FORBIDDEN.has(segment))) {
    throw new ConfigError(`"${key}" is not a configuration key: words joined by dots, e.g. billit.apiKey or policy.frequency`, '(command line)', key);
  }
  return path;
}

/** The value at `path`, or undefined when it is not set. */
export function valueAt(config: unknown, path: readonly string[]): unknown {
  let node: unknown = config;
  for (const segment of path) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, segment)) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

/** A copy of `raw` with `path` set to `value` (undefined removes it), objects created on the way. */
export function withValue(raw: unknown, path: readonly string[], value: unknown): Record<string, unknown> {
  const root: Record<string, unknown> = isObject(raw) ? structuredClone(raw) : {};
  let node = root;
  for (const segment of path.slice(0, -1)) {
    if (!isObject(node[segment])) {
      if (value === undefined) return root; // nothing there to remove
      node[segment] = {};
    }
    node = node[segment] as Record<string, unknown>;
  }
  const last = path.at(-1)!;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return root;
}

/**
 * Applies `text` at `path` and validates the result. The text is tried as JSON first (4, true, null,
 * {"frequency":"never"}) and then as the string it is, so `set billit.ratePerSecond 4` gives a number
 * and `set billit.apiKey 12345` still a string. The schema's complaint about the first reading is the
 * one told when neither fits.
 */
export function applySetting(raw: unknown, path: readonly string[], text: string, file: string): { raw: Record<string, unknown>; config: BillsyncConfig } {
  const readings: unknown[] = [];
  try { readings.push(JSON.parse(text)); } catch { /* not JSON: only the string */ }
  if (readings.length === 0 || readings[0] !== text) readings.push(text);
  let first: unknown = null;
  for (const value of readings) {
    const next = withValue(raw, path, value);
    try {
      return { raw: next, config: parseConfig(next, file) };
    } catch (error) {
      first ??= error;
    }
  }
  throw first;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
