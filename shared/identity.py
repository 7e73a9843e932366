"""Who acts: the principal that the gateway passes with every RPC made for someone."""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass

from shared.errors import InvalidInput, PermissionDenied
from shared.vocabulary.common import ErrorCode


class PartyType(enum.StrEnum):
    RESIDENTS_COMMITTEE = "residents_committee"
    OWNERS_COMMITTEE = "owners_committee"
    PROPERTY_COMPANY = "property_company"
    STREET_OFFICE = "street_office"
    SOCIAL_ORGANISATION = "social_organisation"
    JOINT_BUILDING_UNIT = "joint_building_unit"
    VOLUNTEER = "volunteer"


@dataclass(frozen=True)
class Principal:
    """An account acting for its party, within its district, community and compound.

    ``community_id`` is empty for a sub-district office (it sees its district) and
    for a social organisation (it serves several communities).
    """

    account_id: str
    party_type: PartyType
    party_id: str
    district_id: str | None = None
    community_id: str | None = None
    compound_id: str | None = None
    session_id: str | None = None

    @classmethod
    def from_dict(cls, data: dict | None) -> Principal:
        if not data:
            raise PermissionDenied("this action needs a signed-in party", code=ErrorCode.UNAUTHENTICATED)
        try:
            return cls(
                account_id=str(data["account_id"]),
                party_type=PartyType(data["party_type"]),
                party_id=str(data["party_id"]),
                district_id=data.get("district_id"),
                community_id=data.get("community_id"),
                compound_id=data.get("compound_id"),
                session_id=data.get("session_id"),
            )
        except (KeyError, ValueError) as exc:
            raise InvalidInput(
                [{"field": "principal", "code": "invalid", "message": f"malformed principal: {exc}"}]
            ) from exc

    def to_dict(self) -> dict:
        data = asdict(self)
        data["party_type"] = self.party_type.value
        return data

    def require(self, *party_types: PartyType) -> None:
        if self.party_type not in party_types:
            raise PermissionDenied(f"a {self.party_type.value} may not do this")

    def is_a(self, party_type: PartyType) -> bool:
        return self.party_type is party_type

    def sees_area(
        self, district_id: str | None, community_id: str | None, compound_id: str | None = None
    ) -> bool:
        """Whether a record of this district, community and compound is in the party's area.

        The sub-district office sees its district, the residents' committee its
        community, the owners' committee and the property company their
        compound and what concerns the whole community. Other parties see
        records through ownership, which each service checks for itself.
        """
        if self.party_type is PartyType.STREET_OFFICE:
            return district_id is not None and district_id == self.district_id
        if community_id is None or community_id != self.community_id:
            return False
        if self.party_type is PartyType.RESIDENTS_COMMITTEE:
            return True
        if self.party_type in (PartyType.OWNERS_COMMITTEE, PartyType.PROPERTY_COMPANY):
            return compound_id is None or compound_id == self.compound_id
        return False
