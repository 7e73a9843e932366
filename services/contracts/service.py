"""Entrypoints of the contracts service: validate, delegate to a handler, dump the result."""

import os

from nameko.rpc import rpc
from nameko.timer import timer

from services.contracts import handlers, schemas
from services.contracts.models import Base
from shared.dependencies import Database
from shared.identity import Principal
from shared.messaging import consume
from shared.validation import load

# How often overdue milestones are looked for (a milestone is due by the day).
MILESTONE_TICK_SECONDS = float(os.environ.get("GONGZHI_MILESTONE_TICK_SECONDS", "300"))


def _act(handler, schema, out):
    """An RPC that loads its input, runs one use case for the principal and dumps the result."""

    def entrypoint(self, principal, data):
        return out().dump(handler(self.db, Principal.from_dict(principal), load(schema, data)))

    entrypoint.__name__ = handler.__name__
    return rpc(entrypoint)


def _read(handler, out):
    """An RPC that reads records by id for the principal: the records of the given contracts, or
    (``get_…``) the records with the given ids; only what the principal may see."""

    def entrypoint(self, principal, ids):
        return out(many=True).dump(handler(self.db, Principal.from_dict(principal), list(ids)))

    entrypoint.__name__ = handler.__name__
    return rpc(entrypoint)


class ContractsService:
    name = "contracts"
    db = Database("contracts", Base.metadata)

    set_terms = _act(handlers.set_terms, schemas.SetTerms, schemas.ContractOut)
    approve_contract = _act(handlers.approve_contract, schemas.ContractRef, schemas.ContractOut)
    sign_contract = _act(handlers.sign_contract, schemas.ContractRef, schemas.ContractOut)
    activate_contract = _act(handlers.activate_contract, schemas.ContractRef, schemas.ContractOut)
    deliver_milestone = _act(handlers.deliver_milestone, schemas.DeliverMilestone, schemas.MilestoneOut)
    decide_milestone = _act(handlers.decide_milestone, schemas.DecideMilestone, schemas.MilestoneOut)
    propose_amendment = _act(handlers.propose_amendment, schemas.ProposeAmendment, schemas.VersionOut)
    approve_amendment = _act(handlers.approve_amendment, schemas.AmendmentRef, schemas.VersionOut)
    sign_amendment = _act(handlers.sign_amendment, schemas.AmendmentRef, schemas.VersionOut)
    reject_amendment = _act(handlers.reject_amendment, schemas.RejectAmendment, schemas.VersionOut)
    complete_contract = _act(handlers.complete_contract, schemas.ContractRef, schemas.ContractOut)
    terminate_contract = _act(handlers.terminate_contract, schemas.Terminate, schemas.ContractOut)
    evaluate_contract = _act(handlers.evaluate_contract, schemas.Evaluate, schemas.EvaluationOut)

    get_contracts = _read(handlers.get_contracts, schemas.ContractOut)
    list_milestones = _read(handlers.list_milestones, schemas.MilestoneOut)
    list_payments = _read(handlers.list_payments, schemas.PaymentOut)
    list_versions = _read(handlers.list_versions, schemas.VersionOut)
    list_transitions = _read(handlers.list_transitions, schemas.TransitionOut)
    list_evaluations = _read(handlers.list_evaluations, schemas.EvaluationOut)
    evaluation_summaries = _read(handlers.evaluation_summaries, schemas.SummaryOut)

    # Records by their own ids, for node(id:): only those of contracts the principal may see.
    get_milestones = _read(handlers.get_milestones, schemas.MilestoneOut)
    get_payments = _read(handlers.get_payments, schemas.PaymentOut)
    get_versions = _read(handlers.get_versions, schemas.VersionOut)
    get_evaluations = _read(handlers.get_evaluations, schemas.EvaluationOut)

    @rpc
    def list_contracts(self, principal):
        contracts = handlers.list_contracts(self.db, Principal.from_dict(principal))
        return schemas.ContractOut(many=True).dump(contracts)

    @rpc
    def budget(self, principal):
        return schemas.BudgetLineOut(many=True).dump(handlers.budget(self.db, Principal.from_dict(principal)))

    @rpc
    def ocds_releases(self, ocid=None):
        return handlers.ocds_releases(self.db, ocid)

    @consume("project.awarded")
    def draft_contract_from_award(self, event):
        handlers.draft_contract_from_award(self.db, event)

    @consume("shift.completed")
    def attach_shift(self, event):
        handlers.attach_shift(self.db, event)

    @timer(interval=MILESTONE_TICK_SECONDS)
    def mark_overdue_milestones(self):
        handlers.mark_overdue_milestones(self.db)
