import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { isNotFound, realFileSystem, type FileSystem } from '../platform/fs/file-system.js';
import { writeFileAtomic } from '../platform/fs/atomic-write.js';

export const ROOT_MARKER = '.billsync';

/** The export root or its marker is missing: an unmounted share must never receive a fresh tree. */
export class ExportRootError extends Error {
  override readonly name = 'ExportRootError';

  constructor(message: string, readonly root: string) {
    super(message);
  }
}

/**
 * Checks that the export root is the real, mounted folder. On first use (nothing exported yet)
 * the marker is created; afterwards a missing marker means the share is not mounted, and billsync
 * stops without touching anything.
 */
export async function checkExportRoot(fs: FileSystem, root: string, firstUse: boolean): Promise<void> {
  try {
    const stats = await fs.stat(root);
    if (!stats.isDirectory()) throw new ExportRootError(`export root ${root} is not a folder`, root);
  } catch (error) {
    if (error instanceof ExportRootError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new ExportRootError(`export root ${root} cannot be reached (${code}): is the network share connected? Nothing was exported.`, root);
  }
  try {
    await fs.access(join(root, ROOT_MARKER));
    return;
  } catch (error) {
    if (!isNotFound(error)) throw new ExportRootError(`export root ${root}: the marker ${ROOT_MARKER} cannot be read (${(error as NodeJS.ErrnoException).code}).`, root);
  }
  if (!firstUse) {
    throw new ExportRootError(`export root ${root} has no ${ROOT_MARKER} marker although billsync exported there before: `
      + 'the share is probably not mounted, or the folder was replaced. Nothing was exported. Reconnect the share, or restore the marker file if the folder moved on purpose.', root);
  }
  const marker = JSON.stringify({ createdBy: 'billsync', createdAt: new Date().toISOString(), rootId: randomUUID() }, null, 2);
  await writeFileAtomic(fs, root, ROOT_MARKER, Buffer.from(`${marker}\n`));
}

/** Whether the root is there with its marker (for watchers, which must not watch an unmounted share's mount point). */
export async function hasMarker(root: string, fs: Pick<FileSystem, 'access'> = realFileSystem): Promise<boolean> {
  try {
    await fs.access(join(root, ROOT_MARKER));
    return true;
  } catch {
    return false;
  }
}
