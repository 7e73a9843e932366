"""The operators' commands as an operator runs them, in their own processes: against the running
platform they refuse party ids that do not exist or are of another type, take a party's district and
community from its record, never make a second record when run again, and take the README's own
examples; against a platform that is down they stop within seconds, exit non-zero, and leave
nothing queued to run later."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid

import requests
from kombu import Connection

from gateway.models import Account, Base
from services.matching.domain import credit_code_check_character
from shared import config, topology
from shared.db import standalone_unit_of_work
from shared.identity import PartyType, Principal
from tests.conftest import free_port
from tests.helpers import nodes

PASSWORD = "a long password for tests"


def command(
    module: str, *args: str, stdin: str = "", timeout: float = 90, **env
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=config.ROOT,
        env={**os.environ, **env},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def parties(*args: str, **env) -> dict:
    done = command("deploy.parties", *args, **env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def create_account(username: str, party_type: str, party_id: str, *extra: str) -> subprocess.CompletedProcess:
    return command(
        "deploy.accounts",
        "create",
        "--username",
        username,
        "--party-type",
        party_type,
        "--party-id",
        party_id,
        "--password-stdin",
        *extra,
        stdin=PASSWORD + "\n",
    )


def credit_code() -> str:
    first17 = "9131" + "".join(str(uuid.uuid4().int)[:13])
    return first17 + credit_code_check_character(first17)


def test_parties_are_made_once_and_an_organisations_filing_names_its_district(platform):
    district = parties("district", "--name", "新华街道", "--office-name", "新华街道办事处")
    assert district["created"] is True
    assert parties("district", "--name", "新华街道", "--office-name", "新华街道办事处") == {
        **district,
        "created": False,
    }
    community = parties(
        "community",
        "--district-id",
        district["district_id"],
        "--name",
        "和平社区",
        "--committee-name",
        "居委会",
    )
    again = (
        "community",
        "--district-id",
        district["district_id"],
        "--name",
        "和平社区",
        "--committee-name",
        "x",
    )
    assert parties(*again) == {**community, "created": False}

    # The README's own example: --skill first_aid (and a level with skill:level).
    enrol = (
        "volunteer",
        "--community-id",
        community["community_id"],
        "--name",
        "王芳",
        "--skill",
        "first_aid",
    )
    volunteer = parties(*enrol, "--skill", "cooking:3")
    assert volunteer["created"] is True
    assert volunteer["skills"] == [{"skill": "cooking", "level": 3}, {"skill": "first_aid", "level": 1}]
    assert parties(*enrol)["id"] == volunteer["id"]  # run again: the same volunteer, not a second
    assert parties(*enrol, "--new-namesake")["id"] != volunteer["id"]  # unless asked for

    # An organisation files with the sub-district office of the communities it serves.
    code = credit_code()
    filing = (
        "organisation",
        "--credit-code",
        code,
        "--name",
        "阳光社工",
        "--legal-form",
        "private_non_enterprise",
        "--category",
        "elderly_care",
        "--community-id",
        community["community_id"],
    )
    organisation = parties(*filing)
    assert organisation["created"] is True and organisation["district_id"] == district["district_id"]
    assert parties(*filing) == {**organisation, "created": False}
    office = Principal("-", PartyType.STREET_OFFICE, district["office_id"], district["district_id"])
    filings = nodes(platform.rpc.matching.list_filings(office.to_dict()))
    assert [f["id"] for f in filings] == [organisation["id"]]  # so its office can review it

    # Refused, and nothing made: an unknown community, a district that serves none of them.
    unknown = command("deploy.parties", "volunteer", "--community-id", "no-such-community", "--name", "李")
    assert unknown.returncode == 1 and "no community no-such-community" in unknown.stderr
    elsewhere = command("deploy.parties", *filing[:2], credit_code(), *filing[3:], "--district-id", "other")
    assert elsewhere.returncode == 1 and "district" in elsewhere.stderr
    bad_skill = command("deploy.parties", *enrol[:-1], "first_aid:9")
    assert bad_skill.returncode != 0 and "level from 1 to 5" in bad_skill.stderr


def test_an_account_is_made_only_for_a_party_that_exists_as_its_record_says(platform):
    meetings = platform.rpc.meetings
    district = meetings.register_district({"name": "新华街道", "office_name": "办事处"})
    other_district = meetings.register_district({"name": "东湖街道", "office_name": "办事处"})
    community = meetings.register_community(
        {"district_id": district["district_id"], "name": "和平社区", "committee_name": "和平社区居委会"}
    )
    committee = community["committee_id"]

    missing = create_account("ghost", "residents_committee", "no-such-party")
    assert missing.returncode == 1 and "no party no-such-party" in missing.stderr
    wrong_type = create_account("mask", "owners_committee", committee)
    assert (
        wrong_type.returncode == 1 and "is a residents_committee, not a owners_committee" in wrong_type.stderr
    )
    wrong_district = create_account(
        "far", "residents_committee", committee, "--district-id", other_district["district_id"]
    )
    assert wrong_district.returncode == 1 and "the party's record says" in wrong_district.stderr
    with standalone_unit_of_work("gateway", Base.metadata) as uow:
        assert uow.session.query(Account).count() == 0

    made = create_account("wang.committee", "residents_committee", committee)
    assert made.returncode == 0, made.stderr
    rerun = create_account("wang.committee", "residents_committee", committee)
    assert rerun.returncode == 0 and "exists" in rerun.stdout
    taken = create_account("wang.committee", "volunteer", "someone-else")
    assert taken.returncode == 1 and "taken" in taken.stderr
    with standalone_unit_of_work("gateway", Base.metadata) as uow:
        (account,) = uow.session.query(Account).all()
    assert (account.district_id, account.community_id) == (district["district_id"], community["community_id"])

    # A volunteer's district is its community's.
    volunteer = platform.rpc.volunteers.enrol_volunteer(community["community_id"], {"name": "王芳"})
    assert create_account("wang.fang", "volunteer", volunteer["id"]).returncode == 0
    with standalone_unit_of_work("gateway", Base.metadata) as uow:
        fang = uow.session.query(Account).filter_by(username="wang.fang").one()
    assert (fang.district_id, fang.community_id) == (district["district_id"], community["community_id"])

    # Disabling: an unknown username is an error; a known one's live access token dies at once.
    signed_in = requests.post(
        platform.url,
        json={
            "query": "mutation($u: String!, $p: String!) { signIn(input: {username: $u, password: $p}) "
            "{ session { accessToken } errors { code } } }",
            "variables": {"u": "wang.committee", "p": PASSWORD},
        },
        timeout=30,
    ).json()["data"]["signIn"]
    token = signed_in["session"]["accessToken"]

    def viewer() -> requests.Response:
        query = {"query": "{ viewer { community { name } } }"}
        return requests.post(
            platform.url, json=query, headers={"Authorization": f"Bearer {token}"}, timeout=30
        )

    assert viewer().json()["data"]["viewer"]["community"]["name"] == "和平社区"
    nobody = command("deploy.accounts", "disable", "--username", "nobody")
    assert nobody.returncode == 1 and "no account nobody" in nobody.stderr
    assert command("deploy.accounts", "disable", "--username", "wang.committee").returncode == 0
    assert viewer().status_code == 401


def test_a_command_stops_within_seconds_when_the_broker_does_not_answer(tmp_path):
    down = f"amqp://guest:guest@127.0.0.1:{free_port()}/"
    env = {"AMQP_URI": down, "GONGZHI_VAR": str(tmp_path), "DATABASE_URL": ""}
    for module, args in (
        ("deploy.parties", ("district", "--name", "新华街道", "--office-name", "办事处")),
        (
            "deploy.accounts",
            ("create", "--username", "wang", "--party-type", "volunteer", "--party-id", "v1"),
        ),
    ):
        started = time.monotonic()
        done = command(module, *args, timeout=30, **env)
        took = time.monotonic() - started
        assert done.returncode == 3, (module, done.stdout, done.stderr)
        assert "does not answer" in done.stderr and "guest:guest" not in done.stderr  # no password shown
        assert took < 15, f"{module} took {took:.1f} s"


def test_a_request_no_service_takes_expires_instead_of_running_later(amqp_uri):
    """The broker is up but the services are not: the call times out, and its request does not wait in
    the queue for the service to come back (a retry would then make the record twice)."""
    rpc_queue = topology.rpc_queue("meetings")
    with Connection(amqp_uri) as connection:
        channel = connection.channel()
        rpc_queue.exchange(channel).declare()
        rpc_queue(channel).declare()
    started = time.monotonic()
    done = command(
        "deploy.parties",
        "district",
        "--name",
        "新华街道",
        "--office-name",
        "办事处",
        timeout=30,
        GONGZHI_OPERATOR_TIMEOUT="2",
    )
    assert done.returncode == 3, done.stderr
    assert "did not answer within 2 s" in done.stderr and time.monotonic() - started < 20
    deadline = time.monotonic() + 10
    while True:
        with Connection(amqp_uri) as connection:
            waiting = rpc_queue(connection.channel()).queue_declare(passive=True).message_count
        if waiting == 0 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert waiting == 0, "the request still waits for the service"
