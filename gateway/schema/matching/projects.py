"""A project the community buys, as each party reads it: its terms, its sealed bids (their bidder's,
then the committee's once opened), the panel's evaluations, the ranking and the award."""

from __future__ import annotations

import graphene
from graphene import relay

from gateway.schema.common import Date, DateTime, Money, Node, fetched_by, one_of, only_for, raw_id
from gateway.schema.connections import ConnectionField, connection, list_field
from gateway.schema.context import context, then
from gateway.schema.matching.registry import ORG, RC, Organisation, organisation_of
from shared.vocabulary import matching as words

PURCHASER = (
    f"Who buys: {words.Purchaser.RESIDENTS_COMMITTEE} (the community, by default) "
    f"or {words.Purchaser.STREET_OFFICE} (街道购买)."
)


class CriterionScores(graphene.ObjectType):
    """Scores from 0 to 100 per criterion, before weighting."""

    price = graphene.Float(required=True)
    plan_quality = graphene.Float(required=True)
    experience = graphene.Float(required=True)
    reputation = graphene.Float(required=True)


def scores_of(root, info):
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
        principal = context(info).principal
        return principal is not None and root["evaluator_id"] == principal.account_id


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
    scores = graphene.Field(CriterionScores, resolver=scores_of, description="Once the bids are ranked.")
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
    organisation = graphene.Field(Organisation, required=True, resolver=organisation_of)


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
    organisation = graphene.Field(Organisation, required=True, resolver=organisation_of)


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
    organisation = graphene.Field(Organisation, required=True, resolver=organisation_of)
    price = Money(required=True)
    total = graphene.Float(required=True)
    scores = graphene.Field(CriterionScores, required=True, resolver=scores_of)


BidConnection: type[relay.Connection] = connection(Bid)
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


class EvaluationWeights(graphene.ObjectType):
    price = graphene.Int(required=True)
    plan_quality = graphene.Int(required=True)
    experience = graphene.Int(required=True)
    reputation = graphene.Int(required=True)


class EligibleOrganisation(graphene.ObjectType):
    organisation = graphene.Field(Organisation, required=True, resolver=organisation_of)
    fit = graphene.Float(required=True, description="Experience in the category, capacity, specialism.")


def resolve_eligible(root, info, project_id):
    ctx = context(info)
    return ctx.call("matching", "eligible_organisations", [raw_id(project_id, "Project", "project_id")])
