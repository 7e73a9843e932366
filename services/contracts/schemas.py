"""marshmallow schemas of the contracts service's RPC inputs and outputs.

Every input field is one of ``shared.fields``: the one validation layer of every service.
"""

from marshmallow import Schema, fields, validate

from services.contracts import commands
from shared.event_payloads import Money as MoneyOut
from shared.fields import Bool, Date, Id, Int, Money, Percent, Text, Title
from shared.validation import CommandSchema
from shared.vocabulary.contracts import DELIVERED_EVIDENCE

TEXT = validate.Length(min=1, max=2000)


class ContractRef(CommandSchema):
    class Meta:
        command = commands.ContractCommand

    contract_id = Id(required=True)


class MilestoneIn(Schema):
    key = Title(load_default=None, allow_none=True, validate=validate.Length(max=40))
    title = Title(required=True, validate=validate.Length(min=1, max=200))
    due_on = Date(required=True)
    criteria = Text(required=True, validate=validate.Length(min=1, max=5000))
    share = Percent(required=True)
    volunteer_skill = Title(load_default=None, allow_none=True, validate=validate.Length(min=1, max=80))
    volunteer_places = Int(load_default=None, allow_none=True, validate=validate.Range(min=1, max=100))


class SetTerms(ContractRef):
    class Meta:
        command = commands.SetTerms

    period_start = Date(required=True)
    period_end = Date(required=True)
    deliverables = fields.List(
        Text(validate=validate.Length(min=1, max=500)), required=True, validate=validate.Length(min=1)
    )
    milestones = fields.List(fields.Nested(MilestoneIn), required=True)
    compound_ids = fields.List(Id(), load_default=list)


class Evidence(Schema):
    kind = Title(required=True, validate=validate.OneOf([k.value for k in DELIVERED_EVIDENCE]))
    reference = Title(load_default="", validate=validate.Length(max=500))
    count = Int(load_default=None, allow_none=True, validate=validate.Range(min=0))
    note = Text(load_default="", validate=validate.Length(max=2000))


class DeliverMilestone(ContractRef):
    class Meta:
        command = commands.DeliverMilestone

    milestone_id = Id(required=True)
    evidence = fields.List(fields.Nested(Evidence), required=True, validate=validate.Length(min=1))


class DecideMilestone(ContractRef):
    class Meta:
        command = commands.DecideMilestone

    milestone_id = Id(required=True)
    accept = Bool(required=True)
    reason = Text(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class ProposeAmendment(ContractRef):
    class Meta:
        command = commands.ProposeAmendment

    rationale = Text(required=True, validate=TEXT)
    value = Money(load_default=None, allow_none=True)
    period_start = Date(load_default=None, allow_none=True)
    period_end = Date(load_default=None, allow_none=True)
    deliverables = fields.List(
        Text(validate=validate.Length(min=1, max=500)), load_default=None, allow_none=True
    )
    milestones = fields.List(fields.Nested(MilestoneIn), load_default=None, allow_none=True)


class AmendmentRef(ContractRef):
    class Meta:
        command = commands.AmendmentCommand

    amendment_id = Id(required=True)


class RejectAmendment(AmendmentRef):
    class Meta:
        command = commands.RejectAmendment

    reason = Text(required=True, validate=TEXT)


class Terminate(ContractRef):
    class Meta:
        command = commands.TerminateContract

    reason = Text(required=True, validate=validate.Length(max=2000))


class Evaluate(ContractRef):
    class Meta:
        command = commands.EvaluateContract

    # Each score is checked by the domain (a whole number from 1 to 5, per dimension it names).
    scores = fields.Dict(
        keys=Title(validate=validate.Length(min=1, max=40)), values=fields.Raw(), required=True
    )
    comment = Text(load_default=None, allow_none=True)


class ContractOut(Schema):
    id = fields.Str()
    project_id = fields.Str()
    ocid = fields.Str()
    community_id = fields.Str()
    district_id = fields.Str(allow_none=True)
    purchaser_type = fields.Str()
    organisation_id = fields.Str()
    organisation_name = fields.Str()
    title = fields.Str()
    value = MoneyOut()
    status = fields.Str()
    awarded_at = fields.AwareDateTime()
    created_at = fields.AwareDateTime()
    compound_ids = fields.List(fields.Str())
    period_start = fields.Date(allow_none=True)
    period_end = fields.Date(allow_none=True)
    deliverables = fields.List(fields.Str())
    approved_at = fields.AwareDateTime(allow_none=True)
    signatures = fields.Dict()
    assessment = fields.Dict(allow_none=True)
    ended_reason = fields.Str(allow_none=True)


class MilestoneOut(Schema):
    id = fields.Str()
    contract_id = fields.Str()
    key = fields.Str()
    title = fields.Str()
    due_on = fields.Date()
    criteria = fields.Str()
    share = fields.Decimal(as_string=True)
    status = fields.Str()
    volunteer_skill = fields.Str(allow_none=True)
    volunteer_places = fields.Int(allow_none=True)
    evidence = fields.List(fields.Dict())
    delivered_on = fields.Date(allow_none=True)
    decision_note = fields.Str(allow_none=True)
    decided_at = fields.AwareDateTime(allow_none=True)


class PaymentOut(Schema):
    id = fields.Str()
    contract_id = fields.Str()
    milestone_id = fields.Str()
    amount = MoneyOut()
    paid_at = fields.AwareDateTime()


class VersionOut(Schema):
    id = fields.Str()
    contract_id = fields.Str()
    number = fields.Int()
    status = fields.Str()
    changes = fields.Dict()
    rationale = fields.Str()
    signatures = fields.Dict()
    approved_at = fields.AwareDateTime(allow_none=True)
    decided_at = fields.AwareDateTime(allow_none=True)
    reason = fields.Str(allow_none=True)
    proposed_at = fields.AwareDateTime()


class TransitionOut(Schema):
    id = fields.Str()
    contract_id = fields.Str()
    action = fields.Str()
    from_status = fields.Str(allow_none=True)
    to_status = fields.Str()
    party_type = fields.Str()
    party_id = fields.Str()
    note = fields.Str(allow_none=True)
    at = fields.AwareDateTime()


class EvaluationOut(Schema):
    id = fields.Str()
    contract_id = fields.Str()
    evaluator_id = fields.Str()
    evaluator_type = fields.Str()
    period = fields.Str()
    scores = fields.Dict()
    comment = fields.Str(allow_none=True)
    created_at = fields.AwareDateTime()


class SummaryOut(Schema):
    contract_id = fields.Str()
    count = fields.Int()
    means = fields.Dict(keys=fields.Str(), values=fields.Decimal(as_string=True, allow_none=True))
    overall = fields.Decimal(as_string=True, allow_none=True)


class BudgetLineOut(Schema):
    purchaser_id = fields.Str()
    purchaser_type = fields.Function(lambda line: line["purchaser_id"].split(":")[0])
    community_id = fields.Str()
    year = fields.Int()
    committed = MoneyOut()
    paid = MoneyOut()
    remaining = MoneyOut()
