"""The words of project matching (社会组织项目对接), owned by the matching service and read by the
gateway: its error codes, the statuses clients see and filter by, and the kinds of its records.

The rules over these words (which status follows which) are the service's (``services.matching.domain``).
"""

from enum import StrEnum


class ErrorCode(StrEnum):
    """Every code the matching service answers with (``DomainError.code``, ``InvalidInput`` items)."""

    # The common ones (shared.vocabulary.common), answered by this service too.
    INVALID = "invalid"
    NOT_FOUND = "not_found"
    PERMISSION_DENIED = "permission_denied"
    CONFLICT = "conflict"
    REQUIRED = "required"  # a value the rule needs is missing (a reason, a budget, a category)
    # The registry.
    DUPLICATE = "duplicate"  # a credit code registered already; an entry claimed already
    BAD_CHECK_CHARACTER = "bad_check_character"  # a credit code whose 18th character does not check
    NOT_PENDING = "not_pending"  # a filing not awaiting review
    NOT_APPROVED = "not_approved"  # only an approved organisation is suspended
    NOT_SUSPENDED = "not_suspended"
    # Projects and their terms.
    IN_PAST = "in_past"  # a bid deadline that is not in the future
    DRAFT = "draft"  # a draft's deadline is set when it is published
    NOT_PUBLISHED = "not_published"
    EARLIER = "earlier"  # a published deadline only moves later
    TOO_SOON = "too_soon"  # a change leaves the bidders less than a day to submit again
    SHORTER = "shorter"  # a published standstill period never shortens
    UNKNOWN_CRITERION = "unknown_criterion"
    NOT_100 = "not_100"  # weights that do not sum to 100
    NOT_CANCELLABLE = "not_cancellable"
    # Sealed bids.
    DEADLINE_PASSED = "deadline_passed"
    OVER_BUDGET = "over_budget"
    NOT_ELIGIBLE = "not_eligible"
    # Evaluation, award and complaints.
    NOT_EVALUATING = "not_evaluating"
    CONFLICT_OF_INTEREST = "conflict_of_interest"
    UNSCORED_BIDS = "unscored_bids"
    NOT_RANKED = "not_ranked"
    INVALID_BID = "invalid_bid"  # a bid that is not ranked is not awarded
    NO_AWARD = "no_award"
    NOT_IN_STANDSTILL = "not_in_standstill"
    RESOLVED = "resolved"  # a complaint decided already
    # Demand and resource lists.
    NOT_OPEN = "not_open"
    DECIDED = "decided"  # a claim confirmed or declined already
    NOT_MATCHED = "not_matched"  # only a confirmed match is delivered


class FilingStatus(StrEnum):
    """An organisation's filing with its sub-district office."""

    PENDING = "pending"
    APPROVED = "approved"
    CHANGES_REQUESTED = "changes_requested"
    REJECTED = "rejected"
    SUSPENDED = "suspended"


class FilingDecision(StrEnum):
    APPROVE = "approve"
    REQUEST_CHANGES = "request_changes"
    REJECT = "reject"


class LegalForm(StrEnum):
    SOCIAL_GROUP = "social_group"  # 社会团体
    PRIVATE_NON_ENTERPRISE = "private_non_enterprise"  # 民办非企业单位
    FOUNDATION = "foundation"  # 基金会


class Purchaser(StrEnum):
    """Who buys a project's service: the community (its committee) or the office (街道购买)."""

    RESIDENTS_COMMITTEE = "residents_committee"
    STREET_OFFICE = "street_office"


class ProjectStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"  # open for sealed bids until the deadline
    EVALUATING = "evaluating"  # opened, the committee scores and ranks
    STANDSTILL = "standstill"  # an award waits for complaints
    AWARDED = "awarded"
    UNSUCCESSFUL = "unsuccessful"  # too few valid bids at the opening
    CANCELLED = "cancelled"


class BidStatus(StrEnum):
    SUBMITTED = "submitted"  # the one valid status: only such bids are opened
    WITHDRAWN = "withdrawn"
    TO_RECONFIRM = "to_reconfirm"  # the terms changed after it was submitted


class AwardStatus(StrEnum):
    PENDING = "pending"  # through the standstill period
    FINAL = "final"
    ANNULLED = "annulled"  # a complaint was upheld


class ComplaintStatus(StrEnum):
    OPEN = "open"
    UPHELD = "upheld"
    DISMISSED = "dismissed"
    MOOT = "moot"  # another complaint annulled the award first


class NoticeKind(StrEnum):
    """What an organisation is told about a project."""

    PUBLISHED = "published"
    TERMS_CHANGED = "terms_changed"
    UNSUCCESSFUL = "unsuccessful"
    AWARD_PROPOSED = "award_proposed"
    AWARD_FINAL = "award_final"
    AWARD_ANNULLED = "award_annulled"
    COMPLAINT_DISMISSED = "complaint_dismissed"
    CANCELLED = "cancelled"


class EntryKind(StrEnum):
    DEMAND = "demand"  # the community's demand list (需求清单), kept by the committee
    RESOURCE = "resource"  # a joint-building unit's resource list (资源清单)


class EntryOrigin(StrEnum):
    RESIDENTS = "residents"
    MEETING = "meeting"
    UNIT = "unit"


class EntryStatus(StrEnum):
    OPEN = "open"
    MATCHED = "matched"
    DELIVERED = "delivered"


class ClaimStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    DECLINED = "declined"


class Criterion(StrEnum):
    """The evaluation criteria a project weighs (in percent, summing to 100)."""

    PRICE = "price"
    PLAN_QUALITY = "plan_quality"
    EXPERIENCE = "experience"
    REPUTATION = "reputation"


class ProjectOrder(StrEnum):
    """The orders of the projects list, as the wire names them ("-" reads descending)."""

    BID_DEADLINE = "bid_deadline"
    BUDGET_DESC = "-budget"
    TITLE = "title"
