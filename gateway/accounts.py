"""Accounts and sign-in: argon2 password hashes, short-lived access tokens with rotating
refresh tokens, sign-out, and throttling of failed sign-ins per account and per client address."""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select

from gateway.models import Account, SignInAttempt, SignInSession
from gateway.tokens import ACCESS_LIFETIME, issue_token
from shared.db import UnitOfWork, now
from shared.errors import Conflict, InvalidInput, PermissionDenied
from shared.identity import PartyType, Principal

REFRESH_LIFETIME = timedelta(days=30)
THROTTLE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = int(os.environ.get("GONGZHI_MAX_FAILED_SIGN_INS", "5"))
MAX_FAILURES_PER_ADDRESS = int(os.environ.get("GONGZHI_MAX_FAILED_SIGN_INS_PER_ADDRESS", "20"))
MIN_PASSWORD_LENGTH = 12

_hasher = PasswordHasher()
# Verified against when the username is unknown, so that the answer takes as long.
_UNKNOWN_ACCOUNT_HASH = _hasher.hash(secrets.token_urlsafe(16))


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str
    access_expires_at: datetime


def _digest(refresh_token: str) -> str:
    return hashlib.sha256(refresh_token.encode()).hexdigest()


def principal_of(account: Account, session_id: str | None = None) -> Principal:
    return Principal(
        account.id,
        PartyType(account.party_type),
        account.party_id,
        account.district_id,
        account.community_id,
        account.compound_id,
        session_id,
    )


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            [
                {
                    "field": "password",
                    "code": "too_short",
                    "message": f"a password has at least {MIN_PASSWORD_LENGTH} characters",
                }
            ]
        )


def create_account(uow: UnitOfWork, username: str, password: str, principal: Principal) -> Account:
    """Operators' command: an account for a person acting for ``principal``'s party."""
    check_password(password)
    with uow:
        if uow.session.scalar(select(Account.id).where(Account.username == username)):
            raise Conflict("this username is taken", field="username", code="duplicate")
        account = Account(
            username=username,
            password_hash=_hasher.hash(password),
            party_type=principal.party_type.value,
            party_id=principal.party_id,
            district_id=principal.district_id,
            community_id=principal.community_id,
            compound_id=principal.compound_id,
            active=True,
        )
        uow.session.add(account)
        uow.commit()
        return account


def _throttled(uow: UnitOfWork, username: str, address: str, at: datetime) -> bool:
    since = at - THROTTLE_WINDOW
    failures = (
        select(func.count())
        .select_from(SignInAttempt)
        .where(SignInAttempt.succeeded.is_(False), SignInAttempt.at >= since)
    )
    by_account = uow.session.scalar(failures.where(SignInAttempt.username == username))
    by_address = uow.session.scalar(failures.where(SignInAttempt.client_address == address))
    return by_account >= MAX_FAILURES_PER_ACCOUNT or by_address >= MAX_FAILURES_PER_ADDRESS


def _new_session(uow: UnitOfWork, account: Account, at: datetime) -> Tokens:
    refresh_token = secrets.token_urlsafe(32)
    session = SignInSession(
        account_id=account.id,
        refresh_hash=_digest(refresh_token),
        previous_hashes=[],
        expires_at=at + REFRESH_LIFETIME,
    )
    uow.session.add(session)
    uow.session.flush()
    return Tokens(issue_token(principal_of(account, session.id)), refresh_token, at + ACCESS_LIFETIME)


def sign_in(uow: UnitOfWork, username: str, password: str, client_address: str) -> Tokens:
    at = now()
    with uow:
        if _throttled(uow, username, client_address, at):
            minutes = int(THROTTLE_WINDOW.total_seconds() // 60)
            message = f"too many failed sign-ins; try again in {minutes} minutes"
            raise PermissionDenied(message, code="throttled")
        account = uow.session.scalar(select(Account).where(Account.username == username))
        try:
            _hasher.verify(account.password_hash if account else _UNKNOWN_ACCOUNT_HASH, password)
            valid = account is not None and account.active
        except (VerificationError, InvalidHashError):
            valid = False
        uow.session.add(
            SignInAttempt(username=username, client_address=client_address, succeeded=valid, at=at)
        )
        if not valid:
            uow.commit()  # the failure counts towards the throttle
            raise PermissionDenied("wrong username or password", code="invalid_credentials")
        if _hasher.check_needs_rehash(account.password_hash):
            account.password_hash = _hasher.hash(password)
        tokens = _new_session(uow, account, at)
        uow.commit()
        return tokens


def refresh(uow: UnitOfWork, refresh_token: str) -> Tokens:
    """A new access token and a new refresh token; the old refresh token stops working.

    A refresh token presented again after it was rotated away means it was
    copied: the whole session ends, so the copy is worthless too.
    """
    at, digest = now(), _digest(refresh_token)
    with uow:
        session = uow.session.scalar(select(SignInSession).where(SignInSession.refresh_hash == digest))
        if session is None:
            stolen = next(
                (
                    s
                    for s in uow.session.scalars(
                        select(SignInSession).where(SignInSession.ended_at.is_(None))
                    )
                    if digest in (s.previous_hashes or [])
                ),
                None,
            )
            if stolen is not None:
                stolen.ended_at, stolen.end_reason = at, "refresh_token_reused"
                uow.commit()
            raise PermissionDenied("this refresh token is not valid", code="invalid_token")
        if session.ended_at is not None or session.expires_at <= at:
            raise PermissionDenied("this sign-in has ended; sign in again", code="session_ended")
        account = uow.session.get(Account, session.account_id)
        if not account.active:
            raise PermissionDenied("this account is disabled", code="account_disabled")
        new_refresh = secrets.token_urlsafe(32)
        session.previous_hashes = [*(session.previous_hashes or []), digest]
        session.refresh_hash = _digest(new_refresh)
        uow.commit()
        return Tokens(issue_token(principal_of(account, session.id)), new_refresh, at + ACCESS_LIFETIME)


def sign_out(uow: UnitOfWork, principal: Principal) -> None:
    with uow:
        session = uow.session.get(SignInSession, principal.session_id) if principal.session_id else None
        if session is not None and session.ended_at is None:
            session.ended_at, session.end_reason = now(), "signed_out"
        uow.commit()


def session_is_live(uow: UnitOfWork, session_id: str | None) -> bool:
    if session_id is None:
        return False
    with uow:
        session = uow.session.get(SignInSession, session_id)
        return session is not None and session.ended_at is None and session.expires_at > now()
