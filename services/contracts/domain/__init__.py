"""Rules of purchased-service contracts (政府购买服务合同), in plain Python: no nameko, no
database. One module per part of the domain; the names every caller uses are gathered here.

* ``parties``: who sees a contract, signs it for which side, approves and evaluates it
* ``terms``: the terms (value, period, deliverables, milestones) and what each milestone is worth
* ``lifecycle``: statuses and their transitions, approval, signatures, the budget
* ``milestones``: delivery, acceptance or rejection, the deadline
* ``amendments``: proposing, approving, signing and rejecting new terms
* ``evaluations``: residents' evaluations and the final assessment
"""

from services.contracts.domain.amendments import (
    AMENDABLE_STATUSES,
    HUNDREDTH,
    check_amendment,
    check_amendment_approval,
    check_amendment_rejection,
    paid_share,
    sign_amendment,
)
from services.contracts.domain.common import FEN, MAX_VALUE
from services.contracts.domain.evaluations import (
    COMMENT_MAX,
    DIMENSIONS,
    EVALUABLE,
    FAILING_GRADE,
    GRADES,
    SCORE_RANGE,
    aggregate,
    check_evaluation,
    evaluation_period,
    final_assessment,
    grade,
)
from services.contracts.domain.lifecycle import (
    COMMITTING,
    SIDES,
    TRANSITIONS,
    budget_lines,
    check_activate,
    check_approval,
    check_complete,
    check_terminate,
    needs_approval,
    sign,
)
from services.contracts.domain.milestones import (
    DELIVERABLE,
    MILESTONE_STATUSES,
    OWED,
    check_acceptance,
    check_active,
    check_delivery,
    is_overdue,
)
from services.contracts.domain.parties import (
    PURCHASER_TYPES,
    keeps_a_budget,
    may_approve,
    may_evaluate,
    may_see_contract,
    sees_every_evaluation,
    serves_compound,
    signing_side,
)
from services.contracts.domain.terms import (
    TERMS_FIELDS,
    amounts_by_key,
    check_terms,
    current_terms,
    milestone_payments,
)

__all__ = [
    "AMENDABLE_STATUSES",
    "COMMENT_MAX",
    "COMMITTING",
    "DELIVERABLE",
    "DIMENSIONS",
    "EVALUABLE",
    "FAILING_GRADE",
    "FEN",
    "GRADES",
    "HUNDREDTH",
    "MAX_VALUE",
    "MILESTONE_STATUSES",
    "OWED",
    "PURCHASER_TYPES",
    "SCORE_RANGE",
    "SIDES",
    "TERMS_FIELDS",
    "TRANSITIONS",
    "aggregate",
    "amounts_by_key",
    "budget_lines",
    "check_acceptance",
    "check_activate",
    "check_active",
    "check_amendment",
    "check_amendment_approval",
    "check_amendment_rejection",
    "check_approval",
    "check_complete",
    "check_delivery",
    "check_evaluation",
    "check_terminate",
    "check_terms",
    "current_terms",
    "evaluation_period",
    "final_assessment",
    "grade",
    "is_overdue",
    "keeps_a_budget",
    "may_approve",
    "may_evaluate",
    "may_see_contract",
    "milestone_payments",
    "needs_approval",
    "paid_share",
    "sees_every_evaluation",
    "serves_compound",
    "sign",
    "sign_amendment",
    "signing_side",
]
