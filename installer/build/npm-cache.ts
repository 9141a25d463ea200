import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { PinnedTarball } from './runtime-pins.js';

const run = promisify(execFile);

/** The file name `npm pack` gives a package: `name-version.tgz` (scopes flattened). */
function tarballName(spec: string): string {
  const at = spec.lastIndexOf('@');
  return `${spec.slice(0, at).replace(/^@/, '').replace('/', '-')}-${spec.slice(at + 1)}.tgz`;
}

async function integrityOf(file: string): Promise<string> {
  return `sha512-${createHash('sha512').update(await readFile(file)).digest('base64')}`;
}

/**
 * The package's tarball from the npm registry (`npm pack`, so npm's own registry, proxy and auth
 * settings apply), kept in `cache` and checked against the pinned integrity on every use.
 */
export async function fetchTarball(pin: PinnedTarball, cache: string): Promise<string> {
  await mkdir(cache, { recursive: true });
  const file = join(cache, tarballName(pin.spec));
  if (!existsSync(file)) {
    console.log(`fetching ${pin.spec} from the npm registry into ${cache}`);
    await run('npm', ['pack', pin.spec, '--pack-destination', cache, '--silent'], { maxBuffer: 16 << 20 });
  }
  const actual = await integrityOf(file);
  if (actual !== pin.integrity) {
    throw new Error(`${file} does not match the pinned integrity of ${pin.spec} (got ${actual.slice(0, 24)}…): delete it and build again, or update installer/build/runtime-pins.ts on purpose`);
  }
  return file;
}

/**
 * The tarball unpacked once into `<cache>/unpacked/<name>/package/`. Unpacked beside and renamed, so
 * an interrupted extraction is never mistaken for a complete one.
 */
export async function unpackedPackage(pin: PinnedTarball, cache: string): Promise<string> {
  const tarball = await fetchTarball(pin, cache);
  const dir = join(cache, 'unpacked', tarballName(pin.spec).replace(/\.tgz$/, ''));
  if (!existsSync(dir)) {
    const temp = `${dir}.${process.pid}.tmp`;
    await rm(temp, { recursive: true, force: true });
    await mkdir(temp, { recursive: true });
    await run('tar', ['-xzf', tarball, '-C', temp]);
    await rename(temp, dir);
  }
  return join(dir, 'package');
}
