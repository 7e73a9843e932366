"""Social organisations, projects, sealed bids and awards in the GraphQL schema."""

from __future__ import annotations

import graphene

from gateway.schema.common import (
    Date,
    DateTime,
    Money,
    Node,
    expose,
    fetched_by,
    one_of,
    only_for,
    raw_id,
    rpc_mutation,
)
from gateway.schema.connections import ConnectionField, connection, list_field
from gateway.schema.context import context, then
from gateway.schema.directory import Party, party_ref
from shared.identity import PartyType
from shared.vocabulary import matching as words

PURCHASER = (
    f"Who buys: {words.Purchaser.RESIDENTS_COMMITTEE} (the community, by default) "
    f"or {words.Purchaser.STREET_OFFICE} (街道购买)."
)
RC, ORG, JBU = PartyType.RESIDENTS_COMMITTEE, PartyType.SOCIAL_ORGANISATION, PartyType.JOINT_BUILDING_UNIT


@fetched_by("matching", "get_organisations")
class Organisation(graphene.ObjectType):
    """A social organisation (社会组织) of the registry."""

    class Meta:
        interfaces = (Node,)

    name = graphene.String(required=True)
    credit_code = graphene.String(required=True, description="Unified social credit code (统一社会信用代码).")
    legal_form = graphene.String(required=True, description=one_of(words.LegalForm))
    categories = graphene.List(graphene.NonNull(graphene.String), required=True)


class Qualification(graphene.ObjectType):
    name = graphene.String(required=True)
    number = graphene.String(required=True)
    expires_on = Date(required=True)

    @staticmethod
    def resolve_expires_on(root, info):
        from datetime import date

        return date.fromisoformat(root["expires_on"])


@fetched_by("matching", "get_filings")
class Filing(graphene.ObjectType):
    """An organisation's filing with its sub-district office, and where its review stands."""

    class Meta:
        interfaces = (Node,)

    name = graphene.String(required=True)
    credit_code = graphene.String(required=True)
    legal_form = graphene.String(required=True, description=one_of(words.LegalForm))
    categories = graphene.List(graphene.NonNull(graphene.String), required=True)
    staff_count = graphene.Int(required=True)
    qualifications = graphene.List(graphene.NonNull(Qualification), required=True)
    status = graphene.String(required=True, description=one_of(words.FilingStatus))
    review_note = graphene.String()


def _organisation(root, info):
    return context(info).load_one("matching", "get_organisations", root["organisation_id"])


class CriterionScores(graphene.ObjectType):
    """Scores from 0 to 100 per criterion, before weighting."""

    price = graphene.Float(required=True)
    plan_quality = graphene.Float(required=True)
    experience = graphene.Float(required=True)
    reputation = graphene.Float(required=True)


def _scores(root, info):
    return CriterionScores(**{k: float(v) for k, v in root["scores"].items()}) if root.get("scores") else None


@fetched_by("matching", "get_evaluations")
class Evaluation(graphene.ObjectType):
    """One evaluator's scores of a bid, or the conflict of interest that bars them from scoring it."""

    class Meta:
        interfaces = (Node,)

    by_you = graphene.Boolean(required=True)
    conflict = graphene.String(description="The declared conflict of interest, if any.")
    plan_quality = graphene.Int()
    experience = graphene.Int()
    recorded_at = DateTime(required=True)

    @staticmethod
    def resolve_by_you(root, info):
        return root["evaluator_id"] == context(info).principal.account_id


@fetched_by("matching", "get_bids")
class Bid(graphene.ObjectType):
    """A sealed bid: its bidder reads it any time; the committee once the bids are opened, if it is
    valid then (a withdrawn or unconfirmed bid stays sealed for ever)."""

    class Meta:
        interfaces = (Node,)

    price = Money(required=True)
    plan = graphene.String(required=True)
    team = graphene.String(required=True)
    timeline = graphene.String(required=True)
    scores = graphene.Field(CriterionScores, resolver=_scores, description="Once the bids are ranked.")
    total = graphene.Float(description="Weighted total, once ranked.")
    rank = graphene.Int(description="1 is the best, once ranked.")
    # The panel's own record: only the committee that evaluates ever receives it.
    evaluations = only_for(
        RC,
        field=graphene.List(
            graphene.NonNull(Evaluation),
            required=True,
            description="The panel's scores and declared conflicts.",
        ),
    )

    @staticmethod
    def resolve_evaluations(root, info):
        return context(info).load_many("matching", "list_evaluations", root["id"], "bid_id")

    digest = graphene.String(required=True, description="SHA-256 of the bid's content: the bidder's receipt.")
    status = graphene.String(required=True, description=one_of(words.BidStatus))
    submitted_at = DateTime(required=True)
    organisation = graphene.Field(Organisation, required=True, resolver=_organisation)


@fetched_by("matching", "get_awards")
class Award(graphene.ObjectType):
    """The award decision: pending through the standstill period, then final (or annulled)."""

    class Meta:
        interfaces = (Node,)

    value = Money(required=True)
    awarded_at = DateTime(required=True)
    status = graphene.String(required=True, description=one_of(words.AwardStatus))
    reason = graphene.String(description="Why a bid other than the first-ranked was chosen.")
    standstill_ends_at = DateTime(description="Complaints are heard until then.")
    finalised_at = DateTime()
    organisation = graphene.Field(Organisation, required=True, resolver=_organisation)


@fetched_by("matching", "get_projects")
class Project(graphene.ObjectType):
    """A service the community buys, put out for sealed bids."""

    class Meta:
        interfaces = (Node,)

    ocid = graphene.String(required=True, description="Open Contracting ID of the tender.")
    title = graphene.String(required=True)
    description = graphene.String(required=True)
    category = graphene.String(required=True)
    budget = Money(required=True)
    bid_deadline = DateTime()
    status = graphene.String(required=True)
    required_qualifications = graphene.List(graphene.NonNull(graphene.String), required=True)
    period_start = Date()
    period_end = Date()
    weights = graphene.Field(
        lambda: EvaluationWeights,
        required=True,
        resolver=lambda root, info: EvaluationWeights(**root["weights"]),
    )
    standstill_days = graphene.Int(required=True)
    min_valid_bids = graphene.Int(required=True)
    purchaser = graphene.String(required=True, description=PURCHASER)
    bid_digests = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="Once bids are opened: the digests of the valid bids, sorted, to check against receipts.",
    )
    # Bids reach only their bidder and the committee (the office never receives one).
    bids = only_for(
        RC,
        ORG,
        field=ConnectionField(
            lambda: BidConnection,
            description="Your own bid; the committee: the valid bids, once they are opened.",
        ),
    )
    award = graphene.Field(Award)
    opened_at = DateTime(description="When the bids were opened, at the deadline.")
    ended_reason = graphene.String(description="Why the project was cancelled or ended unsuccessful.")
    scoring_rules = graphene.String(required=True, description="The published scoring formula.")
    results = graphene.List(
        graphene.NonNull(lambda: RankedBid),
        required=True,
        description="The ranking with every criterion's scores: the committee's once ranked, "
        "the bidders' once the award is proposed.",
    )

    @staticmethod
    def resolve_results(root, info):
        return context(info).load_many("matching", "results", root["id"], "project_id")

    @staticmethod
    def resolve_bid_digests(root, info):
        return then(
            context(info).load_many("matching", "bid_digests", root["id"], "project_id"),
            lambda rows: [r["digest"] for r in rows],
        )

    @staticmethod
    def resolve_bids(root, info, **_):
        return context(info).load_many("matching", "list_bids", root["id"], "project_id")

    @staticmethod
    def resolve_award(root, info):
        return then(
            context(info).load_many("matching", "list_awards", root["id"], "project_id"),
            lambda awards: awards[0] if awards else None,
        )


class RankedBid(graphene.ObjectType):
    """A ranked bid as the results show it: who, what price, which scores; never the plan."""

    rank = graphene.Int(required=True)
    organisation = graphene.Field(Organisation, required=True, resolver=_organisation)
    price = Money(required=True)
    total = graphene.Float(required=True)
    scores = graphene.Field(CriterionScores, required=True, resolver=_scores)


BidConnection = connection(Bid)
ProjectConnection = connection(Project)


class ProjectFilter(graphene.InputObjectType):
    status = graphene.String(description=one_of(words.ProjectStatus))
    category = graphene.String()
    deadline_after = DateTime(description="Bid deadline at or after this instant.")


ProjectOrder = graphene.Enum(
    "ProjectOrder",
    [
        ("BID_DEADLINE_ASC", words.ProjectOrder.BID_DEADLINE.value),
        ("BUDGET_DESC", words.ProjectOrder.BUDGET_DESC.value),
        ("TITLE_ASC", words.ProjectOrder.TITLE.value),
    ],
)


def projects_field():
    return list_field(ProjectConnection, ("matching", "list_projects"), ProjectFilter, ProjectOrder)


class EvaluationWeightsInput(graphene.InputObjectType):
    """Percentages that sum to 100."""

    price = graphene.Int(required=True)
    plan_quality = graphene.Int(required=True)
    experience = graphene.Int(required=True)
    reputation = graphene.Int(required=True)


class EvaluationWeights(graphene.ObjectType):
    price = graphene.Int(required=True)
    plan_quality = graphene.Int(required=True)
    experience = graphene.Int(required=True)
    reputation = graphene.Int(required=True)


class CreateProjectInput(graphene.InputObjectType):
    title = graphene.String(required=True)
    description = graphene.String()
    category = graphene.String(required=True)
    budget = Money(required=True)
    required_qualifications = graphene.List(graphene.NonNull(graphene.String))
    period_start = Date()
    period_end = Date()
    weights = EvaluationWeightsInput(
        description="40/30/20/10 (price, plan, experience, reputation) by default."
    )
    standstill_days = graphene.Int(description="Days an award waits for complaints; 5 by default.")
    purchaser = graphene.String(description=PURCHASER)
    min_valid_bids = graphene.Int(description="Fewer valid bids end the tender unsuccessful; 1 by default.")
    demand_id = graphene.ID(description="The demand-list entry this project answers (ListEntry id).")


CreateProject = rpc_mutation(
    "CreateProject",
    CreateProjectInput,
    "project",
    Project,
    "matching",
    "create_project",
    {"demand_id": "ListEntry"},
    doc="A project created directly or from a demand.",
)


class PublishProjectInput(graphene.InputObjectType):
    project_id = graphene.ID(required=True)
    bid_deadline = DateTime(required=True)


PublishProject = rpc_mutation(
    "PublishProject",
    PublishProjectInput,
    "project",
    Project,
    "matching",
    "publish_project",
    {"project_id": "Project"},
)


class SubmitBidInput(graphene.InputObjectType):
    project_id = graphene.ID(required=True)
    price = Money(required=True)
    plan = graphene.String(required=True)
    team = graphene.String(required=True, description="Who will deliver the service.")
    timeline = graphene.String(required=True)


SubmitBid = rpc_mutation(
    "SubmitBid",
    SubmitBidInput,
    "bid",
    Bid,
    "matching",
    "submit_bid",
    {"project_id": "Project"},
    doc="Submit this organisation's bid, or amend it before the deadline.",
)
# Until the bids are opened nobody but the bidder reads them, the audit log included: it keeps the
# project and the bid's receipt (the digest of its content), every other input field sealed, and
# shows the entry to no party (gateway.audit).
SubmitBid.audit_clear_input = ("project_id",)
SubmitBid.receipt_of = "bid"


class AwardProjectInput(graphene.InputObjectType):
    project_id = graphene.ID(required=True)
    bid_id = graphene.ID(required=True)
    reason = graphene.String(description="Required to choose a bid other than the first-ranked.")


AwardProject = rpc_mutation(
    "AwardProject",
    AwardProjectInput,
    "award",
    Award,
    "matching",
    "award_project",
    {"project_id": "Project", "bid_id": "Bid"},
    doc="Propose the award; it becomes final after the standstill period if no complaint is upheld.",
)
BID = {"project_id": "Project", "bid_id": "Bid"}


class DeclareConflictInput(graphene.InputObjectType):
    project_id = graphene.ID(required=True)
    bid_id = graphene.ID(required=True)
    note = graphene.String(required=True, description="The nature of the conflict of interest.")


class ScoreBidInput(graphene.InputObjectType):
    project_id = graphene.ID(required=True)
    bid_id = graphene.ID(required=True)
    plan_quality = graphene.Int(required=True, description="0 to 100")
    experience = graphene.Int(required=True, description="0 to 100")


class ProjectInput(graphene.InputObjectType):
    project_id = graphene.ID(required=True)


class CancelProjectInput(graphene.InputObjectType):
    project_id = graphene.ID(required=True)
    reason = graphene.String(required=True)


DeclareConflict = rpc_mutation(
    "DeclareConflict",
    DeclareConflictInput,
    "evaluation",
    Evaluation,
    "matching",
    "declare_conflict",
    BID,
    doc="Declare your conflict of interest with a bid: you may not score it.",
)
ScoreBid = rpc_mutation(
    "ScoreBid", ScoreBidInput, "evaluation", Evaluation, "matching", "score_bid", BID, doc="Your scores."
)
RankBids = rpc_mutation(
    "RankBids",
    ProjectInput,
    "project",
    Project,
    "matching",
    "rank_bids",
    {"project_id": "Project"},
    doc="Score every valid bid by the published rules and rank them.",
)
CancelProject = rpc_mutation(
    "CancelProject",
    CancelProjectInput,
    "project",
    Project,
    "matching",
    "cancel_project",
    {"project_id": "Project"},
    doc="Cancel a project before the award, with the reason.",
)


@fetched_by("matching", "get_complaints")
class Complaint(graphene.ObjectType):
    """A bidder's complaint against a proposed award, heard by the sub-district office."""

    class Meta:
        interfaces = (Node,)

    project = graphene.Field(Project)
    complainant = graphene.Field(Organisation, required=True, resolver=_organisation)
    grounds = graphene.String(required=True)
    status = graphene.String(required=True, description=one_of(words.ComplaintStatus))
    resolution = graphene.String()
    filed_at = DateTime(required=True)
    resolved_at = DateTime()

    @staticmethod
    def resolve_project(root, info):
        return context(info).load_one("matching", "get_projects", root["project_id"])


class FileComplaintInput(graphene.InputObjectType):
    project_id = graphene.ID(required=True)
    grounds = graphene.String(required=True)


class ResolveComplaintInput(graphene.InputObjectType):
    complaint_id = graphene.ID(required=True)
    resolution = graphene.String(required=True, description="The office's reasons.")


COMPLAINT = {"complaint_id": "Complaint"}
FileComplaint = rpc_mutation(
    "FileComplaint",
    FileComplaintInput,
    "complaint",
    Complaint,
    "matching",
    "file_complaint",
    {"project_id": "Project"},
    doc="Complain against a proposed award during its standstill period.",
)
UpholdComplaint = rpc_mutation(
    "UpholdComplaint",
    ResolveComplaintInput,
    "complaint",
    Complaint,
    "matching",
    "resolve_complaint",
    COMPLAINT,
    {"uphold": True},
    doc="The award is annulled and the bids go back to evaluation.",
)
DismissComplaint = rpc_mutation(
    "DismissComplaint",
    ResolveComplaintInput,
    "complaint",
    Complaint,
    "matching",
    "resolve_complaint",
    COMPLAINT,
    {"uphold": False},
    doc="The award stands; it is final once the standstill period has passed.",
)
ComplaintConnection = connection(Complaint)


@fetched_by("matching", "get_notices")
class Notice(graphene.ObjectType):
    """What an organisation is told about a project: published, terms changed, results."""

    class Meta:
        interfaces = (Node,)

    project = graphene.Field(Project)
    kind = graphene.String(required=True, description=one_of(words.NoticeKind))
    message = graphene.String(required=True)
    created_at = DateTime(required=True)

    @staticmethod
    def resolve_project(root, info):
        return context(info).load_one("matching", "get_projects", root["project_id"])


NoticeConnection = connection(Notice)


FilingConnection = connection(Filing)


def filings_field():
    return list_field(FilingConnection, ("matching", "list_filings"), FilingFilter)


class ComplaintFilter(graphene.InputObjectType):
    status = graphene.String(description=one_of(words.ComplaintStatus))


class FilingFilter(graphene.InputObjectType):
    status = graphene.String(description=one_of(words.FilingStatus))


class QualificationInput(graphene.InputObjectType):
    name = graphene.String(required=True)
    number = graphene.String()
    expires_on = Date(required=True)


class UpdateFilingInput(graphene.InputObjectType):
    name = graphene.String()
    categories = graphene.List(graphene.NonNull(graphene.String))
    community_ids = graphene.List(
        graphene.NonNull(graphene.ID), description="Communities served (Place ids)."
    )
    staff_count = graphene.Int()
    qualifications = graphene.List(graphene.NonNull(QualificationInput))


FilingReview = graphene.Enum.from_enum(words.FilingDecision, name="FilingReview")


class ReviewFilingInput(graphene.InputObjectType):
    organisation_id = graphene.ID(required=True, description="The filing's id.")
    decision = graphene.Field(FilingReview, required=True)
    reason = graphene.String(description="Needed to ask for changes or to reject.")


class SuspensionInput(graphene.InputObjectType):
    organisation_id = graphene.ID(required=True, description="The filing's id.")
    reason = graphene.String(required=True)


UpdateFiling = rpc_mutation(
    "UpdateFiling",
    UpdateFilingInput,
    "filing",
    Filing,
    "matching",
    "update_filing",
    {"community_ids": "Place"},
    doc="Keep the organisation's filing current; a changed filing goes back to review.",
)


FILING = {"organisation_id": "Filing"}
ReviewFiling = rpc_mutation(
    "ReviewFiling", ReviewFilingInput, "filing", Filing, "matching", "review_filing", FILING
)
SuspendOrganisation = rpc_mutation(
    "SuspendOrganisation",
    SuspensionInput,
    "filing",
    Filing,
    "matching",
    "set_suspension",
    FILING,
    {"suspend": True},
)
ReinstateOrganisation = rpc_mutation(
    "ReinstateOrganisation",
    SuspensionInput,
    "filing",
    Filing,
    "matching",
    "set_suspension",
    FILING,
    {"suspend": False},
)


@fetched_by("matching", "get_claims")
class Claim(graphene.ObjectType):
    """A claim on an entry by the other side; confirmed, it is a match whose deliveries are tracked."""

    class Meta:
        interfaces = (Node,)

    claimant = graphene.Field(Party, required=True)
    note = graphene.String(required=True)
    status = graphene.String(required=True, description=one_of(words.ClaimStatus))
    deliveries = graphene.List(graphene.NonNull(graphene.JSONString), required=True)

    @staticmethod
    def resolve_claimant(root, info):
        return party_ref(root["claimant_type"], root["claimant_id"])


@fetched_by("matching", "get_list_entries")
class ListEntry(graphene.ObjectType):
    """An entry of the demand list (需求清单) or of a resource list (资源清单)."""

    class Meta:
        interfaces = (Node,)

    kind = graphene.String(required=True, description=one_of(words.EntryKind))
    title = graphene.String(required=True)
    description = graphene.String(required=True)
    category = graphene.String(required=True)
    origin = graphene.String(required=True, description=one_of(words.EntryOrigin))
    status = graphene.String(required=True, description=one_of(words.EntryStatus))
    owner = graphene.Field(Party, required=True)
    claims = ConnectionField(lambda: ClaimConnection)

    @staticmethod
    def resolve_owner(root, info):
        return party_ref(root["owner_type"], root["owner_id"])

    @staticmethod
    def resolve_claims(root, info, **_):
        return context(info).load_many("matching", "list_claims", root["id"], "entry_id")


ClaimConnection = connection(Claim)
ListEntryConnection = connection(ListEntry)


class ListEntryFilter(graphene.InputObjectType):
    kind = graphene.String(description=one_of(words.EntryKind))
    status = graphene.String(description=one_of(words.EntryStatus))
    category = graphene.String()


def entries_field():
    return list_field(ListEntryConnection, ("matching", "list_entries"), ListEntryFilter)


class ListEntryInput(graphene.InputObjectType):
    kind = graphene.String(
        required=True, description=f"{one_of(words.EntryKind)}: the committee's or a joint-building unit's"
    )
    title = graphene.String(required=True)
    description = graphene.String()
    category = graphene.String(required=True)
    origin = graphene.String(
        description=f"{one_of(words.EntryOrigin)}; {words.EntryOrigin.RESIDENTS} unless given"
    )


class ClaimEntryInput(graphene.InputObjectType):
    entry_id = graphene.ID(required=True)
    note = graphene.String()


class ClaimDecisionInput(graphene.InputObjectType):
    claim_id = graphene.ID(required=True)


class RecordDeliveryInput(graphene.InputObjectType):
    claim_id = graphene.ID(required=True)
    note = graphene.String(required=True)
    completed = graphene.Boolean(description="The entry's owner closes it as delivered.")


ENTRY, CLAIM = {"entry_id": "ListEntry"}, {"claim_id": "Claim"}
AddListEntry = rpc_mutation("AddListEntry", ListEntryInput, "entry", ListEntry, "matching", "list_entry")
ClaimEntry = rpc_mutation(
    "ClaimEntry",
    ClaimEntryInput,
    "claim",
    Claim,
    "matching",
    "claim_entry",
    ENTRY,
    doc="Claim an entry of the other side's list.",
)
ConfirmClaim = rpc_mutation(
    "ConfirmClaim",
    ClaimDecisionInput,
    "claim",
    Claim,
    "matching",
    "decide_claim",
    CLAIM,
    {"confirm": True},
    doc="The entry's owner confirms a claim: a match.",
)
DeclineClaim = rpc_mutation(
    "DeclineClaim", ClaimDecisionInput, "claim", Claim, "matching", "decide_claim", CLAIM, {"confirm": False}
)
RecordDelivery = rpc_mutation(
    "RecordDelivery", RecordDeliveryInput, "claim", Claim, "matching", "record_delivery", CLAIM
)


class WithdrawBidInput(graphene.InputObjectType):
    project_id = graphene.ID(required=True)


class ChangeProjectTermsInput(graphene.InputObjectType):
    project_id = graphene.ID(required=True)
    description = graphene.String()
    budget = Money()
    required_qualifications = graphene.List(graphene.NonNull(graphene.String))
    bid_deadline = DateTime(
        description="A published project's deadline moves only later; with any other change it leaves "
        "the bidders at least 24 hours to submit their bids again."
    )
    period_start = Date()
    period_end = Date()
    weights = EvaluationWeightsInput()
    standstill_days = graphene.Int()
    min_valid_bids = graphene.Int()
    purchaser = graphene.String(description=PURCHASER)


PROJECT = {"project_id": "Project"}
WithdrawBid = rpc_mutation(
    "WithdrawBid",
    WithdrawBidInput,
    "bid",
    Bid,
    "matching",
    "withdraw_bid",
    PROJECT,
    doc="Withdraw your bid before the deadline.",
)
WithdrawBid.audit_clear_input = ("project_id",)
ChangeProjectTerms = rpc_mutation(
    "ChangeProjectTerms",
    ChangeProjectTermsInput,
    "project",
    Project,
    "matching",
    "change_terms",
    PROJECT,
    doc="Set a draft's terms, or change a published project's before the deadline: the deadline only "
    "later, the standstill never shorter; bids made before must then be submitted again, unless only the "
    "deadline moved.",
)


class EligibleOrganisation(graphene.ObjectType):
    organisation = graphene.Field(Organisation, required=True, resolver=_organisation)
    fit = graphene.Float(required=True, description="Experience in the category, capacity, specialism.")


def resolve_eligible(root, info, project_id):
    ctx = context(info)
    return ctx.call("matching", "eligible_organisations", [raw_id(project_id, "Project", "project_id")])


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
