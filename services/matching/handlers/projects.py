"""Projects: drafted (by the committee, from a demand, or from a joint meeting's resolution),
published for sealed bids to the eligible organisations, their terms changed, cancelled; the
parties' list of projects and the open data."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from services.matching import commands, domain, open_data, scoring
from services.matching.handlers.access import (
    eligible,
    project_scope,
    seen_project,
    today,
    visible_project,
)
from services.matching.handlers.notices import bidder_ids, notify
from services.matching.models import Award, Bid, ListEntry, OcdsRelease, Organisation, Project
from shared import config
from shared.clock import Clock
from shared.db import UnitOfWork, new_id
from shared.errors import NotFound
from shared.events import Event
from shared.identity import PartyType, Principal
from shared.paging import Listing, Page, PageRequest, asc, at_or_after, desc, equals, page_of
from shared.releases import stored_releases
from shared.vocabulary.matching import BidStatus, EntryKind, FilingStatus, NoticeKind, ProjectStatus

# The orders are the gateway's ProjectOrder values (shared.vocabulary.matching.ProjectOrder); the
# newest first when none is asked for. Each has its index within the committee's and the office's
# scope, and across scopes for an organisation (models.Project).
PROJECTS = Listing(
    id=Project.id,
    orders={
        # Drafts (no deadline yet) last: the generated columns an index serves (models.Project).
        "bid_deadline": [asc(Project.undated), asc(Project.deadline_key)],
        "-budget": [desc(Project.budget)],
        "title": [asc(Project.title)],
        "-created_at": [desc(Project.created_at)],
    },
    default_order="-created_at",
    filters={
        "status": equals(Project.status),
        "category": equals(Project.category),
        "deadline_after": at_or_after(Project.bid_deadline),
    },
)

# What ``change_terms`` may change.
TERMS = (
    "bid_deadline",
    "purchaser",
    "description",
    "budget",
    "required_qualifications",
    "period_start",
    "period_end",
    "weights",
    "standstill_days",
    "min_valid_bids",
)


def _new_project(clock: Clock, community_id: str | None, **terms) -> Project:
    project_id = new_id()
    terms.setdefault("weights", dict(domain.DEFAULT_WEIGHTS))
    return Project(
        id=project_id,
        ocid=f"{config.settings().ocid_prefix}-{project_id}",
        community_id=community_id,
        status=ProjectStatus.DRAFT,
        created_at=clock.now(),
        **terms,
    )


def _emit_drafted(uow: UnitOfWork, project: Project) -> None:
    uow.emit(
        "project.drafted",
        {
            "project_id": project.id,
            "title": project.title,
            "source_resolution_id": project.source_resolution_id,
        },
        community_id=project.community_id,
    )


def create_project(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.CreateProject
) -> Project:
    """A project created directly, or from an entry of the demand list."""
    principal.require(PartyType.RESIDENTS_COMMITTEE)
    weights = command.weights or dict(domain.DEFAULT_WEIGHTS)
    domain.check_terms(weights, command.period_start, command.period_end)
    with uow:
        description, source_demand_id = command.description, None
        if command.demand_id:
            demand = uow.get(ListEntry, command.demand_id)
            if (
                demand is None
                or demand.kind != EntryKind.DEMAND
                or demand.community_id != principal.community_id
            ):
                raise NotFound("no such demand of your community", field="demand_id")
            source_demand_id = demand.id
            description = description or demand.description
        project = _new_project(
            clock,
            principal.community_id,
            title=command.title,
            description=description,
            category=command.category,
            budget=command.budget,
            required_qualifications=list(command.required_qualifications),
            period_start=command.period_start,
            period_end=command.period_end,
            weights=weights,
            standstill_days=command.standstill_days,
            min_valid_bids=command.min_valid_bids,
            purchaser=command.purchaser,
            source_demand_id=source_demand_id,
        )
        uow.add(project)
        _emit_drafted(uow, project)
        uow.commit()
        return project


def draft_project_from_resolution(uow: UnitOfWork, clock: Clock, event: Event) -> Project | None:
    """A joint meeting resolved to purchase a service: draft the project for the committee."""
    if event.data["decision_type"] != "purchase_service":
        with uow:
            uow.commit()  # recorded as handled: nothing to do for other decisions
        return None
    domain.check_purchase_terms(event.data["budget"], event.data["category"])
    with uow:
        # One project per resolution: adopted again under a new event id, it changes nothing (the
        # unique source_resolution_id stops a concurrent copy, which is retried and lands here).
        drafted = uow.find(Project, source_resolution_id=event.data["resolution_id"])
        if drafted is not None:
            uow.commit()
            return drafted
        project = _new_project(
            clock,
            event.community_id,
            title=event.data["title"],
            description=event.data["text"],
            category=event.data["category"],
            budget=event.data["budget"],
            source_resolution_id=event.data["resolution_id"],
        )
        uow.add(project)
        _emit_drafted(uow, project)
        uow.commit()
        return project


def ranked_eligible(
    uow: UnitOfWork, clock: Clock, project: Project, district_id: str | None
) -> list[tuple[Organisation, float]]:
    """The organisations eligible for the project, best fit first (``domain.fit``)."""
    past: dict[str, int] = dict(
        uow.session.execute(
            select(Award.organisation_id, func.count())
            .join(Project, Project.id == Award.project_id)
            .where(Project.category == project.category)
            .group_by(Award.organisation_id)
        )
        .tuples()
        .all()
    )
    on = today(clock)
    candidates = uow.session.scalars(  # narrowed in SQL; the rule is ``domain.is_eligible``
        select(Organisation).where(
            Organisation.status == FilingStatus.APPROVED, Organisation.district_id == district_id
        )
    )
    ranked = [
        (o, domain.fit(o.categories, o.staff_count, past.get(o.id, 0), project.category))
        for o in candidates
        if eligible(o, project, district_id, on)
    ]
    return sorted(ranked, key=lambda pair: (-pair[1], pair[0].name))


def eligible_organisations(
    uow: UnitOfWork, clock: Clock, principal: Principal, project_ids: list[str]
) -> list[dict]:
    """For the committee: the organisations eligible for its projects, best fit first."""
    principal.require(PartyType.RESIDENTS_COMMITTEE)
    with uow:
        ranked: list[dict] = []
        for project_id in project_ids:
            project = visible_project(uow, clock, principal, project_id)
            ranked.extend(
                {"organisation_id": o.id, "project_id": project.id, "fit": score}
                for o, score in ranked_eligible(uow, clock, project, principal.district_id)
            )
        return ranked


def list_projects(uow: UnitOfWork, clock: Clock, principal: Principal, page: PageRequest) -> Page:
    with uow:
        return page_of(
            uow.session, select(Project).where(project_scope(uow, clock, principal)), page, PROJECTS
        )


def get_projects(uow: UnitOfWork, clock: Clock, principal: Principal, ids: list[str]) -> list[Project]:
    asked = aliased(Project)  # each asked id's row is probed by its key: ``access.seen_project``
    with uow:
        query = select(asked).where(asked.id.in_(ids), seen_project(uow, clock, principal, asked.id))
        return list(uow.session.scalars(query.order_by(asked.created_at.desc(), asked.id)))


def publish_project(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.PublishProject
) -> Project:
    principal.require(PartyType.RESIDENTS_COMMITTEE)
    with uow:
        project = visible_project(uow, clock, principal, command.project_id, lock=True)
        at = clock.now()
        domain.check_publish(project.status, command.bid_deadline, at)
        project.status = ProjectStatus.PUBLISHED
        project.bid_deadline = command.bid_deadline
        project.published_at = at
        project.district_id = principal.district_id
        told = [o.id for o, _ in ranked_eligible(uow, clock, project, project.district_id)]
        notify(
            uow,
            clock,
            project,
            told,
            NoticeKind.PUBLISHED,
            f"{project.title}: a project you are eligible for; "
            f"bids close {config.local_minute(project.bid_deadline)}.",
        )
        uow.emit(
            "project.published",
            {
                "project_id": project.id,
                "title": project.title,
                "category": project.category,
                "budget": project.budget,
                "bid_deadline": project.bid_deadline,
                # Who is told (the notices above, and any other channel that listens).
                "eligible_organisation_ids": told,
            },
            community_id=project.community_id,
        )
        open_data.record(uow, project, ["planning", "tender"], at)
        uow.commit()
        return project


def change_terms(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.ChangeTerms
) -> Project:
    """The committee sets a draft's terms, or changes a published project's terms before the
    deadline, never against the bidders (``domain.check_terms_change``); a change of what the bids
    answer calls every bid made before to be submitted again, a later deadline alone does not."""
    principal.require(PartyType.RESIDENTS_COMMITTEE)
    with uow:
        project = visible_project(uow, clock, principal, command.project_id, lock=True)
        at = clock.now()
        changes = domain.changed_terms(
            {name: getattr(project, name) for name in TERMS},
            {name: getattr(command, name) for name in TERMS},
        )
        reconfirm = domain.check_terms_change(
            project.status, project.bid_deadline, project.standstill_days, changes, at
        )
        domain.check_terms(
            changes.get("weights", project.weights),
            changes.get("period_start", project.period_start),
            changes.get("period_end", project.period_end),
        )
        for name, value in changes.items():
            setattr(project, name, value)
        if project.status == ProjectStatus.DRAFT or not changes:
            uow.commit()
            return project
        if reconfirm:
            for bid in uow.session.scalars(
                select(Bid).where(Bid.project_id == project.id, Bid.status == domain.VALID_BID)
            ):
                bid.status = BidStatus.TO_RECONFIRM
            message = (
                f"{project.title}: the terms changed; a bid made before must be submitted again to "
                f"count, by {config.local_minute(project.bid_deadline)}."
            )
        else:
            message = f"{project.title}: bids now close {config.local_minute(project.bid_deadline)}."
        # Everyone who may bid is told the same thing, so the notice says nothing about who has bid.
        told = [o.id for o, _ in ranked_eligible(uow, clock, project, project.district_id)]
        notify(uow, clock, project, told + bidder_ids(uow, project), NoticeKind.TERMS_CHANGED, message)
        open_data.record(uow, project, ["tenderUpdate"], at)
        uow.commit()
        return project


def cancel_project(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.CancelProject
) -> Project:
    principal.require(PartyType.RESIDENTS_COMMITTEE)
    with uow:
        project = visible_project(uow, clock, principal, command.project_id, lock=True)
        scoring.check_cancellation(project.status, command.reason)
        was_public = domain.is_public(project.status)
        project.status, project.ended_reason = ProjectStatus.CANCELLED, command.reason
        uow.emit(
            "project.cancelled",
            {"project_id": project.id, "title": project.title, "reason": command.reason},
            community_id=project.community_id,
        )
        if was_public:
            told = [o.id for o, _ in ranked_eligible(uow, clock, project, project.district_id)]
            told += bidder_ids(uow, project)
            notify(
                uow, clock, project, told, NoticeKind.CANCELLED, f"The project is cancelled: {command.reason}"
            )
            open_data.record(uow, project, ["tenderCancellation"], clock.now())
        uow.commit()
        return project


def ocds_releases(uow: UnitOfWork, ocid: str | None = None) -> list[dict]:
    """Every release of every project (or of one), oldest first: public open data."""
    return stored_releases(uow, OcdsRelease, ocid)
