"""marshmallow schemas of the matching service's RPC inputs and outputs.

Every input field is one of ``shared.fields``: the one validation layer of every service.
"""

from marshmallow import Schema, fields, post_load, validate

from services.matching import commands, scoring
from shared.event_payloads import Money as MoneyOut
from shared.fields import AwareDateTime, Bool, Date, Id, Int, Money, Text, Title
from shared.validation import CommandSchema
from shared.vocabulary.matching import EntryKind, EntryOrigin, FilingDecision, LegalForm, Purchaser

NAME = validate.Length(min=1, max=200)
PURCHASERS = [p.value for p in Purchaser]
LEGAL_FORMS = [f.value for f in LegalForm]


class RegisterOrganisation(CommandSchema):
    class Meta:
        command = commands.RegisterOrganisation

    # The code's form and check character are the domain's rule (check_credit_code).
    credit_code = Title(required=True, validate=validate.Length(max=40))
    name = Title(required=True, validate=NAME)
    legal_form = Title(required=True, validate=validate.OneOf(LEGAL_FORMS))
    categories = fields.List(
        Title(validate=validate.Length(min=1, max=80)), required=True, validate=validate.Length(min=1)
    )
    community_ids = fields.List(Id(), required=True, validate=validate.Length(min=1))
    district_id = Id(required=True)  # the sub-district office it files with
    staff_count = Int(load_default=0, validate=validate.Range(min=0, max=100000))
    qualifications = fields.List(fields.Nested(lambda: Qualification()), load_default=list)


class Qualification(Schema):
    name = Title(required=True, validate=validate.Length(min=1, max=120))
    number = Title(load_default="", validate=validate.Length(max=120))
    expires_on = Date(required=True)

    @post_load
    def _as_text(self, data, **_):
        return {**data, "expires_on": data["expires_on"].isoformat()}


class UpdateFiling(CommandSchema):
    class Meta:
        command = commands.UpdateFiling

    name = Title(validate=NAME)
    categories = fields.List(Title(validate=validate.Length(min=1, max=80)), validate=validate.Length(min=1))
    community_ids = fields.List(Id(), validate=validate.Length(min=1))
    staff_count = Int(validate=validate.Range(min=0, max=100000))
    qualifications = fields.List(fields.Nested(Qualification))


class ReviewFiling(CommandSchema):
    class Meta:
        command = commands.ReviewFiling

    organisation_id = Id(required=True)
    decision = Title(required=True, validate=validate.OneOf([d.value for d in FilingDecision]))
    reason = Text(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class SetSuspension(CommandSchema):
    class Meta:
        command = commands.SetSuspension

    organisation_id = Id(required=True)
    suspend = Bool(required=True)
    reason = Text(required=True, validate=validate.Length(min=1, max=2000))


class CreateProject(CommandSchema):
    class Meta:
        command = commands.CreateProject

    title = Title(required=True, validate=NAME)
    description = Text(load_default="", validate=validate.Length(max=10000))
    category = Title(required=True, validate=validate.Length(min=1, max=80))
    budget = Money(required=True, validate=validate.Range(min=0, min_inclusive=False))
    required_qualifications = fields.List(Title(validate=validate.Length(min=1, max=120)), load_default=list)
    period_start = Date(load_default=None, allow_none=True)
    period_end = Date(load_default=None, allow_none=True)
    weights = fields.Dict(
        keys=Title(validate=validate.Length(min=1, max=40)), values=Int(), load_default=None, allow_none=True
    )
    standstill_days = Int(load_default=5, validate=validate.Range(min=0, max=60))
    min_valid_bids = Int(load_default=1, validate=validate.Range(min=1, max=50))
    purchaser = Title(load_default=Purchaser.RESIDENTS_COMMITTEE.value, validate=validate.OneOf(PURCHASERS))
    demand_id = Id(load_default=None, allow_none=True)


class PublishProject(CommandSchema):
    class Meta:
        command = commands.PublishProject

    # That the deadline is still to come is the domain's rule (check_publish), with its own code.
    project_id = Id(required=True)
    bid_deadline = AwareDateTime(required=True)


class SubmitBid(CommandSchema):
    class Meta:
        command = commands.SubmitBid

    project_id = Id(required=True)
    price = Money(required=True)
    plan = Text(required=True, validate=validate.Length(min=1, max=20000))
    team = Text(required=True, validate=validate.Length(min=1, max=5000))
    timeline = Text(required=True, validate=validate.Length(min=1, max=5000))


class WithdrawBid(CommandSchema):
    class Meta:
        command = commands.WithdrawBid

    project_id = Id(required=True)


class ChangeTerms(CommandSchema):
    class Meta:
        command = commands.ChangeTerms

    project_id = Id(required=True)
    description = Text(validate=validate.Length(max=10000))
    budget = Money(validate=validate.Range(min=0, min_inclusive=False))
    required_qualifications = fields.List(Title(validate=validate.Length(min=1, max=120)))
    bid_deadline = AwareDateTime()
    period_start = Date()
    period_end = Date()
    weights = fields.Dict(keys=Title(validate=validate.Length(min=1, max=40)), values=Int())
    standstill_days = Int(validate=validate.Range(min=0, max=60))
    min_valid_bids = Int(validate=validate.Range(min=1, max=50))
    purchaser = Title(validate=validate.OneOf(PURCHASERS))


class AwardProject(CommandSchema):
    class Meta:
        command = commands.AwardProject

    project_id = Id(required=True)
    bid_id = Id(required=True)
    reason = Text(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class ProjectRef(CommandSchema):
    class Meta:
        command = commands.ProjectRef

    project_id = Id(required=True)


class DeclareConflict(CommandSchema):
    class Meta:
        command = commands.DeclareConflict

    project_id = Id(required=True)
    bid_id = Id(required=True)
    note = Text(required=True, validate=validate.Length(min=1, max=2000))


SCORE = validate.Range(min=0, max=100)


class ScoreBid(CommandSchema):
    class Meta:
        command = commands.ScoreBid

    project_id = Id(required=True)
    bid_id = Id(required=True)
    plan_quality = Int(required=True, validate=SCORE)
    experience = Int(required=True, validate=SCORE)


class FileComplaint(CommandSchema):
    class Meta:
        command = commands.FileComplaint

    project_id = Id(required=True)
    grounds = Text(required=True, validate=validate.Length(min=1, max=5000))


class ResolveComplaint(CommandSchema):
    class Meta:
        command = commands.ResolveComplaint

    complaint_id = Id(required=True)
    uphold = Bool(required=True)
    resolution = Text(required=True, validate=validate.Length(min=1, max=5000))


class CancelProject(CommandSchema):
    class Meta:
        command = commands.CancelProject

    project_id = Id(required=True)
    reason = Text(required=True, validate=validate.Length(min=1, max=2000))


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
    budget = MoneyOut()
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
    scoring_rules = fields.Constant(scoring.SCORING_RULES)


class BidOut(Schema):
    id = fields.Str()
    project_id = fields.Str()
    organisation_id = fields.Str()
    price = MoneyOut()
    plan = fields.Str()
    digest = fields.Str()
    submitted_at = fields.AwareDateTime()
    status = fields.Str()
    team = fields.Str()
    timeline = fields.Str()
    scores = fields.Dict(allow_none=True)
    total = MoneyOut(allow_none=True)
    rank = fields.Int(allow_none=True)


class AwardOut(Schema):
    id = fields.Str()
    project_id = fields.Str()
    bid_id = fields.Str()
    organisation_id = fields.Str()
    value = MoneyOut()
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


class ListEntryIn(CommandSchema):
    class Meta:
        command = commands.AddListEntry

    kind = Title(required=True, validate=validate.OneOf([k.value for k in EntryKind]))
    title = Title(required=True, validate=NAME)
    description = Text(load_default="", validate=validate.Length(max=5000))
    category = Title(required=True, validate=validate.Length(min=1, max=80))
    origin = Title(
        load_default=EntryOrigin.RESIDENTS.value, validate=validate.OneOf([o.value for o in EntryOrigin])
    )


class ClaimEntry(CommandSchema):
    class Meta:
        command = commands.ClaimEntry

    entry_id = Id(required=True)
    note = Text(load_default="", validate=validate.Length(max=2000))


class DecideClaim(CommandSchema):
    class Meta:
        command = commands.DecideClaim

    claim_id = Id(required=True)
    confirm = Bool(required=True)


class RecordDelivery(CommandSchema):
    class Meta:
        command = commands.RecordDelivery

    claim_id = Id(required=True)
    note = Text(required=True, validate=validate.Length(min=1, max=2000))
    completed = Bool(load_default=False)


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
