"""What a page of projects, and what the gateway asks for the page's projects (their bids, digests,
results, awards and evaluations), ask of SQLite: the embedded default keeps no statistics, so its
plans follow from the schema and the query's shape alone. The page reads an index in the list's
order and stops at the page's end, with no sort; every per-page lookup finds its rows by the page's
ids and probes each project by its primary key for the party's scope and the sealed-bid rule, never
the party's whole scope first. The database is built by the migrations; the plans are SQLite's own
(EXPLAIN QUERY PLAN) for the statements the use cases ran, and the answers are checked too."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import event, insert

from services.matching.handlers import awards, bids, evaluation, projects
from services.matching.models import Award, Base, Bid, Evaluation, Organisation, Project
from shared.clock import MovableClock
from shared.db import make_engine
from shared.identity import PartyType, Principal
from shared.migrations import upgrade
from shared.paging import PageRequest
from tests.conftest import unit_of_work

ROWS = 60  # per community: more than a page, so that a plan that reads them all shows itself
START = datetime(2026, 1, 1, tzinfo=timezone.utc)
ORGANISATIONS = ("org1", "org2", "org3")
COMMITTEE = Principal("a1", PartyType.RESIDENTS_COMMITTEE, "rc1", "d1", "c1")
OFFICE = Principal("a2", PartyType.STREET_OFFICE, "so1", district_id="d1")
BIDDER = Principal("a3", PartyType.SOCIAL_ORGANISATION, "org1")
ORDERS = [None, "-budget", "title", "bid_deadline"]


class Statements:
    """The statements an engine runs, with their parameters, to be explained afterwards."""

    def __init__(self, engine):
        self.engine, self.seen = engine, []
        event.listen(engine, "before_cursor_execute", self._record)

    def _record(self, conn, cursor, statement, parameters, context, executemany):
        if not statement.startswith("EXPLAIN"):
            self.seen.append((statement, parameters))

    def plans(self) -> list[list[str]]:
        """Each statement's plan, one line per step; the look-up of the organisation itself left out."""
        event.remove(self.engine, "before_cursor_execute", self._record)
        found = []
        with self.engine.connect() as conn:
            cursor = conn.connection.dbapi_connection.cursor()
            for statement, parameters in self.seen:
                if re.search(r"\bFROM organisation\b", statement):
                    continue
                cursor.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)
                found.append([row[-1] for row in cursor.fetchall()])
        return found


def _project(n: int, community: str, district: str) -> dict:
    """An evaluated tender, ranked; budgets in runs of equal values, as round budgets are."""
    made = START + timedelta(minutes=n)
    return {
        "id": f"00000000-0000-0000-0000-{n:012d}",
        "ocid": f"ocds-test-{n}",
        "community_id": community,
        "district_id": district,
        "title": f"Project {n % 7} {n}",
        "description": "",
        "category": "elderly_care",
        "budget": Decimal(100000 + 10000 * (n % 3)),
        "bid_deadline": made + timedelta(days=30),
        "status": "evaluating",
        "required_qualifications": [],
        "weights": {"price": 40, "plan_quality": 30, "experience": 20, "reputation": 10},
        "standstill_days": 5,
        "min_valid_bids": 1,
        "purchaser": "residents_committee",
        "opened_at": made + timedelta(days=30),
        "ranked_at": made + timedelta(days=31),
        "created_at": made,
        "published_at": made,
    }


@pytest.fixture
def matching(tmp_path):
    """Projects of two communities of two districts, each with a ranked bid of three organisations
    (org1 eligible in c1), an evaluation of each bid, and a pending award."""
    url = f"sqlite:///{tmp_path / 'matching.db'}"
    upgrade("matching", url)
    engine = make_engine(url)
    organisations = [
        {
            "id": org,
            "credit_code": f"52310000000000000{n}",
            "name": f"Org {n}",
            "legal_form": "social_group",
            "categories": ["elderly_care"],
            "community_ids": ["c1"],
            "status": "approved",
            "registered_at": START,
            "district_id": "d1",
            "qualifications": [],
        }
        for n, org in enumerate(ORGANISATIONS)
    ]
    rows, offers, scores, decisions = [], [], [], []
    for n in range(2 * ROWS):
        project = _project(n, *(("c1", "d1") if n % 2 == 0 else ("c2", "d2")))
        rows.append(project)
        for rank, org in enumerate(ORGANISATIONS, start=1):
            bid_id = f"00000000-0000-0001-{rank:04d}-{n:012d}"
            offers.append(
                {
                    "id": bid_id,
                    "project_id": project["id"],
                    "organisation_id": org,
                    "price": Decimal(90000 + rank),
                    "plan": f"Plan {n} of {org}",
                    "team": "",
                    "timeline": "",
                    "digest": hashlib.sha256(bid_id.encode()).hexdigest(),
                    "submitted_at": project["created_at"] + timedelta(hours=rank),
                    "status": "submitted",
                    "scores": {"price": "100"},
                    "total": Decimal(100 - rank),
                    "rank": rank,
                }
            )
            scores.append(
                {
                    "id": f"00000000-0000-0002-{rank:04d}-{n:012d}",
                    "project_id": project["id"],
                    "bid_id": bid_id,
                    "evaluator_id": "a1",
                    "plan_quality": 80,
                    "experience": 70,
                    "recorded_at": project["ranked_at"],
                }
            )
        decisions.append(
            {
                "id": f"00000000-0000-0003-0000-{n:012d}",
                "project_id": project["id"],
                "bid_id": f"00000000-0000-0001-0001-{n:012d}",
                "organisation_id": ORGANISATIONS[0],
                "value": Decimal(90001),
                "awarded_at": project["ranked_at"],
                "awarded_by": "a1",
                "status": "pending",
                "standstill_ends_at": project["ranked_at"] + timedelta(days=365),
            }
        )
    with engine.begin() as conn:
        conn.execute(insert(Organisation), organisations)
        conn.execute(insert(Project), rows)
        conn.execute(insert(Bid), offers)
        conn.execute(insert(Evaluation), scores)
        conn.execute(insert(Award), decisions)
    yield engine
    engine.dispose()


def _steps_on_tables(plan: list[str]) -> list[tuple[str, str]]:
    """(table, step) for each step that reads one of the service's tables (an alias as its table)."""
    found = []
    for step in plan:
        words = step.split()
        if words[0] in ("SCAN", "SEARCH") and len(words) > 1:
            table = re.sub(r"_\d+$", "", words[1])
            if table in ("project", "bid", "award", "evaluation", "organisation"):
                found.append((table, step))
    return found


def _list_reads_its_order(plan: list[str]) -> None:
    """The page walks one index of ``project`` in the list's order: nothing is sorted, not even the
    rows of one key (``USE TEMP B-TREE FOR RIGHT PART OF ORDER BY``: an index read the other way)."""
    on_project = [step for table, step in _steps_on_tables(plan) if table == "project"]
    assert on_project and all(" USING INDEX ix_project_" in step for step in on_project), plan
    assert not any(step.startswith("USE TEMP B-TREE") for step in plan), plan


def _by_the_pages_ids(plan: list[str]) -> None:
    """Every step on a table searches an index (projects by their primary key), none scans one."""
    steps = _steps_on_tables(plan)
    assert steps and all(step.startswith("SEARCH") for _, step in steps), plan
    for table, step in steps:
        if table == "project":
            assert "USING INDEX sqlite_autoindex_project_1 (id=?)" in step, plan


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize(
    ("party", "seen"),
    # org1 is eligible in c1 and has bid in c2 too.
    [(COMMITTEE, {"c1"}), (OFFICE, {"d1"}), (BIDDER, {"c1", "c2"})],
    ids=["committee", "office", "organisation"],
)
def test_a_page_of_projects_and_what_it_shows_read_the_page_not_the_scope(matching, party, seen, order):
    uow, clock = unit_of_work(matching, Base.metadata), MovableClock()
    statements = Statements(matching)
    page = projects.list_projects(uow, clock, party, PageRequest(first=20, order_by=order))
    ids = [p.id for p in page.rows]
    assert len(ids) == 20 and page.has_next_page
    assert {p.district_id if party is OFFICE else p.community_id for p in page.rows} <= seen
    read = bids.list_bids(uow, clock, party, ids)
    digests = bids.bid_digests(uow, clock, party, ids)
    ranked = evaluation.results(uow, clock, party, ids)
    decided = awards.list_awards(uow, clock, party, ids)
    looked_up = projects.get_projects(uow, clock, party, ids)
    plans = statements.plans()

    # The committee reads every opened bid of the page; an organisation its own; the office none.
    bidders = {COMMITTEE: set(ORGANISATIONS), BIDDER: {"org1"}, OFFICE: set()}[party]
    assert {(b.project_id, b.organisation_id) for b in read} == {(p, o) for p in ids for o in bidders}
    assert sorted(d["project_id"] for d in digests) == sorted(ids * len(ORGANISATIONS))
    assert {b.project_id for b in ranked} == set(ids) and len(ranked) == len(ids) * len(ORGANISATIONS)
    assert {a.project_id for a in decided} == set(ids) == {p.id for p in looked_up}

    listed, *lookups = plans
    _list_reads_its_order(listed)
    assert len(lookups) == 5 - (party is OFFICE)  # bids, digests, results, awards, projects by id
    for plan in lookups:
        _by_the_pages_ids(plan)


def test_the_committees_evaluations_and_records_by_id_probe_their_projects(matching):
    uow, clock = unit_of_work(matching, Base.metadata), MovableClock()
    page = projects.list_projects(uow, clock, COMMITTEE, PageRequest(first=20))
    read = bids.list_bids(uow, clock, COMMITTEE, [p.id for p in page.rows])
    decided = awards.list_awards(uow, clock, COMMITTEE, [p.id for p in page.rows])
    statements = Statements(matching)
    scored = evaluation.list_evaluations(uow, clock, COMMITTEE, [b.id for b in read])
    by_id = evaluation.get_evaluations(uow, clock, COMMITTEE, [e.id for e in scored])
    full, as_ranked = bids.get_bids(uow, clock, COMMITTEE, [b.id for b in read])
    found = awards.get_awards(uow, clock, COMMITTEE, [a.id for a in decided])
    plans = statements.plans()

    assert {e.bid_id for e in scored} == {b.id for b in read} == {b.id for b in full}
    assert {e.id for e in by_id} == {e.id for e in scored} and as_ranked == []
    assert {a.id for a in found} == {a.id for a in decided}
    # Another community's records are not found by their ids.
    neighbour = Principal("a9", PartyType.RESIDENTS_COMMITTEE, "rc2", "d2", "c2")
    other = projects.list_projects(uow, clock, neighbour, PageRequest(first=20))
    assert len(other.rows) == 20
    assert projects.get_projects(uow, clock, COMMITTEE, [p.id for p in other.rows]) == []
    assert bids.list_bids(uow, clock, COMMITTEE, [p.id for p in other.rows]) == []

    assert len(plans) == 4
    for plan in plans:
        _by_the_pages_ids(plan)
