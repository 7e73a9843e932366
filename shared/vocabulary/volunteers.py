"""The volunteers domain's words, owned by the volunteers service and imported by the gateway: its
error codes, what a service request may be about, how urgent it is, the rewards points buy, how
hours are reported, and the states of requests, offers and shifts that clients filter by."""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    """Every code the volunteers service answers with."""

    # As every service answers.
    INVALID = "invalid"
    NOT_FOUND = "not_found"
    PERMISSION_DENIED = "permission_denied"
    CONFLICT = "conflict"
    REQUIRED = "required"  # a value that may not be blank (why a request is cancelled)
    DUPLICATE = "duplicate"  # a building, team or reward of that name exists in the community
    # Requests.
    NOT_DRAFT = "not_draft"  # only a draft from a resolution is completed
    NOT_CANCELLABLE = "not_cancellable"  # started, or already cancelled
    # Assigning by hand: the request is not open (it answers with its state), or has no place left.
    DRAFT = "draft"
    CANCELLED = "cancelled"
    FILLED = "filled"
    PASSED = "passed"  # its window has passed
    ALREADY_OFFERED = "already_offered"
    NOT_ELIGIBLE = "not_eligible"  # the dispatch rules would not give the volunteer a place
    # Offers.
    NOT_OPEN = "not_open"  # already answered, withdrawn or lapsed
    EXPIRED = "expired"  # the time to answer has passed
    # Shifts: check-in and approval in the wrong state answer with the shift's state.
    BOOKED = "booked"
    CHECKED_IN = "checked_in"
    CHECKED_OUT = "checked_out"
    APPROVED = "approved"
    NO_SHOW = "no_show"
    TOO_EARLY = "too_early"  # check-in opens 30 minutes before the start
    TOO_LATE = "too_late"  # more than 15 minutes late
    NOT_CHECKED_IN = "not_checked_in"
    # Points.
    SELF_CREDIT = "self_credit"
    NEEDS_COMMITTEE = "needs_committee"  # above the team leaders' daily limit
    OUT_OF_STOCK = "out_of_stock"
    INSUFFICIENT_POINTS = "insufficient_points"


class RequestCategory(StrEnum):
    FREE_CLINIC = "free_clinic"
    APPLIANCE_REPAIR = "appliance_repair"
    LEGAL_ADVICE = "legal_advice"
    COMPANIONSHIP = "companionship"
    CLEAN_UP = "clean_up"
    OTHER = "other"


class RequestPriority(StrEnum):
    """An elderly resident living alone comes first."""

    ROUTINE = "routine"
    URGENT = "urgent"
    ELDERLY_LIVING_ALONE = "elderly_living_alone"


class RewardKind(StrEnum):
    EGGS = "eggs"
    DAILY_GOODS = "daily_goods"
    SERVICE = "service"


class HoursGrouping(StrEnum):
    VOLUNTEER = "volunteer"
    TEAM = "team"
    CATEGORY = "category"
    MONTH = "month"


class RequestStatus(StrEnum):
    DRAFT = "draft"  # from a meeting resolution, waiting for the committee's skills and times
    OPEN = "open"
    FILLED = "filled"  # every place has a kept shift
    CANCELLED = "cancelled"


class OfferStatus(StrEnum):
    OFFERED = "offered"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"  # nobody answered in time
    WITHDRAWN = "withdrawn"  # the request was cancelled


class ShiftStatus(StrEnum):
    BOOKED = "booked"
    CHECKED_IN = "checked_in"
    CHECKED_OUT = "checked_out"
    APPROVED = "approved"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"


CATEGORIES = tuple(RequestCategory)
PRIORITIES = tuple(RequestPriority)
REWARD_KINDS = tuple(RewardKind)
HOURS_GROUPINGS = tuple(HoursGrouping)
