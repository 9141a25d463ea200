import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createRequiredPackages, packageLayoutPath, rewriteImportMeta } from '../../installer/build/bundle.js';
import { stageRelease, type StageResult } from '../../installer/build/stage.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, '');

test('each module is told where it would sit in the installed package', () => {
  assert.equal(packageLayoutPath(ROOT, join(ROOT, 'src', 'app', 'version.ts')), 'dist/app/version.js');
  assert.equal(packageLayoutPath(ROOT, join(ROOT, 'node_modules', 'node-cron', 'dist', 'esm', 'node-cron.js')), 'node_modules/node-cron/dist/esm/node-cron.js');
  assert.equal(packageLayoutPath(ROOT, join(ROOT, 'node_modules', 'a', 'node_modules', 'b', 'x.mjs')), 'node_modules/b/x.mjs');
  assert.equal(
    rewriteImportMeta("new URL('../../package.json', import.meta.url); import.meta.dirname", 'dist/app/version.js'),
    'new URL(\'../../package.json\', __billsyncModuleUrl("dist/app/version.js")); __billsyncModulePath("dist/app")',
  );
});

test('packages loaded with createRequire are found, builtins and relative paths are not', () => {
  const source = "const require = createRequire(import.meta.url);\nrequire('node-notifier'); require.resolve('xslt3/xslt3.js'); require('@scope/pkg/x'); require('node:fs'); require('./local.js');\n"
    + "const dir = createRequire(import.meta.url).resolve('systray2');";
  assert.deepEqual(createRequiredPackages(source).sort(), ['@scope/pkg', 'node-notifier', 'systray2', 'xslt3']);
  assert.deepEqual(createRequiredPackages("require('ky')"), [], 'without createRequire esbuild bundles the require itself');
});

// The release layout with the development better-sqlite3 (12) and the Node running the tests: the
// same bundle rules as the Windows and Linux packages, without downloading their runtimes.
const base = mkdtempSync(join(tmpdir(), 'billsync-bundle-'));
const dir = join(base, 'release');
let staged: StageResult;
after(() => rmSync(base, { recursive: true, force: true }));
before(async () => {
  staged = await stageRelease({
    root: ROOT, dir, platform: 'linux', target: `node${process.versions.node.split('.')[0]}`,
    sqlite: { dir: join(ROOT, 'node_modules', 'better-sqlite3'), addon: join(ROOT, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node') },
  });
});

test('the release folder has the bundle, its addon, icons, tray helper, run-time packages and notices', () => {
  for (const name of ['node-notifier', 'saxon-js', 'xslt3']) assert.ok(staged.runtimePackages.includes(name), name);
  for (const file of ['billsync.cjs', 'better_sqlite3.node', 'package.json', 'icons/billsync.ico', 'icons/up-to-date.png', 'node_modules/node-notifier/index.js', 'node_modules/xslt3/xslt3.js', 'node_modules/saxon-js/package.json']) {
    assert.ok(existsSync(join(dir, file)), `${file} missing`);
  }
  assert.equal(statSync(join(dir, 'traybin', 'tray_linux_release')).mode & 0o111, 0o111, 'the tray helper is executable');
  assert.ok(!existsSync(join(dir, 'node_modules', 'node-notifier', 'vendor', 'snoreToast')), 'no Windows toast helper in a Linux package');
  assert.ok(!readdirSync(join(dir, 'icons')).some((name) => name.endsWith('.ts')), 'only the images, not their generator');
  const bundle = readFileSync(join(dir, 'billsync.cjs'), 'utf8');
  assert.ok(bundle.includes('require("./better_sqlite3.node")'), 'the addon is loaded from beside the bundle');
  assert.ok(!/\bimport\.meta\b/.test(bundle.replace(/"[^"\n]*"|'[^'\n]*'|`[^`]*`/g, '')), 'no import.meta left in CommonJS');
  assert.match(readFileSync(join(dir, 'THIRD-PARTY-NOTICES.txt'), 'utf8'), /=== better-sqlite3 12\.\d+\.\d+ \(MIT\) ===/);
});

test('the bundle runs from a fresh folder: --version, doctor --help, and a demo export with the ledger', () => {
  const cwd = join(base, 'fresh-folder');
  mkdirSync(cwd);
  const run = (...args: string[]) => spawnSync(process.execPath, [join(dir, 'billsync.cjs'), ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  const version = run('--version');
  assert.equal(version.stdout.trim(), JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version, version.stderr);
  assert.match(run('doctor', '--help').stdout, /^billsync doctor/);
  const demo = run('demo', '--dossiers', '1', '--docs-per-dossier', '4');
  assert.equal(demo.status, 0, demo.stderr);
  assert.match(demo.stdout, /exported, 0 waiting, 0 failed/);
  assert.ok(existsSync(join(cwd, 'demo-export-data', 'ledger.sqlite')));
});
