"""Tables of the matching service: social organisations, projects, sealed bids, awards."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Index,
    Integer,
    Select,
    String,
    Text,
    UniqueConstraint,
    select,
    text,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from services.matching.domain import unsealed
from shared.db import MONEY, IdempotencyMixin, InboxMixin, OutboxMixin, UTCDateTime, new_id, now
from shared.releases import ReleaseMixin
from shared.vocabulary.matching import (
    AwardStatus,
    BidStatus,
    ClaimStatus,
    ComplaintStatus,
    EntryOrigin,
    EntryStatus,
    FilingStatus,
    ProjectStatus,
    Purchaser,
)


class Base(DeclarativeBase):
    pass


class OutboxRecord(OutboxMixin, Base):
    pass


class InboxRecord(InboxMixin, Base):
    pass


class IdempotencyRecord(IdempotencyMixin, Base):
    pass


class Organisation(Base):
    """A social organisation (社会组织) in the registry."""

    __tablename__ = "organisation"
    # The office's register in its order.
    __table_args__ = (Index("ix_organisation_district_registered", "district_id", "registered_at", "id"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    legal_form: Mapped[str] = mapped_column(String(40))
    categories: Mapped[list] = mapped_column(JSON, default=list)
    community_ids: Mapped[list] = mapped_column(JSON, default=list)
    # FilingStatus; its moves are domain.FILING_TRANSITIONS
    status: Mapped[str] = mapped_column(String(20), default=FilingStatus.PENDING)
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    district_id: Mapped[str | None] = mapped_column(String(36), index=True)  # the office it files with
    staff_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    qualifications: Mapped[list] = mapped_column(JSON, default=list, server_default=text("'[]'"))
    review_note: Mapped[str | None] = mapped_column(Text)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Project(Base):
    """A service the community wants to buy, put out for sealed bids."""

    __tablename__ = "project"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    ocid: Mapped[str] = mapped_column(String(80), unique=True)
    community_id: Mapped[str] = mapped_column(String(36), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(80))
    budget: Mapped[Decimal] = mapped_column(MONEY)
    bid_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20), default=ProjectStatus.DRAFT, index=True)
    source_resolution_id: Mapped[str | None] = mapped_column(String(36), unique=True)
    required_qualifications: Mapped[list] = mapped_column(JSON, default=list, server_default=text("'[]'"))
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    # Evaluation weights in percent: price, plan_quality, experience, reputation (they sum to 100).
    weights: Mapped[dict] = mapped_column(JSON, default=dict, server_default=text("'{}'"))
    standstill_days: Mapped[int] = mapped_column(Integer, default=5, server_default="5")
    min_valid_bids: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    source_demand_id: Mapped[str | None] = mapped_column(String(36))
    # Who buys: the community (its residents' committee) or the sub-district office (街道购买).
    purchaser: Mapped[str] = mapped_column(
        String(40), default=Purchaser.RESIDENTS_COMMITTEE, server_default=Purchaser.RESIDENTS_COMMITTEE.value
    )
    # The sub-district office over the community: it hears complaints about the award.
    district_id: Mapped[str | None] = mapped_column(String(36), index=True)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ranked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_reason: Mapped[str | None] = mapped_column(Text)  # why it was cancelled or unsuccessful
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


# Each order of the projects list (``handlers.projects.PROJECTS``) in its own direction, the id
# ascending to break ties (read the other way round, an index leaves every run of equal values, a
# round budget, to be sorted whole): within the committee's community, within the office's district,
# and across every scope for an organisation's page (what it is eligible for or bid on: no one
# column scopes it), which walks the order and stops at the page's end.
_ORDERS: dict[str, list[Any]] = {
    "deadline": [Project.bid_deadline],
    "budget": [Project.budget.desc()],
    "title": [Project.title],
    "created": [Project.created_at.desc()],
}
for _scope, _column in (("community", Project.community_id), ("district", Project.district_id)):
    for _order, _keys in _ORDERS.items():
        Index(f"ix_project_{_scope}_{_order}", _column, *_keys, Project.id)
for _order in ("budget", "title", "created"):
    Index(f"ix_project_{_order}", *_ORDERS[_order], Project.id)


class Bid(Base):
    """A sealed bid: nobody but its bidder reads it before the deadline."""

    __tablename__ = "bid"
    __table_args__ = (UniqueConstraint("project_id", "organisation_id"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    project_id: Mapped[str] = mapped_column(ForeignKey("project.id"), index=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisation.id"), index=True)
    price: Mapped[Decimal] = mapped_column(MONEY)
    plan: Mapped[str] = mapped_column(Text)
    team: Mapped[str] = mapped_column(Text, default="", server_default="")
    timeline: Mapped[str] = mapped_column(Text, default="", server_default="")
    digest: Mapped[str] = mapped_column(String(64))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    # BidStatus: to_reconfirm when the project's terms changed after it was submitted
    status: Mapped[str] = mapped_column(
        String(20), default=BidStatus.SUBMITTED, server_default=BidStatus.SUBMITTED.value
    )
    # Set when the committee ranks the bids: each criterion's score (0–100, as text), total, rank.
    scores: Mapped[dict | None] = mapped_column(JSON)
    total: Mapped[Decimal | None] = mapped_column(MONEY)
    rank: Mapped[int | None] = mapped_column(Integer)


def opened_bids(project_ids: Iterable[str] | None = None, scope: ColumnElement[bool] | None = None) -> Select:
    """The bids anyone but their bidder may read, by the one rule ``domain.unsealed``: the valid
    bids of projects whose bids were opened (of these projects, when given, and of those that meet
    ``scope``, a condition on ``Project``). Every reader uses it: the committee's bids, the
    digests, the scoring, the ranking, the award, the results, complaints and the open data. A
    withdrawn bid, one left unconfirmed, and every bid of a project cancelled before its opening
    are never in it.

    The bids are found by their project ids and each one's project is probed by its primary key:
    SQLite (without statistics) answers ``project_id IN (the scope's projects)`` by reading every
    project of the community first, which made a page of 20 projects cost the whole community."""
    project = select(Project.id).where(Project.id == Bid.project_id, unsealed(Project.opened_at, Bid.status))
    if scope is not None:
        project = project.where(scope)
    query = select(Bid).where(project.correlate(Bid).exists())
    return query if project_ids is None else query.where(Bid.project_id.in_(list(project_ids)))


class json_elements(FunctionElement):
    """The elements of a JSON array column as a table with one column, ``value`` (text), in the
    SQL of SQLite and of PostgreSQL alike: ``json_elements(column).table_valued("value")``."""

    inherit_cache = True


@compiles(json_elements, "sqlite")
def _json_each(element, compiler, **kw):
    return f"json_each({compiler.process(element.clauses, **kw)})"


@compiles(json_elements, "postgresql")
def _json_array_elements_text(element, compiler, **kw):
    return f"json_array_elements_text({compiler.process(element.clauses, **kw)})"


class Evaluation(Base):
    """One committee evaluator's scores of one bid, or the conflict of interest that bars them."""

    __tablename__ = "evaluation"
    __table_args__ = (UniqueConstraint("bid_id", "evaluator_id", name="uq_evaluation_bid_evaluator"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    project_id: Mapped[str] = mapped_column(ForeignKey("project.id"), index=True)
    bid_id: Mapped[str] = mapped_column(ForeignKey("bid.id"))
    evaluator_id: Mapped[str] = mapped_column(String(36))  # the committee member's account
    conflict: Mapped[str | None] = mapped_column(Text)  # the declared conflict of interest, if any
    plan_quality: Mapped[int | None] = mapped_column(Integer)
    experience: Mapped[int | None] = mapped_column(Integer)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)


class Award(Base):
    """The project's award decision: pending through the standstill, then final, or annulled
    when a complaint is upheld (and decided again: ``round`` counts the decisions)."""

    __tablename__ = "award"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    project_id: Mapped[str] = mapped_column(ForeignKey("project.id"), unique=True)
    bid_id: Mapped[str] = mapped_column(ForeignKey("bid.id"))
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisation.id"))
    value: Mapped[Decimal] = mapped_column(MONEY)
    awarded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    awarded_by: Mapped[str] = mapped_column(String(36))
    status: Mapped[str] = mapped_column(String(20), default=AwardStatus.PENDING, server_default="final")
    reason: Mapped[str | None] = mapped_column(Text)  # why a bid other than the first was chosen
    standstill_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    finalised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    round: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class Complaint(Base):
    """Another bidder's complaint against a pending award, heard by the sub-district office."""

    __tablename__ = "complaint"
    # Newest first, for the complainant and for the projects' committee or office.
    __table_args__ = (
        Index("ix_complaint_organisation_filed", "organisation_id", "filed_at", "id"),
        Index("ix_complaint_project_filed", "project_id", "filed_at", "id"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    project_id: Mapped[str] = mapped_column(ForeignKey("project.id"), index=True)
    award_round: Mapped[int] = mapped_column(Integer)
    awarded_bid_id: Mapped[str] = mapped_column(ForeignKey("bid.id"))
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisation.id"))
    grounds: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default=ComplaintStatus.OPEN)
    resolution: Mapped[str | None] = mapped_column(Text)
    filed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Notice(Base):
    """What an organisation is told: a project it is eligible for, changed terms, results."""

    __tablename__ = "notice"
    __table_args__ = (Index("ix_notice_organisation_created", "organisation_id", "created_at", "id"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisation.id"), index=True)
    project_id: Mapped[str] = mapped_column(ForeignKey("project.id"))
    kind: Mapped[str] = mapped_column(String(30))
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)


class Assessment(Base):
    """The final assessment of one of an organisation's contracts: its reputation is their mean."""

    __tablename__ = "assessment"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    organisation_id: Mapped[str] = mapped_column(String(36), index=True)
    contract_id: Mapped[str] = mapped_column(String(36), unique=True)  # one assessment per contract
    score: Mapped[Decimal] = mapped_column(MONEY)
    assessed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class OcdsRelease(ReleaseMixin, Base):
    pass


class ListEntry(Base):
    """An entry of the community's demand list (需求清单) or of a unit's resource list (资源清单)."""

    __tablename__ = "list_entry"
    __table_args__ = (Index("ix_list_entry_community_created", "community_id", "created_at", "id"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    community_id: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(10), index=True)  # demand | resource
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(80))
    owner_id: Mapped[str] = mapped_column(String(36), index=True)
    owner_type: Mapped[str] = mapped_column(String(40))
    origin: Mapped[str] = mapped_column(String(20), default=EntryOrigin.RESIDENTS)
    status: Mapped[str] = mapped_column(String(20), default=EntryStatus.OPEN)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)


class Claim(Base):
    """One side's claim on the other side's entry; the entry's owner confirms it into a match."""

    __tablename__ = "claim"
    __table_args__ = (UniqueConstraint("entry_id", "claimant_id"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    entry_id: Mapped[str] = mapped_column(ForeignKey("list_entry.id"), index=True)
    claimant_id: Mapped[str] = mapped_column(String(36), index=True)
    claimant_type: Mapped[str] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=ClaimStatus.PENDING)
    deliveries: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
