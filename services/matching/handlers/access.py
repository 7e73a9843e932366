"""Who sees what, as SQL conditions: each party's scope of every kind of record, written once and
used by the lists, the lookups by id and the use cases that act on one record alike, so that a
party's pages and answers never hold what its scope leaves out."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select, and_, exists, false, or_, select
from sqlalchemy.orm import InstrumentedAttribute, aliased
from sqlalchemy.sql.elements import ColumnElement

from services.matching import domain
from services.matching.models import (
    Bid,
    Claim,
    Complaint,
    ListEntry,
    Notice,
    Organisation,
    Project,
    json_elements,
    opened_bids,
)
from shared import config
from shared.clock import Clock
from shared.db import UnitOfWork
from shared.errors import NotFound
from shared.identity import PartyType, Principal
from shared.vocabulary.matching import EntryKind, FilingStatus, ProjectStatus


def today(clock: Clock) -> date:
    """The community's calendar day now: what a qualification's expiry is judged against."""
    return clock.now().astimezone(config.community_zone()).date()


def organisation_of(uow: UnitOfWork, principal: Principal) -> Organisation:
    organisation = uow.get(Organisation, principal.party_id)
    if organisation is None:
        raise NotFound("your organisation is not in the registry", field="organisation_id")
    return organisation


# Projects ---------------------------------------------------------------------------------------


def eligible(organisation: Organisation, project: Project, district_id: str | None, on: date) -> bool:
    """Whether the organisation may bid on the project of that district (a draft's district is its
    committee's; a published project keeps it): ``domain.is_eligible`` on the two records."""
    return domain.is_eligible(
        organisation.status,
        organisation.categories,
        organisation.community_ids,
        project.category,
        project.community_id,
        organisation.qualifications,
        project.required_qualifications,
        on=on,
        org_district_id=organisation.district_id,
        district_id=district_id,
    )


def eligible_projects(organisation: Organisation, on: date) -> ColumnElement[bool]:
    """``domain.is_eligible`` for one organisation as a condition on projects: its own facts are
    known, the project's are columns (the required qualifications a JSON array, read as a table)."""
    if organisation.status != FilingStatus.APPROVED or organisation.district_id is None:
        return false()
    held = sorted(domain.valid_qualifications(organisation.qualifications or [], on))
    required = json_elements(Project.required_qualifications).table_valued("value")
    missing = select(required.c.value).where(required.c.value.not_in(held))
    return and_(
        Project.district_id == organisation.district_id,
        Project.category.in_(list(organisation.categories)),
        Project.community_id.in_(list(organisation.community_ids)),
        ~exists(missing),
    )


def project_scope(uow: UnitOfWork, clock: Clock, principal: Principal) -> ColumnElement[bool]:
    """The projects a party sees: the committee its community's, drafts included; the office its
    district's published ones; an organisation the published ones it is eligible for or bid on."""
    public = Project.status != ProjectStatus.DRAFT
    if principal.is_a(PartyType.RESIDENTS_COMMITTEE):
        return Project.community_id == principal.community_id
    if principal.is_a(PartyType.STREET_OFFICE):
        return and_(public, Project.district_id == principal.district_id)
    if principal.is_a(PartyType.SOCIAL_ORGANISATION):
        organisation = uow.get(Organisation, principal.party_id)
        if organisation is None:
            return false()
        own = aliased(Bid)  # apart from the bids a reader of these projects selects
        has_bid = exists(
            select(own.id).where(own.project_id == Project.id, own.organisation_id == organisation.id)
        ).correlate(Project)
        return and_(public, or_(has_bid, eligible_projects(organisation, today(clock))))
    return false()


def visible_project_ids(
    uow: UnitOfWork, clock: Clock, principal: Principal, project_ids: list[str] | None = None
) -> Select:
    """The ids of the projects (of ``project_ids``, when given) the party sees, as a query."""
    query = select(Project.id).where(project_scope(uow, clock, principal))
    return query if project_ids is None else query.where(Project.id.in_(project_ids))


def seen_project(
    uow: UnitOfWork, clock: Clock, principal: Principal, project_id: InstrumentedAttribute[str]
) -> ColumnElement[bool]:
    """That the party sees the project ``project_id`` (a column of the rows asked for) names: that
    project's row probed by its primary key. A lookup by a page's ids says this rather than
    ``project_id IN (the party's projects)``, which SQLite (without statistics) answers by reading
    every project of the community first: a page's cost would grow with the community."""
    return select(Project.id).where(Project.id == project_id, project_scope(uow, clock, principal)).exists()


def visible_project(
    uow: UnitOfWork, clock: Clock, principal: Principal, project_id: str, lock: bool = False
) -> Project:
    """The project, locked when asked (the lock first: what the party sees is judged under it), or
    NotFound alike for an id that does not exist and one the party may not see."""
    project = uow.get(Project, project_id, lock=lock)
    seen = project is not None and uow.session.scalar(
        visible_project_ids(uow, clock, principal, [project.id])
    )
    if project is None or not seen:
        raise NotFound("no such project", field="project_id")
    return project


# Bids -------------------------------------------------------------------------------------------


def readable_bids(principal: Principal, project_ids: list[str] | None = None) -> Select | None:
    """The bids a party reads in full: an organisation its own, withdrawn ones included; the
    committee its projects' bids once opened (``models.opened_bids``), never a sealed one."""
    if principal.is_a(PartyType.SOCIAL_ORGANISATION):
        query = select(Bid).where(Bid.organisation_id == principal.party_id)
        return query if project_ids is None else query.where(Bid.project_id.in_(project_ids))
    if principal.is_a(PartyType.RESIDENTS_COMMITTEE):
        return opened_bids(project_ids, Project.community_id == principal.community_id)
    return None


# Complaints, notices, filings, lists ------------------------------------------------------------


def complaint_scope(principal: Principal) -> ColumnElement[bool]:
    """The office hears its district's complaints, the committee sees its projects', a complainant
    follows its own."""
    if principal.is_a(PartyType.STREET_OFFICE):
        district = select(Project.id).where(Project.district_id == principal.district_id)
        return Complaint.project_id.in_(district)
    if principal.is_a(PartyType.SOCIAL_ORGANISATION):
        return Complaint.organisation_id == principal.party_id
    if principal.is_a(PartyType.RESIDENTS_COMMITTEE):
        community = select(Project.id).where(Project.community_id == principal.community_id)
        return Complaint.project_id.in_(community)
    return false()


def notice_scope(principal: Principal) -> ColumnElement[bool]:
    """Notices are an organisation's own."""
    if principal.is_a(PartyType.SOCIAL_ORGANISATION):
        return Notice.organisation_id == principal.party_id
    return false()


def filing_scope(principal: Principal) -> ColumnElement[bool]:
    """The office's register holds the filings with it; an organisation sees its own."""
    if principal.is_a(PartyType.STREET_OFFICE):
        return Organisation.district_id == principal.district_id
    if principal.is_a(PartyType.SOCIAL_ORGANISATION):
        return Organisation.id == principal.party_id
    return false()


def entry_scope(principal: Principal) -> ColumnElement[bool]:
    """The committee sees both lists of its community; a unit its community's demands and its own
    resources."""
    community = ListEntry.community_id == principal.community_id
    if principal.community_id is None:
        return false()
    if principal.is_a(PartyType.RESIDENTS_COMMITTEE):
        return community
    if principal.is_a(PartyType.JOINT_BUILDING_UNIT):
        return and_(
            community, or_(ListEntry.kind == EntryKind.DEMAND, ListEntry.owner_id == principal.party_id)
        )
    return false()


def claim_scope(principal: Principal) -> ColumnElement[bool]:
    """On a query of claims joined to their entries: an entry's owner sees every claim on it, a
    claimant its own, the committee those on its community's entries."""
    sides = or_(ListEntry.owner_id == principal.party_id, Claim.claimant_id == principal.party_id)
    if principal.is_a(PartyType.RESIDENTS_COMMITTEE) and principal.community_id is not None:
        return or_(sides, ListEntry.community_id == principal.community_id)
    return sides
