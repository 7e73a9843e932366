"""Tables of the meetings service: the community directory and joint meetings."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.db import MONEY, IdempotencyMixin, InboxMixin, OutboxMixin, UTCDateTime, new_id, now
from shared.vocabulary.meetings import (
    ActionItemStatus,
    AgendaItemStatus,
    AgendaSource,
    DecisionRule,
    MeetingStatus,
    MinutesStatus,
    PollStatus,
    ResolutionStatus,
)


class Base(DeclarativeBase):
    pass


class OutboxRecord(OutboxMixin, Base):
    pass


class InboxRecord(InboxMixin, Base):
    pass


class IdempotencyRecord(IdempotencyMixin, Base):
    pass


class District(Base):
    """A sub-district (街道): the area one sub-district office oversees."""

    __tablename__ = "district"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200))

    __table_args__ = (Index("ix_district_name", "name", "id"),)


class Community(Base):
    """A community (社区) with its residents' committee."""

    __tablename__ = "community"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    district_id: Mapped[str] = mapped_column(ForeignKey("district.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))

    __table_args__ = (Index("ix_community_district_name", "district_id", "name", "id"),)


class Compound(Base):
    """A residential compound (小区) with its owners' committee and property company."""

    __tablename__ = "compound"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    community_id: Mapped[str] = mapped_column(ForeignKey("community.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))

    __table_args__ = (Index("ix_compound_community_name", "community_id", "name", "id"),)


class Party(Base):
    """A governing party of the directory, with where it belongs."""

    __tablename__ = "party"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    type: Mapped[str] = mapped_column(String(40), index=True)
    name: Mapped[str] = mapped_column(String(200))
    district_id: Mapped[str] = mapped_column(ForeignKey("district.id"), index=True)
    community_id: Mapped[str | None] = mapped_column(ForeignKey("community.id"), index=True)
    compound_id: Mapped[str | None] = mapped_column(ForeignKey("compound.id"), index=True)

    __table_args__ = (Index("ix_party_district_name", "district_id", "name", "id"),)


class MeetingSeries(Base):
    """A regular joint meeting: its recurrence (RFC 5545 RRULE), members and decision rule."""

    __tablename__ = "meeting_series"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    district_id: Mapped[str] = mapped_column(ForeignKey("district.id"), index=True)
    community_id: Mapped[str] = mapped_column(ForeignKey("community.id"), index=True)
    compound_id: Mapped[str | None] = mapped_column(ForeignKey("compound.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    location: Mapped[str] = mapped_column(String(200))
    recurrence: Mapped[str] = mapped_column(String(400))
    first_starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_minutes: Mapped[int] = mapped_column(Integer)
    decision_rule: Mapped[str] = mapped_column(String(20), default=DecisionRule.CONSENSUS.value)
    members: Mapped[list] = mapped_column(JSON, default=list)
    convened_by: Mapped[str] = mapped_column(ForeignKey("party.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)

    # A party's series, oldest first: its area's columns, then the order's.
    __table_args__ = (
        Index("ix_meeting_series_community_created", "community_id", "created_at", "id"),
        Index("ix_meeting_series_district_created", "district_id", "created_at", "id"),
    )


class JointMeeting(Base):
    __tablename__ = "joint_meeting"
    # A party's meetings are read a page at a time in each order the list offers (starts_at either
    # way, title): the area's column first, then the order's, then the id that breaks ties.
    __table_args__ = (
        UniqueConstraint("series_id", "occurrence_starts_at", name="uq_joint_meeting_series_occurrence"),
        Index("ix_joint_meeting_community_starts", "community_id", "starts_at", "id"),
        Index("ix_joint_meeting_district_starts", "district_id", "starts_at", "id"),
        Index("ix_joint_meeting_community_title", "community_id", "title", "id"),
        Index("ix_joint_meeting_district_title", "district_id", "title", "id"),
    )
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
    status: Mapped[str] = mapped_column(String(20), default=MeetingStatus.SCHEDULED.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    series_id: Mapped[str | None] = mapped_column(
        ForeignKey("meeting_series.id", name="fk_joint_meeting_series"), index=True
    )
    # The occurrence of the series this meeting is, kept when it is rescheduled.
    occurrence_starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    members: Mapped[list] = mapped_column(JSON, default=list, server_default=text("'[]'"))
    decision_rule: Mapped[str] = mapped_column(
        String(20), default=DecisionRule.CONSENSUS.value, server_default=DecisionRule.CONSENSUS.value
    )
    cancelled_reason: Mapped[str | None] = mapped_column(Text)
    agenda_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reason: Mapped[str | None] = mapped_column(Text)  # why an extraordinary meeting was called


class AgendaItem(Base):
    """An item for a meeting's agenda. Without a meeting it waits for the community's next one."""

    __tablename__ = "agenda_item"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    meeting_id: Mapped[str | None] = mapped_column(ForeignKey("joint_meeting.id"), index=True)
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    submitted_by: Mapped[str | None] = mapped_column(ForeignKey("party.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    community_id: Mapped[str | None] = mapped_column(
        ForeignKey("community.id", name="fk_agenda_item_community"), index=True
    )
    compound_id: Mapped[str | None] = mapped_column(ForeignKey("compound.id", name="fk_agenda_item_compound"))
    status: Mapped[str] = mapped_column(
        String(20), default=AgendaItemStatus.PROPOSED.value, server_default=AgendaItemStatus.PROPOSED.value
    )
    # Where it came from: a party, another service's event, an open action item, or a deferral.
    source: Mapped[str] = mapped_column(
        String(20), default=AgendaSource.PARTY.value, server_default=AgendaSource.PARTY.value
    )
    source_ref: Mapped[str | None] = mapped_column(String(120))

    __table_args__ = (UniqueConstraint("source_ref", name="uq_agenda_item_source_ref"),)


class Minutes(Base):
    """A meeting's minutes: private notes and the public summary, signed off by the core parties."""

    __tablename__ = "minutes"
    meeting_id: Mapped[str] = mapped_column(ForeignKey("joint_meeting.id"), primary_key=True)
    notes: Mapped[str] = mapped_column(Text)
    # Discussion notes per agenda item (item id -> notes); private like the notes.
    item_notes: Mapped[dict] = mapped_column(JSON, default=dict, server_default=text("'{}'"))
    summary: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default=MinutesStatus.CIRCULATING.value)
    sign_offs: Mapped[dict] = mapped_column(JSON, default=dict)
    corrections: Mapped[list] = mapped_column(JSON, default=list)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


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
    adopted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Resolutions recorded before positions existed were adopted as they were recorded.
    status: Mapped[str] = mapped_column(
        String(20), default=ResolutionStatus.PROPOSED.value, server_default=ResolutionStatus.ADOPTED.value
    )
    proposed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=now)


class Attendance(Base):
    """A party signed in to a meeting through its delegate."""

    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "party_id"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    meeting_id: Mapped[str] = mapped_column(ForeignKey("joint_meeting.id"), index=True)
    party_id: Mapped[str] = mapped_column(ForeignKey("party.id"))
    delegate: Mapped[str] = mapped_column(String(100))
    signed_in_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)


class Position(Base):
    """A core party's position on a proposed resolution."""

    __tablename__ = "position"
    __table_args__ = (UniqueConstraint("resolution_id", "party_id"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    resolution_id: Mapped[str] = mapped_column(ForeignKey("resolution.id"), index=True)
    party_id: Mapped[str] = mapped_column(ForeignKey("party.id"))
    stance: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text, default="")
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)


class ActionItem(Base):
    """Work a resolution gave to a party, followed until the convener confirms it done."""

    __tablename__ = "action_item"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    resolution_id: Mapped[str] = mapped_column(ForeignKey("resolution.id"), index=True)
    district_id: Mapped[str] = mapped_column(ForeignKey("district.id"), index=True)
    community_id: Mapped[str] = mapped_column(ForeignKey("community.id"), index=True)
    compound_id: Mapped[str | None] = mapped_column(ForeignKey("compound.id"))
    owner_id: Mapped[str] = mapped_column(ForeignKey("party.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    status: Mapped[str] = mapped_column(String(20), default=ActionItemStatus.OPEN.value, index=True)
    progress: Mapped[list] = mapped_column(JSON, default=list)
    evidence: Mapped[str | None] = mapped_column(Text)
    overdue_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)

    # A party's action items by due date: the committee's community, the office's district, an owner's own.
    __table_args__ = (
        Index("ix_action_item_community_due", "community_id", "due_at", "id"),
        Index("ix_action_item_district_due", "district_id", "due_at", "id"),
        Index("ix_action_item_owner_due", "owner_id", "due_at", "id"),
    )


class SchedulingPoll(Base):
    """The convener's proposed window for a meeting, and the parties' stated availability."""

    __tablename__ = "scheduling_poll"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    district_id: Mapped[str] = mapped_column(ForeignKey("district.id"), index=True)
    community_id: Mapped[str] = mapped_column(ForeignKey("community.id"), index=True)
    compound_id: Mapped[str | None] = mapped_column(ForeignKey("compound.id"))
    title: Mapped[str] = mapped_column(String(200))
    location: Mapped[str] = mapped_column(String(200))
    window_starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    window_ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_minutes: Mapped[int] = mapped_column(Integer)
    required: Mapped[list] = mapped_column(JSON, default=list)
    optional: Mapped[list] = mapped_column(JSON, default=list)
    availability: Mapped[dict] = mapped_column(JSON, default=dict)  # party id -> [[start, end], ...] busy
    status: Mapped[str] = mapped_column(String(20), default=PollStatus.OPEN.value)
    meeting_id: Mapped[str | None] = mapped_column(ForeignKey("joint_meeting.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)

    # A party's polls, newest first.
    __table_args__ = (
        Index("ix_scheduling_poll_community_created", "community_id", "created_at", "id"),
        Index("ix_scheduling_poll_district_created", "district_id", "created_at", "id"),
    )


class PollInvitation(Base):
    """A party invited to a scheduling poll (the poll's ``required`` and ``optional`` parties, one row
    each), so that "the polls I am invited to" is a join in SQL rather than a scan of JSON lists."""

    __tablename__ = "poll_invitation"
    poll_id: Mapped[str] = mapped_column(ForeignKey("scheduling_poll.id"), primary_key=True)
    party_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    required: Mapped[bool] = mapped_column(Boolean)

    __table_args__ = (Index("ix_poll_invitation_party", "party_id", "poll_id"),)
