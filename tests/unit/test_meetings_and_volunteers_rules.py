"""Rules of joint meetings and of the parties' areas (volunteer rules: test_volunteer_rules.py)."""

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from services.meetings import domain as meetings
from shared.errors import Conflict, InvalidInput, PermissionDenied
from shared.identity import PartyType, Principal

T0 = datetime(2026, 12, 1, 6, 0, tzinfo=timezone.utc)


def test_a_meeting_must_end_after_it_starts_and_within_twelve_hours():
    meetings.check_meeting_times(T0, T0 + timedelta(hours=2))
    with pytest.raises(InvalidInput) as raised:
        meetings.check_meeting_times(T0, T0)
    assert raised.value.errors[0]["field"] == "ends_at"
    with pytest.raises(InvalidInput) as raised:
        meetings.check_meeting_times(T0, T0 + timedelta(hours=13))
    assert raised.value.errors[0]["code"] == "too_long"


def test_a_purchase_resolution_needs_budget_and_category():
    meetings.check_resolution("other", None, None)
    meetings.check_resolution("purchase_service", Decimal("1.00"), "elderly_care")
    with pytest.raises(InvalidInput) as raised:
        meetings.check_resolution("purchase_service", Decimal("0"), "")
    assert {e["field"] for e in raised.value.errors} == {"budget", "category"}


@pytest.mark.parametrize("party", [PartyType.SOCIAL_ORGANISATION, PartyType.VOLUNTEER])
def test_only_core_parties_submit_agenda_items(party):
    principal = Principal("a", party, "p")
    with pytest.raises(PermissionDenied):
        meetings.check_may_submit_agenda_item(principal, "scheduled")


def test_a_cancelled_meetings_agenda_is_closed():
    principal = Principal("a", PartyType.OWNERS_COMMITTEE, "p", "d", "c", "k")
    with pytest.raises(Conflict):
        meetings.check_may_submit_agenda_item(principal, "cancelled")


def test_areas_each_party_sees():
    office = Principal("a", PartyType.STREET_OFFICE, "o", district_id="d1")
    committee = Principal("a", PartyType.RESIDENTS_COMMITTEE, "r", "d1", "c1")
    owners = Principal("a", PartyType.OWNERS_COMMITTEE, "w", "d1", "c1", "k1")
    organisation = Principal("a", PartyType.SOCIAL_ORGANISATION, "s")
    assert office.sees_area("d1", "c9", None) and not office.sees_area("d2", "c1", None)
    assert committee.sees_area("d1", "c1", "k7") and not committee.sees_area("d1", "c2", None)
    assert owners.sees_area("d1", "c1", None) and owners.sees_area("d1", "c1", "k1")
    assert not owners.sees_area("d1", "c1", "k2")
    assert not organisation.sees_area("d1", "c1", None)
