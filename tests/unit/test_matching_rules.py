"""Rules of project matching: credit codes, bids, award."""

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from services.matching import domain
from shared.errors import Conflict, InvalidInput, PermissionDenied

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
    parts = ("p", "o", Decimal("100.00"), "plan", "team", "timeline")
    base = domain.bid_digest(*parts)
    assert len(base) == 64
    assert base == domain.bid_digest("p", "o", Decimal("100"), "plan", "team", "timeline")
    for n, changed in enumerate(("q", "x", Decimal("100.01"), "plan.", "team!", "timeline!")):
        assert domain.bid_digest(*parts[:n], changed, *parts[n + 1 :]) != base


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
    domain.check_still_sealed(NOW + timedelta(minutes=1), NOW)
    with pytest.raises(Conflict) as raised:
        domain.check_still_sealed(NOW, NOW)
    assert raised.value.code == "deadline_passed"


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


# Opening, evaluation and award --------------------------------------------------------------


def test_opening_needs_the_minimum_number_of_valid_bids():
    assert domain.opening_outcome(2, 2) == "evaluating"
    assert domain.opening_outcome(1, 2) == "unsuccessful"


def test_the_price_score_is_the_lowest_price_over_this_price():
    assert domain.price_score(Decimal("800"), Decimal("800")) == Decimal("100.00")
    assert domain.price_score(Decimal("1200"), Decimal("800")) == Decimal("66.67")


def test_reputation_is_the_mean_assessment_and_neutral_without_history():
    assert domain.reputation_score([]) == Decimal(60)
    assert domain.reputation_score([Decimal("90"), Decimal("75.5")]) == Decimal("82.75")


def _bid(bid_id, price, minutes=0, organisation="o-" + "x"):
    return {
        "id": bid_id,
        "organisation_id": organisation,
        "price": Decimal(price),
        "submitted_at": NOW + timedelta(minutes=minutes),
    }


def test_ranking_weighs_each_criterion_and_breaks_ties_by_price_then_time():
    weights = {"price": 40, "plan_quality": 30, "experience": 20, "reputation": 10}
    ranked = domain.rank_bids(
        weights,
        [_bid("a", "1000", 0, "o1"), _bid("b", "800", 5, "o2"), _bid("c", "800", 1, "o3")],
        {"a": [(100, 100)], "b": [(50, 50), (70, 70)], "c": [(60, 60)]},
        {"o1": [Decimal(100)]},
    )
    # a: 80·.4 + 100·.3 + 100·.2 + 100·.1 = 92; b and c: 100·.4 + 60·.3 + 60·.2 + 60·.1 = 76
    assert [(b["id"], b["total"], b["rank"]) for b in ranked] == [
        ("a", Decimal("92.00"), 1),
        ("c", Decimal("76.00"), 2),
        ("b", Decimal("76.00"), 3),
    ]
    assert ranked[2]["scores"]["plan_quality"] == Decimal("60.00")


def test_a_bid_nobody_may_score_cannot_be_ranked():
    with pytest.raises(Conflict) as raised:
        domain.rank_bids(domain.DEFAULT_WEIGHTS, [_bid("a", "1")], {}, {})
    assert raised.value.code == "unscored_bids"


def test_a_conflicted_evaluator_cannot_score():
    domain.check_scoring(False)
    with pytest.raises(Conflict) as raised:
        domain.check_scoring(True)
    assert (raised.value.field, raised.value.code) == ("bid_id", "conflict_of_interest")


def test_choosing_other_than_the_first_ranked_needs_a_reason():
    domain.check_award_choice("submitted", 1, None)
    domain.check_award_choice("submitted", 2, "the first has no nurse")
    with pytest.raises(InvalidInput) as raised:
        domain.check_award_choice("submitted", 2, "  ")
    assert raised.value.errors[0]["field"] == "reason"
    with pytest.raises(Conflict):
        domain.check_award_choice("withdrawn", None, None)


def test_complaints_come_from_other_valid_bidders_during_the_standstill():
    ends = NOW + timedelta(days=5)
    domain.check_complaint("pending", ends, NOW, has_valid_bid=True, is_winner=False)
    with pytest.raises(PermissionDenied):
        domain.check_complaint("pending", ends, NOW, has_valid_bid=True, is_winner=True)
    with pytest.raises(PermissionDenied):
        domain.check_complaint("pending", ends, NOW, has_valid_bid=False, is_winner=False)
    with pytest.raises(Conflict):
        domain.check_complaint("pending", ends, ends, has_valid_bid=True, is_winner=False)
    with pytest.raises(Conflict):
        domain.check_complaint("final", ends, NOW, has_valid_bid=True, is_winner=False)


def test_an_award_is_final_after_the_standstill_with_no_open_complaint():
    ends = NOW + timedelta(days=5)
    assert not domain.may_finalise("pending", ends, NOW, 0)
    assert not domain.may_finalise("pending", ends, ends, 1)
    assert domain.may_finalise("pending", ends, ends, 0)
    assert not domain.may_finalise("annulled", ends, ends, 0)


@pytest.mark.parametrize("status", ["draft", "published", "evaluating"])
def test_a_project_is_cancelled_with_a_reason_before_the_award(status):
    domain.check_cancellation(status, "the budget was cut")
    with pytest.raises(InvalidInput):
        domain.check_cancellation(status, " ")


@pytest.mark.parametrize("status", ["standstill", "awarded", "unsuccessful", "cancelled"])
def test_a_project_past_the_award_or_ended_is_not_cancelled(status):
    with pytest.raises(Conflict):
        domain.check_cancellation(status, "why")
