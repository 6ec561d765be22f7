#!/usr/bin/env bash
# One command for a fresh machine: install, migrate, load the demo data (first time only) and
# serve the app on http://127.0.0.1:${PORT:-8000}. Uses SQLite in var/ unless DATABASE_URL is set.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export DJANGO_SETTINGS_MODULE=pingdingshan.settings.local
echo "==> database: applying migrations (the first time about 20 s)"
.venv/bin/python manage.py migrate --no-input -v0
echo "==> demo data (the first time about a minute: a city of 3,000 cadres; later runs only print the accounts)"
.venv/bin/python manage.py seed_demo
port="${PORT:-8000}"
echo "==> serving on http://127.0.0.1:${port}/  (Ctrl-C to stop; DEBUG is off, DEBUG=true turns it on)"
exec .venv/bin/python manage.py runserver "127.0.0.1:${port}" --noreload
