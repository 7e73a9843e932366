"""The award: proposed to a ranked bid, through the standstill period, final (a timer on the
service's clock), and the organisations' reputations that rank their future bids."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from services.matching import commands, open_data, scoring
from services.matching.handlers.access import seen_project, visible_project
from services.matching.handlers.notices import bidder_ids, notify
from services.matching.models import Assessment, Award, Bid, Complaint, Organisation, Project, opened_bids
from shared import config
from shared.clock import Clock
from shared.db import UnitOfWork
from shared.errors import Conflict, NotFound
from shared.events import Event
from shared.identity import PartyType, Principal
from shared.vocabulary.matching import AwardStatus, ComplaintStatus, ErrorCode, NoticeKind, ProjectStatus


def award_project(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.AwardProject
) -> Award:
    """The committee's award: the top-ranked bid, or another with the reason recorded. It waits
    through the standstill period for complaints before it becomes final."""
    principal.require(PartyType.RESIDENTS_COMMITTEE)
    with uow:
        project = visible_project(uow, clock, principal, command.project_id, lock=True)
        scoring.check_evaluating(project.status)
        if project.ranked_at is None:
            raise Conflict("rank the bids before the award", field="project_id", code=ErrorCode.NOT_RANKED)
        # Only an opened (valid) bid is there to award: a withdrawn or unconfirmed one is not found,
        # exactly like an id that does not exist.
        bid = uow.session.scalar(opened_bids([project.id]).where(Bid.id == command.bid_id))
        if bid is None:
            raise NotFound("no such bid for this project", field="bid_id")
        scoring.check_award_choice(bid.rank, command.reason)
        at = clock.now()
        award = uow.session.scalar(select(Award).where(Award.project_id == project.id))
        if award is None:
            award = Award(project_id=project.id, round=1)
            uow.add(award)
        else:
            award.round += 1  # decided again after an upheld complaint
        award.bid_id, award.organisation_id, award.value = bid.id, bid.organisation_id, bid.price
        award.awarded_at, award.awarded_by, award.reason = at, principal.party_id, command.reason
        award.status, award.finalised_at = AwardStatus.PENDING, None
        award.standstill_ends_at = at + timedelta(days=project.standstill_days)
        project.status = ProjectStatus.STANDSTILL
        uow.flush()
        notify(
            uow,
            clock,
            project,
            bidder_ids(uow, project),
            NoticeKind.AWARD_PROPOSED,
            "The award is proposed; complaints are heard until "
            f"{config.local_minute(award.standstill_ends_at)}. "
            "The ranking and every criterion's scores are open to the bidders.",
        )
        open_data.record(uow, project, ["award"], at)
        finalise_if_due(uow, clock, project, award, at)  # a project without a standstill period
        uow.commit()
        return award


def finalise_if_due(uow: UnitOfWork, clock: Clock, project: Project, award: Award, at: datetime) -> bool:
    open_complaints = uow.session.scalar(
        select(func.count()).where(
            Complaint.project_id == project.id, Complaint.status == ComplaintStatus.OPEN
        )
    )
    if award.standstill_ends_at is None or not scoring.may_finalise(
        award.status, award.standstill_ends_at, at, open_complaints or 0
    ):
        return False
    award.status, award.finalised_at = AwardStatus.FINAL, at
    project.status = ProjectStatus.AWARDED
    organisation = uow.get(Organisation, award.organisation_id)
    assert organisation is not None  # an award's organisation is a foreign key
    uow.emit(
        "project.awarded",
        {
            "project_id": project.id,
            "ocid": project.ocid,
            "title": project.title,
            "organisation_id": organisation.id,
            "organisation_name": organisation.name,
            "value": award.value,
            "awarded_at": at,
            "award_id": open_data.award_id(award),
            "district_id": project.district_id,
            "purchaser_id": award.awarded_by,
            "purchaser_type": project.purchaser,
            "organisation_credit_code": organisation.credit_code,
            "period_start": project.period_start,
            "period_end": project.period_end,
        },
        community_id=project.community_id,
    )
    notify(
        uow,
        clock,
        project,
        bidder_ids(uow, project),
        NoticeKind.AWARD_FINAL,
        f"The award to {organisation.name} is final.",
    )
    open_data.record(uow, project, ["awardUpdate"], at)
    return True


def finalise_awards(uow: UnitOfWork, clock: Clock) -> int:
    """The timer after the standstill: awards without open complaints become final. Idempotent."""
    at = clock.now()
    with uow:
        rows = uow.session.execute(
            select(Project, Award)
            .join(Award, Award.project_id == Project.id)
            .where(Award.status == AwardStatus.PENDING, Award.standstill_ends_at <= at)
            .with_for_update(of=Project, skip_locked=True)
        ).all()
        finalised = sum(finalise_if_due(uow, clock, row.Project, row.Award, at) for row in rows)
        uow.commit()
        return finalised


def record_assessment(uow: UnitOfWork, clock: Clock, event: Event) -> None:
    """A contract's final assessment enters its organisation's reputation, once per contract: the
    assessment announced again under a new event id changes nothing (the unique contract_id stops a
    concurrent copy, which is retried and lands here)."""
    with uow:
        if uow.find(Assessment, contract_id=event.data["contract_id"]) is not None:
            uow.commit()
            return
        uow.add(
            Assessment(
                organisation_id=event.data["organisation_id"],
                contract_id=event.data["contract_id"],
                score=event.data["score"],
                assessed_at=event.data["assessed_at"],
            )
        )
        uow.commit()


def list_awards(uow: UnitOfWork, clock: Clock, principal: Principal, project_ids: list[str]) -> list[Award]:
    with uow:
        seen = seen_project(uow, clock, principal, Award.project_id)
        return list(uow.session.scalars(select(Award).where(Award.project_id.in_(project_ids), seen)))


def get_awards(uow: UnitOfWork, clock: Clock, principal: Principal, ids: list[str]) -> list[Award]:
    with uow:
        query = select(Award).where(Award.id.in_(ids), seen_project(uow, clock, principal, Award.project_id))
        return list(uow.session.scalars(query))
