"""What a meeting was scheduled with reads back through the gateway: an extraordinary meeting's
reason and convener (the core party that called it), and every meeting's agenda deadline."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from gql import gql

from deploy.seed import seed_directory
from shared.identity import PartyType

MEETING = "id kind reason agendaDeadline convener { id type name } members { type }"


def test_an_extraordinary_meeting_reads_back_its_reason_deadline_and_convener(platform):
    demo = seed_directory(platform.rpc, serial=5)
    committee, owners = (
        platform.client(demo.principals[p])
        for p in (PartyType.RESIDENTS_COMMITTEE, PartyType.OWNERS_COMMITTEE)
    )
    soon = (datetime.now(timezone.utc) + timedelta(days=2)).replace(microsecond=0)
    schedule = gql(
        f"""mutation($i: ScheduleMeetingInput!) {{ scheduleMeeting(input: $i) {{
        meeting {{ {MEETING} }} errors {{ field code message }} }} }}"""
    )
    called = owners.execute(
        schedule,
        variable_values={
            "i": {
                "title": "Extraordinary meeting",
                "location": "Community hall",
                "kind": "extraordinary",
                "reason": "The lifts have stopped",
                "startsAt": soon.isoformat(),
                "endsAt": (soon + timedelta(hours=2)).isoformat(),
                "agendaDeadline": (soon - timedelta(hours=6)).isoformat(),
            }
        },
    )["scheduleMeeting"]
    assert called["errors"] == []
    meeting = called["meeting"]
    assert meeting["reason"] == "The lifts have stopped"
    assert datetime.fromisoformat(meeting["agendaDeadline"]) == soon - timedelta(hours=6)
    assert meeting["convener"]["type"] == "OWNERS_COMMITTEE"
    assert meeting["convener"]["name"] == "临湖花园业主委员会 Lakeside Garden Owners' Committee"
    assert "RESIDENTS_COMMITTEE" in {m["type"] for m in meeting["members"]}

    regular = committee.execute(
        schedule,
        variable_values={
            "i": {
                "title": "Joint meeting",
                "location": "Community hall",
                "startsAt": soon.isoformat(),
                "endsAt": (soon + timedelta(hours=2)).isoformat(),
            }
        },
    )["scheduleMeeting"]["meeting"]
    assert regular["convener"]["type"] == "RESIDENTS_COMMITTEE" and regular["reason"] is None
    assert datetime.fromisoformat(regular["agendaDeadline"]) == soon - timedelta(days=1)  # a day before

    # The same, read again: in the list and through node(id:).
    listed = committee.execute(gql(f"{{ meetings {{ edges {{ node {{ {MEETING} }} }} }} }}"))["meetings"]
    assert {e["node"]["id"]: e["node"] for e in listed["edges"]} == {
        meeting["id"]: meeting,
        regular["id"]: regular,
    }
    node = owners.execute(
        gql(f"query($id: ID!) {{ node(id: $id) {{ ... on Meeting {{ {MEETING} }} }} }}"),
        variable_values={"id": meeting["id"]},
    )["node"]
    assert node == meeting
