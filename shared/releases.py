"""Where a service keeps its Open Contracting releases: one immutable row per change, written in
the change's own transaction, read back oldest first for the gateway's /ocds endpoints."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Integer, String, func, select
from sqlalchemy.orm import Mapped, mapped_column

from shared import ocds
from shared.db import UnitOfWork, UTCDateTime


class ReleaseMixin:
    """One release of a contracting process; never updated once written."""

    __tablename__ = "ocds_release"
    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    ocid: Mapped[str] = mapped_column(String(80), index=True)
    seq: Mapped[int] = mapped_column(Integer)  # the order of this service's releases of the process
    date: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    body: Mapped[dict] = mapped_column(JSON)


def record_release(
    uow: UnitOfWork,
    model: type[ReleaseMixin],
    ocid: str,
    kind: str,
    tags: list[str],
    at: datetime,
    sections: dict,
) -> None:
    """Write the next release of a process; ``kind`` keeps its id apart from other services' releases
    of the same ocid (a tender's and its contract's)."""
    uow.session.flush()
    seq = (uow.session.scalar(select(func.count()).where(model.ocid == ocid)) or 0) + 1
    release = ocds.new_release(ocid, seq=f"{kind}-{seq}", date=at, tag=tags, **sections)
    row = model()
    row.id, row.ocid, row.seq, row.date, row.body = release["id"], ocid, seq, at, release
    uow.session.add(row)


def stored_releases(uow: UnitOfWork, model: type[ReleaseMixin], ocid: str | None = None) -> list[dict]:
    """Every release, oldest first (or one process's): public open data."""
    with uow:
        query = select(model.body).order_by(model.date, model.ocid, model.seq)
        if ocid:
            query = query.where(model.ocid == ocid)
        return list(uow.session.scalars(query))
