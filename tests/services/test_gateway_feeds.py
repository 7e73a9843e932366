"""What the gateway serves beside GraphQL, in the community's time: calendars that define every
time zone they use (RFC 5545's VTIMEZONE), and a notice board whose times carry the zone's offset
(GONGZHI_TIMEZONE, Asia/Shanghai by default)."""

from __future__ import annotations

import json

from graphql_relay import to_global_id
from icalendar import Calendar

from gateway import feeds

MEETING = {
    "id": "m1",
    "title": "Joint meeting",
    "location": "Hall",
    "status": "scheduled",
    "starts_at": "2026-12-01T06:00:00+00:00",
    "ends_at": "2026-12-01T08:00:00+00:00",
}
SERIES = {
    "id": "s1",
    "title": "Monthly joint meeting",
    "location": "Hall",
    "first_starts_at": "2027-01-05T06:00:00+00:00",
    "duration_minutes": 90,
    "recurrence": "FREQ=MONTHLY;BYDAY=1TU",
}
CANCELLED = {
    **MEETING,
    "id": "m2",
    "series_id": "s1",
    "status": "cancelled",
    "occurrence_starts_at": "2027-01-05T06:00:00+00:00",
}
NOTICE = {
    "kind": "resolution",
    "title": "Repair the path lights",
    "adopted_at": "2026-12-01T07:30:00+00:00",
    "meeting": {"title": "Joint meeting", "starts_at": "2026-12-01T06:00:00+00:00", "location": "Hall"},
}


def defined_and_used(ical: bytes) -> tuple[set[str], set[str]]:
    calendar = Calendar.from_ical(ical)
    return {str(t["tzid"]) for t in calendar.walk("VTIMEZONE")}, calendar.get_used_tzids()


def test_every_zone_a_calendar_uses_is_defined_in_it():
    for ical in (
        feeds.calendar_of([MEETING, CANCELLED], [SERIES], "Meetings"),
        feeds.calendar_of_shifts([{**MEETING, "id": "shift"}], "Shifts"),
        feeds.calendar_of([], [], "Nothing yet"),
    ):
        defined, used = defined_and_used(ical)
        assert defined == {"Asia/Shanghai"} and used <= defined
    assert b"DTSTART;TZID=Asia/Shanghai:20261201T140000" in feeds.calendar_of([MEETING], [], "x")


def test_the_calendar_zone_is_the_configured_one(monkeypatch):
    monkeypatch.setenv("GONGZHI_TIMEZONE", "Europe/Berlin")
    ical = feeds.calendar_of([MEETING, CANCELLED], [SERIES], "Meetings")
    defined, used = defined_and_used(ical)
    assert defined == used == {"Europe/Berlin"}
    assert b"TZOFFSETTO:+0200" in ical  # Berlin's summer time, which Shanghai has no need of
    assert b"DTSTART;TZID=Europe/Berlin:20261201T070000" in ical


class Meetings:
    def public_notices(self, community_id):
        assert community_id == "c1"
        return [NOTICE]


def board() -> dict:
    response = feeds.notice_board({"meetings": Meetings()}, to_global_id("Place", "c1"))
    return json.loads(response.get_data(as_text=True))


def test_the_notice_board_shows_times_in_the_community_zone_with_its_offset(monkeypatch):
    (notice,) = board()["notices"]
    assert notice["adopted_at"] == "2026-12-01T15:30:00+08:00"
    assert notice["meeting"]["starts_at"] == "2026-12-01T14:00:00+08:00"
    assert notice["title"] == NOTICE["title"]
    monkeypatch.setenv("GONGZHI_TIMEZONE", "Europe/Berlin")
    assert board()["notices"][0]["adopted_at"] == "2026-12-01T08:30:00+01:00"


def test_a_calendar_reads_its_list_page_by_page_following_the_cursors(monkeypatch):
    from tests.gateway_stand_in import pages

    rows = [{**MEETING, "id": f"m{i}"} for i in range(250)]
    answer, asked = pages(rows), []

    def list_meetings(principal, page=None):
        asked.append(page)
        return answer(principal, page)

    found = feeds.every_page(list_meetings, {"party": "p"}, {"starts_after": "x"}, "starts_at")
    assert [r["id"] for r in found] == [r["id"] for r in rows]
    assert [p["after"] for p in asked] == [None, "c99", "c199"]
    assert all(p["first"] == 100 and p["filter"] == {"starts_after": "x"} for p in asked)
    assert all(p["order_by"] == "starts_at" for p in asked)
    monkeypatch.setattr(feeds, "CALENDAR_PAGES", 2)
    assert len(feeds.every_page(list_meetings, {"party": "p"})) == 200  # never more than its pages
