import { isAbsolute, join, win32 } from 'node:path';
import { writeTempFile } from '../platform/fs/atomic-write.js';
import { isNotFound, type FileSystem } from '../platform/fs/file-system.js';
import { ROOT_MARKER } from './export-root.js';

/**
 * Before an export root is saved (the settings page, \`billsync config set exportRoot\`): can billsync
 * write there? Changes nothing but a test file it removes again.
 */

export type RootProblem = 'relative' | 'missing' | 'blocked' | 'not-folder' | 'denied' | 'read-only' | 'full' | 'other';

export type RootTest =
  | { ok: true; hasMarker: boolean }
  | { ok: false; problem: RootProblem; code: string };

/** A local path (C:\…, /…) or a UNC share (\\server\share), on whichever system the page runs. */
export function isFullPath(path: string): boolean {
  return isAbsolute(path) || win32.isAbsolute(path);
}

/**
 * The write test: the folder must exist (an unmounted share must never get a fresh tree), and a file
 * written there must reach the disk. The test file carries the atomic writer's temporary name, so a
 * leftover after a crash is one that reconciliation already cleans up.
 */
export async function writeTestExportRoot(fs: FileSystem, root: string): Promise<RootTest> {
  if (!isFullPath(root)) return { ok: false, problem: 'relative', code: '' };
  try {
    const stats = await fs.stat(root);
    if (!stats.isDirectory()) return { ok: false, problem: 'not-folder', code: '' };
  } catch (error) {
    return failure(error, { ENOENT: 'missing', ENOTDIR: 'blocked', EACCES: 'denied', EPERM: 'denied' });
  }
  try {
    const temp = await writeTempFile(fs, root, Buffer.from('billsync write test: this file can be deleted\r\n', 'utf8'));
    await fs.unlink(temp);
  } catch (error) {
    return failure(error, { EACCES: 'denied', EPERM: 'denied', EROFS: 'read-only', ENOSPC: 'full', EDQUOT: 'full', ENOENT: 'missing' });
  }
  let hasMarker = true;
  try {
    await fs.access(join(root, ROOT_MARKER));
  } catch (error) {
    if (!isNotFound(error)) return failure(error, { EACCES: 'denied', EPERM: 'denied' });
    hasMarker = false;
  }
  return { ok: true, hasMarker };
}

function failure(error: unknown, problems: Record<string, RootProblem>): RootTest {
  const code = (error as NodeJS.ErrnoException).code ?? 'error';
  return { ok: false, problem: problems[code] ?? 'other', code };
}
