"""The volunteers service through nameko's worker_factory and its handlers, on PostgreSQL: the registry,
requests from every source, dispatch with offers and re-dispatch, check-in and no-shows, approved hours
and the points ledger, rewards, reports and each party's view."""

import json
from datetime import datetime, timedelta, timezone

import pytest
from nameko.testing.services import worker_factory
from sqlalchemy import select

from services.volunteers.commands import CheckIn, CheckOut
from services.volunteers.handlers import deadlines, shifts
from services.volunteers.models import Base, OutboxRecord
from services.volunteers.service import VolunteersService
from shared.clock import FixedClock, SystemClock
from shared.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from shared.events import new_event, parse_event
from shared.identity import PartyType, Principal
from tests.conftest import unit_of_work
from tests.helpers import nodes

RC, OC, VOL = PartyType.RESIDENTS_COMMITTEE, PartyType.OWNERS_COMMITTEE, PartyType.VOLUNTEER
COMMITTEE = Principal("acct-rc", RC, "rc1", "d1", "c1").to_dict()
OTHER_COMMITTEE = Principal("acct-rc2", RC, "rc2", "d1", "c2").to_dict()
OWNERS = Principal("acct-oc", OC, "oc1", "d1", "c1", "k1").to_dict()
ALL_WEEK = [{"weekday": d, "starts": "00:00", "ends": "00:00"} for d in range(7)]
START = (datetime.now(timezone.utc) + timedelta(days=3)).replace(minute=0, second=0, microsecond=0)


def as_volunteer(volunteer: dict) -> dict:
    return Principal(
        f"acct-{volunteer['id']}", VOL, volunteer["id"], "d1", volunteer["community_id"]
    ).to_dict()


@pytest.fixture
def uow(databases):
    return unit_of_work(databases["volunteers"], Base.metadata)


@pytest.fixture
def service(uow):
    return worker_factory(VolunteersService, db=uow, clock=SystemClock())


def outbox(uow, event_type: str) -> list[dict]:
    with uow:
        rows = uow.session.scalars(select(OutboxRecord).where(OutboxRecord.event_type == event_type))
        return [json.loads(r.payload)["data"] for r in rows]


def request_input(title: str, starts_at=START, hours: float = 2, **extra) -> dict:
    return {
        "title": title,
        "skills": [{"skill": "companionship", "level": 1}],
        "places": 1,
        "starts_at": starts_at.isoformat(),
        "ends_at": (starts_at + timedelta(hours=hours)).isoformat(),
        "location": "Building 3",
        **extra,
    }


@pytest.fixture
def community(service):
    """Three buildings on a line, 400 m apart, and four volunteers free all week."""
    buildings = {
        name: service.add_building(COMMITTEE, {"name": name, "x": x, "y": 0.0})
        for name, x in (("B1", 0.0), ("B2", 400.0), ("B3", 800.0))
    }

    def enrol(name, building, skills, **extra):
        return service.register_volunteer(
            COMMITTEE,
            {
                "name": name,
                "building_id": buildings[building]["id"],
                "skills": [{"skill": s, "level": level} for s, level in skills.items()],
                "availability": ALL_WEEK,
                **extra,
            },
        )

    today = datetime.now(timezone.utc).date()
    volunteers = {
        "wang": enrol(
            "Wang",
            "B1",
            {"companionship": 2, "first_aid": 3},
            home_visit_consent=True,
            identity_verified=True,
            certificates=[
                {"name": "medical_licence", "expires_on": (today + timedelta(days=365)).isoformat()}
            ],
        ),
        "li": enrol(
            "Li",
            "B3",
            {"companionship": 1, "first_aid": 3},
            certificates=[{"name": "medical_licence", "expires_on": (today - timedelta(days=1)).isoformat()}],
        ),
        "zhang": enrol("Zhang", "B2", {"companionship": 1, "cleaning": 1}),
        "zhao": enrol("Zhao", "B3", {"appliance_repair": 4}),
    }
    return {"buildings": buildings, "volunteers": volunteers}


def test_bad_input_names_the_field_and_writes_nothing(service, community, uow):
    with pytest.raises(InvalidInput) as raised:
        service.open_request(COMMITTEE, {**request_input("x"), "places": 0, "priority": "soon"})
    assert {e["field"] for e in raised.value.errors} == {"places", "priority"}
    with pytest.raises(InvalidInput) as raised:
        service.open_request(COMMITTEE, request_input("x", hours=-1))
    assert raised.value.errors[0]["field"] == "ends_at"
    with pytest.raises(InvalidInput) as raised:
        service.open_request(COMMITTEE, {**request_input("x", hours=2), "duration_minutes": 180})
    assert raised.value.errors[0]["field"] == "duration_minutes"
    with pytest.raises(InvalidInput) as raised:
        service.register_volunteer(
            COMMITTEE, {"name": "Q", "availability": [{"weekday": 7, "starts": "8h", "ends": "10:00"}]}
        )
    assert {e["field"] for e in raised.value.errors} == {"availability.0.weekday", "availability.0.starts"}
    with pytest.raises(NotFound) as raised:
        service.open_request(COMMITTEE, {**request_input("x"), "building_id": "no-such-building"})
    assert raised.value.field == "building_id"
    assert nodes(service.list_requests(COMMITTEE)) == [] and outbox(uow, "service_request.opened") == []


def test_dispatch_fills_the_most_places_explains_each_and_never_double_books(service, community, uow):
    b = community["buildings"]
    v = community["volunteers"]
    visit = service.open_request(
        COMMITTEE,
        request_input(
            "Visit an elderly resident living alone",
            building_id=b["B3"]["id"],
            priority="elderly_living_alone",
            home_visit=True,
        ),
    )
    clinic = service.open_request(
        COMMITTEE,
        {
            **request_input("Free clinic", building_id=b["B1"]["id"], places=2),
            "skills": [{"skill": "first_aid", "level": 2}],
            "certificates": ["medical_licence"],
            "category": "free_clinic",
        },
    )
    chat = service.open_request(COMMITTEE, request_input("Tea and chat", building_id=b["B2"]["id"]))
    dispatched = service.dispatch(COMMITTEE, {})

    offers = {(o["request_id"], o["volunteer_id"]) for o in dispatched["offers"]}
    # Only Wang may make home visits: the urgent visit gets him, so the clinic (only he has a valid
    # licence) stays unfilled, and Zhang, next door, takes the chat.
    assert offers == {(visit["id"], v["wang"]["id"]), (chat["id"], v["zhang"]["id"])}
    (wang_offer,) = [o for o in dispatched["offers"] if o["volunteer_id"] == v["wang"]["id"]]
    assert "consented to home visits" in wang_offer["explanation"]
    assert "800 m from building B3" in wang_offer["explanation"]
    unfilled = {(u["request_id"], u["place"]): u["reason"] for u in dispatched["unfilled"]}
    assert set(unfilled) == {(clinic["id"], 0), (clinic["id"], 1)}
    assert "had no 'medical_licence' valid" in unfilled[clinic["id"], 0]
    assert "already booked at an overlapping time" in unfilled[clinic["id"], 0]  # Wang, at the visit
    requests = {r["id"]: r for r in nodes(service.list_requests(COMMITTEE))}
    assert requests[clinic["id"]]["unfilled_reason"] == unfilled[clinic["id"], 0]
    assert len(outbox(uow, "volunteer.dispatched")) == 2

    # A second dispatch offers nobody twice: every place is held by an offer or has nobody who fits.
    again = service.dispatch(COMMITTEE, {})
    assert again["offers"] == []


def test_a_volunteer_free_for_two_shifts_gets_both_but_never_two_at_once(service, community):
    # 9-11, 12-14 and 10-12: any two that do not overlap can be Wang's, never all three.
    for title, hour in (("Morning", 0), ("Later", 3), ("Clash", 1)):
        service.open_request(COMMITTEE, request_input(title, starts_at=START + timedelta(hours=hour)))
    for name in ("li", "zhang"):  # only Wang is left with companionship
        service.update_volunteer(
            COMMITTEE, {"volunteer_id": community["volunteers"][name]["id"], "skills": [{"skill": "x"}]}
        )
    dispatched = service.dispatch(COMMITTEE, {})
    first, second = sorted((o["starts_at"], o["ends_at"]) for o in dispatched["offers"])
    assert first[1] <= second[0]
    (left,) = dispatched["unfilled"]
    assert "already booked at an overlapping time" in left["reason"]


def test_accept_fills_decline_and_silence_go_to_the_next_best(service, community, uow):
    v = community["volunteers"]
    chat = service.open_request(
        COMMITTEE, request_input("Tea and chat", building_id=community["buildings"]["B1"]["id"])
    )
    (first,) = service.dispatch(COMMITTEE, {})["offers"]
    assert first["volunteer_id"] == v["wang"]["id"]  # nearest
    with pytest.raises(NotFound):  # somebody else's offer
        service.respond_to_offer(as_volunteer(v["li"]), {"offer_id": first["id"], "accept": True})

    declined = service.respond_to_offer(as_volunteer(v["wang"]), {"offer_id": first["id"], "accept": False})
    assert declined["status"] == "declined"
    offers = service.list_offers(COMMITTEE, request_ids=[chat["id"]])
    (second,) = [o for o in offers if o["status"] == "offered"]
    assert second["volunteer_id"] == v["zhang"]["id"]  # the next nearest, at once

    # Zhang lets the deadline pass: the timer lapses the offer and Li is offered the place.
    lapsed = datetime.fromisoformat(second["respond_by"]) + timedelta(seconds=1)
    assert deadlines.expire_offers(uow, FixedClock(lapsed)) == 1
    assert deadlines.expire_offers(uow, FixedClock(lapsed)) == 0  # idempotent
    (third,) = [
        o for o in service.list_offers(COMMITTEE, request_ids=[chat["id"]]) if o["status"] == "offered"
    ]
    assert third["volunteer_id"] == v["li"]["id"]

    shift = service.respond_to_offer(as_volunteer(v["li"]), {"offer_id": third["id"], "accept": True})
    assert shift["status"] == "booked"
    with pytest.raises(Conflict) as raised:
        service.respond_to_offer(as_volunteer(v["li"]), {"offer_id": third["id"], "accept": True})
    assert raised.value.code == "not_open"
    (request,) = service.get_requests(COMMITTEE, [chat["id"]])
    assert request["status"] == "filled" and request["filled"] == 1
    assert [e["request_id"] for e in outbox(uow, "service_request.filled")] == [chat["id"]]
    assert [e["volunteer_id"] for e in outbox(uow, "volunteer.assigned")] == [v["li"]["id"]]
    # Li's own view: the offer and the shift, nobody else's.
    assert {o["volunteer_id"] for o in nodes(service.list_offers(as_volunteer(v["li"])))} == {v["li"]["id"]}
    assert [s["id"] for s in nodes(service.list_shifts(as_volunteer(v["li"])))] == [shift["id"]]


def test_a_no_show_is_marked_and_the_place_dispatched_again(service, community, uow):
    v = community["volunteers"]
    chat = service.open_request(
        COMMITTEE, request_input("Tea and chat", building_id=community["buildings"]["B1"]["id"])
    )
    (offer,) = service.dispatch(COMMITTEE, {})["offers"]
    service.respond_to_offer(as_volunteer(v["wang"]), {"offer_id": offer["id"], "accept": True})
    assert deadlines.mark_no_shows(uow, FixedClock(START + timedelta(minutes=14))) == 0
    assert deadlines.mark_no_shows(uow, FixedClock(START + timedelta(minutes=15))) == 1
    assert deadlines.mark_no_shows(uow, FixedClock(START + timedelta(minutes=16))) == 0
    (shift,) = nodes(service.list_shifts(as_volunteer(v["wang"])))
    assert shift["status"] == "no_show"
    assert [e["shift_id"] for e in outbox(uow, "shift.missed")] == [shift["id"]]
    (request,) = service.get_requests(COMMITTEE, [chat["id"]])
    assert request["status"] == "open" and request["filled"] == 0
    (again,) = [
        o for o in service.list_offers(COMMITTEE, request_ids=[chat["id"]]) if o["status"] == "offered"
    ]
    assert again["volunteer_id"] == v["zhang"]["id"]
    # What is left of the shift, from half an hour on: time to answer and to get there.
    assert again["starts_at"] == (START + timedelta(minutes=45)).isoformat()
    assert again["respond_by"] == (START + timedelta(minutes=30)).isoformat()
    (wang,) = service.get_volunteers(COMMITTEE, [v["wang"]["id"]])
    assert wang["no_shows"] == 1
    with pytest.raises(Conflict) as raised:
        shifts.check_in(
            uow, SystemClock(), Principal.from_dict(as_volunteer(v["wang"])), CheckIn(shift["id"])
        )
    assert raised.value.code == "no_show"


def _booked(service, community, request, name="wang"):
    offers = service.dispatch(COMMITTEE, {})["offers"]
    (offer,) = [o for o in offers if o["request_id"] == request["id"]]
    volunteer = next(v for v in community["volunteers"].values() if v["id"] == offer["volunteer_id"])
    return volunteer, service.respond_to_offer(
        as_volunteer(volunteer), {"offer_id": offer["id"], "accept": True}
    )


def test_approved_hours_complete_the_shift_and_credit_points_in_double_entry(
    service, community, uow, databases
):
    event = parse_event(
        new_event(
            "milestone.volunteers_requested",
            {
                "contract_id": "k1",
                "milestone_id": "m1",
                "title": "Free clinic day",
                "skill": "companionship",
                "places": 1,
                "starts_at": START,
                "ends_at": START + timedelta(hours=2),
                "location": "Community hall",
            },
            "c1",
        )
    )
    consumer = worker_factory(
        VolunteersService,
        db=unit_of_work(
            databases["volunteers"], Base.metadata, handling=event, consumer="volunteers.milestone"
        ),
        clock=SystemClock(),
    )
    consumer.open_request_from_milestone(event)
    (request,) = nodes(service.list_requests(COMMITTEE))
    assert (request["source"], request["contract_id"], request["status"]) == ("milestone", "k1", "open")

    volunteer, shift = _booked(service, community, request)
    me = Principal.from_dict(as_volunteer(volunteer))
    with pytest.raises(Conflict) as raised:
        shifts.check_in(uow, FixedClock(START - timedelta(hours=1)), me, CheckIn(shift["id"]))
    assert raised.value.code == "too_early"
    shifts.check_in(uow, FixedClock(START - timedelta(minutes=5)), me, CheckIn(shift["id"]))
    with pytest.raises(Conflict):  # hours are approved after check-out
        service.approve_hours(COMMITTEE, {"shift_id": shift["id"]})
    shifts.check_out(uow, FixedClock(START + timedelta(minutes=95)), me, CheckOut(shift["id"]))
    with pytest.raises(PermissionDenied):  # only the request's owner
        service.approve_hours(as_volunteer(volunteer), {"shift_id": shift["id"]})
    with pytest.raises(InvalidInput) as raised:
        service.approve_hours(COMMITTEE, {"shift_id": shift["id"], "approved_minutes": 600})
    assert raised.value.errors[0]["field"] == "approved_minutes"
    approved = service.approve_hours(COMMITTEE, {"shift_id": shift["id"]})
    assert (approved["status"], approved["approved_minutes"], approved["points"]) == ("approved", 100, 16)
    with pytest.raises(Conflict):
        service.approve_hours(COMMITTEE, {"shift_id": shift["id"]})

    (completed,) = outbox(uow, "shift.completed")
    assert completed["hours"] == "1.67" and (completed["contract_id"], completed["milestone_id"]) == (
        "k1",
        "m1",
    )
    (credited,) = outbox(uow, "points.credited")
    assert (credited["points"], credited["balance"], credited["reason"]) == (16, 16, "hours")
    assert service.points_account(as_volunteer(volunteer))["balance"] == 16
    assert [e["amount"] for e in nodes(service.list_points_entries(as_volunteer(volunteer)))] == [16]
    assert service.ledger_summary(COMMITTEE) == {
        "issued": 16,
        "redeemed": 0,
        "outstanding": 16,
        "balanced": True,
    }
    (mine,) = service.hours_report(as_volunteer(volunteer), {"group_by": "month"})
    assert (mine["hours"], mine["shifts"]) == (1.67, 1)


def test_a_forgotten_check_out_is_closed_at_the_end_and_flagged(service, community, uow):
    request = service.open_request(COMMITTEE, request_input("Tea and chat"))
    volunteer, shift = _booked(service, community, request)
    shifts.check_in(
        uow, FixedClock(START), Principal.from_dict(as_volunteer(volunteer)), CheckIn(shift["id"])
    )
    end = START + timedelta(hours=2)
    assert deadlines.close_forgotten_check_outs(uow, FixedClock(end + timedelta(hours=1))) == 0
    assert deadlines.close_forgotten_check_outs(uow, FixedClock(end + timedelta(hours=2))) == 1
    (closed,) = nodes(service.list_shifts(COMMITTEE))
    assert closed["status"] == "checked_out" and closed["auto_checked_out"] is True
    assert closed["checked_out_at"] == end.isoformat()
    assert service.approve_hours(COMMITTEE, {"shift_id": shift["id"]})["approved_minutes"] == 120


def test_rewards_are_redeemed_against_points_and_stock(service, community, uow):
    wang = community["volunteers"]["wang"]
    eggs = service.add_reward(COMMITTEE, {"name": "Ten eggs", "kind": "eggs", "points": 20, "stock": 1})
    credited = service.credit_activity(
        COMMITTEE,
        {
            "volunteer_id": wang["id"],
            "activity": "bags of litter collected",
            "quantity": 3,
            "points_per_unit": 5,
        },
    )
    assert credited["points"] == 15
    with pytest.raises(Conflict) as raised:
        service.redeem_reward(as_volunteer(wang), {"reward_id": eggs["id"]})
    assert (raised.value.code, raised.value.field) == ("insufficient_points", "quantity")
    service.credit_activity(
        COMMITTEE, {"volunteer_id": wang["id"], "activity": "leaflets", "quantity": 1, "points_per_unit": 30}
    )
    redemption = service.redeem_reward(as_volunteer(wang), {"reward_id": eggs["id"]})
    assert (redemption["points"], redemption["reward_name"]) == (20, "Ten eggs")
    with pytest.raises(Conflict) as raised:
        service.redeem_reward(as_volunteer(wang), {"reward_id": eggs["id"]})
    assert raised.value.code == "out_of_stock"
    with pytest.raises(NotFound):  # another community's volunteer cannot see the reward
        service.redeem_reward(
            Principal("x", VOL, wang["id"], "d1", "c2").to_dict(), {"reward_id": eggs["id"]}
        )
    assert service.points_account(as_volunteer(wang))["balance"] == 25
    assert service.ledger_summary(COMMITTEE) == {
        "issued": 45,
        "redeemed": 20,
        "outstanding": 25,
        "balanced": True,
    }
    assert [r["stock"] for r in nodes(service.list_rewards(as_volunteer(wang)))] == [0]
    assert len(outbox(uow, "reward.redeemed")) == 1 and len(outbox(uow, "points.credited")) == 2
    with pytest.raises(PermissionDenied):
        service.restock_reward(as_volunteer(wang), {"reward_id": eggs["id"], "quantity": 5})
    with pytest.raises(NotFound):
        service.restock_reward(OTHER_COMMITTEE, {"reward_id": eggs["id"], "quantity": 5})
    with pytest.raises(InvalidInput) as raised:
        service.restock_reward(COMMITTEE, {"reward_id": eggs["id"], "quantity": 0})
    assert raised.value.errors[0]["field"] == "quantity"
    assert service.restock_reward(COMMITTEE, {"reward_id": eggs["id"], "quantity": 5})["stock"] == 5


def test_the_owners_committee_raises_and_follows_its_compounds_requests(service, community):
    own = service.add_building(OWNERS, {"name": "Lakeside 7", "x": 100.0, "y": 0.0})
    assert own["compound_id"] == "k1"
    with pytest.raises(NotFound):  # another compound's building is not its to use
        service.open_request(
            Principal("o2", OC, "oc2", "d1", "c1", "k2").to_dict(),
            {**request_input("Fix a lamp"), "building_id": own["id"]},
        )
    request = service.open_request(OWNERS, {**request_input("Tea and chat"), "building_id": own["id"]})
    committee_own = service.open_request(COMMITTEE, request_input("Committee's own"))
    assert (request["compound_id"], request["source"], request["owner_type"]) == (
        "k1",
        "owners_committee",
        "owners_committee",
    )
    assert [r["id"] for r in nodes(service.list_requests(OWNERS))] == [request["id"]]
    assert {r["id"] for r in nodes(service.list_requests(COMMITTEE))} == {request["id"], committee_own["id"]}
    assert nodes(service.list_requests(OTHER_COMMITTEE)) == []
    with pytest.raises(PermissionDenied):  # the owners' committee does not dispatch
        service.dispatch(OWNERS, {})

    offers = service.dispatch(COMMITTEE, {})["offers"]
    (offer,) = [o for o in offers if o["request_id"] == request["id"]]
    volunteer = as_volunteer(
        next(v for v in community["volunteers"].values() if v["id"] == offer["volunteer_id"])
    )
    shift = service.respond_to_offer(volunteer, {"offer_id": offer["id"], "accept": True})
    me = Principal.from_dict(volunteer)
    shifts.check_in(service.db, FixedClock(START), me, CheckIn(shift["id"]))
    shifts.check_out(service.db, FixedClock(START + timedelta(hours=1)), me, CheckOut(shift["id"]))
    assert [s["id"] for s in nodes(service.list_shifts(OWNERS))] == [shift["id"]]
    with pytest.raises(PermissionDenied):  # the committee sees it but the owners' committee owns it
        service.approve_hours(COMMITTEE, {"shift_id": shift["id"]})
    assert service.approve_hours(OWNERS, {"shift_id": shift["id"]})["points"] == 10
    (row,) = service.hours_report(OWNERS, {"group_by": "volunteer"})
    assert row["hours"] == 1.0


def test_a_team_leader_dispatches_and_approves_its_teams_requests_only(service, community):
    v = community["volunteers"]
    team = service.create_team(
        COMMITTEE, {"name": "Care team", "leader_id": v["zhao"]["id"], "member_ids": [v["zhang"]["id"]]}
    )
    other = service.create_team(COMMITTEE, {"name": "Repair team", "leader_id": v["li"]["id"]})
    leader = as_volunteer(v["zhao"])
    with pytest.raises(NotFound):  # a team a volunteer is not in is one it does not see
        service.open_request(as_volunteer(v["wang"]), {**request_input("x"), "team_id": team["id"]})
    with pytest.raises(PermissionDenied):  # a member who does not lead it
        service.open_request(as_volunteer(v["zhang"]), {**request_input("x"), "team_id": team["id"]})
    ours = service.open_request(leader, {**request_input("Care visit"), "team_id": team["id"]})
    theirs = service.open_request(as_volunteer(v["li"]), {**request_input("Repairs"), "team_id": other["id"]})
    with pytest.raises(NotFound):
        service.dispatch(leader, {"team_id": other["id"]})
    with pytest.raises(PermissionDenied):
        service.dispatch(leader, {})
    dispatched = service.dispatch(leader, {"team_id": team["id"]})
    assert {o["request_id"] for o in dispatched["offers"]} == {ours["id"]}
    assert {r["id"] for r in nodes(service.list_requests(leader))} == {ours["id"]}
    assert theirs["id"] not in {o["request_id"] for o in nodes(service.list_offers(leader))}
    # The leader sees its members; a member sees only itself among them.
    assert {m["id"] for m in nodes(service.list_volunteers(leader))} == {v["zhao"]["id"], v["zhang"]["id"]}
    (seen_by_member,) = nodes(service.list_teams(as_volunteer(v["zhang"])))
    assert seen_by_member["member_ids"] == [v["zhang"]["id"]]
    (offer,) = dispatched["offers"]
    volunteer = as_volunteer(next(x for x in v.values() if x["id"] == offer["volunteer_id"]))
    shift = service.respond_to_offer(volunteer, {"offer_id": offer["id"], "accept": True})
    shifts.check_in(service.db, FixedClock(START), Principal.from_dict(volunteer), CheckIn(shift["id"]))
    shifts.check_out(service.db, FixedClock(START), Principal.from_dict(volunteer), CheckOut(shift["id"]))
    assert service.approve_hours(leader, {"shift_id": shift["id"], "approved_minutes": 90})["points"] == 15
    (row,) = service.hours_report(COMMITTEE, {"group_by": "team"})
    assert (row["label"], row["hours"]) == ("Care team", 1.5)


def test_a_resolution_leaves_a_draft_the_committee_completes(service, databases):
    def deliver(decision_type, resolution_id):
        event = parse_event(
            new_event(
                "resolution.adopted",
                {
                    "resolution_id": resolution_id,
                    "meeting_id": "m1",
                    "decision_type": decision_type,
                    "title": "Clean-up day",
                    "text": "Volunteers collect litter; eggs for bags.",
                },
                "c1",
            )
        )
        worker_factory(
            VolunteersService,
            db=unit_of_work(
                databases["volunteers"], Base.metadata, handling=event, consumer="volunteers.resolution"
            ),
            clock=SystemClock(),
        ).open_request_from_resolution(event)

    deliver("purchase_service", "r0")
    deliver("dispatch_volunteers", "r1")
    (draft,) = nodes(service.list_requests(COMMITTEE))
    assert (draft["status"], draft["source"], draft["starts_at"]) == ("draft", "resolution", None)
    opened = service.open_request(
        COMMITTEE,
        {**request_input("Clean-up day", places=3), "request_id": draft["id"], "category": "clean_up"},
    )
    assert (opened["id"], opened["status"], opened["places"]) == (draft["id"], "open", 3)
    with pytest.raises(Conflict):
        service.open_request(COMMITTEE, {**request_input("again"), "request_id": draft["id"]})
    with pytest.raises(NotFound):
        service.open_request(OTHER_COMMITTEE, {**request_input("theirs"), "request_id": draft["id"]})


def test_an_unfilled_request_close_to_its_start_is_announced_once(service, community, uow):
    request = service.open_request(
        COMMITTEE, {**request_input("Legal advice"), "skills": [{"skill": "legal_advice", "level": 1}]}
    )
    assert deadlines.report_unfilled_requests(uow, FixedClock(START - timedelta(hours=30))) == 0
    assert deadlines.report_unfilled_requests(uow, FixedClock(START - timedelta(hours=20))) == 1
    assert deadlines.report_unfilled_requests(uow, FixedClock(START - timedelta(hours=19))) == 0
    (announced,) = outbox(uow, "service_request.went_unfilled")
    assert (announced["request_id"], announced["places"], announced["filled"]) == (request["id"], 1, 0)


def test_the_calendar_lists_only_accepted_shifts(service, community):
    request = service.open_request(COMMITTEE, request_input("Tea and chat"))
    service.open_request(COMMITTEE, request_input("Later", starts_at=START + timedelta(days=1)))
    volunteer, shift = _booked(service, community, request)
    (entry,) = service.calendar_shifts(as_volunteer(volunteer))
    assert (entry["id"], entry["title"]) == (shift["id"], "Tea and chat")
    with pytest.raises(PermissionDenied):
        service.calendar_shifts(COMMITTEE)


def test_a_request_called_off_withdraws_its_offers_and_cancels_its_shifts(service, community, uow):
    v = community["volunteers"]
    building = community["buildings"]["B1"]["id"]
    chat = service.open_request(COMMITTEE, request_input("Tea and chat", building_id=building, places=2))
    offers = service.dispatch(COMMITTEE, {})["offers"]
    booked = service.respond_to_offer(
        as_volunteer(next(x for x in v.values() if x["id"] == offers[0]["volunteer_id"])),
        {"offer_id": offers[0]["id"], "accept": True},
    )
    offered = next(x for x in v.values() if x["id"] == offers[1]["volunteer_id"])
    with pytest.raises(PermissionDenied):  # it sees the request it was offered, and no more
        service.cancel_request(as_volunteer(offered), {"request_id": chat["id"], "reason": "x"})
    for outsider in (OWNERS, OTHER_COMMITTEE):  # not its compound's, not its community's
        with pytest.raises(NotFound):
            service.cancel_request(outsider, {"request_id": chat["id"], "reason": "x"})
    with pytest.raises(InvalidInput) as raised:
        service.cancel_request(COMMITTEE, {"request_id": chat["id"], "reason": " "})
    assert raised.value.errors[0]["field"] == "reason"
    cancelled = service.cancel_request(COMMITTEE, {"request_id": chat["id"], "reason": "the hall is flooded"})
    assert (cancelled["status"], cancelled["cancelled_reason"]) == ("cancelled", "the hall is flooded")
    assert {o["status"] for o in service.list_offers(COMMITTEE, request_ids=[chat["id"]])} == {
        "accepted",
        "withdrawn",
    }
    assert [s["status"] for s in service.list_shifts(COMMITTEE, request_ids=[chat["id"]])] == ["cancelled"]
    assert (
        service.calendar_shifts(
            as_volunteer(next(x for x in v.values() if x["id"] == booked["volunteer_id"]))
        )
        == []
    )
    (event,) = outbox(uow, "service_request.cancelled")
    assert sorted(event["volunteer_ids"]) == sorted(o["volunteer_id"] for o in offers)
    assert service.dispatch(COMMITTEE, {})["offers"] == [], "a cancelled request is not dispatched"
    with pytest.raises(Conflict) as raised:
        service.cancel_request(COMMITTEE, {"request_id": chat["id"], "reason": "again"})
    assert raised.value.code == "not_cancellable"
