"""The ``gongzhi`` command itself: help on every option, the allowed values listed, ``--json`` on every
listing and status, no colour when not a terminal; its outbox status read from each service's
database; backups of PostgreSQL (pg_dump/pg_restore, on the local server) and SQLite databases
restored row for row; and a database that does not answer ends a command within seconds."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, insert, text
from typer.main import get_command
from typer.testing import CliRunner

from deploy.cli import app
from shared import config
from shared.db import now
from shared.identity import PartyType
from shared.vocabulary.matching import LegalForm
from tests.conftest import free_port

runner = CliRunner()
LISTINGS = (
    ("accounts", "list"),
    ("dead-letters", "list"),
    ("dead-letters", "replay"),
    ("outbox", "status"),
    ("health",),
    ("backup",),
)


def commands(command=None, path=()):
    command = command or get_command(app)
    subcommands = getattr(command, "commands", None)
    if subcommands is None:
        yield path, command
        return
    for name, sub in subcommands.items():
        yield from commands(sub, (*path, name))


def test_every_command_and_option_has_help_and_lists_its_allowed_values():
    found = dict(commands())
    assert {path[0] for path in found} == {
        "parties",
        "accounts",
        "dead-letters",
        "outbox",
        "health",
        "backup",
        "restore",
    }
    for path, command in found.items():
        assert command.help, path
        for param in command.params:
            assert param.help, (path, param.name)
    choices = {
        (path, param.name): [getattr(c, "value", c) for c in param.type_descriptor.choices]
        for path, command in found.items()
        for param in command.params
        if param.type_descriptor.is_choice
    }
    assert choices[(("accounts", "create"), "party_type")] == [p.value for p in PartyType]
    assert choices[(("accounts", "list"), "party_type")] == [p.value for p in PartyType]
    assert choices[(("parties", "organisation"), "legal_form")] == [f.value for f in LegalForm]
    assert choices[(("backup",), "only")] == list(config.DATABASES)
    for path in LISTINGS:
        assert "as_json" in {param.name for param in found[path].params}, path

    shown = runner.invoke(app, ["accounts", "create", "--help"])
    assert shown.exit_code == 0 and "--party-type" in shown.output and "\x1b[" not in shown.output


@pytest.fixture
def sqlite_platform(tmp_path, monkeypatch):
    """Every database a SQLite file in a folder of the test's own, as ``./run.sh`` keeps them."""
    monkeypatch.setenv("GONGZHI_VAR", str(tmp_path / "var"))
    for name in ("DATABASE_URL", *(f"DATABASE_URL_{n.upper()}" for n in config.DATABASES)):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def test_outbox_status_counts_each_services_unsent_events(sqlite_platform):
    from services.meetings.models import Base as MeetingsBase

    for service in config.SERVICES:
        metadata = __import__(f"services.{service}.models", fromlist=["Base"]).Base.metadata
        engine = create_engine(config.database_url(service))
        metadata.create_all(engine)
        engine.dispose()
    outbox = MeetingsBase.metadata.tables["outbox"]
    engine = create_engine(config.database_url("meetings"))
    with engine.begin() as connection:
        for n, (age, sent) in enumerate(((90, False), (30, False), (300, True))):
            at = now() - timedelta(seconds=age)
            connection.execute(
                insert(outbox).values(
                    event_id=f"e{n}",
                    event_type="meeting.scheduled",
                    source="meetings",
                    payload="{}",
                    created_at=at,
                    sent_at=at if sent else None,
                )
            )
    engine.dispose()

    done = runner.invoke(app, ["outbox", "status", "--json"])
    assert done.exit_code == 0, done.output
    found = {row["service"]: row for row in json.loads(done.output)}
    assert set(found) == set(config.SERVICES)
    assert found["meetings"]["unsent"] == 2 and 89 <= found["meetings"]["oldest_unsent_seconds"] < 150
    assert found["meetings"]["last_sent_at"] is not None
    assert found["matching"] == {
        "service": "matching",
        "unsent": 0,
        "oldest_unsent_seconds": None,
        "last_sent_at": None,
        "error": None,
    }
    table = runner.invoke(app, ["outbox", "status"], env={"TERMINAL_WIDTH": "120"})
    assert table.exit_code == 0 and "meetings" in table.output and "\x1b[" not in table.output


def test_a_sqlite_backup_is_restored_row_for_row(sqlite_platform):
    path = config.var_dir() / "meetings.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE kept (id INTEGER PRIMARY KEY, name TEXT)")
        db.execute("INSERT INTO kept (name) VALUES ('和平社区')")
    folder = sqlite_platform / "backup"
    done = runner.invoke(app, ["backup", str(folder), "--only", "meetings", "--json"])
    assert done.exit_code == 0, done.output
    (entry,) = json.loads(done.output)["databases"]
    assert entry["name"] == "meetings" and entry["kind"] == "sqlite" and (folder / entry["file"]).exists()
    again = runner.invoke(app, ["backup", str(folder), "--only", "meetings"])
    assert again.exit_code == 1 and "not empty" in again.output

    with sqlite3.connect(path) as db:
        db.execute("UPDATE kept SET name = 'changed'")
        db.execute("INSERT INTO kept (name) VALUES ('later')")
    unasked = runner.invoke(app, ["restore", str(folder), "--only", "meetings"])
    assert unasked.exit_code == 1 and "--yes" in unasked.output
    missing = runner.invoke(app, ["restore", str(folder), "--only", "gateway", "--yes"])
    assert missing.exit_code == 1 and "no backup of gateway" in missing.output
    restored = runner.invoke(app, ["restore", str(folder), "--only", "meetings", "--yes"])
    assert restored.exit_code == 0, restored.output
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT name FROM kept").fetchall() == [("和平社区",)]


def test_a_postgresql_backup_is_restored_row_for_row(tmp_path, monkeypatch):
    """A scratch database on the local server: a row written, backed up, the table changed and
    dropped, restored, the row back as it was."""
    server = config.test_postgres_url()
    name = f"gz_backup_{os.getpid()}"
    admin = create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        pytest.fail(f"PostgreSQL is needed at {server} (set TEST_POSTGRES_URL): {exc}")
    monkeypatch.setenv("DATABASE_URL_CONTRACTS", f"{server}/{name}")
    scratch = create_engine(f"{server}/{name}")
    try:
        with scratch.begin() as connection:
            connection.execute(text("CREATE TABLE kept (id serial PRIMARY KEY, name text NOT NULL)"))
            connection.execute(text("INSERT INTO kept (name) VALUES ('临湖花园')"))
        folder = tmp_path / "backup"
        done = runner.invoke(app, ["backup", str(folder), "--only", "contracts"])
        assert done.exit_code == 0, done.output
        assert (folder / "contracts.dump").read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format

        with scratch.begin() as connection:
            connection.execute(text("UPDATE kept SET name = 'changed'"))
        restored = runner.invoke(app, ["restore", str(folder), "--only", "contracts", "--yes"])
        assert restored.exit_code == 0, restored.output
        with scratch.connect() as connection:
            assert connection.execute(text("SELECT name FROM kept")).scalars().all() == ["临湖花园"]

        with scratch.begin() as connection:
            connection.execute(text("DROP TABLE kept"))
        restored = runner.invoke(app, ["restore", str(folder), "--only", "contracts", "--yes"])
        assert restored.exit_code == 0, restored.output
        with scratch.connect() as connection:
            assert connection.execute(text("SELECT name FROM kept")).scalars().all() == ["临湖花园"]
    finally:
        scratch.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_a_database_that_does_not_answer_ends_a_command_within_seconds(tmp_path):
    down = f"postgresql://postgres:secret@127.0.0.1:{free_port()}/gongzhi_{{service}}"
    env = {**os.environ, "PYTHONPATH": str(config.ROOT), "DATABASE_URL": down, "GONGZHI_VAR": str(tmp_path)}
    for args in (("outbox", "status"), ("backup", str(tmp_path / "b"), "--only", "meetings")):
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-m", "deploy.cli", *args],
            cwd=config.ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        took = time.monotonic() - started
        assert done.returncode == 3, (args, done.stdout, done.stderr)
        assert "secret" not in done.stdout + done.stderr  # the password is never shown
        assert took < 20, f"{args} took {took:.1f} s"
