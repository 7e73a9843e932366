"""Rules of project matching: credit codes, bids, award."""

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from services.matching import domain
from shared.errors import Conflict, InvalidInput

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y43",  # a published example of a company's code
        "52310000MJ00000017",
    ],
)
def test_a_code_with_the_right_check_character_is_accepted(code):
    first17 = code[:17]
    valid = first17 + domain.credit_code_check_character(first17)
    assert domain.check_credit_code(valid.lower()) == valid


def test_the_published_example_code_checks():
    assert domain.credit_code_check_character("91350100M000100Y4") == "3"


def test_a_wrong_check_character_is_named():
    with pytest.raises(InvalidInput) as raised:
        domain.check_credit_code("91350100M000100Y44")
    error = raised.value.errors[0]
    assert (error["field"], error["code"]) == ("credit_code", "bad_check_character")
    assert "give 3" in error["message"]


@pytest.mark.parametrize(
    ("code", "words"),
    [("91350100M000100Y4", "18 characters"), ("91350100M000100YI3", "credit code: I")],
)
def test_malformed_codes_are_refused(code, words):
    with pytest.raises(InvalidInput) as raised:
        domain.check_credit_code(code)
    assert words in raised.value.errors[0]["message"]


def test_the_digest_depends_on_every_part_of_the_bid():
    base = domain.bid_digest("p", "o", Decimal("100.00"), "plan")
    assert len(base) == 64
    assert base == domain.bid_digest("p", "o", Decimal("100"), "plan")
    assert base != domain.bid_digest("p", "o", Decimal("100.01"), "plan")
    assert base != domain.bid_digest("p", "o", Decimal("100.00"), "plan.")
    assert base != domain.bid_digest("p", "x", Decimal("100.00"), "plan")


def test_a_bid_over_budget_names_the_price():
    with pytest.raises(InvalidInput) as raised:
        domain.check_bid("published", NOW + timedelta(days=1), NOW, Decimal("100.01"), Decimal("100.00"))
    assert raised.value.errors[0]["field"] == "price"
    assert raised.value.errors[0]["code"] == "over_budget"


def test_a_bid_after_the_deadline_is_refused():
    with pytest.raises(Conflict) as raised:
        domain.check_bid("published", NOW, NOW, Decimal("10"), Decimal("100"))
    assert raised.value.code == "deadline_passed"


def test_a_bid_within_budget_before_the_deadline_passes():
    domain.check_bid("published", NOW + timedelta(seconds=1), NOW, Decimal("100.00"), Decimal("100.00"))


def test_bids_stay_sealed_until_the_deadline():
    assert not domain.bids_are_open(None, NOW)
    assert not domain.bids_are_open(NOW + timedelta(seconds=1), NOW)
    assert domain.bids_are_open(NOW, NOW)
    with pytest.raises(Conflict) as raised:
        domain.check_award("published", NOW + timedelta(minutes=1), NOW)
    assert raised.value.code == "bids_sealed"


def test_weights_sum_to_100_over_the_known_criteria_and_the_period_ends_after_it_starts():
    from datetime import date

    domain.check_terms(domain.DEFAULT_WEIGHTS, date(2027, 1, 1), date(2027, 12, 31))
    with pytest.raises(InvalidInput) as raised:
        domain.check_terms({"price": 50, "plan_quality": 30, "experience": 10, "reputation": 5}, None, None)
    assert raised.value.errors[0]["field"] == "weights" and "not 95" in raised.value.errors[0]["message"]
    with pytest.raises(InvalidInput) as raised:
        domain.check_terms({"price": 100, "charm": 0}, date(2027, 1, 1), date(2026, 1, 1))
    assert [e["field"] for e in raised.value.errors] == ["weights", "period_end"]


def test_a_specialist_with_experience_fits_best():
    assert domain.fit(["elderly_care"], 10, 2, "elderly_care") > domain.fit(
        ["elderly_care"], 50, 0, "elderly_care"
    )
    assert domain.fit(["elderly_care"], 10, 0, "elderly_care") > domain.fit(
        ["elderly_care", "x"], 10, 0, "elderly_care"
    )


def test_only_a_draft_is_published_and_only_with_a_future_deadline():
    with pytest.raises(Conflict):
        domain.check_publish("published", NOW + timedelta(days=1), NOW)
    with pytest.raises(InvalidInput) as raised:
        domain.check_publish("draft", NOW, NOW)
    assert raised.value.errors[0]["field"] == "bid_deadline"


def test_eligibility_needs_approval_category_area_and_valid_qualifications():
    from datetime import date

    licence = [{"name": "elderly_care_licence", "expires_on": "2026-12-31"}]
    assert domain.is_eligible("approved", ["elderly_care"], ["c1"], "elderly_care", "c1")
    assert not domain.is_eligible("approved", ["elderly_care"], ["c1"], "legal_aid", "c1")
    assert not domain.is_eligible("approved", ["elderly_care"], ["c2"], "elderly_care", "c1")
    for status in ("pending", "changes_requested", "rejected", "suspended"):
        assert not domain.is_eligible(status, ["elderly_care"], ["c1"], "elderly_care", "c1")
    needs = {"qualifications": licence, "required": ["elderly_care_licence"]}
    assert domain.is_eligible(
        "approved", ["elderly_care"], ["c1"], "elderly_care", "c1", **needs, on=date(2026, 12, 31)
    )
    assert not domain.is_eligible(
        "approved", ["elderly_care"], ["c1"], "elderly_care", "c1", **needs, on=date(2027, 1, 1)
    ), "an expired licence makes it ineligible"


def test_the_office_reviews_a_filing_and_says_why_when_it_is_not_approved():
    assert domain.review_filing("pending", "approve", None) == "approved"
    assert (
        domain.review_filing("changes_requested", "request_changes", "add the licence") == "changes_requested"
    )
    with pytest.raises(InvalidInput) as raised:
        domain.review_filing("pending", "reject", " ")
    assert raised.value.errors[0]["field"] == "reason"
    with pytest.raises(Conflict):
        domain.review_filing("approved", "approve", None)


def test_only_an_approved_organisation_is_suspended_and_only_a_suspended_one_reinstated():
    assert domain.check_suspension("approved", True) == "suspended"
    assert domain.check_suspension("suspended", False) == "approved"
    with pytest.raises(Conflict):
        domain.check_suspension("pending", True)
    with pytest.raises(Conflict):
        domain.check_suspension("approved", False)
