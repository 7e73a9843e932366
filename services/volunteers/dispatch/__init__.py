"""Dispatching volunteers to the places of every open service request at once, with each choice
explained.

Pure domain code: ``problem`` (what a round is given and answers), ``eligibility`` (who fits where,
as numpy arrays, and why not), ``cost`` (what a volunteer costs in a place), ``solve`` (an exact
solve with SciPy's sparse assignment, and a greedy baseline with the same inputs and outputs) and
``explain`` (why each choice, why each unfilled place).
"""

from __future__ import annotations

from typing import Any

from services.volunteers.dispatch.cost import (
    OVERQUALIFIED_PER_LEVEL,
    PER_100_METRES,
    PER_NO_SHOW,
    PER_RECENT_HOUR,
)
from services.volunteers.dispatch.problem import (
    Assignment,
    Building,
    Dispatch,
    FlexibleWindow,
    ServiceRequest,
    Shift,
    UnfilledPlace,
    Volunteer,
)
from services.volunteers.dispatch.solve import SPARE, dispatch, greedy

__all__ = [
    "OVERQUALIFIED_PER_LEVEL",
    "PER_100_METRES",
    "PER_NO_SHOW",
    "PER_RECENT_HOUR",
    "SPARE",
    "ZONE",
    "Assignment",
    "Building",
    "Dispatch",
    "FlexibleWindow",
    "ServiceRequest",
    "Shift",
    "UnfilledPlace",
    "Volunteer",
    "dispatch",
    "greedy",
]


def __getattr__(name: str) -> Any:
    """``ZONE``: the community's time zone, read from the configuration when asked (never at import)."""
    if name == "ZONE":
        from shared import config

        return config.community_zone()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
