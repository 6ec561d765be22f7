#!/usr/bin/env bash
# Installs what the app needs on a fresh machine: the virtualenv with pinned Python packages,
# the front-end packages from the npm registry (served as our own static files), and the
# compiled translations. Re-running it skips what is already up to date.
# Usage: scripts/setup.sh [dev]   (dev adds the test tools, and Debian's chromium and CJK fonts
# for the browser tests, installed with apt-get when missing)
# Each step says what it does and how long it took; the first run takes a few minutes (mostly
# downloading the Python packages), later runs a few seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
want=requirements.txt
[ "${1:-}" = dev ] && want=requirements-dev.txt
steps=4
[ "${1:-}" = dev ] && steps=5
step=0
started=$SECONDS
t0=$SECONDS

say() {  # say "what": the next step's header
  step=$((step + 1))
  t0=$SECONDS
  echo "==> [$step/$steps] $1"
}
took() { echo "    done in $((SECONDS - t0)) s"; }

say "Python virtualenv (.venv)"
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
  took
else
  echo "    already there"
fi

say "Python packages ($want)"
stamp=".venv/.installed-$(cat requirements.txt "$want" | sha1sum | cut -c1-12)-$(basename "$want" .txt)"
if [ ! -f "$stamp" ]; then
  echo "    $(grep -cvE '^\s*(#|-r|$)' requirements.txt) packages pinned in requirements.txt$( [ "$want" != requirements.txt ] && echo " + $(grep -cvE '^\s*(#|-r|$)' "$want") for development"); the first time this downloads them (1–3 minutes)"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  # one line per package as pip collects it, instead of minutes of silence
  set +e
  .venv/bin/python -m pip install --disable-pip-version-check --progress-bar off -r "$want" \
    | grep --line-buffered -E '^(Collecting|Installing collected|Successfully installed|ERROR)' | sed -u 's/^/    /'
  status=${PIPESTATUS[0]}
  set -e
  [ "$status" -eq 0 ] || { echo "pip install failed (exit $status)" >&2; exit 1; }
  touch "$stamp"
  took
else
  echo "    up to date"
fi

say "front-end packages (npm ci: bootstrap, bootstrap-icons, htmx, echarts)"
lockstamp="node_modules/.installed-$(sha1sum package-lock.json | cut -c1-12)"
if [ ! -f "$lockstamp" ]; then
  npm ci --no-audit --no-fund --loglevel=error
  touch "$lockstamp"
  took
else
  echo "    up to date"
fi

if [ "${1:-}" = dev ]; then
  say "browser for the browser tests (Debian's chromium and Noto CJK fonts)"
  missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
  if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "    apt-get install ${missing[*]} (about a minute)"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    took
  else
    echo "    already installed"
  fi
fi

say "translations (compilemessages)"
.venv/bin/python manage.py compilemessages --ignore=.venv --ignore=node_modules -v0
took
echo "==> setup finished in $((SECONDS - started)) s"
