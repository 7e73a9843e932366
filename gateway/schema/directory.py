"""The parties and places of the community directory, and the signed-in viewer."""

from __future__ import annotations

import graphene

from gateway.schema.common import DateTime, Node, expose, global_id, resolve_node
from gateway.schema.context import context, then
from shared.identity import PartyType

PartyTypeEnum = graphene.Enum.from_enum(PartyType, name="PartyType")

# Where each party type's own record (and so its name) lives.
PARTY_RECORDS = {
    PartyType.SOCIAL_ORGANISATION: ("matching", "get_organisations"),
    PartyType.VOLUNTEER: ("volunteers", "get_volunteers"),
}
DIRECTORY = ("meetings", "get_parties")


class Place(graphene.ObjectType):
    """A district, community or compound."""

    id = graphene.ID(required=True)
    name = graphene.String(required=True)

    @staticmethod
    def resolve_id(root, info):
        return global_id("Place", root["id"])


class Party(graphene.ObjectType):
    id = graphene.ID(required=True)
    type = graphene.Field(PartyTypeEnum, required=True)
    name = graphene.String()

    @staticmethod
    def resolve_id(root, info):
        return global_id("Party", root["id"])

    @staticmethod
    def resolve_type(root, info):
        return PartyType(root["type"])

    @staticmethod
    def resolve_name(root, info):
        service, method = PARTY_RECORDS.get(PartyType(root["type"]), DIRECTORY)
        return then(
            context(info).load_one(service, method, root["id"]), lambda record: record and record["name"]
        )


def party_ref(party_type: str, party_id: str) -> dict:
    return {"type": party_type, "id": party_id}


class Viewer(graphene.ObjectType):
    """The signed-in account and the party it acts for."""

    account_id = graphene.ID(required=True)
    party = graphene.Field(Party, required=True)
    district = graphene.Field(Place)
    community = graphene.Field(Place)
    compound = graphene.Field(Place)
    calendar_key_issued_at = DateTime(
        description="When the address of this account's iCalendar (RFC 5545) feed was made; null when it "
        "has none. The address itself is shown once, by rotateCalendarKey (only its hash is kept)."
    )
    notice_board_url = graphene.String(description="The community's public notice board (no sign-in needed).")

    @staticmethod
    def resolve_calendar_key_issued_at(principal, info):
        from gateway.accounts import calendar_key_issued_at

        return calendar_key_issued_at(context(info).accounts, principal)

    @staticmethod
    def resolve_notice_board_url(principal, info):
        if not principal.community_id:
            return None
        return f"{context(info).base_url}notices/{global_id('Place', principal.community_id)}"

    @staticmethod
    def resolve_party(principal, info):
        return party_ref(principal.party_type.value, principal.party_id)

    @staticmethod
    def resolve_district(principal, info):
        return context(info).load_one("meetings", "get_places", principal.district_id)

    @staticmethod
    def resolve_community(principal, info):
        return context(info).load_one("meetings", "get_places", principal.community_id)

    @staticmethod
    def resolve_compound(principal, info):
        return context(info).load_one("meetings", "get_places", principal.compound_id)


def resolve_viewer(root, info):
    return context(info).principal


QUERIES = [
    expose("viewer", lambda: graphene.Field(Viewer, required=True, resolver=resolve_viewer), *PartyType),
    expose(
        "node", lambda: graphene.Field(Node, id=graphene.ID(required=True), resolver=resolve_node), *PartyType
    ),
]
