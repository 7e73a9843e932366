#!/usr/bin/env bash
# Runs the whole platform locally: Node.js checked, venv, pinned dependencies, the web console built
# when its sources changed, broker, migrations, demo, services.
set -euo pipefail
cd "$(dirname "$0")"
source deploy/console.sh  # says at once when Node.js is missing or too old
source deploy/venv.sh requirements-full.txt
console_install
console_build
exec .venv/bin/python -m deploy.local "$@"
