"""Entrypoints of the matching service: validate, delegate to a handler, dump the result."""

from nameko.rpc import rpc

from services.matching import handlers, schemas
from services.matching.models import Base
from shared.db import Database
from shared.identity import Principal
from shared.messaging import consume
from shared.validation import load


class MatchingService:
    name = "matching"
    db = Database("matching", Base.metadata)

    @rpc
    def register_organisation(self, data):
        organisation = handlers.register_organisation(self.db, load(schemas.RegisterOrganisation, data))
        return schemas.OrganisationOut().dump(organisation)

    @rpc
    def get_organisations(self, principal, ids):
        Principal.from_dict(principal)  # the registry is public to every signed-in party
        return schemas.OrganisationOut(many=True).dump(handlers.get_organisations(self.db, list(ids)))

    @rpc
    def update_filing(self, principal, data):
        organisation = handlers.update_filing(
            self.db, Principal.from_dict(principal), load(schemas.UpdateFiling, data)
        )
        return schemas.OrganisationOut().dump(organisation)

    @rpc
    def review_filing(self, principal, data):
        organisation = handlers.review_filing(
            self.db, Principal.from_dict(principal), load(schemas.ReviewFiling, data)
        )
        return schemas.OrganisationOut().dump(organisation)

    @rpc
    def set_suspension(self, principal, data):
        organisation = handlers.set_suspension(
            self.db, Principal.from_dict(principal), load(schemas.SetSuspension, data)
        )
        return schemas.OrganisationOut().dump(organisation)

    @rpc
    def list_filings(self, principal):
        return schemas.OrganisationOut(many=True).dump(
            handlers.list_filings(self.db, Principal.from_dict(principal))
        )

    @rpc
    def create_project(self, principal, data):
        project = handlers.create_project(
            self.db, Principal.from_dict(principal), load(schemas.CreateProject, data)
        )
        return schemas.ProjectOut().dump(project)

    @rpc
    def list_projects(self, principal):
        projects = handlers.list_projects(self.db, Principal.from_dict(principal))
        return schemas.ProjectOut(many=True).dump(projects)

    @rpc
    def get_projects(self, principal, ids):
        projects = handlers.get_projects(self.db, Principal.from_dict(principal), list(ids))
        return schemas.ProjectOut(many=True).dump(projects)

    @rpc
    def publish_project(self, principal, data):
        project = handlers.publish_project(
            self.db, Principal.from_dict(principal), load(schemas.PublishProject, data)
        )
        return schemas.ProjectOut().dump(project)

    @rpc
    def submit_bid(self, principal, data):
        bid = handlers.submit_bid(self.db, Principal.from_dict(principal), load(schemas.SubmitBid, data))
        return schemas.BidOut().dump(bid)

    @rpc
    def eligible_organisations(self, principal, project_ids):
        return handlers.eligible_organisations(self.db, Principal.from_dict(principal), list(project_ids))

    @rpc
    def withdraw_bid(self, principal, data):
        bid = handlers.withdraw_bid(self.db, Principal.from_dict(principal), load(schemas.WithdrawBid, data))
        return schemas.BidOut().dump(bid)

    @rpc
    def change_terms(self, principal, data):
        project = handlers.change_terms(
            self.db, Principal.from_dict(principal), load(schemas.ChangeTerms, data)
        )
        return schemas.ProjectOut().dump(project)

    @rpc
    def bid_digests(self, principal, project_ids):
        return handlers.bid_digests(self.db, Principal.from_dict(principal), list(project_ids))

    @rpc
    def list_bids(self, principal, project_ids=None):
        ids = None if project_ids is None else list(project_ids)
        bids = handlers.list_bids(self.db, Principal.from_dict(principal), ids)
        return schemas.BidOut(many=True).dump(bids)

    @rpc
    def award_project(self, principal, data):
        award = handlers.award_project(
            self.db, Principal.from_dict(principal), load(schemas.AwardProject, data)
        )
        return schemas.AwardOut().dump(award)

    @rpc
    def list_awards(self, principal, project_ids):
        awards = handlers.list_awards(self.db, Principal.from_dict(principal), list(project_ids))
        return schemas.AwardOut(many=True).dump(awards)

    @rpc
    def list_entry(self, principal, data):
        entry = handlers.list_entry(self.db, Principal.from_dict(principal), load(schemas.ListEntryIn, data))
        return schemas.ListEntryOut().dump(entry)

    @rpc
    def list_entries(self, principal):
        return schemas.ListEntryOut(many=True).dump(
            handlers.list_entries(self.db, Principal.from_dict(principal))
        )

    @rpc
    def claim_entry(self, principal, data):
        claim = handlers.claim_entry(self.db, Principal.from_dict(principal), load(schemas.ClaimEntry, data))
        return schemas.ClaimOut().dump(claim)

    @rpc
    def decide_claim(self, principal, data):
        claim = handlers.decide_claim(
            self.db, Principal.from_dict(principal), load(schemas.DecideClaim, data)
        )
        return schemas.ClaimOut().dump(claim)

    @rpc
    def record_delivery(self, principal, data):
        claim = handlers.record_delivery(
            self.db, Principal.from_dict(principal), load(schemas.RecordDelivery, data)
        )
        return schemas.ClaimOut().dump(claim)

    @rpc
    def list_claims(self, principal, entry_ids):
        claims = handlers.list_claims(self.db, Principal.from_dict(principal), list(entry_ids))
        return schemas.ClaimOut(many=True).dump(claims)

    @consume("resolution.adopted")
    def draft_project_from_resolution(self, event):
        handlers.draft_project_from_resolution(self.db, event)
