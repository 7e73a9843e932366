"""Rules of purchased-service contracts: terms, payments, lifecycle, amendments, evaluations."""

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.contracts import domain
from shared.errors import Conflict, InvalidInput
from shared.identity import PartyType, Principal
from shared.vocabulary.contracts import ContractStatus

START, END = date(2027, 1, 1), date(2027, 12, 31)
FEN1 = Decimal("0.01")


def milestone(key, share, title=None, due_on=date(2027, 6, 30), criteria="report accepted by the committee"):
    return {
        "key": key,
        "title": title or f"phase {key}",
        "due_on": due_on,
        "criteria": criteria,
        "share": share,
    }


def terms(value=Decimal("100000.00"), shares=("30", "70")):
    return {
        "value": value,
        "period_start": START,
        "period_end": END,
        "deliverables": ["weekly elderly care visits"],
        "milestones": [milestone(f"m{n}", Decimal(s)) for n, s in enumerate(shares, start=1)],
    }


def check(t):
    domain.check_terms(t["value"], t["period_start"], t["period_end"], t["milestones"], t["deliverables"])


def fields_and_codes(raised):
    return {(e["field"], e["code"]) for e in raised.value.errors}


def party(party_type, party_id="p1", district="d1", community="c1", compound=None):
    return Principal("a1", party_type, party_id, district, community, compound)


# Terms -------------------------------------------------------------------------------------


def test_valid_terms_pass():
    check(terms())


def test_the_shares_must_sum_to_exactly_100_and_the_sum_is_named():
    with pytest.raises(InvalidInput) as raised:
        check(terms(shares=("30", "69.99")))
    (error,) = raised.value.errors
    assert (error["field"], error["code"]) == ("milestones", "shares_not_100")
    assert "99.99" in error["message"]


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (Decimal("100.001"), "too_precise"),
        (Decimal("0"), "not_positive"),
        (Decimal("-5.00"), "not_positive"),
        (Decimal("1e15"), "too_large"),
        (Decimal("NaN"), "invalid"),
        (100.5, "invalid"),  # a float never becomes money
    ],
)
def test_the_value_is_positive_decimal_cny_exact_to_the_fen(value, code):
    t = terms()
    t["value"] = value
    with pytest.raises(InvalidInput) as raised:
        check(t)
    assert fields_and_codes(raised) == {("value", code)}


def test_trailing_zeros_are_still_exact_to_the_fen():
    check(terms(value=Decimal("100.500")))


@pytest.mark.parametrize("end", [START, START - timedelta(days=1)])
def test_the_period_ends_after_it_starts(end):
    t = terms()
    t["period_end"] = end
    with pytest.raises(InvalidInput) as raised:
        check(t)
    assert ("period_end", "invalid") in fields_and_codes(raised)


def test_a_missing_period_is_named():
    with pytest.raises(InvalidInput) as raised:
        domain.check_terms(Decimal(1), None, None, terms()["milestones"])
    assert fields_and_codes(raised) == {("period_start", "required"), ("period_end", "required")}


def test_every_milestone_fault_is_named():
    t = terms(shares=("0", "100"))
    t["milestones"][0].update(title=" ", criteria="", due_on=END + timedelta(days=1))
    t["milestones"].append(milestone("m3", Decimal(-1), title="phase m2", due_on=None))
    with pytest.raises(InvalidInput) as raised:
        check(t)
    assert fields_and_codes(raised) == {
        ("milestones.0.title", "required"),
        ("milestones.0.criteria", "required"),
        ("milestones.0.due_on", "outside_period"),
        ("milestones.0.share", "not_positive"),
        ("milestones", "duplicate_title"),
        ("milestones.2.due_on", "required"),
        ("milestones.2.share", "not_positive"),
    }


def test_due_dates_on_the_period_bounds_are_within_it():
    t = terms()
    t["milestones"][0]["due_on"], t["milestones"][1]["due_on"] = START, END
    check(t)


def test_a_contract_needs_a_milestone():
    with pytest.raises(InvalidInput) as raised:
        domain.check_terms(Decimal(1), START, END, [])
    assert fields_and_codes(raised) == {("milestones", "required")}


def test_keys_are_unique_and_deliverables_say_something():
    t = terms()
    t["milestones"][1]["key"] = "m1"
    t["deliverables"] = ["visits", "  "]
    with pytest.raises(InvalidInput) as raised:
        check(t)
    assert fields_and_codes(raised) == {("milestones", "duplicate_key"), ("deliverables.1", "required")}


# Payments ----------------------------------------------------------------------------------


def test_the_left_over_fen_go_to_the_largest_remainders_earlier_first():
    thirds = [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]
    assert domain.milestone_payments(Decimal("100.00"), thirds) == [
        Decimal("33.33"),
        Decimal("33.33"),
        Decimal("33.34"),
    ]
    # 0.01 split 50/50: one fen left, the tie goes to the first milestone.
    assert domain.milestone_payments(Decimal("0.01"), [Decimal(50), Decimal(50)]) == [FEN1, Decimal(0)]
    # 10.00 at 12.345% / 87.655% → 1.2345 / 8.7655: the second has the larger remainder.
    assert domain.milestone_payments(Decimal("10.00"), [Decimal("12.345"), Decimal("87.655")]) == [
        Decimal("1.23"),
        Decimal("8.77"),
    ]


def test_payments_refuse_shares_that_do_not_make_100():
    with pytest.raises(InvalidInput) as raised:
        domain.milestone_payments(Decimal(100), [Decimal(50), Decimal(49)])
    assert raised.value.errors[0]["code"] == "shares_not_100"


values = st.integers(min_value=1, max_value=10**14 - 1).map(lambda fen: Decimal(fen) / 100)


@st.composite
def share_lists(draw):
    """Positive shares with up to 3 decimals summing to exactly 100."""
    cuts = draw(st.lists(st.integers(1, 99_999), max_size=8, unique=True).map(sorted))
    points = [0, *cuts, 100_000]
    return [Decimal(b - a) / 1000 for a, b in zip(points, points[1:], strict=False)]


@given(values, share_lists())
def test_payments_always_sum_exactly_to_the_value_within_a_fen_of_each_share(value, shares):
    payments = domain.milestone_payments(value, shares)
    assert sum(payments) == value
    for payment, share in zip(payments, shares, strict=True):
        assert payment == payment.quantize(FEN1)
        assert abs(payment - value * share / 100) < FEN1
    assert payments == domain.milestone_payments(value, shares)


# Lifecycle ---------------------------------------------------------------------------------


def test_the_lifecycle_is_explicit():
    assert set(domain.TRANSITIONS) == set(ContractStatus)
    assert domain.TRANSITIONS["draft"] == {"signed", "terminated"}
    assert domain.TRANSITIONS["completed"] == domain.TRANSITIONS["terminated"] == frozenset()


def test_approval_is_needed_only_above_the_threshold():
    assert domain.needs_approval(Decimal("500000.01"), Decimal(500000))
    assert not domain.needs_approval(Decimal("500000.00"), Decimal(500000))


def test_both_sides_sign_then_the_contract_is_signed():
    status, signatures = domain.sign("draft", set(), "provider", False, False)
    assert (status, signatures) == ("draft", {"provider"})
    assert domain.sign(status, signatures, "purchaser", False, False) == ("signed", {"provider", "purchaser"})


def test_signing_does_not_change_the_given_signatures():
    given_signatures = {"provider"}
    domain.sign("draft", given_signatures, "purchaser", False, False)
    assert given_signatures == {"provider"}


@pytest.mark.parametrize(
    ("status", "signatures", "needs", "approved", "code"),
    [
        ("draft", set(), True, False, "approval_required"),
        ("draft", {"purchaser"}, False, False, "already_signed"),
        ("signed", set(), False, False, "not_draft"),
    ],
)
def test_signing_is_refused(status, signatures, needs, approved, code):
    with pytest.raises(Conflict) as raised:
        domain.sign(status, signatures, "purchaser", needs, approved)
    assert (raised.value.field, raised.value.code) == ("contract_id", code)


def test_an_approved_contract_above_the_threshold_can_be_signed():
    assert domain.sign("draft", set(), "purchaser", True, True)[0] == "draft"


def test_only_the_two_sides_sign():
    with pytest.raises(InvalidInput) as raised:
        domain.sign("draft", set(), "owners", False, False)
    assert raised.value.field == "side"


@pytest.mark.parametrize(
    ("status", "needs", "approved", "code"),
    [
        ("signed", True, False, "not_draft"),
        ("draft", False, False, "approval_not_needed"),
        ("draft", True, True, "already_approved"),
    ],
)
def test_approval_is_given_once_to_a_draft_that_needs_it(status, needs, approved, code):
    domain.check_approval("draft", True, False)
    with pytest.raises(Conflict) as raised:
        domain.check_approval(status, needs, approved)
    assert raised.value.code == code


def test_the_office_of_the_district_approves():
    assert domain.may_approve(party(PartyType.STREET_OFFICE), "d1")
    assert not domain.may_approve(party(PartyType.STREET_OFFICE), "d2")
    assert not domain.may_approve(party(PartyType.RESIDENTS_COMMITTEE), "d1")


def test_the_signing_side_follows_the_party():
    sides = {"purchaser_id": "rc1", "organisation_id": "org1"}
    assert domain.signing_side(party(PartyType.RESIDENTS_COMMITTEE, "rc1"), **sides) == "purchaser"
    assert domain.signing_side(party(PartyType.STREET_OFFICE, "rc1"), **sides) == "purchaser"
    assert domain.signing_side(party(PartyType.SOCIAL_ORGANISATION, "org1"), **sides) == "provider"
    assert domain.signing_side(party(PartyType.RESIDENTS_COMMITTEE, "rc2"), **sides) is None
    assert domain.signing_side(party(PartyType.OWNERS_COMMITTEE, "org1"), **sides) is None


def test_a_sub_district_office_that_buys_signs_as_the_purchaser_of_its_district():
    bought = {"purchaser_id": None, "organisation_id": "org1", "purchaser_type": "street_office"}
    office = Principal("a", PartyType.STREET_OFFICE, "so1", district_id="d1")
    other = Principal("b", PartyType.STREET_OFFICE, "so2", district_id="d2")
    assert domain.signing_side(office, **bought, district_id="d1") == "purchaser"
    assert domain.signing_side(other, **bought, district_id="d1") is None
    assert (
        domain.signing_side(party(PartyType.RESIDENTS_COMMITTEE, "rc1"), **bought, district_id="d1") is None
    )


def test_a_signed_contract_starts():
    assert domain.check_activate("signed") == "active"
    with pytest.raises(Conflict) as raised:
        domain.check_activate("draft")
    assert raised.value.code == "not_signed"


def test_completion_needs_every_milestone_accepted():
    assert domain.check_complete("active", ["accepted", "accepted"]) == "completed"
    with pytest.raises(Conflict) as raised:
        domain.check_complete("active", ["accepted", "delivered", "overdue"])
    assert raised.value.code == "milestones_open" and "2 milestone" in raised.value.message
    with pytest.raises(Conflict) as raised:
        domain.check_complete("active", [])
    assert raised.value.code == "milestones_open"
    with pytest.raises(Conflict) as raised:
        domain.check_complete("signed", ["accepted"])
    assert raised.value.code == "not_active"


@pytest.mark.parametrize("status", ["draft", "signed", "active"])
def test_a_running_contract_terminates_with_a_reason(status):
    assert domain.check_terminate(status, "the provider withdrew") == "terminated"
    with pytest.raises(InvalidInput) as raised:
        domain.check_terminate(status, "  ")
    assert raised.value.field == "reason"


@pytest.mark.parametrize("status", ["completed", "terminated"])
def test_a_closed_contract_does_not_terminate(status):
    with pytest.raises(Conflict) as raised:
        domain.check_terminate(status, "because")
    assert (raised.value.field, raised.value.code) == ("contract_id", "closed")


# Delivery and acceptance -------------------------------------------------------------------


@pytest.mark.parametrize("status", ["pending", "rejected", "overdue"])
def test_an_owed_milestone_is_delivered(status):
    assert domain.check_delivery("active", status) == "delivered"


def test_delivery_needs_an_active_contract_and_an_owed_milestone():
    with pytest.raises(Conflict) as raised:
        domain.check_delivery("signed", "pending")
    assert (raised.value.field, raised.value.code) == ("contract_id", "not_active")
    for status in ("accepted", "delivered"):
        with pytest.raises(Conflict) as raised:
            domain.check_delivery("active", status)
        assert (raised.value.field, raised.value.code) == ("milestone_id", f"already_{status}")


def test_a_delivered_milestone_is_accepted_or_rejected_with_a_reason():
    assert domain.check_acceptance("delivered", True, None) == "accepted"
    assert domain.check_acceptance("delivered", False, "the report lacks attendance") == "rejected"
    with pytest.raises(InvalidInput) as raised:
        domain.check_acceptance("delivered", False, "")
    assert raised.value.field == "reason"
    with pytest.raises(Conflict) as raised:
        domain.check_acceptance("pending", True, None)
    assert raised.value.code == "not_delivered"


@pytest.mark.parametrize(
    ("status", "today", "overdue"),
    [
        ("pending", date(2027, 7, 1), True),
        ("rejected", date(2027, 7, 1), True),
        ("pending", date(2027, 6, 30), False),
        ("delivered", date(2027, 7, 1), False),
        ("accepted", date(2027, 7, 1), False),
    ],
)
def test_a_milestone_still_owed_after_its_due_date_is_overdue(status, today, overdue):
    assert domain.is_overdue(status, date(2027, 6, 30), today) is overdue


# Amendments --------------------------------------------------------------------------------


def amend(changes, accepted=frozenset(), current=None, status="active", rationale="more households"):
    return domain.check_amendment(status, current or terms(), changes, rationale, set(accepted))


def test_an_amendment_returns_the_terms_it_puts_in_force():
    proposed = amend({"value": Decimal("120000.00"), "period_end": date(2028, 3, 31)})
    assert proposed == {**terms(), "value": Decimal("120000.00"), "period_end": date(2028, 3, 31)}


def test_an_amendment_needs_a_rationale_and_real_changes():
    with pytest.raises(InvalidInput) as raised:
        amend({"value": Decimal(1)}, rationale=" ")
    assert ("rationale", "required") in fields_and_codes(raised)
    with pytest.raises(InvalidInput) as raised:
        amend({"title": "x"})
    assert fields_and_codes(raised) == {("changes", "unknown_field")}
    with pytest.raises(InvalidInput) as raised:
        amend({"value": terms()["value"]})
    assert fields_and_codes(raised) == {("changes", "no_change")}


def test_an_amendment_keeps_the_terms_valid():
    with pytest.raises(InvalidInput) as raised:
        amend({"period_end": date(2027, 3, 31)})
    assert ("milestones.0.due_on", "outside_period") in fields_and_codes(raised)
    with pytest.raises(InvalidInput) as raised:
        amend({"value": Decimal("1.005")})
    assert fields_and_codes(raised) == {("value", "too_precise")}


def test_only_a_signed_or_active_contract_is_amended_one_amendment_at_a_time():
    for status in ("draft", "completed", "terminated"):
        with pytest.raises(Conflict) as raised:
            amend({"value": Decimal(1)}, status=status)
        assert raised.value.code == "not_amendable"
    with pytest.raises(Conflict) as raised:
        domain.check_amendment("active", terms(), {"value": Decimal(1)}, "r", set(), amendment_pending=True)
    assert raised.value.code == "amendment_pending"


def test_an_accepted_milestone_keeps_its_title_and_amount():
    current = terms(shares=("30", "20", "50"))
    paid, second, third = current["milestones"]
    # The unpaid milestones may change freely.
    reshaped = [paid, {**second, "share": Decimal(10)}, {**third, "share": Decimal(60), "title": "final"}]
    assert amend({"milestones": reshaped}, {"m1"}, current)["milestones"] == reshaped
    for changed in (
        [{**paid, "share": Decimal(20)}, {**second, "share": Decimal(30)}, third],
        [{**paid, "title": "renamed"}, second, third],
        [{**second, "share": Decimal(50)}, third],
    ):
        with pytest.raises(InvalidInput) as raised:
            amend({"milestones": changed}, {"m1"}, current)
        assert fields_and_codes(raised) == {("milestones", "paid_milestone_changed")}
    # The same change is fine while the milestone is unpaid.
    amend({"milestones": [{**paid, "title": "renamed"}, second, third]}, set(), current)


def test_an_accepted_milestone_keeps_its_amount_when_the_value_changes():
    # 30% of 100 000 was paid; the same 30% of 120 000 would be 36 000: its share is recomputed.
    amended = amend({"value": Decimal("120000.00")}, {"m1"})
    assert [m["share"] for m in amended["milestones"]] == [Decimal(25), Decimal(75)]
    assert domain.amounts_by_key(amended, {"m1": Decimal("30000.00")}) == {
        "m1": Decimal("30000.00"),
        "m2": Decimal("90000.00"),
    }


PAID_M1 = {"m1": Decimal("30000.00")}


def test_a_round_new_value_after_a_partial_payment_recomputes_the_paid_share():
    # 30 000 of 110 000 is 27.2727…%: no share to the hundredth keeps it, so the paid milestone
    # reads 27.27% and keeps its 30 000; the unpaid one takes the rest, 72.73% and 80 000.
    for proposal in (
        {"value": Decimal("110000.00")},  # the value alone
        {  # the shares as the proposer recomputed them: 99.99% in all, by rounding
            "value": Decimal("110000.00"),
            "milestones": [milestone("m1", Decimal("27.27")), milestone("m2", Decimal("72.72"))],
        },
        {  # or rounded the other way: 100.01%
            "value": Decimal("110000.00"),
            "milestones": [milestone("m1", Decimal("27.28")), milestone("m2", Decimal("72.73"))],
        },
    ):
        amended = amend(proposal, PAID_M1)
        assert [m["share"] for m in amended["milestones"]] == [Decimal("27.27"), Decimal("72.73")]
        assert sum(m["share"] for m in amended["milestones"]) == 100
        amounts = domain.amounts_by_key(amended, PAID_M1)
        assert amounts == {"m1": Decimal("30000.00"), "m2": Decimal("80000.00")}
        assert sum(amounts.values()) == Decimal("110000.00")


def test_the_unpaid_milestones_share_the_rest_as_proposed():
    current = terms(shares=("30", "30", "40"))
    amended = amend({"value": Decimal("110000.00")}, PAID_M1, current)
    shares = [m["share"] for m in amended["milestones"]]
    assert shares == [Decimal("27.27"), Decimal("31.17"), Decimal("41.56")]
    assert sum(shares) == 100
    amounts = domain.amounts_by_key(amended, PAID_M1)
    assert amounts["m1"] == Decimal("30000.00")
    assert sum(amounts.values()) == Decimal("110000.00")
    assert (amounts["m2"], amounts["m3"]) == (Decimal("34285.71"), Decimal("45714.29"))  # 80 000 as 30:40


def test_a_paid_share_is_recomputed_not_changed_at_will():
    with pytest.raises(InvalidInput) as raised:
        amend(
            {
                "value": Decimal("110000.00"),
                "milestones": [milestone("m1", Decimal("20")), milestone("m2", Decimal("80"))],
            },
            PAID_M1,
        )
    assert fields_and_codes(raised) == {("milestones", "paid_milestone_changed")}
    assert "27.27%" in raised.value.message and "30000.00" in raised.value.message


def test_shares_far_from_100_are_still_refused_after_a_payment():
    with pytest.raises(InvalidInput) as raised:
        amend(
            {
                "value": Decimal("110000.00"),
                "milestones": [milestone("m1", Decimal("30")), milestone("m2", Decimal("60"))],
            },
            PAID_M1,
        )
    assert fields_and_codes(raised) == {("milestones", "shares_not_100")}


def test_unpaid_milestones_need_something_left_to_pay():
    with pytest.raises(InvalidInput) as raised:
        amend({"value": Decimal("30000.00")}, PAID_M1)
    assert fields_and_codes(raised) == {("value", "below_paid")}


def test_amounts_with_nothing_paid_are_the_shares_of_the_value():
    t = terms(value=Decimal("100.01"), shares=("33.33", "33.33", "33.34"))
    expected = dict(
        zip(
            ("m1", "m2", "m3"),
            domain.milestone_payments(t["value"], [m["share"] for m in t["milestones"]]),
            strict=True,
        )
    )
    assert domain.amounts_by_key(t) == domain.amounts_by_key(t, {}) == expected


@given(
    st.integers(min_value=1, max_value=99),
    st.integers(min_value=100, max_value=10**9),
    st.integers(min_value=100, max_value=10**9),
    st.integers(min_value=1, max_value=5),
)
def test_any_new_value_above_what_was_paid_keeps_every_payment_and_sums_to_the_fen(
    first_share, old_fen, new_fen, unpaid_count
):
    rest = [Decimal(100 - first_share) / unpaid_count] * unpaid_count
    rest = [r.quantize(FEN1) for r in rest]
    rest[-1] += Decimal(100 - first_share) - sum(rest)
    current = terms(value=Decimal(old_fen) * FEN1, shares=(Decimal(first_share), *rest))
    paid = {"m1": domain.amounts_by_key(current)["m1"]}
    new_value = Decimal(new_fen) * FEN1
    if new_value <= paid["m1"] or new_value == current["value"]:
        return
    try:
        amended = amend({"value": new_value}, paid, current)
    except InvalidInput as refused:  # only when the rest is too small to give every unpaid share 0.01%
        assert {e["code"] for e in refused.errors} <= {"not_positive", "below_paid"}
        return
    assert sum(m["share"] for m in amended["milestones"]) == 100
    amounts = domain.amounts_by_key(amended, paid)
    assert amounts["m1"] == paid["m1"]
    assert sum(amounts.values()) == new_value
    assert all(a >= 0 for a in amounts.values())


def test_a_new_value_comes_with_shares_that_keep_what_was_paid():
    # 25% of 120 000 is the 30 000 paid at 30% of 100 000: the value may grow.
    current = terms()
    paid, rest = current["milestones"]
    rebalanced = [{**paid, "share": Decimal(25)}, {**rest, "share": Decimal(75)}]
    amended = amend({"value": Decimal("120000.00"), "milestones": rebalanced}, {"m1"}, current)
    assert domain.amounts_by_key(amended)["m1"] == Decimal("30000.00")


def test_the_value_cannot_fall_below_what_was_paid():
    current = terms(shares=("60", "40"))
    with pytest.raises(InvalidInput) as raised:
        amend({"value": Decimal("59999.99")}, {"m1"}, current)
    assert fields_and_codes(raised) == {("value", "below_paid")}
    assert "60000.00" in raised.value.message


def test_amendments_are_signed_like_the_contract_office_first_when_needed():
    with pytest.raises(Conflict) as raised:
        domain.sign_amendment("pending", set(), "provider", True, False)
    assert (raised.value.field, raised.value.code) == ("amendment_id", "approval_required")
    status, signatures = domain.sign_amendment("pending", set(), "provider", True, True)
    assert domain.sign_amendment(status, signatures, "purchaser", True, True)[0] == "approved"
    with pytest.raises(Conflict) as raised:
        domain.sign_amendment("approved", set(), "provider", False, False)
    assert raised.value.code == "not_pending"
    domain.check_amendment_approval("pending", True, False)
    with pytest.raises(Conflict):
        domain.check_amendment_approval("rejected", True, False)


def test_an_amendment_is_rejected_with_a_reason():
    assert domain.check_amendment_rejection("pending", "too costly") == "rejected"
    with pytest.raises(InvalidInput) as raised:
        domain.check_amendment_rejection("pending", None)
    assert raised.value.field == "reason"
    with pytest.raises(Conflict):
        domain.check_amendment_rejection("approved", "late")


def test_current_terms_apply_approved_amendments_in_number_order():
    versions = [
        {"number": 2, "status": "approved", "changes": {"value": Decimal(3)}},
        {"number": 0, "status": "approved", "changes": terms()},
        {"number": 3, "status": "pending", "changes": {"value": Decimal(4)}},
        {"number": 1, "status": "approved", "changes": {"value": Decimal(2), "period_end": date(2028, 1, 1)}},
        {"number": 4, "status": "rejected", "changes": {"period_start": date(2026, 1, 1)}},
    ]
    assert domain.current_terms(versions) == {**terms(), "value": Decimal(3), "period_end": date(2028, 1, 1)}


def test_current_terms_need_the_original_terms_in_full():
    with pytest.raises(ValueError):
        domain.current_terms([{"number": 0, "status": "approved", "changes": {"value": Decimal(1)}}])


amendments = st.lists(
    st.tuples(
        st.sampled_from(["pending", "approved", "rejected"]),
        st.fixed_dictionaries(
            {},
            optional={
                "value": values,
                "period_end": st.dates(date(2027, 7, 1), date(2029, 1, 1)),
                "deliverables": st.lists(st.sampled_from(["助餐", "visits", "classes"]), max_size=2),
            },
        ),
    ),
    max_size=6,
)


@given(amendments)
def test_each_term_is_the_last_approved_change_and_versions_stay_intact(changes):
    original = terms()
    versions = [{"number": 0, "status": "approved", "changes": original}] + [
        {"number": n, "status": status, "changes": change} for n, (status, change) in enumerate(changes, 1)
    ]
    snapshot = repr(versions)
    current = domain.current_terms(versions)
    for field in domain.TERMS_FIELDS:
        approved = [c[field] for s, c in changes if s == "approved" and field in c]
        assert current[field] == (approved[-1] if approved else original[field])
    current["milestones"][0]["share"] = Decimal(0)
    current["deliverables"].append("x")
    assert repr(versions) == snapshot


# Visibility --------------------------------------------------------------------------------


def test_the_existing_positional_call_still_works():
    assert domain.may_see_contract(party(PartyType.RESIDENTS_COMMITTEE), "c1", "org1")
    assert not domain.may_see_contract(party(PartyType.RESIDENTS_COMMITTEE, community="c2"), "c1", "org1")


def test_the_provider_sees_only_its_own_contracts():
    provider = party(PartyType.SOCIAL_ORGANISATION, "org1", district=None, community=None)
    assert domain.may_see_contract(provider, "c1", "org1", district_id="d1", compound_ids=[])
    assert not domain.may_see_contract(provider, "c1", "org2", district_id="d1", compound_ids=[])


def test_the_office_oversees_its_district():
    office = party(PartyType.STREET_OFFICE, community=None)
    assert domain.may_see_contract(office, "c9", "org1", district_id="d1")
    assert not domain.may_see_contract(office, "c9", "org1", district_id="d2")
    assert not domain.may_see_contract(office, "c9", "org1")  # district unknown: no oversight claimed


def test_owners_committees_see_contracts_serving_their_compound():
    owners = party(PartyType.OWNERS_COMMITTEE, compound="k1")
    assert domain.may_see_contract(owners, "c1", "o", compound_ids=["k1", "k2"])
    assert domain.may_see_contract(owners, "c1", "o", compound_ids=[])  # the whole community
    assert not domain.may_see_contract(owners, "c1", "o", compound_ids=["k2"])
    assert not domain.may_see_contract(owners, "c2", "o", compound_ids=[])
    assert not domain.may_see_contract(owners, "c1", "o")  # as before: compounds unknown


def test_other_parties_see_no_contract():
    for party_type in (PartyType.PROPERTY_COMPANY, PartyType.VOLUNTEER, PartyType.JOINT_BUILDING_UNIT):
        assert not domain.may_see_contract(party(party_type, "org1"), "c1", "org1", district_id="d1")


# Evaluations -------------------------------------------------------------------------------

SCORES = {"quality": 5, "timeliness": 4, "attitude": 5, "effect": 3}


def test_a_complete_evaluation_passes():
    domain.check_evaluation("active", SCORES, "很好", "2027-03", {"2027-02"})
    domain.check_evaluation("completed", SCORES, None, "2027-03", set())


@pytest.mark.parametrize("status", ["draft", "signed", "terminated"])
def test_only_a_running_or_completed_service_is_evaluated(status):
    with pytest.raises(Conflict) as raised:
        domain.check_evaluation(status, SCORES, None, "2027-03", set())
    assert raised.value.code == "not_evaluable"


def test_one_evaluation_per_evaluator_per_month():
    with pytest.raises(Conflict) as raised:
        domain.check_evaluation("active", SCORES, None, "2027-03", {"2027-03"})
    assert (raised.value.field, raised.value.code) == ("contract_id", "already_evaluated")


def test_every_score_fault_names_its_dimension():
    scores = {"quality": 0, "timeliness": 6, "attitude": True, "price": 3}
    with pytest.raises(InvalidInput) as raised:
        domain.check_evaluation("active", scores, "x" * 501, "2027-03", set())
    assert fields_and_codes(raised) == {
        ("scores.quality", "out_of_range"),
        ("scores.timeliness", "out_of_range"),
        ("scores.attitude", "out_of_range"),
        ("scores.effect", "required"),
        ("scores.price", "unknown_dimension"),
        ("comment", "too_long"),
    }


def test_a_comment_of_500_characters_is_allowed():
    domain.check_evaluation("active", SCORES, "评" * 500, "2027-03", set())


def test_the_period_is_the_month_in_shanghai():
    assert domain.evaluation_period(datetime(2027, 1, 31, 16, 0, tzinfo=timezone.utc)) == "2027-02"
    assert domain.evaluation_period(datetime(2027, 1, 31, 15, 59, tzinfo=timezone.utc)) == "2027-01"
    with pytest.raises(ValueError):
        domain.evaluation_period(datetime(2027, 1, 31))


def test_the_period_is_the_month_in_the_communitys_configured_zone(monkeypatch):
    monkeypatch.setenv("GONGZHI_TIMEZONE", "Asia/Urumqi")  # UTC+6: 31 Jan 16:00Z is still January there
    assert domain.evaluation_period(datetime(2027, 1, 31, 16, 0, tzinfo=timezone.utc)) == "2027-01"
    assert domain.evaluation_period(datetime(2027, 1, 31, 18, 0, tzinfo=timezone.utc)) == "2027-02"


def test_residents_evaluate_through_their_committees():
    compounds = ["k1"]
    assert domain.may_evaluate(party(PartyType.RESIDENTS_COMMITTEE), "c1", compounds)
    assert domain.may_evaluate(party(PartyType.OWNERS_COMMITTEE, compound="k1"), "c1", compounds)
    assert domain.may_evaluate(party(PartyType.OWNERS_COMMITTEE, compound="k2"), "c1", [])
    assert not domain.may_evaluate(party(PartyType.OWNERS_COMMITTEE, compound="k2"), "c1", compounds)
    assert not domain.may_evaluate(party(PartyType.RESIDENTS_COMMITTEE, community="c2"), "c1", compounds)
    assert not domain.may_evaluate(party(PartyType.SOCIAL_ORGANISATION), "c1", compounds)
    assert not domain.may_evaluate(party(PartyType.STREET_OFFICE), "c1", compounds)


def test_aggregate_means_round_half_up_and_overall_is_over_every_score():
    evaluations = [
        {"quality": 5, "timeliness": 4, "attitude": 5, "effect": 3},
        {"quality": 4, "timeliness": 4, "attitude": 4, "effect": 3},
        {"quality": 4, "timeliness": 4, "attitude": 5, "effect": 2},
        {"quality": 4, "timeliness": 5, "attitude": 5, "effect": 4},
        {"quality": 4, "timeliness": 4, "attitude": 5, "effect": 3},
        {"quality": 4, "timeliness": 4, "attitude": 5, "effect": 3},
        {"quality": 4, "timeliness": 4, "attitude": 5, "effect": 3},
        {"quality": 4, "timeliness": 4, "attitude": 5, "effect": 3},
    ]
    result = domain.aggregate(evaluations)
    assert result["count"] == 8
    assert result["means"] == {
        "quality": Decimal("4.13"),  # 4.125 rounds up
        "timeliness": Decimal("4.13"),
        "attitude": Decimal("4.88"),  # 4.875
        "effect": Decimal("3.00"),
    }
    assert result["overall"] == Decimal("4.03")  # 129 / 32 = 4.03125


def test_no_evaluations_give_no_means():
    assert domain.aggregate([]) == {"count": 0, "means": dict.fromkeys(domain.DIMENSIONS), "overall": None}


# Final assessment --------------------------------------------------------------------------


def done(due, delivered, status="accepted"):
    return {"due_on": date(2027, 6, due), "delivered_on": date(2027, 6, delivered), "status": status}


def test_milestones_and_evaluations_weigh_half_each():
    milestones = [done(10, 10), done(10, 11), done(20, 1), done(20, 20)]  # 3 of 4 on time: 75
    result = domain.final_assessment(milestones, Decimal("4.60"))  # (4.6 - 1) / 4 → 90
    assert result == {
        "milestone_score": Decimal("75.0"),
        "evaluation_score": Decimal("90.0"),
        "score": Decimal("82.5"),
        "grade": "good",
    }


def test_without_evaluations_milestones_alone_count():
    result = domain.final_assessment([done(10, 9), done(10, 11), done(10, 10)], None)
    assert result["evaluation_score"] is None
    assert (result["score"], result["grade"]) == (Decimal("66.7"), "satisfactory")


def test_a_milestone_not_accepted_is_not_on_time():
    result = domain.final_assessment([done(10, 9, "rejected"), {**done(10, 9), "delivered_on": None}], None)
    assert (result["score"], result["grade"]) == (Decimal("0.0"), "unsatisfactory")


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        (Decimal("90.0"), "excellent"),
        (Decimal("89.9"), "good"),
        (Decimal("75.0"), "good"),
        (Decimal("74.9"), "satisfactory"),
        (Decimal("60.0"), "satisfactory"),
        (Decimal("59.9"), "unsatisfactory"),
    ],
)
def test_grades_follow_the_published_bands(score, grade):
    assert domain.grade(score) == grade


def test_the_grade_follows_the_rounded_score():
    # (100 + 79.9) / 2 = 89.95 → published as 90.0, so excellent.
    result = domain.final_assessment([done(10, 10)], Decimal("4.196"))
    assert (result["score"], result["grade"]) == (Decimal("90.0"), "excellent")


def test_an_evaluation_mean_outside_1_to_5_is_a_bug():
    with pytest.raises(ValueError):
        domain.final_assessment([done(10, 10)], Decimal("5.01"))


# Budget ------------------------------------------------------------------------------------


def test_budget_lines_commit_signed_contracts_and_release_what_a_termination_leaves():
    def contract(status, value, paid, purchaser="rc1", year=2027):
        return {
            "purchaser_id": purchaser,
            "community_id": "c1",
            "year": year,
            "status": status,
            "value": Decimal(value),
            "paid": Decimal(paid),
        }

    lines = domain.budget_lines(
        [
            contract("active", "100000.10", "30000.03"),
            contract("completed", "50000.00", "50000.00"),
            contract("signed", "20000.00", "0"),
            contract("draft", "99999.00", "0"),
            contract("terminated", "40000.00", "10000.00"),
            contract("active", "1.00", "0", purchaser="so1"),
            contract("active", "2.00", "0", year=2026),
        ]
    )
    assert lines == [
        {
            "purchaser_id": "rc1",
            "community_id": "c1",
            "year": 2026,
            "committed": Decimal("2.00"),
            "paid": Decimal(0),
            "remaining": Decimal("2.00"),
        },
        {
            "purchaser_id": "rc1",
            "community_id": "c1",
            "year": 2027,
            "committed": Decimal("180000.10"),
            "paid": Decimal("90000.03"),
            "remaining": Decimal("90000.07"),
        },
        {
            "purchaser_id": "so1",
            "community_id": "c1",
            "year": 2027,
            "committed": Decimal("1.00"),
            "paid": Decimal(0),
            "remaining": Decimal("1.00"),
        },
    ]
