import { readFileSync, realpathSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { build, type Metafile, type Plugin } from 'esbuild';

/**
 * The release bundle: the whole agent in one CommonJS file, `billsync.cjs`, that a plain `node`
 * (node.exe on Windows) runs. CommonJS so that the bundled CommonJS packages keep their `__dirname`
 * (systray2 finds `traybin/` with it) and the addon is a plain `require('./better_sqlite3.node')`.
 *
 * One rule keeps the ESM sources working unchanged inside the bundle: every module that asks where it
 * is (`import.meta.url`) is told where it would be in the installed package layout, relative to the
 * folder of the bundle: `src/app/version.ts` is `<bundle dir>/dist/app/version.js`, a dependency file
 * is `<bundle dir>/node_modules/<package>/<file>`. So `new URL('../../package.json', import.meta.url)`
 * finds the package.json staged beside the bundle, `new URL('../../../icons/', …)` its icons/, and
 * `createRequire(import.meta.url)` resolves packages from the node_modules/ staged beside it. The
 * packages that the sources load that way are not bundled; the bundle reports them (runtimePackages)
 * and the stage copies them, whole, with their own files (node-notifier's toast helpers, xslt3).
 *
 * better-sqlite3 is taken from `sqliteDir` (12 from node_modules for a local run, 13 from the npm
 * cache for the release: same JavaScript API) and always loads its addon from
 * `<bundle dir>/better_sqlite3.node`.
 */
export interface BundleOptions {
  /** The repository root (package.json, src/). */
  root: string;
  /** The bundle goes to `<outDir>/billsync.cjs`. */
  outDir: string;
  /** Folder of the better-sqlite3 package whose JavaScript is bundled (its major version picks the loader). */
  sqliteDir: string;
  /** esbuild target, e.g. node22. */
  target: string;
}

export interface BundleResult {
  file: string;
  bytes: number;
  /** Packages the sources load with createRequire: staged as real folders in node_modules/. */
  runtimePackages: string[];
  /** Folders of the bundled dependency packages (for the third-party licence file). */
  bundledPackageDirs: string[];
}

/** Helpers the rewritten `import.meta` expressions call; `__dirname` is the bundle's folder. */
const BANNER = [
  'const __billsyncModulePath = (rel) => require("node:path").join(__dirname, rel);',
  'const __billsyncModuleUrl = (rel) => require("node:url").pathToFileURL(__billsyncModulePath(rel)).href;',
  'const __billsyncBundleUrl = __billsyncModuleUrl("billsync.cjs");',
].join('\n');

/** Where a source file would sit in the installed package layout, relative to the bundle's folder. */
export function packageLayoutPath(root: string, file: string): string {
  const parts = relative(root, file).split(sep);
  const lastModules = parts.lastIndexOf('node_modules');
  if (lastModules >= 0) return parts.slice(lastModules).join('/');
  if (parts[0] === 'src') return ['dist', ...parts.slice(1)].join('/').replace(/\.ts$/, '.js').replace(/\.mts$/, '.mjs').replace(/\.cts$/, '.cjs');
  return parts.join('/');
}

/** Replaces import.meta.url/dirname/filename by their package-layout equivalents. */
export function rewriteImportMeta(source: string, layoutPath: string): string {
  const at = JSON.stringify(layoutPath);
  const dir = JSON.stringify(layoutPath.split('/').slice(0, -1).join('/'));
  return source
    .replace(/\bimport\.meta\.url\b/g, `__billsyncModuleUrl(${at})`)
    .replace(/\bimport\.meta\.filename\b/g, `__billsyncModulePath(${at})`)
    .replace(/\bimport\.meta\.dirname\b/g, `__billsyncModulePath(${dir})`);
}

/**
 * Package names a source file loads through `createRequire(...)`: require('x'), require.resolve('x/y'),
 * createRequire(import.meta.url).resolve('x').
 */
export function createRequiredPackages(source: string): string[] {
  if (!source.includes('createRequire(')) return [];
  const names = new Set<string>();
  for (const match of source.matchAll(/(?:\brequire|\bcreateRequire\([^()]*\))(?:\.resolve)?\(\s*['"]([^'"./][^'"]*)['"]/g)) {
    const spec = match[1]!;
    if (spec.startsWith('node:')) continue;
    const parts = spec.split('/');
    names.add(spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!);
  }
  return [...names];
}

function layoutPlugin(root: string, runtimePackages: Set<string>): Plugin {
  return {
    name: 'billsync-package-layout',
    setup(b) {
      b.onLoad({ filter: /\.[cm]?[jt]s$/ }, async (args) => {
        const source = await readFile(args.path, 'utf8');
        const inSources = !relative(root, args.path).split(sep).includes('node_modules');
        if (inSources) for (const name of createRequiredPackages(source)) runtimePackages.add(name);
        if (!source.includes('import.meta')) return undefined;
        return { contents: rewriteImportMeta(source, packageLayoutPath(root, args.path)), loader: /\.[cm]?ts$/.test(args.path) ? 'ts' : 'js' };
      });
    },
  };
}

function sqlitePlugin(packageDir: string): Plugin {
  const sqliteDir = realpathSync(packageDir);
  const major = Number((JSON.parse(readFileSync(join(sqliteDir, 'package.json'), 'utf8')) as { version: string }).version.split('.')[0]);
  const lib = join(sqliteDir, 'lib');
  // 12 finds its addon through the `bindings` package (a stack-trace search that a bundle defeats);
  // 13 through paths relative to its lib/ folder. Both get a loader that requires the file beside the bundle.
  const shim = major >= 13
    ? `module.exports = require(${JSON.stringify(join(lib, 'database.js'))})(() => require('./better_sqlite3.node'), false);\n`
      + `module.exports.SqliteError = require(${JSON.stringify(join(lib, 'sqlite-error.js'))});\n`
    : null;
  return {
    name: 'billsync-better-sqlite3',
    setup(b) {
      b.onResolve({ filter: /^better-sqlite3$/ }, () => (shim ? { path: 'better-sqlite3', namespace: 'billsync-sqlite' } : { path: join(lib, 'index.js') }));
      b.onResolve({ filter: /^bindings$/ }, (args) => (args.importer.startsWith(sqliteDir) ? { path: 'bindings', namespace: 'billsync-sqlite' } : undefined));
      b.onResolve({ filter: /\.node$/, namespace: 'billsync-sqlite' }, () => ({ path: './better_sqlite3.node', external: true }));
      b.onLoad({ filter: /.*/, namespace: 'billsync-sqlite' }, (args) => ({
        contents: args.path === 'bindings' ? "module.exports = () => require('./better_sqlite3.node');\n" : shim!,
        resolveDir: lib,
        loader: 'js',
      }));
    },
  };
}

function packageDirsOf(root: string, metafile: Metafile): string[] {
  const dirs = new Set<string>();
  for (const input of Object.keys(metafile.inputs)) {
    const parts = input.split('/');
    const at = parts.lastIndexOf('node_modules');
    if (at < 0) continue;
    const length = parts[at + 1]?.startsWith('@') ? 3 : 2;
    dirs.add(join(root, ...parts.slice(0, at + length)));
  }
  return [...dirs].sort();
}

/** Bundles src/app/cli.ts (the `billsync` command) into `<outDir>/billsync.cjs`. */
export async function bundle(options: BundleOptions): Promise<BundleResult> {
  const root = realpathSync(options.root);
  const runtimePackages = new Set<string>();
  const file = join(options.outDir, 'billsync.cjs');
  const result = await build({
    stdin: {
      // What bin/billsync.js does, without its top-level import (CommonJS has no top-level await).
      contents: "import { main } from './src/app/cli.ts';\n"
        + 'main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (error) => { console.error(error); process.exitCode = 1; });\n',
      resolveDir: root,
      sourcefile: 'release-entry.ts',
      loader: 'ts',
    },
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: options.target,
    outfile: file,
    banner: { js: BANNER },
    // Whatever the rewrite misses still gets the bundle's own URL rather than undefined.
    define: { 'import.meta.url': '__billsyncBundleUrl' },
    plugins: [layoutPlugin(root, runtimePackages), sqlitePlugin(options.sqliteDir)],
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  return {
    file,
    bytes: (await stat(file)).size,
    runtimePackages: [...runtimePackages].sort(),
    bundledPackageDirs: packageDirsOf(root, result.metafile),
  };
}
