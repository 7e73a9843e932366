"""A volunteer's side of a place: accepting or declining an offer, checking in and out, and the
request owner's approval of the hours; the hours report."""

from __future__ import annotations

import graphene

from gateway.schema.context import context
from gateway.schema.volunteers.registry import volunteers_mutation
from gateway.schema.volunteers.requests import Offer, Shift


class HoursRow(graphene.ObjectType):
    key = graphene.String(required=True)
    label = graphene.String(required=True)
    hours = graphene.Float(required=True, description="Approved hours.")
    shifts = graphene.Int(required=True)


def resolve_hours(root, info, group_by):
    return [
        HoursRow(**row)
        for row in context(info).call("volunteers", "hours_report", {"group_by": group_by.value})
    ]


class OfferInput(graphene.InputObjectType):
    offer_id = graphene.ID(required=True)


class DeclineOfferInput(graphene.InputObjectType):
    offer_id = graphene.ID(required=True)
    reason = graphene.String()


class ShiftInput(graphene.InputObjectType):
    shift_id = graphene.ID(required=True)


class ApproveHoursInput(graphene.InputObjectType):
    shift_id = graphene.ID(required=True)
    approved_minutes = graphene.Int(description="As worked (at most as scheduled) unless given.")


AcceptOffer = volunteers_mutation(
    "AcceptOffer", OfferInput, "shift", Shift, "respond_to_offer", {"offer_id": "Offer"}, {"accept": True}
)
DeclineOffer = volunteers_mutation(
    "DeclineOffer",
    DeclineOfferInput,
    "offer",
    Offer,
    "respond_to_offer",
    {"offer_id": "Offer"},
    {"accept": False},
    doc="The place goes to the next best at once.",
)
SHIFT = {"shift_id": "Shift"}
CheckIn = volunteers_mutation("CheckIn", ShiftInput, "shift", Shift, "check_in", SHIFT)
CheckOut = volunteers_mutation("CheckOut", ShiftInput, "shift", Shift, "check_out", SHIFT)
ApproveHours = volunteers_mutation(
    "ApproveHours",
    ApproveHoursInput,
    "shift",
    Shift,
    "approve_hours",
    SHIFT,
    doc="The request's owner approves the hours: the shift is completed and earns points.",
)
