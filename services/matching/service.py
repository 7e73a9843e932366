"""Entrypoints of the matching service: what it answers, and which use case answers it."""

from __future__ import annotations

from nameko.rpc import ServiceRpc

from services.matching import schemas
from services.matching.handlers import (
    awards,
    bids,
    complaints,
    evaluation,
    lists,
    notices,
    opening,
    projects,
    registry,
)
from services.matching.models import Base
from shared.dependencies import Clocks, Database
from shared.entrypoints import Every, answers_forgotten, listing, records, rpc, use_case
from shared.identity import Principal
from shared.messaging import consume
from shared.validation import load

ORGANISATIONS = schemas.OrganisationOut(many=True)
PROJECTS = schemas.ProjectOut(many=True)
BIDS = schemas.BidOut(many=True)
RANKED_BIDS = schemas.BidOut(many=True, exclude=("plan", "team", "timeline"))
AWARDS = schemas.AwardOut(many=True)
EVALUATIONS = schemas.EvaluationOut(many=True)
COMPLAINTS = schemas.ComplaintOut(many=True)
NOTICES = schemas.NoticeOut(many=True)
ENTRIES = schemas.ListEntryOut(many=True)
CLAIMS = schemas.ClaimOut(many=True)


class MatchingService:
    name = "matching"
    db = Database("matching", Base.metadata)
    clock = Clocks()
    # Answers kept for idempotency keys are forgotten after GONGZHI_IDEMPOTENCY_RETENTION_DAYS.
    forget_old_answers = answers_forgotten()
    # The directory: which district each community lies in.
    directory = ServiceRpc("meetings")

    def _districts_of(self, community_ids: list[str] | None) -> dict[str, str]:
        """The directory's answer, asked before the unit of work opens (no RPC inside a transaction)."""
        if not community_ids:
            return {}
        return {c["id"]: c["district_id"] for c in self.directory.get_communities(sorted(set(community_ids)))}

    # The registry: the directory is asked first, so these two are written by hand.

    @rpc
    def register_organisation(self, data):
        command = load(schemas.RegisterOrganisation, data)
        organisation = registry.register_organisation(
            self.db, self.clock, command, self._districts_of(command.community_ids)
        )
        return schemas.OrganisationOut().dump(organisation)

    @rpc
    def update_filing(self, principal, data):
        command = load(schemas.UpdateFiling, data)
        organisation = registry.update_filing(
            self.db,
            self.clock,
            Principal.from_dict(principal),
            command,
            self._districts_of(command.community_ids),
        )
        return schemas.OrganisationOut().dump(organisation)

    @rpc
    def find_organisations(self, criteria):
        """Operators' commands: an organisation by id or by credit code."""
        found = registry.find_organisations(
            self.db, credit_code=criteria.get("credit_code"), organisation_id=criteria.get("id")
        )
        return ORGANISATIONS.dump(found)

    get_organisations = records(registry.get_organisations, ORGANISATIONS)
    review_filing = use_case(registry.review_filing, schemas.ReviewFiling, schemas.OrganisationOut())
    set_suspension = use_case(registry.set_suspension, schemas.SetSuspension, schemas.OrganisationOut())
    list_filings = listing(registry.list_filings, ORGANISATIONS, by_id=registry.get_filings)
    get_filings = records(registry.get_filings, ORGANISATIONS)

    # Projects.
    create_project = use_case(projects.create_project, schemas.CreateProject, schemas.ProjectOut())
    publish_project = use_case(projects.publish_project, schemas.PublishProject, schemas.ProjectOut())
    change_terms = use_case(projects.change_terms, schemas.ChangeTerms, schemas.ProjectOut())
    cancel_project = use_case(projects.cancel_project, schemas.CancelProject, schemas.ProjectOut())
    list_projects = listing(projects.list_projects, PROJECTS, by_id=projects.get_projects)
    get_projects = records(projects.get_projects, PROJECTS)

    @rpc
    def eligible_organisations(self, principal, project_ids):
        return projects.eligible_organisations(
            self.db, self.clock, Principal.from_dict(principal), [str(i) for i in project_ids]
        )

    @rpc
    def ocds_releases(self, ocid=None):
        return projects.ocds_releases(self.db, ocid)

    # Sealed bids.
    submit_bid = use_case(bids.submit_bid, schemas.SubmitBid, schemas.BidOut())
    withdraw_bid = use_case(bids.withdraw_bid, schemas.WithdrawBid, schemas.BidOut())

    @rpc
    def list_bids(self, principal, project_ids=None):
        ids = None if project_ids is None else [str(i) for i in project_ids]
        return BIDS.dump(bids.list_bids(self.db, self.clock, Principal.from_dict(principal), ids))

    @rpc
    def get_bids(self, principal, ids):
        """A bid the party reads in full (its own; the committee's valid bids once opened), or as a
        ranked result without its plan, team and timeline."""
        full, ranked = bids.get_bids(
            self.db, self.clock, Principal.from_dict(principal), [str(i) for i in ids]
        )
        return BIDS.dump(full) + RANKED_BIDS.dump(ranked)

    @rpc
    def bid_digests(self, principal, project_ids):
        return bids.bid_digests(
            self.db, self.clock, Principal.from_dict(principal), [str(i) for i in project_ids]
        )

    # Evaluation and award.
    declare_conflict = use_case(evaluation.declare_conflict, schemas.DeclareConflict, schemas.EvaluationOut())
    score_bid = use_case(evaluation.score_bid, schemas.ScoreBid, schemas.EvaluationOut())
    rank_bids = use_case(evaluation.rank_bids, schemas.ProjectRef, schemas.ProjectOut())
    list_evaluations = records(evaluation.list_evaluations, EVALUATIONS)
    get_evaluations = records(evaluation.get_evaluations, EVALUATIONS)
    results = records(evaluation.results, RANKED_BIDS)
    award_project = use_case(awards.award_project, schemas.AwardProject, schemas.AwardOut())
    list_awards = records(awards.list_awards, AWARDS)
    get_awards = records(awards.get_awards, AWARDS)

    # Complaints and notices.
    file_complaint = use_case(complaints.file_complaint, schemas.FileComplaint, schemas.ComplaintOut())
    resolve_complaint = use_case(
        complaints.resolve_complaint, schemas.ResolveComplaint, schemas.ComplaintOut()
    )
    list_complaints = listing(complaints.list_complaints, COMPLAINTS, by_id=complaints.get_complaints)
    get_complaints = records(complaints.get_complaints, COMPLAINTS)
    list_notices = listing(notices.list_notices, NOTICES, by_id=notices.get_notices)
    get_notices = records(notices.get_notices, NOTICES)

    # Demand and resource lists.
    list_entry = use_case(lists.add_entry, schemas.ListEntryIn, schemas.ListEntryOut())
    claim_entry = use_case(lists.claim_entry, schemas.ClaimEntry, schemas.ClaimOut())
    decide_claim = use_case(lists.decide_claim, schemas.DecideClaim, schemas.ClaimOut())
    record_delivery = use_case(lists.record_delivery, schemas.RecordDelivery, schemas.ClaimOut())
    list_entries = listing(lists.list_entries, ENTRIES, by_id=lists.get_entries)
    get_list_entries = records(lists.get_entries, ENTRIES)
    list_claims = records(lists.list_claims, CLAIMS)
    get_claims = records(lists.get_claims, CLAIMS)

    # Events from other services.

    @consume("resolution.adopted")
    def draft_project_from_resolution(self, event):
        projects.draft_project_from_resolution(self.db, self.clock, event)

    @consume("organisation.assessed")
    def record_assessment(self, event):
        awards.record_assessment(self.db, self.clock, event)

    # Time-driven rules: each idempotent, so a missed or doubled tick does no harm.

    @Every.decorator("tender_tick_seconds")
    def open_due_tenders(self):
        opening.open_due_tenders(self.db, self.clock)

    @Every.decorator("tender_tick_seconds")
    def finalise_awards(self):
        awards.finalise_awards(self.db, self.clock)
