#!/usr/bin/env bash
# Installs what the app needs on a fresh machine: the virtualenv with pinned Python packages,
# the front-end packages from the npm registry (served as our own static files), and the
# compiled translations. Re-running it skips what is already up to date.
# Usage: scripts/setup.sh [dev]   (dev adds the test tools)
set -euo pipefail
cd "$(dirname "$0")/.."
want=requirements.txt
[ "${1:-}" = dev ] && want=requirements-dev.txt

if [ ! -x .venv/bin/python ]; then
  echo "==> creating virtualenv .venv"
  python3 -m venv .venv
fi
stamp=".venv/.installed-$(cat requirements.txt "$want" | sha1sum | cut -c1-12)-$(basename "$want" .txt)"
if [ ! -f "$stamp" ]; then
  echo "==> installing Python packages ($want)"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$want"
  touch "$stamp"
fi

lockstamp="node_modules/.installed-$(sha1sum package-lock.json | cut -c1-12)"
if [ ! -f "$lockstamp" ]; then
  echo "==> installing front-end packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  touch "$lockstamp"
fi

echo "==> compiling translations"
.venv/bin/python manage.py compilemessages --ignore=.venv --ignore=node_modules -v0
