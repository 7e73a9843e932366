"""What the parties do to a contract: set its terms, approve and sign it, start, complete or end it;
deliver, accept or reject milestones; propose, sign, approve or reject amendments; evaluate it."""

from __future__ import annotations

import graphene

from gateway.schema.common import Date, Money, rpc_mutation
from gateway.schema.contracts.records import Amendment, Contract, ContractEvaluation, Milestone
from shared.vocabulary import contracts as words

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


def contract_mutation(name, input_type, method, doc, ids=CONTRACT, fixed=None):
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
ApproveContract = contract_mutation(
    "ApproveContract",
    ContractInput,
    "approve_contract",
    "The office approves a contract above the threshold.",
)
SignContract = contract_mutation(
    "SignContract", ContractInput, "sign_contract", "Sign for your side; signed once both sides have."
)
ActivateContract = contract_mutation(
    "ActivateContract", ContractInput, "activate_contract", "The purchaser starts a signed contract."
)
CompleteContract = contract_mutation(
    "CompleteContract", ContractInput, "complete_contract", "Every milestone accepted: assess and close."
)
TerminateContract = contract_mutation(
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
