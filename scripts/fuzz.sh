#!/usr/bin/env bash
# The deep API fuzz: tests/core/test_api_fuzz.py with schemathesis' coverage cases for org staff
# (each parameter and field missing, empty, of the wrong type, at its bounds: ~26,000 requests).
# The suite (scripts/test.sh) runs the same test with generated requests only; .ci/run runs both.
# DATABASE_URL / REDIS_URL as for scripts/test.sh. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || bash scripts/setup.sh dev
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/pingdingshan}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}"
export DJANGO_SETTINGS_MODULE=pingdingshan.settings.test FUZZ_DEEP=1
workers="${PYTEST_WORKERS:-2}"
exec .venv/bin/python -m pytest -n "$workers" --create-db tests/core/test_api_fuzz.py "$@"
