"""marshmallow schemas of the matching service's RPC inputs and outputs."""

from marshmallow import Schema, fields, post_load, validate

from services.matching import domain
from shared.events import Money

NAME = validate.Length(min=1, max=200)
PURCHASERS = ("residents_committee", "street_office")
LEGAL_FORMS = ("social_group", "private_non_enterprise", "foundation")


class RegisterOrganisation(Schema):
    credit_code = fields.Str(required=True)
    name = fields.Str(required=True, validate=NAME)
    legal_form = fields.Str(required=True, validate=validate.OneOf(LEGAL_FORMS))
    categories = fields.List(
        fields.Str(validate=validate.Length(min=1, max=80)), required=True, validate=validate.Length(min=1)
    )
    community_ids = fields.List(fields.Str(), required=True, validate=validate.Length(min=1))
    district_id = fields.Str(load_default=None, allow_none=True)
    staff_count = fields.Int(load_default=0, validate=validate.Range(min=0, max=100000))
    qualifications = fields.List(fields.Nested(lambda: Qualification()), load_default=list)


class Qualification(Schema):
    name = fields.Str(required=True, validate=validate.Length(min=1, max=120))
    number = fields.Str(load_default="", validate=validate.Length(max=120))
    expires_on = fields.Date(required=True)

    @post_load
    def _as_text(self, data, **_):
        return {**data, "expires_on": data["expires_on"].isoformat()}


class UpdateFiling(Schema):
    name = fields.Str(validate=NAME)
    categories = fields.List(
        fields.Str(validate=validate.Length(min=1, max=80)), validate=validate.Length(min=1)
    )
    community_ids = fields.List(fields.Str(), validate=validate.Length(min=1))
    staff_count = fields.Int(validate=validate.Range(min=0, max=100000))
    qualifications = fields.List(fields.Nested(Qualification))


class ReviewFiling(Schema):
    organisation_id = fields.Str(required=True)
    decision = fields.Str(required=True, validate=validate.OneOf(["approve", "request_changes", "reject"]))
    reason = fields.Str(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class SetSuspension(Schema):
    organisation_id = fields.Str(required=True)
    suspend = fields.Bool(required=True)
    reason = fields.Str(required=True, validate=validate.Length(min=1, max=2000))


class CreateProject(Schema):
    title = fields.Str(required=True, validate=NAME)
    description = fields.Str(load_default="", validate=validate.Length(max=10000))
    category = fields.Str(required=True, validate=validate.Length(min=1, max=80))
    budget = Money(required=True, validate=validate.Range(min=0, min_inclusive=False))
    required_qualifications = fields.List(
        fields.Str(validate=validate.Length(min=1, max=120)), load_default=list
    )
    period_start = fields.Date(load_default=None, allow_none=True)
    period_end = fields.Date(load_default=None, allow_none=True)
    weights = fields.Dict(keys=fields.Str(), values=fields.Int(), load_default=None, allow_none=True)
    standstill_days = fields.Int(load_default=5, validate=validate.Range(min=0, max=60))
    min_valid_bids = fields.Int(load_default=1, validate=validate.Range(min=1, max=50))
    purchaser = fields.Str(load_default="residents_committee", validate=validate.OneOf(PURCHASERS))
    demand_id = fields.Str(load_default=None, allow_none=True)


class PublishProject(Schema):
    project_id = fields.Str(required=True)
    bid_deadline = fields.AwareDateTime(required=True)


class SubmitBid(Schema):
    project_id = fields.Str(required=True)
    price = Money(required=True)
    plan = fields.Str(required=True, validate=validate.Length(min=1, max=20000))
    team = fields.Str(required=True, validate=validate.Length(min=1, max=5000))
    timeline = fields.Str(required=True, validate=validate.Length(min=1, max=5000))


class WithdrawBid(Schema):
    project_id = fields.Str(required=True)


class ChangeTerms(Schema):
    project_id = fields.Str(required=True)
    description = fields.Str(validate=validate.Length(max=10000))
    budget = Money(validate=validate.Range(min=0, min_inclusive=False))
    required_qualifications = fields.List(fields.Str(validate=validate.Length(min=1, max=120)))
    bid_deadline = fields.AwareDateTime()
    period_start = fields.Date()
    period_end = fields.Date()
    weights = fields.Dict(keys=fields.Str(), values=fields.Int())
    standstill_days = fields.Int(validate=validate.Range(min=0, max=60))
    min_valid_bids = fields.Int(validate=validate.Range(min=1, max=50))
    purchaser = fields.Str(validate=validate.OneOf(PURCHASERS))


class AwardProject(Schema):
    project_id = fields.Str(required=True)
    bid_id = fields.Str(required=True)
    reason = fields.Str(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class ProjectRef(Schema):
    project_id = fields.Str(required=True)


class DeclareConflict(Schema):
    project_id = fields.Str(required=True)
    bid_id = fields.Str(required=True)
    note = fields.Str(required=True, validate=validate.Length(min=1, max=2000))


SCORE = validate.Range(min=0, max=100)


class ScoreBid(Schema):
    project_id = fields.Str(required=True)
    bid_id = fields.Str(required=True)
    plan_quality = fields.Int(required=True, validate=SCORE)
    experience = fields.Int(required=True, validate=SCORE)


class FileComplaint(Schema):
    project_id = fields.Str(required=True)
    grounds = fields.Str(required=True, validate=validate.Length(min=1, max=5000))


class ResolveComplaint(Schema):
    complaint_id = fields.Str(required=True)
    uphold = fields.Bool(required=True)
    resolution = fields.Str(required=True, validate=validate.Length(min=1, max=5000))


class CancelProject(Schema):
    project_id = fields.Str(required=True)
    reason = fields.Str(required=True, validate=validate.Length(min=1, max=2000))


class OrganisationOut(Schema):
    id = fields.Str()
    credit_code = fields.Str()
    name = fields.Str()
    legal_form = fields.Str()
    categories = fields.List(fields.Str())
    community_ids = fields.List(fields.Str())
    status = fields.Str()
    district_id = fields.Str(allow_none=True)
    staff_count = fields.Int()
    qualifications = fields.List(fields.Dict())
    review_note = fields.Str(allow_none=True)


class ProjectOut(Schema):
    id = fields.Str()
    ocid = fields.Str()
    community_id = fields.Str()
    title = fields.Str()
    description = fields.Str()
    category = fields.Str()
    budget = Money()
    bid_deadline = fields.AwareDateTime(allow_none=True)
    status = fields.Str()
    source_resolution_id = fields.Str(allow_none=True)
    required_qualifications = fields.List(fields.Str())
    period_start = fields.Date(allow_none=True)
    period_end = fields.Date(allow_none=True)
    weights = fields.Dict()
    standstill_days = fields.Int()
    min_valid_bids = fields.Int()
    purchaser = fields.Str()
    source_demand_id = fields.Str(allow_none=True)
    published_at = fields.AwareDateTime(allow_none=True)
    opened_at = fields.AwareDateTime(allow_none=True)
    ranked_at = fields.AwareDateTime(allow_none=True)
    ended_reason = fields.Str(allow_none=True)
    scoring_rules = fields.Constant(domain.SCORING_RULES)


class BidOut(Schema):
    id = fields.Str()
    project_id = fields.Str()
    organisation_id = fields.Str()
    price = Money()
    plan = fields.Str()
    digest = fields.Str()
    submitted_at = fields.AwareDateTime()
    status = fields.Str()
    team = fields.Str()
    timeline = fields.Str()
    scores = fields.Dict(allow_none=True)
    total = Money(allow_none=True)
    rank = fields.Int(allow_none=True)


class AwardOut(Schema):
    id = fields.Str()
    project_id = fields.Str()
    bid_id = fields.Str()
    organisation_id = fields.Str()
    value = Money()
    awarded_at = fields.AwareDateTime()
    status = fields.Str()
    reason = fields.Str(allow_none=True)
    standstill_ends_at = fields.AwareDateTime(allow_none=True)
    finalised_at = fields.AwareDateTime(allow_none=True)


class EvaluationOut(Schema):
    id = fields.Str()
    project_id = fields.Str()
    bid_id = fields.Str()
    evaluator_id = fields.Str()
    conflict = fields.Str(allow_none=True)
    plan_quality = fields.Int(allow_none=True)
    experience = fields.Int(allow_none=True)
    recorded_at = fields.AwareDateTime()


class ComplaintOut(Schema):
    id = fields.Str()
    project_id = fields.Str()
    organisation_id = fields.Str()
    award_round = fields.Int()
    grounds = fields.Str()
    status = fields.Str()
    resolution = fields.Str(allow_none=True)
    filed_at = fields.AwareDateTime()
    resolved_at = fields.AwareDateTime(allow_none=True)


class NoticeOut(Schema):
    id = fields.Str()
    project_id = fields.Str()
    kind = fields.Str()
    message = fields.Str()
    created_at = fields.AwareDateTime()


class ListEntryIn(Schema):
    kind = fields.Str(required=True, validate=validate.OneOf(["demand", "resource"]))
    title = fields.Str(required=True, validate=NAME)
    description = fields.Str(load_default="", validate=validate.Length(max=5000))
    category = fields.Str(required=True, validate=validate.Length(min=1, max=80))
    origin = fields.Str(load_default="residents", validate=validate.OneOf(["residents", "meeting", "unit"]))


class ClaimEntry(Schema):
    entry_id = fields.Str(required=True)
    note = fields.Str(load_default="", validate=validate.Length(max=2000))


class DecideClaim(Schema):
    claim_id = fields.Str(required=True)
    confirm = fields.Bool(required=True)


class RecordDelivery(Schema):
    claim_id = fields.Str(required=True)
    note = fields.Str(required=True, validate=validate.Length(min=1, max=2000))
    completed = fields.Bool(load_default=False)


class ListEntryOut(Schema):
    id = fields.Str()
    community_id = fields.Str()
    kind = fields.Str()
    title = fields.Str()
    description = fields.Str()
    category = fields.Str()
    owner_id = fields.Str()
    owner_type = fields.Str()
    origin = fields.Str()
    status = fields.Str()
    created_at = fields.AwareDateTime()


class ClaimOut(Schema):
    id = fields.Str()
    entry_id = fields.Str()
    claimant_id = fields.Str()
    claimant_type = fields.Str()
    note = fields.Str()
    status = fields.Str()
    deliveries = fields.List(fields.Dict())
    created_at = fields.AwareDateTime()
