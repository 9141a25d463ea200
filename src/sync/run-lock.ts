import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import { uptime } from 'node:os';
import { join } from 'node:path';

/** Another billsync process is syncing the same data: one run at a time per ledger. */
export class RunLockedError extends Error {
  override readonly name = 'RunLockedError';
}

/** When this machine booted (ms), to recognise a lock left before a reboot. */
function bootTime(): number {
  return Math.round(Date.now() - uptime() * 1000);
}

/** Boot times computed at different moments differ by clock drift and rounding. */
const BOOT_TOLERANCE_MS = 120_000;

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
      await handle.writeFile(`${process.pid}\n${bootTime()}\n`);
      await handle.close();
      return async () => { await unlink(file).catch(() => undefined); };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const [pidText = '', bootText = ''] = (await readFile(file, 'utf8').catch(() => '')).split('\n');
      const owner = Number(pidText.trim());
      // A lock from before the last reboot is stale even if another process now has its pid.
      const sameBoot = bootText.trim() === '' || Math.abs(Number(bootText) - bootTime()) < BOOT_TOLERANCE_MS;
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && sameBoot && alive(owner)) {
        throw new RunLockedError(`another billsync (process ${owner}) is syncing with the data in ${dataDir}; wait for it to finish`);
      }
      await unlink(file).catch(() => undefined);
    }
  }
  throw new RunLockedError(`could not take the sync lock ${file}`);
}
