"""The meetings and volunteers services through nameko's worker_factory, on PostgreSQL."""

import json
from datetime import datetime, timedelta, timezone

import pytest
from nameko.testing.services import worker_factory
from sqlalchemy import select

from services.meetings.models import Base as MeetingsBase
from services.meetings.models import OutboxRecord
from services.meetings.service import MeetingsService
from services.volunteers.models import Base as VolunteersBase
from services.volunteers.service import VolunteersService
from shared.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from shared.identity import PartyType, Principal
from tests.conftest import unit_of_work

SOON = datetime.now(timezone.utc) + timedelta(days=3)


@pytest.fixture
def meetings(databases):
    return worker_factory(MeetingsService, db=unit_of_work(databases["meetings"], MeetingsBase.metadata))


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
    assert [m["id"] for m in meetings.list_meetings(community["owners"])] == [meeting["id"]]
    assert [m["id"] for m in meetings.list_meetings(community["office"])] == [meeting["id"]]
    assert meetings.list_meetings(community["other_committee"]) == []
    assert meetings.list_meetings(community["organisation"]) == []
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
    resolution = meetings.record_resolution(
        community["committee"],
        {
            "meeting_id": meeting["id"],
            "agenda_item_id": item["id"],
            "title": "Buy care",
            "text": "Weekly",
            "decision_type": "purchase_service",
            "budget": "5000.00",
            "category": "elderly_care",
        },
    )
    with unit_of_work(databases["meetings"], MeetingsBase.metadata) as uow:
        payloads = [json.loads(r.payload) for r in uow.session.scalars(select(OutboxRecord))]
    adopted = [p for p in payloads if p["type"] == "resolution.adopted"]
    assert [p["data"]["resolution_id"] for p in adopted] == [resolution["id"]]
    assert adopted[0]["data"]["budget"] == "5000.00"


@pytest.fixture
def volunteers(databases):
    return worker_factory(
        VolunteersService, db=unit_of_work(databases["volunteers"], VolunteersBase.metadata)
    )


def test_assignment_never_double_books_and_fills_the_request(volunteers):
    committee = Principal("a", PartyType.RESIDENTS_COMMITTEE, "rc", "d", "c1").to_dict()
    wang = volunteers.register_volunteer(committee, {"name": "Wang", "skills": ["first_aid"]})
    li = volunteers.register_volunteer(committee, {"name": "Li", "skills": ["first_aid"]})
    shift = {
        "skill": "first_aid",
        "places": 1,
        "location": "Hall",
        "starts_at": SOON.isoformat(),
        "ends_at": (SOON + timedelta(hours=2)).isoformat(),
    }
    clinic = volunteers.open_request(committee, {"title": "Clinic", **shift})
    overlapping = volunteers.open_request(committee, {"title": "Other clinic", **shift})
    volunteers.assign_volunteer(committee, {"request_id": clinic["id"], "volunteer_id": wang["id"]})
    with pytest.raises(Conflict) as raised:
        volunteers.assign_volunteer(committee, {"request_id": overlapping["id"], "volunteer_id": wang["id"]})
    assert raised.value.code == "double_booked"
    with pytest.raises(Conflict) as raised:
        volunteers.assign_volunteer(committee, {"request_id": clinic["id"], "volunteer_id": li["id"]})
    assert raised.value.code == "filled"
    me = Principal("v", PartyType.VOLUNTEER, wang["id"], "d", "c1").to_dict()
    assert [r["id"] for r in volunteers.list_requests(me)] == [clinic["id"]]
    assert [a["volunteer_id"] for a in volunteers.list_assignments(me)] == [wang["id"]]
