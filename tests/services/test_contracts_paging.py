"""The contracts list, one page at a time in SQL: forwards and backwards alike, every filter and
order, the party's scope on every page (the SQL condition says what domain.may_see_contract
says), cursors that are checked, and totalCount only when asked."""

import base64
import json
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from nameko.testing.services import worker_factory

from services.contracts import domain
from services.contracts.models import Base, Contract, ContractCompound, Milestone
from services.contracts.service import ContractsService
from shared.clock import SystemClock
from shared.errors import InvalidInput
from shared.identity import PartyType, Principal
from shared.vocabulary.contracts import ContractOrder, ContractStatus
from tests.conftest import unit_of_work
from tests.helpers import nodes

PARTIES = {
    "committee c1": Principal("a1", PartyType.RESIDENTS_COMMITTEE, "rc1", "d1", "c1"),
    "committee c2": Principal("a2", PartyType.RESIDENTS_COMMITTEE, "rc2", "d2", "c2"),
    "office d1": Principal("a3", PartyType.STREET_OFFICE, "so1", district_id="d1"),
    "office d2": Principal("a4", PartyType.STREET_OFFICE, "so2", district_id="d2"),
    "provider org1": Principal("a5", PartyType.SOCIAL_ORGANISATION, "org1"),
    "provider org2": Principal("a6", PartyType.SOCIAL_ORGANISATION, "org2"),
    "owners c1 k1": Principal("a7", PartyType.OWNERS_COMMITTEE, "oc1", "d1", "c1", "k1"),
    "owners c1 k2": Principal("a8", PartyType.OWNERS_COMMITTEE, "oc2", "d1", "c1", "k2"),
    "owners c2 k3": Principal("a9", PartyType.OWNERS_COMMITTEE, "oc3", "d2", "c2", "k3"),
    "volunteer": Principal("a10", PartyType.VOLUNTEER, "v1", "d1", "c1"),
}
COMMITTEE = PARTIES["committee c1"].to_dict()
STATUSES = list(ContractStatus)
START = datetime(2026, 1, 1, tzinfo=timezone.utc)


@pytest.fixture
def contracts(databases):
    return worker_factory(
        ContractsService, db=unit_of_work(databases["contracts"], Base.metadata), clock=SystemClock()
    )


@pytest.fixture
def seeded(databases) -> list[Contract]:
    """31 contracts in two communities of two districts, by two organisations, some serving
    compounds; several share an award time, a value or a title, so that the id breaks ties."""
    uow = unit_of_work(databases["contracts"], Base.metadata)
    rows = []
    with uow:
        for n in range(31):
            community = "c1" if n % 3 else "c2"
            compounds = {0: [], 1: ["k1"], 2: ["k2"], 3: ["k1", "k2"]}[n % 4] if community == "c1" else ["k3"]
            contract = Contract(
                id=f"00000000-0000-0000-0000-{n:012d}",
                project_id=f"p{n}",
                ocid=f"ocds-gz0001-p{n}",
                community_id=community,
                district_id="d1" if community == "c1" else "d2",
                organisation_id="org1" if n % 2 else "org2",
                organisation_name="an organisation",
                title=f"Service {n % 7}",
                value=Decimal(10000 + 1000 * (n % 5)),
                status=STATUSES[n % len(STATUSES)],
                awarded_at=START + timedelta(days=n // 2),
                created_at=START,
                purchaser_type="residents_committee",
                purchaser_id="rc1" if community == "c1" else "rc2",
                compound_ids=compounds,
                deliverables=[],
                signatures={},
            )
            uow.add(contract)
            for compound in compounds:
                uow.add(ContractCompound(contract_id=contract.id, compound_id=compound))
            rows.append(contract)
        uow.commit()
    return rows


def _expected(rows: list[Contract], principal: Principal, order: str, status=None) -> list[str]:
    """What the list must answer, by the Python rule and a sort in Python."""
    seen = [
        c
        for c in rows
        if domain.may_see_contract(
            principal,
            c.community_id,
            c.organisation_id,
            district_id=c.district_id,
            compound_ids=c.compound_ids,
        )
        and (status is None or c.status == status)
    ]
    if order == ContractOrder.AWARDED_AT_DESC:
        seen.sort(key=lambda c: c.id)
        seen.sort(key=lambda c: c.awarded_at, reverse=True)
    elif order == ContractOrder.VALUE_DESC:
        seen.sort(key=lambda c: c.id)
        seen.sort(key=lambda c: c.value, reverse=True)
    else:
        seen.sort(key=lambda c: (c.title, c.id))
    return [c.id for c in seen]


def _forwards(contracts, who, size, **page) -> list[str]:
    found, after = [], None
    while True:
        answer = contracts.list_contracts(who, page={"first": size, "after": after, **page})
        found += [c["id"] for c in nodes(answer)]
        assert answer["page_info"]["has_previous_page"] == (after is not None)
        if not answer["page_info"]["has_next_page"]:
            return found
        after = answer["page_info"]["end_cursor"]


def _backwards(contracts, who, size, **page) -> list[str]:
    found, before = [], None
    while True:
        answer = contracts.list_contracts(who, page={"last": size, "before": before, **page})
        found = [c["id"] for c in nodes(answer)] + found
        assert answer["page_info"]["has_next_page"] == (before is not None)
        if not answer["page_info"]["has_previous_page"]:
            return found
        before = answer["page_info"]["start_cursor"]


@pytest.mark.parametrize("order", [o.value for o in ContractOrder])
def test_forwards_and_backwards_read_the_same_rows_in_every_order(contracts, seeded, order):
    expected = _expected(seeded, PARTIES["committee c1"], order)
    assert len(expected) == 20
    assert _forwards(contracts, COMMITTEE, 3, order_by=order) == expected
    assert _backwards(contracts, COMMITTEE, 3, order_by=order) == expected


def test_the_default_order_is_the_latest_award_first(contracts, seeded):
    answer = contracts.list_contracts(COMMITTEE, page={"first": 5})
    expected = _expected(seeded, PARTIES["committee c1"], ContractOrder.AWARDED_AT_DESC)
    assert [c["id"] for c in nodes(answer)] == expected[:5]


@pytest.mark.parametrize("status", [s.value for s in ContractStatus])
def test_the_status_filter_holds_on_every_page(contracts, seeded, status):
    expected = _expected(seeded, PARTIES["committee c1"], "title", status)
    assert expected
    assert _forwards(contracts, COMMITTEE, 2, order_by="title", filter={"status": status}) == expected
    assert _backwards(contracts, COMMITTEE, 2, order_by="title", filter={"status": status}) == expected


@pytest.mark.parametrize("party", sorted(PARTIES))
def test_every_page_holds_only_what_the_party_may_see(contracts, seeded, party):
    """The SQL scope says what the Python rule says, for every kind of party (owners' committees
    see contracts serving their compound or the whole community)."""
    who = PARTIES[party]
    expected = _expected(seeded, who, ContractOrder.VALUE_DESC)
    assert _forwards(contracts, who.to_dict(), 4, order_by="-value") == expected
    found = contracts.list_contracts(who.to_dict(), ids=[c.id for c in seeded])
    assert sorted(c["id"] for c in found) == sorted(expected)


def test_the_scopes_differ_as_the_parties_do(contracts, seeded):
    counts = {p: len(_expected(seeded, w, "title")) for p, w in PARTIES.items()}
    assert counts["committee c1"] + counts["committee c2"] == len(seeded)
    assert counts["owners c1 k1"] < counts["committee c1"] and counts["owners c1 k1"] > 0
    assert counts["volunteer"] == 0


def test_a_tampered_or_foreign_cursor_is_refused_naming_its_argument(contracts, seeded):
    first = contracts.list_contracts(COMMITTEE, page={"first": 2})
    cursor = first["page_info"]["end_cursor"]
    raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    raw["k"][0] = "not a time"
    tampered = base64.urlsafe_b64encode(json.dumps(raw).encode()).decode().rstrip("=")
    for bad in (tampered, "garbage", cursor[:-3]):
        with pytest.raises(InvalidInput) as raised:
            contracts.list_contracts(COMMITTEE, page={"first": 2, "after": bad})
        assert raised.value.field == "after"
    with pytest.raises(InvalidInput) as raised:  # a cursor of another order
        contracts.list_contracts(COMMITTEE, page={"first": 2, "after": cursor, "order_by": "title"})
    assert raised.value.field == "after"
    with pytest.raises(InvalidInput) as raised:
        contracts.list_contracts(COMMITTEE, page={"first": 2, "order_by": "budget"})
    assert raised.value.field == "order_by"
    with pytest.raises(InvalidInput) as raised:
        contracts.list_contracts(COMMITTEE, page={"first": 2, "filter": {"organisation": "org1"}})
    assert raised.value.field == "filter.organisation"


def test_the_total_is_counted_only_when_asked(contracts, seeded):
    assert contracts.list_contracts(COMMITTEE, page={"first": 2})["total_count"] is None
    counted = contracts.list_contracts(COMMITTEE, page={"first": 2, "with_total": True})
    assert counted["total_count"] == 20
    active = {"first": 2, "with_total": True, "filter": {"status": "active"}}
    assert contracts.list_contracts(COMMITTEE, page=active)["total_count"] == len(
        _expected(seeded, PARTIES["committee c1"], "title", "active")
    )


def test_without_a_page_the_first_twenty_and_by_id_only_what_the_party_sees(contracts, seeded):
    answer = contracts.list_contracts(COMMITTEE)
    assert len(nodes(answer)) == 20 and not answer["page_info"]["has_next_page"]
    c2 = [c.id for c in seeded if c.community_id == "c2"]
    assert contracts.list_contracts(COMMITTEE, ids=c2) == []
    assert contracts.get_contracts(COMMITTEE, c2) == []


@pytest.mark.parametrize("party", sorted(PARTIES))
def test_the_records_of_given_contracts_are_only_those_of_contracts_the_party_sees(
    contracts, seeded, databases, party
):
    """Milestones (as payments, versions, history and evaluations) are read for the contracts the
    party sees among those asked for, whichever ids a client sends."""
    uow = unit_of_work(databases["contracts"], Base.metadata)
    with uow:
        for contract in seeded:
            for step in (2, 1):
                uow.add(
                    Milestone(
                        contract_id=contract.id,
                        key=f"m{step}",
                        title=f"Quarter {step}",
                        due_on=date(2027, 3 * step, 1),
                        criteria="Signed visit reports.",
                        share=Decimal("50.00"),
                    )
                )
        uow.commit()
    who = PARTIES[party]
    expected = sorted(_expected(seeded, who, "title"))
    found = contracts.list_milestones(who.to_dict(), [c.id for c in seeded] + ["no-such-contract"])
    assert [m["contract_id"] for m in found] == [c for c in expected for _ in (1, 2)]
    assert [m["key"] for m in found] == ["m1", "m2"] * len(expected)  # by due date within each contract
    assert contracts.list_milestones(who.to_dict(), []) == []
