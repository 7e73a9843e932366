"""Entrypoints of the contracts service: which use case answers each RPC, event and tick."""

from nameko.rpc import rpc
from nameko.timer import Timer

from services.contracts import handlers, schemas
from services.contracts.models import Base
from shared import config
from shared.dependencies import Clocks, Database
from shared.entrypoints import listing, use_case
from shared.identity import Principal
from shared.messaging import consume

# The answers of the commands: the contract, milestone or amendment they changed.
CONTRACT, MILESTONE, VERSION = schemas.ContractOut(), schemas.MilestoneOut(), schemas.VersionOut()


class MilestoneTimer(Timer):
    """A timer every ``milestone_tick_seconds`` (a milestone is due by the day), the setting read
    when the service starts, not when this module is imported."""

    def __init__(self, **kwargs):
        super().__init__(interval=None, **kwargs)

    def setup(self) -> None:
        self.interval = config.settings().milestone_tick_seconds
        super().setup()


def _of_contracts(handler, answer):
    """An RPC ``(principal, ids)`` answering the records of the given contracts (``list_…``) or
    with the given ids (``get_…``): only what the party may see, in one query."""

    def entrypoint(self, principal, ids):
        found = handler(self.db, self.clock, Principal.from_dict(principal), [str(i) for i in ids])
        return answer.dump(found)

    entrypoint.__name__ = entrypoint.__qualname__ = handler.__name__
    entrypoint.__doc__ = handler.__doc__
    return rpc(entrypoint)


class ContractsService:
    name = "contracts"
    db = Database("contracts", Base.metadata)
    clock = Clocks()

    list_contracts = listing(
        handlers.list_contracts, schemas.ContractOut(many=True), by_id=handlers.get_contracts
    )
    get_contracts = _of_contracts(handlers.get_contracts, schemas.ContractOut(many=True))
    budget = use_case(handlers.budget, answer=schemas.BudgetLineOut(many=True))

    set_terms = use_case(handlers.set_terms, schemas.SetTerms, CONTRACT)
    approve_contract = use_case(handlers.approve_contract, schemas.ContractRef, CONTRACT)
    sign_contract = use_case(handlers.sign_contract, schemas.ContractRef, CONTRACT)
    activate_contract = use_case(handlers.activate_contract, schemas.ContractRef, CONTRACT)
    deliver_milestone = use_case(handlers.deliver_milestone, schemas.DeliverMilestone, MILESTONE)
    decide_milestone = use_case(handlers.decide_milestone, schemas.DecideMilestone, MILESTONE)
    propose_amendment = use_case(handlers.propose_amendment, schemas.ProposeAmendment, VERSION)
    approve_amendment = use_case(handlers.approve_amendment, schemas.AmendmentRef, VERSION)
    sign_amendment = use_case(handlers.sign_amendment, schemas.AmendmentRef, VERSION)
    reject_amendment = use_case(handlers.reject_amendment, schemas.RejectAmendment, VERSION)
    complete_contract = use_case(handlers.complete_contract, schemas.ContractRef, CONTRACT)
    terminate_contract = use_case(handlers.terminate_contract, schemas.Terminate, CONTRACT)
    evaluate_contract = use_case(handlers.evaluate_contract, schemas.Evaluate, schemas.EvaluationOut())

    # The records of given contracts, batched by the gateway's loaders.
    list_milestones = _of_contracts(handlers.list_milestones, schemas.MilestoneOut(many=True))
    list_payments = _of_contracts(handlers.list_payments, schemas.PaymentOut(many=True))
    list_versions = _of_contracts(handlers.list_versions, schemas.VersionOut(many=True))
    list_transitions = _of_contracts(handlers.list_transitions, schemas.TransitionOut(many=True))
    list_evaluations = _of_contracts(handlers.list_evaluations, schemas.EvaluationOut(many=True))
    evaluation_summaries = _of_contracts(handlers.evaluation_summaries, schemas.SummaryOut(many=True))

    # Records by their own ids, for node(id:): only those of contracts the party may see.
    get_milestones = _of_contracts(handlers.get_milestones, schemas.MilestoneOut(many=True))
    get_payments = _of_contracts(handlers.get_payments, schemas.PaymentOut(many=True))
    get_versions = _of_contracts(handlers.get_versions, schemas.VersionOut(many=True))
    get_evaluations = _of_contracts(handlers.get_evaluations, schemas.EvaluationOut(many=True))

    @rpc
    def ocds_releases(self, ocid=None):
        return handlers.ocds_releases(self.db, ocid)

    @consume("project.awarded")
    def draft_contract_from_award(self, event):
        handlers.draft_contract_from_award(self.db, self.clock, event)

    @consume("shift.completed")
    def attach_shift(self, event):
        handlers.attach_shift(self.db, self.clock, event)

    @MilestoneTimer.decorator
    def mark_overdue_milestones(self):
        handlers.mark_overdue_milestones(self.db, self.clock)
