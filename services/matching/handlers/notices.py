"""What organisations are told about projects (a project they may bid on, changed terms, results),
and their list of notices."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from services.matching.handlers.access import notice_scope
from services.matching.models import Bid, Notice, Project
from shared.clock import Clock
from shared.db import UnitOfWork
from shared.identity import Principal
from shared.paging import Listing, Page, PageRequest, desc, page_of
from shared.vocabulary.matching import NoticeKind

NOTICES = Listing(
    id=Notice.id,
    orders={"-created_at": [desc(Notice.created_at)]},
    default_order="-created_at",  # the newest first
)


def notify(
    uow: UnitOfWork,
    clock: Clock,
    project: Project,
    organisation_ids: Iterable[str],
    kind: NoticeKind,
    message: str,
) -> None:
    at = clock.now()
    for organisation_id in sorted(set(organisation_ids)):
        uow.add(
            Notice(
                organisation_id=organisation_id,
                project_id=project.id,
                kind=kind,
                message=message,
                created_at=at,
            )
        )


def bidder_ids(uow: UnitOfWork, project: Project) -> list[str]:
    """Every organisation that bid on the project, withdrawn bids included (told of its outcome)."""
    return list(uow.session.scalars(select(Bid.organisation_id).where(Bid.project_id == project.id)))


def list_notices(uow: UnitOfWork, clock: Clock, principal: Principal, page: PageRequest) -> Page:
    with uow:
        return page_of(uow.session, select(Notice).where(notice_scope(principal)), page, NOTICES)


def get_notices(uow: UnitOfWork, clock: Clock, principal: Principal, ids: list[str]) -> list[Notice]:
    with uow:
        query = select(Notice).where(Notice.id.in_(ids), notice_scope(principal))
        return list(uow.session.scalars(query.order_by(Notice.created_at.desc(), Notice.id)))
