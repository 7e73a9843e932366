"""Purchased-service contracts in the GraphQL schema."""

from __future__ import annotations

import graphene

from gateway.schema.common import (
    ConnectionField,
    DateTime,
    Money,
    Node,
    connection,
    context,
    expose,
    fetched_by,
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


def resolve_contracts(root, info, **_):
    return context(info).call("contracts", "list_contracts")


QUERIES = [
    expose(
        "contracts",
        lambda: ConnectionField(ContractConnection, resolver=resolve_contracts),
        PartyType.RESIDENTS_COMMITTEE,
        PartyType.SOCIAL_ORGANISATION,
    ),
]
MUTATIONS: list = []
