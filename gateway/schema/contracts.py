"""Purchased-service contracts in the GraphQL schema."""

from __future__ import annotations

import graphene

from gateway.schema.common import (
    DateTime,
    Money,
    Node,
    connection,
    context,
    equals,
    expose,
    fetched_by,
    list_field,
)
from gateway.schema.matching import Organisation
from shared.identity import PartyType


@fetched_by("contracts", "get_contracts")
class Contract(graphene.ObjectType):
    """A government-purchased service contract (政府购买服务合同)."""

    class Meta:
        interfaces = (Node,)

    ocid = graphene.String(required=True)
    title = graphene.String(required=True)
    value = Money(required=True)
    status = graphene.String(required=True)
    awarded_at = DateTime(required=True)
    provider = graphene.Field(Organisation, required=True)

    @staticmethod
    def resolve_provider(root, info):
        return context(info).load_one("matching", "get_organisations", root["organisation_id"])


ContractConnection = connection(Contract)


class ContractFilter(graphene.InputObjectType):
    status = graphene.String(description="draft, signed, active, completed or terminated")


ContractOrder = graphene.Enum(
    "ContractOrder", [("AWARDED_AT_DESC", "-awarded_at"), ("VALUE_DESC", "-value"), ("TITLE_ASC", "title")]
)


def contracts_field():
    return list_field(
        ContractConnection,
        lambda ctx: ctx.call("contracts", "list_contracts"),
        ContractFilter,
        ContractOrder,
        {"status": equals("status")},
        default_order="-awarded_at",
    )


QUERIES = [
    expose(
        "contracts",
        contracts_field,
        PartyType.RESIDENTS_COMMITTEE,
        PartyType.SOCIAL_ORGANISATION,
    ),
]
MUTATIONS: list = []
