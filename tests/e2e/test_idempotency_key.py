"""A mutation retried with the same ``Idempotency-Key`` header, through the gateway: one record and the
same answer; each mutation field of a document has its own key; the header with another command is
refused naming it; a bad header is refused before anything runs."""

from __future__ import annotations

import requests
from graphql_relay import to_global_id
from sqlalchemy import func, select

from deploy.seed import seed_directory
from services.volunteers.models import Base, LedgerTransaction
from shared.identity import PartyType
from tests.conftest import unit_of_work

CREDIT = """mutation($i: CreditActivityPointsInput!) {
  litter: creditActivityPoints(input: $i) { credit { points memo postedAt } errors { field code message } }
  again: creditActivityPoints(input: $i) { credit { points memo postedAt } errors { field code message } }
}"""


def credits(databases) -> int:
    with unit_of_work(databases["volunteers"], Base.metadata) as uow:
        return uow.session.scalar(
            select(func.count()).select_from(LedgerTransaction).where(LedgerTransaction.kind == "activity")
        )


def test_a_mutation_retried_with_the_same_key_makes_one_record_and_answers_alike(platform, databases):
    directory = seed_directory(platform.rpc, serial=11)
    token = platform.token(directory.principals[PartyType.RESIDENTS_COMMITTEE])
    given = {
        "volunteerId": to_global_id("Volunteer", directory.volunteer_ids[0]),
        "activity": "bags of litter",
        "quantity": 2,
        "pointsPerUnit": 5,
    }

    def post(variables: dict, key: str | None = None) -> requests.Response:
        headers = {"Authorization": f"Bearer {token}"}
        if key is not None:
            headers["Idempotency-Key"] = key
        return requests.post(
            platform.url, json={"query": CREDIT, "variables": variables}, headers=headers, timeout=30
        )

    before = credits(databases)
    first = post({"i": given}, "retry-7f3a").json()
    assert first["data"]["litter"]["errors"] == [] and first["data"]["litter"]["credit"]["points"] == 10
    # Two fields of one document are two commands: each has its own key (the request's and its alias).
    assert first["data"]["again"]["credit"]["postedAt"] != first["data"]["litter"]["credit"]["postedAt"]
    assert credits(databases) == before + 2

    retried = post({"i": given}, "retry-7f3a").json()
    assert retried == first  # the first answers, to the instant they were posted at
    assert credits(databases) == before + 2

    other = post({"i": {**given, "quantity": 3}}, "retry-7f3a").json()["data"]["litter"]
    assert other["credit"] is None
    assert [(e["field"], e["code"]) for e in other["errors"]] == [
        ("Idempotency-Key", "idempotency_key_reused")
    ]
    assert credits(databases) == before + 2

    post({"i": given})  # without the header, each request has a key of its own
    post({"i": given})
    assert credits(databases) == before + 6


def test_an_idempotency_key_that_is_not_short_printable_text_is_refused_naming_the_header(
    platform, databases
):
    directory = seed_directory(platform.rpc, serial=12)
    token = platform.token(directory.principals[PartyType.RESIDENTS_COMMITTEE])
    for bad in ("k" * 201, "tab\there"):
        answer = requests.post(
            platform.url,
            json={"query": "mutation { signOut { signedOut } }"},
            headers={"Authorization": f"Bearer {token}", "Idempotency-Key": bad},
            timeout=30,
        )
        assert answer.status_code == 400
        (error,) = answer.json()["errors"]
        assert "Idempotency-Key" in error["message"] and error["extensions"]["code"] == "bad_request"
    # Nothing ran: the sign-in still holds.
    still = requests.post(
        platform.url,
        json={"query": "{ viewer { party { type } } }"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert still.json()["data"]["viewer"]["party"]["type"] == "RESIDENTS_COMMITTEE"
