"""End to end through the gateway with a real GraphQL client, each step as the party that does it:
a joint meeting's resolution drafts a project, the committee publishes it, two organisations bid,
after the deadline the committee awards, and the contract reaches the winner's view only."""

from __future__ import annotations

import re
import time
from datetime import datetime, timedelta, timezone

import pytest
from gql import gql

from deploy.seed import seed_directory
from shared.identity import PartyType
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
{ projects { edges { node { id title status budget category bidDigests
  bids { edges { node { id price plan digest organisation { name } } } }
  award { value organisation { name } } } } } }""")
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
  awardProject(input: $input) { award { value organisation { name } } errors { field code message } }
}""")
CONTRACTS = gql("{ contracts { edges { node { title value status provider { name } } } } }")


def nodes(result: dict, field: str) -> list[dict]:
    return [edge["node"] for edge in result[field]["edges"]]


@pytest.fixture
def parties(platform):
    demo = seed_directory(platform.rpc)
    return {
        "committee": platform.client(demo.principals[PartyType.RESIDENTS_COMMITTEE]),
        "owners": platform.client(demo.principals[PartyType.OWNERS_COMMITTEE]),
        "property": platform.client(demo.principals[PartyType.PROPERTY_COMPANY]),
        "winner": platform.client(demo.principals[PartyType.SOCIAL_ORGANISATION]),
        "loser": platform.client(demo.rival),
    }


def test_a_resolution_becomes_a_tender_an_award_and_the_winners_contract(parties):
    committee, owners, winner, loser = (parties[k] for k in ("committee", "owners", "winner", "loser"))
    starts = datetime.now(timezone.utc) + timedelta(days=2)

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

    deadline = datetime.now(timezone.utc) + timedelta(seconds=4)
    published = committee.execute(
        PUBLISH, variable_values={"input": {"projectId": project["id"], "bidDeadline": deadline.isoformat()}}
    )["publishProject"]
    assert published["errors"] == [] and published["project"]["status"] == "published"

    over = winner.execute(
        BID, variable_values={"input": {"projectId": project["id"], "price": "50000.01", "plan": "Too dear"}}
    )["submitBid"]
    assert over["bid"] is None
    assert [(e["field"], e["code"]) for e in over["errors"]] == [("price", "over_budget")]
    won = winner.execute(
        BID,
        variable_values={
            "input": {"projectId": project["id"], "price": "45000.00", "plan": "Two social workers"}
        },
    )["submitBid"]
    lost = loser.execute(
        BID,
        variable_values={
            "input": {"projectId": project["id"], "price": "47000.00", "plan": "Volunteer pairs"}
        },
    )["submitBid"]
    assert won["errors"] == [] and lost["errors"] == []
    assert re.fullmatch(r"[0-9a-f]{64}", won["bid"]["digest"])

    # Sealed: the committee sees no bids, each bidder only its own, and the award must wait.
    assert nodes(committee.execute(PROJECTS), "projects")[0]["bids"]["edges"] == []
    assert [b["plan"] for b in nodes(nodes(loser.execute(PROJECTS), "projects")[0], "bids")] == [
        "Volunteer pairs"
    ]
    early = committee.execute(
        AWARD, variable_values={"input": {"projectId": project["id"], "bidId": won["bid"]["id"]}}
    )["awardProject"]
    assert [e["code"] for e in early["errors"]] == ["bids_sealed"]

    time.sleep(max(0.0, (deadline - datetime.now(timezone.utc)).total_seconds()) + 0.2)
    late = loser.execute(
        BID,
        variable_values={"input": {"projectId": project["id"], "price": "40000.00", "plan": "Cheaper, late"}},
    )["submitBid"]
    assert [e["code"] for e in late["errors"]] == ["deadline_passed"]
    opened = nodes(nodes(committee.execute(PROJECTS), "projects")[0], "bids")
    # At opening the digests are published: each bidder finds its receipt among them.
    digests = nodes(loser.execute(PROJECTS), "projects")[0]["bidDigests"]
    assert digests == sorted([won["bid"]["digest"], lost["bid"]["digest"]])
    assert sorted(b["price"] for b in opened) == ["45000.00", "47000.00"]

    award = committee.execute(
        AWARD, variable_values={"input": {"projectId": project["id"], "bidId": won["bid"]["id"]}}
    )["awardProject"]
    assert award["errors"] == [] and award["award"]["value"] == "45000.00"

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
