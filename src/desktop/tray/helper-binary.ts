import { chmodSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * systray2's helpers are packed with mode 0644 and its own `chmod(path, '+x')` is an invalid call
 * that it swallows, so a fresh install fails to spawn the helper with EACCES. This makes the Linux
 * and macOS helpers executable (the postinstall does the same; this covers installs that skipped
 * scripts). Returns why it could not, or null: a read-only or foreign-owned install (EROFS, EPERM)
 * is not an error here, the spawn that follows tells whether the tray works.
 */
export function ensureHelperExecutable(platform: NodeJS.Platform): string | null {
  if (platform === 'win32') return null;
  let dir: string;
  try {
    dir = join(dirname(createRequire(import.meta.url).resolve('systray2')), 'traybin');
  } catch (error) {
    return `systray2 could not be located (${(error as Error).message})`;
  }
  const problems: string[] = [];
  for (const name of ['tray_linux_release', 'tray_darwin_release']) {
    const file = join(dir, name);
    try {
      if ((statSync(file).mode & 0o111) !== 0) continue;
      chmodSync(file, 0o755);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') continue;
      problems.push(`${file} could not be made executable (${code ?? (error as Error).message})`);
    }
  }
  return problems.length > 0 ? problems.join('; ') : null;
}
