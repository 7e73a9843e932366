"""Tables of the meetings service: the community directory and joint meetings."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.db import MONEY, InboxMixin, OutboxMixin, UTCDateTime, new_id, now


class Base(DeclarativeBase):
    pass


class OutboxRecord(OutboxMixin, Base):
    pass


class InboxRecord(InboxMixin, Base):
    pass


class District(Base):
    """A sub-district (街道): the area one sub-district office oversees."""

    __tablename__ = "district"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200))


class Community(Base):
    """A community (社区) with its residents' committee."""

    __tablename__ = "community"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    district_id: Mapped[str] = mapped_column(ForeignKey("district.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))


class Compound(Base):
    """A residential compound (小区) with its owners' committee and property company."""

    __tablename__ = "compound"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    community_id: Mapped[str] = mapped_column(ForeignKey("community.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))


class Party(Base):
    """A governing party of the directory, with where it belongs."""

    __tablename__ = "party"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    type: Mapped[str] = mapped_column(String(40), index=True)
    name: Mapped[str] = mapped_column(String(200))
    district_id: Mapped[str] = mapped_column(ForeignKey("district.id"), index=True)
    community_id: Mapped[str | None] = mapped_column(ForeignKey("community.id"), index=True)
    compound_id: Mapped[str | None] = mapped_column(ForeignKey("compound.id"), index=True)


class JointMeeting(Base):
    __tablename__ = "joint_meeting"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    district_id: Mapped[str] = mapped_column(ForeignKey("district.id"), index=True)
    community_id: Mapped[str] = mapped_column(ForeignKey("community.id"), index=True)
    compound_id: Mapped[str | None] = mapped_column(ForeignKey("compound.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    location: Mapped[str] = mapped_column(String(200))
    convened_by: Mapped[str] = mapped_column(ForeignKey("party.id"))
    status: Mapped[str] = mapped_column(String(20), default="scheduled")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)


class AgendaItem(Base):
    __tablename__ = "agenda_item"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    meeting_id: Mapped[str] = mapped_column(ForeignKey("joint_meeting.id"), index=True)
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    submitted_by: Mapped[str] = mapped_column(ForeignKey("party.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)


class Resolution(Base):
    __tablename__ = "resolution"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    meeting_id: Mapped[str] = mapped_column(ForeignKey("joint_meeting.id"), index=True)
    agenda_item_id: Mapped[str | None] = mapped_column(ForeignKey("agenda_item.id"))
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    decision_type: Mapped[str] = mapped_column(String(40))
    budget: Mapped[Decimal | None] = mapped_column(MONEY)
    category: Mapped[str | None] = mapped_column(String(80))
    adopted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
