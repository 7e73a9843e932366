"""The matching service's lists, paged in SQL on the real PostgreSQL: keyset pages read forwards and
backwards alike, each filter and order the gateway offers, a party's scope on every page, cursors
that are checked, a count only when asked, and a page that costs the same few statements however
many projects there are."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from nameko.testing.services import worker_factory
from sqlalchemy import event, select

from services.matching.handlers.access import eligible, eligible_projects
from services.matching.models import Base, Organisation, Project
from services.matching.service import MatchingService
from shared.clock import MovableClock
from shared.errors import InvalidInput
from shared.vocabulary.matching import ProjectOrder
from tests.conftest import unit_of_work
from tests.helpers import nodes
from tests.services.test_matching_service import (
    COMMITTEE,
    DETAILS,
    OFFICE,
    OTHER_COMMITTEE,
    OTHER_OFFICE,
    Directory,
    register,
)

# The gateway's orders of the projects list, and the newest first when it asks for none.
PROJECT_ORDERS = [o.value for o in ProjectOrder] + [None]


@pytest.fixture
def clock():
    return MovableClock()


@pytest.fixture
def matching(databases, clock):
    return worker_factory(
        MatchingService,
        db=unit_of_work(databases["matching"], Base.metadata),
        directory=Directory(),
        clock=clock,
    )


def project(matching, clock, committee=COMMITTEE, n=0, publish=True, **terms) -> dict:
    """A project of the committee's community; published (a deadline ``n`` hours on) unless not."""
    clock.advance(timedelta(seconds=1))  # each made at its own instant
    made = matching.create_project(
        committee,
        {
            "title": terms.pop("title", f"Project {n:02d}"),
            "category": terms.pop("category", "elderly_care"),
            "budget": terms.pop("budget", f"{1000 + (n * 37) % 500}.00"),
            **terms,
        },
    )
    if not publish:
        return made
    deadline = clock.now() + timedelta(hours=1 + (n * 5) % 7)
    return matching.publish_project(
        committee, {"project_id": made["id"], "bid_deadline": deadline.isoformat()}
    )


@pytest.fixture
def two_communities(matching, clock) -> dict[str, list[dict]]:
    """Nine projects of c1 (two drafts, a legal-aid one, budgets, titles and deadlines mixed) and
    four of c2, in the same district."""
    c1 = [project(matching, clock, n=n) for n in range(6)]
    c1.append(project(matching, clock, n=6, category="legal_aid"))
    c1 += [project(matching, clock, n=n, publish=False) for n in (7, 8)]
    c2 = [project(matching, clock, OTHER_COMMITTEE, n=n) for n in range(4)]
    return {"c1": c1, "c2": c2}


def walk(list_rpc, principal, size=2, backwards=False, **request) -> list[dict]:
    """Every record of the list, page by page (``first``/``after``, or ``last``/``before`` from the
    end), checking each page's flags; in the list's order either way."""
    found: list[dict] = []
    cursor = None
    while True:
        if backwards:
            page = list_rpc(principal, page={"last": size, "before": cursor, **request})
            found = nodes(page) + found
            more, behind = page["page_info"]["has_previous_page"], page["page_info"]["has_next_page"]
            cursor = page["page_info"]["start_cursor"]
        else:
            page = list_rpc(principal, page={"first": size, "after": cursor, **request})
            found += nodes(page)
            more, behind = page["page_info"]["has_next_page"], page["page_info"]["has_previous_page"]
            cursor = page["page_info"]["end_cursor"]
        assert len(page["edges"]) <= size
        assert behind is (cursor is not None and len(found) > len(page["edges"])), "flags of a later page"
        if not more:
            return found


def expected_order(projects: list[dict], order: str | None) -> list[str]:
    """The ids in the order the service promises, worked out here from the records."""
    if order == "bid_deadline":  # without a deadline last; ties by id
        key = lambda p: (p["bid_deadline"] is None, p["bid_deadline"] or "", p["id"])  # noqa: E731
        return [p["id"] for p in sorted(projects, key=key)]
    if order == "-budget":
        return [p["id"] for p in sorted(projects, key=lambda p: (-Decimal(p["budget"]), p["id"]))]
    if order == "title":
        return [p["id"] for p in sorted(projects, key=lambda p: (p["title"], p["id"]))]
    raise AssertionError(f"no such order: {order}")


@pytest.mark.parametrize("order", PROJECT_ORDERS)
def test_pages_forwards_and_backwards_hold_the_same_rows_in_the_same_order(matching, two_communities, order):
    request = {} if order is None else {"order_by": order}
    forwards = walk(matching.list_projects, COMMITTEE, **request)
    backwards = walk(matching.list_projects, COMMITTEE, backwards=True, **request)
    assert [p["id"] for p in forwards] == [p["id"] for p in backwards]
    assert sorted(p["id"] for p in forwards) == sorted(p["id"] for p in two_communities["c1"])
    if order is not None:
        assert [p["id"] for p in forwards] == expected_order(two_communities["c1"], order)


def test_the_default_order_is_the_newest_first(matching, two_communities):
    made = two_communities["c1"]
    assert [p["id"] for p in walk(matching.list_projects, COMMITTEE, size=3)] == [p["id"] for p in made][::-1]


@pytest.mark.parametrize("order", PROJECT_ORDERS)
def test_a_partys_pages_never_hold_another_partys_projects(matching, two_communities, clock, order):
    request = {} if order is None else {"order_by": order}
    c1 = {p["id"] for p in two_communities["c1"]}
    c2 = {p["id"] for p in two_communities["c2"]}
    drafts = {p["id"] for p in two_communities["c1"] if p["status"] == "draft"}
    assert {p["id"] for p in walk(matching.list_projects, COMMITTEE, **request)} == c1
    assert {p["id"] for p in walk(matching.list_projects, OTHER_COMMITTEE, **request)} == c2
    # The office sees its district's published projects (both communities), never a draft.
    assert {p["id"] for p in walk(matching.list_projects, OFFICE, **request)} == (c1 | c2) - drafts
    assert walk(matching.list_projects, OTHER_OFFICE, **request) == []
    # An organisation: what it is eligible for (elderly care in c1), and what it bid on.
    carer = register(matching, 1)
    eligible_ids = {p["id"] for p in two_communities["c1"] if p["category"] == "elderly_care"} - drafts
    assert {p["id"] for p in walk(matching.list_projects, carer, **request)} == eligible_ids
    lawyer = register(matching, 2, categories=("legal_aid",), communities=("c1", "c2"))
    (legal,) = [p for p in two_communities["c1"] if p["category"] == "legal_aid"]
    assert [p["id"] for p in walk(matching.list_projects, lawyer, **request)] == [legal["id"]]
    matching.submit_bid(lawyer, {"project_id": legal["id"], "price": "900.00", "plan": "A", **DETAILS})
    matching.set_suspension(OFFICE, {"organisation_id": lawyer["party_id"], "suspend": True, "reason": "x"})
    assert [p["id"] for p in walk(matching.list_projects, lawyer, **request)] == [legal["id"]], (
        "suspended, it still sees the project it bid on"
    )


def test_each_filter_of_the_projects_list(matching, two_communities, clock):
    c1 = two_communities["c1"]

    def ids(**filter_) -> set[str]:
        return {p["id"] for p in walk(matching.list_projects, COMMITTEE, filter=filter_)}

    assert ids(status="draft") == {p["id"] for p in c1 if p["status"] == "draft"}
    assert ids(status="published") == {p["id"] for p in c1 if p["status"] == "published"}
    assert ids(category="legal_aid") == {p["id"] for p in c1 if p["category"] == "legal_aid"}
    middle = sorted(p["bid_deadline"] for p in c1 if p["bid_deadline"])[3]
    later = {p["id"] for p in c1 if p["bid_deadline"] and p["bid_deadline"] >= middle}
    assert ids(deadline_after=middle) == later
    assert ids(status="published", category="legal_aid", deadline_after=middle) == later & ids(
        category="legal_aid"
    )
    with pytest.raises(InvalidInput) as raised:
        matching.list_projects(COMMITTEE, page={"filter": {"budget": "1"}})
    assert raised.value.errors[0]["field"] == "filter.budget"


def test_a_tampered_or_foreign_cursor_is_refused_naming_its_argument(matching, two_communities):
    page = matching.list_projects(COMMITTEE, page={"first": 2, "order_by": "title"})
    cursor = page["page_info"]["end_cursor"]
    for bad in (cursor[:-3] + "AAA", "not-a-cursor", cursor + "x"):
        with pytest.raises(InvalidInput) as raised:
            matching.list_projects(COMMITTEE, page={"first": 2, "after": bad, "order_by": "title"})
        assert raised.value.errors[0]["field"] == "after"
    # A cursor of another order, or of another list, is not a position in this one.
    with pytest.raises(InvalidInput) as raised:
        matching.list_projects(COMMITTEE, page={"first": 2, "after": cursor, "order_by": "-budget"})
    assert raised.value.errors[0]["field"] == "after"
    register(matching, 1)
    filings = matching.list_filings(OFFICE, page={"first": 1})
    with pytest.raises(InvalidInput) as raised:
        matching.list_projects(COMMITTEE, page={"first": 2, "after": filings["page_info"]["end_cursor"]})
    assert raised.value.errors[0]["field"] == "after"
    with pytest.raises(InvalidInput) as raised:
        matching.list_projects(COMMITTEE, page={"last": 2, "before": "AAAA"})
    assert raised.value.errors[0]["field"] == "before"


def test_the_count_only_when_asked(matching, two_communities):
    assert matching.list_projects(COMMITTEE, page={"first": 2})["total_count"] is None
    assert matching.list_projects(COMMITTEE)["total_count"] is None
    counted = matching.list_projects(COMMITTEE, page={"first": 2, "with_total": True})
    assert counted["total_count"] == len(two_communities["c1"]) and len(counted["edges"]) == 2
    drafts = matching.list_projects(COMMITTEE, page={"filter": {"status": "draft"}, "with_total": True})
    assert drafts["total_count"] == 2


def test_without_a_page_the_first_twenty_and_by_ids_only_what_the_party_sees(matching, clock):
    made = [project(matching, clock, n=n) for n in range(23)]
    other = project(matching, clock, OTHER_COMMITTEE, n=1)
    first = matching.list_projects(COMMITTEE)
    assert len(first["edges"]) == 20 and first["page_info"]["has_next_page"]
    assert [p["id"] for p in nodes(first)] == [p["id"] for p in made][::-1][:20]
    asked = [made[0]["id"], other["id"], "no-such-id"]
    assert [p["id"] for p in matching.list_projects(COMMITTEE, ids=asked)] == [made[0]["id"]]
    assert [p["id"] for p in matching.get_projects(OTHER_COMMITTEE, asked)] == [other["id"]]


def test_an_organisations_page_costs_the_same_statements_however_many_projects(matching, databases, clock):
    """The organisation's scope is one condition in the page's query (no query per project)."""
    carer = register(matching, 1)
    engine = databases["matching"]
    statements: list[str] = []

    def count(*args):
        statements.append(args[2])

    def cost() -> int:
        statements.clear()
        event.listen(engine, "before_cursor_execute", count)
        try:
            page = matching.list_projects(carer, page={"first": 20, "with_total": True})
        finally:
            event.remove(engine, "before_cursor_execute", count)
        assert page["total_count"] == len(made)
        return len(statements)

    made = [project(matching, clock, n=n) for n in range(3)]
    few = cost()
    made += [project(matching, clock, n=n) for n in range(3, 40)]
    assert cost() == few <= 4, "the organisation, the page and the count"


def test_the_sql_eligibility_agrees_with_the_rule(matching, databases, clock):
    """``access.eligible_projects`` (a condition on projects) answers as ``domain.is_eligible`` on
    every pair of organisations and projects: categories, communities, district, filing status and
    qualifications valid on the day."""
    soon = (clock.now() + timedelta(days=30)).date().isoformat()
    gone = (clock.now() - timedelta(days=1)).date().isoformat()
    organisations = [
        register(matching, 1),
        register(matching, 2, categories=("legal_aid", "elderly_care"), communities=("c1", "c2")),
        register(matching, 3, approve=False),
        register(matching, 4, qualifications=[{"name": "licence", "expires_on": soon}]),
        register(matching, 5, qualifications=[{"name": "licence", "expires_on": gone}]),
    ]
    projects = [
        project(matching, clock, n=1),
        project(matching, clock, n=2, category="legal_aid"),
        project(matching, clock, OTHER_COMMITTEE, n=3),
        project(matching, clock, n=4, required_qualifications=["licence"]),
        project(matching, clock, n=5, publish=False),
    ]
    uow = unit_of_work(databases["matching"], Base.metadata)
    on = datetime.now(timezone.utc).date()
    agreed = 0
    with uow:
        for who in organisations:
            organisation = uow.session.get(Organisation, who["party_id"])
            in_sql = set(uow.session.scalars(select(Project.id).where(eligible_projects(organisation, on))))
            for made in projects:
                record = uow.session.get(Project, made["id"])
                in_python = eligible(organisation, record, record.district_id, on)
                assert (made["id"] in in_sql) is in_python, (who, made["title"])
                agreed += in_python
    assert agreed >= 4, "some pairs are eligible, so the agreement says something"


def test_the_other_lists_page_filter_and_keep_to_their_scope(matching, databases, clock):
    # Demand and resource lists: both communities' committees list demands.
    for n in range(5):
        clock.advance(timedelta(seconds=1))
        matching.list_entry(
            COMMITTEE,
            {"kind": "demand", "title": f"Need {n}", "category": "elderly_care" if n % 2 else "youth"},
        )
    matching.list_entry(OTHER_COMMITTEE, {"kind": "demand", "title": "Elsewhere", "category": "youth"})
    entries = walk(matching.list_entries, COMMITTEE)
    assert [e["title"] for e in entries] == [f"Need {n}" for n in range(5)][::-1]
    assert walk(matching.list_entries, COMMITTEE, backwards=True) == entries
    assert {e["title"] for e in walk(matching.list_entries, COMMITTEE, filter={"category": "youth"})} == {
        "Need 0",
        "Need 2",
        "Need 4",
    }
    assert walk(matching.list_entries, COMMITTEE, filter={"kind": "resource"}) == []
    assert len(walk(matching.list_entries, COMMITTEE, filter={"status": "open"})) == 5
    assert [e["title"] for e in walk(matching.list_entries, OTHER_COMMITTEE)] == ["Elsewhere"]
    # Filings: the office's register in the order of filing, filtered by status.
    first, second = register(matching, 1), register(matching, 2, approve=False)
    filings = walk(matching.list_filings, OFFICE, size=1)
    assert [f["id"] for f in filings] == [first["party_id"], second["party_id"]]
    assert [f["id"] for f in walk(matching.list_filings, OFFICE, filter={"status": "pending"})] == [
        second["party_id"]
    ]
    assert walk(matching.list_filings, OTHER_OFFICE) == []
    assert [f["id"] for f in walk(matching.list_filings, first)] == [first["party_id"]]
    # Notices: an organisation's own, the newest first.
    for n in range(3):
        project(matching, clock, n=n)
    notices = walk(matching.list_notices, first)
    assert len(notices) == 3 and walk(matching.list_notices, first, backwards=True) == notices
    assert walk(matching.list_notices, COMMITTEE) == []
    assert nodes(matching.list_notices(second)) == [], "a pending filing is told nothing"
