"""Volunteers, service requests and assignments in the GraphQL schema."""

from __future__ import annotations

import graphene

from gateway.schema.common import (
    ConnectionField,
    DateTime,
    Node,
    at_or_after,
    connection,
    contains,
    context,
    equals,
    expose,
    fetched_by,
    list_field,
    rpc_mutation,
)
from shared.identity import PartyType

RC, VOL = PartyType.RESIDENTS_COMMITTEE, PartyType.VOLUNTEER


@fetched_by("volunteers", "get_volunteers")
class Volunteer(graphene.ObjectType):
    class Meta:
        interfaces = (Node,)

    name = graphene.String(required=True)
    skills = graphene.List(graphene.NonNull(graphene.String), required=True)


class Assignment(graphene.ObjectType):
    class Meta:
        interfaces = (Node,)

    starts_at = DateTime(required=True)
    ends_at = DateTime(required=True)
    volunteer = graphene.Field(Volunteer)

    @staticmethod
    def resolve_volunteer(root, info):
        return context(info).load_one("volunteers", "get_volunteers", root["volunteer_id"])


class ServiceRequest(graphene.ObjectType):
    """A call for volunteers: a skill, a number of places, a shift."""

    class Meta:
        interfaces = (Node,)

    title = graphene.String(required=True)
    skill = graphene.String(required=True)
    places = graphene.Int(required=True)
    starts_at = DateTime(required=True)
    ends_at = DateTime(required=True)
    location = graphene.String(required=True)
    status = graphene.String(required=True)
    assignments = ConnectionField(lambda: AssignmentConnection)

    @staticmethod
    def resolve_assignments(root, info, **_):
        return context(info).load_many("volunteers", "list_assignments", root["id"], "request_id")


AssignmentConnection = connection(Assignment)
VolunteerConnection = connection(Volunteer)
ServiceRequestConnection = connection(ServiceRequest)


class VolunteerFilter(graphene.InputObjectType):
    skill = graphene.String()


VolunteerOrder = graphene.Enum("VolunteerOrder", [("NAME_ASC", "name")])


class ServiceRequestFilter(graphene.InputObjectType):
    status = graphene.String(description="open or filled")
    skill = graphene.String()
    starts_after = DateTime()


ServiceRequestOrder = graphene.Enum(
    "ServiceRequestOrder", [("STARTS_AT_ASC", "starts_at"), ("STARTS_AT_DESC", "-starts_at")]
)
REQUEST_MATCHERS = {
    "status": equals("status"),
    "skill": equals("skill"),
    "starts_after": at_or_after("starts_at"),
}


def volunteers_field():
    return list_field(
        VolunteerConnection,
        lambda ctx: ctx.call("volunteers", "list_volunteers"),
        VolunteerFilter,
        VolunteerOrder,
        {"skill": contains("skills")},
        default_order="name",
    )


def service_requests_field():
    return list_field(
        ServiceRequestConnection,
        lambda ctx: ctx.call("volunteers", "list_requests"),
        ServiceRequestFilter,
        ServiceRequestOrder,
        REQUEST_MATCHERS,
        default_order="starts_at",
    )


class RegisterVolunteerInput(graphene.InputObjectType):
    name = graphene.String(required=True)
    skills = graphene.List(graphene.NonNull(graphene.String))


RegisterVolunteer = rpc_mutation(
    "RegisterVolunteer", RegisterVolunteerInput, "volunteer", Volunteer, "volunteers", "register_volunteer"
)


class OpenServiceRequestInput(graphene.InputObjectType):
    title = graphene.String(required=True)
    skill = graphene.String(required=True)
    places = graphene.Int(required=True)
    starts_at = DateTime(required=True)
    ends_at = DateTime(required=True)
    location = graphene.String(required=True)


OpenServiceRequest = rpc_mutation(
    "OpenServiceRequest",
    OpenServiceRequestInput,
    "service_request",
    ServiceRequest,
    "volunteers",
    "open_request",
)


class AssignVolunteerInput(graphene.InputObjectType):
    request_id = graphene.ID(required=True)
    volunteer_id = graphene.ID(required=True)


AssignVolunteer = rpc_mutation(
    "AssignVolunteer",
    AssignVolunteerInput,
    "assignment",
    Assignment,
    "volunteers",
    "assign_volunteer",
    {"request_id": "ServiceRequest", "volunteer_id": "Volunteer"},
)


QUERIES = [
    expose("volunteers", volunteers_field, RC),
    expose(
        "service_requests",
        service_requests_field,
        RC,
        VOL,
    ),
]
MUTATIONS = [
    expose("register_volunteer", RegisterVolunteer.Field, RC),
    expose("open_service_request", OpenServiceRequest.Field, RC),
    expose("assign_volunteer", AssignVolunteer.Field, RC),
]
