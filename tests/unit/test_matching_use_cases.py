"""Matching's use cases that only get, add, emit and commit, run on the fake unit of work: no
database, no broker, no nameko; the clock stands where the test puts it. And the one sealed-bid
predicate, read on values and as SQL."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from services.matching import commands, domain
from services.matching.handlers import awards, projects, registry
from services.matching.models import Assessment, Bid, Organisation, Project
from shared.clock import FixedClock
from shared.errors import InvalidInput, NotFound, PermissionDenied
from shared.events import new_event, parse_event
from shared.identity import PartyType, Principal
from shared.vocabulary.matching import BidStatus, FilingStatus, ProjectStatus
from tests.fakes import FakeUnitOfWork

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)
OFFICE = Principal("acc-so", PartyType.STREET_OFFICE, "so1", district_id="d1")
OTHER_OFFICE = Principal("acc-so2", PartyType.STREET_OFFICE, "so2", district_id="d2")


def filing(status: FilingStatus = FilingStatus.PENDING) -> Organisation:
    return Organisation(
        id="org-1",
        credit_code="52310000MJ00000017",
        name="Org 1",
        legal_form="social_group",
        categories=["elderly_care"],
        community_ids=["c1"],
        district_id="d1",
        staff_count=3,
        qualifications=[],
        status=status,
    )


def test_the_office_reviews_a_filing_of_its_district_at_the_clocks_time():
    uow, clock = FakeUnitOfWork(filing()), FixedClock(NOW)
    approved = registry.review_filing(uow, clock, OFFICE, commands.ReviewFiling("org-1", "approve"))
    assert (approved.status, approved.reviewed_at, uow.committed) == (FilingStatus.APPROVED, NOW, 1)
    with pytest.raises(NotFound):
        registry.review_filing(uow, clock, OTHER_OFFICE, commands.ReviewFiling("org-1", "approve"))
    with pytest.raises(PermissionDenied):
        organisation = Principal("acc-1", PartyType.SOCIAL_ORGANISATION, "org-1")
        registry.review_filing(uow, clock, organisation, commands.ReviewFiling("org-1", "approve"))


def test_changes_or_a_rejection_need_a_reason_and_nothing_is_kept_without_one():
    uow = FakeUnitOfWork(filing())
    with pytest.raises(InvalidInput) as raised:
        registry.review_filing(uow, FixedClock(NOW), OFFICE, commands.ReviewFiling("org-1", "reject"))
    assert raised.value.errors[0]["field"] == "reason"
    assert (uow.get(Organisation, "org-1").status, uow.committed) == (FilingStatus.PENDING, 0)


def test_a_changed_filing_goes_back_to_review_but_a_suspension_stays():
    clock, organisation = FixedClock(NOW), Principal("acc-1", PartyType.SOCIAL_ORGANISATION, "org-1")
    uow = FakeUnitOfWork(filing(FilingStatus.APPROVED))
    changed = registry.update_filing(uow, clock, organisation, commands.UpdateFiling(staff_count=9), {})
    assert (changed.status, changed.staff_count) == (FilingStatus.PENDING, 9)
    uow = FakeUnitOfWork(filing(FilingStatus.APPROVED))
    suspended = registry.set_suspension(uow, clock, OFFICE, commands.SetSuspension("org-1", True, "late"))
    assert suspended.status == FilingStatus.SUSPENDED
    renamed = registry.update_filing(uow, clock, organisation, commands.UpdateFiling(name="Org One"), {})
    assert (renamed.status, renamed.name) == (FilingStatus.SUSPENDED, "Org One")


def resolution(decision_type: str) -> object:
    data = {
        "resolution_id": "r1",
        "meeting_id": "m1",
        "decision_type": decision_type,
        "title": "Home care",
        "text": "Weekly visits",
        "budget": "128000.00",
        "category": "elderly_care",
    }
    return parse_event(new_event("resolution.adopted", data, "c1"))


def test_a_purchase_resolution_drafts_a_project_with_its_open_contracting_id(monkeypatch):
    monkeypatch.setenv("GONGZHI_OCID_PREFIX", "ocds-test01")
    uow, clock = FakeUnitOfWork(), FixedClock(NOW)
    project = projects.draft_project_from_resolution(uow, clock, resolution("purchase_service"))
    assert project is not None
    (kept,) = uow.all(Project)
    assert kept is project and project.ocid == f"ocds-test01-{project.id}"
    assert (project.status, project.created_at, project.budget) == (
        ProjectStatus.DRAFT,
        NOW,
        Decimal("128000.00"),
    )
    assert project.weights == domain.DEFAULT_WEIGHTS
    assert [(e["type"], e["data"]["source_resolution_id"]) for e in uow.events] == [("project.drafted", "r1")]


def test_other_resolutions_are_handled_and_draft_nothing():
    uow = FakeUnitOfWork()
    assert projects.draft_project_from_resolution(uow, FixedClock(NOW), resolution("other")) is None
    assert (uow.all(Project), uow.events, uow.committed) == ([], [], 1)


def test_an_assessment_enters_the_organisations_reputation():
    uow = FakeUnitOfWork()
    data = {
        "organisation_id": "org-1",
        "contract_id": "k1",
        "score": "95.0",
        "grade": "excellent",
        "assessed_at": NOW,
    }
    awards.record_assessment(
        uow, FixedClock(NOW), parse_event(new_event("organisation.assessed", data, "c1"))
    )
    (assessment,) = uow.all(Assessment)
    assert (assessment.organisation_id, assessment.score) == ("org-1", Decimal("95.0"))


@pytest.mark.parametrize(
    ("opened_at", "status", "unsealed"),
    [
        (None, BidStatus.SUBMITTED, False),  # before the opening, nobody but the bidder
        (NOW, BidStatus.SUBMITTED, True),
        (NOW, BidStatus.WITHDRAWN, False),  # sealed for ever
        (NOW, BidStatus.TO_RECONFIRM, False),
        (NOW + timedelta(days=1), "submitted", True),  # as a row reads it back: a plain string
    ],
)
def test_the_sealed_bid_rule_on_a_rows_values(opened_at, status, unsealed):
    assert domain.unsealed(opened_at, status) is unsealed


def test_the_same_sealed_bid_rule_is_the_sql_condition():
    condition = str(domain.unsealed(Project.opened_at, Bid.status).compile())
    assert condition == "project.opened_at IS NOT NULL AND bid.status = :status_1"
