"""A full joint-meeting cycle through the gateway, each step as the party that does it: a regular
series, an agenda item, sign-in and quorum, positions that adopt a resolution, an action item
followed to confirmation, rescheduling and cancelling, the calendar feed a calendar app reads,
and the public notice board."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import requests
from gql import gql
from icalendar import Calendar

from deploy.seed import seed_directory
from shared.identity import PartyType
from tests.helpers import wait_for


def run(client, document: str, **variables) -> dict:
    return client.execute(gql(document), variable_values=variables)


def ok(payload: dict) -> dict:
    assert payload["errors"] == [], payload["errors"]
    return payload


def test_a_joint_meeting_from_agenda_to_confirmed_action_item(platform):
    demo = seed_directory(platform.rpc)
    committee, owners, property_company, office = (
        platform.client(demo.principals[p])
        for p in (
            PartyType.RESIDENTS_COMMITTEE,
            PartyType.OWNERS_COMMITTEE,
            PartyType.PROPERTY_COMPANY,
            PartyType.STREET_OFFICE,
        )
    )
    soon = datetime.now(timezone.utc) + timedelta(days=2)

    series = ok(
        run(
            committee,
            """mutation($i: CreateMeetingSeriesInput!) { createMeetingSeries(input: $i) {
        series { id recurrence } errors { field code message } } }""",
            i={
                "title": "Monthly joint meeting",
                "location": "Community hall",
                "recurrence": "FREQ=MONTHLY;BYDAY=1TU",
                "firstStartsAt": "2027-01-05T14:00:00+08:00",
                "durationMinutes": 90,
            },
        )["createMeetingSeries"]
    )
    bad = run(
        committee,
        """mutation($i: ScheduleMeetingInput!) { scheduleMeeting(input: $i) {
        errors { field code } } }""",
        i={
            "title": "x",
            "location": "x",
            "startsAt": soon.isoformat(),
            "endsAt": (soon - timedelta(hours=1)).isoformat(),
        },
    )
    assert bad["scheduleMeeting"]["errors"] == [{"field": "endsAt", "code": "invalid"}]

    meeting = ok(
        run(
            owners,  # any core party may call an extraordinary meeting, saying why
            """mutation($i: ScheduleMeetingInput!) { scheduleMeeting(input: $i) {
        meeting { id members { type } convener { type } reason } errors { field code message } } }""",
            i={
                "title": "Extraordinary meeting",
                "location": "Community hall",
                "kind": "extraordinary",
                "reason": "The path lights have been out for a week",
                "startsAt": soon.isoformat(),
                "endsAt": (soon + timedelta(hours=2)).isoformat(),
            },
        )["scheduleMeeting"]
    )
    meeting_id = meeting["meeting"]["id"]
    assert sorted(m["type"] for m in meeting["meeting"]["members"]) == [
        "OWNERS_COMMITTEE",
        "PROPERTY_COMPANY",
        "RESIDENTS_COMMITTEE",
    ]
    ok(
        run(
            owners,
            """mutation($i: SubmitAgendaItemInput!) { submitAgendaItem(input: $i) {
        errors { field code message } } }""",
            i={"meetingId": meeting_id, "title": "Broken path lights"},
        )["submitAgendaItem"]
    )

    sign_in = """mutation($i: SignInToMeetingInput!) {
        signInToMeeting(input: $i) { errors { field code message } } }"""
    ok(run(committee, sign_in, i={"meetingId": meeting_id, "delegate": "Director Liu"})["signInToMeeting"])
    propose = """mutation($i: RecordResolutionInput!) { recordResolution(input: $i) {
        resolution { id status } errors { field code message } } }"""
    lights = {
        "meetingId": meeting_id,
        "title": "Repair the path lights",
        "text": "Before the Spring Festival",
        "decisionType": "ASSIGN_PROPERTY_COMPANY",
    }
    refused = run(committee, propose, i=lights)["recordResolution"]
    assert refused["resolution"] is None and refused["errors"][0]["code"] == "no_quorum"
    ok(run(owners, sign_in, i={"meetingId": meeting_id, "delegate": "Member Chen"})["signInToMeeting"])
    ok(
        run(property_company, sign_in, i={"meetingId": meeting_id, "delegate": "Manager Zhao"})[
            "signInToMeeting"
        ]
    )
    resolution = ok(run(committee, propose, i=lights)["recordResolution"])["resolution"]
    assert resolution["status"] == "proposed"

    position = """mutation($i: TakePositionInput!) { takePosition(input: $i) {
        resolution { status positions { edges { node { stance party { type } } } } }
        errors { field code } } }"""
    ok(run(committee, position, i={"resolutionId": resolution["id"], "stance": "AGREE"})["takePosition"])
    ok(
        run(
            property_company,
            position,
            i={"resolutionId": resolution["id"], "stance": "ABSTAIN", "reason": "budget to be confirmed"},
        )["takePosition"]
    )
    decided = ok(
        run(owners, position, i={"resolutionId": resolution["id"], "stance": "AGREE"})["takePosition"]
    )
    assert decided["resolution"]["status"] == "adopted"
    assert len(decided["resolution"]["positions"]["edges"]) == 3

    owner = run(property_company, "{ viewer { party { id } } }")["viewer"]["party"]["id"]
    item = ok(
        run(
            committee,
            """mutation($i: AssignActionItemInput!) { assignActionItem(input: $i) {
        actionItem { id status } errors { field code message } } }""",
            i={
                "resolutionId": resolution["id"],
                "ownerId": owner,
                "title": "Repair the lights",
                "dueAt": (soon + timedelta(days=14)).isoformat(),
            },
        )["assignActionItem"]
    )["actionItem"]
    progress = """mutation($i: ActionItemProgressInput!) { %s(input: $i) {
        actionItem { status evidence } errors { field code message } } }"""
    ok(
        run(
            property_company,
            progress % "reportActionItemProgress",
            i={"actionItemId": item["id"], "note": "parts ordered"},
        )["reportActionItemProgress"]
    )
    no_evidence = run(property_company, progress % "completeActionItem", i={"actionItemId": item["id"]})
    assert no_evidence["completeActionItem"]["errors"][0]["field"] == "evidence"
    ok(
        run(
            property_company,
            progress % "completeActionItem",
            i={"actionItemId": item["id"], "evidence": "photos/lights-fixed.jpg"},
        )["completeActionItem"]
    )
    confirmed = ok(
        run(committee, progress % "confirmActionItem", i={"actionItemId": item["id"]})["confirmActionItem"]
    )
    assert confirmed["actionItem"] == {"status": "confirmed", "evidence": "photos/lights-fixed.jpg"}
    followed = run(owners, "{ actionItems { edges { node { title status } } } }")["actionItems"]["edges"]
    assert [e["node"] for e in followed] == [{"title": "Repair the lights", "status": "confirmed"}]
    assert run(office, "{ actionItems { edges { node { id } } } }")["actionItems"]["edges"] == [], (
        "not escalated"
    )

    # The series' first occurrence is cancelled, another meeting moved: the calendar says so.
    occurrences = run(
        committee,
        """{ meetings(filter: {startsAfter: "2027-01-01T00:00:00+08:00"}, orderBy: STARTS_AT_ASC)
        { edges { node { id startsAt } } } }""",
    )["meetings"]["edges"]
    ok(
        run(
            committee,
            """mutation($i: CancelMeetingInput!) {
            cancelMeeting(input: $i) { errors { field code message } } }""",
            i={"meetingId": occurrences[0]["node"]["id"], "reason": "Spring Festival"},
        )["cancelMeeting"]
    )
    moved = (soon + timedelta(days=2)).isoformat()
    ok(
        run(
            committee,
            """mutation($i: RescheduleMeetingInput!) { rescheduleMeeting(input: $i) {
        errors { field code message } } }""",
            i={
                "meetingId": meeting_id,
                "startsAt": moved,
                "endsAt": (soon + timedelta(days=2, hours=2)).isoformat(),
            },
        )["rescheduleMeeting"]
    )

    feed_url = {
        **run(owners, "{ viewer { noticeBoardUrl } }")["viewer"],
        **run(owners, "mutation { rotateCalendarKey { calendarUrl } }")["rotateCalendarKey"],
    }
    feed = requests.get(feed_url["calendarUrl"], timeout=10)
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(feed.content)
    events = list(calendar.walk("VEVENT"))
    recurring = [e for e in events if e.get("rrule")]
    assert len(recurring) == 1 and recurring[0]["rrule"]["FREQ"] == ["MONTHLY"]
    assert recurring[0]["uid"] == f"series-{platform_id(series['series']['id'])}@gongzhi"
    excluded = recurring[0]["exdate"]
    assert excluded.dts[0].dt == datetime.fromisoformat("2027-01-05T14:00:00+08:00")
    extraordinary = [e for e in events if str(e["summary"]) == "Extraordinary meeting"]
    assert extraordinary[0]["dtstart"].dt == datetime.fromisoformat(moved).replace(microsecond=0)
    assert calendar.walk("VTIMEZONE")[0]["tzid"] == "Asia/Shanghai"  # RFC 5545: every TZID defined
    assert requests.get(feed_url["calendarUrl"].replace(".ics", "x.ics"), timeout=10).status_code == 404

    # The notice board needs no token and shows the adopted resolution, not the positions' reasons.
    board = wait_for(
        "the notice", lambda: requests.get(feed_url["noticeBoardUrl"], timeout=10).json()["notices"]
    )
    assert [n["title"] for n in board] == ["Repair the path lights"]
    assert board[0]["adopted_at"].endswith("+08:00") and board[0]["meeting"]["starts_at"].endswith("+08:00")
    assert "budget to be confirmed" not in str(board)

    # Minutes: every core party signs them off (one asks for a correction first), then they are public.
    minutes = (
        """mutation($i: %sInput!) { %s(input: $i) { minutes { status } errors { field code message } } }"""
    )
    ok(
        run(
            committee,
            minutes % ("WriteMinutes", "writeMinutes"),
            i={
                "meetingId": meeting_id,
                "notes": "Mr Wang (building 3) complained twice",
                "summary": "Lights to be fixed.",
            },
        )["writeMinutes"]
    )
    ok(
        run(committee, minutes % ("SignMinutes", "signMinutesOff"), i={"meetingId": meeting_id})[
            "signMinutesOff"
        ]
    )
    asked = ok(
        run(
            owners,
            minutes % ("SignMinutes", "askMinutesCorrection"),
            i={"meetingId": meeting_id, "note": "name the deadline"},
        )["askMinutesCorrection"]
    )
    assert asked["minutes"]["status"] == "correction_requested"
    ok(
        run(
            committee,
            minutes % ("WriteMinutes", "writeMinutes"),
            i={
                "meetingId": meeting_id,
                "notes": "Mr Wang (building 3) complained twice",
                "summary": "Lights to be fixed before the Spring Festival.",
            },
        )["writeMinutes"]
    )
    for party in (committee, owners, property_company):
        signed = ok(
            run(party, minutes % ("SignMinutes", "signMinutesOff"), i={"meetingId": meeting_id})[
                "signMinutesOff"
            ]
        )
    assert signed["minutes"]["status"] == "published"
    board = requests.get(feed_url["noticeBoardUrl"], timeout=10).json()["notices"]
    assert "Lights to be fixed before the Spring Festival." in [n["text"] for n in board]
    assert "Mr Wang" not in str(board), "private notes never reach the notice board"


def platform_id(global_id: str) -> str:
    from graphql_relay import from_global_id

    return from_global_id(global_id)[1]


def test_the_convener_finds_a_time_every_required_party_can_make(platform):
    from zoneinfo import ZoneInfo

    demo = seed_directory(platform.rpc)
    committee, owners, hospital = (
        platform.client(demo.principals[p])
        for p in (PartyType.RESIDENTS_COMMITTEE, PartyType.OWNERS_COMMITTEE, PartyType.JOINT_BUILDING_UNIT)
    )
    day = (datetime.now(ZoneInfo("Asia/Shanghai")) + timedelta(days=5)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    hospital_id = run(hospital, "{ viewer { party { id } } }")["viewer"]["party"]["id"]
    poll = ok(
        run(
            committee,
            """mutation($i: ProposeMeetingTimesInput!) { proposeMeetingTimes(input: $i) {
        poll { id required { type } invited { type } } errors { field code message } } }""",
            i={
                "title": "Lift maintenance",
                "location": "Property office",
                "durationMinutes": 60,
                "windowStartsAt": (day + timedelta(hours=8)).isoformat(),
                "windowEndsAt": (day + timedelta(hours=21)).isoformat(),
                "optionalPartyIds": [hospital_id],
            },
        )["proposeMeetingTimes"]
    )["poll"]
    assert len(poll["required"]) == 3 and poll["invited"] == [{"type": "JOINT_BUILDING_UNIT"}]
    busy = (
        """mutation($i: StateAvailabilityInput!) { stateAvailability(input: $i) { errors { field code } } }"""
    )
    ok(
        run(
            owners,
            busy,
            i={
                "pollId": poll["id"],
                "busy": [
                    {
                        "startsAt": (day + timedelta(hours=8)).isoformat(),
                        "endsAt": (day + timedelta(hours=15)).isoformat(),
                    }
                ],
            },
        )["stateAvailability"]
    )
    ok(
        run(
            hospital,
            busy,
            i={
                "pollId": poll["id"],
                "busy": [
                    {
                        "startsAt": (day + timedelta(hours=15)).isoformat(),
                        "endsAt": (day + timedelta(hours=16)).isoformat(),
                    }
                ],
            },
        )["stateAvailability"]
    )
    found = run(
        committee,
        """{ schedulingPolls(first: 1) { edges { node { answered { type }
        bestTimes { startsAt invitedFree { type } } } } } }""",
    )["schedulingPolls"]["edges"][0]["node"]
    best = found["bestTimes"][0]
    assert datetime.fromisoformat(best["startsAt"]) == day + timedelta(hours=16), "owners busy, hospital free"
    assert best["invitedFree"] == [{"type": "JOINT_BUILDING_UNIT"}]
    meeting = ok(
        run(
            committee,
            """mutation($i: ConfirmMeetingTimeInput!) { confirmMeetingTime(input: $i) {
        meeting { title startsAt members { type } } errors { field code message } } }""",
            i={"pollId": poll["id"], "startsAt": best["startsAt"]},
        )["confirmMeetingTime"]
    )["meeting"]
    assert meeting["title"] == "Lift maintenance" and len(meeting["members"]) == 4
    mine = run(hospital, "{ schedulingPolls { edges { node { status } } } }")["schedulingPolls"]["edges"]
    assert [e["node"]["status"] for e in mine] == ["confirmed"]
