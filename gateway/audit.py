"""The audit log: every mutation, who did it for which party, when, and with what result.

Entries are only ever added; the committee reads its community's, the
sub-district office its district's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from gateway.models import Account, AuditEntry
from shared.db import UnitOfWork
from shared.identity import PartyType, Principal

SECRET_WORDS = ("password", "token")


def redact(value):
    if isinstance(value, dict):
        return {
            k: "[redacted]" if any(w in k.lower() for w in SECRET_WORDS) else redact(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [redact(v) for v in value]
    return value


@dataclass
class Entry:
    """One executed mutation as the log keeps it."""

    action: str
    arguments: dict
    outcome: str  # ok, refused (the service said no) or failed (an internal error)
    error_codes: list[str] = field(default_factory=list)
    # For a sign-in the account comes from the username given, not from a token.
    username: str | None = None
    # A sealed action (a bid, its withdrawal) is kept for operators but in no party's area: that an
    # organisation bid, and when, is itself sealed until the opening, and the opening publishes it.
    sealed: bool = False


def record(uow: UnitOfWork, principal: Principal | None, entries: list[Entry], correlation_id: str) -> None:
    """Append the request's entries in one transaction, each under the account that acted."""
    if not entries:
        return
    with uow:
        for entry in entries:
            account = None
            if principal is not None:
                account = uow.session.get(Account, principal.account_id)
            elif entry.username:
                account = uow.session.scalar(select(Account).where(Account.username == entry.username))
            uow.session.add(
                AuditEntry(
                    account_id=account.id if account else None,
                    username=account.username if account else entry.username,
                    party_type=account.party_type if account else None,
                    party_id=account.party_id if account else None,
                    district_id=account.district_id if account and not entry.sealed else None,
                    community_id=account.community_id if account and not entry.sealed else None,
                    action=entry.action,
                    arguments=redact(entry.arguments),
                    outcome=entry.outcome,
                    error_codes=entry.error_codes,
                    correlation_id=correlation_id,
                )
            )
        uow.commit()


def _scope(principal: Principal):
    """The entries a party reads: the committee its community's, the office its district's (each
    paged through its own index, see ``gateway.models``)."""
    if principal.is_a(PartyType.RESIDENTS_COMMITTEE):
        return AuditEntry.community_id == principal.community_id
    if principal.is_a(PartyType.STREET_OFFICE):
        return AuditEntry.district_id == principal.district_id
    return None


def entries_by_id(uow: UnitOfWork, principal: Principal, ids: list[str]) -> list[AuditEntry]:
    """The entries among ``ids`` the party reads (node(id:))."""
    scope = _scope(principal)
    if scope is None:
        return []
    with uow:
        return list(uow.session.scalars(select(AuditEntry).where(AuditEntry.id.in_(ids), scope)))
