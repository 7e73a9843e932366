#!/usr/bin/env bash
# Runs every test: Node.js checked, venv, pinned dependencies, RabbitMQ, PostgreSQL and Redis reached
# (or started), lint, type check, the web console's checks (its type check, lint and Vitest) and
# build, then pytest (the browser tests drive that fresh build).
# Extra arguments go to pytest (./test.sh tests/unit -x).
set -euo pipefail
cd "$(dirname "$0")"
source deploy/console.sh  # says at once when Node.js is missing or too old
source deploy/venv.sh requirements-test.txt
console_install
.venv/bin/python -m deploy.backing_services
.venv/bin/ruff check .
.venv/bin/ruff format --check . >/dev/null || { echo "ruff format would change files: run .venv/bin/ruff format ." >&2; exit 1; }
.venv/bin/mypy  # shared/, services/ and gateway/, as configured in pyproject.toml
npm --prefix console run check
console_build
.venv/bin/python -m pytest "$@"
