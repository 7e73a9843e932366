"""Entrypoints of the contracts service."""

from nameko.rpc import rpc

from services.contracts import handlers, schemas
from services.contracts.models import Base
from shared.db import Database
from shared.identity import Principal
from shared.messaging import consume


class ContractsService:
    name = "contracts"
    db = Database("contracts", Base.metadata)

    @rpc
    def list_contracts(self, principal):
        contracts = handlers.list_contracts(self.db, Principal.from_dict(principal))
        return schemas.ContractOut(many=True).dump(contracts)

    @rpc
    def get_contracts(self, principal, ids):
        contracts = handlers.get_contracts(self.db, Principal.from_dict(principal), list(ids))
        return schemas.ContractOut(many=True).dump(contracts)

    @consume("project.awarded")
    def draft_contract_from_award(self, event):
        handlers.draft_contract_from_award(self.db, event)
