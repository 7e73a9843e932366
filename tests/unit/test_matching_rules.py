"""Rules of project matching: credit codes, bids, award."""

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from services.matching import domain, scoring
from shared.errors import Conflict, InvalidInput, PermissionDenied
from shared.vocabulary.matching import AwardStatus, ErrorCode, FilingStatus, ProjectStatus

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
    d1 = {"org_district_id": "d1", "district_id": "d1", "on": NOW.date()}
    assert domain.is_eligible("approved", ["elderly_care"], ["c1"], "elderly_care", "c1", **d1)
    assert not domain.is_eligible("approved", ["elderly_care"], ["c1"], "legal_aid", "c1", **d1)
    assert not domain.is_eligible("approved", ["elderly_care"], ["c2"], "elderly_care", "c1", **d1)
    for status in ("pending", "changes_requested", "rejected", "suspended"):
        assert not domain.is_eligible(status, ["elderly_care"], ["c1"], "elderly_care", "c1", **d1)
    needs = {"qualifications": licence, "required": ["elderly_care_licence"], **d1}
    del needs["on"]
    assert domain.is_eligible(
        "approved", ["elderly_care"], ["c1"], "elderly_care", "c1", **needs, on=date(2026, 12, 31)
    )
    assert not domain.is_eligible(
        "approved", ["elderly_care"], ["c1"], "elderly_care", "c1", **needs, on=date(2027, 1, 1)
    ), "an expired licence makes it ineligible"


@pytest.mark.parametrize(
    ("org_district", "district"), [("d1", "d2"), (None, "d1"), (None, None), ("d1", None)]
)
def test_an_organisation_is_eligible_only_in_the_district_of_its_office(org_district, district):
    """Even a filing that names a community of another district (from before the filing rule) sees
    no project there: that district's office could not suspend it."""
    assert not domain.is_eligible(
        "approved",
        ["elderly_care"],
        ["c1"],
        "elderly_care",
        "c1",
        on=NOW.date(),
        org_district_id=org_district,
        district_id=district,
    )


def test_a_filing_names_communities_of_its_offices_district_only_and_hidden_ones_answer_as_unknown():
    directory = {"c1": "d1", "c2": "d1", "c9": "d9"}
    assert domain.check_communities_served(["c2", "c1", "c2"], "d1", directory) == ["c1", "c2"]
    with pytest.raises(InvalidInput) as raised:
        domain.check_communities_served(["c1", "c9", "nope"], "d1", directory)
    other_district, unknown = raised.value.errors
    assert other_district["field"] == "community_ids.1" and unknown["field"] == "community_ids.2"
    assert {k: v for k, v in other_district.items() if k != "field"} == {
        k: v for k, v in unknown.items() if k != "field"
    }, "a community of another district answers exactly like an id that does not exist"
    assert other_district["code"] == "not_found"
    with pytest.raises(InvalidInput) as raised:
        domain.check_communities_served(["c1"], None, directory)
    assert raised.value.errors[0]["field"] == "community_ids.0", "no district: no community is its own"


def test_only_terms_that_differ_count_as_changed():
    current = {"budget": Decimal("1000.00"), "weights": dict(domain.DEFAULT_WEIGHTS), "standstill_days": 5}
    asked = {"budget": Decimal("1000"), "weights": dict(domain.DEFAULT_WEIGHTS), "standstill_days": 7}
    assert domain.changed_terms(current, {**asked, "description": None}) == {"standstill_days": 7}


DEADLINE = NOW + timedelta(days=3)


def test_a_drafts_terms_change_freely_but_its_deadline_is_set_at_publication():
    assert (
        domain.check_terms_change("draft", None, 5, {"budget": Decimal(1), "standstill_days": 0}, NOW)
        is False
    )
    with pytest.raises(Conflict) as raised:
        domain.check_terms_change("draft", None, 5, {"bid_deadline": DEADLINE}, NOW)
    assert (raised.value.field, raised.value.code) == ("bid_deadline", "draft")


@pytest.mark.parametrize("status", ["evaluating", "standstill", "awarded", "cancelled", "unsuccessful"])
def test_terms_do_not_change_once_the_bids_are_opened_or_the_project_ended(status):
    with pytest.raises(Conflict) as raised:
        domain.check_terms_change(status, DEADLINE, 5, {"budget": Decimal(1)}, NOW)
    assert raised.value.code == "not_published"


def test_a_published_projects_terms_change_until_the_deadline_only():
    with pytest.raises(Conflict) as raised:
        domain.check_terms_change("published", NOW, 5, {"budget": Decimal(1)}, NOW)
    assert raised.value.code == "deadline_passed"


@pytest.mark.parametrize("earlier", [timedelta(seconds=1), timedelta(days=2, hours=23, minutes=59)])
def test_a_published_projects_deadline_never_moves_earlier(earlier):
    """Pulled forward to seconds from now, the bids would open before the time every bidder was
    promised: refused, whatever else changes with it."""
    for changes in ({}, {"budget": Decimal(1)}):
        with pytest.raises(InvalidInput) as raised:
            domain.check_terms_change(
                "published", DEADLINE, 5, {**changes, "bid_deadline": NOW + earlier}, NOW
            )
        assert [(e["field"], e["code"]) for e in raised.value.errors] == [("bid_deadline", "earlier")]


def test_a_later_deadline_alone_keeps_the_bids_made():
    assert (
        domain.check_terms_change(
            "published", DEADLINE, 5, {"bid_deadline": DEADLINE + timedelta(hours=1)}, NOW
        )
        is False
    )


def test_a_change_of_the_terms_calls_the_bids_again_and_leaves_a_day_to_answer():
    soon = NOW + domain.RECONFIRMATION_PERIOD - timedelta(seconds=1)
    with pytest.raises(InvalidInput) as raised:
        domain.check_terms_change("published", soon, 5, {"description": "weekly visits"}, NOW)
    error = raised.value.errors[0]
    assert (error["field"], error["code"]) == ("bid_deadline", "too_soon")
    assert "2026-12-02 09:00 UTC" in error["message"], "names the earliest deadline it would take"
    later = {"description": "weekly visits", "bid_deadline": NOW + domain.RECONFIRMATION_PERIOD}
    assert domain.check_terms_change("published", soon, 5, later, NOW) is True
    assert domain.check_terms_change("published", DEADLINE, 5, {"min_valid_bids": 2}, NOW) is True


def test_a_published_projects_standstill_period_never_shortens():
    with pytest.raises(InvalidInput) as raised:
        domain.check_terms_change("published", DEADLINE, 5, {"standstill_days": 4}, NOW)
    assert [(e["field"], e["code"]) for e in raised.value.errors] == [("standstill_days", "shorter")]
    assert domain.check_terms_change("published", DEADLINE, 5, {"standstill_days": 10}, NOW) is True


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
    assert scoring.opening_outcome(2, 2) == "evaluating"
    assert scoring.opening_outcome(1, 2) == "unsuccessful"


def test_the_price_score_is_the_lowest_price_over_this_price():
    assert scoring.price_score(Decimal("800"), Decimal("800")) == Decimal("100.00")
    assert scoring.price_score(Decimal("1200"), Decimal("800")) == Decimal("66.67")


def test_reputation_is_the_mean_assessment_and_neutral_without_history():
    assert scoring.reputation_score([]) == Decimal(60)
    assert scoring.reputation_score([Decimal("90"), Decimal("75.5")]) == Decimal("82.75")


def _bid(bid_id, price, minutes=0, organisation="o-" + "x"):
    return {
        "id": bid_id,
        "organisation_id": organisation,
        "price": Decimal(price),
        "submitted_at": NOW + timedelta(minutes=minutes),
    }


def test_ranking_weighs_each_criterion_and_breaks_ties_by_price_then_time():
    weights = {"price": 40, "plan_quality": 30, "experience": 20, "reputation": 10}
    ranked = scoring.rank_bids(
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
        scoring.rank_bids(domain.DEFAULT_WEIGHTS, [_bid("a", "1")], {}, {})
    assert raised.value.code == "unscored_bids"


def test_a_conflicted_evaluator_cannot_score():
    scoring.check_scoring(False)
    with pytest.raises(Conflict) as raised:
        scoring.check_scoring(True)
    assert (raised.value.field, raised.value.code) == ("bid_id", "conflict_of_interest")


def test_choosing_other_than_the_first_ranked_needs_a_reason():
    scoring.check_award_choice(1, None)
    scoring.check_award_choice(2, "the first has no nurse")
    with pytest.raises(InvalidInput) as raised:
        scoring.check_award_choice(2, "  ")
    assert raised.value.errors[0]["field"] == "reason"
    with pytest.raises(Conflict):
        scoring.check_award_choice(None, None)


def test_complaints_come_from_other_valid_bidders_during_the_standstill():
    ends = NOW + timedelta(days=5)
    scoring.check_complaint("pending", ends, NOW, has_valid_bid=True, is_winner=False)
    with pytest.raises(PermissionDenied):
        scoring.check_complaint("pending", ends, NOW, has_valid_bid=True, is_winner=True)
    with pytest.raises(PermissionDenied):
        scoring.check_complaint("pending", ends, NOW, has_valid_bid=False, is_winner=False)
    with pytest.raises(Conflict):
        scoring.check_complaint("pending", ends, ends, has_valid_bid=True, is_winner=False)
    with pytest.raises(Conflict):
        scoring.check_complaint("final", ends, NOW, has_valid_bid=True, is_winner=False)


def test_an_award_is_final_after_the_standstill_with_no_open_complaint():
    ends = NOW + timedelta(days=5)
    assert not scoring.may_finalise("pending", ends, NOW, 0)
    assert not scoring.may_finalise("pending", ends, ends, 1)
    assert scoring.may_finalise("pending", ends, ends, 0)
    assert not scoring.may_finalise("annulled", ends, ends, 0)


@pytest.mark.parametrize("status", ["draft", "published", "evaluating"])
def test_a_project_is_cancelled_with_a_reason_before_the_award(status):
    scoring.check_cancellation(status, "the budget was cut")
    with pytest.raises(InvalidInput):
        scoring.check_cancellation(status, " ")


@pytest.mark.parametrize("status", ["standstill", "awarded", "unsuccessful", "cancelled"])
def test_a_project_past_the_award_or_ended_is_not_cancelled(status):
    with pytest.raises(Conflict):
        scoring.check_cancellation(status, "why")


def test_every_status_has_its_moves_and_the_tables_say_what_the_rules_allow():
    assert set(domain.PROJECT_TRANSITIONS) == set(ProjectStatus)
    assert set(domain.FILING_TRANSITIONS) == set(FilingStatus)
    assert set(scoring.AWARD_TRANSITIONS) == set(AwardStatus)
    assert scoring.CANCELLABLE == {ProjectStatus.DRAFT, ProjectStatus.PUBLISHED, ProjectStatus.EVALUATING}
    assert not domain.may_move(domain.PROJECT_TRANSITIONS, "archived", ProjectStatus.CANCELLED)
    assert domain.may_move(domain.PROJECT_TRANSITIONS, "standstill", ProjectStatus.EVALUATING), "upheld"
    assert domain.is_public("published") and not domain.is_public(ProjectStatus.DRAFT)
    # A change of the filing sends a reviewed one back to review; a suspension stays.
    assert {s: domain.filing_after_change(s) for s in FilingStatus} == {
        FilingStatus.PENDING: FilingStatus.PENDING,
        FilingStatus.APPROVED: FilingStatus.PENDING,
        FilingStatus.CHANGES_REQUESTED: FilingStatus.PENDING,
        FilingStatus.REJECTED: FilingStatus.PENDING,
        FilingStatus.SUSPENDED: FilingStatus.SUSPENDED,
    }
    with pytest.raises(Conflict) as raised:
        domain.review_filing(FilingStatus.SUSPENDED, "approve", None)
    assert raised.value.code == ErrorCode.NOT_PENDING


def test_every_code_the_rules_answer_with_is_in_the_catalogue():
    """The codes are members of shared.vocabulary.matching.ErrorCode, never computed strings."""
    answered = []
    for attempt in (
        lambda: domain.check_credit_code("52310000MJ00000018"),
        lambda: domain.check_bid("published", NOW + timedelta(hours=1), NOW, Decimal("2"), Decimal("1")),
        lambda: domain.check_still_sealed(NOW, NOW),
        lambda: scoring.check_evaluating("published"),
        lambda: scoring.check_cancellation("awarded", "x"),
        lambda: domain.check_terms({"price": 50}, None, None),
        lambda: domain.check_terms({"luck": 100}, None, None),
    ):
        with pytest.raises((Conflict, InvalidInput)) as raised:
            attempt()
        error = raised.value
        answered += [e["code"] for e in error.errors] if isinstance(error, InvalidInput) else [error.code]
    assert answered and all(isinstance(code, ErrorCode) for code in answered), answered
