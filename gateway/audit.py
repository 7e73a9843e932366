"""The audit log: every mutation, who did it for which party, when, and with what result.

Entries are only ever added; the committee reads its community's, the
sub-district office its district's.
"""

from __future__ import annotations

from sqlalchemy import select

from gateway.models import AuditEntry
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


def record(
    uow: UnitOfWork,
    principal: Principal | None,
    action: str,
    arguments: dict,
    outcome: str,
    error_codes: list[str],
    correlation_id: str,
    username: str | None = None,
) -> None:
    with uow:
        uow.session.add(
            AuditEntry(
                account_id=principal.account_id if principal else None,
                username=username,
                party_type=principal.party_type.value if principal else None,
                party_id=principal.party_id if principal else None,
                district_id=principal.district_id if principal else None,
                community_id=principal.community_id if principal else None,
                action=action,
                arguments=redact(arguments),
                outcome=outcome,
                error_codes=error_codes,
                correlation_id=correlation_id,
            )
        )
        uow.commit()


def entries_for(uow: UnitOfWork, principal: Principal) -> list[AuditEntry]:
    with uow:
        query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id)
        if principal.is_a(PartyType.RESIDENTS_COMMITTEE):
            query = query.where(AuditEntry.community_id == principal.community_id)
        elif principal.is_a(PartyType.STREET_OFFICE):
            query = query.where(AuditEntry.district_id == principal.district_id)
        else:
            return []
        return list(uow.session.scalars(query.limit(1000)))
