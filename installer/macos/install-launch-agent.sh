#!/bin/sh
# Starts billsync (installed with npm, see installer/README-install.md) when you log in to macOS:
#   ./install-launch-agent.sh            write ~/Library/LaunchAgents/billsync.agent.plist and load it
#   ./install-launch-agent.sh --remove   unload and delete it (settings, ledger and exports stay)
set -eu
plist="$HOME/Library/LaunchAgents/billsync.agent.plist"
domain="gui/$(id -u)"

if [ "${1:-}" = "--remove" ]; then
  launchctl bootout "$domain" "$plist" 2>/dev/null || true
  rm -f "$plist"
  echo "billsync no longer starts at login."
  exit 0
fi

node=$(command -v node) || { echo "node is not on PATH: install Node.js 20.19+ or 22 first" >&2; exit 2; }
cli=$(command -v billsync) || { echo "billsync is not on PATH: npm install -g billsync-<version>.tgz first" >&2; exit 2; }
# npm's global bin is a symlink into the package: launchd gets the real file, run by node itself.
cli=$("$node" -e 'console.log(require("fs").realpathSync(process.argv[1]))' "$cli")
logs="$HOME/Library/Logs/billsync"
for value in "$node" "$cli" "$logs"; do
  case "$value" in *[\<\&\|]*) echo "cannot write $value into a plist" >&2; exit 2 ;; esac
done
mkdir -p "$(dirname "$plist")" "$logs"
sed -e "s|@NODE@|$node|" -e "s|@BILLSYNC_JS@|$cli|" -e "s|@LOG_DIR@|$logs|g" "$(dirname "$0")/billsync.plist" > "$plist"
plutil -lint "$plist" >/dev/null
launchctl bootout "$domain" "$plist" 2>/dev/null || true
launchctl bootstrap "$domain" "$plist"
echo "billsync starts at login and runs now ($plist)."
