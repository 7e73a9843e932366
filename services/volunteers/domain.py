"""Rules of volunteer dispatch, in plain Python: windows, offers, check-in and no-shows, hours, and the
double-entry points ledger."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from shared import config
from shared.errors import Conflict, InvalidInput, PermissionDenied
from shared.vocabulary.volunteers import (
    ErrorCode,
    OfferStatus,
    RequestPriority,
    RequestStatus,
    ShiftStatus,
)

# An elderly resident living alone comes first; the dispatch ranks places by these.
PRIORITY_RANK = {
    RequestPriority.ROUTINE: 1,
    RequestPriority.URGENT: 2,
    RequestPriority.ELDERLY_LIVING_ALONE: 3,
}

MAX_SHIFT = timedelta(hours=12)
MAX_WINDOW = timedelta(days=14)
# Long enough to think it over, short enough that the next best still has time to say yes.
LONGEST_RESPONSE = timedelta(hours=12)
SHORTEST_RESPONSE = timedelta(minutes=15)
NO_SHOW_AFTER = timedelta(minutes=15)
CHECK_IN_FROM = timedelta(minutes=30)  # before the start
FORGOTTEN_CHECK_OUT_AFTER = timedelta(hours=2)  # after the end
UNFILLED_NOTICE = timedelta(hours=24)  # before the start
LATE_START_LEAD = timedelta(minutes=30)
POINTS_PER_HOUR = 10


# The service's own kinds -------------------------------------------------------------------


class RoundReason(StrEnum):
    """Why a dispatch round ran: asked for, or to fill places lost."""

    DISPATCH = "dispatch"
    DECLINED = "declined"
    EXPIRED = "expired"
    NO_SHOW = "no_show"


class RequestSource(StrEnum):
    COMMITTEE = "committee"
    OWNERS_COMMITTEE = "owners_committee"
    TEAM = "team"
    RESOLUTION = "resolution"
    MILESTONE = "milestone"


class RequestOwner(StrEnum):
    """Who approves a request's hours."""

    RESIDENTS_COMMITTEE = "residents_committee"
    OWNERS_COMMITTEE = "owners_committee"
    TEAM = "team"


class AccountKind(StrEnum):
    VOLUNTEER = "volunteer"
    ISSUED = "issued"  # the community's: every point credited comes from it
    REDEEMED = "redeemed"  # the community's: every point spent goes to it


class PostingKind(StrEnum):
    HOURS = "hours"
    ACTIVITY = "activity"
    REDEMPTION = "redemption"


TIMER = "timer"  # who runs the time-driven rounds


# Lifecycles --------------------------------------------------------------------------------

# draft → open ⇄ filled; cancelled from any of them before the start.
REQUEST_TRANSITIONS: Mapping[RequestStatus, frozenset[RequestStatus]] = {
    RequestStatus.DRAFT: frozenset({RequestStatus.OPEN, RequestStatus.CANCELLED}),
    RequestStatus.OPEN: frozenset({RequestStatus.FILLED, RequestStatus.CANCELLED}),
    RequestStatus.FILLED: frozenset({RequestStatus.OPEN, RequestStatus.CANCELLED}),
    RequestStatus.CANCELLED: frozenset(),
}
# An offer is answered once: accepted, declined, left to lapse, or withdrawn with its request.
OFFER_TRANSITIONS: Mapping[OfferStatus, frozenset[OfferStatus]] = {
    OfferStatus.OFFERED: frozenset(
        {OfferStatus.ACCEPTED, OfferStatus.DECLINED, OfferStatus.EXPIRED, OfferStatus.WITHDRAWN}
    ),
    OfferStatus.ACCEPTED: frozenset(),
    OfferStatus.DECLINED: frozenset(),
    OfferStatus.EXPIRED: frozenset(),
    OfferStatus.WITHDRAWN: frozenset(),
}
# booked → checked_in → checked_out → approved; a booked shift nobody came to is a no-show; the
# request's cancellation cancels what is still kept.
SHIFT_TRANSITIONS: Mapping[ShiftStatus, frozenset[ShiftStatus]] = {
    ShiftStatus.BOOKED: frozenset({ShiftStatus.CHECKED_IN, ShiftStatus.NO_SHOW, ShiftStatus.CANCELLED}),
    ShiftStatus.CHECKED_IN: frozenset({ShiftStatus.CHECKED_OUT, ShiftStatus.CANCELLED}),
    ShiftStatus.CHECKED_OUT: frozenset({ShiftStatus.APPROVED, ShiftStatus.CANCELLED}),
    ShiftStatus.APPROVED: frozenset({ShiftStatus.CANCELLED}),
    ShiftStatus.NO_SHOW: frozenset(),
    ShiftStatus.CANCELLED: frozenset(),
}

LIVE_OFFER = (OfferStatus.OFFERED,)
BOOKED_SHIFT = (ShiftStatus.BOOKED, ShiftStatus.CHECKED_IN)  # holds the volunteer's time from now on
# A place that stays filled.
KEPT_SHIFT = (ShiftStatus.BOOKED, ShiftStatus.CHECKED_IN, ShiftStatus.CHECKED_OUT, ShiftStatus.APPROVED)
CANCELLABLE = (RequestStatus.DRAFT, RequestStatus.OPEN, RequestStatus.FILLED)

# A shift or request in the wrong state for a command answers with its state, by name.
SHIFT_STATE_CODE: Mapping[ShiftStatus, ErrorCode] = {
    ShiftStatus.BOOKED: ErrorCode.BOOKED,
    ShiftStatus.CHECKED_IN: ErrorCode.CHECKED_IN,
    ShiftStatus.CHECKED_OUT: ErrorCode.CHECKED_OUT,
    ShiftStatus.APPROVED: ErrorCode.APPROVED,
    ShiftStatus.NO_SHOW: ErrorCode.NO_SHOW,
    ShiftStatus.CANCELLED: ErrorCode.CANCELLED,
}
REQUEST_STATE_CODE: Mapping[RequestStatus, ErrorCode] = {
    RequestStatus.DRAFT: ErrorCode.DRAFT,
    RequestStatus.FILLED: ErrorCode.FILLED,
    RequestStatus.CANCELLED: ErrorCode.CANCELLED,
    RequestStatus.OPEN: ErrorCode.CONFLICT,
}


def moves(table: Mapping[Any, frozenset], status: str, to: StrEnum) -> bool:
    """Whether a record in ``status`` may move to ``to`` by its lifecycle's table."""
    return to in table.get(status, frozenset())


def invalid(field: str, message: str, code: ErrorCode = ErrorCode.INVALID) -> InvalidInput:
    return InvalidInput([{"field": field, "code": code, "message": message}])


# Requests -------------------------------------------------------------------------------


def check_window(starts_at: datetime, ends_at: datetime, duration_minutes: int | None) -> None:
    """A fixed shift of up to 12 hours, or a window of up to 14 days holding a duration of up to 12."""
    if ends_at <= starts_at:
        raise invalid("ends_at", "a shift or window must end after it starts")
    if duration_minutes is None:
        if ends_at - starts_at > MAX_SHIFT:
            raise invalid("ends_at", "a fixed shift lasts at most 12 hours; give a duration for a window")
        return
    if ends_at - starts_at > MAX_WINDOW:
        raise invalid("ends_at", "a flexible window spans at most 14 days")
    if timedelta(minutes=duration_minutes) > ends_at - starts_at:
        raise invalid("duration_minutes", "the duration must fit in the window")


def shift_hours(starts_at: datetime, ends_at: datetime, duration_minutes: int | None) -> float:
    minutes = duration_minutes if duration_minutes is not None else (ends_at - starts_at).total_seconds() / 60
    return minutes / 60


def parse_availability(slots: Iterable[dict]) -> list[tuple[int, time, time]]:
    """Weekly availability as the dispatch reads it; an end at or before the start runs past midnight."""
    return [(s["weekday"], time.fromisoformat(s["starts"]), time.fromisoformat(s["ends"])) for s in slots]


def check_availability(slots: list[dict]) -> None:
    errors = []
    for index, slot in enumerate(slots):
        for key in ("starts", "ends"):
            try:
                parsed = time.fromisoformat(slot[key])
            except ValueError:
                parsed = None
            if parsed is None or parsed.tzinfo is not None:
                errors.append(
                    {
                        "field": f"availability.{index}.{key}",
                        "code": ErrorCode.INVALID,
                        "message": "a local time of day such as 08:30",
                    }
                )
    if errors:
        raise InvalidInput(errors)


def dispatch_start(starts_at: datetime, at: datetime) -> datetime:
    """Where a dispatch at ``at`` may start a place: as planned, or, once the request has begun (a
    no-show's place), half an hour after the offer, time enough to answer and get there."""
    return starts_at if starts_at >= at else at + LATE_START_LEAD


def vacancies(places: int, held: int) -> int:
    """Places without a volunteer who holds an offer or a kept shift."""
    return max(places - held, 0)


def status_after_change(status: str, places: int, kept: int) -> str:
    """An open request is filled once every place has a kept shift, and open again when one is lost."""
    if status not in (RequestStatus.OPEN, RequestStatus.FILLED):
        return status
    return RequestStatus.FILLED if kept >= places else RequestStatus.OPEN


def unfilled_report_due(
    starts_at: datetime, at: datetime, status: str, already_reported: bool, kept: int, places: int
) -> bool:
    """Close to its start with places still without a volunteer: meetings and the committee are told once."""
    return (
        status == RequestStatus.OPEN
        and not already_reported
        and kept < places
        and at < starts_at + NO_SHOW_AFTER
        and starts_at - at <= UNFILLED_NOTICE
    )


def week_of(moment: datetime) -> date:
    """The Monday of the community week holding ``moment``: weekly caps count per such week."""
    local = moment.astimezone(config.community_zone())
    return local.date() - timedelta(days=local.weekday())


# Offers and shifts ----------------------------------------------------------------------


def response_deadline(offered_at: datetime, starts_at: datetime) -> datetime:
    """Half the time left before the start, between 15 minutes and 12 hours."""
    half = (starts_at - offered_at) / 2
    return offered_at + min(max(half, SHORTEST_RESPONSE), LONGEST_RESPONSE)


def check_response(status: str, respond_by: datetime, at: datetime) -> None:
    if not moves(OFFER_TRANSITIONS, status, OfferStatus.ACCEPTED):
        raise Conflict(f"this offer is already {status}", field="offer_id", code=ErrorCode.NOT_OPEN)
    if at > respond_by:
        raise Conflict("the time to answer this offer has passed", field="offer_id", code=ErrorCode.EXPIRED)


def check_check_in(status: str, starts_at: datetime, ends_at: datetime, at: datetime) -> None:
    if not moves(SHIFT_TRANSITIONS, status, ShiftStatus.CHECKED_IN):
        raise Conflict(
            f"this shift is {status}, not waiting for check-in",
            field="shift_id",
            code=SHIFT_STATE_CODE[ShiftStatus(status)],
        )
    if at < starts_at - CHECK_IN_FROM:
        raise Conflict(
            "check-in opens 30 minutes before the start", field="shift_id", code=ErrorCode.TOO_EARLY
        )
    if at > starts_at + NO_SHOW_AFTER or at >= ends_at:
        raise Conflict(
            "more than 15 minutes late: the place has gone to someone else",
            field="shift_id",
            code=ErrorCode.TOO_LATE,
        )


def check_check_out(status: str) -> None:
    if not moves(SHIFT_TRANSITIONS, status, ShiftStatus.CHECKED_OUT):
        raise Conflict(
            f"this shift is {status}, not checked in", field="shift_id", code=ErrorCode.NOT_CHECKED_IN
        )


def _all(*conditions: Any) -> bool:
    return all(conditions)


# The timers' rules are written once: on a shift's values in Python, or, given ``all_of=and_``, on
# its columns as the condition of the timer's query.


def is_no_show(status: Any, starts_at: Any, at: datetime, all_of: Callable[..., Any] = _all) -> Any:
    """Booked and not checked in 15 minutes after the start."""
    return all_of(status == ShiftStatus.BOOKED, starts_at <= at - NO_SHOW_AFTER)


def forgotten_check_out(status: Any, ends_at: Any, at: datetime, all_of: Callable[..., Any] = _all) -> Any:
    """Checked in and not out two hours after the end."""
    return all_of(status == ShiftStatus.CHECKED_IN, ends_at <= at - FORGOTTEN_CHECK_OUT_AFTER)


def approved_minutes(
    status: str,
    starts_at: datetime,
    ends_at: datetime,
    checked_in_at: datetime | None,
    checked_out_at: datetime | None,
    asked: int | None,
) -> int:
    """The minutes the owner approves: as asked, else as worked (at most as scheduled); never more
    than the shift plus two hours."""
    if status != ShiftStatus.CHECKED_OUT:
        raise Conflict(
            f"this shift is {status}: hours are approved after check-out",
            field="shift_id",
            code=SHIFT_STATE_CODE[ShiftStatus(status)],
        )
    scheduled = int((ends_at - starts_at).total_seconds() // 60)
    if asked is None:
        assert checked_in_at is not None and checked_out_at is not None  # a checked-out shift has both
        worked = int((checked_out_at - checked_in_at).total_seconds() // 60)
        return max(min(worked, scheduled), 0)
    if not 0 < asked <= scheduled + 120:
        raise invalid("approved_minutes", f"between 1 and {scheduled + 120} minutes for this shift")
    return asked


def minutes_to_hours(minutes: int) -> float:
    return round(minutes / 60, 2)


# Points ---------------------------------------------------------------------------------


def points_for_minutes(minutes: int) -> int:
    """Whole points only: a started hour earns its share, rounded down."""
    return minutes * POINTS_PER_HOUR // 60


def check_posting(entries: list[tuple[str, int]]) -> None:
    """A double entry: whole, non-zero amounts on at least two accounts, summing to zero."""
    if len(entries) < 2:
        raise ValueError("a posting touches at least two accounts")
    if any(not isinstance(amount, int) or amount == 0 for _, amount in entries):
        raise ValueError("every entry is a whole, non-zero number of points")
    if sum(amount for _, amount in entries) != 0:
        raise ValueError("a posting's entries must sum to zero")


def credit_posting(volunteer_account: str, issued_account: str, points: int) -> list[tuple[str, int]]:
    entries = [(volunteer_account, points), (issued_account, -points)]
    check_posting(entries)
    return entries


def leader_credit_limit() -> int:
    """The most activity points team leaders may credit one volunteer in one community day; a larger
    credit (or one that would pass it) is the residents' committee's to make."""
    return config.settings().leader_credit_limit


def community_day(moment: datetime) -> tuple[datetime, datetime]:
    """The start and end of the community's calendar day holding ``moment``."""
    zone = config.community_zone()
    start = datetime.combine(moment.astimezone(zone).date(), time(), tzinfo=zone)
    return start, datetime.combine(start.date() + timedelta(days=1), time(), tzinfo=zone)


def check_activity_credit(
    by_committee: bool, to_self: bool, points: int, credited_today: int, limit: int
) -> None:
    """Nobody credits points to themselves. A team leader credits at most ``limit`` points to one
    volunteer in a day (counting what team leaders credited it earlier that day); above that, only
    the residents' committee."""
    if to_self:
        raise PermissionDenied(
            "nobody credits points to themselves: ask the residents' committee",
            field="volunteer_id",
            code=ErrorCode.SELF_CREDIT,
        )
    if not by_committee and credited_today + points > limit:
        already = f" ({credited_today} already today)" if credited_today else ""
        raise PermissionDenied(
            f"a team leader credits at most {limit} points to one volunteer a day{already}; "
            f"{points} more needs the residents' committee",
            field="quantity",
            code=ErrorCode.NEEDS_COMMITTEE,
        )


def redemption_posting(volunteer_account: str, redeemed_account: str, points: int) -> list[tuple[str, int]]:
    entries = [(volunteer_account, -points), (redeemed_account, points)]
    check_posting(entries)
    return entries


def check_redemption(balance: int, stock: int, unit_points: int, quantity: int) -> int:
    """The points a redemption costs, if stock and balance allow it."""
    if quantity > stock:
        raise Conflict(f"only {stock} left in stock", field="quantity", code=ErrorCode.OUT_OF_STOCK)
    cost = unit_points * quantity
    if cost > balance:
        raise Conflict(
            f"this costs {cost} points and the balance is {balance}",
            field="quantity",
            code=ErrorCode.INSUFFICIENT_POINTS,
        )
    return cost


def trial_balance(balances: dict[str, int], entry_sums: dict[str, int], posting_sums: Iterable[int]) -> bool:
    """Balanced: every posting sums to zero, and each account's balance is the sum of its entries."""
    return all(s == 0 for s in posting_sums) and all(
        balances[account] == entry_sums.get(account, 0) for account in balances
    )


# Reports --------------------------------------------------------------------------------


def month_of(moment: datetime) -> str:
    return moment.astimezone(config.community_zone()).strftime("%Y-%m")


def hours_report(shifts: Iterable[dict], group_by: str) -> list[dict]:
    """Approved hours per group, most first; each shift carries ``minutes`` and, for every grouping
    (volunteer, team, category, month), its (key, label)."""
    totals: dict[str, dict] = {}
    for shift in shifts:
        key, label = shift[group_by]
        row = totals.setdefault(key, {"key": key, "label": label, "minutes": 0, "shifts": 0})
        row["minutes"] += shift["minutes"]
        row["shifts"] += 1
    rows = sorted(totals.values(), key=lambda row: (-row["minutes"], row["key"]))
    return [
        {"key": r["key"], "label": r["label"], "hours": minutes_to_hours(r["minutes"]), "shifts": r["shifts"]}
        for r in rows
    ]


def check_cancellation(status: str, starts_at: datetime | None, at: datetime, reason: str) -> None:
    """A request is called off before it starts, saying why (its volunteers are told)."""
    if status not in CANCELLABLE or (starts_at is not None and starts_at <= at):
        raise Conflict(
            "only a request that has not started can be cancelled",
            field="request_id",
            code=ErrorCode.NOT_CANCELLABLE,
        )
    if not reason.strip():
        raise invalid("reason", "say why the request is cancelled", ErrorCode.REQUIRED)
