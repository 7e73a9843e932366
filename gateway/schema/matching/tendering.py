"""Putting a project out for sealed bids and deciding it: drafting and publishing its terms,
changing them, bidding and withdrawing, the panel's conflicts and scores, ranking and the award."""

from __future__ import annotations

import graphene

from gateway.schema.common import Date, DateTime, Money, rpc_mutation, sealed
from gateway.schema.matching.projects import PURCHASER, Award, Bid, Evaluation, Project


class EvaluationWeightsInput(graphene.InputObjectType):
    """Percentages that sum to 100."""

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
sealed(SubmitBid, clear_input=("project_id",), receipt_of="bid")


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
sealed(WithdrawBid, clear_input=("project_id",))
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
