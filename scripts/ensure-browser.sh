#!/bin/sh
# Install Debian's Chromium and CJK fonts for the real-browser tests when missing.
# CI runs as root with no standard input; elsewhere sudo is used if available.
set -e
need=""
command -v chromium >/dev/null 2>&1 || need="chromium"
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need="$need fonts-noto-cjk"
[ -z "$need" ] && exit 0
echo "installing:$need"
SUDO=""
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && SUDO="sudo -n"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
command -v chromium >/dev/null 2>&1 || { echo "chromium is still missing after apt-get install" >&2; exit 1; }
