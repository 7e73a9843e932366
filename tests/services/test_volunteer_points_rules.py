"""Who may credit activity points, through the volunteers service's worker on PostgreSQL: nobody
credits itself, and a team leader's credits to one volunteer in a day stay within the limit
(GONGZHI_LEADER_CREDIT_LIMIT, 100 by default); beyond it only the residents' committee credits."""

from datetime import datetime, timezone

import pytest
from nameko.testing.services import worker_factory

from services.volunteers import domain
from services.volunteers.commands import CreditActivity
from services.volunteers.handlers import points as ledger
from services.volunteers.models import Base
from services.volunteers.service import VolunteersService
from shared.clock import FixedClock, SystemClock
from shared.errors import InvalidInput, PermissionDenied
from shared.identity import PartyType, Principal
from tests.conftest import unit_of_work
from tests.helpers import nodes

RC, VOL = PartyType.RESIDENTS_COMMITTEE, PartyType.VOLUNTEER
COMMITTEE = Principal("acct-rc", RC, "rc1", "d1", "c1").to_dict()


def as_volunteer(volunteer: dict) -> dict:
    return Principal(f"acct-{volunteer['id']}", VOL, volunteer["id"], "d1", "c1").to_dict()


def credit(points: int, volunteer: dict) -> dict:
    """``points`` as bags of litter: one bag of ``points``, or thousand-point bags above 1,000."""
    quantity, per_unit = (points // 1000, 1000) if points > 1000 else (1, points)
    return {
        "volunteer_id": volunteer["id"],
        "activity": "bags",
        "quantity": quantity,
        "points_per_unit": per_unit,
    }


@pytest.fixture
def service(databases):
    return worker_factory(
        VolunteersService, db=unit_of_work(databases["volunteers"], Base.metadata), clock=SystemClock()
    )


@pytest.fixture
def team(service):
    leader, member = (service.register_volunteer(COMMITTEE, {"name": n}) for n in ("Zhao", "Zhang"))
    service.create_team(
        COMMITTEE, {"name": "Clean-up team", "leader_id": leader["id"], "member_ids": [member["id"]]}
    )
    return as_volunteer(leader), leader, member


def balance(service, volunteer: dict) -> int:
    return service.points_account(as_volunteer(volunteer))["balance"]


def test_a_team_leader_cannot_credit_itself(service, team):
    leader, leader_record, _ = team
    for points in (10_000, 1):  # neither a large credit nor a small one
        with pytest.raises(PermissionDenied) as refused:
            service.credit_activity(leader, credit(points, leader_record))
        assert (refused.value.code, refused.value.field) == ("self_credit", "volunteer_id")
    assert balance(service, leader_record) == 0
    assert service.ledger_summary(COMMITTEE)["issued"] == 0


def test_a_leaders_credits_to_one_volunteer_stay_within_the_daily_limit(service, team):
    leader, _, member = team
    with pytest.raises(PermissionDenied) as refused:  # one large credit
        service.credit_activity(leader, {**credit(1, member), "quantity": 101})
    assert (refused.value.code, refused.value.field) == ("needs_committee", "quantity")
    assert "residents' committee" in refused.value.message

    assert service.credit_activity(leader, credit(60, member))["points"] == 60
    assert service.credit_activity(leader, credit(40, member))["points"] == 40  # 100: at the limit
    with pytest.raises(PermissionDenied) as refused:  # many small ones add up
        service.credit_activity(leader, credit(1, member))
    assert refused.value.code == "needs_committee" and "100 already today" in refused.value.message
    assert balance(service, member) == 100

    # The committee may credit more, and its credits do not use up the leaders' allowance.
    assert service.credit_activity(COMMITTEE, credit(10_000, member))["points"] == 10_000
    assert balance(service, member) == 10_100


def test_the_limit_is_per_community_day_and_configurable(service, team, monkeypatch):
    leader, _, member = team
    monkeypatch.setenv("GONGZHI_LEADER_CREDIT_LIMIT", "20")
    me = Principal.from_dict(leader)
    command = CreditActivity(**credit(15, member))
    # 23:30 and 23:50 in Shanghai are the same day; 00:10 the next.
    evening, late = (datetime(2026, 12, 1, 15, m, tzinfo=timezone.utc) for m in (30, 50))
    ledger.credit_activity(service.db, FixedClock(evening), me, command)
    with pytest.raises(PermissionDenied):
        ledger.credit_activity(service.db, FixedClock(late), me, command)
    next_day = FixedClock(datetime(2026, 12, 1, 16, 10, tzinfo=timezone.utc))
    ledger.credit_activity(service.db, next_day, me, command)
    assert balance(service, member) == 30


def test_the_rule_in_plain_python():
    domain.check_activity_credit(True, False, 10_000, 0, 100)  # the committee
    domain.check_activity_credit(False, False, 100, 0, 100)  # a leader, at the limit
    for by_committee, to_self, points, today in (
        (False, True, 1, 0),
        (True, True, 1, 0),
        (False, False, 1, 100),
    ):
        with pytest.raises(PermissionDenied):
            domain.check_activity_credit(by_committee, to_self, points, today, 100)


def test_a_volunteers_ledger_is_read_page_by_page_newest_first_and_only_by_itself(service, team):
    leader, leader_record, member = team
    for points in (5, 6, 7, 8, 9):
        service.credit_activity(COMMITTEE, credit(points, member))
    service.credit_activity(COMMITTEE, credit(50, leader_record))
    me = as_volunteer(member)

    first = service.list_points_entries(me, page={"first": 2, "with_total": True})
    rest = service.list_points_entries(me, page={"first": 10, "after": first["page_info"]["end_cursor"]})
    amounts = [e["amount"] for e in nodes(first) + nodes(rest)]
    assert amounts == [9, 8, 7, 6, 5] and first["total_count"] == 5
    assert first["page_info"]["has_next_page"] and not rest["page_info"]["has_next_page"]
    assert rest["page_info"]["has_previous_page"]
    backwards = service.list_points_entries(me, page={"last": 2})
    assert [e["amount"] for e in nodes(backwards)] == [6, 5]
    assert [e["amount"] for e in nodes(service.list_points_entries(leader))] == [50]  # its own only
    with pytest.raises(InvalidInput) as refused:
        service.list_points_entries(me, page={"first": 2, "after": "not-a-cursor"})
    assert refused.value.field == "after"
    with pytest.raises(PermissionDenied):
        service.list_points_entries(COMMITTEE)  # the committee reads the trial balance instead
