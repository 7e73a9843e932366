"""The operators' dead-letter commands on the real broker (a vhost of the test's own): a letter
shows why it was dead-lettered and where it came from; replayed after the fault is fixed, the
event is handled exactly once, however many letters of it are replayed; purged letters are gone;
and against a broker that does not answer, each command stops within seconds, exit status 3."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

from sqlalchemy import text

from deploy.dead_letters import dead_letters
from services.matching.service import MatchingService
from shared import config
from shared.messaging import DEAD_LETTER_QUEUE
from tests.conftest import free_port
from tests.helpers import message_count, publish_raw, wait_for
from tests.integration.test_reliability import RESOLUTION_QUEUE, inbox, projects, purchase


def gongzhi(*args: str, timeout: float = 60, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "deploy.cli", *args],
        cwd=config.ROOT,
        env={**os.environ, "PYTHONPATH": str(config.ROOT), **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def waiting(amqp_uri: str) -> int:
    """Letters in the dead-letter queue (none before the first one declares it)."""
    from amqp.exceptions import NotFound

    try:
        return message_count(amqp_uri, DEAD_LETTER_QUEUE)
    except NotFound:
        return 0


def listed(*args: str) -> list[dict]:
    done = gongzhi("dead-letters", "list", "--json", *args)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_replayed_dead_letter_is_handled_once_after_the_fault_is_fixed(databases, amqp_uri, runner_factory):
    runner_factory(MatchingService).start()
    event = purchase()
    with databases["matching"].begin() as connection:  # a real fault: the table is gone
        connection.execute(text("ALTER TABLE project RENAME TO project_away"))
    try:
        # The same event twice (a producer's retry): two letters of one event.
        publish_raw(amqp_uri, "meetings", "resolution.adopted", event)
        publish_raw(amqp_uri, "meetings", "resolution.adopted", event)
        wait_for("two dead letters", lambda: waiting(amqp_uri) == 2, timeout=30)
    finally:
        with databases["matching"].begin() as connection:
            connection.execute(text("ALTER TABLE project_away RENAME TO project"))
    assert projects(databases) == []

    letters = listed()
    assert len(letters) == 2 and len({letter["id"] for letter in letters}) == 2
    for letter in letters:
        assert letter["event_id"] == event["id"] and letter["event_type"] == "resolution.adopted"
        assert letter["queue"] == RESOLUTION_QUEUE.name
        assert letter["reason"].startswith("failed 5 times") and "project" in letter["reason"]
    shown = gongzhi("dead-letters", "show", letters[0]["id"])
    assert shown.returncode == 0, shown.stderr
    detail = json.loads(shown.stdout)
    assert detail["original_exchange"] == "meetings.events"
    assert detail["original_routing_key"] == "resolution.adopted"
    assert detail["body"]["id"] == event["id"] and detail["body"]["data"]["budget"] == "128000.00"
    assert waiting(amqp_uri) == 2  # reading took nothing away

    first = gongzhi("dead-letters", "replay", letters[0]["id"], "--json")
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["replayed"][0]["to"] == f"queue {RESOLUTION_QUEUE.name}"
    wait_for("the replayed event handled", lambda: len(projects(databases)) == 1)
    assert [letter["id"] for letter in listed()] == [letters[1]["id"]]

    # The second letter of the same event: its consumer's inbox has it, so nothing happens twice.
    second = gongzhi("dead-letters", "replay", "--all")
    assert second.returncode == 0, second.stderr
    wait_for("the dead-letter queue emptied", lambda: waiting(amqp_uri) == 0)
    wait_for("the second copy consumed", lambda: message_count(amqp_uri, RESOLUTION_QUEUE) == 0)
    time.sleep(0.5)
    assert len(projects(databases)) == 1 and len(inbox(databases)) == 1
    assert waiting(amqp_uri) == 0  # skipped as a duplicate, not dead-lettered


def test_purge_removes_only_the_letters_named_and_asks_first(databases, amqp_uri, runner_factory):
    runner_factory(MatchingService).start()
    publish_raw(amqp_uri, "meetings", "resolution.adopted", "not even an object")
    broken = purchase()
    broken["data"]["budget"] = "a lot"
    publish_raw(amqp_uri, "meetings", "resolution.adopted", broken)
    wait_for("two dead letters", lambda: waiting(amqp_uri) == 2, timeout=20)
    letters = listed()
    reasons = " | ".join(letter["reason"] for letter in letters)
    assert "not an event envelope" in reasons and "budget" in reasons
    envelope = next(letter for letter in letters if "not an event envelope" in letter["reason"])

    unasked = gongzhi("dead-letters", "purge", envelope["id"])
    assert unasked.returncode == 1 and "--yes" in unasked.stderr
    unknown = gongzhi("dead-letters", "purge", "no-such-letter", "--yes")
    assert unknown.returncode == 1 and "no dead letter no-such-letter" in unknown.stderr
    assert waiting(amqp_uri) == 2

    purged = gongzhi("dead-letters", "purge", envelope["id"], "--yes")
    assert purged.returncode == 0, purged.stderr
    (left,) = listed()
    assert left["event_id"] == broken["id"]
    with dead_letters(amqp_uri) as held:  # the module the command uses, in this process
        assert [letter.id for letter in held.letters] == [left["id"]]
        held.purge(held.letters[0])
    assert waiting(amqp_uri) == 0


def test_the_dead_letter_commands_stop_within_seconds_when_the_broker_does_not_answer():
    down = f"amqp://guest:guest@127.0.0.1:{free_port()}/"
    for args in (("list",), ("show", "x"), ("replay", "--all"), ("purge", "--all", "--yes")):
        started = time.monotonic()
        done = gongzhi("dead-letters", *args, AMQP_URI=down)
        took = time.monotonic() - started
        assert done.returncode == 3, (args, done.stdout, done.stderr)
        assert "does not answer" in done.stderr and "guest:guest" not in done.stderr
        assert took < 20, f"{args} took {took:.1f} s"


def test_a_letter_goes_to_the_original_exchange_when_asked_and_stays_when_it_cannot_be_routed(
    databases, amqp_uri, runner_factory
):
    from kombu import Connection, Producer

    from shared.messaging import DEAD_LETTER_EXCHANGE

    runner_factory(MatchingService).start()
    broken = purchase()
    broken["data"]["budget"] = "a lot"
    publish_raw(amqp_uri, "meetings", "resolution.adopted", broken)
    wait_for("the dead letter", lambda: waiting(amqp_uri) == 1, timeout=20)
    (letter,) = listed()

    # Through meetings.events with resolution.adopted: matching's queue gets it, and refuses it again.
    again = gongzhi("dead-letters", "replay", letter["id"], "--to-exchange", "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["replayed"][0]["to"] == "meetings.events resolution.adopted"
    wait_for("the event dead-lettered again", lambda: [x["id"] for x in listed()] not in ([], [letter["id"]]))
    (anew,) = listed()
    assert anew["event_id"] == broken["id"] and anew["id"] != letter["id"] and "budget" in anew["reason"]

    # A letter whose queue is gone: the broker returns the replay, and the letter stays.
    with Connection(amqp_uri, transport_options={"confirm_publish": True}) as connection:
        Producer(connection).publish(
            {"id": "e-orphan"},
            exchange=DEAD_LETTER_EXCHANGE,
            routing_key="gone",
            serializer="json",
            headers={"x-dead-letter-id": "orphan", "x-queue": "no-such-queue", "x-reason": "test"},
        )
    orphan = gongzhi("dead-letters", "replay", "orphan")
    assert orphan.returncode == 1 and "returned" in orphan.stderr
    assert {x["id"] for x in listed()} == {anew["id"], "orphan"}
