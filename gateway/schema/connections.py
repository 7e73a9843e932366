"""Relay connections: a root list is one page cut by its service, a nested list one parent's rows.

A root list passes the client's page request through to the service's list RPC (``shared.paging``
on the other side): the service filters, orders and cuts the page in SQL and answers it with its
own keyset cursors, which reach the client as they are. Nothing is listed whole in the gateway.
A nested list (a meeting's agenda, a request's offers) is fetched for all its parents at once by a
loader, and paged here: it belongs to one parent and is small.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any

import graphene
from graphene import relay
from graphql import FieldNode, FragmentSpreadNode, GraphQLResolveInfo, InlineFragmentNode, SelectionSetNode
from graphql.execution.collect_fields import should_include_node
from graphql_sync_dataloaders import SyncFuture

from gateway.limits import DEFAULT_PAGE
from gateway.schema.common import wire
from gateway.schema.context import RequestContext, context, then

TOTAL_COUNT = "totalCount"

# Where a root list's page comes from: a list RPC ``(service, method)``, called as
# ``method(principal, page=...)``, or a function of the gateway's own store ``fetch(context, page)``.
# Either answers the page as ``shared.paging.Page.to_wire`` writes it.
PageSource = tuple[str, str] | Callable[[RequestContext, dict[str, Any]], dict[str, Any]]


class ConnectionField(relay.ConnectionField):
    """A Relay connection whose pages hold 20 records unless asked for up to 100.

    Its resolver may return the rows of one parent, or a loader's future of them (nested lists
    are batched like any other lookup), or a connection already cut (a root list's page).
    """

    @classmethod
    def resolve_connection(cls, connection_type, args, resolved):
        if isinstance(resolved, connection_type):
            return resolved
        if args.get("first") is None and args.get("last") is None:
            args = {**args, "first": DEFAULT_PAGE}
        rows = list(resolved)
        found = super().resolve_connection(connection_type, args, rows)
        found.total_count = len(rows)  # one parent's rows are all here: counting is free
        return found

    @classmethod
    def connection_resolver(cls, resolver, connection_type, root, info, **args):
        resolved = resolver(root, info, **args)
        if isinstance(resolved, SyncFuture):
            return then(resolved, lambda rows: cls.resolve_connection(connection_type, args, rows))
        return cls.resolve_connection(connection_type, args, resolved)


def connection(node_type: type) -> type[relay.Connection]:
    """The connection type of ``node_type``, with the total its filter matches when asked for."""

    class Meta:
        node = node_type

    total_count = graphene.Int(
        description="How many records the list holds with the filter given, all pages together. "
        "Counted only when selected: the count is a query of its own."
    )
    return type(
        f"{node_type.__name__}Connection", (relay.Connection,), {"Meta": Meta, "total_count": total_count}
    )


def selects(info: GraphQLResolveInfo, name: str) -> bool:
    """Whether the client's selection of this field asks for ``name`` directly under it, through
    fragment spreads and inline fragments too (each fragment looked at once), as the executor will
    (``@skip`` and ``@include`` heeded)."""
    stack: list[SelectionSetNode] = [n.selection_set for n in info.field_nodes if n.selection_set]
    spread: set[str] = set()
    while stack:
        for selection in stack.pop().selections:
            if not isinstance(selection, FieldNode | InlineFragmentNode | FragmentSpreadNode):
                continue
            if not should_include_node(info.variable_values, selection):
                continue
            if isinstance(selection, FieldNode):
                if selection.name.value == name:
                    return True
            elif isinstance(selection, InlineFragmentNode):
                stack.append(selection.selection_set)
            elif selection.name.value not in spread:
                spread.add(selection.name.value)
                fragment = info.fragments.get(selection.name.value)
                if fragment is not None:
                    stack.append(fragment.selection_set)
    return False


def page_request(info: GraphQLResolveInfo, args: dict[str, Any]) -> dict[str, Any]:
    """The client's page request as a list RPC takes it (``shared.paging.PageRequest.from_wire``):
    filter fields by their snake_case names with enum values, the order by its enum value."""
    order = args.get("order_by")
    given = wire(dict(args.get("filter") or {}))
    return {
        "first": args.get("first"),
        "after": args.get("after"),
        "last": args.get("last"),
        "before": args.get("before"),
        "filter": {k: v for k, v in given.items() if v is not None},
        "order_by": order.value if isinstance(order, enum.Enum) else order,
        "with_total": selects(info, TOTAL_COUNT),
    }


def page_connection(connection_type: type[relay.Connection], answer: dict[str, Any]) -> relay.Connection:
    """A connection of one page as a list RPC answered it; the service's cursors go out as they are."""
    info = answer["page_info"]
    edge_type: Any = connection_type.Edge
    return connection_type(
        edges=[edge_type(node=edge["node"], cursor=edge["cursor"]) for edge in answer["edges"]],
        page_info=relay.PageInfo(
            start_cursor=info.get("start_cursor"),
            end_cursor=info.get("end_cursor"),
            has_previous_page=info["has_previous_page"],
            has_next_page=info["has_next_page"],
        ),
        total_count=answer.get("total_count"),
    )


def list_field(
    connection_type: type[relay.Connection],
    source: PageSource,
    filter_type: type[graphene.InputObjectType] | None = None,
    order_type: type[graphene.Enum] | None = None,
) -> ConnectionField:
    """A root list: the page the client asks for, filtered and ordered by the service that keeps it."""

    def resolve(root, info, **args):
        ctx = context(info)
        page = page_request(info, args)
        if callable(source):
            answer = source(ctx, page)
        else:
            service, method = source
            answer = ctx.call(service, method, page=page)
        return page_connection(connection_type, answer)

    arguments: dict[str, Any] = {}
    if filter_type is not None:
        arguments["filter"] = filter_type()
    if order_type is not None:
        arguments["order_by"] = graphene.Argument(order_type)
    return ConnectionField(connection_type, resolver=resolve, **arguments)
