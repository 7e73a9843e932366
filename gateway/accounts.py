"""Accounts and sign-in: argon2 password hashes, short-lived access tokens with rotating
refresh tokens, sign-out, disabling, throttling of failed sign-ins per account and per client
address, and the revocable keys of calendar feeds."""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from eventlet import tpool
from sqlalchemy import func, select, update

from gateway.models import Account, CalendarKey, RetiredRefreshToken, SignInAttempt, SignInSession
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


def _off_the_hub(fn, *args):
    """argon2 spends ~0.1 s of CPU on purpose; in a real thread the eventlet hub meanwhile serves the
    other requests and the broker's heartbeats (argon2's C code releases the GIL)."""
    return tpool.execute(fn, *args)


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str
    access_expires_at: datetime


def _digest(secret: str) -> str:
    """A refresh token or calendar key as stored and looked up: its SHA-256."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()  # any string, never an error


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
            password_hash=_off_the_hub(_hasher.hash, password),
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
            _off_the_hub(
                _hasher.verify, account.password_hash if account else _UNKNOWN_ACCOUNT_HASH, password
            )
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
            account.password_hash = _off_the_hub(_hasher.hash, password)
        tokens = _new_session(uow, account, at)
        uow.commit()
        return tokens


def refresh(uow: UnitOfWork, refresh_token: str) -> Tokens:
    """A new access token and a new refresh token; the old refresh token stops working.

    A refresh token presented again after it was rotated away means it was
    copied: the whole session ends, so the copy is worthless too. Both tokens
    are found by the index on their hash, and the session's row is locked, so
    of two refreshes with the same token only one rotates it: the other finds
    it rotated away, and ends the session as a reuse.
    """
    at, digest = now(), _digest(refresh_token)
    with uow:
        session = uow.session.scalar(
            select(SignInSession).where(SignInSession.refresh_hash == digest).with_for_update()
        )
        if session is None:
            retired = uow.session.get(RetiredRefreshToken, digest)
            if retired is not None:
                stolen = uow.session.scalar(
                    select(SignInSession).where(SignInSession.id == retired.session_id).with_for_update()
                )
                if stolen.ended_at is None:
                    stolen.ended_at, stolen.end_reason = at, "refresh_token_reused"
                    uow.commit()
            raise PermissionDenied("this refresh token is not valid", code="invalid_token")
        if session.ended_at is not None or session.expires_at <= at:
            raise PermissionDenied("this sign-in has ended; sign in again", code="session_ended")
        account = uow.session.get(Account, session.account_id)
        if not account.active:
            raise PermissionDenied("this account is disabled", code="account_disabled")
        new_refresh = secrets.token_urlsafe(32)
        uow.session.add(RetiredRefreshToken(token_hash=digest, session_id=session.id, retired_at=at))
        session.refresh_hash = _digest(new_refresh)
        uow.commit()
        return Tokens(issue_token(principal_of(account, session.id)), new_refresh, at + ACCESS_LIFETIME)


def sign_out(uow: UnitOfWork, principal: Principal) -> None:
    """The sign-in ends, and with it the account's calendar address: whoever signs out of a shared
    computer leaves nothing behind that still reads for them."""
    at = now()
    with uow:
        session = uow.session.get(SignInSession, principal.session_id) if principal.session_id else None
        if session is not None and session.ended_at is None:
            session.ended_at, session.end_reason = at, "signed_out"
        _revoke_calendar_keys(uow, principal.account_id, at, "signed_out")
        uow.commit()


def session_is_live(uow: UnitOfWork, session_id: str | None) -> bool:
    """Whether an access token's sign-in still holds: not ended, not expired, its account enabled."""
    if session_id is None:
        return False
    with uow:
        live = uow.session.scalar(
            select(SignInSession.id)
            .join(Account, Account.id == SignInSession.account_id)
            .where(
                SignInSession.id == session_id,
                SignInSession.ended_at.is_(None),
                SignInSession.expires_at > now(),
                Account.active.is_(True),
            )
        )
        return live is not None


def disable_account(uow: UnitOfWork, username: str) -> Account | None:
    """Operators' command: the account can no longer sign in, every sign-in of it ends at once (its
    access and refresh tokens are refused from the next request on) and its calendar key is revoked.
    None when there is no such account."""
    at = now()
    with uow:
        account = uow.session.scalar(select(Account).where(Account.username == username).with_for_update())
        if account is None:
            return None
        account.active = False
        uow.session.execute(
            update(SignInSession)
            .where(SignInSession.account_id == account.id, SignInSession.ended_at.is_(None))
            .values(ended_at=at, end_reason="account_disabled")
        )
        _revoke_calendar_keys(uow, account.id, at, "account_disabled")
        uow.commit()
        return account


# Calendar feeds ------------------------------------------------------------------------------


def _revoke_calendar_keys(uow: UnitOfWork, account_id: str, at: datetime, reason: str) -> int:
    return uow.session.execute(
        update(CalendarKey)
        .where(CalendarKey.account_id == account_id, CalendarKey.revoked_at.is_(None))
        .values(revoked_at=at, revoke_reason=reason)
    ).rowcount


def _signed_in_account(uow: UnitOfWork, principal: Principal) -> Account:
    """The principal's account, locked, so that one account's key changes happen one at a time."""
    account = uow.session.scalar(select(Account).where(Account.id == principal.account_id).with_for_update())
    if account is None or not account.active:
        raise PermissionDenied("this account is disabled", code="account_disabled")
    return account


def rotate_calendar_key(uow: UnitOfWork, principal: Principal) -> str:
    """A new random key for the account's calendar feed; the previous key stops working at once.

    Only the key's SHA-256 is kept, so the address can be shown only now.
    """
    key, at = secrets.token_urlsafe(32), now()
    with uow:
        account = _signed_in_account(uow, principal)
        _revoke_calendar_keys(uow, account.id, at, "rotated")
        uow.session.add(CalendarKey(account_id=account.id, key_hash=_digest(key), created_at=at))
        uow.commit()
    return key


def revoke_calendar_key(uow: UnitOfWork, principal: Principal) -> bool:
    """The account's calendar feed stops working; whether there was a live key to revoke."""
    with uow:
        account = _signed_in_account(uow, principal)
        revoked = _revoke_calendar_keys(uow, account.id, now(), "revoked")
        uow.commit()
        return bool(revoked)


def calendar_key_issued_at(uow: UnitOfWork, principal: Principal) -> datetime | None:
    """When the account's live calendar key was made; None when it has none."""
    with uow:
        return uow.session.scalar(
            select(CalendarKey.created_at).where(
                CalendarKey.account_id == principal.account_id, CalendarKey.revoked_at.is_(None)
            )
        )


def calendar_principal(uow: UnitOfWork, key: str) -> Principal | None:
    """Who a calendar key reads for: its account acting for its party. None alike for a key that never
    existed, one rotated away or revoked, and one whose account is disabled."""
    with uow:
        account = uow.session.scalar(
            select(Account)
            .join(CalendarKey, CalendarKey.account_id == Account.id)
            .where(
                CalendarKey.key_hash == _digest(key),
                CalendarKey.revoked_at.is_(None),
                Account.active.is_(True),
            )
        )
        return principal_of(account) if account is not None else None
