#!/usr/bin/env bash
# One command for the whole test suite against PostgreSQL (and Redis for Celery tests).
# DATABASE_URL / REDIS_URL default to the machine's local services. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh dev
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/pingdingshan}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}"
export DJANGO_SETTINGS_MODULE=pingdingshan.settings.test
workers="${PYTEST_WORKERS:-2}"
exec .venv/bin/python -m pytest -n "$workers" --create-db "$@"
