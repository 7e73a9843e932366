"""The meetings service's lists, a page at a time on PostgreSQL: keyset cursors both ways, each filter
and order, a party's scope on every page, refused cursors, and counts only when asked."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta, timezone

import pytest
from nameko.testing.services import worker_factory

from services.meetings.models import ActionItem
from services.meetings.models import Base as MeetingsBase
from services.meetings.service import MeetingsService
from shared.clock import MovableClock
from shared.db import new_id
from shared.errors import InvalidInput
from shared.identity import PartyType, Principal
from tests.conftest import unit_of_work
from tests.helpers import nodes

T0 = (datetime.now(timezone.utc) + timedelta(days=30)).replace(microsecond=0)


@pytest.fixture
def meetings(databases):
    return worker_factory(
        MeetingsService, db=unit_of_work(databases["meetings"], MeetingsBase.metadata), clock=MovableClock()
    )


@pytest.fixture
def area(meetings):
    """A district with two communities, each with its committee; the first with a compound."""
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
    d = district["district_id"]
    return {
        "district_id": d,
        "first": Principal(
            "a1", PartyType.RESIDENTS_COMMITTEE, first["committee_id"], d, first["community_id"]
        ),
        "second": Principal(
            "a2", PartyType.RESIDENTS_COMMITTEE, second["committee_id"], d, second["community_id"]
        ),
        "owners": Principal(
            "a3",
            PartyType.OWNERS_COMMITTEE,
            compound["owners_committee_id"],
            d,
            first["community_id"],
            compound["compound_id"],
        ),
        "office": Principal("a4", PartyType.STREET_OFFICE, district["office_id"], d),
        "property_id": compound["property_company_id"],
    }


def _meeting(meetings, principal: Principal, index: int, **extra) -> dict:
    starts = T0 + timedelta(hours=3 * index)
    return meetings.schedule_meeting(
        principal.to_dict(),
        {
            "title": f"Meeting {index % 7:02d}",  # titles repeat: the id breaks the ties
            "location": "Hall",
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=1)).isoformat(),
            **extra,
        },
    )


def forwards(call, size: int) -> list[dict]:
    """Every row, a page of ``size`` at a time with first/after; each page tells whether more follow."""
    rows, after = [], None
    while True:
        page = call({"first": size, "after": after})
        rows.extend(nodes(page))
        info = page["page_info"]
        assert info["has_previous_page"] is (after is not None)
        if not info["has_next_page"]:
            assert len(nodes(page)) <= size
            return rows
        assert len(nodes(page)) == size
        after = info["end_cursor"]


def backwards(call, size: int) -> list[dict]:
    """Every row, from the end, a page of ``size`` at a time with last/before."""
    pages, before = [], None
    while True:
        page = call({"last": size, "before": before})
        pages.insert(0, nodes(page))
        info = page["page_info"]
        assert info["has_next_page"] is (before is not None)
        if not info["has_previous_page"]:
            return [row for rows in pages for row in rows]
        before = info["start_cursor"]


def ids(rows: list[dict]) -> list[str]:
    return [row["id"] for row in rows]


def test_meetings_page_both_ways_in_every_order_within_the_partys_area(meetings, area):
    mine = [_meeting(meetings, area["first"], i) for i in range(23)]
    theirs = [_meeting(meetings, area["second"], i) for i in range(6)]
    committee = area["first"].to_dict()
    orders = {
        None: lambda m: (-datetime.fromisoformat(m["starts_at"]).timestamp(), m["id"]),  # latest first
        "-starts_at": lambda m: (-datetime.fromisoformat(m["starts_at"]).timestamp(), m["id"]),
        "starts_at": lambda m: (datetime.fromisoformat(m["starts_at"]), m["id"]),
        "title": lambda m: (m["title"], m["id"]),
    }
    for order, key in orders.items():

        def call(page, order=order):
            return meetings.list_meetings(committee, {**page, "order_by": order})

        expected = ids(sorted(mine, key=key))
        assert ids(forwards(call, 5)) == expected, order
        assert ids(backwards(call, 5)) == expected, order
        assert ids(forwards(call, 100)) == expected, order
    # Scope holds on every page: the other community's committee sees its own only, the office both.
    second = area["second"].to_dict()
    assert sorted(ids(forwards(lambda p: meetings.list_meetings(second, p), 4))) == sorted(ids(theirs))
    office = area["office"].to_dict()
    assert sorted(ids(forwards(lambda p: meetings.list_meetings(office, p), 7))) == sorted(ids(mine + theirs))
    # No page at all: the first page, latest first.
    first_page = nodes(meetings.list_meetings(committee))
    assert ids(first_page) == ids(sorted(mine, key=orders[None]))[:20]


def test_meetings_filter_by_status_kind_and_start(meetings, area):
    committee = area["first"]
    regular = [_meeting(meetings, committee, i) for i in range(6)]
    called = _meeting(meetings, area["owners"], 20, kind="extraordinary", reason="The lift stopped")
    cancelled = meetings.cancel_meeting(
        committee.to_dict(), {"meeting_id": regular[0]["id"], "reason": "rain"}
    )

    def listed(**filters) -> set[str]:
        return set(ids(nodes(meetings.list_meetings(committee.to_dict(), {"first": 50, "filter": filters}))))

    assert listed(status="cancelled") == {cancelled["id"]}
    assert listed(status="scheduled") == set(ids(regular[1:])) | {called["id"]}
    assert listed(kind="extraordinary") == {called["id"]}
    boundary = regular[3]["starts_at"]
    assert listed(starts_after=boundary) == set(ids(regular[3:])) | {called["id"]}
    assert listed(starts_before=boundary) == set(ids(regular[:3]))
    assert listed(starts_after=regular[1]["starts_at"], starts_before=boundary, kind="regular") == set(
        ids(regular[1:3])
    )
    with pytest.raises(InvalidInput) as raised:
        meetings.list_meetings(committee.to_dict(), {"filter": {"location": "Hall"}})
    assert raised.value.field == "filter.location"
    with pytest.raises(InvalidInput) as raised:
        meetings.list_meetings(committee.to_dict(), {"order_by": "location"})
    assert raised.value.field == "order_by"


def test_a_tampered_or_foreign_cursor_is_refused_naming_after(meetings, area):
    for i in range(3):
        _meeting(meetings, area["first"], i)
    committee = area["first"].to_dict()
    page = meetings.list_meetings(committee, {"first": 1})
    cursor = page["page_info"]["end_cursor"]
    raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    tampered = base64.urlsafe_b64encode(json.dumps({**raw, "k": [raw["k"][0]]}).encode()).decode()
    polls_cursor = _polls_cursor(meetings, area)
    for bad in ("not-a-cursor", tampered, polls_cursor):
        with pytest.raises(InvalidInput) as raised:
            meetings.list_meetings(committee, {"first": 1, "after": bad})
        assert raised.value.field == "after", bad
    # A cursor of one order is not a position in another.
    with pytest.raises(InvalidInput) as raised:
        meetings.list_meetings(committee, {"first": 1, "after": cursor, "order_by": "title"})
    assert raised.value.field == "after"


def _polls_cursor(meetings, area) -> str:
    _poll(meetings, area["first"], 0)
    _poll(meetings, area["first"], 1)
    return meetings.list_polls(area["first"].to_dict(), {"first": 1})["page_info"]["end_cursor"]


def test_the_total_is_counted_only_when_asked(meetings, area):
    for i in range(4):
        _meeting(meetings, area["first"], i)
    _meeting(meetings, area["second"], 0)
    committee = area["first"].to_dict()
    assert meetings.list_meetings(committee, {"first": 2})["total_count"] is None
    assert meetings.list_meetings(committee, {"first": 2, "with_total": True})["total_count"] == 4
    counted = meetings.list_meetings(
        committee, {"first": 2, "with_total": True, "filter": {"kind": "regular"}}
    )
    assert counted["total_count"] == 4


def test_meetings_by_id_through_the_list_answer_only_what_the_party_sees(meetings, area):
    mine = _meeting(meetings, area["first"], 0)
    theirs = _meeting(meetings, area["second"], 0)
    found = meetings.list_meetings(area["first"].to_dict(), ids=[mine["id"], theirs["id"]])
    assert ids(found) == [mine["id"]]


def _poll(meetings, principal: Principal, index: int, optional: list[str] | None = None) -> dict:
    return meetings.propose_meeting_times(
        principal.to_dict(),
        {
            "title": f"Poll {index}",
            "location": "Hall",
            "window_starts_at": T0.isoformat(),
            "window_ends_at": (T0 + timedelta(days=2)).isoformat(),
            "duration_minutes": 60,
            "optional_party_ids": optional or [],
        },
    )


def test_polls_page_newest_first_for_their_area_and_the_parties_invited(meetings, area):
    clock = meetings.clock
    mine = []
    for i in range(7):
        mine.append(_poll(meetings, area["first"], i))
        clock.advance(timedelta(seconds=1))
    # The other community invites the first community's committee to one of its polls.
    invited = _poll(meetings, area["second"], 0, optional=[area["first"].party_id])
    clock.advance(timedelta(seconds=1))
    _poll(meetings, area["second"], 1)
    committee = area["first"].to_dict()
    expected = [invited["id"], *reversed(ids(mine))]

    def call(page):
        return meetings.list_polls(committee, page)

    assert ids(forwards(call, 3)) == expected
    assert ids(backwards(call, 3)) == expected
    assert ids(meetings.list_polls(committee, ids=[invited["id"]])) == [invited["id"]]
    owners = area["owners"].to_dict()  # the owners' committee is a required member of community-wide polls
    assert set(ids(forwards(lambda p: meetings.list_polls(owners, p), 4))) == set(ids(mine))


def test_series_page_oldest_first_within_the_area(meetings, area):
    clock = meetings.clock
    mine = []
    for i in range(5):
        mine.append(
            meetings.create_series(
                area["first"].to_dict(),
                {
                    "title": f"Series {i}",
                    "location": f"Room {i}",
                    "recurrence": "FREQ=YEARLY",
                    "first_starts_at": (T0 + timedelta(days=i)).isoformat(),
                    "duration_minutes": 60,
                },
            )
        )
        clock.advance(timedelta(seconds=1))
    meetings.create_series(
        area["second"].to_dict(),
        {
            "title": "Theirs",
            "location": "Hall",
            "recurrence": "FREQ=YEARLY",
            "first_starts_at": T0.isoformat(),
            "duration_minutes": 60,
        },
    )

    def call(page):
        return meetings.list_series(area["first"].to_dict(), page)

    assert ids(forwards(call, 2)) == ids(mine)
    assert ids(backwards(call, 2)) == ids(mine)


def _action_items(databases, area, owner_id: str, community: Principal, count: int, status: str) -> list[str]:
    """Action items written straight to the table: their paging, not their lifecycle, is tested here."""
    made = []
    with unit_of_work(databases["meetings"], MeetingsBase.metadata) as uow:
        from services.meetings.models import JointMeeting, Resolution

        meeting = JointMeeting(
            id=new_id(),
            district_id=area["district_id"],
            community_id=community.community_id,
            title="M",
            kind="regular",
            starts_at=T0,
            ends_at=T0 + timedelta(hours=1),
            location="Hall",
            convened_by=community.party_id,
            status="scheduled",
            members=[],
        )
        uow.add(meeting)
        uow.flush()
        resolution = Resolution(
            id=new_id(), meeting_id=meeting.id, title="R", text="T", decision_type="other", status="adopted"
        )
        uow.add(resolution)
        uow.flush()
        for i in range(count):
            item = ActionItem(
                id=new_id(),
                resolution_id=resolution.id,
                district_id=area["district_id"],
                community_id=community.community_id,
                owner_id=owner_id,
                title=f"Item {i}",
                due_at=T0 + timedelta(days=i % 4),  # due dates repeat: the id breaks the ties
                status=status,
                progress=[],
            )
            uow.add(item)
            made.append(item.id)
        uow.commit()
    return made


def test_action_items_page_by_due_date_filtered_by_status_and_scoped(meetings, area, databases):
    open_ = _action_items(databases, area, area["property_id"], area["first"], 9, "open")
    done = _action_items(databases, area, area["property_id"], area["first"], 3, "completed")
    _action_items(databases, area, area["second"].party_id, area["second"], 4, "open")
    committee = area["first"].to_dict()

    def call(page, **filters):
        return meetings.list_action_items(committee, {**page, "filter": filters})

    everything = forwards(call, 4)
    assert set(ids(everything)) == set(open_ + done)
    keys = [(row["due_at"], row["id"]) for row in everything]
    assert keys == sorted(keys)
    assert ids(backwards(call, 4)) == ids(everything)
    assert set(ids(forwards(lambda p: call(p, status="completed"), 2))) == set(done)
    # The office sees only what is escalated: nothing here is overdue yet; a month later, all that is open.
    office = area["office"].to_dict()
    assert nodes(meetings.list_action_items(office)) == []
    meetings.clock.advance(timedelta(days=60))
    escalated = forwards(lambda p: meetings.list_action_items(office, p), 5)
    assert len(escalated) == 9 + 4


def test_the_directory_pages_by_name_within_the_district(meetings, area):
    office = area["office"].to_dict()
    for i in range(5):
        meetings.register_joint_building_unit(
            {"community_id": area["first"].community_id, "name": f"Unit {i}"}
        )
    other = meetings.register_district({"name": "Elsewhere", "office_name": "Other office"})
    meetings.register_community(
        {"district_id": other["district_id"], "name": "Far", "committee_name": "RC far"}
    )

    def parties(page):
        return meetings.list_parties(office, page)

    names = [p["name"] for p in forwards(parties, 3)]
    assert names == sorted(names) and "RC far" not in names and "Other office" not in names
    assert [p["name"] for p in backwards(parties, 3)] == names
    units = forwards(lambda p: parties({**p, "filter": {"type": "joint_building_unit"}}), 2)
    assert [p["name"] for p in units] == [f"Unit {i}" for i in range(5)]
    districts = forwards(lambda p: meetings.list_districts(office, p), 1)
    assert [d["name"] for d in districts] == ["D", "Elsewhere"]
    communities = nodes(meetings.list_communities(office, {"first": 10}))
    assert [c["name"] for c in communities] == ["C1", "C2"]
    compounds = nodes(meetings.list_compounds(area["first"].to_dict(), {"first": 10}))
    assert [c["name"] for c in compounds] == ["K"]
    assert nodes(meetings.list_compounds(area["second"].to_dict())) == []


def test_the_sql_forms_of_the_rules_agree_with_their_python_forms(meetings, area, databases):
    """Who sees a meeting (Principal.sees_area) and what is escalated (domain.is_escalated) are read
    in SQL by every list and lookup: the two forms must answer alike."""
    from services.meetings import domain

    at = meetings.clock.now()
    statuses = ["open", "in_progress", "completed", "confirmed"]
    made = {}
    for days_late in (-1, 0, 6, 8, 30):
        for status in statuses:
            (item_id,) = _action_items(databases, area, area["property_id"], area["first"], 1, status)
            with unit_of_work(databases["meetings"], MeetingsBase.metadata) as uow:
                item = uow.get(ActionItem, item_id)
                item.due_at = at - timedelta(days=days_late)
                made[item_id] = (status, item.due_at)
                uow.commit()
    seen = {
        row["id"] for row in forwards(lambda p: meetings.list_action_items(area["office"].to_dict(), p), 50)
    }
    assert seen == {
        i for i, (status, due) in made.items() if domain.is_escalated(status, due, meetings.clock.now())
    }
    assert seen  # some are escalated, some not: the comparison means something

    compound_meeting = _meeting(meetings, area["owners"], 1, kind="extraordinary", reason="Lift")
    community_meeting = _meeting(meetings, area["first"], 2)
    other_meeting = _meeting(meetings, area["second"], 3)
    organisation = Principal("a9", PartyType.SOCIAL_ORGANISATION, "org")
    for principal in (area["first"], area["second"], area["owners"], area["office"], organisation):
        three = (compound_meeting, community_meeting, other_meeting)
        listed = set(ids(forwards(lambda p, who=principal: meetings.list_meetings(who.to_dict(), p), 10)))
        listed &= set(ids(three))  # the action items' meetings above are not compared here
        expected = {
            m["id"]
            for m in three
            if principal.sees_area(area["district_id"], m["community_id"], m["compound_id"])
        }
        assert listed == expected, principal.party_type
