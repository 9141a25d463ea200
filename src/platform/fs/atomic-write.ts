import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FileSystem } from './file-system.js';

/**
 * Temporary files start with a dot and end in ".partial": hidden in Explorer's default view and an
 * extension Venice does not import. Reconciliation removes leftovers by this pattern.
 */
export const TEMP_PREFIX = '.billsync-';
export const TEMP_SUFFIX = '.partial';
export const isTempName = (name: string): boolean => name.startsWith(TEMP_PREFIX) && name.endsWith(TEMP_SUFFIX);

/** Windows answers these while another program (Venice, a virus scanner) holds the file. */
const TRANSIENT = new Set(['EBUSY', 'EPERM', 'EACCES']);

/**
 * Writes `bytes` to a temporary file in `dir` and makes it durable: write, fsync, close. Returns the
 * temporary path; the caller renames it into place.
 */
export async function writeTempFile(fs: FileSystem, dir: string, bytes: Buffer): Promise<string> {
  const temp = join(dir, `${TEMP_PREFIX}${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
  const handle = await fs.open(temp, 'wx', 0o644);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await fs.unlink(temp).catch(() => undefined);
    throw error;
  }
  await handle.close();
  return temp;
}

/** Renames, retrying a few times on the sharing violations Windows reports as EBUSY/EPERM. */
export async function renameWithRetry(fs: FileSystem, from: string, to: string, attempts = 6): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await fs.rename(from, to);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (!TRANSIENT.has(code) || attempt >= attempts) throw error;
      await sleep(50 * 2 ** attempt);
    }
  }
}

/** Makes a rename durable by syncing the folder. Windows cannot open folders this way; NTFS journals it. */
export async function syncDirectory(fs: FileSystem, dir: string): Promise<void> {
  let handle;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (!['EISDIR', 'EPERM', 'EINVAL', 'EACCES', 'ENOTSUP', 'EBADF'].includes(code)) throw error;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** Writes a whole file atomically (temp, fsync, rename, fsync folder), replacing any previous one. For billsync's own files. */
export async function writeFileAtomic(fs: FileSystem, dir: string, name: string, bytes: Buffer): Promise<string> {
  await fs.mkdir(dir, { recursive: true });
  const temp = await writeTempFile(fs, dir, bytes);
  const target = join(dir, name);
  try {
    await renameWithRetry(fs, temp, target);
  } catch (error) {
    await fs.unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDirectory(fs, dir);
  return target;
}
