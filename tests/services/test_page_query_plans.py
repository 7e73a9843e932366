"""What a page of contracts with their milestones, and a page of the audit log, ask of SQLite (the
embedded default, which keeps no statistics, so its plans follow from the schema alone): each
statement reads an index range in the page's order or probes primary keys, never every row of the
party's scope and never a sort of it. The databases are built by the migrations; the plans are
SQLite's own (EXPLAIN QUERY PLAN) for the statements the use cases actually ran."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import event, insert

from gateway.models import AuditEntry
from gateway.models import Base as GatewayBase
from gateway.schema.session import _audit_page
from services.contracts import handlers
from services.contracts.models import Base as ContractsBase
from services.contracts.models import Contract, ContractCompound, Milestone
from shared.db import make_engine
from shared.identity import PartyType, Principal
from shared.migrations import upgrade
from shared.paging import PageRequest
from tests.conftest import unit_of_work

ROWS = 60  # per community: more than a page, so that a plan that reads them all shows itself
START = datetime(2026, 1, 1, tzinfo=timezone.utc)
COMMITTEE = Principal("a1", PartyType.RESIDENTS_COMMITTEE, "rc1", "d1", "c1")
OFFICE = Principal("a2", PartyType.STREET_OFFICE, "so1", district_id="d1")
PROVIDER = Principal("a3", PartyType.SOCIAL_ORGANISATION, "org1")
OWNERS = Principal("a4", PartyType.OWNERS_COMMITTEE, "oc1", "d1", "c1", "k1")


class Statements:
    """The statements an engine runs, with their parameters, to be explained afterwards."""

    def __init__(self, engine):
        self.engine, self.seen = engine, []
        event.listen(engine, "before_cursor_execute", self._record)

    def _record(self, conn, cursor, statement, parameters, context, executemany):
        if not statement.startswith("EXPLAIN"):
            self.seen.append((statement, parameters))

    def plans(self) -> list[list[str]]:
        """Each statement's plan, one line per step."""
        found = []
        with self.engine.connect() as conn:
            cursor = conn.connection.dbapi_connection.cursor()
            for statement, parameters in self.seen:
                cursor.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)
                found.append([row[-1] for row in cursor.fetchall()])
        return found


def _migrated(tmp_path, service: str):
    url = f"sqlite:///{tmp_path / f'{service}.db'}"
    upgrade(service, url)
    return make_engine(url)


@pytest.fixture
def contracts(tmp_path):
    """Contracts of two communities of two districts by two providers, three milestones each."""
    engine = _migrated(tmp_path, "contracts")
    rows, milestones, served = [], [], []
    for n in range(2 * ROWS):
        mine = n % 2 == 0
        contract_id = f"00000000-0000-0000-0000-{n:012d}"
        rows.append(
            {
                "id": contract_id,
                "project_id": f"p{n}",
                "ocid": f"ocds-gz0001-p{n}",
                "community_id": "c1" if mine else "c2",
                "district_id": "d1" if mine else "d2",
                "organisation_id": "org1" if mine else "org2",
                "organisation_name": "an organisation",
                "title": f"Service {n}",
                "value": Decimal(10000 + n),
                "status": "active",
                "awarded_at": START + timedelta(hours=n),
                "created_at": START,
                "purchaser_type": "residents_committee",
                "compound_ids": ["k1"] if n % 4 == 0 else [],
                "deliverables": [],
                "signatures": {},
            }
        )
        if n % 4 == 0:
            served.append({"contract_id": contract_id, "compound_id": "k1"})
        for step in (1, 2, 3):
            milestones.append(
                {
                    "id": str(uuid.uuid4()),
                    "contract_id": contract_id,
                    "key": f"m{step}",
                    "title": f"Quarter {step}",
                    "due_on": date(2027, 3 * step, 1),
                    "criteria": "Signed visit reports.",
                    "share": Decimal("33.33"),
                    "status": "pending",
                    "evidence": [],
                }
            )
    with engine.begin() as conn:
        conn.execute(insert(Contract), rows)
        conn.execute(insert(ContractCompound), served)
        conn.execute(insert(Milestone), milestones)
    yield engine
    engine.dispose()


@pytest.fixture
def audit(tmp_path):
    """Audit entries of two communities of two districts, one a minute."""
    engine = _migrated(tmp_path, "gateway")
    rows = [
        {
            "id": f"00000000-0000-0000-0000-{n:012d}",
            "at": START + timedelta(minutes=n // 2),  # two at each minute: the id breaks the tie
            "username": "someone",
            "party_type": "residents_committee",
            "party_id": "rc1" if n % 2 == 0 else "rc2",
            "district_id": "d1" if n % 2 == 0 else "d2",
            "community_id": "c1" if n % 2 == 0 else "c2",
            "action": "scheduleMeeting",
            "arguments": {},
            "outcome": "ok",
            "error_codes": [],
            "correlation_id": f"corr-{n}",
        }
        for n in range(4 * ROWS)
    ]
    with engine.begin() as conn:
        conn.execute(insert(AuditEntry), rows)
    yield engine
    engine.dispose()


def _reads_a_range_or_keys(plan: list[str], table: str, order_index: str | None = None) -> None:
    """Every step on ``table`` searches its primary key or ``order_index``; nothing is sorted
    whole. ``USE TEMP B-TREE FOR RIGHT PART OF ORDER BY`` sorts the rows of one key at a time."""
    on_table = [step for step in plan if f" {table} " in f"{step} "]
    allowed = {f"sqlite_autoindex_{table}_1"} | ({order_index} if order_index else set())
    for step in on_table:
        assert step.startswith("SEARCH") and any(f"INDEX {i} " in step for i in allowed), plan
    assert not any(step == "USE TEMP B-TREE FOR ORDER BY" for step in plan), plan


@pytest.mark.parametrize(
    ("party", "order_index"),
    [
        (COMMITTEE, "ix_contract_community_awarded"),
        (OFFICE, "ix_contract_district_awarded"),
        (PROVIDER, "ix_contract_organisation_awarded"),
        (OWNERS, "ix_contract_community_awarded"),
    ],
)
def test_a_page_of_contracts_and_their_milestones_reads_the_page_not_the_scope(contracts, party, order_index):
    uow = unit_of_work(contracts, ContractsBase.metadata)
    page = handlers.list_contracts(uow, None, party, PageRequest(first=20))
    ids = [c.id for c in page.rows]
    assert ids and len(ids) <= 20
    statements = Statements(contracts)
    handlers.list_contracts(uow, None, party, PageRequest(first=20))
    milestones = handlers.list_milestones(uow, None, party, ids)
    looked_up = handlers.get_contracts(uow, None, party, ids)
    records = handlers.get_milestones(uow, None, party, [m.id for m in milestones])
    assert {m.contract_id for m in milestones} == set(ids) == {c.id for c in looked_up}
    assert len(records) == len(milestones) == 3 * len(ids)

    (listed, *by_key) = statements.plans()
    _reads_a_range_or_keys(listed, "contract", order_index)
    for plan in by_key:
        _reads_a_range_or_keys(plan, "contract")
        _reads_a_range_or_keys(plan, "milestone", "ix_milestone_contract_id")
    assert len(by_key) == 5  # the page's contracts seen, their milestones; by id; milestones by id, theirs


class _Context:
    def __init__(self, uow, principal):
        self.accounts, self.principal = uow, principal


@pytest.mark.parametrize(
    ("party", "order_index"),
    [(COMMITTEE, "ix_audit_entry_community_at"), (OFFICE, "ix_audit_entry_district_at")],
)
def test_a_page_of_the_audit_log_is_a_range_of_its_scope_index_either_way(audit, party, order_index):
    ctx = _Context(unit_of_work(audit, GatewayBase.metadata), party)
    first = _audit_page(ctx, {"first": 20})
    assert len(first["edges"]) == 20 and first["page_info"]["has_next_page"]
    statements = Statements(audit)
    second = _audit_page(ctx, {"first": 20, "after": first["page_info"]["end_cursor"]})
    _audit_page(ctx, {"last": 20, "before": second["page_info"]["start_cursor"]})
    plans = statements.plans()
    assert len(plans) == 4  # each page, and whether anything lies behind its cursor (one probe finds it)
    for plan in plans:
        _reads_a_range_or_keys(plan, "audit_entry", order_index)
