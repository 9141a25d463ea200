/** Exit codes of the command line (product.md §9). */
export const EXIT = {
  ok: 0,
  /** Finished, but some documents failed. */
  documentFailures: 1,
  /** Usage or configuration error. */
  usage: 2,
  /** Billit or the export root cannot be reached. */
  unreachable: 3,
} as const;

/** An error the user caused by how billsync was called; exits with code 2 and a one-line message. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
