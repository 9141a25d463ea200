import { createHash } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { isNotFound, type FileSystem } from '../platform/fs/file-system.js';
import { renameWithRetry, syncDirectory, writeTempFile } from '../platform/fs/atomic-write.js';
import { conflictName } from './layout.js';

export interface Placement {
  /** written: a new file; identical: the same bytes were already there; conflict: written beside a different file. */
  status: 'written' | 'identical' | 'conflict';
  path: string;
  /** For a conflict: the existing file that was left alone. */
  conflictWith?: string;
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

async function existingSha(fs: FileSystem, path: string): Promise<string | null> {
  try {
    return sha256(await fs.readFile(path));
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

/**
 * Puts a file where Venice will see it, whole or not at all: temporary name in the same folder,
 * fsync, rename, fsync the folder. A different file already at the name is never overwritten — Venice
 * may be reading it — so the file goes to the first free conflict name; the same bytes are a no-op.
 */
export async function placeFile(fs: FileSystem, target: string, bytes: Buffer): Promise<Placement> {
  const dir = dirname(target);
  const name = basename(target);
  const digest = sha256(bytes);
  await fs.mkdir(dir, { recursive: true });
  // Windows (and the SMB share Venice reads) compare names case-insensitively: on a case-sensitive disk
  // "INV-1.xml" and "inv-1.xml" would be two files that collide on the share.
  const onWindows = new Map((await fs.readdir(dir)).map((entry) => [entry.toLowerCase(), entry] as const));
  for (let n = 1; n <= 1000; n++) {
    const wanted = n === 1 ? target : join(dir, conflictName(name, n));
    const candidate = join(dir, onWindows.get(basename(wanted).toLowerCase()) ?? basename(wanted));
    const present = await existingSha(fs, candidate);
    if (present === digest) return { status: 'identical', path: candidate };
    if (present !== null) continue;
    const temp = await writeTempFile(fs, dir, bytes);
    try {
      // Checked again right before the rename: only billsync creates files here, so the window is ours.
      if ((await existingSha(fs, candidate)) !== null) {
        await fs.unlink(temp);
        n -= 1;
        continue;
      }
      await renameWithRetry(fs, temp, candidate);
    } catch (error) {
      await fs.unlink(temp).catch(() => undefined);
      throw error;
    }
    await syncDirectory(fs, dir);
    return n === 1 ? { status: 'written', path: candidate } : { status: 'conflict', path: candidate, conflictWith: target };
  }
  throw new Error(`more than 1000 different files named like ${target}; refusing to add another`);
}
