import { join } from 'node:path';
import { acquirePidLock, breakPidLock, readPidLock, type LockOwner, type PidLock } from '../platform/pid-lock.js';

/** What a running agent tells a second start: where it runs. */
export interface InstanceInfo {
  startedAt: string;
  /** Its status page, with the per-start token, once the page is up. */
  statusUrl?: string;
  logDir: string;
  exportRoot: string;
}

/** `billsync run` is already running for this user (same data dir). */
export class AlreadyRunningError extends Error {
  override readonly name = 'AlreadyRunningError';

  constructor(readonly pid: number, readonly info: Partial<InstanceInfo>) {
    super(`billsync is already running (process ${pid}${info.startedAt ? `, since ${info.startedAt}` : ''})`);
  }
}

/**
 * One agent per user: a lock file in the data dir (per user) that says who runs and where its status
 * page is. The file is readable by the user only, because the status URL carries the page's token.
 */
export async function claimInstance(dataDir: string, info: InstanceInfo): Promise<PidLock> {
  const file = join(dataDir, 'agent.lock');
  const claim = () => acquirePidLock(file, { ...info }, (owner: LockOwner) => new AlreadyRunningError(owner.pid, owner.info as Partial<InstanceInfo>));
  try {
    return await claim();
  } catch (error) {
    // After a crash the dead agent's pid may belong to another program now (Windows reuses pids
    // quickly): the lock then names a status page nobody answers. Such a lock is stale.
    if (!(error instanceof AlreadyRunningError) || !error.info.statusUrl || await statusPageAnswers(error.info.statusUrl)) throw error;
    await breakPidLock(file, error.pid);
    return claim();
  }
}

async function statusPageAnswers(url: string): Promise<boolean> {
  try {
    // Any HTTP answer (our page says 401 without its cookie) means a billsync is there.
    await fetch(new URL('/style.css', url), { signal: AbortSignal.timeout(2000), redirect: 'manual' });
    return true;
  } catch {
    return false;
  }
}

/** The agent running for this data dir, if any: for `billsync status`, which must not take the lock. */
export async function runningInstance(dataDir: string): Promise<{ pid: number; info: Partial<InstanceInfo> } | null> {
  const owner = await readPidLock(join(dataDir, 'agent.lock'));
  return owner ? { pid: owner.pid, info: owner.info as Partial<InstanceInfo> } : null;
}
