"""The embedded default holds concurrency: SQLite files in WAL mode, a busy timeout, and one
writer per file and process at a time (shared.db), so that no client is ever answered "database
is locked", even with every service and the gateway in one process on one eventlet hub.

GONGZHI_CONCURRENCY_SECONDS sets how long the 16 clients run (60 by default)."""

from __future__ import annotations

import os
import random
import time
import uuid
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

import eventlet
import requests
from sqlalchemy import Column, Integer, MetaData, String, Table, insert, select, update

from bench.stack import demo_platform
from shared.db import make_engine

CLIENTS = 16

READS = {
    "residents_committee": "{ meetings(first: 20) { edges { node { id title startsAt } } } "
    "projects(first: 10) { edges { node { title budget } } } }",
    "owners_committee": "{ meetings(first: 20) { edges { node { id title agenda(first: 5) "
    "{ edges { node { title } } } } } } }",
    "volunteer": "{ offers(first: 10) { edges { node { id } } } }",
}
SCHEDULE = """mutation($i: ScheduleMeetingInput!) { scheduleMeeting(input: $i) {
    meeting { id } errors { field code message } } }"""
SUBMIT = """mutation($i: SubmitAgendaItemInput!) { submitAgendaItem(input: $i) {
    errors { field code message } } }"""
REGISTER = """mutation($i: RegisterVolunteerInput!) { registerVolunteer(input: $i) {
    volunteer { id } errors { field code message } } }"""
OPEN_REQUEST = """mutation($i: OpenServiceRequestInput!) { openServiceRequest(input: $i) {
    serviceRequest { id } errors { field code message } } }"""
# The solve runs in a real thread while the round's transaction is open: the writers of the
# volunteers' file that come meanwhile must wait without stopping the hub.
DISPATCH = """mutation { dispatchVolunteers(input: {}) { dispatchRound { id }
    errors { field code message } } }"""
WRITES = ("schedule", "submit", "register", "open_request", "dispatch")


def _seconds() -> float:
    return float(os.environ.get("GONGZHI_CONCURRENCY_SECONDS", "60"))


class Client:
    """One of the clients: a party's token, a session, and a tally of what it was answered."""

    def __init__(self, url: str, tokens: dict[str, str], seed: int):
        self.url, self.tokens = url, tokens
        self.http = requests.Session()
        self.random = random.Random(seed)
        self.tally: Counter = Counter()
        self.failures: list[str] = []
        self.meetings: list[str] = []

    def ask(self, party: str, query: str, variables: dict | None = None) -> dict | None:
        answer = self.http.post(
            self.url,
            json={"query": query, "variables": variables or {}},
            headers={"Authorization": f"Bearer {self.tokens[party]}"},
            timeout=60,
        )
        body = answer.text
        if answer.status_code != 200 or "errors" in answer.json() or "database is locked" in body:
            self.failures.append(f"{party} {answer.status_code}: {body[:300]}")
            return None
        return answer.json()["data"]

    def answered(self, mutation: str, party: str, query: str, variables: dict | None = None) -> None:
        data = self.ask(party, query, variables)
        if data and data[mutation]["errors"]:
            self.failures.append(f"{mutation}: {data[mutation]['errors']}")

    def write(self, kind: str) -> None:
        starts = datetime.now(timezone.utc) + timedelta(days=self.random.randint(2, 60))
        if kind == "schedule" or (kind == "submit" and not self.meetings):
            data = self.ask(
                "residents_committee",
                SCHEDULE,
                {
                    "i": {
                        "title": f"Joint meeting {uuid.uuid4().hex[:6]}",
                        "location": "Community hall",
                        "startsAt": starts.isoformat(),
                        "endsAt": (starts + timedelta(hours=2)).isoformat(),
                    }
                },
            )
            payload = data and data["scheduleMeeting"]
            if payload and not payload["errors"]:
                self.meetings.append(payload["meeting"]["id"])
            elif payload:
                self.failures.append(f"scheduleMeeting: {payload['errors']}")
        elif kind == "submit":
            data = self.ask(
                "owners_committee",
                SUBMIT,
                {"i": {"meetingId": self.random.choice(self.meetings), "title": "The lift in block 3"}},
            )
            if data and data["submitAgendaItem"]["errors"]:
                self.failures.append(f"submitAgendaItem: {data['submitAgendaItem']['errors']}")
        elif kind == "register":
            self.answered(
                "registerVolunteer",
                "residents_committee",
                REGISTER,
                {
                    "i": {
                        "name": f"Volunteer {uuid.uuid4().hex[:6]}",
                        "skills": [{"skill": "cleaning", "level": 1}],
                    }
                },
            )
        elif kind == "open_request":
            self.answered(
                "openServiceRequest",
                "residents_committee",
                OPEN_REQUEST,
                {
                    "i": {
                        "title": "Clean-up",
                        "skills": [{"skill": "cleaning"}],
                        "places": 2,
                        "startsAt": starts.isoformat(),
                        "endsAt": (starts + timedelta(hours=1)).isoformat(),
                        "location": "Community centre",
                    }
                },
            )
        else:
            self.answered("dispatchVolunteers", "residents_committee", DISPATCH)
        self.tally[kind] += 1

    def run(self, until: float) -> None:
        while time.monotonic() < until:
            if self.random.random() < 0.4:
                self.write(self.random.choice(WRITES))
            else:
                party = self.random.choice(sorted(READS))
                self.ask(party, READS[party])
                self.tally["read"] += 1


def test_sixteen_clients_reading_and_writing_through_the_gateway_on_sqlite_meet_no_error():
    with demo_platform() as stack:
        url = f"{stack.base_url}/graphql"
        clients = [Client(url, stack.tokens, seed) for seed in range(CLIENTS)]
        until = time.monotonic() + _seconds()
        pool = eventlet.GreenPool(CLIENTS)
        for client in clients:
            pool.spawn(client.run, until)
        pool.waitall()
        log = Path(stack._quiet["env"]["GONGZHI_VAR"], "stack.log").read_text(errors="replace")
    tally = sum((c.tally for c in clients), Counter())
    failures = [f for c in clients for f in c.failures]
    print(f"\n{CLIENTS} clients for {_seconds():.0f} s on SQLite: {dict(tally)}, {len(failures)} errors")
    assert failures == [], f"{len(failures)} of {sum(tally.values())} answers failed, first: {failures[:3]}"
    assert tally["read"] and all(tally[kind] for kind in WRITES)
    for trouble in ("database is locked", "OperationalError", "TimeoutError"):
        assert trouble not in log, log[max(0, log.index(trouble) - 3000) : log.index(trouble) + 500]


def test_a_writer_that_yields_mid_transaction_is_waited_for_not_refused(tmp_path):
    """Two greenlets write one file; the first yields with its transaction open. Without the
    file's writer lock the second would sleep in SQLite's busy handler, the hub with it, until
    "database is locked"."""
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    metadata = MetaData()
    ledger = Table("ledger", metadata, Column("id", Integer, primary_key=True), Column("who", String))
    engines = [make_engine(url), make_engine(url)]  # two engines: two pools on one file, as two services
    metadata.create_all(engines[0])
    order: list[str] = []

    def first():
        with engines[0].connect() as connection:
            connection.execute(insert(ledger).values(who="first"))
            order.append("first wrote")
            eventlet.sleep(0.3)  # an RPC reply or a publish would yield here
            connection.execute(update(ledger).where(ledger.c.who == "first").values(who="first, again"))
            connection.commit()
            order.append("first committed")

    def second():
        eventlet.sleep(0.05)
        with engines[1].connect() as connection:
            connection.execute(insert(ledger).values(who="second"))
            connection.commit()
            order.append("second committed")

    started = time.monotonic()
    threads = [eventlet.spawn(first), eventlet.spawn(second)]
    for thread in threads:
        thread.wait()
    assert order == ["first wrote", "first committed", "second committed"]
    assert time.monotonic() - started < 5
    with engines[1].connect() as connection:
        assert sorted(connection.scalars(select(ledger.c.who))) == ["first, again", "second"]
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    for engine in engines:
        engine.dispose()


def test_a_read_for_update_holds_the_file_as_a_row_lock_would(tmp_path):
    """Two rounds read the same rows for update and then write what they decided from them: on
    PostgreSQL the row locks make the second wait; on SQLite the file's writer lock does."""
    url = f"sqlite:///{tmp_path / 'places.db'}"
    metadata = MetaData()
    places = Table("places", metadata, Column("id", Integer, primary_key=True), Column("taken_by", String))
    engines = [make_engine(url), make_engine(url)]
    metadata.create_all(engines[0])
    with engines[0].begin() as connection:
        connection.execute(insert(places).values(id=1, taken_by=None))

    def take(engine, who: str, results: dict) -> None:
        with engine.connect() as connection:
            free = connection.execute(
                select(places.c.id).where(places.c.taken_by.is_(None)).with_for_update()
            ).all()
            eventlet.sleep(0.2)  # a solve in a real thread, say
            if free:
                connection.execute(update(places).where(places.c.id == 1).values(taken_by=who))
            connection.commit()
            results[who] = bool(free)

    results: dict[str, bool] = {}
    rounds = [
        eventlet.spawn(take, engines[0], "first", results),
        eventlet.spawn(take, engines[1], "second", results),
    ]
    for round_ in rounds:
        round_.wait()
    assert results == {"first": True, "second": False}, "the second round read after the first committed"
    for engine in engines:
        engine.dispose()
