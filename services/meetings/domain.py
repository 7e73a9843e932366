"""Rules of joint meetings, in plain Python."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from shared.errors import Conflict, InvalidInput, PermissionDenied
from shared.identity import PartyType, Principal
from shared.vocabulary.meetings import DecisionRule, ErrorCode, Stance

CORE_PARTIES = (
    PartyType.RESIDENTS_COMMITTEE,
    PartyType.OWNERS_COMMITTEE,
    PartyType.PROPERTY_COMPANY,
)
LONGEST_MEETING = timedelta(hours=12)


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
    if meeting_status != "scheduled":
        raise Conflict(f"the meeting is {meeting_status}; its agenda is closed", field="meeting_id")


def check_resolution(decision_type: str, budget: Decimal | None, category: str | None) -> None:
    """A purchase of services needs a budget and a category for the project it starts."""
    if decision_type != "purchase_service":
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
    from dateutil.rrule import rrulestr

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
    from dateutil.rrule import rrulestr

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
    agree, object_ = counted.count("agree"), counted.count("object")
    if rule == "majority":
        return "adopted" if agree > object_ else "rejected"
    return "adopted" if object_ == 0 and agree > 0 else "rejected"


def check_position(party_id: str, members: set[str], resolution_status: str) -> None:
    if party_id not in members:
        raise PermissionDenied(
            "only a core party that is a member of this meeting takes a position", field="resolution_id"
        )
    if resolution_status != "proposed":
        raise Conflict(
            f"the resolution is already {resolution_status}", field="resolution_id", code=ErrorCode.DECIDED
        )


# Action items -----------------------------------------------------------------------------

ESCALATION_GRACE = timedelta(days=7)


def check_due_date(due_at: datetime, at: datetime) -> None:
    if due_at <= at:
        raise InvalidInput(
            [{"field": "due_at", "code": ErrorCode.IN_PAST, "message": "the due date must be in the future"}]
        )


def is_overdue(status: str, due_at: datetime, at: datetime) -> bool:
    return status in ("open", "in_progress") and at > due_at


def is_escalated(status: str, due_at: datetime, at: datetime) -> bool:
    """Still not done a grace period after its due date: the sub-district office sees it."""
    return is_overdue(status, due_at, at) and at > due_at + ESCALATION_GRACE


ACTION_TRANSITIONS = {
    # (from, action) -> to; who may act is checked by the handler
    ("open", "report"): "in_progress",
    ("in_progress", "report"): "in_progress",
    ("open", "complete"): "completed",
    ("in_progress", "complete"): "completed",
    ("completed", "confirm"): "confirmed",
    ("completed", "reopen"): "in_progress",
}


def next_action_status(status: str, action: str) -> str:
    try:
        return ACTION_TRANSITIONS[(status, action)]
    except KeyError:
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
    if meeting_status != "scheduled":
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
    if kind == "regular":
        principal.require(PartyType.RESIDENTS_COMMITTEE)
    elif principal.party_type not in CORE_PARTIES:
        raise PermissionDenied(
            "only the committee, the owners' committee or the property company call a meeting"
        )
    if kind == "extraordinary" and not (reason or "").strip():
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
    if decision == "correct":
        return {}, "correction_requested"
    signed = {**sign_offs, party_id: "signed"}
    return signed, "published" if core <= set(signed) else "circulating"
