"""Purchased-service contracts in the GraphQL schema: terms, signatures, milestones and their
delivery, payments, amendments, residents' evaluations and the budget."""

from __future__ import annotations

from datetime import date

import graphene

from gateway.schema.common import (
    Date,
    DateTime,
    Money,
    Node,
    expose,
    fetched_by,
    global_id,
    one_of,
    only_for,
    rpc_mutation,
)
from gateway.schema.connections import connection, list_field
from gateway.schema.context import context, then
from gateway.schema.directory import Place
from gateway.schema.matching import Organisation
from shared.identity import PartyType
from shared.vocabulary import contracts as words

RC, ORG, SO, OC = (
    PartyType.RESIDENTS_COMMITTEE,
    PartyType.SOCIAL_ORGANISATION,
    PartyType.STREET_OFFICE,
    PartyType.OWNERS_COMMITTEE,
)


class Evidence(graphene.ObjectType):
    kind = graphene.String(required=True, description=one_of(words.EvidenceKind))
    reference = graphene.String(description="A document's reference, or the volunteer shift's id.")
    count = graphene.Int(description="An attendance count.")
    hours = graphene.String(description="A volunteer shift's hours.")
    note = graphene.String()
    at = DateTime()


@fetched_by("contracts", "get_milestones")
class Milestone(graphene.ObjectType):
    class Meta:
        interfaces = (Node,)

    title = graphene.String(required=True)
    due_on = Date(required=True)
    criteria = graphene.String(required=True, description="How the purchaser will accept it.")
    share = graphene.String(required=True, description="Percentage of the value paid on acceptance.")
    status = graphene.String(required=True, description=one_of(words.MilestoneStatus))
    volunteer_skill = graphene.String(description="Volunteers the milestone needs, and how many.")
    volunteer_places = graphene.Int()
    evidence = graphene.List(graphene.NonNull(Evidence), required=True)
    delivered_on = Date()
    decision_note = graphene.String(description="Why a delivery was rejected.")
    decided_at = DateTime()

    @staticmethod
    def resolve_evidence(root, info):
        return [
            Evidence(**{k: v for k, v in e.items() if k in Evidence._meta.fields}) for e in root["evidence"]
        ]


@fetched_by("contracts", "get_payments")
class Payment(graphene.ObjectType):
    """The payment transaction recorded when a milestone is accepted."""

    class Meta:
        interfaces = (Node,)

    amount = Money(required=True)
    paid_at = DateTime(required=True)
    milestone_id = graphene.ID(required=True)

    @staticmethod
    def resolve_milestone_id(root, info):
        return global_id("Milestone", root["milestone_id"])


@fetched_by("contracts", "get_versions")
class Amendment(graphene.ObjectType):
    """A version of the terms: number 0 is the original; the others amendments with a rationale."""

    class Meta:
        interfaces = (Node,)

    number = graphene.Int(required=True)
    status = graphene.String(required=True, description=f"{one_of(words.AmendmentStatus)} (in force)")
    rationale = graphene.String(required=True)
    changes = graphene.JSONString(required=True, description="The terms it sets.")
    signed_by = graphene.List(graphene.NonNull(graphene.String), required=True)
    approved_by_office_at = DateTime()
    decided_at = DateTime()
    reason = graphene.String(description="Why it was rejected.")

    @staticmethod
    def resolve_signed_by(root, info):
        return sorted(root["signatures"])

    @staticmethod
    def resolve_approved_by_office_at(root, info):
        return root["approved_at"]


class ContractStep(graphene.ObjectType):
    """Who did what to the contract, and when."""

    action = graphene.String(required=True)
    from_status = graphene.String()
    to_status = graphene.String(required=True)
    party_type = graphene.String(required=True)
    note = graphene.String()
    at = DateTime(required=True)


class DimensionScores(graphene.ObjectType):
    quality = graphene.Float()
    timeliness = graphene.Float()
    attitude = graphene.Float()
    effect = graphene.Float()


class EvaluationSummary(graphene.ObjectType):
    """How many evaluated and the mean per dimension (1–5); never who."""

    count = graphene.Int(required=True)
    means = graphene.Field(DimensionScores, required=True)
    overall = graphene.Float()

    @staticmethod
    def resolve_means(root, info):
        return DimensionScores(**{k: None if v is None else float(v) for k, v in root["means"].items()})


@fetched_by("contracts", "get_evaluations")
class ContractEvaluation(graphene.ObjectType):
    """One residents' evaluation (居民评议), with who gave it (not in the provider's view)."""

    class Meta:
        interfaces = (Node,)

    evaluator_type = graphene.String(required=True)
    period = graphene.String(required=True, description="The month evaluated, YYYY-MM.")
    scores = graphene.Field(DimensionScores, required=True)
    comment = graphene.String()
    created_at = DateTime(required=True)

    @staticmethod
    def resolve_scores(root, info):
        return DimensionScores(**root["scores"])


class Assessment(graphene.ObjectType):
    """The final assessment at completion: milestones on time and residents' evaluations."""

    milestone_score = graphene.Float(required=True)
    evaluation_score = graphene.Float()
    score = graphene.Float(required=True)
    grade = graphene.String(required=True, description=one_of(words.Grade))


def _by_contract(method: str):
    def resolve(root, info):
        return context(info).load_many("contracts", method, root["id"], "contract_id")

    return resolve


@fetched_by("contracts", "get_contracts")
class Contract(graphene.ObjectType):
    """A government-purchased service contract (政府购买服务合同)."""

    class Meta:
        interfaces = (Node,)

    ocid = graphene.String(required=True)
    title = graphene.String(required=True)
    purchaser_type = graphene.String(
        required=True, description="residents_committee or street_office: whose agent signs and accepts"
    )
    value = Money(required=True, description="The value under the terms in force.")
    status = graphene.String(required=True, description=one_of(words.ContractStatus))
    awarded_at = DateTime(required=True)
    provider = graphene.Field(Organisation, required=True)
    period_start = Date()
    period_end = Date()
    deliverables = graphene.List(graphene.NonNull(graphene.String), required=True)
    served_compounds = graphene.List(
        graphene.NonNull(graphene.ID), required=True, description="Place ids; none: the whole community."
    )
    approved_by_office_at = DateTime(description="The sub-district office's approval, above the threshold.")
    signed_by = graphene.List(
        graphene.NonNull(graphene.String), required=True, description=f"Of {one_of(words.Side)}."
    )
    ended_reason = graphene.String()
    assessment = graphene.Field(Assessment)
    milestones = graphene.List(
        graphene.NonNull(Milestone), required=True, resolver=_by_contract("list_milestones")
    )
    payments = graphene.List(graphene.NonNull(Payment), required=True, resolver=_by_contract("list_payments"))
    amendments = graphene.List(
        graphene.NonNull(Amendment), required=True, resolver=_by_contract("list_versions")
    )
    history = graphene.List(
        graphene.NonNull(ContractStep), required=True, resolver=_by_contract("list_transitions")
    )
    # Who evaluated: never in the provider's view (it has the summary).
    evaluations = only_for(
        RC,
        SO,
        OC,
        field=graphene.List(
            graphene.NonNull(ContractEvaluation), required=True, resolver=_by_contract("list_evaluations")
        ),
    )
    evaluation_summary = graphene.Field(EvaluationSummary, required=True)

    @staticmethod
    def resolve_provider(root, info):
        return context(info).load_one("matching", "get_organisations", root["organisation_id"])

    @staticmethod
    def resolve_period_start(root, info):
        return date.fromisoformat(root["period_start"]) if root["period_start"] else None

    @staticmethod
    def resolve_period_end(root, info):
        return date.fromisoformat(root["period_end"]) if root["period_end"] else None

    @staticmethod
    def resolve_served_compounds(root, info):
        return [global_id("Place", c) for c in root["compound_ids"]]

    @staticmethod
    def resolve_approved_by_office_at(root, info):
        return root["approved_at"]

    @staticmethod
    def resolve_signed_by(root, info):
        return sorted(root["signatures"])

    @staticmethod
    def resolve_assessment(root, info):
        found = root["assessment"]
        if not found:
            return None
        return Assessment(**{k: v if k == "grade" or v is None else float(v) for k, v in found.items()})

    @staticmethod
    def resolve_evaluation_summary(root, info):
        return then(
            context(info).load_many("contracts", "evaluation_summaries", root["id"], "contract_id"),
            lambda rows: rows[0],
        )


ContractConnection = connection(Contract)


class ContractFilter(graphene.InputObjectType):
    status = graphene.String(description=one_of(words.ContractStatus))


ContractOrder = graphene.Enum.from_enum(words.ContractOrder)


def contracts_field():
    return list_field(ContractConnection, ("contracts", "list_contracts"), ContractFilter, ContractOrder)


class BudgetLine(graphene.ObjectType):
    """Per purchaser, community and year: committed (signed, active, completed), paid, remaining."""

    purchaser_type = graphene.String(required=True, description="residents_committee or street_office")
    community = graphene.Field(Place)
    year = graphene.Int(required=True)
    committed = Money(required=True)
    paid = Money(required=True)
    remaining = Money(required=True)

    @staticmethod
    def resolve_community(root, info):
        return context(info).load_one("meetings", "get_places", root["community_id"])


# Mutations ------------------------------------------------------------------------------------

CONTRACT = {"contract_id": "Contract"}
MILESTONE = {"contract_id": "Contract", "milestone_id": "Milestone"}
AMENDMENT = {"contract_id": "Contract", "amendment_id": "Amendment"}


class MilestoneInput(graphene.InputObjectType):
    key = graphene.String(description="Keep a milestone's key when amending it; new ones get one.")
    title = graphene.String(required=True)
    due_on = Date(required=True)
    criteria = graphene.String(required=True)
    share = graphene.String(required=True, description='Percent of the value, e.g. "30"; all sum to 100.')
    volunteer_skill = graphene.String()
    volunteer_places = graphene.Int()


class SetContractTermsInput(graphene.InputObjectType):
    contract_id = graphene.ID(required=True)
    period_start = Date(required=True)
    period_end = Date(required=True)
    deliverables = graphene.List(graphene.NonNull(graphene.String), required=True)
    milestones = graphene.List(graphene.NonNull(MilestoneInput), required=True)
    compound_ids = graphene.List(
        graphene.NonNull(graphene.ID), description="Compounds served (Place ids); none: the whole community."
    )


class ContractInput(graphene.InputObjectType):
    contract_id = graphene.ID(required=True)


class EvidenceInput(graphene.InputObjectType):
    kind = graphene.String(
        required=True, description=" or ".join(kind.value for kind in words.DELIVERED_EVIDENCE)
    )
    reference = graphene.String()
    count = graphene.Int()
    note = graphene.String()


class DeliverMilestoneInput(graphene.InputObjectType):
    contract_id = graphene.ID(required=True)
    milestone_id = graphene.ID(required=True)
    evidence = graphene.List(graphene.NonNull(EvidenceInput), required=True)


class MilestoneDecisionInput(graphene.InputObjectType):
    contract_id = graphene.ID(required=True)
    milestone_id = graphene.ID(required=True)
    reason = graphene.String(description="Required to reject.")


class ProposeAmendmentInput(graphene.InputObjectType):
    contract_id = graphene.ID(required=True)
    rationale = graphene.String(required=True)
    value = Money()
    period_start = Date()
    period_end = Date()
    deliverables = graphene.List(graphene.NonNull(graphene.String))
    milestones = graphene.List(graphene.NonNull(MilestoneInput))


class AmendmentInput(graphene.InputObjectType):
    contract_id = graphene.ID(required=True)
    amendment_id = graphene.ID(required=True)


class RejectAmendmentInput(graphene.InputObjectType):
    contract_id = graphene.ID(required=True)
    amendment_id = graphene.ID(required=True)
    reason = graphene.String(required=True)


class TerminateContractInput(graphene.InputObjectType):
    contract_id = graphene.ID(required=True)
    reason = graphene.String(required=True)


class ScoresInput(graphene.InputObjectType):
    """Each from 1 to 5."""

    quality = graphene.Int(required=True)
    timeliness = graphene.Int(required=True)
    attitude = graphene.Int(required=True)
    effect = graphene.Int(required=True)


class EvaluateContractInput(graphene.InputObjectType):
    contract_id = graphene.ID(required=True)
    scores = ScoresInput(required=True)
    comment = graphene.String()


def _contract_mutation(name, input_type, method, doc, ids=CONTRACT, fixed=None):
    return rpc_mutation(name, input_type, "contract", Contract, "contracts", method, ids, fixed, doc)


SetContractTerms = rpc_mutation(
    "SetContractTerms",
    SetContractTermsInput,
    "contract",
    Contract,
    "contracts",
    "set_terms",
    {"contract_id": "Contract", "compound_ids": "Place"},
    doc="The purchaser sets a draft's period, deliverables and milestones (the value is the award's).",
)
ApproveContract = _contract_mutation(
    "ApproveContract",
    ContractInput,
    "approve_contract",
    "The office approves a contract above the threshold.",
)
SignContract = _contract_mutation(
    "SignContract", ContractInput, "sign_contract", "Sign for your side; signed once both sides have."
)
ActivateContract = _contract_mutation(
    "ActivateContract", ContractInput, "activate_contract", "The purchaser starts a signed contract."
)
CompleteContract = _contract_mutation(
    "CompleteContract", ContractInput, "complete_contract", "Every milestone accepted: assess and close."
)
TerminateContract = _contract_mutation(
    "TerminateContract", TerminateContractInput, "terminate_contract", "End a contract early, saying why."
)
DeliverMilestone = rpc_mutation(
    "DeliverMilestone",
    DeliverMilestoneInput,
    "milestone",
    Milestone,
    "contracts",
    "deliver_milestone",
    MILESTONE,
    doc="The provider delivers a milestone with its evidence.",
)
AcceptMilestone = rpc_mutation(
    "AcceptMilestone",
    MilestoneDecisionInput,
    "milestone",
    Milestone,
    "contracts",
    "decide_milestone",
    MILESTONE,
    {"accept": True},
    doc="Accept a delivery: its share of the value is recorded as paid.",
)
RejectMilestone = rpc_mutation(
    "RejectMilestone",
    MilestoneDecisionInput,
    "milestone",
    Milestone,
    "contracts",
    "decide_milestone",
    MILESTONE,
    {"accept": False},
    doc="Reject a delivery with the reason; it can be delivered again.",
)
ProposeAmendment = rpc_mutation(
    "ProposeAmendment",
    ProposeAmendmentInput,
    "amendment",
    Amendment,
    "contracts",
    "propose_amendment",
    CONTRACT,
    doc="Propose new value, period, deliverables or milestones, with the rationale.",
)
ApproveAmendment = rpc_mutation(
    "ApproveAmendment", AmendmentInput, "amendment", Amendment, "contracts", "approve_amendment", AMENDMENT
)
SignAmendment = rpc_mutation(
    "SignAmendment",
    AmendmentInput,
    "amendment",
    Amendment,
    "contracts",
    "sign_amendment",
    AMENDMENT,
    doc="Sign an amendment for your side; in force once both sides have.",
)
RejectAmendment = rpc_mutation(
    "RejectAmendment",
    RejectAmendmentInput,
    "amendment",
    Amendment,
    "contracts",
    "reject_amendment",
    AMENDMENT,
)
EvaluateContract = rpc_mutation(
    "EvaluateContract",
    EvaluateContractInput,
    "evaluation",
    ContractEvaluation,
    "contracts",
    "evaluate_contract",
    CONTRACT,
    doc="Residents' evaluation (居民评议) of the service, once a month.",
)

QUERIES = [
    expose("contracts", contracts_field, RC, ORG, SO, OC),
    expose(
        "budget",
        lambda: graphene.List(
            graphene.NonNull(BudgetLine),
            required=True,
            resolver=lambda root, info: context(info).call("contracts", "budget"),
            description="Committed, paid and remaining amounts per purchaser, community and year.",
        ),
        RC,
        SO,
    ),
]
MUTATIONS = [
    expose("set_contract_terms", SetContractTerms.Field, RC),
    expose("approve_contract", ApproveContract.Field, SO),
    expose("sign_contract", SignContract.Field, RC, ORG),
    expose("activate_contract", ActivateContract.Field, RC),
    expose("deliver_milestone", DeliverMilestone.Field, ORG),
    expose("accept_milestone", AcceptMilestone.Field, RC),
    expose("reject_milestone", RejectMilestone.Field, RC),
    expose("propose_amendment", ProposeAmendment.Field, RC, ORG),
    expose("approve_amendment", ApproveAmendment.Field, SO),
    expose("sign_amendment", SignAmendment.Field, RC, ORG),
    expose("reject_amendment", RejectAmendment.Field, RC, ORG, SO),
    expose("complete_contract", CompleteContract.Field, RC),
    expose("terminate_contract", TerminateContract.Field, RC, SO),
    expose("evaluate_contract", EvaluateContract.Field, RC, OC),
]
