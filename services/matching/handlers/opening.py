"""The opening at the bid deadline: a timer, on the service's clock."""

from __future__ import annotations

from sqlalchemy import select

from services.matching import domain, open_data, scoring
from services.matching.handlers.notices import bidder_ids, notify
from services.matching.models import Bid, Project
from shared.clock import Clock
from shared.db import UnitOfWork
from shared.vocabulary.matching import NoticeKind, ProjectStatus


def open_due_tenders(uow: UnitOfWork, clock: Clock) -> int:
    """The timer at the deadline: open the bids, publish their digests, and either start the
    evaluation or end the tender unsuccessful for want of valid bids. Idempotent. A project another
    transaction holds (a bid committing) is skipped until the next tick."""
    at = clock.now()
    with uow:
        due = uow.session.scalars(
            select(Project)
            .where(Project.status == ProjectStatus.PUBLISHED, Project.bid_deadline <= at)
            .with_for_update(skip_locked=True)
        ).all()
        for project in due:
            project.opened_at = at
            bids = uow.session.scalars(select(Bid).where(Bid.project_id == project.id)).all()
            # The bids the opening unseals, by the one rule every reader of bids goes by.
            valid = [b for b in bids if domain.unsealed(project.opened_at, b.status)]
            project.status = scoring.opening_outcome(len(valid), project.min_valid_bids)
            if project.status == ProjectStatus.UNSUCCESSFUL:
                project.ended_reason = (
                    f"{len(valid)} valid bid(s), fewer than the {project.min_valid_bids} required"
                )
                notify(
                    uow,
                    clock,
                    project,
                    bidder_ids(uow, project),
                    NoticeKind.UNSUCCESSFUL,
                    project.ended_reason,
                )
            uow.emit(
                "project.opened",
                {
                    "project_id": project.id,
                    "ocid": project.ocid,
                    "title": project.title,
                    "status": project.status,
                    "valid_bids": len(valid),
                    "bid_digests": sorted(b.digest for b in valid),
                },
                community_id=project.community_id,
            )
            open_data.record(uow, project, ["tenderUpdate"], at)
        uow.commit()
        return len(due)
