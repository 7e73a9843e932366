"""Purchased-service contracts (政府购买服务合同) in the GraphQL schema: which party sees and does
what."""

from __future__ import annotations

import graphene

from gateway.schema.common import expose
from gateway.schema.context import context
from gateway.schema.contracts.lifecycle import (
    AcceptMilestone,
    ActivateContract,
    ApproveAmendment,
    ApproveContract,
    CompleteContract,
    DeliverMilestone,
    EvaluateContract,
    ProposeAmendment,
    RejectAmendment,
    RejectMilestone,
    SetContractTerms,
    SignAmendment,
    SignContract,
    TerminateContract,
)
from gateway.schema.contracts.records import OC, ORG, RC, SO, BudgetLine, contracts_field

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
