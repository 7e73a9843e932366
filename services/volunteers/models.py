"""Tables of the volunteers service: the registry, service requests, dispatch offers and shifts, and the
double-entry points ledger with its rewards."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Computed,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from shared.db import IdempotencyMixin, InboxMixin, OutboxMixin, UTCDateTime, new_id


class Base(DeclarativeBase):
    """The volunteers' tables. Times are set by the use case from its clock, never defaulted here."""


class OutboxRecord(OutboxMixin, Base):
    pass


class InboxRecord(InboxMixin, Base):
    pass


class IdempotencyRecord(IdempotencyMixin, Base):
    pass


class Building(Base):
    """A residential building; its position (metres from the community's origin) gives distances."""

    __tablename__ = "building"
    __table_args__ = (
        UniqueConstraint("community_id", "name", name="uq_building_community_name"),
        Index("ix_building_community_name_id", "community_id", "name", "id"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    community_id: Mapped[str] = mapped_column(String(36), index=True)
    compound_id: Mapped[str | None] = mapped_column(String(36), index=True)
    name: Mapped[str] = mapped_column(String(100))
    x: Mapped[float] = mapped_column(Float)
    y: Mapped[float] = mapped_column(Float)


class Volunteer(Base):
    __tablename__ = "volunteer"
    # The registry listed by name within the community.
    __table_args__ = (Index("ix_volunteer_community_name_id", "community_id", "name", "id"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    community_id: Mapped[str] = mapped_column(String(36), index=True)
    name: Mapped[str] = mapped_column(String(100))
    building_id: Mapped[str | None] = mapped_column(ForeignKey("building.id"))
    skills: Mapped[dict] = mapped_column(JSON, default=dict)  # skill -> level 1..5
    # [{"name", "number", "expires_on": "YYYY-MM-DD"}]
    certificates: Mapped[list] = mapped_column(JSON, default=list)
    # [{"weekday": 0..6, "starts": "HH:MM", "ends": "HH:MM"}], community time
    availability: Mapped[list] = mapped_column(JSON, default=list)
    unavailable_dates: Mapped[list] = mapped_column(JSON, default=list)  # ["YYYY-MM-DD"]
    weekly_cap_hours: Mapped[int] = mapped_column(Integer, default=8)
    home_visit_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    identity_verified: Mapped[bool] = mapped_column(Boolean, default=False)
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Figures a use case reads for the party with the record (not columns).
    __allow_unmapped__ = True
    points_balance: int = 0
    hours_last_30_days: float = 0.0
    no_shows: int = 0
    team_ids: list[str]


class Team(Base):
    """A volunteer service team (服务队) with its leader."""

    __tablename__ = "team"
    __table_args__ = (
        UniqueConstraint("community_id", "name", name="uq_team_community_name"),
        Index("ix_team_community_name_id", "community_id", "name", "id"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    community_id: Mapped[str] = mapped_column(String(36), index=True)
    name: Mapped[str] = mapped_column(String(100))
    leader_id: Mapped[str] = mapped_column(ForeignKey("volunteer.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The members the party may see, read with the team (not a column).
    __allow_unmapped__ = True
    member_ids: list[str]


class TeamMember(Base):
    __tablename__ = "team_member"
    team_id: Mapped[str] = mapped_column(ForeignKey("team.id"), primary_key=True)
    volunteer_id: Mapped[str] = mapped_column(ForeignKey("volunteer.id"), primary_key=True, index=True)


class ServiceRequest(Base):
    """A call for volunteers: skills, places, a fixed shift or a flexible window, where and how urgent.

    A request from a meeting resolution starts as a draft without times: the committee completes it."""

    __tablename__ = "service_request"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    community_id: Mapped[str] = mapped_column(String(36), index=True)
    compound_id: Mapped[str | None] = mapped_column(String(36), index=True)
    team_id: Mapped[str | None] = mapped_column(ForeignKey("team.id"), index=True)
    building_id: Mapped[str | None] = mapped_column(ForeignKey("building.id"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(40), default="other")
    skills: Mapped[dict] = mapped_column(JSON, default=dict)  # skill -> lowest level
    certificates: Mapped[list] = mapped_column(JSON, default=list)  # names, valid on the day
    places: Mapped[int]
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # a flexible window's earliest
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # a flexible window's latest
    duration_minutes: Mapped[int | None]  # set for a flexible window
    location: Mapped[str] = mapped_column(String(200))
    priority: Mapped[str] = mapped_column(String(30), default="routine")
    home_visit: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    source: Mapped[str] = mapped_column(String(30), default="committee")
    # Who approves its hours: residents_committee, owners_committee or team.
    owner_type: Mapped[str] = mapped_column(String(30), default="residents_committee")
    opened_by: Mapped[str] = mapped_column(String(36))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    resolution_id: Mapped[str | None] = mapped_column(String(36), unique=True)
    contract_id: Mapped[str | None] = mapped_column(String(36))
    # One request per contract milestone that needs volunteers (a unique index: NULLs repeat).
    milestone_id: Mapped[str | None] = mapped_column(String(36), index=True, unique=True)
    dispatched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    unfilled_reason: Mapped[str | None] = mapped_column(Text)
    unfilled_reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_reason: Mapped[str | None] = mapped_column(Text)
    # Generated by the database (stored on PostgreSQL, virtual on SQLite) so that every writer keeps
    # them. How the list orders by start, with an index to read it in that order: drafts (no times yet)
    # after every scheduled request in either direction (1 for a draft), each by a key that is never
    # empty.
    unscheduled: Mapped[int] = mapped_column(
        Integer, Computed("CASE WHEN starts_at IS NULL THEN 1 ELSE 0 END")
    )
    start_key: Mapped[datetime] = mapped_column(UTCDateTime, Computed("coalesce(starts_at, opened_at)"))
    # Places held by a kept shift, counted with the page (not a column).
    __allow_unmapped__ = True
    filled: int = 0


# Listed by start, either way, within the community and within an owners' committee's compound.
for _scope, _columns in (
    ("community", [ServiceRequest.community_id]),
    ("compound", [ServiceRequest.community_id, ServiceRequest.compound_id]),
):
    Index(
        f"ix_service_request_{_scope}_starts_id",
        *_columns,
        ServiceRequest.unscheduled,
        ServiceRequest.start_key,
        ServiceRequest.id,
    )
    Index(
        f"ix_service_request_{_scope}_starts_desc_id",
        *_columns,
        ServiceRequest.unscheduled,
        ServiceRequest.start_key.desc(),
        ServiceRequest.id,
    )


class DispatchRound(Base):
    """One solve over the open requests in scope: what it offered and why places stayed unfilled."""

    __tablename__ = "dispatch_round"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    community_id: Mapped[str] = mapped_column(String(36), index=True)
    run_by: Mapped[str] = mapped_column(String(36))
    reason: Mapped[str] = mapped_column(String(30))  # dispatch, declined, expired, no_show
    run_at: Mapped[datetime] = mapped_column(UTCDateTime)
    unfilled: Mapped[list] = mapped_column(JSON, default=list)  # [{"request_id", "place", "reason"}]
    # The offers the round made, read with it (not a column).
    __allow_unmapped__ = True
    offers: list[Offer]


class Offer(Base):
    """A place offered to a volunteer, who accepts or declines by ``respond_by``."""

    __tablename__ = "offer"
    # A volunteer is offered a request once: who declined or missed it is not asked again.
    __table_args__ = (
        UniqueConstraint("request_id", "volunteer_id", name="uq_offer_request_volunteer"),
        Index("ix_offer_status_respond_by", "status", "respond_by"),
        # Newest first, a round's places in order: a volunteer's own, and by request.
        Index("ix_offer_volunteer_offered_place_id", "volunteer_id", "offered_at", "place", "id"),
        Index("ix_offer_request_offered_place_id", "request_id", "offered_at", "place", "id"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    request_id: Mapped[str] = mapped_column(ForeignKey("service_request.id"), index=True)
    volunteer_id: Mapped[str] = mapped_column(ForeignKey("volunteer.id"), index=True)
    round_id: Mapped[str | None] = mapped_column(ForeignKey("dispatch_round.id"), index=True)
    place: Mapped[int]
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    cost: Mapped[float] = mapped_column(Float)
    explanation: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="offered")
    offered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    respond_by: Mapped[datetime] = mapped_column(UTCDateTime)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decline_reason: Mapped[str | None] = mapped_column(String(500))
    volunteer: Mapped[Volunteer] = relationship(lazy="joined", innerjoin=True)

    @property
    def volunteer_name(self) -> str:
        return self.volunteer.name


class Shift(Base):
    """An accepted place: check-in, check-out, and the hours its request's owner approves."""

    __tablename__ = "shift"
    __table_args__ = (
        UniqueConstraint("request_id", "volunteer_id", name="uq_shift_request_volunteer"),
        # By start: a volunteer's own, and by request.
        Index("ix_shift_volunteer_starts_id", "volunteer_id", "starts_at", "id"),
        Index("ix_shift_request_starts_id", "request_id", "starts_at", "id"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    request_id: Mapped[str] = mapped_column(ForeignKey("service_request.id"), index=True)
    volunteer_id: Mapped[str] = mapped_column(ForeignKey("volunteer.id"), index=True)
    offer_id: Mapped[str | None] = mapped_column(ForeignKey("offer.id"), unique=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # booked, checked_in, checked_out, approved, no_show
    status: Mapped[str] = mapped_column(String(20), default="booked", index=True)
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    auto_checked_out: Mapped[bool] = mapped_column(Boolean, default=False)
    approved_minutes: Mapped[int | None]
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by: Mapped[str | None] = mapped_column(String(36))
    points: Mapped[int | None]
    volunteer: Mapped[Volunteer] = relationship(lazy="joined", innerjoin=True)

    @property
    def volunteer_name(self) -> str:
        return self.volunteer.name


class LedgerAccount(Base):
    """A points account: a volunteer's, or the community's issued and redeemed accounts.

    ``balance`` is the sum of the account's entries, kept with them in the same transaction under a
    row lock; a volunteer's never goes below zero."""

    __tablename__ = "ledger_account"
    __table_args__ = (
        CheckConstraint(
            "kind != 'volunteer' OR balance >= 0", name="ck_ledger_account_volunteer_not_negative"
        ),
    )
    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    community_id: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # volunteer, issued, redeemed
    volunteer_id: Mapped[str | None] = mapped_column(ForeignKey("volunteer.id"), unique=True)
    balance: Mapped[int] = mapped_column(Integer, default=0)


class LedgerTransaction(Base):
    """One posting: its entries' amounts sum to zero (every credit has its matching debit)."""

    __tablename__ = "ledger_transaction"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    community_id: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # hours, activity, redemption
    memo: Mapped[str] = mapped_column(String(300))
    shift_id: Mapped[str | None] = mapped_column(ForeignKey("shift.id"), unique=True)  # hours once
    request_id: Mapped[str | None] = mapped_column(ForeignKey("service_request.id"))
    activity: Mapped[str | None] = mapped_column(String(100))
    quantity: Mapped[int | None]
    posted_by: Mapped[str] = mapped_column(String(36))
    posted_at: Mapped[datetime] = mapped_column(UTCDateTime)


class LedgerEntry(Base):
    """One side of a posting: a positive amount raises the account's balance, a negative lowers it."""

    __tablename__ = "ledger_entry"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    transaction_id: Mapped[str] = mapped_column(ForeignKey("ledger_transaction.id"), index=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("ledger_account.id"), index=True)
    amount: Mapped[int] = mapped_column(Integer)
    transaction: Mapped[LedgerTransaction] = relationship(lazy="joined", innerjoin=True)

    @property
    def kind(self) -> str:
        return self.transaction.kind

    @property
    def memo(self) -> str:
        return self.transaction.memo

    @property
    def posted_at(self) -> datetime:
        return self.transaction.posted_at


class Reward(Base):
    """Eggs, daily goods or a service, in stock, for points."""

    __tablename__ = "reward"
    __table_args__ = (
        UniqueConstraint("community_id", "name", name="uq_reward_community_name"),
        CheckConstraint("stock >= 0", name="ck_reward_stock_not_negative"),
        Index("ix_reward_community_points_name_id", "community_id", "points", "name", "id"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    community_id: Mapped[str] = mapped_column(String(36), index=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))  # eggs, daily_goods, service
    points: Mapped[int] = mapped_column(Integer)  # per unit
    stock: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Redemption(Base):
    __tablename__ = "redemption"
    # Newest first: a volunteer's own, and by reward (the committee's, its community's rewards').
    __table_args__ = (
        Index("ix_redemption_volunteer_redeemed_id", "volunteer_id", "redeemed_at", "id"),
        Index("ix_redemption_reward_redeemed_id", "reward_id", "redeemed_at", "id"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    reward_id: Mapped[str] = mapped_column(ForeignKey("reward.id"), index=True)
    volunteer_id: Mapped[str] = mapped_column(ForeignKey("volunteer.id"), index=True)
    transaction_id: Mapped[str] = mapped_column(ForeignKey("ledger_transaction.id"), unique=True)
    quantity: Mapped[int]
    points: Mapped[int]
    redeemed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reward: Mapped[Reward] = relationship(lazy="joined", innerjoin=True)

    @property
    def reward_name(self) -> str:
        return self.reward.name
