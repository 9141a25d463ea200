import type { DocumentState } from '../core/document-kind.js';

/**
 * The states each transition may start from (seen → fetched → placed → acknowledged, product.md §6).
 * A transition from its own target state is an idempotent repeat — what recovery after a crash does.
 */
export const ALLOWED_FROM = {
  fetched: ['seen', 'fetched'],
  placed: ['fetched', 'placed'],
  acknowledged: ['placed', 'acknowledged'],
  // Never once placed: a quarantined file must not be one Venice can already see.
  quarantined: ['seen', 'fetched', 'quarantined'],
  // Venice may take the file before Billit was told (acknowledging failed or is pending).
  picked_up: ['placed', 'acknowledged', 'picked_up'],
} as const satisfies Record<Exclude<DocumentState, 'seen'>, readonly DocumentState[]>;

/** last_error is for a person to read; a stack trace or a whole HTTP body would only bloat the row. */
export const MAX_ERROR_LENGTH = 2000;

/** "Name: message" for errors, so last_error says what kind of failure it was. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.name === 'Error' ? error.message : `${error.name}: ${error.message}`;
  return String(error);
}

export function truncateError(text: string): string {
  return text.length <= MAX_ERROR_LENGTH ? text : `${text.slice(0, MAX_ERROR_LENGTH - 1)}…`;
}
