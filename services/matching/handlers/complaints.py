"""Complaints against a pending award, filed by another bidder during the standstill period and
heard by the sub-district office."""

from __future__ import annotations

from sqlalchemy import select

from services.matching import commands, open_data, scoring
from services.matching.handlers.access import complaint_scope, visible_project
from services.matching.handlers.awards import finalise_if_due
from services.matching.handlers.notices import bidder_ids, notify
from services.matching.models import Award, Bid, Complaint, Project, opened_bids
from shared.clock import Clock
from shared.db import UnitOfWork
from shared.errors import Conflict, NotFound
from shared.identity import PartyType, Principal
from shared.paging import Listing, Page, PageRequest, desc, equals, page_of
from shared.vocabulary.matching import AwardStatus, ComplaintStatus, ErrorCode, NoticeKind, ProjectStatus

COMPLAINTS = Listing(
    id=Complaint.id,
    orders={"-filed_at": [desc(Complaint.filed_at)]},
    default_order="-filed_at",  # the newest first
    filters={"status": equals(Complaint.status)},
)


def file_complaint(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.FileComplaint
) -> Complaint:
    """Another bidder complains against the pending award during the standstill period."""
    principal.require(PartyType.SOCIAL_ORGANISATION)
    with uow:
        project = visible_project(uow, clock, principal, command.project_id)
        award = uow.session.scalar(select(Award).where(Award.project_id == project.id))
        if award is None or award.standstill_ends_at is None:
            raise Conflict(
                "the project has no award to complain about", field="project_id", code=ErrorCode.NO_AWARD
            )
        has_valid_bid = uow.session.scalar(
            opened_bids([project.id]).where(Bid.organisation_id == principal.party_id)
        )
        at = clock.now()
        scoring.check_complaint(
            award.status,
            award.standstill_ends_at,
            at,
            has_valid_bid is not None,
            award.organisation_id == principal.party_id,
        )
        complaint = Complaint(
            project_id=project.id,
            award_round=award.round,
            awarded_bid_id=award.bid_id,
            organisation_id=principal.party_id,
            grounds=command.grounds,
            status=ComplaintStatus.OPEN,
            filed_at=at,
        )
        uow.add(complaint)
        uow.commit()
        return complaint


def resolve_complaint(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.ResolveComplaint
) -> Complaint:
    """The sub-district office decides: upheld sends the project back to evaluation (the award is
    annulled); dismissed lets the award stand, final once the standstill has passed."""
    principal.require(PartyType.STREET_OFFICE)
    with uow:
        complaint = uow.get(Complaint, command.complaint_id, lock=True)
        project = uow.get(Project, complaint.project_id) if complaint else None
        if complaint is None or project is None or project.district_id != principal.district_id:
            raise NotFound("no such complaint before your office", field="complaint_id")
        if complaint.status != ComplaintStatus.OPEN:
            raise Conflict(
                f"the complaint is {complaint.status}", field="complaint_id", code=ErrorCode.RESOLVED
            )
        at = clock.now()
        complaint.status = ComplaintStatus.UPHELD if command.uphold else ComplaintStatus.DISMISSED
        complaint.resolution, complaint.resolved_at = command.resolution, at
        award = uow.session.scalar(select(Award).where(Award.project_id == project.id).with_for_update())
        if award is None:
            raise NotFound("no such complaint before your office", field="complaint_id")
        if command.uphold:
            award.status = AwardStatus.ANNULLED
            project.status, project.ranked_at = ProjectStatus.EVALUATING, None
            for other in uow.session.scalars(
                select(Complaint).where(
                    Complaint.project_id == project.id, Complaint.status == ComplaintStatus.OPEN
                )
            ):
                other.status, other.resolution, other.resolved_at = (
                    ComplaintStatus.MOOT,
                    "the award was annulled",
                    at,
                )
            notify(
                uow,
                clock,
                project,
                bidder_ids(uow, project),
                NoticeKind.AWARD_ANNULLED,
                "A complaint was upheld: the award is annulled and the bids are evaluated again. "
                + command.resolution,
            )
            open_data.record(uow, project, ["awardCancellation"], at)
        else:
            notify(
                uow,
                clock,
                project,
                [complaint.organisation_id],
                NoticeKind.COMPLAINT_DISMISSED,
                command.resolution,
            )
            finalise_if_due(uow, clock, project, award, at)
        uow.commit()
        return complaint


def list_complaints(uow: UnitOfWork, clock: Clock, principal: Principal, page: PageRequest) -> Page:
    """The sub-district office hears its district's complaints; a complainant follows its own."""
    with uow:
        return page_of(uow.session, select(Complaint).where(complaint_scope(principal)), page, COMPLAINTS)


def get_complaints(uow: UnitOfWork, clock: Clock, principal: Principal, ids: list[str]) -> list[Complaint]:
    with uow:
        query = select(Complaint).where(Complaint.id.in_(ids), complaint_scope(principal))
        return list(uow.session.scalars(query.order_by(Complaint.filed_at.desc(), Complaint.id)))
