"""Entrypoints of the contracts service: which use case answers each RPC, event and tick."""

from services.contracts import handlers, schemas
from services.contracts.models import Base
from shared.dependencies import Clocks, Database
from shared.entrypoints import Every, answers_forgotten, listing, records, rpc, use_case
from shared.messaging import consume

# The answers of the commands: the contract, milestone or amendment they changed.
CONTRACT, MILESTONE, VERSION = schemas.ContractOut(), schemas.MilestoneOut(), schemas.VersionOut()


class ContractsService:
    name = "contracts"
    db = Database("contracts", Base.metadata)
    clock = Clocks()
    # Answers kept for idempotency keys are forgotten after GONGZHI_IDEMPOTENCY_RETENTION_DAYS.
    forget_old_answers = answers_forgotten()

    list_contracts = listing(
        handlers.list_contracts, schemas.ContractOut(many=True), by_id=handlers.get_contracts
    )
    get_contracts = records(handlers.get_contracts, schemas.ContractOut(many=True))
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
    list_milestones = records(handlers.list_milestones, schemas.MilestoneOut(many=True))
    list_payments = records(handlers.list_payments, schemas.PaymentOut(many=True))
    list_versions = records(handlers.list_versions, schemas.VersionOut(many=True))
    list_transitions = records(handlers.list_transitions, schemas.TransitionOut(many=True))
    list_evaluations = records(handlers.list_evaluations, schemas.EvaluationOut(many=True))
    evaluation_summaries = records(handlers.evaluation_summaries, schemas.SummaryOut(many=True))

    # Records by their own ids, for node(id:): only those of contracts the party may see.
    get_milestones = records(handlers.get_milestones, schemas.MilestoneOut(many=True))
    get_payments = records(handlers.get_payments, schemas.PaymentOut(many=True))
    get_versions = records(handlers.get_versions, schemas.VersionOut(many=True))
    get_evaluations = records(handlers.get_evaluations, schemas.EvaluationOut(many=True))

    @rpc
    def ocds_releases(self, ocid=None):
        return handlers.ocds_releases(self.db, ocid)

    @consume("project.awarded")
    def draft_contract_from_award(self, event):
        handlers.draft_contract_from_award(self.db, self.clock, event)

    @consume("shift.completed")
    def attach_shift(self, event):
        handlers.attach_shift(self.db, self.clock, event)

    @Every.decorator("milestone_tick_seconds")
    def mark_overdue_milestones(self):
        handlers.mark_overdue_milestones(self.db, self.clock)
