import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rename, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import { uptime } from 'node:os';
import { dirname } from 'node:path';

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

/** Who holds a lock, and what it chose to tell others (e.g. where its status page runs). */
export interface LockOwner {
  pid: number;
  info: Record<string, unknown>;
}

export interface PidLock {
  /** Replaces the information other processes read from the lock. */
  update(info: Record<string, unknown>): Promise<void>;
  release(): Promise<void>;
}

const format = (info: Record<string, unknown>) => `${process.pid}\n${bootTime()}\n${JSON.stringify(info)}\n`;

/**
 * A lock file holding the owner's pid, boot time and some information: "pid\nboot\n{json}\n". A lock
 * whose process is gone (killed, crashed) or that dates from before the last reboot is taken over, so
 * a crash never blocks the next start. `busy` turns a live owner into the caller's error.
 */
export async function acquirePidLock(file: string, info: Record<string, unknown>, busy: (owner: LockOwner) => Error): Promise<PidLock> {
  await mkdir(dirname(file), { recursive: true });
  // Enough turns to outwait a guard left by a start killed while breaking a lock (BREAK_GUARD_STALE_MS).
  for (let attempt = 0; attempt < 200; attempt++) {
    // The lock appears with its content or not at all (a hard link of a finished file): a second start
    // racing this one can never read it empty and take it for stale.
    const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(temp, format(info), { mode: 0o600 });
    try {
      await link(temp, file);
      return {
        update: async (next) => {
          // Readers must never see a half-written lock: write beside it, then rename over it.
          const fresh = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
          await writeFile(fresh, format(next), { mode: 0o600 });
          await rename(fresh, file);
        },
        // Only our own lock is removed: a process that took over a lock it found stale keeps its own.
        release: async () => {
          const owner = (await readFile(file, 'utf8').catch(() => '')).split('\n')[0];
          if (owner === String(process.pid)) await unlink(file).catch(() => undefined);
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const text = await readFile(file, 'utf8').catch(() => null);
      if (text === null) continue; // released meanwhile: try again
      const owner = ownerOf(text);
      if (owner && owner.pid !== process.pid) throw busy(owner);
      if (!await removeStale(file, text)) await new Promise((resolve) => setTimeout(resolve, 25));
    } finally {
      await unlink(temp).catch(() => undefined);
    }
  }
  throw busy({ pid: 0, info: {} });
}

/** A guard left by a process killed while it held it is ignored after this long (breaking takes milliseconds). */
const BREAK_GUARD_STALE_MS = 2_000;

/**
 * Removes a stale lock, but only the very lock that was found stale. Two starts that both found it
 * stale must not both remove "it": the second would remove the lock the first has just taken, and
 * two agents would run. So the check and the removal happen under a guard folder (mkdir is atomic),
 * and the file is removed only if it still holds what was read. False when another start holds the
 * guard (the caller waits a moment and looks again).
 */
async function removeStale(file: string, staleText: string): Promise<boolean> {
  const guard = `${file}.break`;
  try {
    await mkdir(guard);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const since = await stat(guard).then((s) => Date.now() - s.mtimeMs, () => 0);
    if (since > BREAK_GUARD_STALE_MS) await rmdir(guard).catch(() => undefined);
    return false;
  }
  try {
    if (await readFile(file, 'utf8').catch(() => null) === staleText) await unlink(file).catch(() => undefined);
  } finally {
    await rmdir(guard).catch(() => undefined);
  }
  return true;
}

/** The live owner of a lock file, or null when there is none or it is stale (process gone, before the last reboot). */
export async function readPidLock(file: string): Promise<LockOwner | null> {
  return ownerOf(await readFile(file, 'utf8').catch(() => ''));
}

function ownerOf(text: string): LockOwner | null {
  const [pidText = '', bootText = '', infoText = ''] = text.split('\n');
  const pid = Number(pidText.trim());
  // A lock from before the last reboot is stale even if another process now has its pid.
  const sameBoot = bootText.trim() === '' || Math.abs(Number(bootText) - bootTime()) < BOOT_TOLERANCE_MS;
  if (!Number.isInteger(pid) || pid <= 0 || !sameBoot || !alive(pid)) return null;
  return { pid, info: parseInfo(infoText) };
}

function parseInfo(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : {};
  } catch {
    return {};
  }
}

/** Removes a lock whose owner turned out not to be a billsync (its pid was reused after a crash). */
export async function breakPidLock(file: string, pid: number): Promise<void> {
  const owner = (await readFile(file, 'utf8').catch(() => '')).split('\n')[0];
  if (owner === String(pid)) await unlink(file).catch(() => undefined);
}
