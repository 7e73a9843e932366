# Sourced by run.sh and test.sh: create .venv and install the pinned requirements file
# given as $1, again only when a requirements file changed. Each long step says what it does and
# how long it took; pip's own output is kept back and shown only when it fails.
python=${PYTHON:-python3.11}
command -v "$python" >/dev/null || python=python3
if ! "$python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
  echo "Python 3.11 is needed (found $("$python" --version 2>&1)); set PYTHON=/path/to/python3.11" >&2
  exit 1
fi

# quietly WHAT COMMAND...: run COMMAND saying WHAT, with the seconds it takes (a ticking count on a
# terminal); its output is shown only if it fails, and then the caller stops.
quietly() {
  local what=$1 log started pid status
  shift
  log=$(mktemp)
  started=$SECONDS
  "$@" >"$log" 2>&1 &
  pid=$!
  trap 'kill "$pid" 2>/dev/null; rm -f "$log"; exit 130' INT TERM  # a background job ignores Ctrl-C
  if [ -t 1 ]; then
    while kill -0 "$pid" 2>/dev/null; do
      printf '\r%s … %d s' "$what" $((SECONDS - started))
      sleep 1
    done
    printf '\r\033[K'
  else
    echo "$what …"
  fi
  status=0
  wait "$pid" || status=$?
  trap - INT TERM
  if [ "$status" -ne 0 ]; then
    echo "$what failed after $((SECONDS - started)) s; its output:" >&2
    cat "$log" >&2
    rm -f "$log"
    exit "$status"
  fi
  rm -f "$log"
  echo "$what: done in $((SECONDS - started)) s"
}

if [ ! -x .venv/bin/python ]; then
  echo "First run: creating .venv and installing the pinned dependencies takes about 2-3 minutes" \
    "(longer on a slow connection); later runs reuse them and start in seconds."
  quietly "Creating the Python environment .venv" "$python" -m venv .venv
fi
stamp=".venv/.installed-$(basename "$1")"
digest=$(cat requirements*.txt pyproject.toml | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$digest" ]; then
  quietly "Installing the pinned dependencies of $1 into .venv" \
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$1"
  # The project itself, for its console script .venv/bin/gongzhi: its dependencies are the pinned
  # ones above, and the pinned setuptools builds it without reaching any index.
  quietly "Installing the gongzhi command into .venv" \
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
  echo "$digest" > "$stamp"
fi
