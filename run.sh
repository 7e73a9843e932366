#!/usr/bin/env bash
# Runs the whole platform locally: venv, pinned dependencies, broker, migrations, demo, services.
set -euo pipefail
cd "$(dirname "$0")"
source deploy/venv.sh requirements-full.txt
exec .venv/bin/python -m deploy.local "$@"
