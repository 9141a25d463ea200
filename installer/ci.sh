#!/usr/bin/env bash
# Release checks for CI, after `npm test` (which already compiles the NSIS script around a stand-in
# payload): build the Linux package and check that it starts from a fresh folder, then build the real
# Windows installer. Needs nsis (makensis); p7zip-full is used to list the installer if present.
# BILLSYNC_CI_WINDOWS=skip leaves out the Windows build (~2 min, ~85 MB download when not cached).
set -euo pipefail
cd "$(dirname "$0")/.."
version="$(node -p 'require("./package.json").version')"

echo "== package:linux"
npm run --silent package:linux
node --import tsx installer/build/smoke-linux.ts "release/billsync-${version}-linux-x64.tar.gz"

if [ "${BILLSYNC_CI_WINDOWS:-build}" != skip ]; then
  echo "== package:win"
  npm run --silent package:win
  if command -v 7z >/dev/null; then
    # Listed to a file first: `7z l | grep -q` would end 7z with SIGPIPE, which pipefail reports as failure.
    listing="$(mktemp)"
    7z l "release/billsync-setup-${version}.exe" > "$listing"
    tail -n 1 "$listing"
    grep -q ' node.exe$' "$listing"
    grep -q ' better_sqlite3.node$' "$listing"
    grep -q 'traybin/tray_windows_release.exe$' "$listing"
    rm -f "$listing"
  fi
fi
