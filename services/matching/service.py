"""Entrypoints of the matching service: validate, delegate to a handler, dump the result."""

import os

from nameko.rpc import ServiceRpc, rpc
from nameko.timer import timer

from services.matching import handlers, schemas
from services.matching.models import Base
from shared.dependencies import Database
from shared.identity import PartyType, Principal
from shared.messaging import consume
from shared.validation import load

# How often deadlines and standstill periods are checked: bids open within this many seconds.
TENDER_TICK_SECONDS = float(os.environ.get("GONGZHI_TENDER_TICK_SECONDS", "5"))


class MatchingService:
    name = "matching"
    db = Database("matching", Base.metadata)
    # The directory: which district each community lies in.
    directory = ServiceRpc("meetings")

    def _districts_of(self, community_ids: list[str] | None) -> dict[str, str]:
        """The directory's answer, asked before the unit of work opens (no RPC inside a transaction)."""
        if not community_ids:
            return {}
        return {c["id"]: c["district_id"] for c in self.directory.get_communities(sorted(set(community_ids)))}

    @rpc
    def register_organisation(self, data):
        data = load(schemas.RegisterOrganisation, data)
        organisation = handlers.register_organisation(
            self.db, data, self._districts_of(data["community_ids"])
        )
        return schemas.OrganisationOut().dump(organisation)

    @rpc
    def find_organisations(self, criteria):
        """Operators' commands: an organisation by id or by credit code."""
        found = handlers.find_organisations(self.db, dict(criteria))
        return schemas.OrganisationOut(many=True).dump(found)

    @rpc
    def get_organisations(self, principal, ids):
        Principal.from_dict(principal)  # the registry is public to every signed-in party
        return schemas.OrganisationOut(many=True).dump(handlers.get_organisations(self.db, list(ids)))

    @rpc
    def update_filing(self, principal, data):
        principal, data = Principal.from_dict(principal), load(schemas.UpdateFiling, data)
        organisation = handlers.update_filing(
            self.db, principal, data, self._districts_of(data.get("community_ids"))
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
    def declare_conflict(self, principal, data):
        evaluation = handlers.declare_conflict(
            self.db, Principal.from_dict(principal), load(schemas.DeclareConflict, data)
        )
        return schemas.EvaluationOut().dump(evaluation)

    @rpc
    def score_bid(self, principal, data):
        evaluation = handlers.score_bid(self.db, Principal.from_dict(principal), load(schemas.ScoreBid, data))
        return schemas.EvaluationOut().dump(evaluation)

    @rpc
    def rank_bids(self, principal, data):
        project = handlers.rank_bids(self.db, Principal.from_dict(principal), load(schemas.ProjectRef, data))
        return schemas.ProjectOut().dump(project)

    @rpc
    def list_evaluations(self, principal, bid_ids):
        evaluations = handlers.list_evaluations(self.db, Principal.from_dict(principal), list(bid_ids))
        return schemas.EvaluationOut(many=True).dump(evaluations)

    @rpc
    def results(self, principal, project_ids):
        bids = handlers.results(self.db, Principal.from_dict(principal), list(project_ids))
        return schemas.BidOut(many=True, exclude=("plan", "team", "timeline")).dump(bids)

    @rpc
    def file_complaint(self, principal, data):
        complaint = handlers.file_complaint(
            self.db, Principal.from_dict(principal), load(schemas.FileComplaint, data)
        )
        return schemas.ComplaintOut().dump(complaint)

    @rpc
    def resolve_complaint(self, principal, data):
        complaint = handlers.resolve_complaint(
            self.db, Principal.from_dict(principal), load(schemas.ResolveComplaint, data)
        )
        return schemas.ComplaintOut().dump(complaint)

    @rpc
    def list_complaints(self, principal):
        complaints = handlers.list_complaints(self.db, Principal.from_dict(principal))
        return schemas.ComplaintOut(many=True).dump(complaints)

    @rpc
    def cancel_project(self, principal, data):
        project = handlers.cancel_project(
            self.db, Principal.from_dict(principal), load(schemas.CancelProject, data)
        )
        return schemas.ProjectOut().dump(project)

    @rpc
    def list_notices(self, principal):
        notices = handlers.list_notices(self.db, Principal.from_dict(principal))
        return schemas.NoticeOut(many=True).dump(notices)

    @rpc
    def ocds_releases(self, ocid=None):
        return handlers.ocds_releases(self.db, ocid)

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

    # Records by id, for node(id:). Each reads through the party's own lists, so that it answers
    # exactly the records (and the fields) the party sees there, and nothing for any other id.

    @rpc
    def get_filings(self, principal, ids):
        wanted = set(ids)
        found = handlers.list_filings(self.db, Principal.from_dict(principal))
        return schemas.OrganisationOut(many=True).dump([o for o in found if o.id in wanted])

    @rpc
    def get_bids(self, principal, ids):
        """A bid the party reads in full (its own; the committee's valid bids once opened), or as a
        ranked result without its plan, team and timeline."""
        party, wanted = Principal.from_dict(principal), set(ids)
        full = [b for b in handlers.list_bids(self.db, party, None) if b.id in wanted]
        rows = schemas.BidOut(many=True).dump(full)
        rest = wanted - {b["id"] for b in rows}
        if rest:
            projects = [p.id for p in handlers.list_projects(self.db, party)]
            ranked = [b for b in handlers.results(self.db, party, projects) if b.id in rest]
            rows += schemas.BidOut(many=True, exclude=("plan", "team", "timeline")).dump(ranked)
        return rows

    @rpc
    def get_awards(self, principal, ids):
        party, wanted = Principal.from_dict(principal), set(ids)
        projects = [p.id for p in handlers.list_projects(self.db, party)]
        awards = handlers.list_awards(self.db, party, projects)
        return schemas.AwardOut(many=True).dump([a for a in awards if a.id in wanted])

    @rpc
    def get_evaluations(self, principal, ids):
        party, wanted = Principal.from_dict(principal), set(ids)
        bids = [b.id for b in handlers.list_bids(self.db, party, None)]
        evaluations = handlers.list_evaluations(self.db, party, bids)
        return schemas.EvaluationOut(many=True).dump([e for e in evaluations if e.id in wanted])

    @rpc
    def get_complaints(self, principal, ids):
        wanted = set(ids)
        complaints = handlers.list_complaints(self.db, Principal.from_dict(principal))
        return schemas.ComplaintOut(many=True).dump([c for c in complaints if c.id in wanted])

    @rpc
    def get_notices(self, principal, ids):
        party, wanted = Principal.from_dict(principal), set(ids)
        if not party.is_a(PartyType.SOCIAL_ORGANISATION):
            return []  # notices are an organisation's own
        notices = handlers.list_notices(self.db, party)
        return schemas.NoticeOut(many=True).dump([n for n in notices if n.id in wanted])

    @rpc
    def get_list_entries(self, principal, ids):
        wanted = set(ids)
        entries = handlers.list_entries(self.db, Principal.from_dict(principal))
        return schemas.ListEntryOut(many=True).dump([e for e in entries if e.id in wanted])

    @rpc
    def get_claims(self, principal, ids):
        party, wanted = Principal.from_dict(principal), set(ids)
        entries = [e.id for e in handlers.list_entries(self.db, party)]
        claims = handlers.list_claims(self.db, party, entries)
        return schemas.ClaimOut(many=True).dump([c for c in claims if c.id in wanted])

    @consume("resolution.adopted")
    def draft_project_from_resolution(self, event):
        handlers.draft_project_from_resolution(self.db, event)

    @consume("organisation.assessed")
    def record_assessment(self, event):
        handlers.record_assessment(self.db, event)

    # Time-driven rules: each idempotent, so a missed or doubled tick does no harm.

    @timer(interval=TENDER_TICK_SECONDS)
    def open_due_tenders(self):
        handlers.open_due_tenders(self.db)

    @timer(interval=TENDER_TICK_SECONDS)
    def finalise_awards(self):
        handlers.finalise_awards(self.db)
