"""A fact announced twice under two event ids (a producer or relay that published it again) is
applied once by every consumer that creates something for it: the second copy is handled as a
no-op, never a second record and never a dead letter."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from sqlalchemy import func, select

from services.contracts.models import Base as ContractsBase
from services.contracts.models import Contract, Milestone
from services.matching.models import Assessment, Project
from services.matching.models import Base as MatchingBase
from services.meetings.models import AgendaItem
from services.meetings.models import Base as MeetingsBase
from services.volunteers.models import Base as VolunteersBase
from services.volunteers.models import ServiceRequest
from shared.events import CATALOGUE, new_event
from tests.conftest import unit_of_work
from tests.helpers import dead_letters, publish_raw, wait_for
from tests.integration.test_event_versions import ANNOUNCED, FOR_THE_CONTRACT
from tests.integration.test_reliability import committee, purchase  # noqa: F401

BASES = {
    "contracts": ContractsBase,
    "matching": MatchingBase,
    "meetings": MeetingsBase,
    "volunteers": VolunteersBase,
}
AT = datetime(2027, 3, 1, 1, tzinfo=timezone.utc)


def rows(databases, service: str, model, *where) -> list:
    with unit_of_work(databases[service], BASES[service].metadata) as uow:
        return list(uow.session.scalars(select(model).where(*where)))


def handled(databases, service: str) -> int:
    """Events the service's consumers have recorded as handled (one inbox row per event and consumer)."""
    inbox = BASES[service].metadata.tables["inbox"]
    with unit_of_work(databases[service], BASES[service].metadata) as uow:
        return uow.session.scalar(select(func.count()).select_from(inbox))


def announce_twice(amqp_uri: str, event_type: str, data: dict, community_id: str) -> None:
    first, again = (new_event(event_type, data, community_id) for _ in range(2))
    assert first["id"] != again["id"]
    for wire in (first, again):
        publish_raw(amqp_uri, CATALOGUE[event_type].source, event_type, wire)


def test_a_fact_announced_again_under_a_new_event_id_is_applied_once(
    databases,
    amqp_uri,
    runner_factory,
    committee,  # noqa: F811 (the fixture imported above)
):
    from deploy.broker import declare_queues
    from deploy.services import DOMAIN_SERVICES

    declare_queues(DOMAIN_SERVICES, amqp_uri)
    runner_factory(*DOMAIN_SERVICES).start()
    community = committee["principal"]["community_id"]

    award = {**ANNOUNCED, **FOR_THE_CONTRACT, "project_id": "p1"}
    announce_twice(amqp_uri, "project.awarded", award, community)
    (contract,) = wait_for(
        "the award's contract", lambda: rows(databases, "contracts", Contract, Contract.project_id == "p1")
    )
    with unit_of_work(databases["contracts"], ContractsBase.metadata) as uow:
        uow.add(
            Milestone(
                id="ms1",
                contract_id=contract.id,
                key="clinic",
                title="Free clinic day",
                due_on=date(2027, 3, 1),
                criteria="held",
                share=Decimal("100.00"),
                evidence=[],
            )
        )
        uow.commit()

    announce_twice(amqp_uri, "resolution.adopted", purchase("r-purchase")["data"], community)
    dispatch = purchase("r-dispatch", decision_type="dispatch_volunteers", budget=None, category=None)["data"]
    announce_twice(amqp_uri, "resolution.adopted", dispatch, community)
    announce_twice(
        amqp_uri,
        "milestone.volunteers_requested",
        {
            "contract_id": contract.id,
            "milestone_id": "ms1",
            "title": "Free clinic day",
            "skill": "first_aid",
            "places": 2,
            "starts_at": AT,
            "ends_at": AT + timedelta(hours=3),
            "location": "Community hall",
        },
        community,
    )
    announce_twice(
        amqp_uri,
        "organisation.assessed",
        {
            "organisation_id": "org1",
            "contract_id": "k-done",
            "score": "88.5",
            "grade": "good",
            "assessed_at": AT,
        },
        community,
    )
    announce_twice(
        amqp_uri,
        "milestone.deadline_passed",
        {
            "contract_id": contract.id,
            "milestone_id": "ms1",
            "title": "Free clinic day",
            "organisation_name": "Leling Social Work Centre",
            "due_at": AT,
        },
        community,
    )
    announce_twice(
        amqp_uri,
        "service_request.went_unfilled",
        {"request_id": "sr1", "title": "Litter pick", "starts_at": AT, "places": 4, "filled": 1},
        community,
    )
    announce_twice(
        amqp_uri,
        "shift.completed",
        {
            "shift_id": "sh1",
            "request_id": "sr2",
            "volunteer_id": "v1",
            "hours": "3.00",
            "started_at": AT,
            "ended_at": AT + timedelta(hours=3),
            "contract_id": contract.id,
            "milestone_id": "ms1",
        },
        community,
    )

    # Every copy handled (recorded in the consumer's inbox), none dead-lettered: per service, two
    # copies of each fact it consumes, for each of its consumers of that type.
    expected = {"contracts": 2 + 2, "matching": 4 + 2, "meetings": 2 + 2 + 2, "volunteers": 4 + 2}
    wait_for(
        "every copy of every fact to be handled",
        lambda: all(handled(databases, service) == count for service, count in expected.items()),
        timeout=30,
    )
    assert dead_letters(amqp_uri) == []

    assert len(rows(databases, "contracts", Contract)) == 1
    (milestone,) = rows(databases, "contracts", Milestone)
    assert [e["reference"] for e in milestone.evidence] == ["sh1"]
    assert [p.source_resolution_id for p in rows(databases, "matching", Project)] == ["r-purchase"]
    assert [a.contract_id for a in rows(databases, "matching", Assessment)] == ["k-done"]
    requests = rows(databases, "volunteers", ServiceRequest)
    assert sorted((r.resolution_id or "", r.milestone_id or "") for r in requests) == [
        ("", "ms1"),
        ("r-dispatch", ""),
    ]
    items = rows(databases, "meetings", AgendaItem, AgendaItem.source == "event")
    assert sorted(i.description.rsplit("[", 1)[1] for i in items) == [
        "milestone.deadline_passed]",
        "project.awarded]",
        "service_request.went_unfilled]",
    ]
