import { join } from 'node:path';
import { acquirePidLock } from '../platform/pid-lock.js';

/** Another billsync process is syncing the same data: one run at a time per ledger. */
export class RunLockedError extends Error {
  override readonly name = 'RunLockedError';
}

/**
 * One run at a time per data dir (a `billsync sync` beside a running agent waits its turn). A lock
 * whose process is gone is taken over, so a crash never blocks the next run.
 */
export async function acquireRunLock(dataDir: string): Promise<() => Promise<void>> {
  const lock = await acquirePidLock(join(dataDir, 'sync.lock'), {}, (owner) => new RunLockedError(owner.pid > 0
    ? `another billsync (process ${owner.pid}) is syncing with the data in ${dataDir}; wait for it to finish`
    : `could not take the sync lock in ${dataDir}`));
  return () => lock.release();
}
