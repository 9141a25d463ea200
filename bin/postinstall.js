// systray2 ships its tray helpers without the executable bit (and its own chmod call is broken), so
// the tray could never start on Linux or macOS. Runs after `npm install` / `npm ci`.
import { chmodSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
let dir;
try {
  dir = join(dirname(require.resolve('systray2/package.json')), 'traybin');
} catch {
  process.exit(0); // not installed (e.g. --omit=optional): nothing to fix
}
for (const name of ['tray_linux_release', 'tray_darwin_release']) {
  const file = join(dir, name);
  if (!existsSync(file)) continue;
  try {
    chmodSync(file, 0o755);
  } catch (error) {
    console.warn(`billsync: could not make ${file} executable (${error.message}); the tray icon will not start`);
  }
}
