"""A purchased-service contract as each party reads it: its terms in force, signatures, milestones
and their evidence, payments, amendments, history, residents' evaluations and the final assessment;
the contracts list, and the budget."""

from __future__ import annotations

from datetime import date

import graphene

from gateway.schema.common import Date, DateTime, Money, Node, fetched_by, global_id, one_of, only_for
from gateway.schema.connections import connection, list_field
from gateway.schema.context import context, then
from gateway.schema.directory import Place
from gateway.schema.matching.registry import Organisation
from shared.identity import PartyType
from shared.vocabulary import contracts as words
from shared.vocabulary.matching import Purchaser

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


def by_contract(method: str):
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
        required=True, description=f"{one_of(Purchaser)}: whose agent signs and accepts"
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
        graphene.NonNull(Milestone), required=True, resolver=by_contract("list_milestones")
    )
    payments = graphene.List(graphene.NonNull(Payment), required=True, resolver=by_contract("list_payments"))
    amendments = graphene.List(
        graphene.NonNull(Amendment), required=True, resolver=by_contract("list_versions")
    )
    history = graphene.List(
        graphene.NonNull(ContractStep), required=True, resolver=by_contract("list_transitions")
    )
    # Who evaluated: never in the provider's view (it has the summary).
    evaluations = only_for(
        RC,
        SO,
        OC,
        field=graphene.List(
            graphene.NonNull(ContractEvaluation), required=True, resolver=by_contract("list_evaluations")
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

    purchaser_type = graphene.String(required=True, description=one_of(Purchaser))
    community = graphene.Field(Place)
    year = graphene.Int(required=True)
    committed = Money(required=True)
    paid = Money(required=True)
    remaining = Money(required=True)

    @staticmethod
    def resolve_community(root, info):
        return context(info).load_one("meetings", "get_places", root["community_id"])
