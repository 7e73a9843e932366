"""Tables of the gateway: accounts, sign-in sessions and attempts, calendar keys, and the audit log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.db import UTCDateTime, new_id, now


class Base(DeclarativeBase):
    pass


class Account(Base):
    """A person's sign-in, acting for one party in its district, community and compound."""

    __tablename__ = "account"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    party_type: Mapped[str] = mapped_column(String(40))
    party_id: Mapped[str] = mapped_column(String(36))
    district_id: Mapped[str | None] = mapped_column(String(36))
    community_id: Mapped[str | None] = mapped_column(String(36))
    compound_id: Mapped[str | None] = mapped_column(String(36))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)


class SignInSession(Base):
    """One sign-in: its refresh token (stored hashed) and whether it has ended.

    Rotating the refresh token keeps the session; signing out, disabling the
    account, or presenting a refresh token that was already rotated away ends
    it, and access tokens of an ended session are refused at once.
    """

    __tablename__ = "sign_in_session"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    account_id: Mapped[str] = mapped_column(ForeignKey("account.id"), index=True)
    refresh_hash: Mapped[str] = mapped_column(String(64), unique=True)  # unique: looked up by its index
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_reason: Mapped[str | None] = mapped_column(String(40))


class RetiredRefreshToken(Base):
    """A refresh token rotated away, by its SHA-256: presented again, it was copied, and its session ends."""

    __tablename__ = "retired_refresh_token"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sign_in_session.id"), index=True)
    retired_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)


class CalendarKey(Base):
    """The secret in an account's calendar feed address, stored as its SHA-256 only.

    An account has at most one live key: rotating revokes the old one, and a
    disabled account's keys are revoked with it.
    """

    __tablename__ = "calendar_key"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    account_id: Mapped[str] = mapped_column(ForeignKey("account.id"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoke_reason: Mapped[str | None] = mapped_column(String(40))


class SignInAttempt(Base):
    __tablename__ = "sign_in_attempt"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    username: Mapped[str] = mapped_column(String(80), index=True)
    client_address: Mapped[str] = mapped_column(String(64), index=True)
    succeeded: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now, index=True)


class AuditEntry(Base):
    """One mutation: who, for which party, what, when, with what result. Never changed."""

    __tablename__ = "audit_entry"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now, index=True)
    account_id: Mapped[str | None] = mapped_column(String(36), index=True)
    username: Mapped[str | None] = mapped_column(String(80))
    party_type: Mapped[str | None] = mapped_column(String(40))
    party_id: Mapped[str | None] = mapped_column(String(36))
    district_id: Mapped[str | None] = mapped_column(String(36))
    community_id: Mapped[str | None] = mapped_column(String(36))
    action: Mapped[str] = mapped_column(String(80))
    arguments: Mapped[dict] = mapped_column(JSON, default=dict)
    outcome: Mapped[str] = mapped_column(String(20))
    error_codes: Mapped[list] = mapped_column(JSON, default=list)
    correlation_id: Mapped[str] = mapped_column(String(36))


# The committee reads its community's entries and the office its district's (gateway.audit), newest
# first with the id breaking ties (gateway.schema.session): an index for each scope, the time in
# that direction, then the id, so that a page is an index range, never a sort of the whole scope.
for _scope in (AuditEntry.community_id, AuditEntry.district_id):
    Index(f"ix_audit_entry_{_scope.key.removesuffix('_id')}_at", _scope, AuditEntry.at.desc(), AuditEntry.id)
