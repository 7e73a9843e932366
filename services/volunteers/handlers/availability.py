"""A volunteer's own settings: when it is free each week, the days it is away, its weekly cap of
hours and its consent to home visits."""

from __future__ import annotations

from services.volunteers import commands
from services.volunteers.handlers import access
from services.volunteers.handlers.access import VOL
from services.volunteers.handlers.registry import with_figures
from services.volunteers.models import Volunteer
from shared.clock import Clock
from shared.db import UnitOfWork
from shared.identity import Principal


def update_availability(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.UpdateAvailability
) -> Volunteer:
    """The volunteer's own: weekly availability, days away, its weekly cap and consent to home visits."""
    principal.require(VOL)
    with uow:
        volunteer = access.volunteer_in_community(
            uow, principal.community_id, principal.party_id, "volunteer_id"
        )
        for key, value in commands.changes(command).items():
            setattr(volunteer, key, value)
        uow.commit()
        return with_figures(uow, clock, [volunteer])[0]
