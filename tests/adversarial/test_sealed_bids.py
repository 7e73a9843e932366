"""Sealed bids tried from every side: a deadline pulled forward, withdrawn and unconfirmed bids after
the opening, a tender cancelled before it, side channels before the opening (views, counts, errors,
notices, events, open data), filings that reach into another district, and what each party's schema
admits to having. Services on the real PostgreSQL; the last test through the running gateway. Time is
moved past deadlines (``tests.e2e.moving_time``), never slept through."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from graphql import graphql_sync
from graphql_relay import to_global_id
from nameko.testing.services import worker_factory

from deploy.seed import seed_directory
from gateway.schema.parties import ANONYMOUS_SCHEMA, SCHEMAS
from services.matching.models import Base
from services.matching.service import MatchingService
from shared.errors import DomainError, InvalidInput
from shared.identity import PartyType
from tests.conftest import unit_of_work
from tests.e2e.moving_time import move_past, moving_clock  # noqa: F401 (the clock fixture)
from tests.helpers import nodes, wait_for
from tests.services.test_matching_service import (
    COMMITTEE,
    DETAILS,
    EVALUATOR,
    OFFICE,
    OTHER_COMMITTEE,
    OTHER_OFFICE,
    Directory,
    open_bids,
    outbox_events,
    published_project,
    register,
)

RC, SO, ORG, OC = (
    PartyType.RESIDENTS_COMMITTEE,
    PartyType.STREET_OFFICE,
    PartyType.SOCIAL_ORGANISATION,
    PartyType.OWNERS_COMMITTEE,
)


@pytest.fixture
def matching(databases, clock):
    return worker_factory(
        MatchingService,
        db=unit_of_work(databases["matching"], Base.metadata),
        directory=Directory(),
        clock=clock,
    )


@pytest.fixture
def session(databases):
    return unit_of_work(databases["matching"], Base.metadata)


def answer(action):
    """What a call answers, whole: its result, or its refusal's kind, code, field and words."""
    try:
        return action()
    except InvalidInput as exc:
        return ("InvalidInput", exc.errors)
    except DomainError as exc:
        return (type(exc).__name__, exc.code, exc.field, exc.message)


def refusal(action) -> tuple:
    refused = answer(action)
    assert isinstance(refused, tuple), f"the call was not refused: {refused}"
    return refused


# What each party's schema admits to --------------------------------------------------------------

INTROSPECTION = "{ __schema { types { name fields { name } } } }"


def introspect(schema) -> dict[str, set[str]]:
    result = graphql_sync(schema.graphql_schema, INTROSPECTION)
    assert result.errors is None, result.errors
    return {t["name"]: {f["name"] for f in t["fields"] or []} for t in result.data["__schema"]["types"]}


@pytest.mark.parametrize("party", list(PartyType), ids=lambda p: p.value)
def test_introspection_shows_only_what_the_party_can_ever_receive(party):
    types = introspect(SCHEMAS[party])
    committee = introspect(SCHEMAS[RC])

    # The panel's evaluations: the committee's alone.
    assert ("Evaluation" in types) is (party is RC), "the panel's Evaluation type"
    if "Bid" in types:
        assert ("evaluations" in types["Bid"]) is (party is RC), "Bid.evaluations"
        # The same Bid otherwise: one definition of each field, a type that differs where it must.
        assert types["Bid"] == committee["Bid"] - ({"evaluations"} if party is not RC else set())
    # Bids reach their bidder and the committee; the office never receives one.
    assert ("Bid" in types) is (party in (RC, ORG))
    if "Project" in types:
        assert ("bids" in types["Project"]) is (party in (RC, ORG)), "Project.bids"
        assert types["Project"] == committee["Project"] - ({"bids"} if party not in (RC, ORG) else set())
    # Who evaluated a contract: never the provider (it has the summary).
    if "Contract" in types:
        assert ("evaluations" in types["Contract"]) is (party in (RC, SO, OC)), "Contract.evaluations"
        assert "evaluationSummary" in types["Contract"]
    assert ("ContractEvaluation" in types) is (party in (RC, SO, OC))


def test_the_social_organisations_and_the_offices_schemas_miss_exactly_the_sealed_fields():
    organisation, office = introspect(SCHEMAS[ORG]), introspect(SCHEMAS[SO])
    assert "Evaluation" not in organisation and "ContractEvaluation" not in organisation
    assert "evaluations" not in organisation["Bid"] and "evaluations" not in organisation["Contract"]
    assert "bids" in organisation["Project"], "its own bid"
    assert "bids" not in office["Project"] and "Bid" not in office
    assert "evaluations" in office["Contract"]
    assert not {"Bid", "Evaluation", "ContractEvaluation"} & set(introspect(ANONYMOUS_SCHEMA))


# A deadline pulled forward -----------------------------------------------------------------------


def test_a_deadline_pulled_forward_opens_nothing_early(matching, clock):
    bidder = register(matching, 1)
    project = published_project(matching, deadline=timedelta(hours=1))
    matching.submit_bid(bidder, {"project_id": project["id"], "price": "900.00", "plan": "A", **DETAILS})
    soon = clock.now() + timedelta(minutes=10)
    answer = refusal(
        lambda: matching.change_terms(
            COMMITTEE, {"project_id": project["id"], "bid_deadline": soon.isoformat()}
        )
    )
    assert answer[0] == "InvalidInput" and [(e["field"], e["code"]) for e in answer[1]] == [
        ("bid_deadline", "earlier")
    ]
    move_past(clock, soon)  # the refused deadline passes, the real one is still ahead
    matching.open_due_tenders()
    (seen,) = matching.get_projects(COMMITTEE, [project["id"]])
    assert (seen["status"], seen["bid_deadline"]) == ("published", project["bid_deadline"])
    assert matching.list_bids(COMMITTEE, [project["id"]]) == []
    assert matching.bid_digests(COMMITTEE, [project["id"]]) == []


# Withdrawn and unconfirmed bids after the opening ------------------------------------------------

SECRETS = ("777.77", "WITHDRAWN PLAN", "666.66", "UNCONFIRMED PLAN")


def test_a_withdrawn_or_unconfirmed_bid_stays_sealed_for_ever(matching, databases, session):
    valid, withdrawn, unconfirmed, rival = (register(matching, n) for n in (1, 2, 3, 4))
    project = published_project(matching, deadline=timedelta(days=2), standstill_days=5)
    pid = project["id"]
    kept = matching.submit_bid(valid, {"project_id": pid, "price": "900.00", "plan": "VALID PLAN", **DETAILS})
    gone = matching.submit_bid(
        withdrawn, {"project_id": pid, "price": "777.77", "plan": "WITHDRAWN PLAN", **DETAILS}
    )
    lapsed = matching.submit_bid(
        unconfirmed, {"project_id": pid, "price": "666.66", "plan": "UNCONFIRMED PLAN", **DETAILS}
    )
    matching.withdraw_bid(withdrawn, {"project_id": pid})
    later = (datetime.now(timezone.utc) + timedelta(days=3)).isoformat()
    matching.change_terms(
        COMMITTEE, {"project_id": pid, "description": "weekly visits", "bid_deadline": later}
    )
    kept = matching.submit_bid(valid, {"project_id": pid, "price": "900.00", "plan": "VALID PLAN", **DETAILS})
    open_bids(databases, pid, matching)
    sealed_ids = {gone["id"], lapsed["id"]}
    sealed_digests = {gone["digest"], lapsed["digest"]}

    readers = (COMMITTEE, EVALUATOR, OFFICE, OTHER_OFFICE, OTHER_COMMITTEE, valid, rival)
    for who in readers:
        reads_it = who in (COMMITTEE, EVALUATOR) or who is valid
        assert [b["id"] for b in matching.list_bids(who, [pid])] == ([kept["id"]] if reads_it else [])
        assert matching.get_bids(who, sorted(sealed_ids)) == [], "node(id:) of a sealed bid"
        assert matching.bid_digests(who, [pid]) in ([], [{"project_id": pid, "digest": kept["digest"]}])

    def unknown_and_sealed(action, **data):
        """The refusal of a call on each sealed bid, and on an id that does not exist."""
        return {
            json.dumps(
                refusal(
                    lambda b=bid: getattr(matching, action)(
                        COMMITTEE, {"project_id": pid, "bid_id": b, **data}
                    )
                )
            )
            for bid in (*sealed_ids, "no-such-bid")
        }

    # Scoring, conflicts and the award answer a sealed bid's id exactly as an id that does not exist.
    assert len(unknown_and_sealed("score_bid", plan_quality=90, experience=90)) == 1
    assert len(unknown_and_sealed("declare_conflict", note="my cousin")) == 1
    matching.score_bid(
        COMMITTEE, {"project_id": pid, "bid_id": kept["id"], "plan_quality": 80, "experience": 80}
    )
    matching.rank_bids(COMMITTEE, {"project_id": pid})
    assert len(unknown_and_sealed("award_project", reason="chosen")) == 1
    matching.award_project(COMMITTEE, {"project_id": pid, "bid_id": kept["id"]})

    # Whoever reads the results, the ranking, the awards or the open data: only the valid bid.
    seen = []
    for who in (*readers, withdrawn, unconfirmed):
        results = matching.results(who, [pid])
        assert [r["id"] for r in results] in ([], [kept["id"]])
        seen += [results, matching.list_awards(who, [pid]), matching.bid_digests(who, [pid])]
        seen += [
            matching.get_projects(who, [pid]),
            matching.list_notices(who) if who in (valid, rival) else [],
        ]
    seen += [matching.ocds_releases(), [e.data for e in outbox_events(session)]]
    text = json.dumps(seen, default=str)
    for secret in (*SECRETS, *sealed_ids, *sealed_digests):
        assert secret not in text, secret
    releases = matching.ocds_releases(project["ocid"])
    tenderers = releases[-1]["tender"]
    assert (tenderers["numberOfTenderers"], [t["name"] for t in tenderers["tenderers"]]) == (1, ["Org 1"])
    assert not {"Org 2", "Org 3"} & {p.get("name") for r in releases for p in r["parties"]}
    (opened,) = [e.data for e in outbox_events(session) if e.type == "project.opened"]
    assert (opened["valid_bids"], opened["bid_digests"]) == (1, [kept["digest"]])

    # Its bidder alone still reads it.
    assert [(b["id"], b["status"], b["plan"]) for b in matching.list_bids(withdrawn, [pid])] == [
        (gone["id"], "withdrawn", "WITHDRAWN PLAN")
    ]
    assert [b["status"] for b in matching.get_bids(unconfirmed, [lapsed["id"]])] == ["to_reconfirm"]


def test_a_tender_cancelled_before_its_opening_keeps_its_bids_sealed_past_its_deadline(matching, databases):
    bidder = register(matching, 1)
    project = published_project(matching)
    bid = matching.submit_bid(
        bidder, {"project_id": project["id"], "price": "900.00", "plan": "A", **DETAILS}
    )
    matching.cancel_project(COMMITTEE, {"project_id": project["id"], "reason": "the budget was cut"})
    open_bids(databases, project["id"], matching)  # the deadline passes; the timer runs
    assert matching.get_projects(COMMITTEE, [project["id"]])[0]["status"] == "cancelled"
    for who in (COMMITTEE, OFFICE):
        assert matching.list_bids(who, [project["id"]]) == []
        assert matching.bid_digests(who, [project["id"]]) == []
        assert matching.get_bids(who, [bid["id"]]) == []
    text = json.dumps(matching.ocds_releases(project["ocid"]))
    assert "tenderers" not in text and "900" not in text and bid["digest"] not in text


# Before the opening: nothing tells a project with bids from one without --------------------------


def test_before_the_opening_withdrawn_and_unconfirmed_bids_leave_no_trace(matching, session):
    """Four projects: no bid, a valid bid, only a withdrawn bid, only a bid left unconfirmed. Every
    party's view, count, error, notice, event and release is the same for all four."""
    bidder, bystander = register(matching, 1), register(matching, 2)
    deadline = timedelta(days=2)
    projects = [published_project(matching, deadline=deadline) for _ in range(4)]
    none, valid, withdrawn, unconfirmed = (p["id"] for p in projects)
    for pid in (valid, withdrawn, unconfirmed):
        matching.submit_bid(bidder, {"project_id": pid, "price": "900.00", "plan": "A", **DETAILS})
    matching.withdraw_bid(bidder, {"project_id": withdrawn})
    later = (datetime.now(timezone.utc) + timedelta(days=3)).isoformat()
    changed = {
        pid: matching.change_terms(COMMITTEE, {"project_id": pid, "budget": "1100.00", "bid_deadline": later})
        for pid in (none, valid, withdrawn, unconfirmed)
    }
    matching.submit_bid(bidder, {"project_id": valid, "price": "900.00", "plan": "A", **DETAILS})

    # What differs between the four projects by when each was made, not by their bids (a release's
    # tender period is the project's publication and deadline, to the second).
    varying = (
        "id",
        "ocid",
        "created_at",
        "published_at",
        "bid_deadline",
        "project_id",
        "date",
        "tag",
        "startDate",
        "endDate",
    )

    def plain(value):
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items() if k not in varying}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value

    def seen_by(who, pid):
        attempts = [
            refusal(lambda a=action, d=data: getattr(matching, a)(who, {"project_id": pid, **d}))
            for action, data in (
                ("score_bid", {"bid_id": "x", "plan_quality": 1, "experience": 1}),
                ("declare_conflict", {"bid_id": "x", "note": "x"}),
                ("rank_bids", {}),
                ("award_project", {"bid_id": "x"}),
                ("file_complaint", {"grounds": "x"}),
            )
        ]
        return plain(
            [
                matching.get_projects(who, [pid]),
                [b for b in matching.list_bids(who, [pid]) if b["organisation_id"] != who["party_id"]],
                matching.bid_digests(who, [pid]),
                matching.results(who, [pid]),
                matching.list_awards(who, [pid]),
                answer(lambda: matching.eligible_organisations(who, [pid])),
                [n for n in nodes(matching.list_notices(who)) if n["project_id"] == pid]
                if who is bystander
                else [],
                attempts,
            ]
        )

    for who in (COMMITTEE, EVALUATOR, OFFICE, OTHER_OFFICE, OTHER_COMMITTEE, bystander):
        views = [seen_by(who, pid) for pid in (none, valid, withdrawn, unconfirmed)]
        assert all(view == views[0] for view in views), who["party_type"]
    assert len({json.dumps(plain(c), sort_keys=True) for c in changed.values()}) == 1
    releases = [plain(matching.ocds_releases(p["ocid"])) for p in projects]
    assert all(r == releases[0] for r in releases)
    events = [e for e in outbox_events(session) if e.type.startswith("project.")]
    by_project = {
        pid: [(e.type, plain(e.data)) for e in events if e.data["project_id"] == pid] for pid in changed
    }
    assert all(v == by_project[none] for v in by_project.values())
    cancelled = [
        plain(matching.cancel_project(COMMITTEE, {"project_id": pid, "reason": "merged"}))
        for pid in (none, valid, withdrawn, unconfirmed)
    ]
    assert all(c == cancelled[0] for c in cancelled)


# Through the running gateway: whoever asks -------------------------------------------------------


def test_through_the_gateway_nobody_reads_a_withdrawn_bid_or_pulls_the_deadline_forward(platform, clock):
    from gql import gql

    demo, elsewhere = seed_directory(platform.rpc), seed_directory(platform.rpc, serial=2)
    clients = {
        "committee": platform.client(demo.principals[RC]),
        "office": platform.client(demo.principals[SO]),
        "winner": platform.client(demo.principals[ORG]),
        "rival": platform.client(demo.rival),
    }

    def run(who, document, **variables):
        return clients[who].execute(gql(document), variable_values=variables)

    def errors(payload):
        return [(e["field"], e["code"]) for e in payload["errors"]]

    created = run(
        "committee",
        "mutation($i: CreateProjectInput!) { createProject(input: $i) { project { id } } }",
        i={"title": "Home care", "category": "elderly_care", "budget": "50000.00"},
    )["createProject"]["project"]
    deadline = clock.now() + timedelta(hours=1)
    published = run(
        "committee",
        """mutation($i: PublishProjectInput!) { publishProject(input: $i) { errors { code } } }""",
        i={"projectId": created["id"], "bidDeadline": deadline.isoformat()},
    )["publishProject"]
    assert published["errors"] == []
    bid_mutation = """mutation($i: SubmitBidInput!) { submitBid(input: $i) { bid { id } errors { code } } }"""
    details = {"projectId": created["id"], "team": "two social workers", "timeline": "weekly"}
    won = run("winner", bid_mutation, i={**details, "price": "45000.00", "plan": "Two social workers"})
    gone = run("rival", bid_mutation, i={**details, "price": "44444.44", "plan": "THE WITHDRAWN PLAN"})
    gone_id = gone["submitBid"]["bid"]["id"]
    withdrawn = run(
        "rival",
        """mutation($i: WithdrawBidInput!) { withdrawBid(input: $i) { bid { status } errors { code } } }""",
        i={"projectId": created["id"]},
    )["withdrawBid"]
    assert withdrawn == {"bid": {"status": "withdrawn"}, "errors": []}

    pulled = run(
        "committee",
        """mutation($i: ChangeProjectTermsInput!) {
          changeProjectTerms(input: $i) { project { bidDeadline } errors { field code message } } }""",
        i={
            "projectId": created["id"],
            "bidDeadline": (clock.now() + timedelta(minutes=10)).isoformat(),
        },
    )["changeProjectTerms"]
    assert errors(pulled) == [("bidDeadline", "earlier")] and pulled["project"] is None

    projects = "{ projects { edges { node { status bidDigests bids { edges { node { id plan } } } } } } }"
    move_past(clock, deadline)
    (opened,) = wait_for(
        "the timer to open the bids",
        lambda: [
            e["node"]
            for e in run("committee", projects)["projects"]["edges"]
            if e["node"]["status"] == "evaluating"
        ],
    )
    assert [b["node"]["id"] for b in opened["bids"]["edges"]] == [won["submitBid"]["bid"]["id"]]
    assert len(opened["bidDigests"]) == 1
    node = "query($id: ID!) { node(id: $id) { id } }"
    for who in ("committee", "office", "winner"):
        answer = run(who, node, id=gone_id)
        assert answer == {"node": None}, who
        assert answer == run(who, node, id=to_global_id("Bid", "no-such-bid")), who
    own = run("rival", "query($id: ID!) { node(id: $id) { ... on Bid { status plan } } }", id=gone_id)
    assert own["node"] == {"status": "withdrawn", "plan": "THE WITHDRAWN PLAN"}, "its bidder reads it"
    office_view = run("office", "{ projects { edges { node { status bidDigests results { price } } } } }")
    assert "44444.44" not in json.dumps(office_view)

    # A filing reaching into another district answers exactly like an id that does not exist.
    filing = """mutation($i: UpdateFilingInput!) {
      updateFiling(input: $i) { filing { id } errors { field code message } } }"""
    other_community = to_global_id("Place", elsewhere.principals[RC].community_id)
    unknown = to_global_id("Place", "no-such-community")
    own_community = to_global_id("Place", demo.principals[RC].community_id)
    answers = [
        run("winner", filing, i={"communityIds": [own_community, community]})["updateFiling"]
        for community in (other_community, unknown)
    ]
    assert answers[0] == answers[1] and answers[0]["filing"] is None
    assert errors(answers[0]) == [("communityIds.1", "not_found")]
