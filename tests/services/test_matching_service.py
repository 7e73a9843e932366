"""The matching service through nameko's worker_factory, on the real PostgreSQL database."""

import json
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from nameko.testing.services import worker_factory
from sqlalchemy import select, update

from deploy.seed import credit_code
from services.matching.handlers import awards, opening
from services.matching.models import Base, Bid, InboxRecord, OutboxRecord, Project
from services.matching.service import MatchingService
from shared import ocds
from shared.clock import FixedClock, MovableClock, SystemClock
from shared.db import DuplicateEvent
from shared.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from shared.events import new_event, parse_event
from shared.identity import PartyType, Principal
from tests import ocds_schema
from tests.conftest import unit_of_work
from tests.helpers import nodes

COMMITTEE = Principal("acc-rc", PartyType.RESIDENTS_COMMITTEE, "rc1", "d1", "c1").to_dict()
OFFICE = Principal("acc-so", PartyType.STREET_OFFICE, "so1", district_id="d1").to_dict()
OTHER_COMMITTEE = Principal("acc-rc2", PartyType.RESIDENTS_COMMITTEE, "rc2", "d1", "c2").to_dict()
EVALUATOR = Principal("acc-rc-b", PartyType.RESIDENTS_COMMITTEE, "rc1", "d1", "c1").to_dict()
OTHER_OFFICE = Principal("acc-so2", PartyType.STREET_OFFICE, "so2", district_id="d2").to_dict()
DETAILS = {"team": "two social workers", "timeline": "weekly from January"}


class Directory:
    """The meetings service's directory as matching asks it: c1 and c2 lie in d1, c9 in d9."""

    DISTRICTS = {"c1": "d1", "c2": "d1", "c9": "d9"}

    def get_communities(self, ids):
        return [{"id": i, "district_id": self.DISTRICTS[i]} for i in ids if i in self.DISTRICTS]


@pytest.fixture
def matching(databases):
    return worker_factory(
        MatchingService,
        db=unit_of_work(databases["matching"], Base.metadata),
        directory=Directory(),
        clock=SystemClock(),
    )


@pytest.fixture
def session(databases):
    return unit_of_work(databases["matching"], Base.metadata)


def register(
    matching, n: int, categories=("elderly_care",), communities=("c1",), approve=True, **filing
) -> dict:
    organisation = matching.register_organisation(
        {
            "credit_code": credit_code(f"5231000000000000{n}"),
            "name": f"Org {n}",
            "district_id": "d1",
            "legal_form": "social_group",
            "categories": list(categories),
            "community_ids": list(communities),
            **filing,
        }
    )
    if approve:
        matching.review_filing(OFFICE, {"organisation_id": organisation["id"], "decision": "approve"})
    return Principal(f"acc-{n}", PartyType.SOCIAL_ORGANISATION, organisation["id"]).to_dict()


def published_project(matching, budget="1000.00", deadline=timedelta(hours=1), **terms) -> dict:
    project = matching.create_project(
        COMMITTEE, {"title": "Home care", "category": "elderly_care", "budget": budget, **terms}
    )
    deadline_at = datetime.now(timezone.utc) + deadline
    return matching.publish_project(
        COMMITTEE, {"project_id": project["id"], "bid_deadline": deadline_at.isoformat()}
    )


def open_bids(databases, project_id: str, matching=None) -> None:
    """Move the deadline into the past, as the clock would, and let the timer open the bids."""
    with unit_of_work(databases["matching"], Base.metadata) as uow:
        uow.session.execute(
            update(Project)
            .where(Project.id == project_id)
            .values(bid_deadline=datetime.now(timezone.utc) - timedelta(seconds=1))
        )
        uow.commit()
    if matching is not None:
        matching.open_due_tenders()


def rank(matching, project_id: str, scores: dict[str, tuple[int, int]]) -> list[dict]:
    """The committee scores each bid (by its plan) and ranks them; returns the results."""
    for bid in matching.list_bids(COMMITTEE, [project_id]):
        if bid["plan"] in scores and bid["status"] == "submitted":
            quality, experience = scores[bid["plan"]]
            matching.score_bid(
                COMMITTEE,
                {
                    "project_id": project_id,
                    "bid_id": bid["id"],
                    "plan_quality": quality,
                    "experience": experience,
                },
            )
    matching.rank_bids(COMMITTEE, {"project_id": project_id})
    return matching.results(COMMITTEE, [project_id])


def test_registration_checks_the_credit_code_and_refuses_duplicates(matching):
    with pytest.raises(InvalidInput) as raised:
        matching.register_organisation(
            {
                "credit_code": "52310000000000001X",
                "name": "X",
                "legal_form": "social_group",
                "categories": ["a"],
                "community_ids": ["c1"],
                "district_id": "d1",
            }
        )
    assert raised.value.errors[0]["field"] == "credit_code"
    register(matching, 1)
    with pytest.raises(Conflict) as raised:
        register(matching, 1)
    assert raised.value.code == "duplicate"


def test_bids_are_sealed_from_everyone_but_their_bidder_until_the_deadline(matching, databases):
    first, second = register(matching, 1), register(matching, 2)
    project = published_project(matching)
    receipt = matching.submit_bid(
        first, {"project_id": project["id"], "price": "900.00", "plan": "A", **DETAILS}
    )
    matching.submit_bid(second, {"project_id": project["id"], "price": "950.00", "plan": "B", **DETAILS})
    assert len(receipt["digest"]) == 64

    assert matching.list_bids(COMMITTEE, [project["id"]]) == []
    assert [b["plan"] for b in matching.list_bids(first, [project["id"]])] == ["A"]
    assert [b["plan"] for b in matching.list_bids(second)] == ["B"]
    with pytest.raises(Conflict):
        matching.award_project(COMMITTEE, {"project_id": project["id"], "bid_id": receipt["id"]})

    open_bids(databases, project["id"])
    assert matching.list_bids(COMMITTEE, [project["id"]]) == [], "past the deadline, sealed until opened"
    matching.open_due_tenders()
    assert sorted(b["plan"] for b in matching.list_bids(COMMITTEE, [project["id"]])) == ["A", "B"]
    assert matching.list_bids(OTHER_COMMITTEE, [project["id"]]) == []


def test_amending_a_bid_keeps_one_bid_with_a_new_digest(matching):
    bidder = register(matching, 1)
    project = published_project(matching)
    first = matching.submit_bid(
        bidder, {"project_id": project["id"], "price": "900.00", "plan": "A", **DETAILS}
    )
    second = matching.submit_bid(
        bidder, {"project_id": project["id"], "price": "880.00", "plan": "A", **DETAILS}
    )
    assert first["id"] == second["id"] and first["digest"] != second["digest"]
    assert len(matching.list_bids(bidder)) == 1


def test_an_organisation_outside_the_category_or_area_cannot_see_or_bid(matching):
    outsider = register(matching, 3, categories=("legal_aid",))
    project = published_project(matching)
    assert nodes(matching.list_projects(outsider)) == []
    with pytest.raises(NotFound) as raised:
        matching.submit_bid(outsider, {"project_id": project["id"], "price": "1.00", "plan": "x", **DETAILS})
    assert raised.value.field == "project_id"


def test_the_award_is_recorded_with_its_event_in_the_same_transaction(matching, databases, session):
    bidder = register(matching, 1)
    project = published_project(matching, standstill_days=0)
    bid = matching.submit_bid(
        bidder, {"project_id": project["id"], "price": "999.99", "plan": "A", **DETAILS}
    )
    open_bids(databases, project["id"], matching)
    rank(matching, project["id"], {"A": (80, 80)})
    award = matching.award_project(COMMITTEE, {"project_id": project["id"], "bid_id": bid["id"]})
    assert award["value"] == "999.99"
    with session:
        rows = session.session.scalars(
            select(OutboxRecord).where(OutboxRecord.event_type == "project.awarded")
        )
        (row,) = list(rows)
    assert row.sent_at is None  # the relay publishes it; worker_factory runs none
    event = parse_event(__import__("json").loads(row.payload))
    assert event.data["organisation_id"] == bidder["party_id"] and str(event.data["value"]) == "999.99"
    with pytest.raises(Conflict):
        matching.award_project(COMMITTEE, {"project_id": project["id"], "bid_id": bid["id"]})


def test_a_purchase_resolution_drafts_one_project_however_often_it_arrives(databases, session):
    wire = new_event(
        "resolution.adopted",
        {
            "resolution_id": "r1",
            "meeting_id": "m1",
            "decision_type": "purchase_service",
            "title": "Home care",
            "text": "Weekly visits",
            "budget": "128000.00",
            "category": "elderly_care",
        },
        "c1",
    )
    event = parse_event(wire)
    consumer = "matching.draft_project_from_resolution"
    service = worker_factory(
        MatchingService,
        db=unit_of_work(databases["matching"], Base.metadata, handling=event, consumer=consumer),
        clock=SystemClock(),
    )
    service.draft_project_from_resolution(event)
    with pytest.raises(DuplicateEvent):
        service.draft_project_from_resolution(event)
    with session:
        projects = list(session.session.scalars(select(Project)))
        inbox = list(session.session.scalars(select(InboxRecord)))
    assert [(p.source_resolution_id, p.status, str(p.budget)) for p in projects] == [
        ("r1", "draft", "128000.00")
    ]
    assert [(i.event_id, i.consumer) for i in inbox] == [(event.id, consumer)]
    reader = worker_factory(
        MatchingService, db=unit_of_work(databases["matching"], Base.metadata), clock=SystemClock()
    )
    assert [p["id"] for p in nodes(reader.list_projects(COMMITTEE))] == [projects[0].id]


def test_a_bid_over_budget_writes_nothing(matching, session):
    bidder = register(matching, 1)
    project = published_project(matching, budget="100.00")
    with pytest.raises(InvalidInput) as raised:
        matching.submit_bid(bidder, {"project_id": project["id"], "price": "100.01", "plan": "A", **DETAILS})
    assert raised.value.errors[0]["code"] == "over_budget"
    with session:
        assert list(session.session.scalars(select(Bid))) == []


def test_a_filing_is_reviewed_by_its_office_and_a_suspended_organisation_cannot_bid(matching):
    pending = register(
        matching,
        4,
        approve=False,
        staff_count=12,
        qualifications=[{"name": "elderly_care_licence", "number": "L-1", "expires_on": "2099-12-31"}],
    )
    project = published_project(matching)
    assert nodes(matching.list_projects(pending)) == [], "a pending filing is not yet eligible"
    elsewhere = Principal("x", PartyType.STREET_OFFICE, "so9", district_id="d9").to_dict()
    with pytest.raises(NotFound):
        matching.review_filing(elsewhere, {"organisation_id": pending["party_id"], "decision": "approve"})
    with pytest.raises(InvalidInput) as raised:
        matching.review_filing(
            OFFICE, {"organisation_id": pending["party_id"], "decision": "request_changes"}
        )
    assert raised.value.errors[0]["field"] == "reason"
    asked = matching.review_filing(
        OFFICE,
        {
            "organisation_id": pending["party_id"],
            "decision": "request_changes",
            "reason": "add the licence scan",
        },
    )
    assert asked["status"] == "changes_requested" and asked["review_note"] == "add the licence scan"
    refiled = matching.update_filing(pending, {"staff_count": 14})
    assert refiled["status"] == "pending" and refiled["staff_count"] == 14
    matching.review_filing(OFFICE, {"organisation_id": pending["party_id"], "decision": "approve"})
    assert [p["id"] for p in nodes(matching.list_projects(pending))] == [project["id"]]

    matching.set_suspension(
        OFFICE, {"organisation_id": pending["party_id"], "suspend": True, "reason": "complaint"}
    )
    assert nodes(matching.list_projects(pending)) == []
    with pytest.raises(NotFound):
        matching.submit_bid(pending, {"project_id": project["id"], "price": "10.00", "plan": "x", **DETAILS})
    assert [o["status"] for o in nodes(matching.list_filings(OFFICE)) if o["id"] == pending["party_id"]] == [
        "suspended"
    ]


def test_an_expired_qualification_makes_an_organisation_ineligible_where_it_is_required(matching):
    expired = register(
        matching,
        5,
        qualifications=[{"name": "elderly_care_licence", "number": "L-2", "expires_on": "2020-01-01"}],
    )
    valid = register(
        matching,
        6,
        qualifications=[{"name": "elderly_care_licence", "number": "L-3", "expires_on": "2099-01-01"}],
    )
    project = matching.create_project(
        COMMITTEE,
        {
            "title": "Home nursing",
            "category": "elderly_care",
            "budget": "1000.00",
            "required_qualifications": ["elderly_care_licence"],
        },
    )
    deadline = (datetime.now(timezone.utc) + timedelta(hours=1)).isoformat()
    matching.publish_project(COMMITTEE, {"project_id": project["id"], "bid_deadline": deadline})
    assert nodes(matching.list_projects(expired)) == []
    assert [p["id"] for p in nodes(matching.list_projects(valid))] == [project["id"]]
    with pytest.raises(InvalidInput) as raised:
        matching.register_organisation(
            {
                "credit_code": credit_code("52310000000000007"),
                "name": "X",
                "legal_form": "social_group",
                "categories": ["a"],
                "community_ids": ["c1"],
                "district_id": "d1",
                "qualifications": [{"name": "licence", "expires_on": "someday"}],
            }
        )
    assert raised.value.errors[0]["field"] == "qualifications.0.expires_on"


def test_the_two_sides_claim_each_others_entries_and_the_owner_confirms_the_match(matching):
    hospital = Principal("h", PartyType.JOINT_BUILDING_UNIT, "hospital", "d1", "c1").to_dict()
    school = Principal("s", PartyType.JOINT_BUILDING_UNIT, "school", "d1", "c1").to_dict()
    with pytest.raises(PermissionDenied):
        matching.list_entry(hospital, {"kind": "demand", "title": "x", "category": "health"})
    demand = matching.list_entry(
        COMMITTEE,
        {
            "kind": "demand",
            "title": "Blood pressure checks for the elderly",
            "category": "community_health",
            "origin": "meeting",
        },
    )
    resource = matching.list_entry(
        hospital,
        {"kind": "resource", "title": "Family doctors, Tuesday mornings", "category": "community_health"},
    )
    assert {e["kind"] for e in nodes(matching.list_entries(school))} == {"demand"}, (
        "a unit sees demands, not others' offers"
    )
    assert nodes(matching.list_entries(OTHER_COMMITTEE)) == []

    with pytest.raises(PermissionDenied):
        matching.claim_entry(COMMITTEE, {"entry_id": demand["id"]})  # its own side
    first = matching.claim_entry(hospital, {"entry_id": demand["id"], "note": "our doctors can do it"})
    second = matching.claim_entry(school, {"entry_id": demand["id"], "note": "our nurse"})
    with pytest.raises(PermissionDenied):
        matching.decide_claim(hospital, {"claim_id": first["id"], "confirm": True})
    matched = matching.decide_claim(COMMITTEE, {"claim_id": first["id"], "confirm": True})
    assert matched["status"] == "confirmed"
    assert {c["id"]: c["status"] for c in matching.list_claims(COMMITTEE, [demand["id"]])} == {
        first["id"]: "confirmed",
        second["id"]: "declined",
    }
    assert [c["id"] for c in matching.list_claims(school, [demand["id"]])] == [second["id"]]
    with pytest.raises(Conflict):
        matching.claim_entry(school, {"entry_id": demand["id"]})

    matching.record_delivery(hospital, {"claim_id": first["id"], "note": "first session: 31 residents"})
    with pytest.raises(PermissionDenied):
        matching.record_delivery(hospital, {"claim_id": first["id"], "note": "done", "completed": True})
    delivered = matching.record_delivery(
        COMMITTEE, {"claim_id": first["id"], "note": "series done", "completed": True}
    )
    assert [d["note"] for d in delivered["deliveries"]] == ["first session: 31 residents", "series done"]
    assert [e["status"] for e in nodes(matching.list_entries(COMMITTEE)) if e["id"] == demand["id"]] == [
        "delivered"
    ]

    offer = matching.claim_entry(COMMITTEE, {"entry_id": resource["id"], "note": "for building 3"})
    assert (
        matching.decide_claim(hospital, {"claim_id": offer["id"], "confirm": True})["status"] == "confirmed"
    )


def test_bids_are_withdrawn_and_reconfirmed_before_the_deadline_and_digests_published_at_opening(
    matching, databases
):
    first, second, third = register(matching, 1), register(matching, 2), register(matching, 3)
    project = published_project(matching, budget="1000.00", deadline=timedelta(days=2))
    kept = matching.submit_bid(
        first, {"project_id": project["id"], "price": "900.00", "plan": "A", **DETAILS}
    )
    matching.submit_bid(second, {"project_id": project["id"], "price": "950.00", "plan": "B", **DETAILS})
    matching.submit_bid(third, {"project_id": project["id"], "price": "990.00", "plan": "C", **DETAILS})
    assert matching.withdraw_bid(third, {"project_id": project["id"]})["status"] == "withdrawn"
    with pytest.raises(NotFound):
        matching.withdraw_bid(third, {"project_id": project["id"]})

    changed = matching.change_terms(COMMITTEE, {"project_id": project["id"], "budget": "1200.00"})
    assert changed["budget"] == "1200.00"
    assert {b["status"] for b in matching.list_bids(first)} == {"to_reconfirm"}
    reconfirmed = matching.submit_bid(
        first, {"project_id": project["id"], "price": "900.00", "plan": "A", **DETAILS}
    )
    assert reconfirmed["status"] == "submitted" and reconfirmed["digest"] == kept["digest"]
    assert matching.bid_digests(first, [project["id"]]) == [], "sealed until the deadline"

    open_bids(databases, project["id"], matching)
    with pytest.raises(Conflict):
        matching.withdraw_bid(first, {"project_id": project["id"]})
    with pytest.raises(Conflict):
        matching.change_terms(COMMITTEE, {"project_id": project["id"], "budget": "1.00"})
    assert matching.bid_digests(second, [project["id"]]) == [
        {"project_id": project["id"], "digest": kept["digest"]}
    ]
    # A bid left unconfirmed is not opened: the committee never reads it, scores it or awards it.
    assert [b["plan"] for b in matching.list_bids(COMMITTEE, [project["id"]])] == ["A"]
    (stale,) = matching.list_bids(second, [project["id"]])
    with pytest.raises(NotFound) as raised:
        matching.score_bid(
            COMMITTEE,
            {"project_id": project["id"], "bid_id": stale["id"], "plan_quality": 1, "experience": 1},
        )
    assert [r["id"] for r in rank(matching, project["id"], {"A": (70, 70)})] == [kept["id"]]
    with pytest.raises(NotFound) as raised:
        matching.award_project(COMMITTEE, {"project_id": project["id"], "bid_id": stale["id"]})
    assert raised.value.field == "bid_id"
    assert (
        matching.award_project(COMMITTEE, {"project_id": project["id"], "bid_id": kept["id"]})["value"]
        == "900.00"
    )


def test_project_terms_are_checked_and_the_committee_sees_eligible_organisations_best_fit_first(
    matching, session
):
    import json as json_

    generalist = register(matching, 1, categories=("elderly_care", "legal_aid"), staff_count=40)
    specialist = register(matching, 2, categories=("elderly_care",), staff_count=40)
    register(matching, 3, categories=("legal_aid",))
    with pytest.raises(InvalidInput) as raised:
        matching.create_project(
            COMMITTEE,
            {
                "title": "Care",
                "category": "elderly_care",
                "budget": "100.00",
                "weights": {"price": 60, "plan_quality": 30},
            },
        )
    assert raised.value.errors[0]["field"] == "weights"
    demand = matching.list_entry(
        COMMITTEE,
        {
            "kind": "demand",
            "title": "Visits",
            "category": "elderly_care",
            "description": "Weekly visits to residents living alone",
        },
    )
    project = matching.create_project(
        COMMITTEE,
        {
            "title": "Home visits",
            "category": "elderly_care",
            "budget": "100.00",
            "demand_id": demand["id"],
            "period_start": "2027-01-01",
            "period_end": "2027-12-31",
            "standstill_days": 7,
            "min_valid_bids": 2,
        },
    )
    assert project["source_demand_id"] == demand["id"] and project["description"].startswith("Weekly visits")
    assert project["weights"] == {"price": 40, "plan_quality": 30, "experience": 20, "reputation": 10}
    ranked = matching.eligible_organisations(COMMITTEE, [project["id"]])
    assert [r["organisation_id"] for r in ranked] == [specialist["party_id"], generalist["party_id"]]
    with pytest.raises(PermissionDenied):
        matching.eligible_organisations(specialist, [project["id"]])

    deadline = (datetime.now(timezone.utc) + timedelta(hours=1)).isoformat()
    matching.publish_project(COMMITTEE, {"project_id": project["id"], "bid_deadline": deadline})
    with session:
        published = [
            json_.loads(r.payload)
            for r in session.session.scalars(select(OutboxRecord))
            if r.event_type == "project.published"
        ]
    assert published[0]["data"]["eligible_organisation_ids"] == [
        specialist["party_id"],
        generalist["party_id"],
    ]


def outbox_events(session) -> list:
    with session:
        rows = session.session.scalars(select(OutboxRecord).order_by(OutboxRecord.id))
        return [parse_event(json.loads(r.payload)) for r in rows]


def outbox_types(session) -> list[str]:
    return [e.type for e in outbox_events(session)]


def test_the_timer_opens_bids_at_the_deadline_or_ends_the_tender_unsuccessful(matching, databases, session):
    first, second = register(matching, 1), register(matching, 2)
    enough = published_project(matching)
    short = published_project(matching, min_valid_bids=2)
    for project in (enough, short):
        matching.submit_bid(first, {"project_id": project["id"], "price": "900.00", "plan": "A", **DETAILS})
    matching.submit_bid(second, {"project_id": enough["id"], "price": "950.00", "plan": "B", **DETAILS})
    assert matching.open_due_tenders() is None  # nothing is due yet
    assert {p["status"] for p in nodes(matching.list_projects(COMMITTEE))} == {"published"}

    open_bids(databases, enough["id"])
    open_bids(databases, short["id"], matching)
    statuses = {p["id"]: p for p in matching.get_projects(COMMITTEE, [enough["id"], short["id"]])}
    assert statuses[enough["id"]]["status"] == "evaluating"
    assert statuses[short["id"]]["status"] == "unsuccessful"
    assert statuses[short["id"]]["ended_reason"] == "1 valid bid(s), fewer than the 2 required"
    assert [n["kind"] for n in nodes(matching.list_notices(first))][:1] == ["unsuccessful"]
    with session:
        opened = [
            parse_event(__import__("json").loads(r.payload))
            for r in session.session.scalars(
                select(OutboxRecord).where(OutboxRecord.event_type == "project.opened")
            )
        ]
    assert sorted(e.data["valid_bids"] for e in opened) == [1, 2]
    with unit_of_work(databases["matching"], Base.metadata) as uow:
        assert opening.open_due_tenders(uow, SystemClock()) == 0, "opening twice does nothing"


def test_conflicted_evaluators_cannot_score_and_the_ranking_follows_the_published_formula(
    matching, databases
):
    cheap, dear = register(matching, 1), register(matching, 2)
    project = published_project(matching)
    a = matching.submit_bid(cheap, {"project_id": project["id"], "price": "800.00", "plan": "A", **DETAILS})
    b = matching.submit_bid(dear, {"project_id": project["id"], "price": "1000.00", "plan": "B", **DETAILS})
    with pytest.raises(Conflict) as raised:
        matching.score_bid(
            COMMITTEE, {"project_id": project["id"], "bid_id": a["id"], "plan_quality": 1, "experience": 1}
        )
    assert raised.value.code == "not_evaluating"
    open_bids(databases, project["id"], matching)

    # The dear bidder's past contracts were assessed 100 and 90: reputation 95.
    with unit_of_work(databases["matching"], Base.metadata) as uow:
        for n, score in enumerate(("100.0", "90.0")):
            event = parse_event(
                new_event(
                    "organisation.assessed",
                    {
                        "organisation_id": dear["party_id"],
                        "contract_id": f"contract-{n}",
                        "score": score,
                        "grade": "excellent",
                        "assessed_at": datetime.now(timezone.utc),
                    },
                    community_id="c1",
                )
            )
            awards.record_assessment(uow, SystemClock(), event)

    def score(who, bid, quality, experience):
        return matching.score_bid(
            who,
            {
                "project_id": project["id"],
                "bid_id": bid["id"],
                "plan_quality": quality,
                "experience": experience,
            },
        )

    score(COMMITTEE, a, 80, 60)
    score(COMMITTEE, b, 90, 90)
    score(EVALUATOR, a, 10, 10)
    matching.declare_conflict(
        EVALUATOR, {"project_id": project["id"], "bid_id": a["id"], "note": "my cousin"}
    )
    with pytest.raises(Conflict) as raised:
        score(EVALUATOR, a, 10, 10)
    assert (raised.value.field, raised.value.code) == ("bid_id", "conflict_of_interest")
    score(EVALUATOR, b, 70, 70)
    with pytest.raises(InvalidInput) as raised:
        score(EVALUATOR, b, 101, 70)
    assert raised.value.errors[0]["field"] == "plan_quality"

    with pytest.raises(Conflict) as raised:
        matching.award_project(COMMITTEE, {"project_id": project["id"], "bid_id": a["id"]})
    assert raised.value.code == "not_ranked"
    matching.rank_bids(COMMITTEE, {"project_id": project["id"]})
    results = matching.results(COMMITTEE, [project["id"]])
    # 40/30/20/10: A = 100·.4 + 80·.3 + 60·.2 + 60·.1 (no history: 60); B = 80·.4 + 80·.3 + 80·.2 + 95·.1
    assert [(r["id"], r["rank"], r["total"]) for r in results] == [
        (a["id"], 1, "82.00"),
        (b["id"], 2, "81.50"),
    ]
    assert results[1]["scores"] == {
        "price": "80.00",
        "plan_quality": "80.00",
        "experience": "80.00",
        "reputation": "95.00",
    }
    assert "plan" not in results[0]
    evaluations = matching.list_evaluations(COMMITTEE, [a["id"]])
    assert [(e["conflict"], e["plan_quality"]) for e in evaluations] == [(None, 80), ("my cousin", None)]
    assert matching.results(cheap, [project["id"]]) == [], "bidders see the results after the award"

    with pytest.raises(InvalidInput) as raised:
        matching.award_project(COMMITTEE, {"project_id": project["id"], "bid_id": b["id"]})
    assert raised.value.errors[0]["field"] == "reason"
    award = matching.award_project(
        COMMITTEE, {"project_id": project["id"], "bid_id": b["id"], "reason": "the cheap plan lacks a nurse"}
    )
    assert (award["status"], award["reason"]) == ("pending", "the cheap plan lacks a nurse")
    assert [r["rank"] for r in matching.results(cheap, [project["id"]])] == [1, 2]


def test_an_award_waits_through_the_standstill_and_the_office_hears_complaints(matching, databases, session):
    winner, loser, late = register(matching, 1), register(matching, 2), register(matching, 3)
    project = published_project(matching, standstill_days=5)
    for org, price, plan in ((winner, "800.00", "A"), (loser, "900.00", "B"), (late, "990.00", "C")):
        matching.submit_bid(org, {"project_id": project["id"], "price": price, "plan": plan, **DETAILS})
    matching.withdraw_bid(late, {"project_id": project["id"]})
    open_bids(databases, project["id"], matching)
    results = rank(matching, project["id"], {"A": (80, 80), "B": (80, 80)})
    award = matching.award_project(COMMITTEE, {"project_id": project["id"], "bid_id": results[0]["id"]})
    assert award["status"] == "pending"
    assert "project.awarded" not in outbox_types(session)

    with pytest.raises(PermissionDenied):
        matching.file_complaint(winner, {"project_id": project["id"], "grounds": "x"})
    with pytest.raises(PermissionDenied):  # a withdrawn bid is no standing to complain
        matching.file_complaint(late, {"project_id": project["id"], "grounds": "x"})
    complaint = matching.file_complaint(
        loser, {"project_id": project["id"], "grounds": "the scores are wrong"}
    )
    assert [c["id"] for c in nodes(matching.list_complaints(OFFICE))] == [complaint["id"]]
    assert nodes(matching.list_complaints(OTHER_OFFICE)) == []
    with pytest.raises(NotFound):
        matching.resolve_complaint(
            OTHER_OFFICE, {"complaint_id": complaint["id"], "uphold": True, "resolution": "x"}
        )
    upheld = matching.resolve_complaint(
        OFFICE, {"complaint_id": complaint["id"], "uphold": True, "resolution": "plan B was misread"}
    )
    assert upheld["status"] == "upheld"
    assert matching.get_projects(COMMITTEE, [project["id"]])[0]["status"] == "evaluating"
    assert matching.list_awards(COMMITTEE, [project["id"]])[0]["status"] == "annulled"
    assert matching.results(loser, [project["id"]]) == [], "an annulled award shows no results"

    results = rank(matching, project["id"], {"B": (100, 100)})
    again = matching.award_project(COMMITTEE, {"project_id": project["id"], "bid_id": results[0]["id"]})
    assert (again["organisation_id"], again["status"]) == (loser["party_id"], "pending")
    second = matching.file_complaint(winner, {"project_id": project["id"], "grounds": "unfair"})
    matching.resolve_complaint(OFFICE, {"complaint_id": second["id"], "uphold": False, "resolution": "fair"})
    assert matching.list_awards(loser, [project["id"]])[0]["status"] == "pending", "until the standstill ends"
    assert awards.finalise_awards(session, SystemClock()) == 0

    after = datetime.now(timezone.utc) + timedelta(days=5, seconds=1)
    assert awards.finalise_awards(session, FixedClock(after)) == 1
    assert awards.finalise_awards(session, FixedClock(after)) == 0
    assert outbox_types(session).count("project.awarded") == 1
    assert matching.get_projects(COMMITTEE, [project["id"]])[0]["status"] == "awarded"
    assert {n["kind"] for n in nodes(matching.list_notices(winner))} >= {
        "award_proposed",
        "award_annulled",
        "award_final",
    }


def test_a_complaint_after_the_standstill_is_refused(matching, databases):
    winner, loser = register(matching, 1), register(matching, 2)
    project = published_project(matching, standstill_days=0)
    for org, price, plan in ((winner, "800.00", "A"), (loser, "900.00", "B")):
        matching.submit_bid(org, {"project_id": project["id"], "price": price, "plan": plan, **DETAILS})
    open_bids(databases, project["id"], matching)
    results = rank(matching, project["id"], {"A": (80, 80), "B": (80, 80)})
    assert (
        matching.award_project(COMMITTEE, {"project_id": project["id"], "bid_id": results[0]["id"]})["status"]
        == "final"
    ), "no standstill: final at once"
    with pytest.raises(Conflict) as raised:
        matching.file_complaint(loser, {"project_id": project["id"], "grounds": "late"})
    assert raised.value.code == "not_in_standstill"


def test_a_project_is_cancelled_with_a_reason_before_the_award_only(matching, databases, session):
    bidder = register(matching, 1)
    project = published_project(matching)
    matching.submit_bid(bidder, {"project_id": project["id"], "price": "900.00", "plan": "A", **DETAILS})
    with pytest.raises(InvalidInput) as raised:
        matching.cancel_project(COMMITTEE, {"project_id": project["id"], "reason": ""})
    assert raised.value.errors[0]["field"] == "reason"
    cancelled = matching.cancel_project(
        COMMITTEE, {"project_id": project["id"], "reason": "the budget was cut"}
    )
    assert (cancelled["status"], cancelled["ended_reason"]) == ("cancelled", "the budget was cut")
    assert "project.cancelled" in outbox_types(session)
    assert nodes(matching.list_notices(bidder))[0]["kind"] == "cancelled"
    with pytest.raises(Conflict) as raised:
        matching.submit_bid(bidder, {"project_id": project["id"], "price": "800.00", "plan": "A", **DETAILS})
    with pytest.raises(Conflict) as raised:
        matching.cancel_project(COMMITTEE, {"project_id": project["id"], "reason": "again"})
    assert raised.value.code == "not_cancellable"


def test_before_the_deadline_no_party_can_learn_anything_about_the_bids(matching, databases, session):
    """Sealing tried from every side: reads, counts, errors, notices, events and open data."""
    bidder, rival = register(matching, 1), register(matching, 2)
    with_bids = published_project(matching)
    without = published_project(matching)
    bid = matching.submit_bid(
        bidder, {"project_id": with_bids["id"], "price": "900.00", "plan": "A", **DETAILS}
    )

    def seen_by(who, project):
        view = (
            dict(matching.get_projects(who, [project["id"]])[0])
            if matching.get_projects(who, [project["id"]])
            else {}
        )
        for varying in ("id", "ocid", "created_at", "published_at", "bid_deadline"):
            view.pop(varying, None)
        return (
            view,
            matching.bid_digests(who, [project["id"]]),
            matching.results(who, [project["id"]]),
            matching.list_awards(who, [project["id"]]),
        )

    for who in (COMMITTEE, EVALUATOR, OFFICE, OTHER_OFFICE, OTHER_COMMITTEE, rival):
        assert seen_by(who, with_bids) == seen_by(who, without), who["party_type"]
        assert [b for b in matching.list_bids(who) if b["organisation_id"] != who["party_id"]] == []
        assert matching.list_bids(who, [with_bids["id"]]) == [] or who is bidder
        for action, data in (
            ("score_bid", {"bid_id": bid["id"], "plan_quality": 1, "experience": 1}),
            ("declare_conflict", {"bid_id": bid["id"], "note": "x"}),
            ("rank_bids", {}),
            ("award_project", {"bid_id": bid["id"]}),
        ):
            errors = []
            for project in (with_bids, without):
                try:
                    getattr(matching, action)(who, {"project_id": project["id"], **data})
                except (Conflict, NotFound, PermissionDenied, InvalidInput) as exc:
                    errors.append((type(exc).__name__, exc.code, str(exc)))
            assert errors[0] == errors[1], (action, who["party_type"])
    assert [n["kind"] for n in nodes(matching.list_notices(rival))] == ["published", "published"]
    assert set(outbox_types(session)) <= {"organisation.registered", "project.drafted", "project.published"}
    releases = matching.ocds_releases()
    text = __import__("json").dumps(releases)
    assert "numberOfTenderers" not in text and "tenderers" not in text and bid["digest"] not in text


def test_every_change_is_published_as_an_immutable_ocds_release_that_validates(matching, databases):
    winner, loser = register(matching, 1), register(matching, 2)
    project = published_project(
        matching,
        deadline=timedelta(days=2),
        standstill_days=0,
        period_start="2027-01-01",
        period_end="2027-12-31",
    )
    matching.change_terms(COMMITTEE, {"project_id": project["id"], "description": "weekly visits"})
    for org, price, plan in ((winner, "800.50", "A"), (loser, "900.00", "B")):
        matching.submit_bid(org, {"project_id": project["id"], "price": price, "plan": plan, **DETAILS})
    open_bids(databases, project["id"], matching)
    results = rank(matching, project["id"], {"A": (80, 80), "B": (80, 80)})
    matching.award_project(COMMITTEE, {"project_id": project["id"], "bid_id": results[0]["id"]})
    cancelled = published_project(matching)
    matching.cancel_project(COMMITTEE, {"project_id": cancelled["id"], "reason": "merged into another"})

    releases = matching.ocds_releases(project["ocid"])
    assert [r["tag"] for r in releases] == [
        ["planning", "tender"],
        ["tenderUpdate"],
        ["tenderUpdate"],
        ["award"],
        ["awardUpdate"],
    ]
    assert len({r["id"] for r in releases}) == len(releases)
    assert "numberOfTenderers" not in releases[1]["tender"], "terms changed before opening: still sealed"
    assert releases[2]["tender"]["numberOfTenderers"] == 2
    assert [a["status"] for a in releases[-1]["awards"]] == ["active"]
    assert releases[-1]["awards"][0]["value"] == {"amount": 800.5, "currency": "CNY"}
    assert matching.ocds_releases(project["ocid"])[:2] == releases[:2], "releases are never rewritten"

    everything = matching.ocds_releases()
    at = datetime.now(timezone.utc)
    release_package = ocds.release_package(
        everything, uri="http://x/ocds/releases", published_date=at, publisher_name="t"
    )
    record_package = ocds.record_package(
        everything, uri="http://x/ocds/records", published_date=at, publisher_name="t"
    )
    compiled = next(r for r in record_package["records"] if r["ocid"] == project["ocid"])["compiledRelease"]
    assert compiled["tender"]["status"] == "complete" and compiled["tender"]["description"] == "weekly visits"
    assert {p["name"]: p["roles"] for p in compiled["parties"] if "name" in p} == {
        "Org 1": ["tenderer", "supplier"],
        "Org 2": ["tenderer"],
    }
    cancelled_record = next(r for r in record_package["records"] if r["ocid"] == cancelled["ocid"])
    assert cancelled_record["compiledRelease"]["tender"]["status"] == "cancelled"
    ocds_schema.require_schema()
    ocds_schema.validate_release_package(release_package)
    ocds_schema.validate_record_package(record_package)


def test_a_project_the_sub_district_office_buys_names_it_as_buyer(matching, databases, session):
    bidder = register(matching, 1)
    project = published_project(matching, standstill_days=0, purchaser="street_office")
    matching.submit_bid(bidder, {"project_id": project["id"], "price": "900.00", "plan": "A", **DETAILS})
    open_bids(databases, project["id"], matching)
    results = rank(matching, project["id"], {"A": (80, 80)})
    matching.award_project(COMMITTEE, {"project_id": project["id"], "bid_id": results[0]["id"]})
    (awarded,) = [e for e in outbox_events(session) if e.type == "project.awarded"]
    assert awarded.data["purchaser_type"] == "street_office"
    release = matching.ocds_releases(project["ocid"])[-1]
    assert release["buyer"] == {"id": "district-d1"}
    assert {p["id"]: p["roles"] for p in release["parties"] if "name" not in p} == {
        "district-d1": ["buyer"],
        "community-c1": ["procuringEntity"],
    }
    at = datetime.now(timezone.utc)
    ocds_schema.require_schema()
    ocds_schema.validate_release_package(
        ocds.release_package(
            matching.ocds_releases(project["ocid"]), uri="http://x", published_date=at, publisher_name="t"
        )
    )


def notices_of(matching, who, project_id: str) -> list[str]:
    return [n["message"] for n in nodes(matching.list_notices(who)) if n["project_id"] == project_id]


def test_a_published_projects_deadline_only_moves_later_and_a_change_leaves_the_bidders_a_day(
    matching, session
):
    bidder = register(matching, 1)
    project = published_project(matching, deadline=timedelta(hours=1))
    matching.submit_bid(bidder, {"project_id": project["id"], "price": "900.00", "plan": "A", **DETAILS})
    releases = len(matching.ocds_releases(project["ocid"]))

    def change(**terms):
        return matching.change_terms(COMMITTEE, {"project_id": project["id"], **terms})

    # Pulled forward to two seconds from now (the bids would be read seconds later): refused, and
    # nothing is written, alone or with another change.
    soon = (datetime.now(timezone.utc) + timedelta(seconds=2)).isoformat()
    for extra in ({}, {"budget": "1200.00"}):
        with pytest.raises(InvalidInput) as raised:
            change(bid_deadline=soon, **extra)
        assert [(e["field"], e["code"]) for e in raised.value.errors] == [("bid_deadline", "earlier")]
    (seen,) = matching.get_projects(COMMITTEE, [project["id"]])
    assert (seen["bid_deadline"], seen["budget"]) == (project["bid_deadline"], "1000.00")
    assert [b["status"] for b in matching.list_bids(bidder)] == ["submitted"]
    assert len(matching.ocds_releases(project["ocid"])) == releases

    # A change of what the bids answer an hour before the deadline leaves no time to answer it.
    with pytest.raises(InvalidInput) as raised:
        change(budget="1200.00")
    assert [(e["field"], e["code"]) for e in raised.value.errors] == [("bid_deadline", "too_soon")]
    with pytest.raises(InvalidInput) as raised:
        change(standstill_days=2)
    assert ("standstill_days", "shorter") in [(e["field"], e["code"]) for e in raised.value.errors]
    # Asking for the terms already there changes nothing and calls no bid again.
    assert change(budget="1000.00", standstill_days=5)["budget"] == "1000.00"
    assert [b["status"] for b in matching.list_bids(bidder)] == ["submitted"]
    assert len(matching.ocds_releases(project["ocid"])) == releases

    # A later deadline alone keeps the bids made, and says so.
    later = datetime.fromisoformat(project["bid_deadline"]) + timedelta(hours=2)
    assert change(bid_deadline=later.isoformat())["bid_deadline"] == later.isoformat()
    assert [b["status"] for b in matching.list_bids(bidder)] == ["submitted"]
    told = notices_of(matching, bidder, project["id"])[0]
    # In the community's time with its offset, as the README promises, never a bare UTC.
    local = later.astimezone(ZoneInfo("Asia/Shanghai"))
    assert f"bids now close {local:%Y-%m-%d %H:%M} +08:00" in told and "UTC" not in told

    # With the deadline a day and more away, the change is made and every bid is called again.
    in_two_days = (datetime.now(timezone.utc) + timedelta(days=2)).isoformat()
    changed = change(budget="1200.00", standstill_days=7, bid_deadline=in_two_days)
    assert (changed["budget"], changed["standstill_days"]) == ("1200.00", 7)
    assert [b["status"] for b in matching.list_bids(bidder)] == ["to_reconfirm"]
    assert "submitted again to count" in notices_of(matching, bidder, project["id"])[0]
    assert len(matching.ocds_releases(project["ocid"])) == releases + 2


def test_a_filing_names_communities_of_its_offices_district_only_at_registration_and_update(matching):
    def filing(n, **fields):
        return {
            "credit_code": credit_code(f"5231000000000000{n}"),
            "name": f"Org {n}",
            "legal_form": "social_group",
            "categories": ["elderly_care"],
            "district_id": "d1",
            **fields,
        }

    answers = []
    for community in ("c9", "no-such-community"):  # another district's, and one that does not exist
        with pytest.raises(InvalidInput) as raised:
            matching.register_organisation(filing(1, community_ids=["c1", community]))
        answers.append(raised.value.errors)
    assert answers[0] == answers[1], "a community of another district answers like an unknown id"
    assert [(e["field"], e["code"]) for e in answers[0]] == [("community_ids.1", "not_found")]
    with pytest.raises(InvalidInput) as raised:
        matching.register_organisation({**filing(1, community_ids=["c1"]), "district_id": None})
    assert raised.value.errors[0]["field"] == "district_id"
    assert nodes(matching.list_filings(OFFICE)) == [], "nothing was registered"

    organisation = register(matching, 1, communities=("c2", "c1"))
    assert nodes(matching.list_filings(organisation))[0]["community_ids"] == ["c1", "c2"]
    answers = []
    for community in ("c9", "no-such-community"):
        with pytest.raises(InvalidInput) as raised:
            matching.update_filing(organisation, {"community_ids": [community], "staff_count": 3})
        answers.append(raised.value.errors)
    assert answers[0] == answers[1] and [(e["field"], e["code"]) for e in answers[0]] == [
        ("community_ids.0", "not_found")
    ]
    (kept,) = nodes(matching.list_filings(organisation))
    assert (kept["community_ids"], kept["status"], kept["staff_count"]) == (["c1", "c2"], "approved", 0)
    assert matching.update_filing(organisation, {"community_ids": ["c2"]})["community_ids"] == ["c2"]


def test_an_approved_filing_naming_another_districts_community_sees_nothing_there(matching, session):
    """A filing from before the rule (written here directly) that names c9 of district d9: its own
    office approved it, but d9's projects are not for it, for d9's office could not suspend it."""
    from services.matching.models import Organisation

    organisation = register(matching, 1)
    with session:
        session.session.execute(
            update(Organisation)
            .where(Organisation.id == organisation["party_id"])
            .values(community_ids=["c1", "c9"])
        )
        session.commit()
    elsewhere = Principal("acc-rc9", PartyType.RESIDENTS_COMMITTEE, "rc9", "d9", "c9").to_dict()
    there = matching.create_project(
        elsewhere, {"title": "Care", "category": "elderly_care", "budget": "10.00"}
    )
    deadline = (datetime.now(timezone.utc) + timedelta(hours=1)).isoformat()
    matching.publish_project(elsewhere, {"project_id": there["id"], "bid_deadline": deadline})
    assert matching.eligible_organisations(elsewhere, [there["id"]]) == []
    assert nodes(matching.list_projects(organisation)) == []
    with pytest.raises(NotFound):
        matching.submit_bid(
            organisation, {"project_id": there["id"], "price": "9.00", "plan": "x", **DETAILS}
        )
    here = published_project(matching)
    assert [p["id"] for p in nodes(matching.list_projects(organisation))] == [here["id"]]


def test_an_organisation_no_longer_eligible_cannot_amend_or_renew_its_bid_but_may_withdraw(matching):
    bidder = register(matching, 1)
    project = published_project(matching)
    matching.submit_bid(bidder, {"project_id": project["id"], "price": "900.00", "plan": "A", **DETAILS})
    matching.set_suspension(
        OFFICE, {"organisation_id": bidder["party_id"], "suspend": True, "reason": "fraud"}
    )
    with pytest.raises(Conflict) as raised:
        matching.submit_bid(bidder, {"project_id": project["id"], "price": "800.00", "plan": "B", **DETAILS})
    assert (raised.value.field, raised.value.code) == ("project_id", "not_eligible")
    assert matching.withdraw_bid(bidder, {"project_id": project["id"]})["status"] == "withdrawn"
    with pytest.raises(Conflict):
        matching.submit_bid(bidder, {"project_id": project["id"], "price": "800.00", "plan": "B", **DETAILS})


def test_the_timers_follow_the_services_clock_past_the_deadline_and_the_standstill(databases):
    """Time moves on the service's clock: the bids open once it passes the deadline, and the award
    is final once it passes the standstill, with nothing waiting for either."""
    clock = MovableClock()
    matching = worker_factory(
        MatchingService,
        db=unit_of_work(databases["matching"], Base.metadata),
        directory=Directory(),
        clock=clock,
    )
    bidder = register(matching, 1)
    project = published_project(matching, deadline=timedelta(days=2), standstill_days=5)
    bid = matching.submit_bid(
        bidder, {"project_id": project["id"], "price": "900.00", "plan": "A", **DETAILS}
    )
    matching.open_due_tenders()
    assert matching.get_projects(COMMITTEE, [project["id"]])[0]["status"] == "published"
    clock.advance(timedelta(days=2, seconds=1))
    with pytest.raises(Conflict) as raised:
        matching.submit_bid(bidder, {"project_id": project["id"], "price": "800.00", "plan": "B", **DETAILS})
    assert raised.value.code == "deadline_passed"
    matching.open_due_tenders()
    opened = matching.get_projects(COMMITTEE, [project["id"]])[0]
    assert opened["status"] == "evaluating"
    assert datetime.fromisoformat(opened["opened_at"]) >= datetime.fromisoformat(project["bid_deadline"])
    rank(matching, project["id"], {"A": (80, 80)})
    matching.award_project(COMMITTEE, {"project_id": project["id"], "bid_id": bid["id"]})
    matching.finalise_awards()
    assert matching.list_awards(COMMITTEE, [project["id"]])[0]["status"] == "pending"
    clock.advance(timedelta(days=5, seconds=1))
    matching.finalise_awards()
    assert matching.list_awards(COMMITTEE, [project["id"]])[0]["status"] == "final"
