"""A purchased-service contract from the award to completion through the gateway, each step as
the party that does it: the purchaser sets the terms, the office approves, both sides sign, the
provider delivers, the purchaser rejects then accepts (a payment), an amendment comes into force,
residents evaluate, the contract completes with its assessment (which reaches matching), the
office reads the budget, and the contract's history is open data under the tender's ocid."""

from __future__ import annotations

from datetime import timedelta

import pytest
import requests
from gql import gql
from gql.transport.exceptions import TransportQueryError
from sqlalchemy import text

from deploy.seed import seed_directory
from shared.identity import PartyType
from tests import ocds_schema
from tests.e2e.moving_time import move_past, moving_clock  # noqa: F401 (the clock fixture)
from tests.helpers import wait_for

PROVIDER_FIELDS = """id status value signedBy approvedByOfficeAt periodEnd
  milestones { id title status share evidence { kind count } }
  payments { amount } amendments { id number status }
  evaluationSummary { count overall means { quality } }
  assessment { score grade } history { action toStatus partyType }"""
# Who evaluated is not in the provider's schema at all: the others also ask for the evaluations.
FIELDS = f"{PROVIDER_FIELDS} evaluations {{ period }}"
CONTRACT = f"contract {{ {FIELDS} }}"
PROVIDER_CONTRACT = f"contract {{ {PROVIDER_FIELDS} }}"
DECIDED = "milestone { status }"


def run(client, document: str, **variables) -> dict:
    return client.execute(gql(document), variable_values=variables)


def errors(payload: dict) -> list[tuple[str, str]]:
    return [(e["field"], e["code"]) for e in payload["errors"]]


def awarded_contract(platform, demo, clock) -> dict:
    """A tender run by the operators' RPC client, as in the tender test: award final at once, the
    clock moved past the bid deadline."""
    rpc, committee = platform.rpc, demo.principals[PartyType.RESIDENTS_COMMITTEE].to_dict()
    winner = demo.principals[PartyType.SOCIAL_ORGANISATION].to_dict()
    project = rpc.matching.create_project(
        committee,
        {
            "title": "Home care",
            "category": "elderly_care",
            "budget": "60000.00",
            "standstill_days": 0,
            "period_start": "2027-01-01",
            "period_end": "2027-12-31",
        },
    )
    deadline = clock.now() + timedelta(hours=1)
    rpc.matching.publish_project(
        committee, {"project_id": project["id"], "bid_deadline": deadline.isoformat()}
    )
    bid = rpc.matching.submit_bid(
        winner,
        {
            "project_id": project["id"],
            "price": "50000.00",
            "plan": "visits",
            "team": "two",
            "timeline": "weekly",
        },
    )
    move_past(clock, deadline)
    wait_for(
        "the bids opened",
        lambda: rpc.matching.get_projects(committee, [project["id"]])[0]["status"] == "evaluating",
    )
    rpc.matching.score_bid(
        committee, {"project_id": project["id"], "bid_id": bid["id"], "plan_quality": 80, "experience": 80}
    )
    rpc.matching.rank_bids(committee, {"project_id": project["id"]})
    rpc.matching.award_project(committee, {"project_id": project["id"], "bid_id": bid["id"]})
    return project


def test_a_contract_from_the_award_to_completion(platform, databases, monkeypatch, clock):
    monkeypatch.setenv("GONGZHI_APPROVAL_THRESHOLD", "40000.00")
    demo = seed_directory(platform.rpc)
    committee, provider, office, owners, rival = (
        platform.client(p)
        for p in (
            demo.principals[PartyType.RESIDENTS_COMMITTEE],
            demo.principals[PartyType.SOCIAL_ORGANISATION],
            demo.principals[PartyType.STREET_OFFICE],
            demo.principals[PartyType.OWNERS_COMMITTEE],
            demo.rival,
        )
    )
    project = awarded_contract(platform, demo, clock)
    listing = "{ contracts { edges { node { id } } } }"
    (edge,) = wait_for("the drafted contract", lambda: run(committee, listing)["contracts"]["edges"])
    contract_id = edge["node"]["id"]
    assert run(rival, listing)["contracts"]["edges"] == []
    compound = run(owners, "{ viewer { compound { id } } }")["viewer"]["compound"]["id"]

    def act(client, mutation: str, input_type: str, result: str, **given) -> dict:
        document = (
            f"mutation($i: {input_type}!) {{ {mutation}(input: $i) "
            f"{{ {result} errors {{ field code message }} }} }}"
        )
        return run(client, document, i={"contractId": contract_id, **given})[mutation]

    milestones = [
        {"title": "Visits begin", "dueOn": "2027-03-31", "criteria": "40 residents", "share": "30"},
        {"title": "Year end", "dueOn": "2027-12-31", "criteria": "final report", "share": "60"},
    ]
    terms = {
        "periodStart": "2027-01-01",
        "periodEnd": "2027-12-31",
        "deliverables": ["weekly visits"],
        "milestones": milestones,
        "compoundIds": [compound],
    }
    bad = act(committee, "setContractTerms", "SetContractTermsInput", CONTRACT, **terms)
    assert errors(bad) == [("milestones", "shares_not_100")]
    milestones[1]["share"] = "70"
    assert act(committee, "setContractTerms", "SetContractTermsInput", CONTRACT, **terms)["errors"] == []

    early = act(provider, "signContract", "ContractInput", PROVIDER_CONTRACT)
    assert errors(early) == [("contractId", "approval_required")]
    assert act(office, "approveContract", "ContractInput", CONTRACT)["errors"] == []
    act(provider, "signContract", "ContractInput", PROVIDER_CONTRACT)
    signed = act(committee, "signContract", "ContractInput", CONTRACT)["contract"]
    assert (signed["status"], signed["signedBy"]) == ("signed", ["provider", "purchaser"])
    assert act(committee, "activateContract", "ContractInput", CONTRACT)["contract"]["status"] == "active"

    first, second = signed["milestones"]
    evidence = [{"kind": "attendance", "count": 42, "note": "visit log"}]
    delivered = act(
        provider,
        "deliverMilestone",
        "DeliverMilestoneInput",
        DECIDED,
        milestoneId=first["id"],
        evidence=evidence,
    )
    assert delivered["milestone"]["status"] == "delivered"
    refused = act(committee, "rejectMilestone", "MilestoneDecisionInput", DECIDED, milestoneId=first["id"])
    assert errors(refused) == [("reason", "required")]
    act(
        committee,
        "rejectMilestone",
        "MilestoneDecisionInput",
        DECIDED,
        milestoneId=first["id"],
        reason="unsigned",
    )
    act(
        provider,
        "deliverMilestone",
        "DeliverMilestoneInput",
        DECIDED,
        milestoneId=first["id"],
        evidence=evidence,
    )
    accepted = act(committee, "acceptMilestone", "MilestoneDecisionInput", DECIDED, milestoneId=first["id"])
    assert accepted["milestone"]["status"] == "accepted"

    amendment = act(
        provider,
        "proposeAmendment",
        "ProposeAmendmentInput",
        "amendment { id number status }",
        rationale="winter visits",
        periodEnd="2028-03-31",
        milestones=[
            {**milestones[0], "key": "m1"},
            {**milestones[1], "key": "m2", "dueOn": "2028-03-31"},
        ],
    )["amendment"]
    assert amendment["status"] == "pending"

    def on_amendment(client, mutation):
        return run(
            client,
            f"mutation($i: AmendmentInput!) {{ {mutation}(input: $i) "
            "{ amendment { status } errors { code } } }",
            i={"contractId": contract_id, "amendmentId": amendment["id"]},
        )[mutation]

    assert on_amendment(office, "approveAmendment")["errors"] == []
    on_amendment(provider, "signAmendment")
    assert on_amendment(committee, "signAmendment")["amendment"]["status"] == "approved"

    evaluate = "evaluation { period } "
    scores = {"quality": 5, "timeliness": 4, "attitude": 5, "effect": 4}
    assert act(owners, "evaluateContract", "EvaluateContractInput", evaluate, scores=scores)["errors"] == []
    again = act(owners, "evaluateContract", "EvaluateContractInput", evaluate, scores=scores)
    assert errors(again) == [("contractId", "already_evaluated")]

    act(
        provider,
        "deliverMilestone",
        "DeliverMilestoneInput",
        DECIDED,
        milestoneId=second["id"],
        evidence=evidence,
    )
    act(committee, "acceptMilestone", "MilestoneDecisionInput", DECIDED, milestoneId=second["id"])
    completed = act(committee, "completeContract", "ContractInput", CONTRACT)["contract"]
    assert completed["status"] == "completed" and completed["periodEnd"] == "2028-03-31"
    assert [p["amount"] for p in completed["payments"]] == ["15000.00", "35000.00"]
    assert completed["assessment"] == {"score": 93.8, "grade": "excellent"}
    assert [s["action"] for s in completed["history"]][:4] == [
        "approved",
        "signed by the provider",
        "signed by the purchaser",
        "activated",
    ]

    seen = run(
        provider,
        f"query($id: ID!) {{ node(id: $id) {{ ... on Contract {{ {PROVIDER_FIELDS} }} }} }}",
        id=contract_id,
    )
    assert seen["node"]["evaluationSummary"]["count"] == 1, "how many, never who"
    with pytest.raises(TransportQueryError, match="Cannot query field 'evaluations'"):
        run(
            provider,
            "query($id: ID!) { node(id: $id) { ... on Contract { evaluations { period } } } }",
            id=contract_id,
        )

    (line,) = run(office, "{ budget { year committed paid remaining community { name } } }")["budget"]
    assert line["community"]["name"].endswith("Heping Community")
    assert (line["year"], line["committed"], line["paid"], line["remaining"]) == (
        2027,
        "50000.00",
        "50000.00",
        "0.00",
    )

    # The final assessment reached matching as the organisation's reputation.
    def reputation():
        with databases["matching"].connect() as connection:
            return connection.execute(text("SELECT score FROM assessment")).scalars().all()

    assert [str(s) for s in wait_for("the assessment in matching", reputation)] == ["93.80"]

    base = platform.url.removesuffix("/graphql")
    records = requests.get(f"{base}/ocds/records?ocid={project['ocid']}", timeout=10).json()
    (record,) = records["records"]
    assert [r["tag"] for r in record["releases"]] == [
        ["planning", "tender"],
        ["tenderUpdate"],
        ["award"],
        ["awardUpdate"],
        ["contract"],
        ["contractUpdate"],
        ["implementation"],
        ["contractAmendment"],
        ["implementation"],
        ["contractTermination"],
    ]
    compiled = record["compiledRelease"]
    (contract,) = compiled["contracts"]
    assert (contract["status"], compiled["awards"][0]["id"] == contract["awardID"]) == ("terminated", True)
    assert [t["value"]["amount"] for t in contract["implementation"]["transactions"]] == [15000, 35000]
    ocds_schema.require_schema()
    ocds_schema.validate_record_package(records)
    ocds_schema.validate_release_package(requests.get(f"{base}/ocds/releases", timeout=10).json())
