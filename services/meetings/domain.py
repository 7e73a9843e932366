"""Rules of joint meetings, in plain Python."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from shared.errors import Conflict, InvalidInput, PermissionDenied
from shared.identity import PartyType, Principal

CORE_PARTIES = (
    PartyType.RESIDENTS_COMMITTEE,
    PartyType.OWNERS_COMMITTEE,
    PartyType.PROPERTY_COMPANY,
)
LONGEST_MEETING = timedelta(hours=12)


def check_meeting_times(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise InvalidInput(
            [{"field": "ends_at", "code": "invalid", "message": "a meeting must end after it starts"}]
        )
    if ends_at - starts_at > LONGEST_MEETING:
        raise InvalidInput(
            [{"field": "ends_at", "code": "too_long", "message": "a joint meeting lasts at most 12 hours"}]
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
                "code": "required",
                "message": "a purchase of services needs a positive budget",
            }
        )
    if not category:
        errors.append(
            {
                "field": "category",
                "code": "required",
                "message": "a purchase of services needs a service category",
            }
        )
    if errors:
        raise InvalidInput(errors)
