"""Who sees a contract, who signs it for which side, who approves and who evaluates it."""

from __future__ import annotations

from collections.abc import Collection

from shared.identity import PartyType, Principal
from shared.vocabulary.contracts import Side

PURCHASER_TYPES = (PartyType.RESIDENTS_COMMITTEE, PartyType.STREET_OFFICE)


def serves_compound(principal: Principal, community_id: str, compound_ids: Collection[str] | None) -> bool:
    """An owners' committee whose compound the contract serves; no compounds means the whole
    community is served, so every compound of it is."""
    return (
        principal.is_a(PartyType.OWNERS_COMMITTEE)
        and principal.community_id == community_id
        and (not compound_ids or principal.compound_id in compound_ids)
    )


def may_see_contract(
    principal: Principal,
    community_id: str,
    organisation_id: str,
    *,
    district_id: str | None = None,
    compound_ids: Collection[str] | None = None,
) -> bool:
    """Who sees a contract.

    The provider sees its own contracts only; the residents' committee those of its community;
    the sub-district office every contract of its district (it oversees them, and is their
    purchaser when it buys); an owners' committee those serving its compound. ``compound_ids``
    empty means the whole community is served; ``None`` means the caller does not know, and
    then owners' committees see nothing, as before the parameter existed.

    The lists read the same rule as SQL (``services.contracts.handlers.access.visible``); a test
    holds the two to the same answers.
    """
    if principal.is_a(PartyType.SOCIAL_ORGANISATION):
        return principal.party_id == organisation_id
    if principal.is_a(PartyType.RESIDENTS_COMMITTEE):
        return principal.community_id == community_id
    if principal.is_a(PartyType.STREET_OFFICE):
        return district_id is not None and principal.district_id == district_id
    if principal.is_a(PartyType.OWNERS_COMMITTEE):
        return compound_ids is not None and serves_compound(principal, community_id, compound_ids)
    return False


def may_approve(principal: Principal, district_id: str | None) -> bool:
    """The sub-district office of the contract's district approves above the threshold."""
    return principal.is_a(PartyType.STREET_OFFICE) and (
        district_id is not None and principal.district_id == district_id
    )


def signing_side(
    principal: Principal,
    *,
    purchaser_id: str,
    organisation_id: str,
    purchaser_type: str = PartyType.RESIDENTS_COMMITTEE.value,
    district_id: str | None = None,
) -> Side | None:
    """The side the principal signs for: the purchaser's agent or the provider; None for others.

    A sub-district office that buys for its district (街道购买) is the purchaser through whichever
    of its accounts acts: it is known by its district, not by a party id the tender never saw.
    """
    if purchaser_type == PartyType.STREET_OFFICE.value:
        if principal.is_a(PartyType.STREET_OFFICE) and district_id is not None:
            if principal.district_id == district_id:
                return Side.PURCHASER
    elif principal.party_type in PURCHASER_TYPES and principal.party_id == purchaser_id:
        return Side.PURCHASER
    if principal.is_a(PartyType.SOCIAL_ORGANISATION) and principal.party_id == organisation_id:
        return Side.PROVIDER
    return None


def may_evaluate(principal: Principal, community_id: str, compound_ids: Collection[str] | None) -> bool:
    """Residents evaluate through their owners' committee, or the community's residents' committee."""
    if principal.is_a(PartyType.RESIDENTS_COMMITTEE):
        return principal.community_id == community_id
    return serves_compound(principal, community_id, compound_ids)


def sees_every_evaluation(principal: Principal) -> bool:
    """The committee and the office see who evaluated; an owners' committee only its own; the
    provider nobody (it sees the summaries)."""
    return principal.party_type in (PartyType.RESIDENTS_COMMITTEE, PartyType.STREET_OFFICE)


def keeps_a_budget(principal: Principal) -> bool:
    """The budget is the purchaser's and the office's."""
    return principal.party_type in PURCHASER_TYPES
