import * as fsp from 'node:fs/promises';

/**
 * The file operations billsync uses, behind one interface so that tests can inject the faults of
 * the outside world (a full disk, a file Venice holds open, a share that disappears) without a
 * broken disk. The real implementation is node:fs/promises.
 */
export type FileSystem = Pick<typeof fsp, 'mkdir' | 'open' | 'rename' | 'unlink' | 'readFile' | 'writeFile' | 'stat' | 'readdir' | 'rm' | 'access'>;

export const realFileSystem: FileSystem = fsp;

/** True when the error is "no such file or directory". */
export const isNotFound = (error: unknown): boolean => (error as NodeJS.ErrnoException)?.code === 'ENOENT';
