/** What a sandbox route answers; the server turns it into bytes (and maybe into a fault). */
export interface Reply {
  status: number;
  /** JSON body; undefined means an empty body (Billit's PATCH answers 200 with nothing). */
  json?: unknown;
  headers?: Record<string, string>;
}

/** An answer in Billit's error shape: {"errors":[{"Code","Description"}]}. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(readonly status: number, readonly code: string, readonly description: string, readonly headers: Record<string, string> = {}) {
    super(`${status} ${code}: ${description}`);
  }

  toReply(): Reply {
    return { status: this.status, json: { errors: [{ Code: this.code, Description: this.description }] }, headers: this.headers };
  }
}

export const ok = (json?: unknown): Reply => (json === undefined ? { status: 200 } : { status: 200, json });
