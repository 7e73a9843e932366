"""deploy/console.sh, as ./run.sh and ./test.sh source it: Node.js checked against the console's
engines with a message saying what is missing, npm ci only when the lock file changed, the build
only when a source is newer than the last one. Run in a folder of its own with stand-ins for node
and npm that record how they were called."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "deploy" / "console.sh"


def project(tmp_path: Path, node_version: str | None = "v20.20.2") -> tuple[Path, Path]:
    """A project folder with a console/ and a bin/ holding the stand-ins (no node when None)."""
    console = tmp_path / "console"
    (console / "src").mkdir(parents=True)
    (console / "package.json").write_text('{"engines": {"node": ">=20.19"}}')
    (console / "package-lock.json").write_text('{"lockfileVersion": 3}')
    (console / "src" / "main.tsx").write_text("export {};")
    tools = tmp_path / "bin"
    tools.mkdir()
    if node_version:
        (tools / "node").write_text(f"#!/bin/sh\necho {node_version}\n")
        # npm ci makes node_modules; npm run build makes dist: as the real ones do, each from scratch.
        (tools / "npm").write_text(
            '#!/bin/sh\necho "$@" >> "$NPM_CALLS"\n'
            'case "$*" in *" ci "*) rm -rf console/node_modules; mkdir console/node_modules ;; '
            '*"run build"*) rm -rf console/dist; mkdir console/dist; echo "<html>" > console/dist/index.html'
            " ;; "
            "esac\n"
        )
    for tool in tools.iterdir():
        tool.chmod(0o755)
    return tmp_path, tools


def run(folder: Path, tools: Path, steps: str) -> subprocess.CompletedProcess:
    script = f'quietly() {{ shift; "$@"; }}\nsource "{SCRIPT}"\n{steps}'
    env = {
        "PATH": f"{tools}:/usr/bin:/bin",
        "HOME": str(folder),
        "NPM_CALLS": str(folder / "npm-calls"),
    }
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script], cwd=folder, env=env, capture_output=True, text=True
    )


def npm_calls(folder: Path) -> list[str]:
    calls = folder / "npm-calls"
    return calls.read_text().splitlines() if calls.exists() else []


def test_without_node_it_stops_saying_what_is_missing_and_how_to_get_it(tmp_path):
    folder, tools = project(tmp_path, node_version=None)
    # /usr/bin may hold a node of the machine: only the stand-ins' folder and the shell's tools.
    shell_only = tmp_path / "shell"
    shell_only.mkdir()
    for name in ("sed", "sort", "head", "cat", "printf"):
        os.symlink(
            f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else f"/bin/{name}", shell_only / name
        )
    done = subprocess.run(
        ["/bin/bash", "-c", f'source "{SCRIPT}"'],
        cwd=folder,
        env={"PATH": f"{tools}:{shell_only}"},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert "Node.js 20.19 or later (with npm) is needed" in done.stderr
    assert "node is not on PATH" in done.stderr and "https://nodejs.org/" in done.stderr


def test_an_older_node_is_refused_naming_the_version_found(tmp_path):
    for old in ("v18.19.0", "v20.9.0", "v20.18.3"):
        folder, tools = project(tmp_path / old, node_version=old)
        done = run(folder, tools, "echo checked")
        assert done.returncode == 1, old
        assert f"Node.js 20.19 or later is needed to build the web console; found {old}" in done.stderr


def test_packages_are_installed_once_per_lock_file_and_the_build_made_only_when_a_source_changed(tmp_path):
    folder, tools = project(tmp_path, node_version="v22.1.0")
    steps = "console_install\nconsole_build"
    assert run(folder, tools, steps).returncode == 0
    assert npm_calls(folder) == ["--prefix console ci --no-audit --no-fund", "--prefix console run build"]
    assert (folder / "console" / "dist" / ".built").exists()

    assert run(folder, tools, steps).returncode == 0
    assert len(npm_calls(folder)) == 2, "nothing changed: neither npm ci nor a build again"

    time.sleep(1.1)  # a source newer than the stamp, by the file system's clock
    (folder / "console" / "src" / "main.tsx").write_text("export const changed = true;")
    assert run(folder, tools, steps).returncode == 0
    assert npm_calls(folder)[2:] == ["--prefix console run build"]

    time.sleep(1.1)
    (folder / "console" / "package-lock.json").write_text('{"lockfileVersion": 3, "packages": {}}')
    assert run(folder, tools, steps).returncode == 0
    assert npm_calls(folder)[3:] == ["--prefix console ci --no-audit --no-fund", "--prefix console run build"]


def test_a_failed_build_leaves_no_stamp_so_the_next_run_builds_again(tmp_path):
    folder, tools = project(tmp_path)
    (tools / "npm").write_text('#!/bin/sh\necho "$@" >> "$NPM_CALLS"\nrm -rf console/dist\nexit 2\n')
    assert run(folder, tools, "console_build").returncode == 2
    assert not (folder / "console" / "dist" / ".built").exists()
    run(folder, tools, "console_build")
    assert npm_calls(folder) == ["--prefix console run build"] * 2
