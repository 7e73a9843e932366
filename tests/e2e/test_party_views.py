"""Each party's own view through the gateway: sign-in, introspection, and the demo's history."""

from __future__ import annotations

from datetime import timedelta

import pytest
import requests
from gql import gql

from deploy.seed import seed
from gateway.tokens import issue_token
from shared.identity import PartyType, Principal

INTROSPECT = gql("""
{ __schema { queryType { fields { name } } mutationType { fields { name } } types { name } } }""")

LIST_MUTATIONS = {"addListEntry", "claimEntry", "confirmClaim", "declineClaim", "recordDelivery"}
CORE_MEMBER_MUTATIONS = {
    "stateAvailability",
    "scheduleMeeting",
    "signMinutesOff",
    "askMinutesCorrection",
    "submitAgendaItem",
    "signInToMeeting",
    "takePosition",
    "reportActionItemProgress",
    "completeActionItem",
}
CONTRACT_PURCHASER_MUTATIONS = {
    "setContractTerms",
    "signContract",
    "activateContract",
    "acceptMilestone",
    "rejectMilestone",
    "proposeAmendment",
    "signAmendment",
    "rejectAmendment",
    "completeContract",
    "terminateContract",
    "evaluateContract",
}
EXPECTED_MUTATIONS = {
    PartyType.RESIDENTS_COMMITTEE: {
        "scheduleMeeting",
        "submitAgendaItem",
        "recordResolution",
        "createProject",
        "publishProject",
        "awardProject",
        "registerVolunteer",
        "openServiceRequest",
        "assignVolunteer",
        "updateVolunteer",
        "addBuilding",
        "createTeam",
        "updateTeam",
        "dispatchVolunteers",
        "approveHours",
        "creditActivityPoints",
        "addReward",
        "restockReward",
        "cancelServiceRequest",
        "createMeetingSeries",
        "rescheduleMeeting",
        "cancelMeeting",
        "signInToMeeting",
        "takePosition",
        "assignActionItem",
        "reportActionItemProgress",
        "completeActionItem",
        "confirmActionItem",
        "reopenActionItem",
        "orderAgenda",
        "acceptAgendaItem",
        "deferAgendaItem",
        "writeMinutes",
        "signMinutesOff",
        "askMinutesCorrection",
        "proposeMeetingTimes",
        "stateAvailability",
        "confirmMeetingTime",
        *LIST_MUTATIONS,
        "changeProjectTerms",
        "declareConflict",
        "scoreBid",
        "rankBids",
        "cancelProject",
        *CONTRACT_PURCHASER_MUTATIONS,
    },
    PartyType.OWNERS_COMMITTEE: CORE_MEMBER_MUTATIONS
    | {"evaluateContract", "addBuilding", "openServiceRequest", "approveHours", "cancelServiceRequest"},
    PartyType.PROPERTY_COMPANY: CORE_MEMBER_MUTATIONS,
    PartyType.SOCIAL_ORGANISATION: {
        "submitBid",
        "withdrawBid",
        "updateFiling",
        "fileComplaint",
        "signContract",
        "deliverMilestone",
        "proposeAmendment",
        "signAmendment",
        "rejectAmendment",
    },
    PartyType.STREET_OFFICE: {
        "upholdComplaint",
        "dismissComplaint",
        "approveContract",
        "approveAmendment",
        "rejectAmendment",
        "terminateContract",
        "stateAvailability",
        "reviewFiling",
        "suspendOrganisation",
        "reinstateOrganisation",
    },
    PartyType.JOINT_BUILDING_UNIT: {"stateAvailability", *LIST_MUTATIONS},
    # Every volunteer's schema holds a team leader's mutations; the service refuses non-leaders.
    PartyType.VOLUNTEER: {
        "updateMyAvailability",
        "acceptOffer",
        "declineOffer",
        "checkIn",
        "checkOut",
        "redeemReward",
        "openServiceRequest",
        "cancelServiceRequest",
        "dispatchVolunteers",
        "assignVolunteer",
        "approveHours",
        "creditActivityPoints",
    },
}
FORBIDDEN_TYPES = {
    PartyType.SOCIAL_ORGANISATION: {"Meeting", "Volunteer", "ServiceRequest", "Resolution"},
    PartyType.VOLUNTEER: {"Project", "Bid", "Contract", "Meeting"},
    PartyType.OWNERS_COMMITTEE: {"Bid", "Volunteer"},
    PartyType.JOINT_BUILDING_UNIT: {"Meeting", "Project", "Bid", "Contract", "Volunteer"},
}


@pytest.fixture
def demo(platform):
    return {PartyType(p): Principal.from_dict(d) for p, d in seed(platform.rpc).items()}


def test_each_party_sees_its_own_view_and_its_demo_history(platform, demo):
    for party, principal in demo.items():
        client = platform.client(principal)
        schema = client.execute(INTROSPECT)["__schema"]
        mutations = {f["name"] for f in (schema["mutationType"] or {"fields": []})["fields"]}
        assert mutations == EXPECTED_MUTATIONS[party] | {
            "signOut",
            "rotateCalendarKey",
            "revokeCalendarKey",
        }, party
        types = {t["name"] for t in schema["types"]}
        assert not types & FORBIDDEN_TYPES.get(party, set()), party
        viewer = client.execute(gql("{ viewer { party { type name } } }"))["viewer"]
        assert viewer["party"]["type"] == party.name and viewer["party"]["name"], party

    committee = platform.client(demo[PartyType.RESIDENTS_COMMITTEE])
    view = committee.execute(
        gql("""{ meetings { edges { node { resolutions { edges { node { title } } } } } }
        projects { edges { node { status } } } contracts { edges { node { status } } }
        volunteers { edges { node { name } } }
        serviceRequests { edges { node { shifts { edges { node { status } } } } } }
        pointsLedger { issued redeemed outstanding balanced } }""")
    )
    assert any(m["node"]["resolutions"]["edges"] for m in view["meetings"]["edges"])
    assert {p["node"]["status"] for p in view["projects"]["edges"]} == {"awarded", "published", "standstill"}
    assert len(view["contracts"]["edges"]) == 1 and len(view["volunteers"]["edges"]) == 3
    assert view["pointsLedger"] == {"issued": 25, "redeemed": 20, "outstanding": 5, "balanced": True}

    organisation = platform.client(demo[PartyType.SOCIAL_ORGANISATION]).execute(
        gql("{ projects { edges { node { status } } } contracts { edges { node { status } } } }")
    )
    assert len(organisation["projects"]["edges"]) == 3 and len(organisation["contracts"]["edges"]) == 1
    owners = platform.client(demo[PartyType.OWNERS_COMMITTEE]).execute(
        gql("{ meetings { edges { node { id title } } } }")
    )
    # November's meeting and the monthly series' occurrences in the next 62 days: one to three,
    # depending on where today falls against the first Tuesday.
    series = [
        m for m in owners["meetings"]["edges"] if m["node"]["title"] == "月度联席会议 Monthly joint meeting"
    ]
    assert 1 <= len(series) <= 3 and len(owners["meetings"]["edges"]) == 1 + len(series)
    property_company = platform.client(demo[PartyType.PROPERTY_COMPANY]).execute(
        gql("{ actionItems { edges { node { title status owner { type } } } } }")
    )
    (item,) = property_company["actionItems"]["edges"]
    assert item["node"]["owner"]["type"] == "PROPERTY_COMPANY" and item["node"]["status"] == "open"
    feed = platform.client(demo[PartyType.PROPERTY_COMPANY]).execute(
        gql("mutation { rotateCalendarKey { calendarUrl errors { code } } }")
    )["rotateCalendarKey"]
    assert feed["errors"] == [] and feed["calendarUrl"].endswith(".ics")
    volunteer = platform.client(demo[PartyType.VOLUNTEER]).execute(
        gql("""{ serviceRequests { edges { node { title } } } pointsAccount { balance }
        shifts { edges { node { status points } } } redemptions { edges { node { rewardName } } } }""")
    )
    titles = {e["node"]["title"] for e in volunteer["serviceRequests"]["edges"]}
    assert {"社区清洁日 Litter clean-up (bags for eggs)", "陪伴独居老人 Companionship visit"} <= titles
    assert volunteer["pointsAccount"]["balance"] == 5
    assert sorted(e["node"]["status"] for e in volunteer["shifts"]["edges"]) == ["approved", "booked"]
    assert [e["node"]["rewardName"] for e in volunteer["redemptions"]["edges"]] == ["鸡蛋十枚 Ten eggs"]


def post(platform, body, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.post(platform.url, json=body, headers=headers, timeout=10)


def test_a_request_without_a_valid_token_is_refused_with_the_reason(platform):
    principal = Principal("a", PartyType.VOLUNTEER, "v", "d", "c", session_id="no-such-session")
    anonymous = post(platform, {"query": "{ viewer { accountId } }"}).json()
    assert anonymous["errors"][0]["message"].startswith("sign in to use 'viewer'")
    assert anonymous["errors"][0]["extensions"]["code"] == "unauthenticated" and "data" not in anonymous
    assert (
        post(platform, {"query": "{ about { name } }"}).json()["data"]["about"]["name"].startswith("Gongzhi")
    )
    expired = issue_token(principal, lifetime=timedelta(seconds=-1))
    answer = post(platform, {"query": "{ viewer { accountId } }"}, expired)
    assert answer.status_code == 401 and answer.json()["errors"][0]["extensions"]["code"] == "token_expired"
    forged = issue_token(principal, secret="another-key-of-at-least-32-bytes-long")
    answer = post(platform, {"query": "{ viewer { accountId } }"}, forged)
    assert answer.status_code == 401 and answer.json()["errors"][0]["extensions"]["code"] == "invalid_token"
    answer = post(platform, {"query": "{ viewer { accountId } }"}, issue_token(principal))
    assert answer.status_code == 401 and answer.json()["errors"][0]["extensions"]["code"] == "session_ended"
    signed_in = post(platform, {"query": "{ viewer { accountId } }"}, platform.token(principal)).json()
    assert signed_in["data"]["viewer"]["accountId"]


def test_a_field_outside_the_partys_view_does_not_exist_for_it(platform):
    organisation = Principal("a", PartyType.SOCIAL_ORGANISATION, "o")
    answer = post(
        platform, {"query": "{ meetings { edges { node { id } } } }"}, platform.token(organisation)
    ).json()
    assert "data" not in answer or answer["data"] is None
    assert "Cannot query field 'meetings'" in answer["errors"][0]["message"]


def test_a_global_id_of_another_type_reads_as_not_found(platform):
    owners = Principal("a", PartyType.OWNERS_COMMITTEE, "o", "d", "c", "k")
    answer = post(
        platform,
        {
            "query": 'mutation { submitAgendaItem(input: {meetingId: "UHJvamVjdDox", title: "x"}) '
            "{ agendaItem { id } errors { field code } } }"
        },
        platform.token(owners),
    ).json()
    assert answer["data"]["submitAgendaItem"] == {
        "agendaItem": None,
        "errors": [{"field": "meetingId", "code": "not_found"}],
    }


def test_the_graphiql_page_and_its_assets_are_served(platform):
    page = requests.get(platform.url, timeout=10)
    assert page.status_code == 200 and "graphiql.min.js" in page.text
    base = platform.url.rsplit("/", 1)[0]
    for asset in ("graphiql.min.js", "graphiql.min.css", "react.production.min.js"):
        assert requests.get(f"{base}/static/{asset}", timeout=10).status_code == 200
    assert requests.get(f"{base}/static/..%2Fservice.py", timeout=10).status_code == 404
