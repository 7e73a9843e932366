"""What the platform logs, read as an operator would: one GraphQL request's lines found by its
correlation id in the gateway, the service it called and the consumers of the event that call
emitted; an access log line per request with its fields; an expected refusal as one INFO line
without a traceback, an unexpected failure as an ERROR with one."""

from __future__ import annotations

import logging
import uuid

import requests
from graphql_relay import to_global_id

from deploy.seed import seed_directory
from shared import logs
from shared.identity import PartyType
from tests.e2e.test_tender_flow import parties, resolution_drafts_a_project  # noqa: F401
from tests.helpers import wait_for

CREDIT = """mutation Credit($i: CreditActivityPointsInput!) {
  creditActivityPoints(input: $i) { credit { points } errors { field code message } }
}"""


def _credit_unknown_volunteer(platform, token: str) -> requests.Response:
    given = {
        "volunteerId": to_global_id("Volunteer", str(uuid.uuid4())),
        "activity": "bags of litter",
        "quantity": 1,
        "pointsPerUnit": 1,
    }
    return requests.post(
        platform.url,
        json={"query": CREDIT, "variables": {"i": given}, "operationName": "Credit"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )


def _access_lines(records: list[logging.LogRecord]) -> list[logging.LogRecord]:
    return [r for r in records if r.name == logs.ACCESS]


def test_the_platform_runs_each_worker_under_its_correlation_id(platform):
    from nameko.containers import get_container_cls

    from shared.correlation import Container

    assert get_container_cls() is Container


def test_a_refused_mutation_is_one_info_line_without_a_traceback(platform, caplog):
    directory = seed_directory(platform.rpc, serial=21)
    token = platform.token(directory.principals[PartyType.RESIDENTS_COMMITTEE])
    caplog.set_level(logging.INFO)
    caplog.clear()

    answer = _credit_unknown_volunteer(platform, token).json()
    assert answer["data"]["creditActivityPoints"]["errors"][0]["code"] == "not_found"

    (access,) = _access_lines(caplog.records)
    correlation = access.correlation_id
    assert (access.operation, access.fields, access.operation_type) == (
        "Credit",
        "creditActivityPoints",
        "mutation",
    )
    assert (access.party_type, access.status, access.outcome) == ("residents_committee", 200, "refused")
    assert isinstance(access.ms, float) and access.ms > 0
    ours = [r for r in caplog.records if getattr(r, "correlation_id", None) == correlation]
    (refusal,) = [r for r in ours if r.name != logs.ACCESS]
    assert refusal.levelno == logging.INFO and refusal.exc_info is None and not refusal.exc_text
    assert refusal.worker == "volunteers.credit_activity"
    assert (refusal.outcome, refusal.error_code) == ("refused", "not_found")
    assert (
        refusal.getMessage()
        == "volunteers.credit_activity refused: not_found: no such volunteer (volunteer_id)"
    )
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []


def test_an_unexpected_failure_is_an_error_with_its_traceback_under_the_requests_id(
    platform, caplog, monkeypatch
):
    directory = seed_directory(platform.rpc, serial=22)
    token = platform.token(directory.principals[PartyType.RESIDENTS_COMMITTEE])

    def broken(*_args, **_kwargs):
        raise RuntimeError("the volunteers service broke")

    monkeypatch.setattr("shared.entrypoints.load", broken)  # every command of the services fails
    caplog.set_level(logging.INFO)
    caplog.clear()

    answer = _credit_unknown_volunteer(platform, token).json()
    (error,) = answer["errors"]
    assert error["extensions"]["code"] == "internal_error"
    correlation = error["extensions"]["correlationId"]

    (access,) = _access_lines(caplog.records)
    assert (access.correlation_id, access.outcome, access.status) == (correlation, "error", 200)
    failures = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert {r.correlation_id for r in failures} == {correlation}
    in_service = [r for r in failures if r.name == "nameko.containers"]
    assert [r.worker for r in in_service] == ["volunteers.credit_activity"]
    assert in_service[0].exc_info is not None and in_service[0].exc_info[0] is RuntimeError
    in_gateway = [r for r in failures if r.name == "gateway.http"]
    assert len(in_gateway) == 1 and in_gateway[0].exc_info is not None


def test_one_mutation_is_found_by_its_id_in_the_gateway_the_service_and_the_events_consumers(
    platform,
    parties,  # noqa: F811
    caplog,
):
    caplog.set_level(logging.DEBUG)
    resolution_drafts_a_project(parties)  # the last position taken adopts the resolution

    def consumed() -> list[logging.LogRecord]:
        return [
            r for r in caplog.records if r.name == "gongzhi.events" and "resolution.adopted" in r.getMessage()
        ]

    wait_for("both consumers to log resolution.adopted", lambda: len(consumed()) >= 2)
    (correlation,) = {r.correlation_id for r in consumed()}
    ours = [r for r in caplog.records if getattr(r, "correlation_id", None) == correlation]

    (access,) = _access_lines(ours)
    assert (access.fields, access.party_type, access.outcome) == ("takePosition", "property_company", "ok")
    workers = {r.worker for r in ours}
    assert {
        "gateway.graphql",
        "meetings.take_position",
        "matching.draft_project_from_resolution",
        "volunteers.open_request_from_resolution",
    } <= workers, workers
    handled = {(r.consumer, r.outcome) for r in consumed()}
    assert handled == {
        ("matching.draft_project_from_resolution", "ok"),
        ("volunteers.open_request_from_resolution", "ok"),
    }
    # Other requests of the flow have ids of their own, and so has each timer tick.
    request_ids = {r.correlation_id for r in _access_lines(caplog.records)}
    assert len(request_ids) == len(_access_lines(caplog.records))

    def ticks() -> set[str]:
        return {r.correlation_id for r in caplog.records if r.name == "gongzhi.timer"}

    wait_for("a timer to tick", ticks)  # the tender timer ticks every few seconds
    assert not ticks() & request_ids
