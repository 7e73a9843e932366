"""What an operation may cost: the records it may touch and the fields it may resolve, estimated
from the document before it runs, each fragment costed once however often it is spread."""

from __future__ import annotations

import json
from collections import OrderedDict
from dataclasses import dataclass, field

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentSpreadNode,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    get_named_type,
    is_composite_type,
)
from graphql.utilities import value_from_ast_untyped

from gateway.limits.fragments import _children, fragments_of
from gateway.limits.refusal import DEFAULT_PAGE, LIST_ESTIMATE, MAX_PAGE, MAX_SIGN_INS, LimitExceeded
from shared import config
from shared.vocabulary.gateway import Limit


def _argument(field: FieldNode, name: str, variables: dict):
    for argument in field.arguments or ():
        if argument.name.value == name:
            return value_from_ast_untyped(argument.value, variables)
    return None


def _is_wrapper(type_) -> bool:
    """A Relay connection, edge or page info: a way to reach records, not a record."""
    if not isinstance(type_, GraphQLObjectType):
        return False
    names = type_.fields.keys()
    return type_.name == "PageInfo" or {"edges", "pageInfo"} <= names or {"node", "cursor"} <= names


# The heaviest lists named when a query costs too much.
_NAMED_LISTS = 3


@dataclass
class _Cost:
    records: int = 0  # every record that may be touched
    resolved: int = 0  # every field resolved, for every record
    direct: int = 0  # records not inside a list below this selection set
    # (path, page sizes along it, records): the lists with the most records of their own
    lists: list[tuple[tuple[str, ...], tuple[int, ...], int]] = field(default_factory=list)
    sign_ins: int = 0  # signIn mutations: each checks a password with a deliberately slow hash

    def add_lists(self, entries) -> None:
        merged: dict[tuple[str, ...], tuple[tuple[int, ...], int]] = {
            path: (sizes, records) for path, sizes, records in self.lists
        }
        for path, sizes, records in entries:
            if path in merged:
                records += merged[path][1]
            merged[path] = (sizes, records)
        heaviest = sorted(merged.items(), key=lambda item: -item[1][1])[:_NAMED_LISTS]
        self.lists = [(path, sizes, records) for path, (sizes, records) in heaviest]


@dataclass
class _Costing:
    schema: GraphQLSchema
    variables: dict
    fragments: dict[str, _Cost] = field(default_factory=dict)  # each fragment's cost, worked out once


def _set_cost(selection_set, parent_type, costing: _Costing) -> _Cost:
    cost = _Cost()
    for selection in _children(selection_set):
        if isinstance(selection, FragmentSpreadNode):
            spread = costing.fragments.get(selection.name.value)
            if spread is not None:
                cost.records += spread.records
                cost.resolved += spread.resolved
                cost.direct += spread.direct
                cost.sign_ins += spread.sign_ins
                cost.add_lists(spread.lists)
            continue
        if isinstance(selection, InlineFragmentNode):
            condition = selection.type_condition
            inner = costing.schema.get_type(condition.name.value) if condition else parent_type
            part = _set_cost(selection.selection_set, inner, costing)
            cost.records += part.records
            cost.resolved += part.resolved
            cost.direct += part.direct
            cost.sign_ins += part.sign_ins
            cost.add_lists(part.lists)
            continue
        name = selection.name.value
        if name == "signIn" and parent_type is costing.schema.mutation_type:
            cost.sign_ins += 1
        if name.startswith("__"):
            cost.resolved += 1
            continue
        pages = [_argument(selection, page, costing.variables) for page in ("first", "last")]
        for page in pages:
            if page is not None and (not isinstance(page, int) or not 0 <= page <= MAX_PAGE):
                raise LimitExceeded(Limit.PAGE_SIZE, f"{name}: first and last must be 0 to {MAX_PAGE}")
        definition = (
            parent_type.fields.get(name)
            if isinstance(parent_type, GraphQLObjectType | GraphQLInterfaceType)
            else None
        )
        type_ = definition.type if definition is not None else None
        nullable = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
        named = get_named_type(type_) if type_ is not None else None
        given = [page for page in pages if page is not None]
        if given:
            size = min(given)
        elif definition is not None and "first" in definition.args:
            size = DEFAULT_PAGE  # a connection: a page of 20
        elif isinstance(nullable, GraphQLList) and not _is_wrapper(parent_type):
            size = LIST_ESTIMATE  # a plain list; a connection's edges are its page, counted above
        else:
            size = 1
        own = 1 if named is not None and is_composite_type(named) and not _is_wrapper(named) else 0
        below = (
            _set_cost(selection.selection_set, named, costing)
            if selection.selection_set is not None
            else _Cost()
        )
        cost.records += size * (own + below.records)
        cost.resolved += size * (1 + below.resolved)
        # A connection's edges and nodes are not named in a path: "meetings.agenda".
        label = () if _is_wrapper(parent_type) else (selection.alias.value if selection.alias else name,)
        lifted = [
            ((*label, *path), ((size,) if size != 1 else ()) + sizes, size * records)
            for path, sizes, records in below.lists
        ]
        if size != 1:
            lifted.append((label, (size,), size * (own + below.direct)))
        else:
            cost.direct += own + below.direct
        cost.add_lists(lifted)
    return cost


def check_cost(
    document: DocumentNode, operation_name: str | None, variables: dict, schema: GraphQLSchema
) -> int:
    """Estimate how many records the operation may touch; refuse pages over 100 and costly queries.

    A record is an object the query asks for (a connection's edges and page info are not): a
    connection counts ``first`` (or ``last``, else 20) times what each of its nodes costs, a
    plain list 20 times, a single object once, and a scalar nothing. The fields resolved, every
    field asked of every record, are bounded too: they are the gateway's own work. Both bounds are
    settings (``max_cost``, ``max_resolved_fields``). Each fragment is costed once, however often it
    is spread. A request signs in once at most (``MAX_SIGN_INS``): aliases would otherwise have it
    try many passwords, each hash slow.
    """
    total = _estimate(document, operation_name, variables, schema)
    limits = config.settings()
    if total.sign_ins > MAX_SIGN_INS:
        # Aliases would otherwise try many passwords in one request, each hash holding the hub.
        raise LimitExceeded(
            Limit.SIGN_INS,
            f"the document signs in {total.sign_ins} times; a request may sign in {MAX_SIGN_INS} time",
        )
    if total.records > limits.max_cost:
        raise LimitExceeded(
            Limit.COST,
            f"the query may touch {total.records:,} records; the limit is {limits.max_cost}. "
            f"Most are in {_named(total.lists)}: pass first: (up to {MAX_PAGE}; {DEFAULT_PAGE} when not "
            "given) to fetch fewer, or ask for fewer nested lists",
        )
    if total.resolved > limits.max_resolved_fields:
        raise LimitExceeded(
            Limit.COST,
            f"the query may resolve {total.resolved:,} fields (each field asked of each record); the limit "
            f"is {limits.max_resolved_fields}. The most records are in {_named(total.lists)}: pass first: "
            "to fetch fewer, or ask for fewer fields",
        )
    return total.records


# The estimate depends on the document, the operation, the variables and the schema alone (the
# limits it is held to are read for every request): a document the persisted-query cache keeps is
# costed once for each operation and variables asked of it, a few of them kept with the document.
_KEPT_PER_DOCUMENT = 8
# Variables whose JSON is longer (a mutation's input, say) are costed every time, not kept: at most
# 2,000 documents × 8 × 256 characters are held.
_KEPT_VARIABLES = 256


def _estimate(
    document: DocumentNode, operation_name: str | None, variables: dict, schema: GraphQLSchema
) -> _Cost:
    given = json.dumps(variables, sort_keys=True, ensure_ascii=False, default=repr)
    if len(given) > _KEPT_VARIABLES:
        return _estimated(document, operation_name, variables, schema)
    kept: OrderedDict = document.__dict__.setdefault("gateway_costs", OrderedDict())
    key = (schema, operation_name, given)
    total = kept.get(key)
    if total is None:
        total = _estimated(document, operation_name, variables, schema)  # a refusal is not kept
        kept[key] = total
        while len(kept) > _KEPT_PER_DOCUMENT:
            kept.popitem(last=False)
    return total


def _estimated(
    document: DocumentNode, operation_name: str | None, variables: dict, schema: GraphQLSchema
) -> _Cost:
    fragments = fragments_of(document)
    if fragments.cyclic:  # never validated; NoFragmentCyclesRule refuses it
        raise LimitExceeded(Limit.COST, "the document spreads a fragment within itself")
    roots = {
        OperationType.QUERY: schema.query_type,
        OperationType.MUTATION: schema.mutation_type,
        OperationType.SUBSCRIPTION: schema.subscription_type,
    }
    costing = _Costing(schema, variables)
    for name in fragments.order:  # each fragment after those it spreads
        definition = fragments.definitions[name]
        type_ = schema.get_type(definition.type_condition.name.value)
        costing.fragments[name] = _definition_cost(definition, type_, costing)
    total = _Cost()
    for operation in document.definitions:
        if not isinstance(operation, OperationDefinitionNode):
            continue
        if operation_name is not None and not (operation.name and operation.name.value == operation_name):
            continue
        part = _definition_cost(operation, roots[operation.operation], costing)
        total.records += part.records
        total.resolved += part.resolved
        total.sign_ins += part.sign_ins
        total.add_lists(part.lists)
    return total


def _definition_cost(definition, type_, costing: _Costing) -> _Cost:
    """One operation's or fragment's cost: what is memoised."""
    return _set_cost(definition.selection_set, type_, costing)


def _named(lists) -> str:
    return "; ".join(
        f"{'.'.join(path)} ({records:,} records: {' × '.join(str(s) for s in sizes)} items)"
        for path, sizes, records in lists
    )
