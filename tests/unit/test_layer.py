"""The unit layer runs without the platform's machinery: collecting it (every test module, the
conftests and pytest's plugins) imports neither nameko nor eventlet."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Collects tests/unit in a fresh interpreter; the first import of a forbidden package records
# which module asked for it, so a failure names the culprit.
PROBE = r"""
import sys, traceback

FORBIDDEN = ("nameko", "eventlet")
culprits = {}

class Watch:
    def find_spec(self, name, path=None, target=None):
        top = name.partition(".")[0]
        if top in FORBIDDEN and top not in culprits:
            frames = [f for f in traceback.extract_stack()[:-1] if "importlib" not in f.filename]
            culprits[top] = " <- ".join(f"{f.filename}:{f.lineno}" for f in frames[-1:-4:-1])
        return None

sys.meta_path.insert(0, Watch())
import pytest

code = pytest.main(["tests/unit", "--collect-only", "-qq"])
for top in FORBIDDEN:
    if top in sys.modules:
        print(f"FORBIDDEN {top} imported by {culprits.get(top, 'an unknown module')}")
sys.exit(code)
"""


def test_collecting_the_unit_layer_imports_neither_nameko_nor_eventlet():
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, f"collecting tests/unit failed:\n{done.stdout}\n{done.stderr}"
    leaks = [line for line in done.stdout.splitlines() if line.startswith("FORBIDDEN ")]
    assert leaks == [], "tests/unit must run without nameko and eventlet:\n" + "\n".join(leaks)
