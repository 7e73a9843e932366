"""Rules of joint meetings, in plain Python: who may do what, and the lifecycles of meetings,
resolutions, agenda items, minutes, action items and scheduling polls (each a status enum of
``shared.vocabulary.meetings`` and a table of the moves it allows)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from dateutil.rrule import rrulestr  # type: ignore[import-untyped]

from shared.errors import Conflict, InvalidInput, PermissionDenied
from shared.identity import PartyType, Principal
from shared.vocabulary.meetings import (
    ActionItemAction,
    ActionItemStatus,
    AgendaItemStatus,
    DecisionRule,
    DecisionType,
    ErrorCode,
    MeetingKind,
    MeetingStatus,
    MinutesDecision,
    MinutesStatus,
    PollStatus,
    ResolutionStatus,
    Stance,
)

CORE_PARTIES = (
    PartyType.RESIDENTS_COMMITTEE,
    PartyType.OWNERS_COMMITTEE,
    PartyType.PROPERTY_COMPANY,
)
LONGEST_MEETING = timedelta(hours=12)


# Lifecycles ------------------------------------------------------------------------------

# scheduled → cancelled (a meeting that was held keeps its status: its minutes say it was).
MEETING_TRANSITIONS: dict[MeetingStatus, frozenset[MeetingStatus]] = {
    MeetingStatus.SCHEDULED: frozenset({MeetingStatus.CANCELLED}),
    MeetingStatus.CANCELLED: frozenset(),
}
# proposed → adopted or rejected, by the core parties' positions.
RESOLUTION_TRANSITIONS: dict[ResolutionStatus, frozenset[ResolutionStatus]] = {
    ResolutionStatus.PROPOSED: frozenset({ResolutionStatus.ADOPTED, ResolutionStatus.REJECTED}),
    ResolutionStatus.ADOPTED: frozenset(),
    ResolutionStatus.REJECTED: frozenset(),
}
# proposed → accepted or deferred (a deferred item is carried to the next meeting as a new one).
AGENDA_TRANSITIONS: dict[AgendaItemStatus, frozenset[AgendaItemStatus]] = {
    AgendaItemStatus.PROPOSED: frozenset({AgendaItemStatus.ACCEPTED, AgendaItemStatus.DEFERRED}),
    AgendaItemStatus.ACCEPTED: frozenset(),
    AgendaItemStatus.DEFERRED: frozenset(),
}
# circulating → published once every core party signed; a correction asked for sends them back
# to the convener, whose rewrite circulates them again. Published minutes are final.
MINUTES_TRANSITIONS: dict[MinutesStatus, frozenset[MinutesStatus]] = {
    MinutesStatus.CIRCULATING: frozenset(
        {MinutesStatus.CIRCULATING, MinutesStatus.CORRECTION_REQUESTED, MinutesStatus.PUBLISHED}
    ),
    MinutesStatus.CORRECTION_REQUESTED: frozenset({MinutesStatus.CIRCULATING}),
    MinutesStatus.PUBLISHED: frozenset(),
}
# open → confirmed when the convener chooses a time.
POLL_TRANSITIONS: dict[PollStatus, frozenset[PollStatus]] = {
    PollStatus.OPEN: frozenset({PollStatus.CONFIRMED}),
    PollStatus.CONFIRMED: frozenset(),
}


def check_meeting_scheduled(status: str) -> None:
    """Rescheduling, cancelling and signing in need a meeting still scheduled."""
    if MeetingStatus.CANCELLED not in MEETING_TRANSITIONS[MeetingStatus(status)]:
        raise Conflict(f"the meeting is {status}", field="meeting_id", code=ErrorCode.NOT_SCHEDULED)


def check_agenda_item_undecided(status: str) -> None:
    if not AGENDA_TRANSITIONS[AgendaItemStatus(status)]:
        raise Conflict(f"the item is already {status}", field="agenda_item_id", code=ErrorCode.DECIDED)


def check_minutes_writable(status: str | None) -> None:
    """Minutes are written afresh, or rewritten until they are published."""
    if status is not None and MinutesStatus.CIRCULATING not in MINUTES_TRANSITIONS[MinutesStatus(status)]:
        raise Conflict("published minutes are final", field="meeting_id", code=ErrorCode.PUBLISHED)


def none_circulating() -> Conflict:
    """Minutes are signed off only while they circulate."""
    return Conflict(
        "no minutes are circulating for sign-off", field="meeting_id", code=ErrorCode.NOT_CIRCULATING
    )


def check_poll_open(status: str) -> None:
    if PollStatus.CONFIRMED not in POLL_TRANSITIONS[PollStatus(status)]:
        raise Conflict("the time is already chosen", field="poll_id", code=ErrorCode.CLOSED)


def check_adopted(status: str) -> None:
    """Action items follow an adopted resolution only."""
    if status != ResolutionStatus.ADOPTED:
        raise Conflict(
            f"the resolution is {status}, not adopted", field="resolution_id", code=ErrorCode.NOT_ADOPTED
        )


def check_meeting_times(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise InvalidInput(
            [{"field": "ends_at", "code": ErrorCode.INVALID, "message": "a meeting must end after it starts"}]
        )
    if ends_at - starts_at > LONGEST_MEETING:
        raise InvalidInput(
            [
                {
                    "field": "ends_at",
                    "code": ErrorCode.TOO_LONG,
                    "message": "a joint meeting lasts at most 12 hours",
                }
            ]
        )


def check_may_submit_agenda_item(principal: Principal, meeting_status: str) -> None:
    if principal.party_type not in CORE_PARTIES:
        raise PermissionDenied(
            "only the committee, the owners' committee and the property company submit agenda items"
        )
    if meeting_status != MeetingStatus.SCHEDULED:
        raise Conflict(f"the meeting is {meeting_status}; its agenda is closed", field="meeting_id")


def check_resolution(decision_type: str, budget: Decimal | None, category: str | None) -> None:
    """A purchase of services needs a budget and a category for the project it starts."""
    if decision_type != DecisionType.PURCHASE_SERVICE:
        return
    errors = []
    if budget is None or budget <= 0:
        errors.append(
            {
                "field": "budget",
                "code": ErrorCode.REQUIRED,
                "message": "a purchase of services needs a positive budget",
            }
        )
    if not category:
        errors.append(
            {
                "field": "category",
                "code": ErrorCode.REQUIRED,
                "message": "a purchase of services needs a service category",
            }
        )
    if errors:
        raise InvalidInput(errors)


# Meeting series ---------------------------------------------------------------------------


def check_recurrence(rule: str, first_starts_at: datetime) -> None:
    """An RFC 5545 RRULE (without the 'RRULE:' prefix), e.g. FREQ=MONTHLY;BYDAY=1TU."""
    try:
        rrulestr(rule, dtstart=first_starts_at)
    except (ValueError, TypeError) as exc:
        raise InvalidInput(
            [{"field": "recurrence", "code": ErrorCode.INVALID, "message": f"not an RFC 5545 RRULE: {exc}"}]
        ) from None


def occurrences(
    rule: str, first_starts_at: datetime, zone, after: datetime, before: datetime
) -> list[datetime]:
    """The series' start times in [after, before), expanded in the community's zone so that
    "14:00 on the first Tuesday" stays 14:00 local time."""
    local_first = first_starts_at.astimezone(zone)
    expanded = rrulestr(rule, dtstart=local_first).between(
        after.astimezone(zone), before.astimezone(zone), inc=True
    )
    return [moment for moment in expanded if moment < before]


# Quorum and adoption ----------------------------------------------------------------------

STANCES = tuple(Stance)
DECISION_RULES = tuple(DecisionRule)


def check_quorum(present: set[str], required: dict[str, str]) -> None:
    """Quorum: every core party that is a member of the meeting (id → name) has signed in."""
    missing = sorted(name for party_id, name in required.items() if party_id not in present)
    if missing:
        raise Conflict(
            f"no quorum: {', '.join(missing)} not signed in", field="meeting_id", code=ErrorCode.NO_QUORUM
        )


def decide(stances: dict[str, str], required: set[str], rule: str) -> str | None:
    """'adopted', 'rejected', or None while a core party has not taken its position.

    Consensus: no core party objects and at least one agrees. Majority: more core
    parties agree than object.
    """
    if not required <= set(stances):
        return None
    counted = [stances[p] for p in required]
    agree, object_ = counted.count(Stance.AGREE), counted.count(Stance.OBJECT)
    if rule == DecisionRule.MAJORITY:
        adopted = agree > object_
    else:
        adopted = object_ == 0 and agree > 0
    return ResolutionStatus.ADOPTED if adopted else ResolutionStatus.REJECTED


def check_position(party_id: str, members: set[str], resolution_status: str) -> None:
    if party_id not in members:
        raise PermissionDenied(
            "only a core party that is a member of this meeting takes a position", field="resolution_id"
        )
    if not RESOLUTION_TRANSITIONS[ResolutionStatus(resolution_status)]:
        raise Conflict(
            f"the resolution is already {resolution_status}", field="resolution_id", code=ErrorCode.DECIDED
        )


# Action items -----------------------------------------------------------------------------

ESCALATION_GRACE = timedelta(days=7)
# Work still to be done: what can be overdue, escalated, and followed up on the next agenda.
OPEN_ACTION_STATUSES = (ActionItemStatus.OPEN, ActionItemStatus.IN_PROGRESS)


def check_due_date(due_at: datetime, at: datetime) -> None:
    if due_at <= at:
        raise InvalidInput(
            [{"field": "due_at", "code": ErrorCode.IN_PAST, "message": "the due date must be in the future"}]
        )


def is_overdue(status: str, due_at: datetime, at: datetime) -> bool:
    return status in OPEN_ACTION_STATUSES and at > due_at


def is_escalated(status: str, due_at: datetime, at: datetime) -> bool:
    """Still not done a grace period after its due date: the sub-district office sees it."""
    return is_overdue(status, due_at, at) and at > due_at + ESCALATION_GRACE


ACTION_TRANSITIONS = {
    # (from, action) -> to; who may act is checked by the handler
    (ActionItemStatus.OPEN, ActionItemAction.REPORT): ActionItemStatus.IN_PROGRESS,
    (ActionItemStatus.IN_PROGRESS, ActionItemAction.REPORT): ActionItemStatus.IN_PROGRESS,
    (ActionItemStatus.OPEN, ActionItemAction.COMPLETE): ActionItemStatus.COMPLETED,
    (ActionItemStatus.IN_PROGRESS, ActionItemAction.COMPLETE): ActionItemStatus.COMPLETED,
    (ActionItemStatus.COMPLETED, ActionItemAction.CONFIRM): ActionItemStatus.CONFIRMED,
    (ActionItemStatus.COMPLETED, ActionItemAction.REOPEN): ActionItemStatus.IN_PROGRESS,
}


def next_action_status(status: str, action: str) -> ActionItemStatus:
    try:
        return ACTION_TRANSITIONS[(ActionItemStatus(status), ActionItemAction(action))]
    except (KeyError, ValueError):
        raise Conflict(
            f"an action item that is {status} cannot be {action}ed",
            field="action_item_id",
            code=ErrorCode.INVALID_TRANSITION,
        ) from None


# Agenda and minutes -----------------------------------------------------------------------

AGENDA_NOTICE = timedelta(days=1)


def default_agenda_deadline(starts_at: datetime) -> datetime:
    return starts_at - AGENDA_NOTICE


def check_agenda_open(meeting_status: str, deadline: datetime | None, at: datetime) -> None:
    if meeting_status != MeetingStatus.SCHEDULED:
        raise Conflict(
            f"the meeting is {meeting_status}; its agenda is closed",
            field="meeting_id",
            code=ErrorCode.AGENDA_CLOSED,
        )
    if deadline is not None and at > deadline:
        raise Conflict(
            "the agenda deadline has passed; the item can go to the next meeting",
            field="meeting_id",
            code=ErrorCode.AGENDA_CLOSED,
        )


def check_may_call(principal: Principal, kind: str, reason: str | None) -> None:
    """The committee convenes regular meetings; any core party may call an extraordinary one, saying why."""
    if kind == MeetingKind.REGULAR:
        principal.require(PartyType.RESIDENTS_COMMITTEE)
    elif principal.party_type not in CORE_PARTIES:
        raise PermissionDenied(
            "only the committee, the owners' committee or the property company call a meeting"
        )
    if kind == MeetingKind.EXTRAORDINARY and not (reason or "").strip():
        raise InvalidInput(
            [
                {
                    "field": "reason",
                    "code": ErrorCode.REQUIRED,
                    "message": "an extraordinary meeting needs the reason it is called",
                }
            ]
        )


def sign_minutes(sign_offs: dict[str, str], core: set[str], party_id: str, decision: str) -> tuple[dict, str]:
    """The minutes' sign-offs after a core party signs or asks for a correction, and their status:
    published once every core party has signed; a correction sends them back to the convener."""
    if party_id not in core:
        raise PermissionDenied("only a core member of the meeting signs its minutes", field="meeting_id")
    if decision == MinutesDecision.CORRECT:
        return {}, MinutesStatus.CORRECTION_REQUESTED
    signed = {**sign_offs, party_id: "signed"}
    return signed, MinutesStatus.PUBLISHED if core <= set(signed) else MinutesStatus.CIRCULATING
