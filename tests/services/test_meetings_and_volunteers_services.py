"""The meetings and volunteers services through nameko's worker_factory, on PostgreSQL."""

import json
from datetime import datetime, timedelta, timezone

import pytest
from nameko.testing.services import worker_factory
from sqlalchemy import select

from services.meetings.models import Base as MeetingsBase
from services.meetings.models import OutboxRecord
from services.meetings.service import MeetingsService
from shared.clock import MovableClock, SystemClock
from shared.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from shared.identity import PartyType, Principal
from tests.conftest import unit_of_work
from tests.helpers import nodes

SOON = datetime.now(timezone.utc) + timedelta(days=3)


@pytest.fixture
def meetings(databases):
    return worker_factory(
        MeetingsService, db=unit_of_work(databases["meetings"], MeetingsBase.metadata), clock=MovableClock()
    )


@pytest.fixture
def community(meetings):
    district = meetings.register_district({"name": "D", "office_name": "Office"})
    first = meetings.register_community(
        {"district_id": district["district_id"], "name": "C1", "committee_name": "RC1"}
    )
    second = meetings.register_community(
        {"district_id": district["district_id"], "name": "C2", "committee_name": "RC2"}
    )
    compound = meetings.register_compound(
        {
            "community_id": first["community_id"],
            "name": "K",
            "owners_committee_name": "OC",
            "property_company_name": "PC",
        }
    )
    area = {"district_id": district["district_id"], "community_id": first["community_id"]}
    return {
        "committee": Principal("a1", PartyType.RESIDENTS_COMMITTEE, first["committee_id"], **area).to_dict(),
        "other_committee": Principal(
            "a2",
            PartyType.RESIDENTS_COMMITTEE,
            second["committee_id"],
            district["district_id"],
            second["community_id"],
        ).to_dict(),
        "owners": Principal(
            "a3",
            PartyType.OWNERS_COMMITTEE,
            compound["owners_committee_id"],
            **area,
            compound_id=compound["compound_id"],
        ).to_dict(),
        "office": Principal(
            "a4", PartyType.STREET_OFFICE, district["office_id"], district["district_id"]
        ).to_dict(),
        "organisation": Principal("a5", PartyType.SOCIAL_ORGANISATION, "org").to_dict(),
        "property": Principal(
            "a6",
            PartyType.PROPERTY_COMPANY,
            compound["property_company_id"],
            **area,
            compound_id=compound["compound_id"],
        ).to_dict(),
        "property_id": compound["property_company_id"],
    }


def meeting_input(**overrides) -> dict:
    return {
        "title": "Joint meeting",
        "location": "Hall",
        "starts_at": SOON.isoformat(),
        "ends_at": (SOON + timedelta(hours=2)).isoformat(),
        **overrides,
    }


def test_only_the_committee_convenes_and_each_party_sees_its_area(meetings, community):
    with pytest.raises(PermissionDenied):
        meetings.schedule_meeting(community["owners"], meeting_input())
    meeting = meetings.schedule_meeting(community["committee"], meeting_input())
    assert [m["id"] for m in nodes(meetings.list_meetings(community["owners"]))] == [meeting["id"]]
    assert [m["id"] for m in nodes(meetings.list_meetings(community["office"]))] == [meeting["id"]]
    assert nodes(meetings.list_meetings(community["other_committee"])) == []
    assert nodes(meetings.list_meetings(community["organisation"])) == []
    with pytest.raises(NotFound):
        meetings.get_meeting(community["other_committee"], meeting["id"])


def test_bad_meeting_input_names_the_field(meetings, community):
    with pytest.raises(InvalidInput) as raised:
        meetings.schedule_meeting(community["committee"], meeting_input(starts_at="tomorrow", title=""))
    assert {e["field"] for e in raised.value.errors} == {"starts_at", "title"}
    with pytest.raises(InvalidInput) as raised:
        meetings.schedule_meeting(community["committee"], meeting_input(ends_at=SOON.isoformat()))
    assert raised.value.errors[0]["field"] == "ends_at"


def test_a_purchase_resolution_is_recorded_with_its_event(meetings, community, databases):
    meeting = meetings.schedule_meeting(community["committee"], meeting_input())
    item = meetings.submit_agenda_item(community["owners"], {"meeting_id": meeting["id"], "title": "Care"})
    with pytest.raises(NotFound):
        meetings.submit_agenda_item(community["other_committee"], {"meeting_id": meeting["id"], "title": "x"})
    proposal = {
        "meeting_id": meeting["id"],
        "agenda_item_id": item["id"],
        "title": "Buy care",
        "text": "Weekly",
        "decision_type": "purchase_service",
        "budget": "5000.00",
        "category": "elderly_care",
    }
    for party in ("committee", "owners"):
        meetings.sign_in_to_meeting(community[party], {"meeting_id": meeting["id"], "delegate": "D"})
    with pytest.raises(Conflict) as raised:
        meetings.record_resolution(community["committee"], proposal)
    assert raised.value.code == "no_quorum" and "PC" in raised.value.message
    meetings.sign_in_to_meeting(community["property"], {"meeting_id": meeting["id"], "delegate": "D"})
    resolution = meetings.record_resolution(community["committee"], proposal)
    assert resolution["status"] == "proposed"
    with pytest.raises(PermissionDenied):
        meetings.take_position(community["office"], {"resolution_id": resolution["id"], "stance": "agree"})
    meetings.take_position(community["committee"], {"resolution_id": resolution["id"], "stance": "agree"})
    meetings.take_position(community["owners"], {"resolution_id": resolution["id"], "stance": "agree"})
    with unit_of_work(databases["meetings"], MeetingsBase.metadata) as uow:
        assert not [
            r for r in uow.session.scalars(select(OutboxRecord)) if r.event_type == "resolution.adopted"
        ]
    decided = meetings.take_position(
        community["property"], {"resolution_id": resolution["id"], "stance": "abstain", "reason": "not ours"}
    )
    assert decided["status"] == "adopted"
    with unit_of_work(databases["meetings"], MeetingsBase.metadata) as uow:
        payloads = [json.loads(r.payload) for r in uow.session.scalars(select(OutboxRecord))]
    adopted = [p for p in payloads if p["type"] == "resolution.adopted"]
    assert [p["data"]["resolution_id"] for p in adopted] == [resolution["id"]]
    assert adopted[0]["data"]["budget"] == "5000.00"


@pytest.fixture
def volunteers(databases):
    from services.volunteers.models import Base as VolunteersBase
    from services.volunteers.service import VolunteersService

    return worker_factory(
        VolunteersService,
        db=unit_of_work(databases["volunteers"], VolunteersBase.metadata),
        clock=SystemClock(),
    )


def test_a_hand_picked_offer_never_double_books_and_never_overfills(volunteers):
    committee = Principal("a", PartyType.RESIDENTS_COMMITTEE, "rc", "d", "c1").to_dict()
    always = [{"weekday": d, "starts": "00:00", "ends": "00:00"} for d in range(7)]
    first_aid = [{"skill": "first_aid", "level": 1}]
    wang = volunteers.register_volunteer(
        committee, {"name": "Wang", "skills": first_aid, "availability": always}
    )
    li = volunteers.register_volunteer(committee, {"name": "Li", "skills": first_aid, "availability": always})
    shift = {
        "skills": first_aid,
        "places": 1,
        "location": "Hall",
        "starts_at": SOON.isoformat(),
        "ends_at": (SOON + timedelta(hours=2)).isoformat(),
    }
    clinic = volunteers.open_request(committee, {"title": "Clinic", **shift})
    overlapping = volunteers.open_request(committee, {"title": "Other clinic", **shift})
    offer = volunteers.assign_volunteer(committee, {"request_id": clinic["id"], "volunteer_id": wang["id"]})
    assert offer["explanation"].startswith("chosen by hand")
    with pytest.raises(Conflict) as raised:
        volunteers.assign_volunteer(committee, {"request_id": overlapping["id"], "volunteer_id": wang["id"]})
    assert raised.value.code == "not_eligible" and "already booked" in raised.value.message
    with pytest.raises(Conflict) as raised:
        volunteers.assign_volunteer(committee, {"request_id": clinic["id"], "volunteer_id": li["id"]})
    assert raised.value.code == "filled"
    me = Principal("v", PartyType.VOLUNTEER, wang["id"], "d", "c1").to_dict()
    volunteers.respond_to_offer(me, {"offer_id": offer["id"], "accept": True})
    assert [r["id"] for r in nodes(volunteers.list_requests(me))] == [clinic["id"]]
    assert [s["volunteer_id"] for s in nodes(volunteers.list_shifts(me))] == [wang["id"]]


def _adopted(meetings, community, **resolution) -> tuple[dict, dict]:
    meeting = meetings.schedule_meeting(community["committee"], meeting_input())
    for party in ("committee", "owners", "property"):
        meetings.sign_in_to_meeting(community[party], {"meeting_id": meeting["id"], "delegate": "D"})
    proposed = meetings.record_resolution(community["committee"], {"meeting_id": meeting["id"], **resolution})
    return meeting, proposed


def test_an_action_item_is_followed_to_confirmation_and_announced_when_overdue(
    meetings, community, databases
):
    _, lights = _adopted(
        meetings, community, title="Lights", text="Repair", decision_type="assign_property_company"
    )
    assignment = {
        "resolution_id": lights["id"],
        "title": "Repair",
        "owner_id": community["property_id"],
        "due_at": SOON.isoformat(),
    }
    with pytest.raises(Conflict):  # not adopted yet
        meetings.assign_action_item(community["committee"], assignment)
    for party in ("committee", "owners", "property"):
        meetings.take_position(community[party], {"resolution_id": lights["id"], "stance": "agree"})
    item = meetings.assign_action_item(community["committee"], assignment)
    with pytest.raises(PermissionDenied):
        meetings.act_on_action_item(community["owners"], {"action_item_id": item["id"], "action": "report"})
    meetings.act_on_action_item(
        community["property"], {"action_item_id": item["id"], "action": "report", "note": "parts ordered"}
    )
    with pytest.raises(InvalidInput) as raised:
        meetings.act_on_action_item(
            community["property"], {"action_item_id": item["id"], "action": "complete"}
        )
    assert raised.value.errors[0]["field"] == "evidence"

    meetings.clock.advance(
        SOON - datetime.now(timezone.utc) + timedelta(days=8)
    )  # the due date and the grace pass
    meetings.mark_overdue_action_items()
    meetings.mark_overdue_action_items()  # a second tick announces nothing twice
    escalated = nodes(meetings.list_action_items(community["office"]))
    assert [i["id"] for i in escalated] == [item["id"]], "escalated"
    with unit_of_work(databases["meetings"], MeetingsBase.metadata) as uow:
        overdue = [
            r
            for r in uow.session.scalars(select(OutboxRecord))
            if r.event_type == "action_item.deadline_passed"
        ]
    assert len(overdue) == 1

    done = meetings.act_on_action_item(
        community["property"],
        {"action_item_id": item["id"], "action": "complete", "evidence": "photo-2026-12-03.jpg"},
    )
    assert done["status"] == "completed" and nodes(meetings.list_action_items(community["office"])) == []
    confirmed = meetings.act_on_action_item(
        community["committee"], {"action_item_id": item["id"], "action": "confirm"}
    )
    assert confirmed["status"] == "confirmed"
    assert [p["action"] for p in confirmed["progress"]] == ["report", "complete", "confirm"]


def test_a_series_schedules_its_next_occurrences_once(meetings, community):
    first = datetime.now(timezone.utc) + timedelta(days=1)
    series = meetings.create_series(
        community["committee"],
        {
            "title": "Weekly",
            "location": "Hall",
            "recurrence": "FREQ=WEEKLY",
            "duration_minutes": 90,
            "first_starts_at": first.isoformat(),
        },
    )
    scheduled = [
        m
        for m in nodes(meetings.list_meetings(community["committee"], {"first": 50}))
        if m["series_id"] == series["id"]
    ]
    assert len(scheduled) == 9  # the weeks within the next 62 days
    meetings.schedule_series_occurrences()
    again = [
        m
        for m in nodes(meetings.list_meetings(community["committee"], {"first": 50}))
        if m["series_id"] == series["id"]
    ]
    assert sorted(m["id"] for m in again) == sorted(m["id"] for m in scheduled)
    with pytest.raises(InvalidInput) as raised:
        meetings.create_series(
            community["committee"],
            {
                "title": "Bad",
                "location": "Hall",
                "recurrence": "FREQ=FORTNIGHTLY",
                "duration_minutes": 90,
                "first_starts_at": first.isoformat(),
            },
        )
    assert raised.value.errors[0]["field"] == "recurrence"
    cancelled = meetings.cancel_meeting(
        community["committee"], {"meeting_id": again[0]["id"], "reason": "holiday"}
    )
    assert cancelled["status"] == "cancelled" and cancelled["cancelled_reason"] == "holiday"


def test_the_notice_board_shows_adopted_resolutions_only(meetings, community):
    _, proposed = _adopted(meetings, community, title="Lights", text="Repair", decision_type="other")
    community_id = Principal.from_dict(community["committee"]).community_id
    assert meetings.public_notices(community_id) == []
    for party in ("committee", "owners", "property"):
        meetings.take_position(community[party], {"resolution_id": proposed["id"], "stance": "agree"})
    (notice,) = meetings.public_notices(community_id)
    assert (notice["title"], notice["decision_type"]) == ("Lights", "other")


def test_deferred_items_awards_and_open_action_items_reach_the_next_agenda(meetings, community, databases):
    from shared.events import new_event, parse_event

    first = meetings.schedule_meeting(community["committee"], meeting_input())
    item = meetings.submit_agenda_item(community["owners"], {"meeting_id": first["id"], "title": "Parking"})
    late = (SOON + timedelta(days=7)).isoformat()
    second = meetings.schedule_meeting(
        community["committee"],
        meeting_input(starts_at=late, ends_at=(SOON + timedelta(days=7, hours=2)).isoformat()),
    )
    deferred = meetings.decide_agenda_item(
        community["committee"], {"agenda_item_id": item["id"], "decision": "defer"}
    )
    assert deferred["status"] == "deferred"
    carried = meetings.list_agenda(community["committee"], [second["id"]])
    assert [(i["title"], i["source"]) for i in carried] == [("Parking", "deferral")]

    community_id = Principal.from_dict(community["committee"]).community_id
    award = parse_event(
        new_event(
            "project.awarded",
            {
                "project_id": "p1",
                "ocid": "ocds-gz0001-p1",
                "title": "Home care",
                "organisation_id": "o1",
                "organisation_name": "Leling",
                "value": "118000.00",
                "awarded_at": datetime.now(timezone.utc),
                "award_id": "a1",
                "district_id": Principal.from_dict(community["committee"]).district_id,
                "purchaser_id": community["committee"]["party_id"],
                "purchaser_type": "residents_committee",
                "organisation_credit_code": None,
                "period_start": None,
                "period_end": None,
            },
            community_id,
        )
    )
    consumer = worker_factory(
        MeetingsService,
        db=unit_of_work(
            databases["meetings"],
            MeetingsBase.metadata,
            handling=award,
            consumer="meetings.put_award_on_agenda",
        ),
        clock=SystemClock(),
    )
    consumer.put_award_on_agenda(award)
    on_first = meetings.list_agenda(community["committee"], [first["id"]])
    assert [i["source"] for i in on_first] == ["party", "event"]
    assert "Leling" in on_first[1]["description"]

    with pytest.raises(InvalidInput) as raised:
        meetings.order_agenda(community["committee"], {"meeting_id": first["id"], "item_ids": [item["id"]]})
    assert raised.value.errors[0]["field"] == "item_ids"
    ordered = meetings.order_agenda(
        community["committee"], {"meeting_id": first["id"], "item_ids": [on_first[1]["id"], item["id"]]}
    )
    assert [i["source"] for i in ordered] == ["event", "party"]


def test_an_award_put_on_the_agenda_by_an_earlier_release_is_not_put_there_again(
    meetings, community, databases
):
    """Items an earlier release made of an event were keyed by the event's id; the same award
    announced again after the upgrade, under a new id, adopts that item instead of adding one."""
    from services.meetings.models import AgendaItem
    from shared.events import new_event, parse_event

    community_id = Principal.from_dict(community["committee"]).community_id
    meeting = meetings.schedule_meeting(community["committee"], meeting_input())

    def awarded(project_id: str, title: str):
        data = {
            "project_id": project_id,
            "ocid": f"ocds-gz0001-{project_id}",
            "title": title,
            "organisation_id": "o1",
            "organisation_name": "Leling",
            "value": "118000.00",
            "awarded_at": datetime.now(timezone.utc),
            "award_id": f"a-{project_id}",
            "district_id": Principal.from_dict(community["committee"]).district_id,
            "purchaser_id": community["committee"]["party_id"],
            "purchaser_type": "residents_committee",
            "organisation_credit_code": None,
            "period_start": None,
            "period_end": None,
        }
        return parse_event(new_event("project.awarded", data, community_id))

    def deliver(event) -> None:
        worker_factory(
            MeetingsService,
            db=unit_of_work(
                databases["meetings"],
                MeetingsBase.metadata,
                handling=event,
                consumer="meetings.put_award_on_agenda",
            ),
            clock=SystemClock(),
        ).put_award_on_agenda(event)

    before = awarded("p1", "Home care")
    deliver(before)
    with unit_of_work(databases["meetings"], MeetingsBase.metadata) as uow:  # as the earlier release kept it
        (item,) = uow.session.scalars(select(AgendaItem).where(AgendaItem.source_ref == "award:p1"))
        item.source_ref = f"event:{before.id}"
        uow.commit()

    deliver(awarded("p1", "Home care"))  # the same award, a new event id
    deliver(awarded("p1", "Home care"))
    deliver(awarded("p2", "Meals"))  # another award
    items = meetings.list_agenda(community["committee"], [meeting["id"]])
    assert [i["title"] for i in items] == [
        "通报中标 Award to report: Home care",
        "通报中标 Award to report: Meals",
    ]
    with unit_of_work(databases["meetings"], MeetingsBase.metadata) as uow:
        keys = sorted(uow.session.scalars(select(AgendaItem.source_ref).where(AgendaItem.source == "event")))
    assert keys == ["award:p1", "award:p2"]


def test_minutes_are_signed_off_by_every_core_party_before_they_are_published(meetings, community):
    meeting, _ = _adopted(meetings, community, title="Lights", text="Repair", decision_type="other")
    write = {
        "meeting_id": meeting["id"],
        "notes": "Private: Mr Wang's complaint",
        "summary": "Lights to be fixed.",
    }
    with pytest.raises(InvalidInput) as raised:
        meetings.write_minutes(community["committee"], {**write, "item_notes": {"not-an-item": "x"}})
    assert raised.value.errors[0]["field"] == "item_notes"
    item = meetings.submit_agenda_item(community["owners"], {"meeting_id": meeting["id"], "title": "Lights"})
    drafted = meetings.write_minutes(
        community["committee"], {**write, "item_notes": {item["id"]: "Two bulbs out."}}
    )
    assert drafted["item_notes"] == {item["id"]: "Two bulbs out."}
    meetings.sign_minutes(community["committee"], {"meeting_id": meeting["id"], "decision": "sign"})
    asked = meetings.sign_minutes(
        community["owners"], {"meeting_id": meeting["id"], "decision": "correct", "note": "add the date"}
    )
    assert asked["status"] == "correction_requested" and asked["corrections"][0]["note"] == "add the date"
    meetings.write_minutes(community["committee"], {**write, "summary": "Lights fixed by 3 December."})
    for party in ("committee", "owners", "property"):
        signed = meetings.sign_minutes(community[party], {"meeting_id": meeting["id"], "decision": "sign"})
    assert signed["status"] == "published"
    community_id = Principal.from_dict(community["committee"]).community_id
    notices = meetings.public_notices(community_id)
    assert [n["text"] for n in notices if n["kind"] == "minutes"] == ["Lights fixed by 3 December."]
    assert "Mr Wang" not in str(notices)
    with pytest.raises(Conflict):
        meetings.write_minutes(community["committee"], write)


def test_the_best_time_is_found_from_every_partys_availability_and_confirmed(meetings, community):
    from zoneinfo import ZoneInfo

    zone = ZoneInfo("Asia/Shanghai")
    day = (datetime.now(zone) + timedelta(days=10)).replace(hour=0, minute=0, second=0, microsecond=0)

    def at(hour: int) -> str:
        return (day + timedelta(hours=hour)).isoformat()

    poll = meetings.propose_meeting_times(
        community["committee"],
        {
            "title": "Lift repairs",
            "location": "Hall",
            "window_starts_at": at(8),
            "window_ends_at": at(21),
            "duration_minutes": 60,
        },
    )
    assert len(poll["required"]) == 3
    meetings.state_availability(
        community["owners"], {"poll_id": poll["id"], "busy": [{"starts_at": at(8), "ends_at": at(14)}]}
    )
    with pytest.raises(InvalidInput) as raised:
        meetings.state_availability(
            community["property"], {"poll_id": poll["id"], "busy": [{"starts_at": at(12), "ends_at": at(11)}]}
        )
    assert raised.value.errors[0]["field"] == "busy.0.ends_at"
    meetings.state_availability(
        community["property"], {"poll_id": poll["id"], "busy": [{"starts_at": at(14), "ends_at": at(16)}]}
    )
    # Another meeting already takes the hall at 16:00.
    meetings.schedule_meeting(
        community["committee"], meeting_input(location="Hall", starts_at=at(16), ends_at=at(17))
    )
    slots = meetings.find_meeting_times(community["committee"], poll["id"])
    assert datetime.fromisoformat(slots[0]["starts_at"]) == day + timedelta(hours=17)
    with pytest.raises(Conflict) as raised:
        meetings.confirm_meeting_time(community["committee"], {"poll_id": poll["id"], "starts_at": at(9)})
    assert raised.value.field == "starts_at"
    meeting = meetings.confirm_meeting_time(
        community["committee"], {"poll_id": poll["id"], "starts_at": slots[0]["starts_at"]}
    )
    assert meeting["title"] == "Lift repairs" and len(meeting["members"]) == 3
    with pytest.raises(Conflict):
        meetings.confirm_meeting_time(
            community["committee"], {"poll_id": poll["id"], "starts_at": slots[0]["starts_at"]}
        )


@pytest.mark.parametrize(
    ("event_type", "data", "words"),
    [
        (
            "milestone.deadline_passed",
            {
                "contract_id": "k1",
                "milestone_id": "m1",
                "title": "First visits",
                "organisation_name": "Leling",
                "due_at": datetime(2026, 12, 1, tzinfo=timezone.utc),
            },
            "Overdue milestone: First visits",
        ),
        (
            "service_request.went_unfilled",
            {
                "request_id": "r1",
                "title": "Free clinic",
                "places": 4,
                "filled": 1,
                "starts_at": datetime(2026, 12, 5, 1, tzinfo=timezone.utc),
            },
            "Unfilled volunteer request: Free clinic",
        ),
    ],
)
def test_other_services_reports_reach_the_next_agenda_showing_their_source(
    meetings, community, databases, event_type, data, words
):
    from shared.events import new_event, parse_event

    meeting = meetings.schedule_meeting(community["committee"], meeting_input())
    community_id = Principal.from_dict(community["committee"]).community_id
    event = parse_event(new_event(event_type, data, community_id))
    method = {
        "milestone.deadline_passed": "put_overdue_milestone_on_agenda",
        "service_request.went_unfilled": "put_unfilled_request_on_agenda",
    }[event_type]
    consumer = worker_factory(
        MeetingsService,
        db=unit_of_work(
            databases["meetings"], MeetingsBase.metadata, handling=event, consumer=f"meetings.{method}"
        ),
        clock=SystemClock(),
    )
    getattr(consumer, method)(event)
    (item,) = meetings.list_agenda(community["committee"], [meeting["id"]])
    assert words in item["title"] and item["source"] == "event" and event_type in item["description"]


# Hidden records answer as unknown ones ------------------------------------------------------


def _refusal(call) -> tuple:
    """What a refused call says, as the client sees it: kind, code, field and message."""
    try:
        call()
    except (NotFound, PermissionDenied, Conflict, InvalidInput) as exc:
        return type(exc).__name__, exc.code, exc.field, exc.message
    raise AssertionError("the call was not refused")


UNKNOWN = "00000000-0000-4000-8000-000000000000"


def test_another_communitys_agenda_item_resolution_or_action_item_answers_as_an_unknown_one(
    meetings, community
):
    _, resolution = _adopted(meetings, community, title="Lights", text="Repair", decision_type="other")
    for party in ("committee", "owners", "property"):
        meetings.take_position(community[party], {"resolution_id": resolution["id"], "stance": "agree"})
    item = meetings.assign_action_item(
        community["committee"],
        {
            "resolution_id": resolution["id"],
            "title": "Repair",
            "owner_id": community["property_id"],
            "due_at": SOON.isoformat(),
        },
    )
    meeting = meetings.schedule_meeting(community["committee"], meeting_input())
    agenda_item = meetings.submit_agenda_item(
        community["owners"], {"meeting_id": meeting["id"], "title": "x"}
    )
    outsider = community["other_committee"]
    attempts = {
        "decide_agenda_item": lambda i: meetings.decide_agenda_item(
            outsider, {"agenda_item_id": i or agenda_item["id"], "decision": "accept"}
        ),
        "take_position": lambda i: meetings.take_position(
            outsider, {"resolution_id": i or resolution["id"], "stance": "object"}
        ),
        "assign_action_item": lambda i: meetings.assign_action_item(
            outsider,
            {
                "resolution_id": i or resolution["id"],
                "title": "x",
                "owner_id": community["property_id"],
                "due_at": SOON.isoformat(),
            },
        ),
        "act_on_action_item": lambda i: meetings.act_on_action_item(
            outsider, {"action_item_id": i or item["id"], "action": "confirm"}
        ),
    }
    for name, attempt in attempts.items():
        hidden, unknown = _refusal(lambda a=attempt: a(None)), _refusal(lambda a=attempt: a(UNKNOWN))
        assert hidden == unknown, name
        assert hidden[:2] == ("NotFound", "not_found"), name


def test_records_by_id_answer_only_what_the_party_sees(meetings, community):
    meeting, resolution = _adopted(meetings, community, title="Lights", text="Repair", decision_type="other")
    item = meetings.submit_agenda_item(community["owners"], {"meeting_id": meeting["id"], "title": "x"})
    poll = meetings.propose_meeting_times(
        community["committee"],
        {
            "title": "Next",
            "location": "Hall",
            "window_starts_at": SOON.isoformat(),
            "window_ends_at": (SOON + timedelta(days=1)).isoformat(),
            "duration_minutes": 60,
        },
    )
    series = meetings.create_series(
        community["committee"],
        {
            "title": "Monthly",
            "location": "Hall",
            "recurrence": "FREQ=MONTHLY;BYDAY=1TU",
            "first_starts_at": SOON.isoformat(),
            "duration_minutes": 90,
        },
    )
    lookups = {
        "get_agenda_items": item["id"],
        "get_resolutions": resolution["id"],
        "get_polls": poll["id"],
        "get_series": series["id"],
    }
    for method, record_id in lookups.items():
        lookup = getattr(meetings, method)
        for party in ("committee", "owners", "property", "office"):
            found = lookup(community[party], [record_id, UNKNOWN])
            assert [r["id"] for r in found] == [record_id], (method, party)
        for party in ("other_committee", "organisation"):
            assert lookup(community[party], [record_id]) == [], (method, party)


def test_an_extraordinary_meeting_keeps_its_reason_deadline_and_convener(meetings, community):
    deadline = SOON - timedelta(hours=6)
    called = meetings.schedule_meeting(
        community["owners"],
        meeting_input(kind="extraordinary", reason="The lifts stopped", agenda_deadline=deadline.isoformat()),
    )
    assert called["reason"] == "The lifts stopped"
    assert datetime.fromisoformat(called["agenda_deadline"]) == deadline
    assert called["convened_by"] == community["owners"]["party_id"]
    assert community["property_id"] in called["members"]  # the compound's parties and the committee
    assert community["committee"]["party_id"] in called["members"]
    regular = meetings.schedule_meeting(community["committee"], meeting_input())
    assert regular["convened_by"] == community["committee"]["party_id"]
    assert datetime.fromisoformat(regular["agenda_deadline"]) == SOON - timedelta(days=1)
    assert regular["reason"] is None
    (again,) = meetings.get_meetings(community["owners"], [called["id"]])
    assert (again["reason"], again["convened_by"]) == ("The lifts stopped", community["owners"]["party_id"])


def test_a_volunteer_cannot_tell_a_hidden_team_or_shift_from_an_unknown_one(volunteers):
    committee = Principal("a", PartyType.RESIDENTS_COMMITTEE, "rc", "d", "c1").to_dict()
    always = [{"weekday": d, "starts": "00:00", "ends": "00:00"} for d in range(7)]
    first_aid = [{"skill": "first_aid", "level": 1}]
    wang = volunteers.register_volunteer(
        committee, {"name": "Wang", "skills": first_aid, "availability": always}
    )
    li = volunteers.register_volunteer(committee, {"name": "Li", "skills": first_aid, "availability": always})
    zhao = volunteers.register_volunteer(
        committee, {"name": "Zhao", "skills": first_aid, "availability": always}
    )
    team = volunteers.create_team(
        committee, {"name": "Care", "leader_id": li["id"], "member_ids": [li["id"]]}
    )
    window = {
        "skills": first_aid,
        "places": 2,
        "location": "Hall",
        "starts_at": SOON.isoformat(),
        "ends_at": (SOON + timedelta(hours=2)).isoformat(),
    }
    clinic = volunteers.open_request(committee, {"title": "Clinic", **window})
    wang_offer = volunteers.assign_volunteer(
        committee, {"request_id": clinic["id"], "volunteer_id": wang["id"]}
    )
    zhao_offer = volunteers.assign_volunteer(
        committee, {"request_id": clinic["id"], "volunteer_id": zhao["id"]}
    )
    me = Principal("v", PartyType.VOLUNTEER, wang["id"], "d", "c1").to_dict()
    zhao_me = Principal("z", PartyType.VOLUNTEER, zhao["id"], "d", "c1").to_dict()
    volunteers.respond_to_offer(me, {"offer_id": wang_offer["id"], "accept": True})
    zhao_shift = volunteers.respond_to_offer(zhao_me, {"offer_id": zhao_offer["id"], "accept": True})

    # Wang sees the clinic it was offered, but not Zhao's shift on it, nor Li's team.
    assert _refusal(
        lambda: volunteers.approve_hours(me, {"shift_id": zhao_shift["id"], "approved_minutes": 60})
    ) == _refusal(lambda: volunteers.approve_hours(me, {"shift_id": UNKNOWN, "approved_minutes": 60}))
    assert _refusal(
        lambda: volunteers.open_request(me, {"title": "x", "team_id": team["id"], **window})
    ) == _refusal(lambda: volunteers.open_request(me, {"title": "x", "team_id": UNKNOWN, **window}))
    assert volunteers.get_shifts(me, [zhao_shift["id"]]) == []
    assert volunteers.get_offers(me, [zhao_offer["id"]]) == []
    assert [s["id"] for s in volunteers.get_shifts(zhao_me, [zhao_shift["id"], UNKNOWN])] == [
        zhao_shift["id"]
    ]
    assert [o["id"] for o in volunteers.get_offers(zhao_me, [zhao_offer["id"]])] == [zhao_offer["id"]]
    assert [s["id"] for s in volunteers.get_shifts(committee, [zhao_shift["id"]])] == [zhao_shift["id"]]
    other = Principal("b", PartyType.RESIDENTS_COMMITTEE, "rc2", "d", "c2").to_dict()
    assert volunteers.get_shifts(other, [zhao_shift["id"]]) == []
    assert volunteers.get_offers(other, [zhao_offer["id"]]) == []

    # A team leader picks among the volunteers it sees (itself, its members); the owners' committee
    # sees no team. Anyone else answers as nobody at all.
    li_me = Principal("l", PartyType.VOLUNTEER, li["id"], "d", "c1").to_dict()
    teams_own = volunteers.open_request(li_me, {"title": "Team clinic", "team_id": team["id"], **window})
    assert _refusal(
        lambda: volunteers.assign_volunteer(
            li_me, {"request_id": teams_own["id"], "volunteer_id": wang["id"]}
        )
    ) == _refusal(
        lambda: volunteers.assign_volunteer(li_me, {"request_id": teams_own["id"], "volunteer_id": UNKNOWN})
    )
    owners = Principal("o", PartyType.OWNERS_COMMITTEE, "oc", "d", "c1", "k1").to_dict()
    assert _refusal(
        lambda: volunteers.open_request(owners, {"title": "x", "team_id": team["id"], **window})
    ) == _refusal(lambda: volunteers.open_request(owners, {"title": "x", "team_id": UNKNOWN, **window}))

    reward = volunteers.add_reward(committee, {"name": "Eggs", "kind": "eggs", "points": 1, "stock": 5})
    volunteers.credit_activity(
        committee, {"volunteer_id": wang["id"], "activity": "litter", "quantity": 2, "points_per_unit": 1}
    )
    redemption = volunteers.redeem_reward(me, {"reward_id": reward["id"], "quantity": 1})
    assert [r["id"] for r in volunteers.get_redemptions(me, [redemption["id"]])] == [redemption["id"]]
    assert [r["id"] for r in volunteers.get_redemptions(committee, [redemption["id"]])] == [redemption["id"]]
    assert volunteers.get_redemptions(zhao_me, [redemption["id"]]) == []
    assert volunteers.get_redemptions(other, [redemption["id"]]) == []
