"""Keyset paging (shared.paging) on an in-memory SQLite: every order read forwards and backwards
page by page gives the whole list once, in order; filters narrow it; bad requests are refused
naming their field; the total is counted only when asked."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import Date, Integer, String, create_engine, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from shared.db import UTCDateTime
from shared.errors import InvalidInput
from shared.paging import (
    Listing,
    PageRequest,
    asc,
    at_or_after,
    before,
    desc,
    encode_cursor,
    equals,
    one_of,
    page_of,
)


class Base(DeclarativeBase):
    pass


class Notice(Base):
    __tablename__ = "notice"
    id: Mapped[str] = mapped_column(String(8), primary_key=True)
    community_id: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(40))
    posted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    priority: Mapped[int] = mapped_column(Integer)
    closes_on: Mapped[date | None] = mapped_column(Date, nullable=True)


LISTING = Listing(
    id=Notice.id,
    orders={
        "newest": [desc(Notice.posted_at)],
        "oldest": [asc(Notice.posted_at)],
        "title": [asc(Notice.title)],
        "priority_then_newest": [desc(Notice.priority), desc(Notice.posted_at)],
        "closing_soonest": [asc(Notice.closes_on, nullable=True)],
        "closing_latest": [desc(Notice.closes_on, nullable=True)],
    },
    default_order="newest",
    filters={
        "community": equals(Notice.community_id),
        "communities": one_of(Notice.community_id),
        "posted_from": at_or_after(Notice.posted_at),
        "posted_before": before(Notice.posted_at),
    },
)

START = datetime(2026, 11, 1, 8, 0, tzinfo=timezone.utc)


def _notices() -> list[Notice]:
    # Ties on every column (titles, priorities, instants and closing days repeat) so that only the
    # id tells some rows apart, and a third of them have no closing day.
    return [
        Notice(
            id=f"n{i:02d}",
            community_id=("c1", "c2", "c3")[i % 3],
            title=("Garden", "Lift repair", "Clinic day", "Waste sorting")[i % 4],
            posted_at=START + timedelta(hours=i // 2),
            priority=i % 3,
            closes_on=None if i % 3 == 0 else date(2026, 12, 1) + timedelta(days=i % 5),
        )
        for i in range(23)
    ]


@pytest.fixture
def session():
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        session.add_all(_notices())
        session.commit()
        yield session
    engine.dispose()


def _expected(order: str, rows: list[Notice]) -> list[str]:
    """The order written in Python: empties last in either direction, the id breaking ties."""
    keyed = list(rows)
    keyed.sort(key=lambda n: n.id)
    for key in reversed(LISTING.orders[order]):
        name = key.column.key
        present = [n for n in keyed if getattr(n, name) is not None]
        empty = [n for n in keyed if getattr(n, name) is None]
        present.sort(key=lambda n, name=name: getattr(n, name), reverse=key.descending)
        keyed = present + empty
    return [n.id for n in keyed]


def _read(session, order: str, size: int, backwards: bool, **extra) -> list[str]:
    seen: list[str] = []
    cursor = None
    for _ in range(100):
        if backwards:
            wire = {"last": size, "before": cursor, "order_by": order, **extra}
        else:
            wire = {"first": size, "after": cursor, "order_by": order, **extra}
        page = page_of(session, select(Notice), PageRequest.from_wire(wire), LISTING)
        ids = [row.id for row in page.rows]
        seen = ids + seen if backwards else seen + ids
        more = page.has_previous_page if backwards else page.has_next_page
        if cursor is not None:
            assert (page.has_next_page if backwards else page.has_previous_page) is True
        if not more:
            return seen
        cursor = page.cursors[0] if backwards else page.cursors[-1]
    raise AssertionError("paging never ended")


@pytest.mark.parametrize("order", sorted(LISTING.orders))
@pytest.mark.parametrize("size", [1, 5, 100])
def test_every_order_reads_the_whole_list_once_forwards_and_backwards(session, order, size):
    expected = _expected(order, list(session.scalars(select(Notice))))
    assert _read(session, order, size, backwards=False) == expected
    assert _read(session, order, size, backwards=True) == expected


def test_the_default_order_and_page_size():
    page_request = PageRequest.from_wire({})
    assert page_request.size == 20 and page_request.backwards is False


def test_a_page_says_what_lies_on_either_side_and_its_cursors(session):
    first = page_of(session, select(Notice), PageRequest.from_wire({"first": 5}), LISTING)
    assert (first.has_previous_page, first.has_next_page) == (False, True)
    wire = first.to_wire([{"id": row.id} for row in first.rows])
    assert [edge["node"]["id"] for edge in wire["edges"]] == _expected("newest", _notices())[:5]
    assert wire["page_info"]["start_cursor"] == first.cursors[0]
    assert wire["page_info"]["end_cursor"] == first.cursors[-1]
    assert wire["total_count"] is None
    between = page_of(
        session,
        select(Notice),
        PageRequest.from_wire({"first": 10, "after": first.cursors[0], "before": first.cursors[-1]}),
        LISTING,
    )
    assert [row.id for row in between.rows] == [row.id for row in first.rows[1:-1]]


def test_an_empty_page_has_no_cursors(session):
    page = page_of(session, select(Notice), PageRequest.from_wire({"first": 0, "with_total": True}), LISTING)
    assert page.rows == [] and page.has_next_page is True and page.total_count == 23
    assert page.to_wire([])["page_info"] == {
        "has_next_page": True,
        "has_previous_page": False,
        "start_cursor": None,
        "end_cursor": None,
    }


def test_the_total_is_counted_only_when_asked_and_counts_the_filtered_list(session):
    scoped = select(Notice).where(Notice.community_id != "c3")
    plain = page_of(session, scoped, PageRequest.from_wire({"first": 2}), LISTING)
    assert plain.total_count is None
    counted = page_of(
        session,
        scoped,
        PageRequest.from_wire({"first": 2, "with_total": True, "filter": {"community": "c1"}}),
        LISTING,
    )
    assert counted.total_count == len([n for n in _notices() if n.community_id == "c1"])


@pytest.mark.parametrize(
    ("wire_filter", "keep"),
    [
        ({"community": "c2"}, lambda n: n.community_id == "c2"),
        ({"communities": ["c1", "c3"]}, lambda n: n.community_id in ("c1", "c3")),
        ({"communities": "c3"}, lambda n: n.community_id == "c3"),
        ({"posted_from": "2026-11-01T12:00:00+00:00"}, lambda n: n.posted_at >= START + timedelta(hours=4)),
        ({"posted_before": "2026-11-01T20:00:00+08:00"}, lambda n: n.posted_at < START + timedelta(hours=4)),
        (
            {"community": "c1", "posted_from": "2026-11-01T12:00:00Z"},
            lambda n: n.community_id == "c1" and n.posted_at >= START + timedelta(hours=4),
        ),
        ({"community": None}, lambda n: True),  # an absent filter, as GraphQL sends it
    ],
)
@pytest.mark.parametrize("order", ["newest", "closing_latest"])
def test_filters_narrow_the_list_in_every_direction(session, wire_filter, keep, order):
    expected = _expected(order, [n for n in _notices() if keep(n)])
    assert _read(session, order, 3, backwards=False, filter=wire_filter) == expected
    assert _read(session, order, 3, backwards=True, filter=wire_filter) == expected


def test_a_filter_never_widens_the_party_scope(session):
    scoped = select(Notice).where(Notice.community_id == "c1")
    request = PageRequest.from_wire({"first": 100, "filter": {"communities": ["c2"]}, "with_total": True})
    page = page_of(session, scoped, request, LISTING)
    assert page.rows == [] and page.total_count == 0


def _refusal(session, wire) -> list[dict]:
    with pytest.raises(InvalidInput) as refused:
        page_of(session, select(Notice), PageRequest.from_wire(wire), LISTING)
    return refused.value.errors


@pytest.mark.parametrize(
    ("wire", "field"),
    [
        ({"first": -1}, "first"),
        ({"first": 101}, "first"),
        ({"first": True}, "first"),
        ({"first": "5"}, "first"),
        ({"first": 2.5}, "first"),
        ({"last": -3}, "last"),
        ({"last": 1000}, "last"),
        ({"first": 2, "last": 2}, "last"),
        ({"page": 2}, "page"),
        ({"after": 12}, "after"),
        ({"order_by": ["title"]}, "order_by"),
        ({"filter": "c1"}, "filter"),
        ({"order_by": "cheapest"}, "order_by"),
        ({"filter": {"colour": "red"}}, "filter.colour"),
        ({"filter": {"posted_from": "yesterday"}}, "filter"),
        ({"filter": {"posted_from": "2026-11-01T12:00:00"}}, "filter"),
        ({"first": 2, "after": "not-a-cursor"}, "after"),
        ({"last": 2, "before": "%%%"}, "before"),
        ({"first": 2, "after": encode_cursor("title", ["Garden", "n01"])}, "after"),  # another order's
        ({"first": 2, "after": encode_cursor("newest", ["2026-11-01T08:00:00+00:00"])}, "after"),  # short
        ({"first": 2, "after": encode_cursor("newest", [None, "n01"])}, "after"),  # empty where none can be
        ({"first": 2, "after": encode_cursor("newest", ["not a time", "n01"])}, "after"),
        ({"first": 2, "after": encode_cursor("newest", ["2026-11-01T08:00:00+00:00", 7])}, "after"),
        (
            {
                "first": 2,
                "after": encode_cursor("priority_then_newest", [True, "2026-11-01T08:00:00Z", "n1"]),
            },
            "after",
        ),
        ({"last": 2, "before": "eyJvIjoibmV3ZXN0In0"}, "before"),  # {"o":"newest"} without keys
    ],
)
def test_a_bad_request_is_refused_naming_its_field(session, wire, field):
    (error,) = _refusal(session, wire)
    assert error["field"] == field and error["code"] == "invalid"


def test_a_cursor_of_a_nullable_column_may_hold_an_empty_value(session):
    page = page_of(
        session, select(Notice), PageRequest.from_wire({"first": 100, "order_by": "closing_soonest"}), LISTING
    )
    empties = [i for i, row in enumerate(page.rows) if row.closes_on is None]
    assert empties and empties == list(range(len(page.rows) - len(empties), len(page.rows)))
    after_first_empty = page_of(
        session,
        select(Notice),
        PageRequest.from_wire(
            {"first": 100, "order_by": "closing_soonest", "after": page.cursors[empties[0]]}
        ),
        LISTING,
    )
    assert [row.id for row in after_first_empty.rows] == [row.id for row in page.rows[empties[0] + 1 :]]
