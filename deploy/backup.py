"""Backups of every database of the platform (``gongzhi backup DIR`` / ``gongzhi restore DIR``).

One file per database, named after its owner (``meetings.dump``, …, ``gateway.dump``), and a
``manifest.json`` that lists them. A PostgreSQL database is dumped with ``pg_dump`` in its custom
format (compressed, restorable table by table with ``pg_restore``); ``pg_restore --clean
--if-exists`` puts one back over what is there. A SQLite file (the embedded default of ``./run.sh``)
is copied with SQLite's online backup API, consistent while the platform runs, into ``<name>.db``;
restoring copies it back the same way. Restore with the platform stopped: services that keep
running would write over what was restored.

Each database is reached by its own URL (``shared.config.database_url``: ``DATABASE_URL`` with
``{service}``, or ``DATABASE_URL_<SERVICE>``); the password goes to pg_dump and pg_restore in a
password file only this user can read, kept while they run, never on their command line.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy.engine import make_url

from shared import config

MANIFEST = "manifest.json"
CONNECT_SECONDS = 5  # a server that does not answer ends the command this soon


class BackupError(Exception):
    """A database could not be dumped or restored; the message says which and why."""


@dataclass(frozen=True)
class Target:
    """One database: whose, what kind, and how pg_dump and pg_restore reach it."""

    name: str
    kind: str  # "postgresql" or "sqlite"
    url: str  # without the password
    password: str | None = None
    path: Path | None = None  # a SQLite file

    @property
    def file(self) -> str:
        return f"{self.name}.dump" if self.kind == "postgresql" else f"{self.name}.db"


def target(name: str) -> Target:
    url = make_url(config.database_url(name))
    backend = url.get_backend_name()
    if backend == "sqlite":
        if not url.database or url.database == ":memory:":
            raise BackupError(f"{name}: an in-memory SQLite database has nothing to back up")
        return Target(name, "sqlite", url.render_as_string(), path=Path(url.database))
    if backend != "postgresql":
        raise BackupError(f"{name}: backing up a {backend} database is not supported")
    plain = url.set(drivername="postgresql", password=None)
    return Target(name, "postgresql", plain.render_as_string(hide_password=False), password=url.password)


def _conninfo(target: Target, folder: str) -> str:
    """The URL pg_dump and pg_restore are given: a bounded connect, and the password in a file only
    this user reads (a ``passfile``), so that it is on no command line."""
    extra = {"connect_timeout": str(CONNECT_SECONDS)}
    if target.password is not None:
        passfile = Path(folder) / "pgpass"
        passfile.touch(mode=0o600)
        secret = str(target.password).replace("\\", "\\\\").replace(":", "\\:")
        passfile.write_text(f"*:*:*:*:{secret}\n")
        extra["passfile"] = str(passfile)
    url = make_url(target.url)
    return url.update_query_dict({**extra, **url.query}).render_as_string(hide_password=False)


def _run(target: Target, command: Callable[[str], list[str]], what: str) -> None:
    """Run the command ``command(conninfo)`` makes for the database."""
    tool = what
    if shutil.which(tool) is None:
        raise BackupError(
            f"{target.name}: {tool} is not installed here (Debian/Ubuntu: apt-get install postgresql-client; "
            "its major version must be the server's or newer)"
        )
    with tempfile.TemporaryDirectory(prefix="gongzhi-backup-") as folder:
        done = subprocess.run(command(_conninfo(target, folder)), capture_output=True, text=True)
    if done.returncode != 0:
        lines = [line for line in done.stderr.strip().splitlines() if line.strip()]
        raise BackupError(f"{target.name}: {what} failed: {' / '.join(lines[-3:]) or done.returncode}")


def _sqlite_copy(source: Path, destination: Path) -> None:
    src, dest = sqlite3.connect(f"file:{source}?mode=ro", uri=True), sqlite3.connect(destination)
    try:
        src.backup(dest)
    finally:
        src.close()
        dest.close()


def back_up(target: Target, folder: Path) -> dict:
    """Dump one database into ``folder``; what the manifest says of it."""
    destination = folder / target.file
    if target.kind == "postgresql":
        _run(
            target,
            lambda dbname: ["pg_dump", "--format=custom", "--no-owner", "-f", str(destination), "-d", dbname],
            "pg_dump",
        )
    else:
        assert target.path is not None
        if not target.path.exists():
            raise BackupError(f"{target.name}: there is no database file {target.path}")
        _sqlite_copy(target.path, destination)
    return {
        "name": target.name,
        "kind": target.kind,
        "file": target.file,
        "bytes": destination.stat().st_size,
        "taken_at": datetime.now(timezone.utc).isoformat(),
    }


def write_manifest(folder: Path, entries: list[dict]) -> None:
    manifest = {"made_by": "gongzhi backup", "databases": entries}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")


def read_manifest(folder: Path) -> list[dict]:
    path = folder / MANIFEST
    if not path.exists():
        raise BackupError(f"{folder} holds no {MANIFEST}: not a folder gongzhi backup made")
    return json.loads(path.read_text())["databases"]


def restore(target: Target, folder: Path, entry: dict) -> None:
    """Put one database back from ``folder`` over what it holds now."""
    if entry["kind"] != target.kind:
        raise BackupError(
            f"{target.name}: the backup is of a {entry['kind']} database, this one is {target.kind}"
        )
    source = folder / entry["file"]
    if not source.exists():
        raise BackupError(f"{target.name}: {source} is missing")
    if target.kind == "postgresql":
        _run(
            target,
            lambda dbname: [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={dbname}",
                str(source),
            ],
            "pg_restore",
        )
    else:
        assert target.path is not None
        target.path.parent.mkdir(parents=True, exist_ok=True)
        _sqlite_copy(source, target.path)
