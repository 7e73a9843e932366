"""Limits on what one request may ask: document size, tokens, nesting, selections, aliases,
operations, fragments, repeated fields, depth, cost, page size, rate.

Each rejection names its limit (``extensions.limit``), so a client knows what to change.

Refusing a document costs time linear in its size. The parser stops at ``MAX_TOKENS`` tokens
and ``MAX_NESTING`` levels of braces and brackets; :func:`check_shape` then counts, before the
standard validation runs, what that validation would have to do: graphql-core's
OverlappingFieldsCanBeMergedRule compares every pair of fields that share a response name (so
150 repeated ``about { name }`` cost seconds), and every rule looks at each fragment spread. The
walks here look at each fragment once (memoised by name, in dependency order), never follow a
fragment cycle, and never recurse deeper than the nesting the parser allows.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import partial

import eventlet
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLSyntaxError,
    InlineFragmentNode,
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    Source,
    ValidationRule,
    get_named_type,
    is_composite_type,
)
from graphql.language.parser import Parser
from graphql.utilities import value_from_ast_untyped

MAX_DOCUMENT_BYTES = int(os.environ.get("GONGZHI_MAX_DOCUMENT_BYTES", "20000"))
# Names, punctuation and values; comments and whitespace are not tokens. The largest document
# in this repository has 235; the README's committee query has about 130.
MAX_TOKENS = int(os.environ.get("GONGZHI_MAX_TOKENS", "1000"))
# Braces and brackets inside one another: selection sets, list and object values, list types.
MAX_NESTING = 32
# Field selections, fragment spreads and inline fragments, a fragment counting again at each
# spread (it is looked at once: its count is memoised).
MAX_SELECTIONS = int(os.environ.get("GONGZHI_MAX_SELECTIONS", "500"))
MAX_ALIASES = 50
MAX_OPERATIONS = 20
MAX_FRAGMENTS = 50
# Tokens parsed, or nodes validated, between two turns given to other requests on the hub.
YIELD_EVERY = 200
# Comparisons of two fields with one response name that the standard validation would make
# (about 20 µs each), ten argument value nodes (printed at each comparison) weighing as one.
MAX_REPEATS = 100
MAX_DEPTH = int(os.environ.get("GONGZHI_MAX_DEPTH", "10"))
MAX_COST = int(os.environ.get("GONGZHI_MAX_COST", "5000"))
# Fields the gateway resolves, each field asked of each record: the gateway's own work.
MAX_RESOLVED = int(os.environ.get("GONGZHI_MAX_RESOLVED_FIELDS", str(4 * MAX_COST)))
# signIn fields in one request (aliases or fragments could repeat it): each one checks a password
# with argon2, which is slow on purpose.
MAX_SIGN_INS = 1
MAX_PAGE = 100
DEFAULT_PAGE = 20
# A list that takes no page size is counted as this many items.
LIST_ESTIMATE = 20


class LimitExceeded(GraphQLError):
    def __init__(self, limit: str, message: str):
        super().__init__(message, extensions={"code": "limit_exceeded", "limit": limit})


# Parsing ---------------------------------------------------------------------------------


class _BoundedParser(Parser):
    """graphql-core's parser with ``max_tokens``, and a bound on nesting so that no recursion,
    here or in any later walk of the document, goes deeper than ``MAX_NESTING`` levels."""

    def __init__(self, source: str):
        super().__init__(source, max_tokens=MAX_TOKENS)
        self._nesting = 0

    def advance_lexer(self) -> None:
        try:
            super().advance_lexer()
        except GraphQLSyntaxError:
            if self._max_tokens is not None and self._token_counter > self._max_tokens:
                raise LimitExceeded(
                    "tokens", f"the document has more than {self._max_tokens} tokens, the limit"
                ) from None
            raise
        if self._token_counter % YIELD_EVERY == 0:
            yield_to_others()

    def _nested(self, parse):
        self._nesting += 1
        try:
            if self._nesting > MAX_NESTING:
                raise LimitExceeded(
                    "depth",
                    f"the document nests braces and brackets more than {MAX_NESTING} levels deep, the limit",
                )
            return parse()
        finally:
            self._nesting -= 1

    def parse_selection_set(self):
        return self._nested(super().parse_selection_set)

    def parse_list(self, is_const: bool):
        return self._nested(partial(super().parse_list, is_const))

    def parse_object(self, is_const: bool):
        return self._nested(partial(super().parse_object, is_const))

    def parse_type_reference(self):
        return self._nested(super().parse_type_reference)


# GraphQL's tokens as one regular expression (comments too, to be left out): it counts in C what
# the parser would count, so a document far over the limit is refused before parsing starts.
_TOKEN = re.compile(
    r'"""(?:\\"""|[^"]|"(?!""))*"""|"(?:\\.|[^"\\\n\r])*"|#[^\n\r]*'
    r"|[_A-Za-z][_0-9A-Za-z]*|-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|\.\.\.|[!$&()\[\]{}:=@|]"
)


def _too_many_tokens(query: str) -> bool:
    if len(query) <= MAX_TOKENS:  # every token takes at least one character
        return False
    found = _TOKEN.findall(query)
    return len(found) > MAX_TOKENS and sum(1 for t in found if t[0] != "#") > MAX_TOKENS


def parse_document(query: str) -> DocumentNode:
    """Parse ``query``, refusing it (``tokens``, ``depth``) as soon as it is too long or too deep."""
    if _too_many_tokens(query):
        raise LimitExceeded("tokens", f"the document has more than {MAX_TOKENS} tokens, the limit")
    try:
        return _BoundedParser(query).parse_document()
    except IndexError:  # graphql-core 3.2's lexer, on a string that ends in a backslash
        raise GraphQLSyntaxError(Source(query), len(query), "Unterminated string.") from None


def yield_to_others() -> None:
    """Let the hub run other requests' greenthreads between the CPU-bound steps of this one."""
    eventlet.sleep(0)


class YieldToOthers(ValidationRule):
    """Not a rule: while the rules walk a document, other requests get the hub every
    ``YIELD_EVERY`` nodes, so that no validation holds it for more than a moment."""

    nodes = 0

    def enter(self, *_):
        self.nodes += 1
        if self.nodes % YIELD_EVERY == 0:
            yield_to_others()


# Fragments -------------------------------------------------------------------------------


def _children(selection_set: SelectionSetNode | None):
    return selection_set.selections if selection_set is not None else ()


def _spreads(selection_set: SelectionSetNode) -> list[str]:
    """The fragment names spread anywhere under ``selection_set`` (fields and inline fragments
    included, other fragments not), once per spread."""
    names, stack = [], [selection_set]
    while stack:
        for selection in _children(stack.pop()):
            if isinstance(selection, FragmentSpreadNode):
                names.append(selection.name.value)
            elif selection.selection_set is not None:
                stack.append(selection.selection_set)
    return names


@dataclass
class _Fragments:
    """A document's fragments by name (the last of a name, as graphql-core's context has it),
    what each spreads, and an order in which every fragment comes after those it spreads."""

    definitions: dict[str, FragmentDefinitionNode]
    spreads: dict[str, list[str]]
    order: list[str]
    cyclic: bool


def fragments_of(document: DocumentNode) -> _Fragments:
    """Depth-first without recursion, so a long chain or a cycle of fragments costs linear time."""
    definitions = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    spreads = {name: _spreads(d.selection_set) for name, d in definitions.items()}
    order: list[str] = []
    state: dict[str, int] = {}  # 1: being explored, 2: done
    cyclic = False
    for start in definitions:
        if start in state:
            continue
        state[start] = 1
        stack = [(start, iter(spreads[start]))]
        while stack:
            name, pending = stack[-1]
            for target in pending:
                if target not in definitions:
                    continue  # KnownFragmentNamesRule reports it
                if state.get(target) == 1:
                    cyclic = True  # NoFragmentCyclesRule reports it; nothing here follows it
                elif target not in state:
                    state[target] = 1
                    stack.append((target, iter(spreads[target])))
                    break
            else:
                stack.pop()
                state[name] = 2
                order.append(name)
    return _Fragments(definitions, spreads, order, cyclic)


# The shape of a document, before validation -------------------------------------------------


@dataclass
class Shape:
    """What :func:`check_shape` counted."""

    operations: int = 0
    fragments: int = 0
    aliases: int = 0
    selections: int = 0  # a fragment counted again at each spread
    repeats: int = 0  # field comparisons the standard validation would make
    cyclic: bool = False
    walked: dict[str, int] = field(default_factory=dict)  # how often each fragment was walked


def _argument_size(node: FieldNode) -> int:
    """AST nodes in a field's arguments: what graphql-core prints each time it compares it."""
    size, stack = 0, [argument.value for argument in node.arguments or ()]
    while stack:
        value = stack.pop()
        size += 1
        if isinstance(value, ListValueNode):
            stack.extend(value.values)
        elif isinstance(value, ObjectValueNode):
            stack.extend(f.value for f in value.fields)
    return size


def check_shape(document: DocumentNode) -> Shape:
    """Refuse a document whose validation would be costly; linear in the document's size.

    Counts operations, fragments and aliases, then selections with each fragment counted at
    every spread (memoised, so a fragment that spreads another twice, sixteen times over, is
    counted in sixteen steps), then the pairs of same-named fields that the standard validation
    compares. A document with a fragment cycle is not measured: ``Shape.cyclic`` is set, and the
    caller lets NoFragmentCyclesRule refuse it.
    """
    shape = Shape()
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    fragment_definitions = [d for d in document.definitions if isinstance(d, FragmentDefinitionNode)]
    shape.operations, shape.fragments = len(operations), len(fragment_definitions)
    if shape.operations > MAX_OPERATIONS:
        raise LimitExceeded(
            "operations",
            f"the document has {shape.operations} operations; the limit is {MAX_OPERATIONS}: "
            "send only the operations you run",
        )
    if shape.fragments > MAX_FRAGMENTS:
        raise LimitExceeded(
            "fragments", f"the document has {shape.fragments} fragments; the limit is {MAX_FRAGMENTS}"
        )

    # Each definition's own selections (not through its spreads), and its aliases: one pass.
    own: dict[int, int] = {}
    for definition in (*operations, *fragment_definitions):
        count, stack = 0, [definition.selection_set]
        while stack:
            for selection in _children(stack.pop()):
                count += 1
                if isinstance(selection, FieldNode) and selection.alias is not None:
                    shape.aliases += 1
                if not isinstance(selection, FragmentSpreadNode) and selection.selection_set is not None:
                    stack.append(selection.selection_set)
        own[id(definition)] = count
    if shape.aliases > MAX_ALIASES:
        raise LimitExceeded(
            "aliases", f"the document has {shape.aliases} aliases; the limit is {MAX_ALIASES}"
        )

    fragments = fragments_of(document)
    shape.cyclic = fragments.cyclic
    if fragments.cyclic:
        return shape

    # Selections counted at every spread, each fragment's count worked out once.
    cap = MAX_SELECTIONS + 1
    expanded: dict[str, int] = {}
    for name in fragments.order:
        shape.walked[name] = shape.walked.get(name, 0) + 1
        definition = fragments.definitions[name]
        total = own[id(definition)] + sum(expanded.get(t, 0) for t in fragments.spreads[name])
        expanded[name] = min(total, cap)

    # Every operation, and every fragment definition no operation reaches, is walked by the
    # standard rules on its own.
    reached: set[str] = set()
    stack = [t for op in operations for t in _spreads(op.selection_set)]
    while stack:
        name = stack.pop()
        if name in fragments.definitions and name not in reached:
            reached.add(name)
            stack.extend(fragments.spreads[name])
    roots: list = list(operations)
    roots += [
        d
        for d in fragment_definitions
        if d.name.value not in reached or fragments.definitions[d.name.value] is not d
    ]
    for root in roots:
        count = own[id(root)] + sum(expanded.get(t, 0) for t in _spreads(root.selection_set))
        shape.selections = min(shape.selections + count, cap)
    if shape.selections > MAX_SELECTIONS:
        raise LimitExceeded(
            "selections",
            f"the document selects more than {MAX_SELECTIONS} fields and fragments, counting a fragment "
            f"again at each spread; the limit is {MAX_SELECTIONS}",
        )

    # Now the expansion is small: group the fields of each merged selection set by response
    # name, as OverlappingFieldsCanBeMergedRule does, and count the pairs it would compare.
    worst: tuple[int, tuple[str, ...]] = (0, ())
    sizes: dict[int, int] = {}
    work = [((), [root.selection_set]) for root in roots]
    while work:
        path, selection_sets = work.pop()
        groups: dict[str, list[FieldNode]] = {}
        stack, spread = list(selection_sets), set()
        while stack:
            for selection in _children(stack.pop()):
                if isinstance(selection, FieldNode):
                    key = selection.alias.value if selection.alias else selection.name.value
                    groups.setdefault(key, []).append(selection)
                elif isinstance(selection, InlineFragmentNode):
                    stack.append(selection.selection_set)
                elif selection.name.value in fragments.definitions and selection.name.value not in spread:
                    # A fragment spread twice in one selection set is compared once.
                    spread.add(selection.name.value)
                    stack.append(fragments.definitions[selection.name.value].selection_set)
        for key, nodes in groups.items():
            if len(nodes) > 1:
                arguments = 0
                for node in nodes:
                    if id(node) not in sizes:
                        sizes[id(node)] = _argument_size(node)
                    arguments += sizes[id(node)]
                pairs = len(nodes) * (len(nodes) - 1) // 2 + (len(nodes) - 1) * arguments // 10
                shape.repeats += pairs
                if len(nodes) > worst[0]:
                    worst = (len(nodes), (*path, key))
            children = [n.selection_set for n in nodes if n.selection_set is not None]
            if children:
                work.append(((*path, key), children))
    if shape.repeats > MAX_REPEATS:
        count, path = worst
        raise LimitExceeded(
            "repeated_fields",
            f"'{'.'.join(path)}' is selected {count} times in one selection set; checking that repeated "
            f"fields agree takes {shape.repeats} comparisons, and the limit is {MAX_REPEATS}: "
            "select each field once",
        )
    return shape


# Depth -----------------------------------------------------------------------------------


def _height(selection_set: SelectionSetNode, fragment_heights: dict[str, int]) -> int:
    """Levels of fields under ``selection_set`` (``__`` fields not counted), a fragment spread
    counting its own height, which is worked out once."""
    deepest, stack = 0, [(selection_set, 0)]
    while stack:
        selection_set, level = stack.pop()
        for selection in _children(selection_set):
            if isinstance(selection, FieldNode):
                if selection.name.value.startswith("__"):
                    continue
                deepest = max(deepest, level + 1)
                if selection.selection_set is not None:
                    stack.append((selection.selection_set, level + 1))
            elif isinstance(selection, InlineFragmentNode):
                stack.append((selection.selection_set, level))
            else:
                deepest = max(deepest, level + fragment_heights.get(selection.name.value, 0))
    return deepest


def fragment_heights(fragments: _Fragments) -> dict[str, int]:
    heights: dict[str, int] = {}
    for name in fragments.order:  # each fragment after those it spreads
        heights[name] = _height(fragments.definitions[name].selection_set, heights)
    return heights


def depth_limit_rule(max_depth: int = MAX_DEPTH) -> type[ValidationRule]:
    class DepthLimit(ValidationRule):
        heights: dict[str, int] | None = None

        def enter_document(self, node: DocumentNode, *_):
            fragments = fragments_of(node)
            # With a cycle there is no depth: NoFragmentCyclesRule refuses the document.
            self.heights = None if fragments.cyclic else fragment_heights(fragments)

        def enter_operation_definition(self, node: OperationDefinitionNode, *_):
            if self.heights is None:
                return
            if _height(node.selection_set, self.heights) > max_depth:
                self.report_error(
                    LimitExceeded("depth", f"the query is more than {max_depth} levels deep, the limit")
                )

    return DepthLimit


# Cost ------------------------------------------------------------------------------------


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
                raise LimitExceeded("page_size", f"{name}: first and last must be 0 to {MAX_PAGE}")
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
    field asked of every record, are bounded too (``MAX_RESOLVED``): they are the gateway's own
    work. Each fragment is costed once, however often it is spread. A request signs in once at
    most (``MAX_SIGN_INS``): aliases would otherwise have it try many passwords, each hash slow.
    """
    fragments = fragments_of(document)
    if fragments.cyclic:  # never validated; NoFragmentCyclesRule refuses it
        raise LimitExceeded("cost", "the document spreads a fragment within itself")
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
    if total.sign_ins > MAX_SIGN_INS:
        # Aliases would otherwise try many passwords in one request, each hash holding the hub.
        raise LimitExceeded(
            "sign_ins",
            f"the document signs in {total.sign_ins} times; a request may sign in {MAX_SIGN_INS} time",
        )
    if total.records > MAX_COST:
        raise LimitExceeded(
            "cost",
            f"the query may touch {total.records:,} records; the limit is {MAX_COST}. "
            f"Most are in {_named(total.lists)}: pass first: (up to {MAX_PAGE}; {DEFAULT_PAGE} when not "
            "given) to fetch fewer, or ask for fewer nested lists",
        )
    if total.resolved > MAX_RESOLVED:
        raise LimitExceeded(
            "cost",
            f"the query may resolve {total.resolved:,} fields (each field asked of each record); the limit "
            f"is {MAX_RESOLVED}. The most records are in {_named(total.lists)}: pass first: to fetch "
            "fewer, or ask for fewer fields",
        )
    return total.records


def _definition_cost(definition, type_, costing: _Costing) -> _Cost:
    """One operation's or fragment's cost: what is memoised."""
    return _set_cost(definition.selection_set, type_, costing)


def _named(lists) -> str:
    return "; ".join(
        f"{'.'.join(path)} ({records:,} records: {' × '.join(str(s) for s in sizes)} items)"
        for path, sizes, records in lists
    )


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """A token bucket per account: ``burst`` requests at once, ``per_second`` on average.

    Buckets are kept in the order they were last used. A bucket idle long enough to have refilled
    is the same as no bucket, so those are dropped as time passes; past ``max_keys`` the least
    recently used go too, so no stream of new keys can grow the table without bound.
    """

    def __init__(self, per_second: float, burst: int, max_keys: int = 100_000):
        self.per_second, self.burst, self.max_keys = per_second, burst, max_keys
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()
        self._lock = threading.Lock()
        self._refill_seconds = burst / per_second

    def __len__(self) -> int:
        return len(self._buckets)

    def allow(self, key: str) -> float:
        """0 if the request may go now, else the seconds to wait."""
        with self._lock:
            moment = time.monotonic()
            bucket = self._buckets.pop(key, None) or _Bucket(self.burst, moment)
            self._evict(moment)
            self._buckets[key] = bucket
            bucket.tokens = min(self.burst, bucket.tokens + (moment - bucket.updated) * self.per_second)
            bucket.updated = moment
            if bucket.tokens >= 1:
                bucket.tokens -= 1
                return 0.0
            return (1 - bucket.tokens) / self.per_second

    def _evict(self, moment: float) -> None:
        while self._buckets:
            oldest = next(iter(self._buckets.values()))
            if moment - oldest.updated < self._refill_seconds and len(self._buckets) < self.max_keys:
                return
            self._buckets.popitem(last=False)


class DocumentCache:
    """Parsed and validated documents by (schema, SHA-256 of the text): persisted queries."""

    def __init__(self, size: int = 2000):
        self.size = size
        self._documents: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            document = self._documents.get(key)
            if document is not None:
                self._documents.move_to_end(key)
            return document

    def put(self, key, document) -> None:
        with self._lock:
            self._documents[key] = document
            self._documents.move_to_end(key)
            while len(self._documents) > self.size:
                self._documents.popitem(last=False)
