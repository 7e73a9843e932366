"""Rules of purchased-service contracts, in plain Python."""

from __future__ import annotations

from shared.identity import PartyType, Principal


def may_see_contract(principal: Principal, community_id: str, organisation_id: str) -> bool:
    """The purchaser's community and the provider see a contract; nobody else does."""
    if principal.is_a(PartyType.SOCIAL_ORGANISATION):
        return principal.party_id == organisation_id
    if principal.is_a(PartyType.RESIDENTS_COMMITTEE):
        return principal.community_id == community_id
    return False
