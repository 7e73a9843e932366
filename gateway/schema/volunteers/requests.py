"""Service requests and their dispatch: a call for volunteers, the offers a dispatch makes with
why each volunteer, the places nobody fits (explained), and the shifts of those who accepted.

These types are in the owners' committee's schema too: they name volunteers by name and ID only,
so that the registry stays outside it."""

from __future__ import annotations

import graphene

from gateway.schema.common import DateTime, Node, fetched_by, global_id, load_children, one_of
from gateway.schema.connections import ConnectionField, connection
from gateway.schema.context import context
from gateway.schema.volunteers.registry import (
    VOLUNTEER,
    Building,
    RequestCategory,
    RequestPriority,
    SkillLevel,
    SkillLevelInput,
    loaded_by,
    volunteers_mutation,
)
from shared.vocabulary import volunteers as words


def volunteer_global_id(root, info):
    return global_id("Volunteer", root["volunteer_id"])


def request_of(root, info):
    return context(info).load_one("volunteers", "get_requests", root["request_id"])


@fetched_by("volunteers", "get_offers")
class Offer(graphene.ObjectType):
    """A place offered by a dispatch, with why this volunteer, to accept or decline by ``respondBy``."""

    class Meta:
        interfaces = (Node,)

    request = graphene.Field(lambda: ServiceRequest, resolver=request_of)
    volunteer_id = graphene.ID(required=True, resolver=volunteer_global_id)
    volunteer_name = graphene.String(required=True)
    place = graphene.Int(required=True)
    starts_at = DateTime(required=True)
    ends_at = DateTime(required=True)
    explanation = graphene.String(required=True, description="Why this volunteer.")
    cost = graphene.Float(required=True, description="Skill fit, distance, recent hours and no-shows.")
    status = graphene.String(required=True, description=one_of(words.OfferStatus))
    offered_at = DateTime(required=True)
    respond_by = DateTime(required=True)
    responded_at = DateTime()
    decline_reason = graphene.String()


@fetched_by("volunteers", "get_shifts")
class Shift(graphene.ObjectType):
    """An accepted place: check-in, check-out, and the hours approved by the request's owner."""

    class Meta:
        interfaces = (Node,)

    request = graphene.Field(lambda: ServiceRequest, resolver=request_of)
    volunteer_id = graphene.ID(required=True, resolver=volunteer_global_id)
    volunteer_name = graphene.String(required=True)
    starts_at = DateTime(required=True)
    ends_at = DateTime(required=True)
    status = graphene.String(required=True, description=one_of(words.ShiftStatus))
    checked_in_at = DateTime()
    checked_out_at = DateTime()
    auto_checked_out = graphene.Boolean(
        required=True, description="The check-out was forgotten and closed at the scheduled end."
    )
    approved_hours = graphene.Float()
    approved_at = DateTime()
    points = graphene.Int()

    @staticmethod
    def resolve_approved_hours(root, info):
        minutes = root.get("approved_minutes")
        return None if minutes is None else round(minutes / 60, 2)


OfferConnection = connection(Offer)
ShiftConnection = connection(Shift)


@fetched_by("volunteers", "get_requests")
class ServiceRequest(graphene.ObjectType):
    """A call for volunteers: skills, places, a fixed shift or a flexible window, where and how urgent."""

    class Meta:
        interfaces = (Node,)

    title = graphene.String(required=True)
    description = graphene.String(required=True)
    category = graphene.String(required=True)
    skills = graphene.List(graphene.NonNull(SkillLevel), required=True)
    certificates = graphene.List(graphene.NonNull(graphene.String), required=True)
    places = graphene.Int(required=True)
    filled = graphene.Int(required=True, description="Places with a volunteer who accepted.")
    starts_at = DateTime(description="The shift's start, or the flexible window's earliest; none in a draft.")
    ends_at = DateTime()
    duration_minutes = graphene.Int(description="Set for a flexible window.")
    location = graphene.String(required=True)
    building = graphene.Field(Building, resolver=loaded_by("list_buildings", "building_id"))
    priority = graphene.String(required=True)
    home_visit = graphene.Boolean(required=True)
    team_id = graphene.ID(description="The team that runs it.")
    status = graphene.String(required=True, description=one_of(words.RequestStatus))
    cancelled_reason = graphene.String()
    source = graphene.String(
        required=True, description="committee, owners_committee, team, resolution or milestone"
    )
    opened_at = DateTime(required=True)
    dispatched_at = DateTime()
    unfilled_reason = graphene.String(description="Why nobody fits the places still unfilled.")
    unfilled_reported_at = DateTime(description="When it was announced as unfilled close to its start.")
    offers = ConnectionField(OfferConnection)
    shifts = ConnectionField(ShiftConnection)

    @staticmethod
    def resolve_skills(root, info):
        return [SkillLevel(**s) for s in root["skills"]]

    @staticmethod
    def resolve_team_id(root, info):
        return global_id("Team", root.get("team_id"))

    @staticmethod
    def resolve_offers(root, info, **_):
        return load_children(
            context(info), "volunteers", "list_offers", "request_ids", root["id"], "request_id"
        )

    @staticmethod
    def resolve_shifts(root, info, **_):
        return load_children(
            context(info), "volunteers", "list_shifts", "request_ids", root["id"], "request_id"
        )


class UnfilledPlace(graphene.ObjectType):
    request = graphene.Field(ServiceRequest, resolver=request_of)
    place = graphene.Int(required=True)
    reason = graphene.String(required=True, description="Why nobody fits.")


@fetched_by("volunteers", "get_rounds")
class DispatchRound(graphene.ObjectType):
    """One dispatch over every open request in scope: its offers and its unfilled places, explained."""

    class Meta:
        interfaces = (Node,)

    reason = graphene.String(required=True, description="dispatch, declined, expired or no_show")
    run_at = DateTime(required=True)
    offers = graphene.List(graphene.NonNull(Offer), required=True)
    unfilled_places = graphene.List(graphene.NonNull(UnfilledPlace), required=True)

    @staticmethod
    def resolve_unfilled_places(root, info):
        return root["unfilled"]


ServiceRequestConnection = connection(ServiceRequest)


class ServiceRequestFilter(graphene.InputObjectType):
    status = graphene.String(description=one_of(words.RequestStatus))
    category = graphene.String()
    priority = graphene.String()
    starts_after = DateTime()


ServiceRequestOrder = graphene.Enum(
    "ServiceRequestOrder", [("STARTS_AT_ASC", "starts_at"), ("STARTS_AT_DESC", "-starts_at")]
)


class StatusFilter(graphene.InputObjectType):
    status = graphene.String()


class OpenServiceRequestInput(graphene.InputObjectType):
    request_id = graphene.ID(description="A draft a meeting resolution left, to complete and open.")
    title = graphene.String(required=True)
    description = graphene.String()
    category = RequestCategory()
    skills = graphene.List(graphene.NonNull(SkillLevelInput), required=True)
    certificates = graphene.List(graphene.NonNull(graphene.String), description="Valid on the day.")
    places = graphene.Int(required=True)
    starts_at = DateTime(required=True, description="The shift's start, or a flexible window's earliest.")
    ends_at = DateTime(required=True)
    duration_minutes = graphene.Int(description="For a flexible window: how long within it.")
    location = graphene.String(required=True)
    building_id = graphene.ID()
    priority = RequestPriority()
    home_visit = graphene.Boolean(description="Only consenting volunteers with a verified identity.")
    team_id = graphene.ID(description="The team that runs it (a team leader's own).")


class DispatchVolunteersInput(graphene.InputObjectType):
    team_id = graphene.ID(description="One team's requests only; a team leader gives its own.")


class AssignVolunteerInput(graphene.InputObjectType):
    request_id = graphene.ID(required=True)
    volunteer_id = graphene.ID(required=True)


class CancelServiceRequestInput(graphene.InputObjectType):
    request_id = graphene.ID(required=True)
    reason = graphene.String(required=True)


REQUEST = {"request_id": "ServiceRequest"}
OpenServiceRequest = volunteers_mutation(
    "OpenServiceRequest",
    OpenServiceRequestInput,
    "service_request",
    ServiceRequest,
    "open_request",
    {**REQUEST, "building_id": "Building", "team_id": "Team"},
    doc="Raise a request: the committee for the community, the owners' committee for its compound, a "
    "team leader for its team.",
)
DispatchVolunteers = volunteers_mutation(
    "DispatchVolunteers",
    DispatchVolunteersInput,
    "dispatch_round",
    DispatchRound,
    "dispatch",
    {"team_id": "Team"},
    doc="Dispatch over every open request at once: the most places filled, the most urgent first, then "
    "the least cost; each offer and each unfilled place explained.",
)
AssignVolunteer = volunteers_mutation(
    "AssignVolunteer",
    AssignVolunteerInput,
    "offer",
    Offer,
    "assign_volunteer",
    {**REQUEST, **VOLUNTEER},
    doc="Offer a place to a volunteer chosen by hand, if the dispatch rules allow it.",
)
CancelServiceRequest = volunteers_mutation(
    "CancelServiceRequest",
    CancelServiceRequestInput,
    "service_request",
    ServiceRequest,
    "cancel_request",
    REQUEST,
    doc="Call a request off before it starts: offers are withdrawn and shifts cancelled.",
)
