#!/usr/bin/env bash
# Runs every test: venv, pinned dependencies, RabbitMQ, PostgreSQL and Redis reached (or started), lint,
# type check, pytest.
# Extra arguments go to pytest (./test.sh tests/unit -x).
set -euo pipefail
cd "$(dirname "$0")"
source deploy/venv.sh requirements-test.txt
.venv/bin/python -m deploy.backing_services
.venv/bin/ruff check .
.venv/bin/ruff format --check . >/dev/null || { echo "ruff format would change files: run .venv/bin/ruff format ." >&2; exit 1; }
.venv/bin/mypy  # shared/, services/ and gateway/, as configured in pyproject.toml
.venv/bin/python -m pytest "$@"
