"""Version 1 and version 2 of one event consumed side by side by a running service on the real
broker, and a version newer than the consumer knows dead-lettered with the reason."""

from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import select

from deploy.broker import declare_queues
from services.contracts.models import Base, Contract
from services.contracts.service import ContractsService
from shared.events import new_event
from tests.conftest import unit_of_work
from tests.helpers import dead_letters, publish_raw, wait_for

ANNOUNCED = {
    "ocid": "ocds-gz0001-p",
    "title": "Home care",
    "organisation_id": "org1",
    "organisation_name": "Leling Social Work Centre",
    "value": "120000.00",
    "awarded_at": datetime(2026, 12, 1, tzinfo=timezone.utc),
}
FOR_THE_CONTRACT = {
    "award_id": "ocds-gz0001-p2-award-1",
    "district_id": "d1",
    "purchaser_id": "so1",
    "purchaser_type": "street_office",
    "organisation_credit_code": "52310000MJ0000001X",
    "period_start": date(2027, 1, 1),
    "period_end": date(2027, 12, 31),
}


def contracts(databases) -> dict[str, Contract]:
    with unit_of_work(databases["contracts"], Base.metadata) as uow:
        return {c.project_id: c for c in uow.session.scalars(select(Contract))}


def test_awards_of_version_1_and_2_both_draft_their_contract_and_version_3_is_dead_lettered(
    databases, amqp_uri, runner_factory
):
    declare_queues([ContractsService], amqp_uri)
    runner_factory(ContractsService).start()
    v1 = new_event("project.awarded", {**ANNOUNCED, "project_id": "p1"}, "c1", version=1)
    v2 = new_event("project.awarded", {**ANNOUNCED, **FOR_THE_CONTRACT, "project_id": "p2"}, "c1")
    v3 = {**new_event("project.awarded", {**ANNOUNCED, **FOR_THE_CONTRACT, "project_id": "p3"}, "c1")}
    v3["schema_version"] = 3
    assert (v1["schema_version"], v2["schema_version"]) == (1, 2)
    for wire in (v1, v3, v2):
        publish_raw(amqp_uri, "matching", "project.awarded", wire)

    drafted = wait_for(
        "both awards' contracts", lambda: (found := contracts(databases)) and len(found) == 2 and found
    )
    old, new = drafted["p1"], drafted["p2"]
    # Version 1 knew nothing of the purchaser: a residents' committee's purchase, as it then was.
    assert (old.purchaser_type, old.award_id, old.district_id, old.period_start) == (
        "residents_committee",
        None,
        None,
        None,
    )
    assert (new.purchaser_type, new.award_id, new.district_id, new.period_start) == (
        "street_office",
        "ocds-gz0001-p2-award-1",
        "d1",
        date(2027, 1, 1),
    )
    letters = wait_for("the newer version's dead letter", lambda: dead_letters(amqp_uri))
    ((body, headers),) = letters
    assert body["data"]["project_id"] == "p3"
    assert (
        "project.awarded schema version 3 is newer than the versions this consumer knows"
        in headers["x-reason"]
    )
    assert "p3" not in contracts(databases)
