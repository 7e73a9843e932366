"""What the gateway serves beside GraphQL: each party's iCalendar feed and the public notice board."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta

from graphql_relay import from_global_id
from icalendar import Calendar, Event, Timezone, vRecur
from werkzeug.wrappers import Response

from gateway import accounts
from shared import clock, config, ocds
from shared.errors import DomainError
from shared.identity import PartyType
from shared.paging import MAX_PAGE

# Every calendar address that does not read a live key gets this same answer: one never issued, one
# rotated away or revoked, and one whose account was disabled look alike.
NOT_FOUND = "no such calendar"


def _when(value: str) -> datetime:
    return datetime.fromisoformat(value).astimezone(config.community_zone())


def calendar_of(meetings: list[dict], series: list[dict], name: str) -> bytes:
    """RFC 5545: one VEVENT per one-off meeting, one recurring VEVENT per series with its
    cancelled occurrences as EXDATE and moved ones as RECURRENCE-ID overrides."""
    calendar = Calendar()
    calendar.add("prodid", "-//Gongzhi//Joint meetings//ZH")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", str(config.community_zone()))
    stamp = clock.current().now()
    occurrences: dict[str, list[dict]] = {}
    for meeting in meetings:
        if meeting.get("series_id"):
            occurrences.setdefault(meeting["series_id"], []).append(meeting)
            continue
        event = _event(f"meeting-{meeting['id']}@gongzhi", meeting["title"], meeting["location"], stamp)
        event.add("dtstart", _when(meeting["starts_at"]))
        event.add("dtend", _when(meeting["ends_at"]))
        event.add("status", "CANCELLED" if meeting["status"] == "cancelled" else "CONFIRMED")
        calendar.add_component(event)
    for each in series:
        uid = f"series-{each['id']}@gongzhi"
        event = _event(uid, each["title"], each["location"], stamp)
        event.add("dtstart", _when(each["first_starts_at"]))
        event.add("duration", timedelta(minutes=each["duration_minutes"]))
        event.add("rrule", vRecur.from_ical(each["recurrence"]))
        moved = []
        for occurrence in occurrences.get(each["id"], []):
            original = occurrence.get("occurrence_starts_at")
            if occurrence["status"] == "cancelled" and original:
                event.add("exdate", _when(original))
            elif original and occurrence["starts_at"] != original:
                override = _event(uid, occurrence["title"], occurrence["location"], stamp)
                override.add("recurrence-id", _when(original))
                override.add("dtstart", _when(occurrence["starts_at"]))
                override.add("dtend", _when(occurrence["ends_at"]))
                moved.append(override)
        calendar.add_component(event)
        for override in moved:
            calendar.add_component(override)
    return _with_timezones(calendar)


def calendar_of_shifts(shifts: list[dict], name: str) -> bytes:
    """RFC 5545: one VEVENT per accepted volunteer shift."""
    calendar = Calendar()
    calendar.add("prodid", "-//Gongzhi//Volunteer shifts//ZH")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", str(config.community_zone()))
    stamp = clock.current().now()
    for shift in shifts:
        event = _event(f"shift-{shift['id']}@gongzhi", shift["title"], shift["location"], stamp)
        event.add("dtstart", _when(shift["starts_at"]))
        event.add("dtend", _when(shift["ends_at"]))
        event.add("status", "CONFIRMED")
        calendar.add_component(event)
    return _with_timezones(calendar)


def _with_timezones(calendar: Calendar) -> bytes:
    """RFC 5545 (3.2.19): every TZID a time refers to has its VTIMEZONE in the calendar, built from the
    zoneinfo database. The community's zone (GONGZHI_TIMEZONE), which X-WR-TIMEZONE names, is always
    there, events or not."""
    zone = config.community_zone()
    if zone.key not in ("UTC", "Etc/UTC") and zone.key not in {t.tz_name for t in calendar.timezones}:
        calendar.subcomponents.insert(0, Timezone.from_tzinfo(zone, tzid=zone.key))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _event(uid: str, title: str, location: str, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("summary", title)
    event.add("location", location)
    return event


# A calendar shows the meetings from this long ago on, at most this many pages of them: a feed is
# read page by page like any list, never fetched whole.
CALENDAR_HISTORY = timedelta(days=365)
CALENDAR_PAGES = 10


def every_page(
    list_rpc, principal: dict, filter: dict | None = None, order_by: str | None = None
) -> list[dict]:
    """The rows of a list RPC, page after page of the largest size, up to ``CALENDAR_PAGES`` pages."""
    rows: list[dict] = []
    after = None
    for _ in range(CALENDAR_PAGES):
        page = list_rpc(
            principal, page={"first": MAX_PAGE, "after": after, "filter": filter or {}, "order_by": order_by}
        )
        rows += [edge["node"] for edge in page["edges"]]
        if not page["page_info"]["has_next_page"]:
            break
        after = page["page_info"]["end_cursor"]
    return rows


def calendar_feed(services: dict, accounts_db, key: str) -> Response:
    """The feed of the account whose live calendar key this is; 404 alike for any other address."""
    principal = accounts.calendar_principal(accounts_db, key)
    if principal is None:
        return _no_calendar()
    try:
        if principal.is_a(PartyType.VOLUNTEER):  # a volunteer's calendar is its accepted shifts
            shifts = services["volunteers"].calendar_shifts(principal.to_dict())
        else:
            since = clock.current().now() - CALENDAR_HISTORY
            meetings = every_page(
                services["meetings"].list_meetings,
                principal.to_dict(),
                {"starts_after": since.isoformat()},
                "starts_at",
            )
            series = every_page(services["meetings"].list_series, principal.to_dict())
    except DomainError:
        return _no_calendar()
    if principal.is_a(PartyType.VOLUNTEER):
        body = calendar_of_shifts(shifts, "志愿服务 Volunteer shifts")
    else:
        body = calendar_of(meetings, series, f"联席会议 Joint meetings ({principal.party_type.value})")
    return Response(body, mimetype="text/calendar", headers={"Cache-Control": "private, max-age=300"})


def _no_calendar() -> Response:
    return Response(NOT_FOUND, status=404, mimetype="text/plain", headers={"Cache-Control": "no-store"})


def _in_community_zone(value):
    """A notice's instants (``…_at``) shown in the community's zone, with its offset (+08:00)."""
    if isinstance(value, list):
        return [_in_community_zone(v) for v in value]
    if not isinstance(value, dict):
        return value
    shown = {}
    for key, item in value.items():
        if key.endswith("_at") and isinstance(item, str):
            try:
                instant = datetime.fromisoformat(item)
            except ValueError:
                instant = None
            if instant is not None and instant.tzinfo is not None:
                item = instant.astimezone(config.community_zone()).isoformat()
        shown[key] = _in_community_zone(item)
    return shown


def notice_board(services: dict, place_id: str) -> Response:
    """Public: the community's adopted resolutions, for its notice board. No token. Times are shown in
    the community's zone."""
    try:
        kind, community_id = from_global_id(place_id)
    except Exception:
        kind, community_id = None, None
    notices = services["meetings"].public_notices(community_id) if kind == "Place" and community_id else []
    body = {"notices": _in_community_zone(notices)}
    return Response(json.dumps(body, ensure_ascii=False), mimetype="application/json")


# The services whose contracting processes are published as open data, each with an
# ``ocds_releases(ocid)`` RPC; releases of one ocid from several services share one record.
OPEN_DATA_SERVICES = ("matching", "contracts")


OCID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}")


def open_contracting(services: dict, request, kind: str) -> Response:
    """Public, no token: every release as a release package, or the records with their compiled
    releases as a record package (OCDS 1.1.5). ``?ocid=`` narrows it to one process."""
    ocid = request.args.get("ocid") or None
    if ocid is not None and not OCID.fullmatch(ocid):
        body = {"error": "ocid: an open contracting id is up to 200 letters, digits and - . _ : /"}
        return Response(json.dumps(body), status=400, mimetype="application/json")
    releases = [r for name in OPEN_DATA_SERVICES for r in services[name].ocds_releases(ocid)]
    if not releases:
        body = {"error": "nothing has been published" + (f" for {ocid}" if ocid else " yet")}
        return Response(json.dumps(body), status=404, mimetype="application/json")
    releases.sort(key=lambda r: r["date"])  # stable: a service's own order holds within a second
    package = (ocds.release_package if kind == "releases" else ocds.record_package)(
        releases,
        uri=request.url,
        published_date=clock.current().now(),
        publisher_name=config.open_data_publisher(),
    )
    return Response(ocds.dumps(package), mimetype="application/json")
