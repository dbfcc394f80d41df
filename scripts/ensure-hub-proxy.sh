#!/usr/bin/env bash
# JupyterHub's proxy for the hub test (tests/hub/): configurable-http-proxy from npm, into a
# project-local folder so nothing is installed system-wide. No-op when it is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -x .hub-proxy/node_modules/.bin/configurable-http-proxy ]; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "npm is missing: the hub test needs Node.js and npm (apt-get install -y nodejs npm)" >&2
  exit 1
fi
npm install --prefix .hub-proxy --no-audit --no-fund --loglevel=error configurable-http-proxy@4
