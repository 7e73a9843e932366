"""Authority that is not there cannot be used, through the real gateway: a team leader credits no
points to itself, and no more than the daily limit to a member; the residents' committee may."""

from __future__ import annotations

from gql import gql
from graphql_relay import to_global_id

from shared.identity import PartyType, Principal

COMMITTEE = Principal("-", PartyType.RESIDENTS_COMMITTEE, "rc-auth", "d-auth", "c-auth")
CREDIT = """mutation($i: CreditActivityPointsInput!) { creditActivityPoints(input: $i) {
    credit { points } errors { field code message } } }"""


def credit(client, volunteer: dict, bags: int, per_bag: int) -> dict:
    return client.execute(
        gql(CREDIT),
        variable_values={
            "i": {
                "volunteerId": to_global_id("Volunteer", volunteer["id"]),
                "activity": "bags of litter collected",
                "quantity": bags,
                "pointsPerUnit": per_bag,
            }
        },
    )["creditActivityPoints"]


def codes(payload: dict) -> list[tuple[str, str]]:
    return [(e["field"], e["code"]) for e in payload["errors"]]


def test_a_team_leader_neither_credits_itself_nor_more_than_the_limit(platform):
    volunteers = platform.rpc.volunteers
    leader, member = (volunteers.register_volunteer(COMMITTEE.to_dict(), {"name": n}) for n in ("Zhao", "Li"))
    volunteers.create_team(
        COMMITTEE.to_dict(),
        {"name": "Clean-up team", "leader_id": leader["id"], "member_ids": [member["id"]]},
    )
    as_leader = platform.client(Principal("-", PartyType.VOLUNTEER, leader["id"], "d-auth", "c-auth"))
    committee = platform.client(COMMITTEE)

    # The defect as found: 10,000 points to itself, redeemable.
    to_self = credit(as_leader, leader, 10, 1000)
    assert to_self["credit"] is None and codes(to_self) == [("volunteerId", "self_credit")]
    assert codes(credit(as_leader, leader, 1, 1)) == [("volunteerId", "self_credit")]

    large = credit(as_leader, member, 10, 1000)
    assert large["credit"] is None and codes(large) == [("quantity", "needs_committee")]
    assert "committee" in large["errors"][0]["message"]
    assert credit(as_leader, member, 3, 5) == {"credit": {"points": 15}, "errors": []}
    assert codes(credit(as_leader, member, 1, 90)) == [("quantity", "needs_committee")]  # 105 in a day

    assert credit(committee, member, 10, 1000) == {"credit": {"points": 10_000}, "errors": []}
    mine = as_leader.execute(gql("{ pointsAccount { balance } }"))
    assert mine["pointsAccount"]["balance"] == 0
    ledger = committee.execute(gql("{ pointsLedger { issued outstanding balanced } }"))["pointsLedger"]
    assert ledger == {"issued": 10_015, "outstanding": 10_015, "balanced": True}
