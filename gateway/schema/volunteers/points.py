"""Volunteer points (积分) in double entry: credits for approved hours and activities, the rewards
they buy, redemptions, and the community's ledger."""

from __future__ import annotations

import graphene

from gateway.schema.common import DateTime, Node, fetched_by, listed_by, one_of
from gateway.schema.connections import connection, list_field
from gateway.schema.context import context
from gateway.schema.volunteers.registry import (
    VOLUNTEER,
    RewardKind,
    Volunteer,
    loaded_by,
    volunteers_mutation,
)
from gateway.schema.volunteers.requests import REQUEST
from shared.vocabulary import volunteers as words


class PointsEntry(graphene.ObjectType):
    amount = graphene.Int(required=True, description="Points in (positive) or out (negative).")
    kind = graphene.String(required=True, description="hours, activity or redemption")
    memo = graphene.String(required=True)
    posted_at = DateTime(required=True)


PointsEntryConnection = connection(PointsEntry)


class PointsAccount(graphene.ObjectType):
    balance = graphene.Int(required=True)
    entries = list_field(PointsEntryConnection, ("volunteers", "list_points_entries"))


class PointsLedger(graphene.ObjectType):
    """The community's points in double entry: every credit has its matching debit."""

    issued = graphene.Int(required=True)
    redeemed = graphene.Int(required=True)
    outstanding = graphene.Int(required=True, description="Held by volunteers: issued less redeemed.")
    balanced = graphene.Boolean(required=True)


@listed_by("volunteers", "list_rewards")
class Reward(graphene.ObjectType):
    class Meta:
        interfaces = (Node,)

    name = graphene.String(required=True)
    kind = graphene.String(required=True, description=one_of(words.RewardKind))
    points = graphene.Int(required=True, description="Per unit.")
    stock = graphene.Int(required=True)


@fetched_by("volunteers", "get_redemptions")
class Redemption(graphene.ObjectType):
    class Meta:
        interfaces = (Node,)

    reward = graphene.Field(Reward, resolver=loaded_by("list_rewards", "reward_id"))
    reward_name = graphene.String(required=True)
    quantity = graphene.Int(required=True)
    points = graphene.Int(required=True)
    redeemed_at = DateTime(required=True)


class PointsCredit(graphene.ObjectType):
    points = graphene.Int(required=True)
    memo = graphene.String(required=True)
    posted_at = DateTime(required=True)
    volunteer = graphene.Field(Volunteer, resolver=loaded_by("get_volunteers", "volunteer_id"))


RewardConnection = connection(Reward)
RedemptionConnection = connection(Redemption)


def resolve_points_account(root, info):
    return context(info).call("volunteers", "points_account")


def resolve_points_ledger(root, info):
    return PointsLedger(**context(info).call("volunteers", "ledger_summary"))


class CreditActivityPointsInput(graphene.InputObjectType):
    volunteer_id = graphene.ID(required=True)
    activity = graphene.String(required=True, description="e.g. bags of litter collected")
    quantity = graphene.Int(required=True)
    points_per_unit = graphene.Int(required=True)
    request_id = graphene.ID()


class AddRewardInput(graphene.InputObjectType):
    name = graphene.String(required=True)
    kind = RewardKind(required=True)
    points = graphene.Int(required=True, description="Per unit.")
    stock = graphene.Int(required=True)


class RestockRewardInput(graphene.InputObjectType):
    reward_id = graphene.ID(required=True)
    quantity = graphene.Int(required=True)


class RedeemRewardInput(graphene.InputObjectType):
    reward_id = graphene.ID(required=True)
    quantity = graphene.Int(description="1 unless given.")


CreditActivityPoints = volunteers_mutation(
    "CreditActivityPoints",
    CreditActivityPointsInput,
    "credit",
    PointsCredit,
    "credit_activity",
    {**VOLUNTEER, **REQUEST},
    doc="Points by quantity, such as bags of litter collected.",
)
AddReward = volunteers_mutation("AddReward", AddRewardInput, "reward", Reward, "add_reward")
RestockReward = volunteers_mutation(
    "RestockReward", RestockRewardInput, "reward", Reward, "restock_reward", {"reward_id": "Reward"}
)
RedeemReward = volunteers_mutation(
    "RedeemReward", RedeemRewardInput, "redemption", Redemption, "redeem_reward", {"reward_id": "Reward"}
)
