"""What the gateway serves beside GraphQL: each party's iCalendar feed and the public notice board."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone

import jwt
from graphql_relay import from_global_id
from icalendar import Calendar, Event, vRecur
from werkzeug.wrappers import Response

from shared import config, ocds
from shared.errors import DomainError, PermissionDenied
from shared.identity import PartyType, Principal

FEED_LIFETIME = timedelta(days=366)


def feed_token(principal: Principal) -> str:
    """A read-only key to one party's calendar, for a calendar app to subscribe with."""
    issued = datetime.now(timezone.utc)
    claims = {
        "typ": "calendar",
        "sub": principal.account_id,
        "iat": issued,
        "exp": issued + FEED_LIFETIME,
        **{k: v for k, v in principal.to_dict().items() if k not in ("account_id", "session_id")},
    }
    return jwt.encode(claims, config.token_secret(), algorithm="HS256")


def _principal_of_feed(token: str) -> Principal:
    try:
        claims = jwt.decode(
            token, config.token_secret(), algorithms=["HS256"], options={"require": ["exp", "sub"]}
        )
    except jwt.InvalidTokenError:
        raise PermissionDenied("this calendar address is not valid", code="invalid_token") from None
    if claims.get("typ") != "calendar":
        raise PermissionDenied("this calendar address is not valid", code="invalid_token")
    return Principal.from_dict({**claims, "account_id": claims["sub"]})


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
    stamp = datetime.now(timezone.utc)
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
    return calendar.to_ical()


def calendar_of_shifts(shifts: list[dict], name: str) -> bytes:
    """RFC 5545: one VEVENT per accepted volunteer shift."""
    calendar = Calendar()
    calendar.add("prodid", "-//Gongzhi//Volunteer shifts//ZH")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", str(config.community_zone()))
    stamp = datetime.now(timezone.utc)
    for shift in shifts:
        event = _event(f"shift-{shift['id']}@gongzhi", shift["title"], shift["location"], stamp)
        event.add("dtstart", _when(shift["starts_at"]))
        event.add("dtend", _when(shift["ends_at"]))
        event.add("status", "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()


def _event(uid: str, title: str, location: str, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("summary", title)
    event.add("location", location)
    return event


def calendar_feed(services: dict, token: str) -> Response:
    try:
        principal = _principal_of_feed(token)
        if principal.is_a(PartyType.VOLUNTEER):  # a volunteer's calendar is its accepted shifts
            shifts = services["volunteers"].calendar_shifts(principal.to_dict())
        else:
            meetings = services["meetings"].list_meetings(principal.to_dict())
            series = services["meetings"].list_series(principal.to_dict())
    except DomainError as exc:
        return Response(exc.message, status=404 if exc.code == "not_found" else 403)
    if principal.is_a(PartyType.VOLUNTEER):
        body = calendar_of_shifts(shifts, "志愿服务 Volunteer shifts")
    else:
        body = calendar_of(meetings, series, f"联席会议 Joint meetings ({principal.party_type.value})")
    return Response(body, mimetype="text/calendar", headers={"Cache-Control": "private, max-age=300"})


def notice_board(services: dict, place_id: str) -> Response:
    """Public: the community's adopted resolutions, for its notice board. No token."""
    try:
        kind, community_id = from_global_id(place_id)
    except Exception:
        kind, community_id = None, None
    notices = services["meetings"].public_notices(community_id) if kind == "Place" and community_id else []
    return Response(json.dumps({"notices": notices}, ensure_ascii=False), mimetype="application/json")


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
        published_date=datetime.now(timezone.utc),
        publisher_name=config.open_data_publisher(),
    )
    return Response(ocds.dumps(package), mimetype="application/json")
