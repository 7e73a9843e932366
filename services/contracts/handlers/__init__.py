"""Use cases of the contracts service, one module per part of the work; each use case is one
unit of work taking the clock, the party and its typed command, with the rules from the domain.

* ``signing``: from the award to a contract in force (terms, approval, signatures, start)
* ``delivery``: milestones delivered, accepted and paid or rejected; overdue; volunteer shifts
* ``amendments``: new terms proposed, approved, signed or rejected
* ``closing``: completion with the final assessment, or termination
* ``evaluations``: residents' evaluations and their summaries
* ``reading``: the party's paged list, records by id, the budget and the open data
* ``access`` and ``terms``: who may reach which contract, and the terms as they are kept
"""

from services.contracts.handlers.amendments import (
    approve_amendment,
    propose_amendment,
    reject_amendment,
    sign_amendment,
)
from services.contracts.handlers.closing import complete_contract, terminate_contract
from services.contracts.handlers.delivery import (
    attach_shift,
    decide_milestone,
    deliver_milestone,
    mark_overdue_milestones,
)
from services.contracts.handlers.evaluations import (
    evaluate_contract,
    evaluation_summaries,
    get_evaluations,
    list_evaluations,
)
from services.contracts.handlers.reading import (
    budget,
    get_contracts,
    get_milestones,
    get_payments,
    get_versions,
    list_contracts,
    list_milestones,
    list_payments,
    list_transitions,
    list_versions,
    ocds_releases,
)
from services.contracts.handlers.signing import (
    activate_contract,
    approve_contract,
    draft_contract_from_award,
    set_terms,
    sign_contract,
)

__all__ = [
    "activate_contract",
    "approve_amendment",
    "approve_contract",
    "attach_shift",
    "budget",
    "complete_contract",
    "decide_milestone",
    "deliver_milestone",
    "draft_contract_from_award",
    "evaluate_contract",
    "evaluation_summaries",
    "get_contracts",
    "get_evaluations",
    "get_milestones",
    "get_payments",
    "get_versions",
    "list_contracts",
    "list_evaluations",
    "list_milestones",
    "list_payments",
    "list_transitions",
    "list_versions",
    "mark_overdue_milestones",
    "ocds_releases",
    "propose_amendment",
    "reject_amendment",
    "set_terms",
    "sign_amendment",
    "sign_contract",
    "terminate_contract",
]
