"""End to end through the gateway with a real GraphQL client, each step as the party that does it:
a joint meeting's resolution drafts a project, the committee sets its terms and publishes it, two
organisations bid, the timer opens the bids at the deadline, the committee's evaluators score them
(one declares a conflict of interest) and rank them, the award waits through its standstill while
the sub-district office hears two complaints (one upheld, one dismissed), the final award becomes
the winner's contract, and the whole history is open data. Time is moved past the bid deadline and
the standstill (``tests.e2e.moving_time``), never slept through."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
import requests
from gql import gql

from deploy.seed import seed_directory
from shared.identity import PartyType
from tests import ocds_schema
from tests.e2e.moving_time import move_past, moving_clock  # noqa: F401 (the clock fixture)
from tests.helpers import wait_for

SCHEDULE = gql("""
mutation($input: ScheduleMeetingInput!) {
  scheduleMeeting(input: $input) { meeting { id title } errors { field code message } }
}""")
SUBMIT_ITEM = gql("""
mutation($input: SubmitAgendaItemInput!) {
  submitAgendaItem(input: $input) {
    agendaItem { id submittedBy { type name } } errors { field code message }
  }
}""")
RESOLVE = gql("""
mutation($input: RecordResolutionInput!) {
  recordResolution(input: $input) { resolution { id decisionType budget } errors { field code message } }
}""")
SIGN_IN = gql("""
mutation($input: SignInToMeetingInput!) {
  signInToMeeting(input: $input) { errors { field code message } }
}""")
POSITION = gql("""
mutation($input: TakePositionInput!) {
  takePosition(input: $input) { resolution { status } errors { field code message } }
}""")
PROJECTS = gql("""
{ projects(first: 5) { edges { node { id ocid title status budget category bidDigests endedReason
  bids(first: 5) { edges { node { id price plan team digest rank organisation { name } } } }
  results { rank price total scores { price planQuality experience reputation } organisation { name } }
  award { value status reason organisation { name } } } } } }""")
OFFICE_PROJECTS = gql("{ projects(first: 5) { edges { node { id status bidDigests results { rank } } } } }")
TERMS = gql("""
mutation($input: ChangeProjectTermsInput!) {
  changeProjectTerms(input: $input) {
    project { standstillDays minValidBids weights { price } } errors { field code message }
  }
}""")
SCORE = gql("""
mutation($input: ScoreBidInput!) {
  scoreBid(input: $input) { evaluation { byYou planQuality } errors { field code message } }
}""")
CONFLICT = gql("""
mutation($input: DeclareConflictInput!) {
  declareConflict(input: $input) { evaluation { conflict } errors { field code message } }
}""")
RANK = gql("""
mutation($input: ProjectInput!) {
  rankBids(input: $input) {
    project { results { rank total organisation { name } } } errors { field code message }
  }
}""")
COMPLAIN = gql("""
mutation($input: FileComplaintInput!) {
  fileComplaint(input: $input) { complaint { id status } errors { field code message } }
}""")
UPHOLD = gql("""
mutation($input: ResolveComplaintInput!) {
  upholdComplaint(input: $input) { complaint { status project { status } } errors { field code message } }
}""")
DISMISS = gql("""
mutation($input: ResolveComplaintInput!) {
  dismissComplaint(input: $input) { complaint { status } errors { field code message } }
}""")
COMPLAINTS = gql("{ complaints(first: 5) { edges { node { id status grounds complainant { name } } } } }")
NOTICES = gql("{ notices(first: 20) { edges { node { kind message project { id } } } } }")
PUBLISH = gql("""
mutation($input: PublishProjectInput!) {
  publishProject(input: $input) { project { id status bidDeadline } errors { field code message } }
}""")
BID = gql("""
mutation($input: SubmitBidInput!) {
  submitBid(input: $input) { bid { id price digest } errors { field code message } }
}""")
AWARD = gql("""
mutation($input: AwardProjectInput!) {
  awardProject(input: $input) { award { value status organisation { name } } errors { field code message } }
}""")
CONTRACTS = gql("{ contracts { edges { node { title value status provider { name } } } } }")


def nodes(result: dict, field: str) -> list[dict]:
    return [edge["node"] for edge in result[field]["edges"]]


@pytest.fixture
def parties(platform):
    demo = seed_directory(platform.rpc)
    return {
        "committee": platform.client(demo.principals[PartyType.RESIDENTS_COMMITTEE]),
        # A second member of the committee's evaluation panel: another account of the same party.
        "evaluator": platform.client(demo.principals[PartyType.RESIDENTS_COMMITTEE]),
        "office": platform.client(demo.principals[PartyType.STREET_OFFICE]),
        "owners": platform.client(demo.principals[PartyType.OWNERS_COMMITTEE]),
        "property": platform.client(demo.principals[PartyType.PROPERTY_COMPANY]),
        "winner": platform.client(demo.principals[PartyType.SOCIAL_ORGANISATION]),
        "loser": platform.client(demo.rival),
    }


def resolution_drafts_a_project(parties) -> dict:
    committee, owners, winner = (parties[k] for k in ("committee", "owners", "winner"))
    # Ten days ahead: still the community's next meeting once the tender's time has moved on.
    starts = datetime.now(timezone.utc) + timedelta(days=10)

    meeting = committee.execute(
        SCHEDULE,
        variable_values={
            "input": {
                "title": "Joint meeting",
                "location": "Community hall",
                "startsAt": starts.isoformat(),
                "endsAt": (starts + timedelta(hours=2)).isoformat(),
            }
        },
    )["scheduleMeeting"]
    assert meeting["errors"] == []
    item = owners.execute(
        SUBMIT_ITEM,
        variable_values={
            "input": {"meetingId": meeting["meeting"]["id"], "title": "Home care for residents living alone"}
        },
    )
    assert item["submitAgendaItem"]["agendaItem"]["submittedBy"]["type"] == "OWNERS_COMMITTEE"
    core = (committee, owners, parties["property"])
    for party in core:
        signed = party.execute(
            SIGN_IN,
            variable_values={"input": {"meetingId": meeting["meeting"]["id"], "delegate": "Delegate"}},
        )
        assert signed["signInToMeeting"]["errors"] == []
    resolution = committee.execute(
        RESOLVE,
        variable_values={
            "input": {
                "meetingId": meeting["meeting"]["id"],
                "agendaItemId": item["submitAgendaItem"]["agendaItem"]["id"],
                "title": "Purchase home care",
                "text": "Weekly visits to residents over 80",
                "decisionType": "PURCHASE_SERVICE",
                "budget": "50000.00",
                "category": "elderly_care",
            }
        },
    )
    assert resolution["recordResolution"]["errors"] == []
    resolution_id = resolution["recordResolution"]["resolution"]["id"]
    for party in core:
        taken = party.execute(
            POSITION, variable_values={"input": {"resolutionId": resolution_id, "stance": "AGREE"}}
        )
        assert taken["takePosition"]["errors"] == []
    assert taken["takePosition"]["resolution"]["status"] == "adopted"

    (project,) = wait_for(
        "the project drafted from the resolution", lambda: nodes(committee.execute(PROJECTS), "projects")
    )
    assert (project["title"], project["status"], project["budget"]) == (
        "Purchase home care",
        "draft",
        "50000.00",
    )
    assert nodes(winner.execute(PROJECTS), "projects") == [], "a draft is the committee's alone"
    return project


def bid(party, project_id: str, price: str, plan: str) -> dict:
    return party.execute(
        BID,
        variable_values={
            "input": {
                "projectId": project_id,
                "price": price,
                "plan": plan,
                "team": "two social workers and a nurse",
                "timeline": "weekly visits from January",
            }
        },
    )["submitBid"]


def test_a_resolution_becomes_a_tender_an_award_and_the_winners_contract(
    parties,
    platform,
    clock,
):
    committee, evaluator, office = parties["committee"], parties["evaluator"], parties["office"]
    winner, loser = parties["winner"], parties["loser"]
    project = resolution_drafts_a_project(parties)

    terms = committee.execute(
        TERMS,
        variable_values={
            "input": {
                "projectId": project["id"],
                "weights": {"price": 50, "planQuality": 25, "experience": 15, "reputation": 10},
                "standstillDays": 5,
                "minValidBids": 2,
            }
        },
    )["changeProjectTerms"]
    assert terms["errors"] == [] and terms["project"]["standstillDays"] == 5
    bad = committee.execute(
        TERMS,
        variable_values={
            "input": {
                "projectId": project["id"],
                "weights": {"price": 50, "planQuality": 25, "experience": 15, "reputation": 20},
            }
        },
    )["changeProjectTerms"]
    assert [(e["field"], e["code"]) for e in bad["errors"]] == [("weights", "not_100")]

    deadline = clock.now() + timedelta(hours=1)
    published = committee.execute(
        PUBLISH, variable_values={"input": {"projectId": project["id"], "bidDeadline": deadline.isoformat()}}
    )["publishProject"]
    assert published["errors"] == [] and published["project"]["status"] == "published"
    assert [n["kind"] for n in nodes(winner.execute(NOTICES), "notices")] == ["published"]

    over = bid(winner, project["id"], "50000.01", "Too dear")
    assert over["bid"] is None
    assert [(e["field"], e["code"]) for e in over["errors"]] == [("price", "over_budget")]
    won = bid(winner, project["id"], "45000.00", "Two social workers")
    lost = bid(loser, project["id"], "47000.00", "Volunteer pairs")
    assert won["errors"] == [] and lost["errors"] == []
    assert re.fullmatch(r"[0-9a-f]{64}", won["bid"]["digest"])

    # Sealed: the committee and the office see no bids, no digests, no results; each bidder only
    # its own; and nothing can be scored or awarded.
    (seen,) = nodes(committee.execute(PROJECTS), "projects")
    assert (seen["bids"]["edges"], seen["bidDigests"], seen["results"]) == ([], [], [])
    (seen,) = nodes(office.execute(OFFICE_PROJECTS), "projects")  # its schema has no bids at all
    assert (seen["bidDigests"], seen["results"]) == ([], [])
    assert [b["plan"] for b in nodes(nodes(loser.execute(PROJECTS), "projects")[0], "bids")] == [
        "Volunteer pairs"
    ]
    early = committee.execute(
        AWARD, variable_values={"input": {"projectId": project["id"], "bidId": won["bid"]["id"]}}
    )["awardProject"]
    assert [e["code"] for e in early["errors"]] == ["not_evaluating"]

    # The deadline passes: a late bid is refused, and the timer's next tick opens the bids.
    move_past(clock, deadline)
    late = bid(loser, project["id"], "40000.00", "Cheaper, late")
    assert [e["code"] for e in late["errors"]] == ["deadline_passed"]
    wait_for(
        "the timer to open the bids",
        lambda: nodes(committee.execute(PROJECTS), "projects")[0]["status"] == "evaluating",
    )
    # At opening the digests are published: each bidder finds its receipt among them.
    digests = nodes(loser.execute(PROJECTS), "projects")[0]["bidDigests"]
    assert digests == sorted([won["bid"]["digest"], lost["bid"]["digest"]])
    opened = nodes(nodes(committee.execute(PROJECTS), "projects")[0], "bids")
    assert sorted(b["price"] for b in opened) == ["45000.00", "47000.00"]

    def score(party, bid_id, quality, experience):
        return party.execute(
            SCORE,
            variable_values={
                "input": {
                    "projectId": project["id"],
                    "bidId": bid_id,
                    "planQuality": quality,
                    "experience": experience,
                }
            },
        )["scoreBid"]

    assert score(committee, won["bid"]["id"], 70, 70)["errors"] == []
    assert score(committee, lost["bid"]["id"], 90, 90)["errors"] == []
    declared = evaluator.execute(
        CONFLICT,
        variable_values={
            "input": {"projectId": project["id"], "bidId": lost["bid"]["id"], "note": "I chair it"}
        },
    )["declareConflict"]
    assert declared["errors"] == []
    barred = score(evaluator, lost["bid"]["id"], 100, 100)
    assert [(e["field"], e["code"]) for e in barred["errors"]] == [("bidId", "conflict_of_interest")]
    assert score(evaluator, won["bid"]["id"], 80, 80)["errors"] == []
    ranked = committee.execute(RANK, variable_values={"input": {"projectId": project["id"]}})["rankBids"]
    # won: 100·.5 + 75·.25 + 75·.15 + 60·.1 = 86.00; lost: 95.74·.5 + 90·.25 + 90·.15 + 60·.1 = 89.87
    results = ranked["project"]["results"]
    assert [(r["rank"], r["total"]) for r in results] == [(1, 89.87), (2, 86.0)]
    assert results[1]["organisation"]["name"].endswith("Leling Social Work Centre")
    assert nodes(loser.execute(PROJECTS), "projects")[0]["results"] == [], "bidders wait for the award"

    def award(bid_id, reason=None):
        return committee.execute(
            AWARD,
            variable_values={"input": {"projectId": project["id"], "bidId": bid_id, "reason": reason}},
        )["awardProject"]

    proposed = award(lost["bid"]["id"])
    assert proposed["errors"] == [] and proposed["award"]["status"] == "pending"
    (seen,) = nodes(winner.execute(PROJECTS), "projects")
    assert [(r["rank"], r["scores"]["price"]) for r in seen["results"]] == [(1, 95.74), (2, 100.0)]

    # The runner-up complains; the office upholds it: back to evaluation.
    complaint = winner.execute(
        COMPLAIN, variable_values={"input": {"projectId": project["id"], "grounds": "price misjudged"}}
    )["fileComplaint"]
    assert complaint["errors"] == [] and complaint["complaint"]["status"] == "open"
    assert [c["grounds"] for c in nodes(office.execute(COMPLAINTS), "complaints")] == ["price misjudged"]
    upheld = office.execute(
        UPHOLD,
        variable_values={"input": {"complaintId": complaint["complaint"]["id"], "resolution": "rescore"}},
    )["upholdComplaint"]
    assert upheld["errors"] == [] and upheld["complaint"]["project"]["status"] == "evaluating"
    assert score(committee, lost["bid"]["id"], 60, 60)["errors"] == []
    reranked = committee.execute(RANK, variable_values={"input": {"projectId": project["id"]}})["rankBids"]
    assert [r["rank"] for r in reranked["project"]["results"]] == [1, 2]
    top = reranked["project"]["results"][0]["organisation"]["name"]
    assert top.endswith("Leling Social Work Centre")
    # The committee may choose the runner-up only with a recorded reason; it keeps the first.
    assert [e["field"] for e in award(lost["bid"]["id"])["errors"]] == ["reason"]
    again = award(won["bid"]["id"])
    assert again["errors"] == [] and again["award"]["status"] == "pending"

    # The other bidder complains in turn; the office dismisses it: the award stands.
    second = loser.execute(
        COMPLAIN, variable_values={"input": {"projectId": project["id"], "grounds": "we were cheaper"}}
    )["fileComplaint"]["complaint"]
    dismissed = office.execute(
        DISMISS, variable_values={"input": {"complaintId": second["id"], "resolution": "not so"}}
    )["dismissComplaint"]
    assert dismissed["complaint"]["status"] == "dismissed"
    assert nodes(winner.execute(CONTRACTS), "contracts") == [], "no contract during the standstill"

    # Five days pass: the standstill ends and the timer's next tick makes the award final.
    clock.advance(timedelta(days=5, minutes=1))
    (contract,) = wait_for(
        "the contract in the winner's view", lambda: nodes(winner.execute(CONTRACTS), "contracts")
    )
    assert (contract["title"], contract["value"], contract["status"]) == (
        "Purchase home care",
        "45000.00",
        "draft",
    )
    assert contract["provider"]["name"].endswith("Leling Social Work Centre")
    assert nodes(loser.execute(CONTRACTS), "contracts") == []
    assert [c["value"] for c in nodes(committee.execute(CONTRACTS), "contracts")] == ["45000.00"]
    (final,) = nodes(committee.execute(PROJECTS), "projects")
    assert (final["status"], final["award"]["status"]) == ("awarded", "final")
    kinds = [n["kind"] for n in nodes(loser.execute(NOTICES), "notices")]
    assert {"award_proposed", "award_annulled", "complaint_dismissed", "award_final"} <= set(kinds)

    # The award is reported at the community's next joint meeting: meetings heard the award event.
    def award_on_agenda():
        meetings = committee.execute(
            gql("{ meetings { edges { node { agenda { edges { node { title source } } } } } } }")
        )
        return [
            a["node"]
            for m in meetings["meetings"]["edges"]
            for a in m["node"]["agenda"]["edges"]
            if a["node"]["source"] == "event"
        ]

    (reported,) = wait_for("the award on the next agenda", award_on_agenda)
    assert reported["title"].endswith("Purchase home care")

    # The whole history is open data, without a token.
    base = platform.url.removesuffix("/graphql")
    releases = requests.get(f"{base}/ocds/releases", timeout=10).json()
    records = requests.get(f"{base}/ocds/records?ocid={final['ocid']}", timeout=10).json()
    assert [r["tag"] for r in releases["releases"]] == [
        ["planning", "tender"],
        ["tenderUpdate"],
        ["award"],
        ["awardCancellation"],
        ["award"],
        ["awardUpdate"],
    ]
    (record,) = records["records"]
    compiled = record["compiledRelease"]
    assert compiled["tender"]["numberOfTenderers"] == 2
    assert [(a["status"], a["value"]["amount"]) for a in compiled["awards"]] == [
        ("cancelled", 47000),
        ("active", 45000),
    ]
    assert requests.get(f"{base}/ocds/records?ocid=ocds-none", timeout=10).status_code == 404
    ocds_schema.require_schema()
    ocds_schema.validate_release_package(releases)
    ocds_schema.validate_record_package(records)
