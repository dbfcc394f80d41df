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
# apt checks signatures as its own _apt user, in $TMPDIR or /tmp; on a machine whose /tmp is
# mode 0700 that fails ("Couldn't create temporary file /tmp/apt.conf.…"), so it gets a
# folder of its own that any user may write in, removed afterwards.
APT_TMP=$(mktemp -d /var/tmp/codeflow-apt.XXXXXX)
trap 'rm -rf "$APT_TMP"' EXIT
chmod 1777 "$APT_TMP"
$SUDO env TMPDIR="$APT_TMP" apt-get update -qq
$SUDO env TMPDIR="$APT_TMP" DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
command -v chromium >/dev/null 2>&1 || { echo "chromium is still missing after apt-get install" >&2; exit 1; }
