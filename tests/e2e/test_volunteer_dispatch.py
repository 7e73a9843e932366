"""Volunteer dispatch through the gateway, each party with its own client: the committee registers and
dispatches, a volunteer declines and the next best accepts, checks in and out, the committee approves
the hours, points are credited and spent on eggs, the shift is in the volunteer's calendar and
``shift.completed`` is published; the owners' committee raises and follows its compound's request."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import requests
from gql import gql
from sqlalchemy import select

from deploy.seed import seed_directory
from services.volunteers.models import Base, OutboxRecord
from shared.identity import PartyType, Principal
from tests.conftest import unit_of_work
from tests.helpers import wait_for

ERRORS = "errors { field code message }"


def run(client, document: str, **variables) -> dict:
    return client.execute(gql(document), variable_values=variables)


def ok(answer: dict, name: str) -> dict:
    payload = answer[name]
    assert payload["errors"] == [], payload
    return payload


def test_a_request_from_dispatch_to_points_through_each_partys_view(platform, databases):
    directory = seed_directory(platform.rpc, serial=7)
    committee = platform.client(directory.principals[PartyType.RESIDENTS_COMMITTEE])
    owners = platform.client(directory.principals[PartyType.OWNERS_COMMITTEE])
    wang_principal = directory.principals[PartyType.VOLUNTEER]
    wang = platform.client(wang_principal)
    centre = next(
        e["node"]
        for e in run(committee, "{ buildings { edges { node { id name } } } }")["buildings"]["edges"]
        if e["node"]["name"].startswith("社区服务中心")
    )

    bad = run(
        committee,
        f"""mutation($i: RegisterVolunteerInput!) {{ registerVolunteer(input: $i) {{"""
        f""" volunteer {{ id }} {ERRORS} }} }}""",
        i={"name": "Chen", "availability": [{"weekday": 9, "starts": "08:00", "ends": "12:00"}]},
    )["registerVolunteer"]
    assert bad["volunteer"] is None and [e["field"] for e in bad["errors"]] == ["availability.0.weekday"]
    chen = ok(
        run(
            committee,
            f"""mutation($i: RegisterVolunteerInput!) {{ registerVolunteer(input: $i) {{
                volunteer {{ id name skills {{ skill level }} building {{ name }} }} {ERRORS} }} }}""",
            i={
                "name": "陈刚 Chen Gang",
                "buildingId": centre["id"],
                "skills": [{"skill": "cleaning", "level": 2}],
                "availability": [{"weekday": d, "starts": "00:00", "ends": "00:00"} for d in range(7)],
            },
        ),
        "registerVolunteer",
    )["volunteer"]
    assert (
        chen["skills"] == [{"skill": "cleaning", "level": 2}] and chen["building"]["name"] == centre["name"]
    )

    starts = datetime.now(timezone.utc) + timedelta(minutes=20)
    opened = ok(
        run(
            committee,
            f"""mutation($i: OpenServiceRequestInput!) {{ openServiceRequest(input: $i) {{
                serviceRequest {{ id status }} {ERRORS} }} }}""",
            i={
                "title": "Clean-up",
                "category": "CLEAN_UP",
                "skills": [{"skill": "cleaning"}],
                "places": 1,
                "startsAt": starts.isoformat(),
                "endsAt": (starts + timedelta(hours=1)).isoformat(),
                "location": "Community centre",
                "buildingId": centre["id"],
            },
        ),
        "openServiceRequest",
    )["serviceRequest"]
    advice = ok(
        run(
            committee,
            f"""mutation($i: OpenServiceRequestInput!) {{ openServiceRequest(input: $i) {{
                serviceRequest {{ id }} {ERRORS} }} }}""",
            i={
                "title": "Legal clinic",
                "skills": [{"skill": "legal_advice", "level": 5}],
                "places": 1,
                "startsAt": (starts + timedelta(days=1)).isoformat(),
                "endsAt": (starts + timedelta(days=1, hours=2)).isoformat(),
                "location": "Community centre",
            },
        ),
        "openServiceRequest",
    )["serviceRequest"]

    dispatched = ok(
        run(
            committee,
            f"""mutation {{ dispatchVolunteers(input: {{}}) {{ dispatchRound {{
                offers {{ id volunteerName explanation request {{ id }} }}
                unfilledPlaces {{ request {{ id }} reason }} }} {ERRORS} }} }}""",
        ),
        "dispatchVolunteers",
    )["dispatchRound"]
    (offer,) = [o for o in dispatched["offers"] if o["request"]["id"] == opened["id"]]
    # Chen lives at the centre: the nearest, though one level above the need.
    assert (
        offer["volunteerName"] == "陈刚 Chen Gang"
        and f"0 m from building {centre['name']}" in offer["explanation"]
    )
    (unfilled,) = dispatched["unfilledPlaces"]
    assert (
        unfilled["request"]["id"] == advice["id"]
        and "lacked skill 'legal_advice' level ≥ 5" in unfilled["reason"]
    )

    chen_client = platform.client(
        Principal(
            "acct-chen",
            PartyType.VOLUNTEER,
            json_id(chen["id"]),
            wang_principal.district_id,
            wang_principal.community_id,
        )
    )
    declined = ok(
        run(
            chen_client,
            f"""mutation($i: DeclineOfferInput!) {{ declineOffer(input: $i) {{"""
            f""" offer {{ status }} {ERRORS} }} }}""",
            i={"offerId": offer["id"], "reason": "away that morning"},
        ),
        "declineOffer",
    )
    assert declined["offer"]["status"] == "declined"
    (next_best,) = run(
        wang, '{ offers(filter: {status: "offered"}) { edges { node { id respondBy request { title } } } } }'
    )["offers"]["edges"]
    assert next_best["node"]["request"]["title"] == "Clean-up"
    shift = ok(
        run(
            wang,
            f"""mutation($i: OfferInput!) {{ acceptOffer(input: $i) {{"""
            f""" shift {{ id status }} {ERRORS} }} }}""",
            i={"offerId": next_best["node"]["id"]},
        ),
        "acceptOffer",
    )["shift"]
    assert shift["status"] == "booked"
    for step in ("checkIn", "checkOut"):
        ok(
            run(
                wang,
                f"""mutation($i: ShiftInput!) {{ {step}(input: $i) {{ shift {{ status }} {ERRORS} }} }}""",
                i={"shiftId": shift["id"]},
            ),
            step,
        )
    approved = ok(
        run(
            committee,
            f"""mutation($i: ApproveHoursInput!) {{ approveHours(input: $i) {{
                shift {{ status approvedHours points }} {ERRORS} }} }}""",
            i={"shiftId": shift["id"], "approvedMinutes": 60},
        ),
        "approveHours",
    )["shift"]
    assert approved == {"status": "approved", "approvedHours": 1.0, "points": 10}
    ok(
        run(
            committee,
            f"""mutation($i: CreditActivityPointsInput!) {{ creditActivityPoints(input: $i) {{
                credit {{ points }} {ERRORS} }} }}""",
            i={
                "volunteerId": next_best_volunteer(committee, opened["id"]),
                "activity": "bags of litter",
                "quantity": 3,
                "pointsPerUnit": 5,
            },
        ),
        "creditActivityPoints",
    )
    eggs = ok(
        run(
            committee,
            f"""mutation($i: AddRewardInput!) {{ addReward(input: $i) {{ reward {{ id }} {ERRORS} }} }}""",
            i={"name": "Ten eggs", "kind": "EGGS", "points": 20, "stock": 5},
        ),
        "addReward",
    )["reward"]
    ok(
        run(
            wang,
            f"""mutation($i: RedeemRewardInput!) {{ redeemReward(input: $i) {{"""
            f""" redemption {{ points }} {ERRORS} }} }}""",
            i={"rewardId": eggs["id"]},
        ),
        "redeemReward",
    )
    refused = run(
        wang,
        f"""mutation($i: RedeemRewardInput!) {{ redeemReward(input: $i) {{"""
        f""" redemption {{ points }} {ERRORS} }} }}""",
        i={"rewardId": eggs["id"]},
    )["redeemReward"]
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [("quantity", "insufficient_points")]

    mine = run(
        wang,
        """{ pointsAccount { balance entries { edges { node { amount kind } } } }
        rewards { edges { node { stock } } } }""",
    )
    calendar_url = run(wang, "mutation { rotateCalendarKey { calendarUrl errors { code } } }")[
        "rotateCalendarKey"
    ]["calendarUrl"]
    assert mine["pointsAccount"]["balance"] == 5
    assert sorted(e["node"]["amount"] for e in mine["pointsAccount"]["entries"]["edges"]) == [-20, 10, 15]
    assert mine["rewards"]["edges"][0]["node"]["stock"] == 4
    feed = requests.get(calendar_url, timeout=10)
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("text/calendar")
    assert f"UID:shift-{json_id(shift['id'])}@gongzhi" in feed.text and "SUMMARY:Clean-up" in feed.text
    ledger = run(committee, "{ pointsLedger { issued redeemed outstanding balanced } }")["pointsLedger"]
    assert ledger["balanced"] and ledger["redeemed"] == 20
    hours = run(committee, "{ volunteerHours(groupBy: CATEGORY) { key hours shifts } }")["volunteerHours"]
    assert {"key": "clean_up", "hours": 1.0, "shifts": 1} in hours

    def published() -> list[dict]:
        with unit_of_work(databases["volunteers"], Base.metadata) as uow:
            rows = uow.session.scalars(
                select(OutboxRecord).where(
                    OutboxRecord.event_type == "shift.completed", OutboxRecord.sent_at.is_not(None)
                )
            )
            return [json.loads(r.payload)["data"] for r in rows]

    (completed,) = wait_for("shift.completed to be published", published)
    assert completed["shift_id"] == json_id(shift["id"]) and completed["hours"] == "1.00"

    # The owners' committee raises a request for its compound and follows it; the volunteer does not see it.
    building = ok(
        run(
            owners,
            f"""mutation($i: AddBuildingInput!) {{ addBuilding(input: $i) {{"""
            f""" building {{ id compound {{ id }} }} {ERRORS} }} }}""",
            i={"name": "Lakeside 9", "x": 300.0, "y": 50.0},
        ),
        "addBuilding",
    )["building"]
    assert building["compound"] is not None
    raised = ok(
        run(
            owners,
            f"""mutation($i: OpenServiceRequestInput!) {{ openServiceRequest(input: $i) {{"""
            f""" serviceRequest {{ id }} {ERRORS} }} }}""",
            i={
                "title": "Fix a lamp",
                "category": "APPLIANCE_REPAIR",
                "skills": [{"skill": "appliance_repair", "level": 2}],
                "places": 1,
                "startsAt": (starts + timedelta(days=3)).isoformat(),
                "endsAt": (starts + timedelta(days=5)).isoformat(),
                "durationMinutes": 60,
                "location": "Lakeside 9",
                "buildingId": building["id"],
            },
        ),
        "openServiceRequest",
    )["serviceRequest"]
    followed = run(owners, "{ serviceRequests { edges { node { id status } } } }")["serviceRequests"]["edges"]
    assert [e["node"]["id"] for e in followed] == [raised["id"]]
    seen_by_committee = run(committee, "{ serviceRequests { edges { node { id } } } }")["serviceRequests"][
        "edges"
    ]
    assert raised["id"] in {e["node"]["id"] for e in seen_by_committee}
    seen_by_wang = run(wang, "{ serviceRequests { edges { node { id } } } }")["serviceRequests"]["edges"]
    assert raised["id"] not in {e["node"]["id"] for e in seen_by_wang}


def json_id(global_id: str) -> str:
    """The record id inside a global ID."""
    from graphql_relay import from_global_id

    return from_global_id(global_id)[1]


def next_best_volunteer(committee, request_id: str) -> str:
    """The global ID of the volunteer who holds the request's shift, as the committee sees it."""
    (shift,) = run(
        committee,
        "query($id: ID!) { node(id: $id) "
        "{ ... on ServiceRequest { shifts { edges { node { volunteerId } } } } } }",
        id=request_id,
    )["node"]["shifts"]["edges"]
    return shift["node"]["volunteerId"]
