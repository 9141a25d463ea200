import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readPackageJson } from './runtime-packages.js';

/** Something the release ships that is not ours, with the folder that holds its licence file. */
export interface Component {
  name: string;
  version: string;
  license: string;
  dir: string;
}

export function componentOf(dir: string): Component {
  const pkg = readPackageJson(dir);
  return { name: pkg.name, version: pkg.version, license: pkg.license ?? 'see below', dir };
}

function licenseText(dir: string): string {
  const file = readdirSync(dir).find((name) => /^(licen[cs]e|copying)(\.md|\.txt)?$/i.test(name));
  return file && existsSync(join(dir, file)) ? readFileSync(join(dir, file), 'utf8').trim() : '(the package ships no licence file; its package.json names the licence above)';
}

/**
 * THIRD-PARTY-NOTICES.txt: every bundled or shipped package with its licence text, as the MIT, ISC
 * and BSD licences of our dependencies (and Node's own) ask of whoever redistributes them.
 */
export function thirdPartyNotices(components: Component[]): string {
  const unique = new Map(components.map((c) => [`${c.name}@${c.version}`, c] as const));
  const sorted = [...unique.values()].sort((a, b) => a.name.localeCompare(b.name));
  const parts = sorted.map((c) => `=== ${c.name} ${c.version} (${c.license}) ===\n\n${licenseText(c.dir)}\n`);
  return `billsync ships the following third-party software.\n\n${parts.join('\n')}`;
}
