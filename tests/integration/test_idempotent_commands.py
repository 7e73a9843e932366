"""Commands sent with an idempotency key change things once, on the real broker and PostgreSQL: a
repeat gets the first answer, another party's key is its own, another command under a key is
refused naming the header, and a service SIGKILLed between the commit and the acknowledgement of
an RPC does not run it again when the broker delivers it to the restarted service (issue 13,
defect 2: ``recordResolution`` 1,026 sent -> 1,029 resolutions; ``creditActivityPoints`` 719 ->
722)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from datetime import datetime, timedelta, timezone

import eventlet
import pytest
from nameko.standalone.rpc import ClusterRpcClient
from nameko.testing.services import worker_factory
from sqlalchemy import func, select

from deploy.broker import declare_queues
from services.meetings.models import Base as MeetingsBase
from services.meetings.models import IdempotencyRecord as MeetingsKept
from services.meetings.models import Resolution
from services.meetings.service import MeetingsService
from services.volunteers.commands import RegisterVolunteer
from services.volunteers.handlers import registry
from services.volunteers.models import Base as VolunteersBase
from services.volunteers.models import LedgerTransaction
from services.volunteers.service import VolunteersService
from shared import config
from shared.clock import FixedClock, SystemClock
from shared.errors import Conflict, NotFound
from shared.vocabulary.common import ErrorCode
from tests.conftest import unit_of_work

SOON = datetime.now(timezone.utc) + timedelta(days=2)


def committee_of(community: dict, district_id: str) -> dict:
    return {
        "account_id": f"acct-{community['committee_id']}",
        "party_type": "residents_committee",
        "party_id": community["committee_id"],
        "district_id": district_id,
        "community_id": community["community_id"],
    }


@pytest.fixture
def meeting(databases):
    """A meeting of a community whose committee has signed in, so a resolution can be put."""
    meetings = worker_factory(
        MeetingsService, db=unit_of_work(databases["meetings"], MeetingsBase.metadata), clock=SystemClock()
    )
    district = meetings.register_district({"name": "D", "office_name": "O"})
    community = meetings.register_community(
        {"district_id": district["district_id"], "name": "C", "committee_name": "RC"}
    )
    committee = committee_of(community, district["district_id"])
    held = meetings.schedule_meeting(
        committee,
        {
            "title": "Joint meeting",
            "location": "Hall",
            "starts_at": SOON.isoformat(),
            "ends_at": (SOON + timedelta(hours=1)).isoformat(),
        },
    )
    meetings.sign_in_to_meeting(committee, {"meeting_id": held["id"], "delegate": "Director Liu"})
    return {"committee": committee, "meeting_id": held["id"]}


@pytest.fixture
def volunteer(databases):
    """A volunteer of community c1, and the committees of c1 and of another community."""
    uow = unit_of_work(databases["volunteers"], VolunteersBase.metadata)
    wang = registry.enrol_volunteer(uow, SystemClock(), "c1", RegisterVolunteer(name="Wang"))
    committee = {"account_id": "acct-rc1", "party_type": "residents_committee", "party_id": "rc1"}
    committee.update(district_id="d1", community_id="c1")
    other = {**committee, "account_id": "acct-rc2", "party_id": "rc2", "community_id": "c2"}
    return {"id": wang.id, "committee": committee, "other_committee": other}


def resolution(meeting_id: str, title: str = "Buy home care") -> dict:
    return {
        "meeting_id": meeting_id,
        "title": title,
        "text": "Weekly visits",
        "decision_type": "purchase_service",
        "budget": "128000.00",
        "category": "elderly_care",
    }


def credit(volunteer_id: str) -> dict:
    return {"volunteer_id": volunteer_id, "activity": "bags of litter", "quantity": 3, "points_per_unit": 5}


def resolutions(databases) -> int:
    with unit_of_work(databases["meetings"], MeetingsBase.metadata) as uow:
        return uow.session.scalar(select(func.count()).select_from(Resolution))


def credits(databases) -> int:
    with unit_of_work(databases["volunteers"], VolunteersBase.metadata) as uow:
        return uow.session.scalar(
            select(func.count()).select_from(LedgerTransaction).where(LedgerTransaction.kind == "activity")
        )


def keyed(key: str) -> ClusterRpcClient:
    """A client whose calls carry ``key`` as the gateway's do (context data)."""
    return ClusterRpcClient(context_data={"idempotency_key": key}, timeout=60)


def test_a_command_sent_twice_with_one_key_changes_things_once_and_answers_alike(
    databases, amqp_uri, runner_factory, meeting, volunteer
):
    runner_factory(MeetingsService, VolunteersService).start()
    with keyed("request-1:recordResolution") as rpc:
        first = rpc.meetings.record_resolution(meeting["committee"], resolution(meeting["meeting_id"]))
        again = rpc.meetings.record_resolution(meeting["committee"], resolution(meeting["meeting_id"]))
    with keyed("request-1:creditActivityPoints") as rpc:
        credited = rpc.volunteers.credit_activity(volunteer["committee"], credit(volunteer["id"]))
        credited_again = rpc.volunteers.credit_activity(volunteer["committee"], credit(volunteer["id"]))
    assert again == first and credited_again == credited
    assert resolutions(databases) == 1 and credits(databases) == 1
    with ClusterRpcClient() as rpc:  # without a key, each command is its own
        rpc.volunteers.credit_activity(volunteer["committee"], credit(volunteer["id"]))
    assert credits(databases) == 2


def test_concurrent_deliveries_of_one_keyed_command_wait_for_the_first_and_answer_alike(
    databases, amqp_uri, runner_factory, volunteer
):
    runner_factory(VolunteersService).start()

    def send():
        with keyed("request-2:creditActivityPoints") as rpc:
            return rpc.volunteers.credit_activity(volunteer["committee"], credit(volunteer["id"]))

    pool = eventlet.GreenPool()
    answers = list(pool.imap(lambda _: send(), range(4)))
    assert all(answer == answers[0] for answer in answers)
    assert credits(databases) == 1


def test_another_partys_key_is_its_own_and_never_reads_the_first_answer(
    databases, amqp_uri, runner_factory, volunteer
):
    runner_factory(VolunteersService).start()
    with keyed("shared-key:creditActivityPoints") as rpc:
        rpc.volunteers.credit_activity(volunteer["committee"], credit(volunteer["id"]))
        # The other community's committee runs under its own rules: Wang is not its volunteer.
        with pytest.raises(NotFound) as refused:
            rpc.volunteers.credit_activity(volunteer["other_committee"], credit(volunteer["id"]))
    assert refused.value.field == "volunteer_id"
    assert credits(databases) == 1


def test_a_key_sent_again_with_another_command_is_refused_naming_the_header(
    databases, amqp_uri, runner_factory, meeting
):
    runner_factory(MeetingsService).start()
    with keyed("request-3:recordResolution") as rpc:
        rpc.meetings.record_resolution(meeting["committee"], resolution(meeting["meeting_id"]))
        with pytest.raises(Conflict) as refused:
            rpc.meetings.record_resolution(meeting["committee"], resolution(meeting["meeting_id"], "Other"))
    assert refused.value.code == ErrorCode.IDEMPOTENCY_KEY_REUSED
    assert refused.value.field == "Idempotency-Key"
    assert resolutions(databases) == 1


def test_the_timer_forgets_answers_older_than_the_retention(
    databases, amqp_uri, runner_factory, meeting, monkeypatch
):
    runner_factory(MeetingsService).start()
    with keyed("request-4:recordResolution") as rpc:
        rpc.meetings.record_resolution(meeting["committee"], resolution(meeting["meeting_id"]))
    monkeypatch.setenv("GONGZHI_IDEMPOTENCY_RETENTION_DAYS", "2")
    uow = unit_of_work(databases["meetings"], MeetingsBase.metadata)

    def kept_after(days: float) -> int:
        later = FixedClock(datetime.now(timezone.utc) + timedelta(days=days))
        worker_factory(MeetingsService, db=uow, clock=later).forget_old_answers()
        with uow:
            return uow.session.scalar(select(func.count()).select_from(MeetingsKept))

    assert kept_after(1.9) == 1
    assert kept_after(2.1) == 0
    with keyed("request-4:recordResolution") as rpc:  # forgotten: the key runs the command again
        rpc.meetings.record_resolution(meeting["committee"], resolution(meeting["meeting_id"]))
    assert resolutions(databases) == 2


def start_worker(service: str, method: str, marker, log) -> subprocess.Popen:
    worker = subprocess.Popen(
        [sys.executable, "-m", "tests.integration.killed_command_worker", service, method, str(marker)],
        cwd=config.ROOT,
        env=os.environ.copy(),
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    assert worker.stdout.readline().strip() == "ready", "the worker did not start; see its log"
    return worker


@pytest.mark.parametrize(
    ("service", "method", "setup"),
    [("meetings", "record_resolution", "meeting"), ("volunteers", "credit_activity", "volunteer")],
)
def test_a_service_killed_between_commit_and_acknowledgement_does_not_run_the_command_again(
    databases, amqp_uri, tmp_path, request, service, method, setup
):
    given = request.getfixturevalue(setup)
    if service == "meetings":
        principal, data, effects = given["committee"], resolution(given["meeting_id"]), resolutions
    else:
        principal, data, effects = given["committee"], credit(given["id"]), credits
    declare_queues([MeetingsService, VolunteersService], amqp_uri)
    marker = tmp_path / "killed"
    log = (tmp_path / "worker.log").open("w")
    workers = [start_worker(service, method, marker, log)]
    try:
        with keyed(f"{uuid.uuid4()}:{method}") as rpc:
            call = eventlet.spawn(lambda: getattr(getattr(rpc, service), method)(principal, data))
            assert workers[0].wait(timeout=60) == -signal.SIGKILL  # after its commit, before the reply
            assert marker.exists() and effects(databases) == 1
            workers.append(start_worker(service, method, marker, log))  # the restart
            answer = call.wait()  # the request, delivered again, answered by the restarted service
        assert answer["id"]
        assert effects(databases) == 1, "the restarted service ran the command a second time"
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
        log.close()
