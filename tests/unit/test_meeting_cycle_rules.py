"""Rules of the meeting cycle: recurrence, quorum, adoption, action items."""

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from services.meetings import domain
from shared.errors import Conflict, InvalidInput, PermissionDenied
from shared.vocabulary.meetings import (
    ActionItemStatus,
    AgendaItemStatus,
    DecisionRule,
    ErrorCode,
    MeetingStatus,
    MinutesStatus,
    PollStatus,
    ResolutionStatus,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_the_first_tuesday_at_two_stays_two_oclock_local_time():
    first = datetime(2026, 12, 1, 14, 0, tzinfo=SHANGHAI)  # a Tuesday
    starts = domain.occurrences(
        "FREQ=MONTHLY;BYDAY=1TU",
        first,
        SHANGHAI,
        datetime(2026, 11, 1, tzinfo=timezone.utc),
        datetime(2027, 4, 1, tzinfo=timezone.utc),
    )
    assert [s.strftime("%Y-%m-%d %H:%M %a") for s in starts] == [
        "2026-12-01 14:00 Tue",
        "2027-01-05 14:00 Tue",
        "2027-02-02 14:00 Tue",
        "2027-03-02 14:00 Tue",
    ]


def test_a_malformed_recurrence_names_the_field():
    with pytest.raises(InvalidInput) as raised:
        domain.check_recurrence("FREQ=SOMETIMES", datetime(2026, 12, 1, tzinfo=timezone.utc))
    assert raised.value.errors[0]["field"] == "recurrence"


def test_quorum_needs_every_core_member_signed_in():
    members = {"rc": "Committee", "oc": "Owners", "pc": "Property"}
    domain.check_quorum({"rc", "oc", "pc", "guest"}, members)
    with pytest.raises(Conflict) as raised:
        domain.check_quorum({"rc", "oc"}, members)
    assert raised.value.code == "no_quorum" and "Property" in raised.value.message


@pytest.mark.parametrize(
    ("stances", "rule", "outcome"),
    [
        ({"rc": "agree", "oc": "agree"}, "consensus", None),
        ({"rc": "agree", "oc": "agree", "pc": "abstain"}, "consensus", "adopted"),
        ({"rc": "agree", "oc": "agree", "pc": "object"}, "consensus", "rejected"),
        ({"rc": "abstain", "oc": "abstain", "pc": "abstain"}, "consensus", "rejected"),
        ({"rc": "agree", "oc": "agree", "pc": "object"}, "majority", "adopted"),
        ({"rc": "agree", "oc": "object", "pc": "abstain"}, "majority", "rejected"),
    ],
)
def test_adoption_follows_the_series_rule(stances, rule, outcome):
    assert domain.decide(stances, {"rc", "oc", "pc"}, rule) == outcome


def test_only_members_take_positions_and_only_once_decided():
    with pytest.raises(PermissionDenied):
        domain.check_position("stranger", {"rc", "oc"}, "proposed")
    with pytest.raises(Conflict):
        domain.check_position("rc", {"rc", "oc"}, "adopted")


def test_an_action_item_is_overdue_after_its_due_date_and_escalated_after_the_grace():
    due = datetime(2026, 12, 1, tzinfo=timezone.utc)
    assert not domain.is_overdue("open", due, due)
    assert domain.is_overdue("in_progress", due, due + timedelta(seconds=1))
    assert not domain.is_overdue("completed", due, due + timedelta(days=30))
    assert not domain.is_escalated("open", due, due + timedelta(days=7))
    assert domain.is_escalated("open", due, due + timedelta(days=7, seconds=1))


def test_action_items_move_through_report_complete_confirm():
    assert domain.next_action_status("open", "report") == "in_progress"
    assert domain.next_action_status("in_progress", "complete") == "completed"
    assert domain.next_action_status("completed", "confirm") == "confirmed"
    with pytest.raises(Conflict):
        domain.next_action_status("confirmed", "report")


def test_the_agenda_closes_at_its_deadline():
    starts = datetime(2026, 12, 8, 6, 0, tzinfo=timezone.utc)
    deadline = domain.default_agenda_deadline(starts)
    domain.check_agenda_open("scheduled", deadline, deadline)
    with pytest.raises(Conflict) as raised:
        domain.check_agenda_open("scheduled", deadline, deadline + timedelta(seconds=1))
    assert raised.value.code == "agenda_closed" and raised.value.field == "meeting_id"


def test_who_may_call_which_meeting():
    from shared.identity import PartyType, Principal

    owners = Principal("a", PartyType.OWNERS_COMMITTEE, "oc", "d", "c", "k")
    with pytest.raises(PermissionDenied):
        domain.check_may_call(owners, "regular", None)
    with pytest.raises(InvalidInput) as raised:
        domain.check_may_call(owners, "extraordinary", " ")
    assert raised.value.errors[0]["field"] == "reason"
    domain.check_may_call(owners, "extraordinary", "the lift has failed twice this week")
    with pytest.raises(PermissionDenied):
        domain.check_may_call(Principal("a", PartyType.VOLUNTEER, "v"), "extraordinary", "x")


def test_minutes_are_published_once_every_core_party_signed():
    core = {"rc", "oc", "pc"}
    signed, status = domain.sign_minutes({}, core, "rc", "sign")
    signed, status = domain.sign_minutes(signed, core, "oc", "sign")
    assert status == "circulating"
    assert domain.sign_minutes(signed, core, "pc", "correct") == ({}, "correction_requested")
    assert domain.sign_minutes(signed, core, "pc", "sign")[1] == "published"
    with pytest.raises(PermissionDenied):
        domain.sign_minutes(signed, core, "guest", "sign")


# Lifecycles: every status has its row in its table, and the checks read the tables ----------------


@pytest.mark.parametrize(
    ("table", "statuses"),
    [
        (domain.MEETING_TRANSITIONS, MeetingStatus),
        (domain.RESOLUTION_TRANSITIONS, ResolutionStatus),
        (domain.AGENDA_TRANSITIONS, AgendaItemStatus),
        (domain.MINUTES_TRANSITIONS, MinutesStatus),
        (domain.POLL_TRANSITIONS, PollStatus),
    ],
)
def test_every_status_has_its_moves_and_every_move_leads_to_a_status(table, statuses):
    assert set(table) == set(statuses)
    assert all(to in statuses for moves in table.values() for to in moves)


def test_every_action_item_status_is_reached_and_only_open_work_is_overdue():
    reached = {to for to in domain.ACTION_TRANSITIONS.values()} | {ActionItemStatus.OPEN}
    assert reached == set(ActionItemStatus)
    assert set(domain.OPEN_ACTION_STATUSES) == {ActionItemStatus.OPEN, ActionItemStatus.IN_PROGRESS}
    with pytest.raises(Conflict) as raised:
        domain.next_action_status("open", "confirm")
    assert raised.value.code == ErrorCode.INVALID_TRANSITION


def test_a_cancelled_meeting_is_neither_rescheduled_nor_signed_in_to():
    domain.check_meeting_scheduled(MeetingStatus.SCHEDULED)
    with pytest.raises(Conflict) as raised:
        domain.check_meeting_scheduled(MeetingStatus.CANCELLED)
    assert (raised.value.code, raised.value.field) == (ErrorCode.NOT_SCHEDULED, "meeting_id")


def test_decided_agenda_items_polls_and_resolutions_stay_decided():
    domain.check_agenda_item_undecided(AgendaItemStatus.PROPOSED)
    for decided in (AgendaItemStatus.ACCEPTED, AgendaItemStatus.DEFERRED):
        with pytest.raises(Conflict) as raised:
            domain.check_agenda_item_undecided(decided)
        assert raised.value.code == ErrorCode.DECIDED
    domain.check_poll_open(PollStatus.OPEN)
    with pytest.raises(Conflict) as raised:
        domain.check_poll_open(PollStatus.CONFIRMED)
    assert raised.value.code == ErrorCode.CLOSED
    domain.check_adopted(ResolutionStatus.ADOPTED)
    for status in (ResolutionStatus.PROPOSED, ResolutionStatus.REJECTED):
        with pytest.raises(Conflict) as raised:
            domain.check_adopted(status)
        assert raised.value.code == ErrorCode.NOT_ADOPTED


def test_minutes_are_rewritten_until_published_and_signed_only_while_circulating():
    for status in (None, MinutesStatus.CIRCULATING, MinutesStatus.CORRECTION_REQUESTED):
        domain.check_minutes_writable(status)
    with pytest.raises(Conflict) as raised:
        domain.check_minutes_writable(MinutesStatus.PUBLISHED)
    assert raised.value.code == ErrorCode.PUBLISHED
    assert domain.none_circulating().code == ErrorCode.NOT_CIRCULATING


def test_an_outcome_is_a_resolution_status():
    outcome = domain.decide({"rc": "agree", "oc": "agree"}, {"rc", "oc"}, DecisionRule.CONSENSUS)
    assert outcome is ResolutionStatus.ADOPTED
