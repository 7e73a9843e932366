"""Tables of the contracts service: purchased-service contracts, their terms, milestones,
payments, amendments, residents' evaluations and open-data releases."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.db import MONEY, IdempotencyMixin, InboxMixin, OutboxMixin, UTCDateTime, new_id, now
from shared.releases import ReleaseMixin
from shared.vocabulary.contracts import ContractStatus, MilestoneStatus


class Base(DeclarativeBase):
    pass


class OutboxRecord(OutboxMixin, Base):
    pass


class InboxRecord(InboxMixin, Base):
    pass


class IdempotencyRecord(IdempotencyMixin, Base):
    pass


class Contract(Base):
    """A government-purchased service contract (政府购买服务合同) with one organisation.

    Its value, period and deliverables are the terms in force (version 0 and every approved
    amendment, see ``TermsVersion``), kept here for reading.
    """

    __tablename__ = "contract"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    project_id: Mapped[str] = mapped_column(String(36), unique=True)
    ocid: Mapped[str] = mapped_column(String(80), index=True)
    community_id: Mapped[str] = mapped_column(String(36), index=True)
    organisation_id: Mapped[str] = mapped_column(String(36), index=True)
    organisation_name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200))
    value: Mapped[Decimal] = mapped_column(MONEY)
    status: Mapped[str] = mapped_column(String(20), default=ContractStatus.DRAFT, index=True)
    awarded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    district_id: Mapped[str | None] = mapped_column(String(36), index=True)
    # Who buys: the residents' committee (its party id) or the sub-district office of the district.
    purchaser_type: Mapped[str] = mapped_column(
        String(40), default="residents_committee", server_default="residents_committee"
    )
    purchaser_id: Mapped[str | None] = mapped_column(String(36))
    award_id: Mapped[str | None] = mapped_column(String(80))  # the award in the tender's open data
    organisation_credit_code: Mapped[str | None] = mapped_column(String(18))
    compound_ids: Mapped[list] = mapped_column(JSON, default=list, server_default=text("'[]'"))
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    deliverables: Mapped[list] = mapped_column(JSON, default=list, server_default=text("'[]'"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # by the sub-district office
    signatures: Mapped[dict] = mapped_column(JSON, default=dict, server_default=text("'{}'"))
    assessment: Mapped[dict | None] = mapped_column(JSON)  # the final assessment at completion
    ended_reason: Mapped[str | None] = mapped_column(Text)


class ContractCompound(Base):
    """A compound a contract serves (``Contract.compound_ids`` as rows), so that whether an owners'
    committee sees a contract is a condition in SQL. A contract without any serves the whole
    community."""

    __tablename__ = "contract_compound"
    __table_args__ = (Index("ix_contract_compound_compound", "compound_id", "contract_id"),)
    contract_id: Mapped[str] = mapped_column(ForeignKey("contract.id"), primary_key=True)
    compound_id: Mapped[str] = mapped_column(String(36), primary_key=True)


# A party's contracts are read by one of these columns (the provider, the community, the
# district) and listed in one of the orders of ContractOrder: an index for each pair, the scope
# first, then the order's column in its direction, then the id that breaks ties.
for _scope in (Contract.organisation_id, Contract.community_id, Contract.district_id):
    for _name, _order in (
        ("awarded", Contract.awarded_at.desc()),
        ("value", Contract.value.desc()),
        ("title", Contract.title),
    ):
        Index(f"ix_contract_{_scope.key.removesuffix('_id')}_{_name}", _scope, _order, Contract.id)


class Transition(Base):
    """Who moved a contract (or an amendment) from one status to another, and when."""

    __tablename__ = "contract_transition"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    contract_id: Mapped[str] = mapped_column(ForeignKey("contract.id"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    party_type: Mapped[str] = mapped_column(String(40))
    party_id: Mapped[str] = mapped_column(String(36))
    account_id: Mapped[str] = mapped_column(String(36))
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)


class TermsVersion(Base):
    """Version 0 holds the original terms; each amendment the fields it changes, in force once
    both sides have signed it (and the office approved it, above the threshold)."""

    __tablename__ = "terms_version"
    __table_args__ = (UniqueConstraint("contract_id", "number", name="uq_terms_version_number"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    contract_id: Mapped[str] = mapped_column(ForeignKey("contract.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))  # approved | pending | rejected
    changes: Mapped[dict] = mapped_column(JSON)  # wire form: amounts and dates as text
    rationale: Mapped[str] = mapped_column(Text, default="")
    signatures: Mapped[dict] = mapped_column(JSON, default=dict)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # by the office
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reason: Mapped[str | None] = mapped_column(Text)  # why it was rejected
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)


class Milestone(Base):
    __tablename__ = "milestone"
    __table_args__ = (UniqueConstraint("contract_id", "key", name="uq_milestone_key"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    contract_id: Mapped[str] = mapped_column(ForeignKey("contract.id"), index=True)
    key: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[date] = mapped_column(Date, index=True)
    criteria: Mapped[str] = mapped_column(Text)
    share: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    status: Mapped[str] = mapped_column(String(20), default=MilestoneStatus.PENDING)
    # Volunteers the milestone needs (the volunteers service opens a request when it starts).
    volunteer_skill: Mapped[str | None] = mapped_column(String(80))
    volunteer_places: Mapped[int | None] = mapped_column(Integer)
    evidence: Mapped[list] = mapped_column(JSON, default=list)
    delivered_on: Mapped[date | None] = mapped_column(Date)
    decision_note: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Payment(Base):
    """The transaction recorded when a milestone is accepted: its share of the value."""

    __tablename__ = "payment"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    contract_id: Mapped[str] = mapped_column(ForeignKey("contract.id"), index=True)
    milestone_id: Mapped[str] = mapped_column(ForeignKey("milestone.id"), unique=True)  # paid once
    amount: Mapped[Decimal] = mapped_column(MONEY)
    paid_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)


class Evaluation(Base):
    """Residents' evaluation (居民评议) through their committee: one per evaluator per month."""

    __tablename__ = "evaluation"
    __table_args__ = (
        UniqueConstraint("contract_id", "evaluator_id", "period", name="uq_evaluation_per_period"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    contract_id: Mapped[str] = mapped_column(ForeignKey("contract.id"), index=True)
    evaluator_id: Mapped[str] = mapped_column(String(36))
    evaluator_type: Mapped[str] = mapped_column(String(40))
    period: Mapped[str] = mapped_column(String(7))
    scores: Mapped[dict] = mapped_column(JSON)
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)


class OcdsRelease(ReleaseMixin, Base):
    pass
