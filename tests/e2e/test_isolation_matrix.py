"""The isolation matrix: for every query and mutation of every party's schema, a party of another
community and a party of another type try it against community A's records. All fail, and nothing
of A's — no id, no name, no count — appears in any answer."""

from __future__ import annotations

import json
import time

import pytest
import requests

from deploy.seed import seed, seed_directory
from gateway.schema.parties import SCHEMAS
from shared.identity import PartyType, Principal

NODE_TYPES_OF = {
    "Meeting": "meetings",
    "Project": "projects",
    "Contract": "contracts",
    "Volunteer": "volunteers",
}


def ask(platform, token, query, variables=None):
    """One request, waiting as asked when the party's rate limit is reached (the matrix is fast)."""
    while True:
        answer = requests.post(
            platform.url,
            json={"query": query, "variables": variables or {}},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        if answer.status_code != 429:
            break
        time.sleep(answer.json()["errors"][0]["extensions"]["retryAfter"])
    assert answer.status_code == 200, answer.text
    return answer.json()


@pytest.fixture
def world(platform):
    """Community A with the demo's whole history; community B (another district) with all its parties."""
    a = {PartyType(p): Principal.from_dict(d) for p, d in seed(platform.rpc).items()}
    b = seed_directory(platform.rpc, serial=2).principals
    tokens_a = {party: platform.token(p) for party, p in a.items()}
    tokens_b = {party: platform.token(p) for party, p in b.items()}
    committee_a = tokens_a[PartyType.RESIDENTS_COMMITTEE]
    seen = ask(
        platform,
        committee_a,
        """{
      meetings(first: 10) { edges { node { id title agenda(first: 5) { edges { node { id title } } }
        resolutions(first: 5) { edges { node { id title } } } } } }
      meetingSeries { edges { node { id title } } }
      schedulingPolls { edges { node { id title } } }
      listEntries { edges { node { id title claims { edges { node { id } } } } } }
      actionItems { edges { node { id title owner { id } } } }
      projects { edges { node { id title status bids(first: 5) { edges { node { id } } } } } }
      contracts { edges { node { id title milestones { id } amendments { id number } } } }
      volunteers { edges { node { id name } } }
      serviceRequests { edges { node { id title } } }
      teams { edges { node { id } } }
      buildings { edges { node { id } } }
      rewards { edges { node { id } } }
      offers { edges { node { id } } }
      shifts { edges { node { id } } }
      viewer { community { id name } }
    }""",
    )["data"]
    compound = ask(platform, tokens_a[PartyType.OWNERS_COMMITTEE], "{ viewer { compound { id } } }")["data"]
    complaints = ask(
        platform, tokens_a[PartyType.STREET_OFFICE], "{ complaints { edges { node { id project { id } } } } }"
    )["data"]["complaints"]["edges"]
    filings = ask(
        platform, tokens_a[PartyType.STREET_OFFICE], "{ organisationFilings { edges { node { id name } } } }"
    )["data"]["organisationFilings"]["edges"]
    ids = {
        key: [e["node"]["id"] for e in seen[key]["edges"]]
        for key in (
            "meetings",
            "projects",
            "contracts",
            "volunteers",
            "serviceRequests",
            "meetingSeries",
            "actionItems",
            "schedulingPolls",
            "listEntries",
            "teams",
            "buildings",
            "rewards",
            "offers",
            "shifts",
        )
    }
    open_project = next(
        e["node"]["id"] for e in seen["projects"]["edges"] if e["node"]["status"] == "published"
    )
    awarded = next(e["node"] for e in seen["projects"]["edges"] if e["node"]["status"] == "awarded")
    secrets = {
        *(i for group in ids.values() for i in group),
        *(
            e["node"]["title"]
            for key in (
                "meetings",
                "projects",
                "contracts",
                "serviceRequests",
                "meetingSeries",
                "actionItems",
                "schedulingPolls",
                "listEntries",
            )
            for e in seen[key]["edges"]
        ),
        *(e["node"]["name"] for e in seen["volunteers"]["edges"]),
        seen["viewer"]["community"]["name"],
        a[PartyType.RESIDENTS_COMMITTEE].community_id,
    }
    return {
        "a": tokens_a,
        "b": tokens_b,
        "ids": ids,
        "open_project": open_project,
        "awarded_bid": awarded["bids"]["edges"][0]["node"]["id"],
        "awarded_project": awarded["id"],
        "compound": compound["viewer"]["compound"],
        "filing": filings[0]["node"]["id"],
        "complaint": complaints[0]["node"]["id"],
        "milestone": seen["contracts"]["edges"][0]["node"]["milestones"][0]["id"],
        "amendment": next(
            a["id"] for a in seen["contracts"]["edges"][0]["node"]["amendments"] if a["number"] > 0
        ),
        "standstill_project": complaints[0]["node"]["project"]["id"],
        "claim": next(
            c["node"]["id"] for e in seen["listEntries"]["edges"] for c in e["node"]["claims"]["edges"]
        ),
        "resolution": next(
            r["node"]["id"] for m in seen["meetings"]["edges"] for r in m["node"]["resolutions"]["edges"]
        ),
        "action_item": seen["actionItems"]["edges"][0]["node"]["id"],
        "agenda_item": next(
            a["node"]["id"] for m in seen["meetings"]["edges"] for a in m["node"]["agenda"]["edges"]
        ),
        "owner": seen["actionItems"]["edges"][0]["node"]["owner"]["id"],
        "secrets": secrets,
        "committee_a": committee_a,
    }


def assert_no_leak(answer: dict, secrets: set[str], where: str) -> None:
    text = json.dumps(answer, ensure_ascii=False)
    leaked = sorted(s for s in secrets if s and s in text)
    assert not leaked, f"{where} leaked {leaked}"


def not_in_schema(answer: dict, name: str) -> bool:
    """The schema has no such mutation (or not even its input type): a validation error, no data."""
    messages = " ".join(e["message"] for e in answer.get("errors", []))
    return answer.get("data") is None and (
        f"Cannot query field '{name}'" in messages or "Unknown type" in messages
    )


def mutation_attempts(world) -> dict[str, tuple[str, dict]]:
    """For each mutation that names a record: an attempt on community A's records."""
    ids = world["ids"]
    meeting, item = ids["meetings"][0], world["action_item"]

    def on_item(name: str) -> tuple[str, dict]:
        document = (
            f"mutation($i: ActionItemProgressInput!) {{ {name}(input: $i) "
            "{ actionItem { id } errors { field code message } } }"
        )
        return document, {"actionItemId": item, "note": "x", "evidence": "x"}

    agenda_item, poll, filing = world["agenda_item"], ids["schedulingPolls"][0], world["filing"]
    entry, claim = ids["listEntries"][0], world["claim"]

    def on_claim(name: str) -> tuple[str, dict]:
        extra = {"note": "x", "completed": True} if name == "recordDelivery" else {}
        return (
            f"mutation($i: {'RecordDeliveryInput' if extra else 'ClaimDecisionInput'}!) {{ {name}(input: $i) "
            "{ claim { id } errors { field code message } } }",
            {"claimId": claim, **extra},
        )

    contract = ids["contracts"][0]

    def on_contract(name: str, input_type: str, result: str, **given) -> tuple[str, dict]:
        return (
            f"mutation($i: {input_type}!) {{ {name}(input: $i) "
            f"{{ {result} {{ id }} errors {{ field code message }} }} }}",
            {"contractId": contract, **given},
        )

    milestone, amendment = {"milestoneId": world["milestone"]}, {"amendmentId": world["amendment"]}
    contract_attempts = {
        "setContractTerms": on_contract(
            "setContractTerms",
            "SetContractTermsInput",
            "contract",
            periodStart="2099-01-01",
            periodEnd="2099-12-31",
            deliverables=["x"],
            milestones=[{"title": "x", "dueOn": "2099-06-30", "criteria": "x", "share": "100"}],
        ),
        **{
            name: on_contract(name, "ContractInput", "contract")
            for name in ("approveContract", "signContract", "activateContract", "completeContract")
        },
        "terminateContract": on_contract(
            "terminateContract", "TerminateContractInput", "contract", reason="x"
        ),
        "deliverMilestone": on_contract(
            "deliverMilestone", "DeliverMilestoneInput", "milestone", **milestone, evidence=[{"kind": "note"}]
        ),
        "acceptMilestone": on_contract("acceptMilestone", "MilestoneDecisionInput", "milestone", **milestone),
        "rejectMilestone": on_contract(
            "rejectMilestone", "MilestoneDecisionInput", "milestone", **milestone, reason="x"
        ),
        "proposeAmendment": on_contract(
            "proposeAmendment", "ProposeAmendmentInput", "amendment", rationale="x", periodEnd="2099-12-31"
        ),
        "approveAmendment": on_contract("approveAmendment", "AmendmentInput", "amendment", **amendment),
        "signAmendment": on_contract("signAmendment", "AmendmentInput", "amendment", **amendment),
        "rejectAmendment": on_contract(
            "rejectAmendment", "RejectAmendmentInput", "amendment", **amendment, reason="x"
        ),
        "evaluateContract": on_contract(
            "evaluateContract",
            "EvaluateContractInput",
            "evaluation",
            scores={"quality": 1, "timeliness": 1, "attitude": 1, "effect": 1},
        ),
    }
    return {
        **contract_attempts,
        "withdrawBid": (
            "mutation($i: WithdrawBidInput!) { withdrawBid(input: $i) "
            "{ bid { id } errors { field code message } } }",
            {"projectId": world["open_project"]},
        ),
        "changeProjectTerms": (
            "mutation($i: ChangeProjectTermsInput!) { changeProjectTerms(input: $i) "
            "{ project { id } errors { field code message } } }",
            {"projectId": world["open_project"], "budget": "1.00"},
        ),
        "claimEntry": (
            "mutation($i: ClaimEntryInput!) { claimEntry(input: $i) "
            "{ claim { id } errors { field code message } } }",
            {"entryId": entry},
        ),
        "confirmClaim": on_claim("confirmClaim"),
        "declineClaim": on_claim("declineClaim"),
        "recordDelivery": on_claim("recordDelivery"),
        "reviewFiling": (
            "mutation($i: ReviewFilingInput!) { reviewFiling(input: $i) "
            "{ filing { id } errors { field code message } } }",
            {"organisationId": filing, "decision": "REJECT", "reason": "x"},
        ),
        "suspendOrganisation": (
            "mutation($i: SuspensionInput!) { suspendOrganisation(input: $i) "
            "{ filing { id } errors { field code message } } }",
            {"organisationId": filing, "reason": "x"},
        ),
        "reinstateOrganisation": (
            "mutation($i: SuspensionInput!) { reinstateOrganisation(input: $i) "
            "{ filing { id } errors { field code message } } }",
            {"organisationId": filing, "reason": "x"},
        ),
        "stateAvailability": (
            "mutation($i: StateAvailabilityInput!) { stateAvailability(input: $i) "
            "{ poll { id } errors { field code message } } }",
            {"pollId": poll, "busy": []},
        ),
        "confirmMeetingTime": (
            "mutation($i: ConfirmMeetingTimeInput!) { confirmMeetingTime(input: $i) "
            "{ meeting { id } errors { field code message } } }",
            {"pollId": poll, "startsAt": "2099-01-01T10:00:00+08:00"},
        ),
        "orderAgenda": (
            "mutation($i: OrderAgendaInput!) { orderAgenda(input: $i) "
            "{ agenda { id } errors { field code message } } }",
            {"meetingId": meeting, "itemIds": [agenda_item]},
        ),
        "acceptAgendaItem": (
            "mutation($i: AgendaItemDecisionInput!) { acceptAgendaItem(input: $i) "
            "{ agendaItem { id } errors { field code message } } }",
            {"agendaItemId": agenda_item},
        ),
        "deferAgendaItem": (
            "mutation($i: AgendaItemDecisionInput!) { deferAgendaItem(input: $i) "
            "{ agendaItem { id } errors { field code message } } }",
            {"agendaItemId": agenda_item},
        ),
        "writeMinutes": (
            "mutation($i: WriteMinutesInput!) { writeMinutes(input: $i) "
            "{ minutes { status } errors { field code message } } }",
            {"meetingId": meeting, "notes": "x", "summary": "x"},
        ),
        "signMinutesOff": (
            "mutation($i: SignMinutesInput!) { signMinutesOff(input: $i) "
            "{ minutes { status } errors { field code message } } }",
            {"meetingId": meeting},
        ),
        "askMinutesCorrection": (
            "mutation($i: SignMinutesInput!) { askMinutesCorrection(input: $i) "
            "{ minutes { status } errors { field code message } } }",
            {"meetingId": meeting, "note": "x"},
        ),
        "signInToMeeting": (
            "mutation($i: SignInToMeetingInput!) { signInToMeeting(input: $i) "
            "{ attendance { delegate } errors { field code message } } }",
            {"meetingId": meeting, "delegate": "x"},
        ),
        "takePosition": (
            "mutation($i: TakePositionInput!) { takePosition(input: $i) "
            "{ resolution { id } errors { field code message } } }",
            {"resolutionId": world["resolution"], "stance": "OBJECT"},
        ),
        "assignActionItem": (
            "mutation($i: AssignActionItemInput!) { assignActionItem(input: $i) "
            "{ actionItem { id } errors { field code message } } }",
            {
                "resolutionId": world["resolution"],
                "ownerId": world["owner"],
                "title": "x",
                "dueAt": "2099-01-01T00:00:00+08:00",
            },
        ),
        "reportActionItemProgress": on_item("reportActionItemProgress"),
        "completeActionItem": on_item("completeActionItem"),
        "confirmActionItem": on_item("confirmActionItem"),
        "reopenActionItem": on_item("reopenActionItem"),
        "rescheduleMeeting": (
            "mutation($i: RescheduleMeetingInput!) { rescheduleMeeting(input: $i) "
            "{ meeting { id } errors { field code message } } }",
            {
                "meetingId": meeting,
                "startsAt": "2099-01-01T10:00:00+08:00",
                "endsAt": "2099-01-01T11:00:00+08:00",
            },
        ),
        "cancelMeeting": (
            "mutation($i: CancelMeetingInput!) { cancelMeeting(input: $i) "
            "{ meeting { id } errors { field code message } } }",
            {"meetingId": meeting, "reason": "x"},
        ),
        "submitAgendaItem": (
            "mutation($i: SubmitAgendaItemInput!) { submitAgendaItem(input: $i) "
            "{ agendaItem { id } errors { field code message } } }",
            {"meetingId": ids["meetings"][0], "title": "x"},
        ),
        "recordResolution": (
            "mutation($i: RecordResolutionInput!) { recordResolution(input: $i) "
            "{ resolution { id } errors { field code message } } }",
            {"meetingId": ids["meetings"][0], "title": "x", "text": "x", "decisionType": "OTHER"},
        ),
        "publishProject": (
            "mutation($i: PublishProjectInput!) { publishProject(input: $i) "
            "{ project { id } errors { field code message } } }",
            {"projectId": world["open_project"], "bidDeadline": "2099-01-01T00:00:00+08:00"},
        ),
        "awardProject": (
            "mutation($i: AwardProjectInput!) { awardProject(input: $i) "
            "{ award { value } errors { field code message } } }",
            {"projectId": world["awarded_project"], "bidId": world["awarded_bid"]},
        ),
        "submitBid": (
            "mutation($i: SubmitBidInput!) { submitBid(input: $i) "
            "{ bid { id } errors { field code message } } }",
            {"projectId": world["open_project"], "price": "1.00", "plan": "x", "team": "x", "timeline": "x"},
        ),
        "declareConflict": (
            "mutation($i: DeclareConflictInput!) { declareConflict(input: $i) "
            "{ evaluation { id } errors { field code message } } }",
            {"projectId": world["awarded_project"], "bidId": world["awarded_bid"], "note": "x"},
        ),
        "scoreBid": (
            "mutation($i: ScoreBidInput!) { scoreBid(input: $i) "
            "{ evaluation { id } errors { field code message } } }",
            {
                "projectId": world["awarded_project"],
                "bidId": world["awarded_bid"],
                "planQuality": 1,
                "experience": 1,
            },
        ),
        "rankBids": (
            "mutation($i: ProjectInput!) { rankBids(input: $i) "
            "{ project { id } errors { field code message } } }",
            {"projectId": world["open_project"]},
        ),
        "cancelProject": (
            "mutation($i: CancelProjectInput!) { cancelProject(input: $i) "
            "{ project { id } errors { field code message } } }",
            {"projectId": world["open_project"], "reason": "x"},
        ),
        "fileComplaint": (
            "mutation($i: FileComplaintInput!) { fileComplaint(input: $i) "
            "{ complaint { id } errors { field code message } } }",
            {"projectId": world["standstill_project"], "grounds": "x"},
        ),
        "upholdComplaint": (
            "mutation($i: ResolveComplaintInput!) { upholdComplaint(input: $i) "
            "{ complaint { id } errors { field code message } } }",
            {"complaintId": world["complaint"], "resolution": "x"},
        ),
        "dismissComplaint": (
            "mutation($i: ResolveComplaintInput!) { dismissComplaint(input: $i) "
            "{ complaint { id } errors { field code message } } }",
            {"complaintId": world["complaint"], "resolution": "x"},
        ),
        "assignVolunteer": (
            "mutation($i: AssignVolunteerInput!) { assignVolunteer(input: $i) "
            "{ offer { id } errors { field code message } } }",
            {"requestId": ids["serviceRequests"][0], "volunteerId": ids["volunteers"][0]},
        ),
        **volunteer_attempts(ids),
        "scheduleMeeting": (
            "mutation($i: ScheduleMeetingInput!) { scheduleMeeting(input: $i) "
            "{ meeting { id } errors { field code message } } }",
            {
                "title": "x",
                "location": "x",
                "startsAt": "2099-01-01T10:00:00+08:00",
                "endsAt": "2099-01-01T11:00:00+08:00",
                "compoundId": world["compound"]["id"],
            },
        ),
    }


def volunteer_attempts(ids) -> dict[str, tuple[str, dict]]:
    """Volunteer dispatch: each mutation on a volunteer, team, offer, shift or reward of A's."""
    volunteer, team, offer, shift = ids["volunteers"][0], ids["teams"][0], ids["offers"][0], ids["shifts"][0]

    def attempt(name: str, input_type: str, result: str, variables: dict) -> tuple[str, dict]:
        return (
            f"mutation($i: {input_type}!) {{ {name}(input: $i) {{ {result} {{ __typename }} "
            "errors { field code message } } }",
            variables,
        )

    return {
        "updateVolunteer": attempt(
            "updateVolunteer", "UpdateVolunteerInput", "volunteer", {"volunteerId": volunteer}
        ),
        "createTeam": attempt("createTeam", "CreateTeamInput", "team", {"name": "x", "leaderId": volunteer}),
        "updateTeam": attempt("updateTeam", "UpdateTeamInput", "team", {"teamId": team, "name": "x"}),
        "openServiceRequest": attempt(
            "openServiceRequest",
            "OpenServiceRequestInput",
            "serviceRequest",
            {
                "title": "x",
                "skills": [{"skill": "x"}],
                "places": 1,
                "startsAt": "2099-01-01T10:00:00+08:00",
                "endsAt": "2099-01-01T11:00:00+08:00",
                "location": "x",
                "teamId": team,
                "buildingId": ids["buildings"][0],
            },
        ),
        "dispatchVolunteers": attempt(
            "dispatchVolunteers", "DispatchVolunteersInput", "dispatchRound", {"teamId": team}
        ),
        "acceptOffer": attempt("acceptOffer", "OfferInput", "shift", {"offerId": offer}),
        "declineOffer": attempt("declineOffer", "DeclineOfferInput", "offer", {"offerId": offer}),
        "checkIn": attempt("checkIn", "ShiftInput", "shift", {"shiftId": shift}),
        "checkOut": attempt("checkOut", "ShiftInput", "shift", {"shiftId": shift}),
        "approveHours": attempt("approveHours", "ApproveHoursInput", "shift", {"shiftId": shift}),
        "creditActivityPoints": attempt(
            "creditActivityPoints",
            "CreditActivityPointsInput",
            "credit",
            {"volunteerId": volunteer, "activity": "x", "quantity": 1, "pointsPerUnit": 1},
        ),
        "redeemReward": attempt(
            "redeemReward", "RedeemRewardInput", "redemption", {"rewardId": ids["rewards"][0]}
        ),
        "restockReward": attempt(
            "restockReward", "RestockRewardInput", "reward", {"rewardId": ids["rewards"][0], "quantity": 1}
        ),
        "cancelServiceRequest": attempt(
            "cancelServiceRequest",
            "CancelServiceRequestInput",
            "serviceRequest",
            {"requestId": ids["serviceRequests"][0], "reason": "x"},
        ),
    }


def test_no_party_reaches_another_communitys_records(platform, world):
    secrets, attempts = world["secrets"], mutation_attempts(world)
    state_before = ask(
        platform,
        world["committee_a"],
        "{ projects { edges { node { status bids { edges { node { id } } } } } } }",
    )

    for party, schema in SCHEMAS.items():
        query_fields = schema.graphql_schema.query_type.fields
        mutation_fields = (
            schema.graphql_schema.mutation_type.fields if schema.graphql_schema.mutation_type else {}
        )
        outsider = world["b"][party]

        # Every list of the same party type in another community: nothing of A's.
        for field, definition in query_fields.items():
            if field in ("viewer", "node", "auditLog") or "first" not in definition.args:
                continue
            answer = ask(platform, outsider, f"{{ {field} {{ edges {{ node {{ id }} }} }} }}")
            assert "errors" not in answer, (party, field, answer)
            assert_no_leak(answer, secrets, f"{party} {field}")

        # Every global ID of A's, asked for directly: null, as for an ID that does not exist.
        for node_id in (i for group in world["ids"].values() for i in group):
            answer = ask(platform, outsider, "query($id: ID!) { node(id: $id) { id } }", {"id": node_id})
            assert answer == {"data": {"node": None}}, (party, node_id, answer)

        # Every mutation on A's records: by the same type elsewhere it is refused as not found;
        # by another type it does not even exist in its schema.
        for name, (document, variables) in attempts.items():
            answer = ask(platform, outsider, document, {"i": variables})
            if name in mutation_fields:
                payload = answer["data"][name]
                codes = {e["code"] for e in payload["errors"]}
                assert codes and codes <= {"not_found", "permission_denied"}, (party, name, payload)
                assert_no_leak(answer, secrets, f"{party} {name}")
            else:
                assert not_in_schema(answer, name), (party, name, answer)

    for party in PartyType:  # A's own parties of the wrong type, against A's own records
        schema = SCHEMAS[party].graphql_schema
        for name, (document, variables) in attempts.items():
            if schema.mutation_type and name in schema.mutation_type.fields:
                continue
            answer = ask(platform, world["a"][party], document, {"i": variables})
            assert not_in_schema(answer, name), (party, name, answer)

    assert (
        ask(
            platform,
            world["committee_a"],
            "{ projects { edges { node { status bids { edges { node { id } } } } } } }",
        )
        == state_before
    ), "nothing of A's changed"


def test_a_node_the_party_may_see_is_found(platform, world):
    committee = world["a"][PartyType.RESIDENTS_COMMITTEE]
    for key, type_name in (
        ("meetings", "Meeting"),
        ("projects", "Project"),
        ("contracts", "Contract"),
        ("volunteers", "Volunteer"),
        ("serviceRequests", "ServiceRequest"),
        ("teams", "Team"),
        ("buildings", "Building"),
        ("rewards", "Reward"),
    ):
        node_id = world["ids"][key][0]
        answer = ask(
            platform, committee, "query($id: ID!) { node(id: $id) { id __typename } }", {"id": node_id}
        )
        assert answer["data"]["node"] == {"id": node_id, "__typename": type_name}
