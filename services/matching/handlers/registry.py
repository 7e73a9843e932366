"""The registry of social organisations: filings with the sub-district office, their review and
suspension, and the office's register."""

from __future__ import annotations

from sqlalchemy import select

from services.matching import commands, domain
from services.matching.handlers.access import filing_scope, organisation_of
from services.matching.models import Organisation
from shared.clock import Clock
from shared.db import UnitOfWork
from shared.errors import Conflict, NotFound
from shared.identity import PartyType, Principal
from shared.paging import Listing, Page, PageRequest, asc, equals, page_of
from shared.vocabulary.matching import ErrorCode, FilingStatus

FILINGS = Listing(
    id=Organisation.id,
    orders={"registered_at": [asc(Organisation.registered_at)]},
    default_order="registered_at",  # the register in the order of filing
    filters={"status": equals(Organisation.status)},
)


def register_organisation(
    uow: UnitOfWork, clock: Clock, command: commands.RegisterOrganisation, district_of: dict[str, str]
) -> Organisation:
    """A filing with the sub-district office of ``district_id``, for communities of its district
    (``district_of``: the directory's district of each community named); the organisation waits for
    the office's review before it may bid."""
    code = domain.check_credit_code(command.credit_code)
    communities = domain.check_communities_served(command.community_ids, command.district_id, district_of)
    with uow:
        if uow.session.scalar(select(Organisation.id).where(Organisation.credit_code == code)):
            raise Conflict(
                "an organisation with this credit code is registered",
                field="credit_code",
                code=ErrorCode.DUPLICATE,
            )
        organisation = Organisation(
            credit_code=code,
            name=command.name,
            legal_form=command.legal_form,
            categories=sorted(set(command.categories)),
            community_ids=communities,
            district_id=command.district_id,
            staff_count=command.staff_count,
            qualifications=list(command.qualifications),
            status=FilingStatus.PENDING,
            registered_at=clock.now(),
        )
        uow.add(organisation)
        uow.flush()
        uow.emit(
            "organisation.registered",
            {"organisation_id": organisation.id, "name": organisation.name, "credit_code": code},
            community_id=None,
        )
        uow.commit()
        return organisation


def update_filing(
    uow: UnitOfWork,
    clock: Clock,
    principal: Principal,
    command: commands.UpdateFiling,
    district_of: dict[str, str],
) -> Organisation:
    """The organisation keeps its filing current; a changed filing goes back to review. The
    communities it serves stay within its office's district (``district_of`` as at registration)."""
    principal.require(PartyType.SOCIAL_ORGANISATION)
    with uow:
        organisation = organisation_of(uow, principal)
        if command.community_ids is not None:
            domain.check_communities_served(command.community_ids, organisation.district_id, district_of)
            organisation.community_ids = sorted(set(command.community_ids))
        if command.categories is not None:
            organisation.categories = sorted(set(command.categories))
        if command.name is not None:
            organisation.name = command.name
        if command.staff_count is not None:
            organisation.staff_count = command.staff_count
        if command.qualifications is not None:
            organisation.qualifications = list(command.qualifications)
        organisation.status = domain.filing_after_change(organisation.status)
        uow.commit()
        return organisation


def _filing_for_office(uow: UnitOfWork, principal: Principal, organisation_id: str) -> Organisation:
    principal.require(PartyType.STREET_OFFICE)
    organisation = uow.get(Organisation, organisation_id, lock=True)
    if organisation is None or organisation.district_id != principal.district_id:
        raise NotFound("no such organisation filed with your office", field="organisation_id")
    return organisation


def review_filing(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.ReviewFiling
) -> Organisation:
    with uow:
        organisation = _filing_for_office(uow, principal, command.organisation_id)
        organisation.status = domain.review_filing(organisation.status, command.decision, command.reason)
        organisation.review_note, organisation.reviewed_at = command.reason, clock.now()
        uow.commit()
        return organisation


def set_suspension(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.SetSuspension
) -> Organisation:
    with uow:
        organisation = _filing_for_office(uow, principal, command.organisation_id)
        organisation.status = domain.check_suspension(organisation.status, command.suspend)
        organisation.review_note, organisation.reviewed_at = command.reason, clock.now()
        uow.commit()
        return organisation


def list_filings(uow: UnitOfWork, clock: Clock, principal: Principal, page: PageRequest) -> Page:
    """The sub-district office's register; an organisation sees its own filing."""
    with uow:
        return page_of(uow.session, select(Organisation).where(filing_scope(principal)), page, FILINGS)


def get_filings(uow: UnitOfWork, clock: Clock, principal: Principal, ids: list[str]) -> list[Organisation]:
    with uow:
        query = select(Organisation).where(Organisation.id.in_(ids), filing_scope(principal))
        return list(uow.session.scalars(query.order_by(Organisation.registered_at, Organisation.id)))


def find_organisations(
    uow: UnitOfWork, credit_code: str | None = None, organisation_id: str | None = None
) -> list[Organisation]:
    """Operators' commands: the organisation with this credit code (checked first), or this id."""
    with uow:
        if credit_code is not None:
            code = domain.check_credit_code(credit_code)
            return list(uow.session.scalars(select(Organisation).where(Organisation.credit_code == code)))
        if organisation_id is not None:
            return list(uow.session.scalars(select(Organisation).where(Organisation.id == organisation_id)))
        return []


def get_organisations(
    uow: UnitOfWork, clock: Clock, principal: Principal, ids: list[str]
) -> list[Organisation]:
    """The registry's public names: every signed-in party reads them."""
    with uow:
        return list(uow.session.scalars(select(Organisation).where(Organisation.id.in_(ids))))
