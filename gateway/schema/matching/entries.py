"""The demand list (需求清单) and the resource lists (资源清单): entries, claims on them by the
other side, and the deliveries of a confirmed match."""

from __future__ import annotations

import graphene
from graphene import relay

from gateway.schema.common import Node, fetched_by, one_of, rpc_mutation
from gateway.schema.connections import ConnectionField, connection, list_field
from gateway.schema.context import context
from gateway.schema.directory import Party, party_ref
from shared.vocabulary import matching as words


@fetched_by("matching", "get_claims")
class Claim(graphene.ObjectType):
    """A claim on an entry by the other side; confirmed, it is a match whose deliveries are tracked."""

    class Meta:
        interfaces = (Node,)

    claimant = graphene.Field(Party, required=True)
    note = graphene.String(required=True)
    status = graphene.String(required=True, description=one_of(words.ClaimStatus))
    deliveries = graphene.List(graphene.NonNull(graphene.JSONString), required=True)

    @staticmethod
    def resolve_claimant(root, info):
        return party_ref(root["claimant_type"], root["claimant_id"])


@fetched_by("matching", "get_list_entries")
class ListEntry(graphene.ObjectType):
    """An entry of the demand list (需求清单) or of a resource list (资源清单)."""

    class Meta:
        interfaces = (Node,)

    kind = graphene.String(required=True, description=one_of(words.EntryKind))
    title = graphene.String(required=True)
    description = graphene.String(required=True)
    category = graphene.String(required=True)
    origin = graphene.String(required=True, description=one_of(words.EntryOrigin))
    status = graphene.String(required=True, description=one_of(words.EntryStatus))
    owner = graphene.Field(Party, required=True)
    claims = ConnectionField(lambda: ClaimConnection)

    @staticmethod
    def resolve_owner(root, info):
        return party_ref(root["owner_type"], root["owner_id"])

    @staticmethod
    def resolve_claims(root, info, **_):
        return context(info).load_many("matching", "list_claims", root["id"], "entry_id")


ClaimConnection: type[relay.Connection] = connection(Claim)
ListEntryConnection = connection(ListEntry)


class ListEntryFilter(graphene.InputObjectType):
    kind = graphene.String(description=one_of(words.EntryKind))
    status = graphene.String(description=one_of(words.EntryStatus))
    category = graphene.String()


def entries_field():
    return list_field(ListEntryConnection, ("matching", "list_entries"), ListEntryFilter)


class ListEntryInput(graphene.InputObjectType):
    kind = graphene.String(
        required=True, description=f"{one_of(words.EntryKind)}: the committee's or a joint-building unit's"
    )
    title = graphene.String(required=True)
    description = graphene.String()
    category = graphene.String(required=True)
    origin = graphene.String(
        description=f"{one_of(words.EntryOrigin)}; {words.EntryOrigin.RESIDENTS} unless given"
    )


class ClaimEntryInput(graphene.InputObjectType):
    entry_id = graphene.ID(required=True)
    note = graphene.String()


class ClaimDecisionInput(graphene.InputObjectType):
    claim_id = graphene.ID(required=True)


class RecordDeliveryInput(graphene.InputObjectType):
    claim_id = graphene.ID(required=True)
    note = graphene.String(required=True)
    completed = graphene.Boolean(description="The entry's owner closes it as delivered.")


ENTRY, CLAIM = {"entry_id": "ListEntry"}, {"claim_id": "Claim"}
AddListEntry = rpc_mutation("AddListEntry", ListEntryInput, "entry", ListEntry, "matching", "list_entry")
ClaimEntry = rpc_mutation(
    "ClaimEntry",
    ClaimEntryInput,
    "claim",
    Claim,
    "matching",
    "claim_entry",
    ENTRY,
    doc="Claim an entry of the other side's list.",
)
ConfirmClaim = rpc_mutation(
    "ConfirmClaim",
    ClaimDecisionInput,
    "claim",
    Claim,
    "matching",
    "decide_claim",
    CLAIM,
    {"confirm": True},
    doc="The entry's owner confirms a claim: a match.",
)
DeclineClaim = rpc_mutation(
    "DeclineClaim", ClaimDecisionInput, "claim", Claim, "matching", "decide_claim", CLAIM, {"confirm": False}
)
RecordDelivery = rpc_mutation(
    "RecordDelivery", RecordDeliveryInput, "claim", Claim, "matching", "record_delivery", CLAIM
)
