"""Social organisations, projects, sealed bids and awards, complaints, and the demand and resource
lists in the GraphQL schema: which party sees and does what."""

from __future__ import annotations

import graphene

from gateway.schema.common import expose
from gateway.schema.connections import list_field
from gateway.schema.matching.complaints import (
    ComplaintConnection,
    ComplaintFilter,
    DismissComplaint,
    FileComplaint,
    NoticeConnection,
    UpholdComplaint,
)
from gateway.schema.matching.entries import (
    AddListEntry,
    ClaimEntry,
    ConfirmClaim,
    DeclineClaim,
    RecordDelivery,
    entries_field,
)
from gateway.schema.matching.projects import EligibleOrganisation, projects_field, resolve_eligible
from gateway.schema.matching.registry import (
    JBU,
    ORG,
    RC,
    ReinstateOrganisation,
    ReviewFiling,
    SuspendOrganisation,
    UpdateFiling,
    filings_field,
)
from gateway.schema.matching.tendering import (
    AwardProject,
    CancelProject,
    ChangeProjectTerms,
    CreateProject,
    DeclareConflict,
    PublishProject,
    RankBids,
    ScoreBid,
    SubmitBid,
    WithdrawBid,
)
from shared.identity import PartyType

QUERIES = [
    expose("projects", projects_field, RC, ORG, PartyType.STREET_OFFICE),
    expose(
        "complaints",
        lambda: list_field(ComplaintConnection, ("matching", "list_complaints"), ComplaintFilter),
        RC,
        ORG,
        PartyType.STREET_OFFICE,
    ),
    expose(
        "notices",
        lambda: list_field(NoticeConnection, ("matching", "list_notices")),
        ORG,
    ),
    expose("organisation_filings", filings_field, PartyType.STREET_OFFICE, ORG),
    expose("list_entries", entries_field, RC, JBU),
    expose(
        "eligible_organisations",
        lambda: graphene.List(
            graphene.NonNull(EligibleOrganisation),
            required=True,
            project_id=graphene.ID(required=True),
            resolver=resolve_eligible,
            description="Organisations eligible for a project of yours, best fit first.",
        ),
        RC,
    ),
]
MUTATIONS = [
    expose("create_project", CreateProject.Field, RC),
    expose("publish_project", PublishProject.Field, RC),
    expose("award_project", AwardProject.Field, RC),
    expose("declare_conflict", DeclareConflict.Field, RC),
    expose("score_bid", ScoreBid.Field, RC),
    expose("rank_bids", RankBids.Field, RC),
    expose("cancel_project", CancelProject.Field, RC),
    expose("file_complaint", FileComplaint.Field, ORG),
    expose("uphold_complaint", UpholdComplaint.Field, PartyType.STREET_OFFICE),
    expose("dismiss_complaint", DismissComplaint.Field, PartyType.STREET_OFFICE),
    expose("submit_bid", SubmitBid.Field, ORG),
    expose("withdraw_bid", WithdrawBid.Field, ORG),
    expose("change_project_terms", ChangeProjectTerms.Field, RC),
    expose("update_filing", UpdateFiling.Field, ORG),
    expose("add_list_entry", AddListEntry.Field, RC, JBU),
    expose("claim_entry", ClaimEntry.Field, RC, JBU),
    expose("confirm_claim", ConfirmClaim.Field, RC, JBU),
    expose("decline_claim", DeclineClaim.Field, RC, JBU),
    expose("record_delivery", RecordDelivery.Field, RC, JBU),
    expose("review_filing", ReviewFiling.Field, PartyType.STREET_OFFICE),
    expose("suspend_organisation", SuspendOrganisation.Field, PartyType.STREET_OFFICE),
    expose("reinstate_organisation", ReinstateOrganisation.Field, PartyType.STREET_OFFICE),
]
