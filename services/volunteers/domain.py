"""Rules of volunteer dispatch, in plain Python."""

from __future__ import annotations

from datetime import datetime

from shared.errors import Conflict, InvalidInput


def check_shift(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise InvalidInput(
            [{"field": "ends_at", "code": "invalid", "message": "a shift must end after it starts"}]
        )


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    return a_start < b_end and b_start < a_end


def check_assignment(
    request_status: str,
    places: int,
    assigned: int,
    skill: str,
    volunteer_skills: list[str],
    shift: tuple[datetime, datetime],
    volunteer_shifts: list[tuple[datetime, datetime]],
) -> None:
    """A volunteer fits a place if the request is open, the skill matches and the time is free."""
    if request_status != "open" or assigned >= places:
        raise Conflict("every place of this request is filled", field="request_id", code="filled")
    if skill not in volunteer_skills:
        raise Conflict(f"the volunteer lacks the skill {skill!r}", field="volunteer_id", code="lacks_skill")
    if any(overlaps(*shift, *other) for other in volunteer_shifts):
        raise Conflict(
            "the volunteer is already booked at that time", field="volunteer_id", code="double_booked"
        )
