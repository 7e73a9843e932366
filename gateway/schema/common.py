"""What every domain's part of the schema shares: IDs and node lookups, scalars, errors, payloads and
mutations, and which party sees which field."""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import graphene
from graphene import relay
from graphene.types.unmountedtype import UnmountedType
from graphql import GraphQLError
from graphql.language import StringValueNode
from graphql_relay import from_global_id, to_global_id

from gateway.schema.context import RequestContext, context, then
from gateway.schema.error_codes import UserErrorCode, code_of
from shared import config
from shared.errors import DomainError, NotFound, no_field
from shared.fields import parse_amount, parse_date, parse_instant
from shared.identity import PartyType

# Identifiers -----------------------------------------------------------------------------


def global_id(type_name: str, raw_id: str | None) -> str | None:
    return None if raw_id is None else to_global_id(type_name, raw_id)


def raw_id(value: str, type_name: str, field_name: str) -> str:
    """The record id inside a global ID; a wrong or foreign ID reads as 'not found'."""
    try:
        decoded_type, decoded_id = from_global_id(value)
    except Exception:
        decoded_type, decoded_id = None, None
    if decoded_type != type_name or not decoded_id:
        raise NotFound(f"no such {type_name}", field=field_name)
    return decoded_id


class Node(relay.Node):
    """An object with a global ID. ``node(id:)`` answers null alike for an ID that does not
    exist, one of a type outside the party's view, and one of a record it may not see."""

    class Meta:
        name = "Node"

    @classmethod
    def resolve_type(cls, instance, info):
        return instance["__typename"] if isinstance(instance, dict) else None


# How each type is fetched by its ids, for node(id:): a batched RPC ``(service, method)`` called as
# ``method(principal, ids)``, or a function of the gateway's own store ``fetch(context, ids)``. Either
# answers only the records the principal may see, each with its "id".
NODE_FETCHERS: dict[str, tuple[str, str] | Callable[[RequestContext, list[str]], list[dict]]] = {}


def fetched_by(service: str, method: str):
    """Register an object type as reachable through ``node(id:)`` with the given batched RPC."""

    def register(cls):
        NODE_FETCHERS[cls.__name__] = (service, method)
        return cls

    return register


def fetched_locally(fetch: Callable[[RequestContext, list[str]], list[dict]]):
    """Register an object type kept by the gateway itself as reachable through ``node(id:)``."""

    def register(cls):
        NODE_FETCHERS[cls.__name__] = fetch
        return cls

    return register


def listed(service: str, method: str) -> Callable[[RequestContext, list[str]], list[dict]]:
    """The records among ids from a list RPC, which takes them by name: its second argument is a page."""
    return lambda ctx, ids: ctx.call(service, method, ids=ids)


def listed_by(service: str, method: str):
    """Register an object type as reachable through ``node(id:)`` by its list RPC's ``ids=``."""
    return fetched_locally(listed(service, method))


def load_listed(ctx: RequestContext, service: str, method: str, key: str | None):
    """One record by id from a list RPC (``ids=``), fetched together with its siblings in one RPC."""
    if key is None:
        return None
    return ctx.load_local(f"{service}.{method}", listed(service, method), key)


def load_children(ctx: RequestContext, service: str, method: str, parents: str, key: str, group_by: str):
    """The records that belong to ``key`` from a list RPC that takes their parents by name
    (``parents=``, say ``request_ids``), batched over the parents like ``load_many``."""

    def batch(keys: list[str]) -> list:
        groups: dict[str, list] = {k: [] for k in keys}
        for row in ctx.call(service, method, **{parents: keys}):
            groups.setdefault(row[group_by], []).append(row)
        return [groups[k] for k in keys]

    return ctx.loader(f"{service}.{method}.{parents}", batch).load(key)


def resolve_node(root, info, id):
    """The record of a global ID, or null alike for an ID that is malformed or unknown, of a type
    outside the party's schema, or of a record the party may not see."""
    try:
        type_name, raw = from_global_id(id)
    except Exception:
        return None
    if not raw or type_name not in NODE_FETCHERS or info.schema.get_type(type_name) is None:
        return None
    fetcher = NODE_FETCHERS[type_name]
    ctx = context(info)
    if callable(fetcher):
        found = ctx.load_local(type_name, fetcher, raw)
    else:
        found = ctx.load_one(*fetcher, raw)
    return then(found, lambda record: record and {**record, "__typename": type_name})


# Scalars ---------------------------------------------------------------------------------


# Input scalars check what the services check (shared.fields), so that a bad value is refused
# as a GraphQL error naming the argument before any service is called; the services still check.
# A variable's error names its path ("Variable '$i' got invalid value ... at 'i.startsAt'; ...").
# A literal's error is raised as a ValueError, so that graphql-core reports it with the value
# found and its location (a GraphQLError from parse_literal would be reported bare).


def _parse_literal(scalar, node, example: str):
    if not isinstance(node, StringValueNode):
        raise ValueError(f"{scalar.__name__} is written as a string, as in {example}")
    try:
        return scalar.parse_value(node.value)
    except GraphQLError as error:
        raise ValueError(error.message) from None


class DateTime(graphene.DateTime):
    """An instant, shown in the community's time zone; input must carry its offset and lie between
    2000-01-01 and 2100-01-01 (UTC): "2026-12-01T14:00:00+08:00"."""

    @staticmethod
    def serialize(value):
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        if not isinstance(value, datetime):
            raise GraphQLError(f"DateTime cannot represent {value!r}")
        return value.astimezone(config.community_zone()).isoformat()

    @classmethod
    def parse_literal(cls, node, _variables=None):
        return _parse_literal(cls, node, "2026-12-01T14:00:00+08:00")

    @classmethod
    def parse_value(cls, value):
        try:
            return parse_instant(value)
        except ValueError as error:
            raise GraphQLError(f"DateTime {error}") from None


class Date(graphene.Date):
    """A calendar date, "2027-03-31", from 2000-01-01 to 2099-12-31. The services answer dates as
    ISO strings, which graphene's own Date cannot show."""

    @staticmethod
    def serialize(value):
        if isinstance(value, str):
            value = date.fromisoformat(value)
        if isinstance(value, datetime):
            value = value.date()
        if not isinstance(value, date):
            raise GraphQLError(f"Date cannot represent {value!r}")
        return value.isoformat()

    @classmethod
    def parse_literal(cls, node, _variables=None):
        return _parse_literal(cls, node, "2027-03-31")

    @classmethod
    def parse_value(cls, value):
        try:
            return parse_date(value)
        except ValueError as error:
            raise GraphQLError(f"Date {error}") from None


class Money(graphene.Decimal):
    """An amount in CNY, exact to the fen, written as a string of digits with at most two
    decimals: "12800.00". A number is refused: a float is not exact."""

    @staticmethod
    def serialize(value):
        return f"{Decimal(value):.2f}"

    @classmethod
    def parse_literal(cls, node, _variables=None):
        return _parse_literal(cls, node, '"12800.00", not as a number')

    @staticmethod
    def parse_value(value):
        try:
            return parse_amount(value)
        except ValueError as error:
            raise GraphQLError(f"Money: {error}") from None


def wire(value: Any) -> Any:
    """Turn GraphQL input values into what an RPC carries (JSON: strings for money and times)."""
    if isinstance(value, dict):
        return {k: wire(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [wire(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def one_of(words: type[enum.Enum]) -> str:
    """A vocabulary's values as a description reads them: "draft, open, filled or cancelled"."""
    values = [str(member.value) for member in words]
    return values[0] if len(values) == 1 else f"{', '.join(values[:-1])} or {values[-1]}"


# Errors and payloads ---------------------------------------------------------------------


def camel_case(path: str | None) -> str | None:
    """An input path in the client's spelling (``milestones.0.due_on`` → ``milestones.0.dueOn``);
    None (never the string "None") when the error names no field."""
    path = no_field(path)
    if path is None:
        return None
    return re.sub(r"_([a-z0-9])", lambda m: m.group(1).upper(), str(path))


class UserError(graphene.ObjectType):
    """Something the caller can fix: which input, a stable code, and a sentence."""

    field = graphene.String(description="The input field at fault, when one is.")
    code = graphene.Field(UserErrorCode, required=True)
    message = graphene.String(required=True, description="A sentence for a person; it may change.")


def user_errors(exc: DomainError) -> list[UserError]:
    return [
        UserError(field=camel_case(e.get("field")), code=code_of(e["code"]), message=e["message"])
        for e in exc.user_errors
    ]


class Payload:
    """Mix into a mutation: every mutation answers with its result and a list of user errors."""

    errors = graphene.List(graphene.NonNull(UserError), required=True)

    @classmethod
    def run(cls, info, action: Callable[[RequestContext], dict]):
        payload: Any = cls  # mixed into a graphene Mutation, which takes its fields as arguments
        ctx = context(info)
        try:
            with ctx.keyed(str(info.path.key)):
                return payload(errors=[], **action(ctx))
        except DomainError as exc:
            return payload(errors=user_errors(exc))


# The schema's parts by party ---------------------------------------------------------------


@dataclass(frozen=True)
class Exposed:
    """A root field of the schema and the party types whose schema shows it."""

    name: str
    make: Callable[[], graphene.Field]
    parties: frozenset[PartyType]


def expose(name: str, make: Callable[[], graphene.Field], *parties: PartyType) -> Exposed:
    return Exposed(name, make, frozenset(parties))


# The party type whose schema is being built (``parties.build_schema``); none for the anonymous one.
_BUILDING_FOR: ContextVar[PartyType | None] = ContextVar("building_schema_for", default=None)


@contextmanager
def building_schema_for(party_type: PartyType | None) -> Iterator[None]:
    """Build a schema for this party type: the fields ``only_for`` other parties are left out."""
    token = _BUILDING_FOR.set(party_type)
    try:
        yield
    finally:
        _BUILDING_FOR.reset(token)


def only_for(*parties: PartyType, field: graphene.Field | UnmountedType) -> graphene.Dynamic:
    """A field of an object type that only these party types can ever receive: declared once, it is
    mounted in their schemas and absent from every other party's, and so is every type that only it
    leads to (graphene's ``Dynamic``; each schema builds its own copy of each object type). As
    ``expose`` does for root fields; a field outside any party's build is left out."""
    allowed = frozenset(parties)
    return graphene.Dynamic(lambda: field if _BUILDING_FOR.get() in allowed else None)


def rpc_mutation(
    name: str,
    input_type: type,
    result: str,
    result_type,
    service: str,
    method: str,
    ids: dict[str, str] | None = None,
    fixed: dict | None = None,
    doc: str = "",
) -> type[graphene.Mutation]:
    """A mutation that sends its input to one RPC and answers with the record it returns.

    ``ids`` names the input fields that carry global IDs (or lists of them) and their type; ``fixed`` adds
    values the mutation's name already says (an action item's action, say).
    """

    def mutate(cls, root, info, input):
        def action(ctx):
            data = {k: v for k, v in wire(dict(input)).items() if v is not None}
            for field_name, type_name in (ids or {}).items():
                given = input.get(field_name)
                if isinstance(given, (list, tuple)):
                    data[field_name] = [raw_id(value, type_name, field_name) for value in given]
                elif given:
                    data[field_name] = raw_id(given, type_name, field_name)
            return {result: ctx.call(service, method, {**data, **(fixed or {})})}

        return cls.run(info, action)

    arguments = type("Arguments", (), {"input": input_type(required=True)})
    return type(
        name,
        (Payload, graphene.Mutation),
        {
            "__doc__": doc or None,
            "Arguments": arguments,
            result: graphene.Field(result_type),
            "mutate": classmethod(mutate),
        },
    )


def sealed(
    mutation: type[graphene.Mutation], clear_input: tuple[str, ...], receipt_of: str | None = None
) -> None:
    """Keep a mutation's input out of the audit log but for ``clear_input``, with the digest of the
    record ``receipt_of`` names as its receipt (gateway.audit): until the bids are opened, nobody but
    the bidder reads a bid, the log included."""
    mutation.audit_clear_input = clear_input
    if receipt_of is not None:
        mutation.receipt_of = receipt_of
