#!/bin/sh
# Sets billsync up for the current user, from the folder this script is in (no root needed):
#
#   ./install-user.sh              link ~/.local/bin/billsync here and start billsync, with its tray
#                                  icon, when you log in to the desktop (XDG autostart)
#   ./install-user.sh --service    instead run it without tray icon as a systemd user service
#                                  (`billsync run --headless`), e.g. on a server
#   ./install-user.sh --remove     undo either; settings, ledger and exported files stay
#
# To upgrade: unpack the new version, run its install-user.sh (same mode), delete the old folder.
set -eu

here=$(dirname "$(readlink -f "$0")")
bin_dir="${XDG_BIN_HOME:-$HOME/.local/bin}"
autostart_dir="${XDG_CONFIG_HOME:-$HOME/.config}/autostart"
unit_dir="${XDG_CONFIG_HOME:-$HOME/.config}/systemd/user"

case "$here" in
  *[\"\`\$\\\%\|\&]*)
    echo "install-user.sh: move this folder to a path without \" \` \$ \\ % | & in it first ($here)" >&2
    exit 2 ;;
esac

fill() { sed "s|@BILLSYNC_DIR@|$here|g" "$here/autostart/$1"; }

link_command() {
  mkdir -p "$bin_dir"
  ln -sfn "$here/billsync" "$bin_dir/billsync"
}

stop_service() {
  if [ -f "$unit_dir/billsync.service" ]; then
    systemctl --user disable --now billsync.service >/dev/null 2>&1 || true
    rm -f "$unit_dir/billsync.service"
    systemctl --user daemon-reload >/dev/null 2>&1 || true
  fi
}

case "${1:-}" in
  ""|--autostart)
    stop_service
    link_command
    mkdir -p "$autostart_dir"
    fill billsync.desktop > "$autostart_dir/billsync.desktop"
    echo "billsync starts when you log in ($autostart_dir/billsync.desktop)."
    echo "Start it now with: billsync run &   (set it up first: billsync config, billsync doctor)"
    ;;
  --service)
    rm -f "$autostart_dir/billsync.desktop"
    link_command
    mkdir -p "$unit_dir"
    fill billsync.service > "$unit_dir/billsync.service"
    systemctl --user daemon-reload
    systemctl --user enable --now billsync.service
    echo "billsync runs as the user service billsync.service: systemctl --user status billsync"
    echo "To keep it running while you are logged out: loginctl enable-linger $(id -un)"
    ;;
  --remove)
    stop_service
    rm -f "$autostart_dir/billsync.desktop"
    if [ "$(readlink "$bin_dir/billsync" 2>/dev/null || true)" = "$here/billsync" ]; then rm -f "$bin_dir/billsync"; fi
    echo "billsync no longer starts by itself. Your settings, ledger and exported files are untouched;"
    echo "delete this folder to remove the program."
    ;;
  *)
    sed -n '2,12p' "$0" >&2
    exit 2 ;;
esac
