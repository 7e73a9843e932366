"""One schema per party type: each shows only the fields that party may use.

A field is declared once, with the party types that may see it: a root field
with ``expose``, a field of an object type with ``only_for``. A party's schema
is built from its own fields (and each schema has its own copy of every
object type), so its introspection shows its own view and nothing else: no
field it can never receive, no type only such a field leads to. Before sign-in
there is only the anonymous schema.
"""

from __future__ import annotations

import graphene

from gateway.schema import contracts, directory, matching, meetings, session, volunteers
from gateway.schema.common import Exposed, building_schema_for
from shared.identity import PartyType

DOMAINS = (directory, session, meetings, matching, contracts, volunteers)
QUERIES: list[Exposed] = [e for d in DOMAINS for e in d.QUERIES]
MUTATIONS: list[Exposed] = [e for d in DOMAINS for e in getattr(d, "MUTATIONS", [])]


def _schema(queries: list[Exposed], mutations: list[Exposed]) -> graphene.Schema:
    query = type("Query", (graphene.ObjectType,), {e.name: e.make() for e in queries})
    mutation_fields = {e.name: e.make() for e in mutations}
    mutation = type("Mutation", (graphene.ObjectType,), mutation_fields) if mutation_fields else None
    return graphene.Schema(query=query, mutation=mutation)


def build_schema(party_type: PartyType) -> graphene.Schema:
    # Building the schema mounts every field of every type it reaches (graphql-core collects the
    # types field by field), so the fields declared ``only_for`` some parties are decided here.
    with building_schema_for(party_type):
        return _schema(
            [e for e in QUERIES if party_type in e.parties], [e for e in MUTATIONS if party_type in e.parties]
        )


SCHEMAS: dict[PartyType, graphene.Schema] = {party: build_schema(party) for party in PartyType}
ANONYMOUS_SCHEMA = _schema(session.ANONYMOUS_QUERIES, session.ANONYMOUS_MUTATIONS)
