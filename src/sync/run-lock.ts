import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/** Another billsync process is syncing the same data: one run at a time per ledger. */
export class RunLockedError extends Error {
  override readonly name = 'RunLockedError';
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A lock file in the data dir holding the owner's pid. A lock whose process is gone (killed, crashed)
 * is taken over, so a crash never blocks the next run.
 */
export async function acquireRunLock(dataDir: string): Promise<() => Promise<void>> {
  await mkdir(dataDir, { recursive: true });
  const file = join(dataDir, 'sync.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return async () => { await unlink(file).catch(() => undefined); };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner)) {
        throw new RunLockedError(`another billsync (process ${owner}) is syncing with the data in ${dataDir}; wait for it to finish`);
      }
      await unlink(file).catch(() => undefined);
    }
  }
  throw new RunLockedError(`could not take the sync lock ${file}`);
}
