"""Each choice of a round explained: why a volunteer was chosen for a place, and why a place stays
unfilled (who fit, who did not and why, and where those who fit went instead)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from services.volunteers.dispatch.eligibility import Fit
from services.volunteers.dispatch.problem import (
    Assignment,
    Dispatch,
    FlexibleWindow,
    ServiceRequest,
    Shift,
    UnfilledPlace,
    Volunteer,
)

if TYPE_CHECKING:
    from services.volunteers.dispatch.solve import Plan


def result(plan: Plan, chosen: list[list[int]]) -> Dispatch:
    """The round's assignments, each with why, and its unfilled places, each with why not."""
    holder = {}
    for request, fit, positions in zip(plan.requests, plan.fits, chosen, strict=True):
        for p in positions:
            holder[int(fit.rows[p])] = request
    assignments: list[Assignment] = []
    unfilled: list[UnfilledPlace] = []
    for request, fit, positions in zip(plan.requests, plan.fits, chosen, strict=True):
        # Places of one request are alike: number them cheapest first.
        positions = sorted(positions, key=lambda p: (fit.cost[p], fit.rows[p]))
        for place, p in enumerate(positions):
            volunteer = plan.volunteers[fit.rows[p]]
            window = request.window
            if isinstance(window, Shift):
                starts_at, ends_at = window.starts_at, window.ends_at
            else:
                starts_at = datetime.fromtimestamp(float(fit.starts[p]), window.earliest.tzinfo)
                ends_at = starts_at + window.duration
            cost = float(fit.cost[p])
            assignments.append(
                Assignment(
                    request.id,
                    place,
                    volunteer.id,
                    starts_at,
                    ends_at,
                    cost,
                    why(plan, request, volunteer, starts_at, cost),
                )
            )
        reason = why_not(plan, request, fit, holder) if len(positions) < request.places else ""
        unfilled.extend(UnfilledPlace(request.id, p, reason) for p in range(len(positions), request.places))
    return Dispatch(tuple(assignments), tuple(unfilled))


def why(plan: Plan, request: ServiceRequest, volunteer: Volunteer, starts_at: datetime, cost: float) -> str:
    parts = [f"skill {s} level {volunteer.skills[s]} ≥ {need}" for s, need in sorted(request.skills.items())]
    parts += [f"{c} valid until {volunteer.certificates[c]}" for c in sorted(request.certificates)]
    if request.home_visit:
        parts.append("consented to home visits, identity verified")
    (x, y), (hx, hy) = plan.coords[request.building], plan.coords[volunteer.building]
    parts.append(f"{math.hypot(x - hx, y - hy):.0f} m from building {request.building}")
    parts.append(f"{volunteer.hours_last_30_days:.1f} h in the last 30 days")
    shows = volunteer.no_shows
    parts.append("no no-shows" if not shows else f"{shows} no-show{'s' if shows > 1 else ''}")
    if isinstance(request.window, FlexibleWindow):
        parts.append(f"earliest free start {starts_at.astimezone(plan.zone):%a %d %b %H:%M}")
    parts.append(f"cost {cost:.2f}")
    return "; ".join(parts)


def why_not(plan: Plan, request: ServiceRequest, fit: Fit, holder: Mapping[int, ServiceRequest]) -> str:
    if not plan.roster.size:
        return "no volunteers"
    parts = [f"{count} {reason}" for reason, count in fit.rejected.items()]
    if fit.rows.size:
        others = [holder.get(int(r)) for r in fit.rows]
        kinds = {
            "of higher priority": sum(o is not None and o.priority > request.priority for o in others),
            "of this request": sum(o is request for o in others),
            "of equal or lower priority": sum(
                o is not None and o is not request and o.priority <= request.priority for o in others
            ),
            "left free": sum(o is None for o in others),
        }
        spread = ", ".join(f"{n} {kind}" for kind, n in kinds.items() if n)
        who = "the one who fit was" if fit.rows.size == 1 else f"the {fit.rows.size} who fit were"
        parts.append(f"{who} needed for other places ({spread})")
    return "no volunteer could take this place: " + "; ".join(parts)
