"""One page of a list, cut in SQL: filters, an order, and keyset cursors.

A list RPC takes a ``PageRequest`` (``first``/``after`` or ``last``/``before``, a filter, an
order, and whether to count) and answers one ``Page``. The page is read with ``LIMIT n + 1``
after a keyset condition on the order's columns, so its cost does not grow with the table, and
the party's scope stays in the query the service builds. A cursor is the position of a row in
one order (its key values, and its id to break ties): opaque to clients, checked when it comes
back, and never more than what the row it points at already shows.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from decimal import Decimal, InvalidOperation
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, and_, case, false, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.sql.elements import ColumnElement

from shared.errors import InvalidInput

DEFAULT_PAGE = 20
MAX_PAGE = 100

T = TypeVar("T")


def _invalid(field_name: str, message: str) -> InvalidInput:
    return InvalidInput([{"field": field_name, "code": "invalid", "message": message}])


# The request ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageRequest:
    """What a client asks of a list. Without ``first`` or ``last`` it asks for the first 20."""

    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None
    filter: Mapping[str, Any] = field(default_factory=dict)
    order_by: str | None = None
    with_total: bool = False

    @classmethod
    def from_wire(cls, wire: Mapping[str, Any] | None) -> PageRequest:
        """The request as an RPC carries it, checked: a bad value is refused naming its field."""
        wire = dict(wire or {})
        unknown = set(wire) - {"first", "after", "last", "before", "filter", "order_by", "with_total"}
        if unknown:
            raise _invalid(sorted(unknown)[0], "not a paging argument")
        for name in ("first", "last"):
            size = wire.get(name)
            whole = isinstance(size, int) and not isinstance(size, bool)
            if size is not None and not (whole and 0 <= size <= MAX_PAGE):
                raise _invalid(name, f"a page holds 0 to {MAX_PAGE} records")
        for name in ("after", "before", "order_by"):
            if wire.get(name) is not None and not isinstance(wire[name], str):
                raise _invalid(name, "must be a string")
        if wire.get("first") is not None and wire.get("last") is not None:
            raise _invalid("last", "ask for first or last, not both")
        if wire.get("filter") is not None and not isinstance(wire["filter"], Mapping):
            raise _invalid("filter", "must be an object")
        return cls(
            first=wire.get("first"),
            after=wire.get("after"),
            last=wire.get("last"),
            before=wire.get("before"),
            filter={k: v for k, v in (wire.get("filter") or {}).items() if v is not None},
            order_by=wire.get("order_by"),
            with_total=bool(wire.get("with_total")),
        )

    def to_wire(self) -> dict[str, Any]:
        return {
            "first": self.first,
            "after": self.after,
            "last": self.last,
            "before": self.before,
            "filter": dict(self.filter),
            "order_by": self.order_by,
            "with_total": self.with_total,
        }

    @property
    def backwards(self) -> bool:
        """``last`` (with or without ``before``) reads the list from its end."""
        return self.last is not None

    @property
    def size(self) -> int:
        if self.last is not None:
            return self.last
        return DEFAULT_PAGE if self.first is None else self.first


# How a list is ordered and filtered --------------------------------------------------------------


@dataclass(frozen=True)
class Key:
    """One column of an order. A nullable column sorts its empty values last, in either direction."""

    column: InstrumentedAttribute
    descending: bool = False
    nullable: bool = False


def asc(column: InstrumentedAttribute, nullable: bool = False) -> Key:
    return Key(column, False, nullable)


def desc(column: InstrumentedAttribute, nullable: bool = False) -> Key:
    return Key(column, True, nullable)


# A filter's rule: from the value the client gave to a condition on the listed rows.
Condition = Callable[[Any], ColumnElement[bool]]


@dataclass(frozen=True)
class Listing:
    """How one list is read: its orders by name (as the wire says them), its filters by name, and
    the id that breaks ties (so that every order is total and a cursor names one position)."""

    id: InstrumentedAttribute
    orders: Mapping[str, Sequence[Key]]
    default_order: str
    filters: Mapping[str, Condition] = field(default_factory=dict)


def equals(column: InstrumentedAttribute) -> Condition:
    return lambda value: column == value


def one_of(column: InstrumentedAttribute) -> Condition:
    return lambda values: column.in_(list(values) if isinstance(values, (list, tuple)) else [values])


def at_or_after(column: InstrumentedAttribute) -> Condition:
    return lambda value: column >= _instant(value, "filter")


def before(column: InstrumentedAttribute) -> Condition:
    return lambda value: column < _instant(value, "filter")


def _instant(value: Any, field_name: str) -> datetime:
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(str(value))
        except ValueError:
            raise _invalid(field_name, "not an ISO 8601 instant") from None
    if moment.tzinfo is None:
        raise _invalid(field_name, "an instant needs its UTC offset")
    return moment.astimezone(timezone.utc)


# Cursors ------------------------------------------------------------------------------------------


def _python_type(column: InstrumentedAttribute) -> type:
    kind = column.type
    kind = getattr(kind, "impl_instance", kind)  # a TypeDecorator (UTCDateTime) stores as its impl
    try:
        return kind.python_type
    except NotImplementedError:
        return str


def _to_json(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, (date, Decimal)):
        return str(value)
    return value


def _from_json(value: Any, column: InstrumentedAttribute) -> Any:
    if value is None:
        return None
    kind = _python_type(column)
    if kind is datetime:
        moment = datetime.fromisoformat(value)
        return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    if kind is date:
        return date.fromisoformat(value)
    if kind is Decimal:
        return Decimal(value)
    if kind is bool:
        if not isinstance(value, bool):
            raise ValueError("not a boolean")
        return value
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("not an integer")
        return value
    if not isinstance(value, str):
        raise ValueError("not a string")
    return value


def _columns(listing: Listing, order: str) -> list[Key]:
    # The id breaks ties, ascending: an index on (scope, columns in their directions, id) serves
    # the order without a sort.
    return [*listing.orders[order], Key(listing.id)]


def encode_cursor(order: str, values: Sequence[Any]) -> str:
    raw = json.dumps({"o": order, "k": [_to_json(v) for v in values]}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, order: str, keys: Sequence[Key], field_name: str) -> list[Any]:
    """The key values a cursor holds, or a refusal naming the argument it came in."""
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(raw, dict) or raw.get("o") != order or not isinstance(raw.get("k"), list):
            raise ValueError
        values = raw["k"]
        if len(values) != len(keys):
            raise ValueError
        decoded = [_from_json(value, key.column) for value, key in zip(values, keys, strict=True)]
        if any(v is None and not k.nullable for v, k in zip(decoded, keys, strict=True)):
            raise ValueError  # the id, and every column that cannot be empty, must be there
        return decoded
    except (ValueError, TypeError, binascii.Error, InvalidOperation, UnicodeDecodeError, OverflowError):
        raise _invalid(field_name, "not a cursor of this list in this order") from None


def cursor_of(row: Any, order: str, keys: Sequence[Key]) -> str:
    return encode_cursor(order, [getattr(row, key.column.key) for key in keys])


# The keyset condition -----------------------------------------------------------------------------


def _empty(key: Key) -> ColumnElement[int]:
    return case((key.column.is_(None), 1), else_=0)


def _sort_terms(keys: Sequence[Key], backwards: bool) -> list[ColumnElement[Any]]:
    terms: list[ColumnElement[Any]] = []
    for key in keys:
        if key.nullable:  # empty values last whatever the direction; reading backwards, first
            terms.append(_empty(key).desc() if backwards else _empty(key).asc())
        descending = key.descending != backwards
        terms.append(key.column.desc() if descending else key.column.asc())
    return terms


def _beyond(keys: Sequence[Key], values: Sequence[Any], backwards: bool) -> ColumnElement[bool]:
    """Rows strictly past the position ``values`` when reading forwards (or, backwards, before it)."""
    alternatives: list[ColumnElement[bool]] = []
    same: list[ColumnElement[bool]] = []
    for key, value in zip(keys, values, strict=True):
        descending = key.descending != backwards
        if key.nullable:
            empty = 1 if value is None else 0
            # The empty flag sorts ascending forwards (values first, then empties).
            flag = _empty(key)
            alternatives.append(and_(*same, flag < empty if backwards else flag > empty))
            same.append(flag == empty)
            if value is None:
                continue  # empties are all alike: only the later keys tell them apart
        past = key.column < value if descending else key.column > value
        alternatives.append(and_(*same, past))
        same.append(key.column == value)
    if not alternatives:
        return false()
    first, start = keys[0], values[0]
    if first.nullable:
        return or_(*alternatives)
    # The same condition with its first column's bound said alone, so that the planner starts an
    # index range there instead of filtering the index from its beginning (an OR hides the bound).
    bound = first.column <= start if first.descending != backwards else first.column >= start
    return and_(bound, or_(*alternatives))


# Reading a page ------------------------------------------------------------------------------------


@dataclass
class Page(Generic[T]):
    rows: list[T]
    cursors: list[str]
    has_next_page: bool
    has_previous_page: bool
    total_count: int | None = None

    def to_wire(self, nodes: Sequence[dict]) -> dict[str, Any]:
        """The page as an RPC answers it, with the rows already dumped (in the same order)."""
        return {
            "edges": [{"cursor": c, "node": n} for c, n in zip(self.cursors, nodes, strict=True)],
            "page_info": {
                "has_next_page": self.has_next_page,
                "has_previous_page": self.has_previous_page,
                "start_cursor": self.cursors[0] if self.cursors else None,
                "end_cursor": self.cursors[-1] if self.cursors else None,
            },
            "total_count": self.total_count,
        }


def _exists(session: Session, query: Select) -> bool:
    return (session.scalar(select(func.count()).select_from(query.limit(1).subquery())) or 0) > 0


def filtered(query: Select, request: PageRequest, listing: Listing) -> Select:
    """The scoped query narrowed by the filters the client gave; an unknown filter is refused."""
    for name, value in request.filter.items():
        rule = listing.filters.get(name)
        if rule is None:
            raise _invalid(f"filter.{name}", "this list cannot be filtered by it")
        query = query.where(rule(value))
    return query


def page_of(session: Session, query: Select, request: PageRequest, listing: Listing) -> Page:
    """One page of ``query`` (a select of one mapped entity, already scoped to the party).

    Two statements at most besides the optional count: the page itself (``LIMIT n + 1``, which
    tells whether more follow) and, when a cursor was given, whether anything lies behind it.
    """
    order = request.order_by or listing.default_order
    if order not in listing.orders:
        raise _invalid("order_by", f"one of {', '.join(sorted(listing.orders))}")
    keys = _columns(listing, order)
    query = filtered(query, request, listing)
    backwards = request.backwards
    anchor_name, anchor = ("before", request.before) if backwards else ("after", request.after)
    anchored = query
    if anchor is not None:
        anchored = query.where(_beyond(keys, decode_cursor(anchor, order, keys, anchor_name), backwards))
    # The other bound (``before`` with ``first``, ``after`` with ``last``) narrows the window too.
    other_name, other = ("after", request.after) if backwards else ("before", request.before)
    if other is not None:
        anchored = anchored.where(_beyond(keys, decode_cursor(other, order, keys, other_name), not backwards))
    size = request.size
    rows = list(session.scalars(anchored.order_by(*_sort_terms(keys, backwards)).limit(size + 1)))
    more = len(rows) > size
    rows = rows[:size]
    behind = False
    if anchor is not None:
        # Anything before the anchor, or the anchor's own row if it is still listed: two index
        # probes (a NOT of the keyset condition would hide its bound from the planner).
        position = decode_cursor(anchor, order, keys, anchor_name)
        behind = _exists(session, query.where(_beyond(keys, position, not backwards)))
        behind = behind or _exists(session, query.where(listing.id == position[-1]))
    if backwards:
        rows.reverse()
        has_next, has_previous = behind, more
    else:
        has_next, has_previous = more, behind
    total = None
    if request.with_total:
        total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    return Page(rows, [cursor_of(row, order, keys) for row in rows], has_next, has_previous, total)
