"""The words of purchased-service contracts (政府购买服务合同), owned by the contracts service and
imported by the gateway: its error codes, the statuses of contracts, milestones and amendments,
the kinds of evidence, the dimensions residents rate, the grades of the final assessment, and how
the contracts list is filtered and ordered."""

from enum import StrEnum


class ErrorCode(StrEnum):
    """Every code the contracts service answers with (``DomainError.code``, ``errors[].code``)."""

    # Common to every service.
    INVALID = "invalid"  # not acceptable as given: the error names the field
    NOT_FOUND = "not_found"  # no such record, or one the party may not see
    PERMISSION_DENIED = "permission_denied"  # the party sees the contract but may not do this

    # Terms and amendments.
    REQUIRED = "required"  # a field the terms (or an evaluation, a rejection) cannot do without
    NOT_POSITIVE = "not_positive"  # a value or share of zero or less
    TOO_LARGE = "too_large"  # a value beyond what the ledger keeps
    TOO_PRECISE = "too_precise"  # a value with a fraction of a fen
    SHARES_NOT_100 = "shares_not_100"  # the milestones' shares do not sum to 100%
    DUPLICATE_TITLE = "duplicate_title"  # two milestones with one title
    DUPLICATE_KEY = "duplicate_key"  # two milestones with one key
    OUTSIDE_PERIOD = "outside_period"  # a milestone due outside the contract's period
    UNKNOWN_FIELD = "unknown_field"  # an amendment changes something that is not a term
    NO_CHANGE = "no_change"  # an amendment that changes nothing
    BELOW_PAID = "below_paid"  # a new value below what has been paid
    PAID_MILESTONE_CHANGED = "paid_milestone_changed"  # a paid milestone's title or amount changed
    NO_TERMS = "no_terms"  # the purchaser has not set the draft's terms yet
    NOT_DRAFT = "not_draft"  # only a draft has its terms set, is approved or signed
    NOT_AMENDABLE = "not_amendable"  # only a signed or active contract is amended
    AMENDMENT_PENDING = "amendment_pending"  # one amendment at a time
    NOT_PENDING = "not_pending"  # the amendment was decided already

    # Approval and signatures.
    APPROVAL_REQUIRED = "approval_required"  # above the threshold the office approves first
    APPROVAL_NOT_NEEDED = "approval_not_needed"  # within the threshold
    ALREADY_APPROVED = "already_approved"
    ALREADY_SIGNED = "already_signed"  # this side has signed already

    # The lifecycle.
    NOT_SIGNED = "not_signed"  # only a signed contract starts
    NOT_ACTIVE = "not_active"  # deliveries, decisions and completion need an active contract
    CLOSED = "closed"  # a completed or terminated contract cannot end again
    MILESTONES_OPEN = "milestones_open"  # completion with milestones not accepted

    # Delivery and acceptance.
    ALREADY_DELIVERED = "already_delivered"  # delivered and awaiting the purchaser's decision
    ALREADY_ACCEPTED = "already_accepted"  # accepted and paid
    NOT_DELIVERED = "not_delivered"  # only a delivered milestone is accepted or rejected

    # Residents' evaluations.
    NOT_EVALUABLE = "not_evaluable"  # only an active or completed contract is evaluated
    ALREADY_EVALUATED = "already_evaluated"  # once per evaluator per month
    UNKNOWN_DIMENSION = "unknown_dimension"
    OUT_OF_RANGE = "out_of_range"  # a score not a whole number from 1 to 5
    TOO_LONG = "too_long"  # a comment longer than allowed


class ContractStatus(StrEnum):
    """draft → signed → active → completed; terminated from any state before completion."""

    DRAFT = "draft"
    SIGNED = "signed"
    ACTIVE = "active"
    COMPLETED = "completed"
    TERMINATED = "terminated"


class MilestoneStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    ACCEPTED = "accepted"  # and paid
    REJECTED = "rejected"  # to be redone
    OVERDUE = "overdue"  # still owed after its due date


class AmendmentStatus(StrEnum):
    """The status of a version of the terms: version 0 is approved from the start."""

    PENDING = "pending"
    APPROVED = "approved"  # in force
    REJECTED = "rejected"


class Side(StrEnum):
    """The two sides that sign a contract and its amendments."""

    PURCHASER = "purchaser"
    PROVIDER = "provider"


class EvidenceKind(StrEnum):
    DOCUMENT = "document"
    ATTENDANCE = "attendance"
    NOTE = "note"
    VOLUNTEER_SHIFT = "volunteer_shift"  # attached by the service when a shift is completed


# What a provider may deliver as evidence itself (volunteer shifts come from the volunteers).
DELIVERED_EVIDENCE = (EvidenceKind.DOCUMENT, EvidenceKind.ATTENDANCE, EvidenceKind.NOTE)


class Dimension(StrEnum):
    """What residents rate in an evaluation (居民评议), each from 1 to 5."""

    QUALITY = "quality"
    TIMELINESS = "timeliness"
    ATTITUDE = "attitude"
    EFFECT = "effect"


class Grade(StrEnum):
    """The final assessment's grade."""

    EXCELLENT = "excellent"  # 优秀
    GOOD = "good"  # 良好
    SATISFACTORY = "satisfactory"  # 合格
    UNSATISFACTORY = "unsatisfactory"  # 不合格


class ContractOrder(StrEnum):
    """The orders of the contracts list, as the list RPC takes them (``page.order_by``)."""

    AWARDED_AT_DESC = "-awarded_at"
    VALUE_DESC = "-value"
    TITLE_ASC = "title"


DEFAULT_CONTRACT_ORDER = ContractOrder.AWARDED_AT_DESC
# The filters of the contracts list (``page.filter``): status equals one of ContractStatus.
CONTRACT_FILTERS = ("status",)
