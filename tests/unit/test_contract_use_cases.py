"""Use cases of the contracts service that need no query beyond "this record" and "keep this one",
run on tests.fakes.FakeUnitOfWork: no database, no broker, no nameko."""

from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from services.contracts import commands, handlers
from services.contracts.models import Contract, Milestone
from shared.clock import FixedClock
from shared.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from shared.events import new_event, parse_event
from shared.identity import PartyType, Principal
from shared.vocabulary.contracts import ContractStatus, ErrorCode, MilestoneStatus
from tests.fakes import FakeUnitOfWork

COMMITTEE = Principal("acc-rc", PartyType.RESIDENTS_COMMITTEE, "rc1", "d1", "c1")
PROVIDER = Principal("acc-org", PartyType.SOCIAL_ORGANISATION, "org1")
RIVAL = Principal("acc-org2", PartyType.SOCIAL_ORGANISATION, "org2")
# 2027-03-31 17:00 UTC is already 1 April in the community (Asia/Shanghai by default).
CLOCK = FixedClock(datetime(2027, 3, 31, 17, 0, tzinfo=timezone.utc))


def contract(status=ContractStatus.ACTIVE) -> Contract:
    return Contract(
        id="k1",
        project_id="p1",
        ocid="ocds-gz0001-p1",
        community_id="c1",
        district_id="d1",
        organisation_id="org1",
        organisation_name="Leling Social Work Centre",
        title="Home care",
        value=Decimal("120000.00"),
        status=status,
        purchaser_type=PartyType.RESIDENTS_COMMITTEE.value,
        purchaser_id="rc1",
        compound_ids=[],
        signatures={},
    )


def milestone(status=MilestoneStatus.PENDING, contract_id="k1") -> Milestone:
    return Milestone(
        id="m1",
        contract_id=contract_id,
        key="m1",
        title="Visits begin",
        due_on=date(2027, 3, 31),
        criteria="40 residents visited",
        share=Decimal("30"),
        status=status,
        evidence=[],
    )


def test_an_award_drafts_the_contract_and_says_so():
    uow = FakeUnitOfWork()
    award = parse_event(
        new_event(
            "project.awarded",
            {
                "project_id": "p1",
                "ocid": "ocds-gz0001-p1",
                "title": "Home care",
                "organisation_id": "org1",
                "organisation_name": "Leling Social Work Centre",
                "value": "120000.00",
                "awarded_at": datetime(2026, 12, 1, tzinfo=timezone.utc),
                "award_id": "award-p1-1",
                "district_id": "d1",
                "purchaser_id": "so1",
                "purchaser_type": "street_office",
                "organisation_credit_code": "52310000MJ0000001X",
                "period_start": date(2027, 1, 1),
                "period_end": date(2027, 12, 31),
            },
            community_id="c1",
        )
    )
    drafted = handlers.draft_contract_from_award(uow, CLOCK, award)
    assert uow.all(Contract) == [drafted]
    assert (drafted.status, drafted.value, drafted.created_at) == ("draft", Decimal("120000.00"), CLOCK.now())
    assert drafted.purchaser_id is None  # an office that buys is known by its district
    assert [(e["type"], e["data"]["contract_id"]) for e in uow.events] == [("contract.drafted", drafted.id)]


def test_the_provider_delivers_with_evidence_dated_by_the_clock_in_the_community():
    uow = FakeUnitOfWork(contract(), milestone())
    evidence = [{"kind": "document", "reference": "report.pdf", "count": None, "note": ""}]
    command = commands.DeliverMilestone(contract_id="k1", milestone_id="m1", evidence=evidence)
    delivered = handlers.deliver_milestone(uow, CLOCK, PROVIDER, command)
    assert delivered.status == MilestoneStatus.DELIVERED
    assert delivered.delivered_on == date(2027, 4, 1)
    assert delivered.evidence == [{**evidence[0], "at": CLOCK.now().isoformat()}]
    assert [e["type"] for e in uow.events] == ["milestone.delivered"]


def test_only_the_provider_delivers_and_only_under_an_active_contract():
    command = commands.DeliverMilestone(contract_id="k1", milestone_id="m1", evidence=[{"kind": "note"}])
    with pytest.raises(PermissionDenied):
        handlers.deliver_milestone(FakeUnitOfWork(contract(), milestone()), CLOCK, COMMITTEE, command)
    with pytest.raises(NotFound):  # another organisation's contract is unknown to it
        handlers.deliver_milestone(FakeUnitOfWork(contract(), milestone()), CLOCK, RIVAL, command)
    signed = FakeUnitOfWork(contract(ContractStatus.SIGNED), milestone())
    with pytest.raises(Conflict) as raised:
        handlers.deliver_milestone(signed, CLOCK, PROVIDER, command)
    assert raised.value.code == ErrorCode.NOT_ACTIVE
    delivered = FakeUnitOfWork(contract(), milestone(MilestoneStatus.DELIVERED))
    with pytest.raises(Conflict) as raised:
        handlers.deliver_milestone(delivered, CLOCK, PROVIDER, command)
    assert raised.value.code == ErrorCode.ALREADY_DELIVERED
    elsewhere = FakeUnitOfWork(contract(), milestone(contract_id="k2"))
    with pytest.raises(NotFound) as raised:
        handlers.deliver_milestone(elsewhere, CLOCK, PROVIDER, command)
    assert raised.value.field == "milestone_id"
    assert signed.events == delivered.events == elsewhere.events == []


def test_a_rejection_needs_a_reason_and_announces_it():
    uow = FakeUnitOfWork(contract(), milestone(MilestoneStatus.DELIVERED))
    with pytest.raises(InvalidInput):
        handlers.decide_milestone(
            uow, CLOCK, COMMITTEE, commands.DecideMilestone(contract_id="k1", milestone_id="m1", accept=False)
        )
    command = commands.DecideMilestone(contract_id="k1", milestone_id="m1", accept=False, reason="redo it")
    rejected = handlers.decide_milestone(uow, CLOCK, COMMITTEE, command)
    assert (rejected.status, rejected.decision_note, rejected.decided_at) == (
        "rejected",
        "redo it",
        CLOCK.now(),
    )
    assert [(e["type"], e["data"]["reason"]) for e in uow.events] == [("milestone.rejected", "redo it")]


def test_a_volunteer_shift_for_a_milestone_becomes_its_evidence():
    uow = FakeUnitOfWork(contract(), milestone())
    shift = parse_event(
        new_event(
            "shift.completed",
            {
                "shift_id": "s1",
                "request_id": "r1",
                "volunteer_id": "v1",
                "hours": "3.00",
                "started_at": datetime(2027, 3, 30, 1, tzinfo=timezone.utc),
                "ended_at": datetime(2027, 3, 30, 4, tzinfo=timezone.utc),
                "contract_id": "k1",
                "milestone_id": "m1",
            },
            community_id="c1",
        )
    )
    handlers.attach_shift(uow, CLOCK, shift)
    (attached,) = uow.records[Milestone]["m1"].evidence
    assert attached == {
        "kind": "volunteer_shift",
        "reference": "s1",
        "hours": "3.00",
        "note": "2027-03-30 09:00–12:00 +08:00",
        "at": CLOCK.now().isoformat(),
    }
