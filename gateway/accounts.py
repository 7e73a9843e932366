"""Accounts and sign-in: argon2 password hashes, short-lived access tokens with rotating
refresh tokens, sign-out, disabling, throttling of failed sign-ins per account and per client
address, and the revocable keys of calendar feeds."""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import CursorResult, func, select, update

from gateway import shared_state
from gateway.models import Account, CalendarKey, RetiredRefreshToken, SignInAttempt, SignInSession
from gateway.tokens import ACCESS_LIFETIME, issue_token
from shared import config
from shared.db import UnitOfWork, now
from shared.errors import Conflict, InvalidInput, PermissionDenied
from shared.identity import PartyType, Principal
from shared.vocabulary.gateway import ErrorCode

REFRESH_LIFETIME = timedelta(days=30)
THROTTLE_WINDOW = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 12
# How long this process trusts that a sign-in it found live still is. Ending a sign-in in this
# process (sign-out, disabling, a reused refresh token) forgets it at once. Ended by another
# process, it is refused here from the next request on when the gateways share Redis (the ending
# is recorded there and looked up on every request); without Redis (or while it does not answer),
# its access token may still be served here for at most this long.
LIVE_SESSION_SECONDS = 2.0

_hasher = PasswordHasher()
# Verified against when the username is unknown, so that the answer takes as long.
_UNKNOWN_ACCOUNT_HASH = _hasher.hash(secrets.token_urlsafe(16))


def _off_the_hub(fn, *args):
    """argon2 spends ~0.1 s of CPU on purpose; in a real thread the eventlet hub meanwhile serves the
    other requests and the broker's heartbeats (argon2's C code releases the GIL). Imported here so
    that the domain's unit tests never load eventlet."""
    from eventlet import tpool

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
                    "code": ErrorCode.TOO_SHORT,
                    "message": f"a password has at least {MIN_PASSWORD_LENGTH} characters",
                }
            ]
        )


def create_account(uow: UnitOfWork, username: str, password: str, principal: Principal) -> Account:
    """Operators' command: an account for a person acting for ``principal``'s party."""
    check_password(password)
    with uow:
        if uow.session.scalar(select(Account.id).where(Account.username == username)):
            raise Conflict("this username is taken", field="username", code=ErrorCode.DUPLICATE)
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
    limits = config.settings()
    return (by_account or 0) >= limits.max_failed_sign_ins or (
        by_address or 0
    ) >= limits.max_failed_sign_ins_per_address


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
            raise PermissionDenied(message, code=ErrorCode.THROTTLED)
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
        if not valid or account is None:
            uow.commit()  # the failure counts towards the throttle
            raise PermissionDenied("wrong username or password", code=ErrorCode.INVALID_CREDENTIALS)
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
                if stolen is not None and stolen.ended_at is None:
                    stolen.ended_at, stolen.end_reason = at, "refresh_token_reused"
                    uow.commit()
                    LIVE_SESSIONS.forget(session_id=stolen.id)
            raise PermissionDenied("this refresh token is not valid", code=ErrorCode.INVALID_TOKEN)
        if session.ended_at is not None or session.expires_at <= at:
            raise PermissionDenied("this sign-in has ended; sign in again", code=ErrorCode.SESSION_ENDED)
        account = uow.session.get(Account, session.account_id)
        if account is None or not account.active:
            raise PermissionDenied("this account is disabled", code=ErrorCode.ACCOUNT_DISABLED)
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
    if principal.session_id:
        LIVE_SESSIONS.forget(session_id=principal.session_id)


class LiveSessions:
    """The sign-ins this process found live in the last ``LIVE_SESSION_SECONDS``.

    Every request checks that its token's sign-in still holds; asking the database each time was a
    tenth of the gateway's time under load. Only a live answer is kept, never past the sign-in's
    own expiry. What this process ends it forgets, and it remembers when: a check that read the
    database before that moment (and answers after it) is not kept.
    """

    ENDINGS_KEPT_SECONDS = 300.0

    def __init__(self, max_sessions: int = 100_000):
        self.max_sessions = max_sessions
        self._until: dict[str, tuple[float, str]] = {}  # session id -> (monotonic deadline, account)
        self._ended: dict[str, float] = {}  # session or account id -> when this process ended it

    def __contains__(self, session_id: str) -> bool:
        return self.account_of(session_id) is not None

    def account_of(self, session_id: str) -> str | None:
        """The account of a sign-in found live within the bound; None when it is not held."""
        held = self._until.get(session_id)
        if held is None:
            return None
        if held[0] <= time.monotonic():
            self._until.pop(session_id, None)
            return None
        return held[1]

    def drop(self, session_id: str) -> None:
        """No longer trust a live answer about this sign-in (it is asked of the database again)."""
        self._until.pop(session_id, None)

    def hold(self, session_id: str, account_id: str, checked_at: float, expires_in: float) -> None:
        """Keep a live answer read from the database at ``checked_at`` (monotonic)."""
        if max(self._ended.get(session_id, -1.0), self._ended.get(account_id, -1.0)) >= checked_at:
            return  # ended here while the check was on its way
        moment = time.monotonic()
        if len(self._until) >= self.max_sessions:
            self._until = {k: v for k, v in self._until.items() if v[0] > moment}
            if len(self._until) >= self.max_sessions:
                self._until.clear()
        self._until[session_id] = (moment + min(LIVE_SESSION_SECONDS, expires_in), account_id)

    def forget(self, session_id: str | None = None, account_id: str | None = None) -> bool:
        """A sign-in (or every sign-in of an account) ended in this process; the ending is recorded in
        the gateways' shared state too (``gateway.shared_state``). Whether every gateway process
        refuses it from its next request on (false without Redis, or when Redis did not answer)."""
        moment = time.monotonic()
        self._ended = {k: v for k, v in self._ended.items() if moment - v < self.ENDINGS_KEPT_SECONDS}
        if session_id is not None:
            self._until.pop(session_id, None)
            self._ended[session_id] = moment
        if account_id is not None:
            self._until = {k: v for k, v in self._until.items() if v[1] != account_id}
            self._ended[account_id] = moment
        return shared_state.current().end(session_id=session_id, account_id=account_id)


LIVE_SESSIONS = LiveSessions()


def session_is_live(uow: UnitOfWork, session_id: str | None) -> bool:
    """Whether an access token's sign-in still holds: not ended, not expired, its account enabled.

    A live answer is trusted for ``LIVE_SESSION_SECONDS`` (``LiveSessions``) unless the gateways'
    shared state says the sign-in or its account has ended since: ending a sign-in through this
    process is heard at once; ending it through another is heard at once when the gateways share
    Redis, else within that bound. When Redis does not answer, the database is asked every time.
    """
    if session_id is None:
        return False
    account_id = LIVE_SESSIONS.account_of(session_id)
    if account_id is not None:
        if shared_state.current().ended(session_id, account_id) is False:
            return True
        LIVE_SESSIONS.drop(session_id)  # ended elsewhere, or that cannot be told: the database decides
    at, checked_at = now(), time.monotonic()
    with uow:
        live = uow.session.execute(
            select(SignInSession.account_id, SignInSession.expires_at)
            .join(Account, Account.id == SignInSession.account_id)
            .where(
                SignInSession.id == session_id,
                SignInSession.ended_at.is_(None),
                SignInSession.expires_at > at,
                Account.active.is_(True),
            )
        ).first()
    if live is None:
        return False
    LIVE_SESSIONS.hold(session_id, live.account_id, checked_at, (live.expires_at - at).total_seconds())
    return True


def wait_until_refused_everywhere(account_id: str) -> None:
    """For an operator's command that ended an account's sign-ins outside the gateways: return once
    every gateway process refuses them. At once when the gateways share Redis and it holds the
    ending; else after ``LIVE_SESSION_SECONDS``, the longest a gateway trusts a live answer."""
    state = shared_state.current()
    if not (state.shared and state.ended(account_id=account_id)):
        time.sleep(LIVE_SESSION_SECONDS)


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
        _end_sign_ins(uow, account.id, at, "account_disabled")
        uow.commit()
    LIVE_SESSIONS.forget(account_id=account.id)
    return account


def _end_sign_ins(uow: UnitOfWork, account_id: str, at: datetime, reason: str) -> int:
    """Every live sign-in of the account ends, and its calendar key is revoked; how many sign-ins."""
    ended: CursorResult = uow.session.execute(  # type: ignore[assignment]  # an UPDATE's result
        update(SignInSession)
        .where(SignInSession.account_id == account_id, SignInSession.ended_at.is_(None))
        .values(ended_at=at, end_reason=reason)
    )
    _revoke_calendar_keys(uow, account_id, at, reason)
    return ended.rowcount


def enable_account(uow: UnitOfWork, username: str) -> Account | None:
    """Operators' command: a disabled account can sign in again (its ended sign-ins stay ended).
    None when there is no such account."""
    with uow:
        account = uow.session.scalar(select(Account).where(Account.username == username).with_for_update())
        if account is None:
            return None
        account.active = True
        uow.commit()
    return account


def end_sessions(uow: UnitOfWork, username: str) -> int | None:
    """Operators' command: every sign-in of the account ends, as disabling does, and its calendar key
    is revoked, but the account may sign in again. How many sign-ins ended; None when there is no
    such account."""
    at = now()
    with uow:
        account = uow.session.scalar(select(Account).where(Account.username == username).with_for_update())
        if account is None:
            return None
        ended = _end_sign_ins(uow, account.id, at, "ended_by_operator")
        uow.commit()
    LIVE_SESSIONS.forget(account_id=account.id)
    return ended


def reset_password(uow: UnitOfWork, username: str, password: str) -> int | None:
    """Operators' command: the account's password becomes ``password`` (checked as at creation), and
    every sign-in made with the old one ends, its calendar key with them. How many sign-ins ended;
    None when there is no such account."""
    check_password(password)
    hashed = _off_the_hub(_hasher.hash, password)
    at = now()
    with uow:
        account = uow.session.scalar(select(Account).where(Account.username == username).with_for_update())
        if account is None:
            return None
        account.password_hash = hashed
        ended = _end_sign_ins(uow, account.id, at, "password_reset")
        uow.commit()
    LIVE_SESSIONS.forget(account_id=account.id)
    return ended


@dataclass(frozen=True)
class AccountRow:
    """One account as the operators' list shows it."""

    username: str
    party_type: str
    party_id: str
    active: bool
    last_sign_in: datetime | None
    created_at: datetime


def list_accounts(uow: UnitOfWork, party_type: PartyType | None = None) -> list[AccountRow]:
    """Operators' command: every account (of one party type, if given) by username, with when it
    last signed in (its latest sign-in's start; None if it never did)."""
    last = (
        select(SignInSession.account_id, func.max(SignInSession.created_at).label("at"))
        .group_by(SignInSession.account_id)
        .subquery()
    )
    query = (
        select(Account, last.c.at).outerjoin(last, last.c.account_id == Account.id).order_by(Account.username)
    )
    if party_type is not None:
        query = query.where(Account.party_type == party_type.value)
    with uow:
        return [
            AccountRow(a.username, a.party_type, a.party_id, a.active, at, a.created_at)
            for a, at in uow.session.execute(query).all()
        ]


# Calendar feeds ------------------------------------------------------------------------------


def _revoke_calendar_keys(uow: UnitOfWork, account_id: str, at: datetime, reason: str) -> int:
    revoked: CursorResult = uow.session.execute(  # type: ignore[assignment]  # an UPDATE's result
        update(CalendarKey)
        .where(CalendarKey.account_id == account_id, CalendarKey.revoked_at.is_(None))
        .values(revoked_at=at, revoke_reason=reason)
    )
    return revoked.rowcount


def _signed_in_account(uow: UnitOfWork, principal: Principal) -> Account:
    """The principal's account, locked, so that one account's key changes happen one at a time."""
    account = uow.session.scalar(select(Account).where(Account.id == principal.account_id).with_for_update())
    if account is None or not account.active:
        raise PermissionDenied("this account is disabled", code=ErrorCode.ACCOUNT_DISABLED)
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
