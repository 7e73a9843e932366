# Sourced by run.sh and test.sh: the web console (console/) needs Node.js; its packages are
# installed (npm ci) when console/node_modules is missing or package-lock.json changed, and it is
# built (npm run build, into console/dist) when a source is newer than the last build.
# Sourcing checks Node at once, so a missing Node is said before the Python install takes minutes;
# console_install and console_build use venv.sh's `quietly`, so they are called after it.

# The Node.js the console's package.json asks for ("engines": {"node": ">=20.19"}), 20 at least.
console_node_wanted=$(sed -n 's/.*"node": *">=\([0-9.]*\)".*/\1/p' console/package.json 2>/dev/null)
console_node_wanted=${console_node_wanted:-20}

console_require_node() {
  local found
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "Node.js ${console_node_wanted} or later (with npm) is needed to build the web console, and" \
      "$(command -v node >/dev/null && echo "npm is missing" || echo "node is not on PATH")." >&2
    echo "Install it from https://nodejs.org/ (the LTS), with your package manager (Debian/Ubuntu:" \
      "the NodeSource packages; macOS: brew install node@20), or with nvm: nvm install 20." >&2
    exit 1
  fi
  found=$(node --version)
  # sort -V orders versions: the wanted one must come first (or be the same).
  if [ "$(printf '%s\n%s\n' "$console_node_wanted" "${found#v}" | sort -V | head -n1)" != "$console_node_wanted" ]; then
    echo "Node.js ${console_node_wanted} or later is needed to build the web console; found ${found}" \
      "at $(command -v node)." >&2
    echo "Install a newer one from https://nodejs.org/ (the LTS) or with nvm: nvm install 20." >&2
    exit 1
  fi
}

console_install() {
  local digest stamp=console/node_modules/.gongzhi-lock-digest
  digest=$(sha256sum console/package-lock.json | cut -d' ' -f1)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$digest" ]; then
    quietly "Installing the web console's pinned packages (npm ci in console/)" \
      npm --prefix console ci --no-audit --no-fund
    echo "$digest" > "$stamp"
  fi
}

# The build's stamp: written after a build succeeds (vite empties dist first, so a failed build
# leaves none). Hidden, so the gateway never serves it.
console_stamp=console/dist/.built

console_build() {
  local changed
  changed=$(find console -path console/node_modules -prune -o -path console/dist -prune \
    -o -type f -newer "$console_stamp" -print -quit 2>/dev/null || true)
  if [ ! -f "$console_stamp" ] || [ -n "$changed" ]; then
    quietly "Building the web console (npm run build in console/)" npm --prefix console run build
    touch "$console_stamp"
  fi
}

console_require_node
