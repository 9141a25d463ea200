import { existsSync, readFileSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';

interface PackageJson {
  name: string;
  version: string;
  license?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

export function readPackageJson(dir: string): PackageJson {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
}

/** Node's lookup: `<dir>/node_modules/<name>`, then each parent folder's, up to and including root. */
export function findPackageDir(name: string, fromDir: string, root: string): string | null {
  let dir = fromDir;
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === root || !dir.startsWith(root)) return null;
    dir = dirname(dir);
  }
}

/**
 * Copies packages and everything they depend on at run time into `<dest>/node_modules`, each at the
 * same place relative to `dest` as it has under `root` (a nested copy stays nested), so Node resolves
 * them exactly as in development. `skip(name, path)` leaves out files a platform does not need
 * (path relative to the package folder, with forward slashes). Returns the copied package folders.
 */
export async function stageRuntimePackages(root: string, names: string[], dest: string, skip: (name: string, path: string) => boolean = () => false): Promise<string[]> {
  const copied = new Map<string, string>();
  const pending = names.map((name) => ({ name, from: root, optional: false }));
  while (pending.length > 0) {
    const { name, from, optional } = pending.shift()!;
    const dir = findPackageDir(name, from, root);
    if (!dir) {
      if (optional) continue;
      throw new Error(`the release needs the package ${name} (required from ${relative(root, from) || 'the sources'}) but it is not installed: run npm ci`);
    }
    if (copied.has(dir)) continue;
    const pkg = readPackageJson(dir);
    copied.set(dir, pkg.name);
    await cp(dir, join(dest, relative(root, dir)), {
      recursive: true,
      filter: (source) => {
        const path = relative(dir, source).split(sep).join('/');
        if (path === 'node_modules') return false; // nested dependencies are copied when the walk reaches them
        return path === '' || !skip(pkg.name, path);
      },
    });
    for (const dep of Object.keys(pkg.dependencies ?? {})) pending.push({ name: dep, from: dir, optional: false });
    for (const dep of Object.keys(pkg.optionalDependencies ?? {})) pending.push({ name: dep, from: dir, optional: true });
  }
  return [...copied.keys()];
}
