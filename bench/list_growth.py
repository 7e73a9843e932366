"""Benchmark: what one page of a party's list costs as the list grows, through the gateway and as SQL.

    .venv/bin/python bench/list_growth.py [--sizes 100,1000,10000,100000] [--rounds 30]

For the largest kinds (service requests, meetings, projects with their bids, contracts with their
milestones, audit entries) the residents' committee of the demo asks the gateway for
``first: 20`` over HTTP at 100, 1,000, 10,000 and 100,000 rows of the kind in its community; beside
it, the same page as SQL on the service's own database (the page's rows and, for projects and
contracts, their children), measured in the same run. Prints one JSON object per kind and size,
``{"kind", "rows", "p50_ms", "p99_ms", "sql_ms"}``, then one line with each kind's p50 at the
largest size over its p50 at the smallest (goal: at most 1.5).

The platform runs in a child process on SQLite files in a folder of its own, the demo seeded
(``bench.stack``). Rows are added between sizes straight into the services' tables with bulk
inserts of their own models, in the committee's community, far from any deadline so that no
timer acts on them; seeding 100,000 rows through the API would take hours.

``GONGZHI_BENCH_QUICK=1`` (the suite's run of the README) measures 100 and 1,000 rows with fewer
rounds, on the same path.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import Select, func, insert, select  # noqa: E402
from sqlalchemy.engine import Connection, Engine  # noqa: E402

from bench.stack import demo_platform  # noqa: E402
from gateway.models import AuditEntry  # noqa: E402
from services.contracts.models import Contract, Milestone  # noqa: E402
from services.matching.models import Bid, Organisation, Project, opened_bids  # noqa: E402
from services.meetings.models import JointMeeting, Party  # noqa: E402
from services.volunteers.models import ServiceRequest  # noqa: E402
from shared.db import make_engine  # noqa: E402

QUICK = os.environ.get("GONGZHI_BENCH_QUICK") == "1"
SIZES = (100, 1_000) if QUICK else (100, 1_000, 10_000, 100_000)
ROUNDS = 8 if QUICK else 30
PAGE = 20
# The SQL reads one row more than the page, as the services do to tell whether a next page exists.
READ = PAGE + 1
BATCH = 5_000  # rows per insert transaction: the services' own writes wait no longer than one batch
# Every seeded row lies far from a deadline (requests and milestones a year ahead, tenders opened,
# meetings past), so that no timer of the platform acts on them while they are measured.
NOW = datetime.now(timezone.utc).replace(microsecond=0)
AHEAD = NOW + timedelta(days=365)


@dataclass(frozen=True)
class Community:
    """The demo's residents' committee and what seeded rows belong to."""

    district_id: str
    community_id: str
    committee_id: str
    organisation_ids: list[str]  # the demo's approved social organisations, the first one the demo's


@dataclass(frozen=True)
class Kind:
    name: str
    database: str
    # The page as the committee asks the gateway for it.
    query: str
    # How many rows of the kind the committee sees, and ``count`` more of them from number ``start`` on.
    visible: Callable[[Community], Select]
    seed: Callable[[Connection, Community, int, int], None]
    # The same page as SQL: the statements of the page's rows and of their children (by the page's ids).
    page: Callable[[Community], Select]
    children: Callable[[list[str]], Select] | None = None


def numbered(start: int, count: int) -> Iterator[tuple[int, str]]:
    for n in range(start, start + count):
        yield n, str(uuid.uuid4())


# Service requests -------------------------------------------------------------------------


def seed_requests(conn: Connection, community: Community, start: int, count: int) -> None:
    rows: list[dict] = [
        {
            "id": id_,
            "community_id": community.community_id,
            "title": f"长者陪伴 Companionship visit {n}",
            "description": "An afternoon with a resident living alone.",
            "category": "companionship",
            "skills": {"companionship": 1},
            "certificates": [],
            "places": 1 + n % 3,
            "starts_at": AHEAD + timedelta(minutes=30 * n),
            "ends_at": AHEAD + timedelta(minutes=30 * n + 120),
            "location": "临湖花园 Lakeside Garden",
            "priority": ("routine", "urgent", "elderly_living_alone")[n % 3],
            "home_visit": n % 2 == 0,
            "status": "open",
            "source": "committee",
            "owner_type": "residents_committee",
            "opened_by": community.committee_id,
            "opened_at": NOW - timedelta(minutes=n),
        }
        for n, id_ in numbered(start, count)
    ]
    insert_in_batches(conn, ServiceRequest, rows)


SERVICE_REQUESTS = Kind(
    "service_requests",
    "volunteers",
    "{ serviceRequests(first: 20) { edges { cursor node { id title status priority startsAt places filled } }"
    " pageInfo { hasNextPage endCursor } } }",
    lambda c: select(func.count()).where(ServiceRequest.community_id == c.community_id),
    seed_requests,
    lambda c: (
        select(ServiceRequest)
        .where(ServiceRequest.community_id == c.community_id)
        # By start, drafts last: the generated columns the volunteers service orders by.
        .order_by(ServiceRequest.unscheduled, ServiceRequest.start_key, ServiceRequest.id)
        .limit(READ)
    ),
)


# Meetings --------------------------------------------------------------------------------


def seed_meetings(conn: Connection, community: Community, start: int, count: int) -> None:
    rows: list[dict] = [
        {
            "id": id_,
            "district_id": community.district_id,
            "community_id": community.community_id,
            "title": f"联席会议 Joint meeting {n}",
            "kind": "regular",
            "starts_at": NOW - timedelta(days=30, hours=n),
            "ends_at": NOW - timedelta(days=30, hours=n - 2),
            "location": "社区议事厅 Community hall",
            "convened_by": community.committee_id,
            "status": "scheduled",
            "members": [],
            "decision_rule": "consensus",
            "created_at": NOW - timedelta(days=30, hours=n),
        }
        for n, id_ in numbered(start, count)
    ]
    insert_in_batches(conn, JointMeeting, rows)


MEETINGS = Kind(
    "meetings",
    "meetings",
    "{ meetings(first: 20) { edges { cursor node { id title kind startsAt endsAt status } }"
    " pageInfo { hasNextPage endCursor } } }",
    lambda c: select(func.count()).where(JointMeeting.community_id == c.community_id),
    seed_meetings,
    lambda c: (
        select(JointMeeting)
        .where(JointMeeting.community_id == c.community_id)
        .order_by(JointMeeting.starts_at.desc(), JointMeeting.id)
        .limit(READ)
    ),
)


# Projects with their bids -----------------------------------------------------------------


def seed_projects(conn: Connection, community: Community, start: int, count: int) -> None:
    """Tenders whose bids were opened (evaluating), each with a valid bid of each organisation."""
    projects, bids = [], []
    for n, id_ in numbered(start, count):
        created = NOW - timedelta(days=60, minutes=n)
        projects.append(
            {
                "id": id_,
                "ocid": f"ocds-bench-{id_}",
                "community_id": community.community_id,
                "district_id": community.district_id,
                "title": f"居家养老服务 Home care {n}",
                "description": "Weekly home visits for residents over 80 living alone.",
                "category": "elderly_care",
                "budget": Decimal("120000.00"),
                "bid_deadline": created + timedelta(days=30),
                "status": "evaluating",
                "required_qualifications": [],
                "weights": {"price": 40, "plan_quality": 30, "experience": 20, "reputation": 10},
                "standstill_days": 5,
                "min_valid_bids": 1,
                "purchaser": "residents_committee",
                "opened_at": created + timedelta(days=30),
                "created_at": created,
                "published_at": created,
            }
        )
        for rank, organisation_id in enumerate(community.organisation_ids):
            plan = f"Plan {n} of bidder {rank}"
            bids.append(
                {
                    "id": str(uuid.uuid4()),
                    "project_id": id_,
                    "organisation_id": organisation_id,
                    "price": Decimal("100000.00") + rank * 5000,
                    "plan": plan,
                    "team": "",
                    "timeline": "",
                    "digest": hashlib.sha256(plan.encode()).hexdigest(),
                    "submitted_at": created + timedelta(days=1, hours=rank),
                    "status": "submitted",
                }
            )
    insert_in_batches(conn, Project, projects)
    insert_in_batches(conn, Bid, bids)


PROJECTS = Kind(
    "projects",
    "matching",
    "{ projects(first: 20) { edges { cursor node { id title budget status"
    " bids { edges { node { price } } } } } pageInfo { hasNextPage endCursor } } }",
    lambda c: select(func.count()).where(Project.community_id == c.community_id),
    seed_projects,
    lambda c: (
        select(Project)
        .where(Project.community_id == c.community_id)
        .order_by(Project.created_at.desc(), Project.id)
        .limit(READ)
    ),
    lambda ids: opened_bids(ids).order_by(Bid.submitted_at, Bid.id),
)


# Contracts with their milestones ----------------------------------------------------------


def seed_contracts(conn: Connection, community: Community, start: int, count: int) -> None:
    """Active contracts of the demo's organisation, each with three milestones a year ahead."""
    contracts, milestones = [], []
    for n, id_ in numbered(start, count):
        awarded = NOW - timedelta(days=30, minutes=n)
        contracts.append(
            {
                "id": id_,
                "project_id": str(uuid.uuid4()),
                "ocid": f"ocds-bench-{id_}",
                "community_id": community.community_id,
                "district_id": community.district_id,
                "organisation_id": community.organisation_ids[0],
                "organisation_name": "乐龄社工服务中心 Leling Social Work Centre",
                "title": f"居家养老服务 Home care {n}",
                "value": Decimal("90000.00"),
                "status": "active",
                "awarded_at": awarded,
                "created_at": awarded,
                "purchaser_type": "residents_committee",
                "purchaser_id": community.committee_id,
                "compound_ids": [],
                "deliverables": ["weekly visits"],
                "signatures": {},
            }
        )
        for step, share in enumerate((Decimal("30.00"), Decimal("30.00"), Decimal("40.00")), start=1):
            milestones.append(
                {
                    "id": str(uuid.uuid4()),
                    "contract_id": id_,
                    "key": f"m{step}",
                    "title": f"第{step}季度 Quarter {step}",
                    "due_on": (AHEAD + timedelta(days=90 * step)).date(),
                    "criteria": "Visit reports signed by the residents.",
                    "share": share,
                    "status": "pending",
                    "evidence": [],
                }
            )
    insert_in_batches(conn, Contract, contracts)
    insert_in_batches(conn, Milestone, milestones)


CONTRACTS = Kind(
    "contracts",
    "contracts",
    "{ contracts(first: 20) { edges { cursor node { id title value status awardedAt"
    " milestones { title dueOn status } } } pageInfo { hasNextPage endCursor } } }",
    lambda c: select(func.count()).where(Contract.community_id == c.community_id),
    seed_contracts,
    lambda c: (
        select(Contract)
        .where(Contract.community_id == c.community_id)
        .order_by(Contract.awarded_at.desc(), Contract.id)
        .limit(READ)
    ),
    lambda ids: (
        select(Milestone).where(Milestone.contract_id.in_(ids)).order_by(Milestone.due_on, Milestone.key)
    ),
)


# Audit entries ---------------------------------------------------------------------------


def seed_audit(conn: Connection, community: Community, start: int, count: int) -> None:
    rows: list[dict] = [
        {
            "id": id_,
            "at": NOW - timedelta(days=1, seconds=n),
            "username": "demo-residents-committee",
            "party_type": "residents_committee",
            "party_id": community.committee_id,
            "district_id": community.district_id,
            "community_id": community.community_id,
            "action": ("scheduleMeeting", "openServiceRequest", "acceptMilestone")[n % 3],
            "arguments": {"input": {"title": f"entry {n}"}},
            "outcome": "ok",
            "error_codes": [],
            "correlation_id": str(uuid.uuid4()),
        }
        for n, id_ in numbered(start, count)
    ]
    insert_in_batches(conn, AuditEntry, rows)


AUDIT_ENTRIES = Kind(
    "audit_entries",
    "gateway",
    "{ auditLog(first: 20) { edges { cursor node { id at action outcome username } }"
    " pageInfo { hasNextPage endCursor } } }",
    lambda c: select(func.count()).where(AuditEntry.community_id == c.community_id),
    seed_audit,
    lambda c: (
        select(AuditEntry)
        .where(AuditEntry.community_id == c.community_id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id)
        .limit(READ)
    ),
)

KINDS = [SERVICE_REQUESTS, MEETINGS, PROJECTS, CONTRACTS, AUDIT_ENTRIES]


# Seeding and measuring ---------------------------------------------------------------------


def insert_in_batches(conn: Connection, model, rows: list[dict]) -> None:
    for first in range(0, len(rows), BATCH):
        conn.execute(insert(model), rows[first : first + BATCH])
        conn.commit()


def find_community(engines: dict[str, Engine]) -> Community:
    with engines["meetings"].connect() as conn:
        committee = conn.execute(
            select(Party.id, Party.district_id, Party.community_id).where(Party.type == "residents_committee")
        ).one()
    with engines["matching"].connect() as conn:
        organisations = conn.scalars(
            select(Organisation.id)
            .where(Organisation.status == "approved")
            .order_by(Organisation.registered_at, Organisation.credit_code)
        ).all()
    return Community(committee.district_id, committee.community_id, committee.id, list(organisations))


def grow(engine: Engine, kind: Kind, community: Community, rows: int) -> None:
    """Add rows of ``kind`` until the committee sees ``rows`` of them."""
    with engine.connect() as conn:
        have = conn.execute(kind.visible(community)).scalar_one()
        if rows > have:
            kind.seed(conn, community, have, rows - have)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def sql_page_ms(engine: Engine, kind: Kind, community: Community, rounds: int) -> float:
    """p50 of the page as SQL: the rows, then (for projects and contracts) their children."""
    timings = []
    with engine.connect() as conn:
        for _ in range(rounds + 1):
            started = time.perf_counter()
            ids = [row.id for row in conn.execute(kind.page(community))][:PAGE]
            if kind.children is not None:
                conn.execute(kind.children(ids)).all()
            timings.append((time.perf_counter() - started) * 1000)
            conn.rollback()
    return statistics.median(timings[1:])


class Gateway:
    """The committee's GraphQL client over HTTP, signing in again before its token runs out."""

    LIFETIME = 600  # seconds; the demo's tokens last 15 minutes

    def __init__(self, base_url: str, username: str, password: str):
        import requests

        self.url, self.username, self.password = f"{base_url}/graphql", username, password
        self.session = requests.Session()
        # Never signed in: the first page signs in whatever the monotonic clock reads (it counts from
        # the machine's boot, which may be less than a token's lifetime ago).
        self.token, self.signed_in_at = "", float("-inf")

    def _sign_in(self) -> None:
        answer = self.session.post(
            self.url,
            json={
                "query": "mutation($u: String!, $p: String!) { signIn(input: {username: $u, password: $p}) "
                "{ session { accessToken } errors { code message } } }",
                "variables": {"u": self.username, "p": self.password},
            },
            timeout=60,
        ).json()
        signed = answer["data"]["signIn"]
        assert not signed["errors"], signed["errors"]
        self.token, self.signed_in_at = signed["session"]["accessToken"], time.monotonic()

    def page(self, query: str) -> float:
        """The milliseconds of one answer to ``query``, which must have no error."""
        if time.monotonic() - self.signed_in_at > self.LIFETIME:
            self._sign_in()
        started = time.perf_counter()
        answer = self.session.post(
            self.url, json={"query": query}, headers={"Authorization": f"Bearer {self.token}"}, timeout=600
        )
        took = (time.perf_counter() - started) * 1000
        body = answer.json()
        assert answer.status_code == 200 and not body.get("errors"), body
        edges = next(iter(body["data"].values()))["edges"]
        assert len(edges) == PAGE, f"a page of {len(edges)} rows"
        return took


def measure(gateway: Gateway, kind: Kind, rounds: int, budget: float) -> list[float]:
    """``rounds`` answers, or as many as ``budget`` seconds allow (at least five) when a page is slow."""
    gateway.page(kind.query)  # warm up: the connection, the validated document
    timings: list[float] = []
    ends = time.monotonic() + budget
    while len(timings) < rounds and (len(timings) < 5 or time.monotonic() < ends):
        timings.append(gateway.page(kind.query))
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="rows of each kind, ascending")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="pages asked per kind and size")
    parser.add_argument("--budget", type=float, default=60, help="seconds per kind and size at most")
    parser.add_argument("--kinds", default=",".join(k.name for k in KINDS))
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    kinds = [k for k in KINDS if k.name in args.kinds.split(",")]

    with demo_platform() as stack:
        var = Path(stack._quiet["env"]["GONGZHI_VAR"])
        engines = {
            name: make_engine(f"sqlite:///{var / f'{name}.db'}")
            for name in ("meetings", "matching", "volunteers", "contracts", "gateway")
        }
        community = find_community(engines)
        account = json.loads((var / "demo-parties.json").read_text())["residents_committee"]
        gateway = Gateway(stack.base_url, account["username"], account["password"])
        p50s: dict[str, dict[int, float]] = {k.name: {} for k in kinds}
        for rows in sizes:
            for kind in kinds:
                grow(engines[kind.database], kind, community, rows)
                timings = measure(gateway, kind, args.rounds, args.budget)
                p50s[kind.name][rows] = statistics.median(timings)
                figures = {
                    "kind": kind.name,
                    "rows": rows,
                    "p50_ms": round(statistics.median(timings), 2),
                    "p99_ms": round(percentile(timings, 0.99), 2),
                    "sql_ms": round(sql_page_ms(engines[kind.database], kind, community, args.rounds), 3),
                    "pages": len(timings),
                }
                print(json.dumps(figures), flush=True)
        smallest, largest = sizes[0], sizes[-1]
        print(
            json.dumps(
                {
                    "ratio": f"p50 at {largest} rows / p50 at {smallest} rows",
                    **{name: round(p[largest] / p[smallest], 2) for name, p in p50s.items()},
                    "goal": 1.5,
                }
            ),
            flush=True,
        )
        for engine in engines.values():
            engine.dispose()
    shutil.rmtree(var, ignore_errors=True)  # the platform has stopped: its grown files go (GBs at 100,000)


if __name__ == "__main__":
    main()
