"""Limits on what one request may ask: document size, depth, cost, page size, rate.

Each rejection names its limit, so a client knows what to change.
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    ValidationRule,
)
from graphql.utilities import value_from_ast_untyped

MAX_DOCUMENT_BYTES = int(os.environ.get("GONGZHI_MAX_DOCUMENT_BYTES", "20000"))
MAX_DEPTH = int(os.environ.get("GONGZHI_MAX_DEPTH", "10"))
MAX_COST = int(os.environ.get("GONGZHI_MAX_COST", "5000"))
MAX_PAGE = 100
DEFAULT_PAGE = 20
# A list that takes no page size is counted as this many items.
LIST_ESTIMATE = 20


class LimitExceeded(GraphQLError):
    def __init__(self, limit: str, message: str):
        super().__init__(message, extensions={"code": "limit_exceeded", "limit": limit})


def _selections(node, fragments):
    """The fields under ``node``, looking through fragments."""
    for selection in node.selection_set.selections if node.selection_set else ():
        if isinstance(selection, FieldNode):
            yield selection
        elif isinstance(selection, InlineFragmentNode):
            yield from _selections(selection, fragments)
        elif isinstance(selection, FragmentSpreadNode) and selection.name.value in fragments:
            yield from _selections(fragments[selection.name.value], fragments)


def depth_limit_rule(max_depth: int = MAX_DEPTH) -> type[ValidationRule]:
    class DepthLimit(ValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_):
            fragments = {
                f.name.value: f for f in self.context.document.definitions if f.kind == "fragment_definition"
            }

            def depth(field, level, seen):
                if level > max_depth:
                    return level
                children = [
                    depth(child, level + 1, seen)
                    for child in _selections(field, fragments)
                    if not child.name.value.startswith("__")
                ]
                return max(children, default=level)

            deepest = max(
                (
                    depth(f, 1, set())
                    for f in _selections(node, fragments)
                    if not f.name.value.startswith("__")
                ),
                default=0,
            )
            if deepest > max_depth:
                self.report_error(
                    LimitExceeded("depth", f"the query is more than {max_depth} levels deep, the limit")
                )

    return DepthLimit


def _argument(field: FieldNode, name: str, variables: dict):
    for argument in field.arguments or ():
        if argument.name.value == name:
            return value_from_ast_untyped(argument.value, variables)
    return None


def check_cost(
    document: DocumentNode, operation_name: str | None, variables: dict, list_fields: set[str]
) -> int:
    """Estimate how many records the operation may touch; refuse pages over 100 and costly queries.

    A connection counts ``first`` (or ``last``, else 20) times its contents; a
    plain list field counts 20 times its contents.
    """
    fragments = {d.name.value: d for d in document.definitions if d.kind == "fragment_definition"}
    operations = [
        d
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode)
        and (operation_name is None or (d.name and d.name.value == operation_name))
    ]

    def cost(node) -> int:
        total = 0
        for field in _selections(node, fragments):
            if field.name.value.startswith("__"):
                continue
            size = 1
            pages = [_argument(field, name, variables) for name in ("first", "last")]
            for page in pages:
                if page is not None and (not isinstance(page, int) or not 0 <= page <= MAX_PAGE):
                    raise LimitExceeded(
                        "page_size", f"{field.name.value}: first and last must be 0 to {MAX_PAGE}"
                    )
            given = [page for page in pages if page is not None]
            if given:
                size = min(given)
            elif field.name.value in list_fields:
                size = LIST_ESTIMATE
            total += 1 + size * cost(field)
        return total

    estimate = sum(cost(operation) for operation in operations)
    if estimate > MAX_COST:
        raise LimitExceeded("cost", f"the query may touch {estimate} records; the limit is {MAX_COST}")
    return estimate


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
