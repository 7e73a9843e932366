"""The volunteer registry (志愿者): volunteers with their skills, certificates and weekly
availability, the community's buildings, and service teams (服务队)."""

from __future__ import annotations

from datetime import date

import graphene

from gateway.schema.common import Date, Node, fetched_by, listed_by, load_listed, rpc_mutation
from gateway.schema.connections import connection, list_field
from gateway.schema.context import context
from gateway.schema.directory import Place
from shared.identity import PartyType
from shared.vocabulary import volunteers as words

RC, OC, VOL = PartyType.RESIDENTS_COMMITTEE, PartyType.OWNERS_COMMITTEE, PartyType.VOLUNTEER

RequestCategory = graphene.Enum.from_enum(words.RequestCategory)
RequestPriority = graphene.Enum.from_enum(
    words.RequestPriority, description=lambda value: words.RequestPriority.__doc__ if value is None else None
)
RewardKind = graphene.Enum.from_enum(words.RewardKind)
HoursGrouping = graphene.Enum.from_enum(words.HoursGrouping)


def loaded_by(method: str, key: str):
    """The record ``root[key]`` names, by a by-id RPC (``get_…``) or a list RPC's ``ids=`` (``list_…``)."""
    if method.startswith("list_"):
        return lambda root, info: load_listed(context(info), "volunteers", method, root.get(key))
    return lambda root, info: context(info).load_one("volunteers", method, root.get(key))


class SkillLevel(graphene.ObjectType):
    skill = graphene.String(required=True)
    level = graphene.Int(required=True, description="1 (able) to 5 (expert).")


class Certificate(graphene.ObjectType):
    name = graphene.String(required=True)
    number = graphene.String(required=True)
    expires_on = Date(required=True)
    valid = graphene.Boolean(
        required=True, description="Valid today; an expired one bars the tasks needing it."
    )

    @staticmethod
    def resolve_expires_on(root, info):
        return date.fromisoformat(root["expires_on"])

    @staticmethod
    def resolve_valid(root, info):
        return date.fromisoformat(root["expires_on"]) >= date.today()


class WeeklySlot(graphene.ObjectType):
    """A weekly time the volunteer is free, in community time; an end at or before the start runs past
    midnight (00:00–00:00 is the whole day)."""

    weekday = graphene.Int(required=True, description="0 is Monday.")
    starts = graphene.String(required=True)
    ends = graphene.String(required=True)


@listed_by("volunteers", "list_buildings")
class Building(graphene.ObjectType):
    class Meta:
        interfaces = (Node,)

    name = graphene.String(required=True)
    compound = graphene.Field(Place, description="The compound, for a residential building.")
    x = graphene.Float(required=True, description="Metres east of the community's origin.")
    y = graphene.Float(required=True, description="Metres north of the community's origin.")

    @staticmethod
    def resolve_compound(root, info):
        return context(info).load_one("meetings", "get_places", root.get("compound_id"))


@fetched_by("volunteers", "get_volunteers")
class Volunteer(graphene.ObjectType):
    class Meta:
        interfaces = (Node,)

    name = graphene.String(required=True)
    building = graphene.Field(
        Building, resolver=loaded_by("list_buildings", "building_id"), description="Home."
    )
    skills = graphene.List(graphene.NonNull(SkillLevel), required=True)
    certificates = graphene.List(graphene.NonNull(Certificate), required=True)
    availability = graphene.List(graphene.NonNull(WeeklySlot), required=True)
    unavailable_dates = graphene.List(graphene.NonNull(Date), required=True)
    weekly_cap_hours = graphene.Int(required=True)
    home_visit_consent = graphene.Boolean(required=True)
    identity_verified = graphene.Boolean(required=True)
    points_balance = graphene.Int(required=True)
    hours_last_30_days = graphene.Float(required=True)
    no_shows = graphene.Int(required=True)
    teams = graphene.List(graphene.NonNull(lambda: Team), required=True)

    @staticmethod
    def resolve_skills(root, info):
        return [SkillLevel(**s) for s in root["skills"]]

    @staticmethod
    def resolve_availability(root, info):
        return [WeeklySlot(**s) for s in root["availability"]]

    @staticmethod
    def resolve_unavailable_dates(root, info):
        return [date.fromisoformat(d) for d in root["unavailable_dates"]]

    @staticmethod
    def resolve_teams(root, info):
        ctx = context(info)
        return [load_listed(ctx, "volunteers", "list_teams", team_id) for team_id in root["team_ids"]]


@listed_by("volunteers", "list_teams")
class Team(graphene.ObjectType):
    """A volunteer service team (服务队)."""

    class Meta:
        interfaces = (Node,)

    name = graphene.String(required=True)
    leader = graphene.Field(Volunteer, resolver=loaded_by("get_volunteers", "leader_id"))
    members = graphene.List(graphene.NonNull(Volunteer), required=True)

    @staticmethod
    def resolve_members(root, info):
        ctx = context(info)
        return [ctx.load_one("volunteers", "get_volunteers", i) for i in root["member_ids"]]


VolunteerConnection = connection(Volunteer)
TeamConnection = connection(Team)
BuildingConnection = connection(Building)


# Lists ----------------------------------------------------------------------------------


class VolunteerFilter(graphene.InputObjectType):
    skill = graphene.String()


VolunteerOrder = graphene.Enum("VolunteerOrder", [("NAME_ASC", "name")])


def volunteers_list(connection_type, method, filter_type=None, order_type=None):
    return lambda: list_field(connection_type, ("volunteers", method), filter_type, order_type)


# Mutations ------------------------------------------------------------------------------


class SkillLevelInput(graphene.InputObjectType):
    skill = graphene.String(required=True)
    level = graphene.Int(description="1 to 5; 1 unless given.")


class CertificateInput(graphene.InputObjectType):
    name = graphene.String(required=True, description="e.g. medical_licence")
    number = graphene.String()
    expires_on = Date(required=True)


class WeeklySlotInput(graphene.InputObjectType):
    weekday = graphene.Int(required=True, description="0 is Monday.")
    starts = graphene.String(required=True, description="08:30, community time")
    ends = graphene.String(required=True, description="At or before the start: runs past midnight.")


class RegisterVolunteerInput(graphene.InputObjectType):
    name = graphene.String(required=True)
    building_id = graphene.ID(description="Home building.")
    skills = graphene.List(graphene.NonNull(SkillLevelInput))
    certificates = graphene.List(graphene.NonNull(CertificateInput))
    availability = graphene.List(graphene.NonNull(WeeklySlotInput))
    unavailable_dates = graphene.List(graphene.NonNull(Date))
    weekly_cap_hours = graphene.Int(description="8 unless given.")
    home_visit_consent = graphene.Boolean()
    identity_verified = graphene.Boolean()


class UpdateVolunteerInput(graphene.InputObjectType):
    volunteer_id = graphene.ID(required=True)
    name = graphene.String()
    building_id = graphene.ID()
    skills = graphene.List(graphene.NonNull(SkillLevelInput))
    certificates = graphene.List(graphene.NonNull(CertificateInput))
    weekly_cap_hours = graphene.Int()
    identity_verified = graphene.Boolean()


class UpdateMyAvailabilityInput(graphene.InputObjectType):
    availability = graphene.List(graphene.NonNull(WeeklySlotInput))
    unavailable_dates = graphene.List(graphene.NonNull(Date))
    weekly_cap_hours = graphene.Int()
    home_visit_consent = graphene.Boolean()


class AddBuildingInput(graphene.InputObjectType):
    name = graphene.String(required=True)
    x = graphene.Float(required=True, description="Metres east of the community's origin.")
    y = graphene.Float(required=True, description="Metres north of the community's origin.")


class CreateTeamInput(graphene.InputObjectType):
    name = graphene.String(required=True)
    leader_id = graphene.ID(required=True)
    member_ids = graphene.List(graphene.NonNull(graphene.ID))


class UpdateTeamInput(graphene.InputObjectType):
    team_id = graphene.ID(required=True)
    name = graphene.String()
    leader_id = graphene.ID()
    member_ids = graphene.List(graphene.NonNull(graphene.ID))


def volunteers_mutation(name, input_type, result, result_type, method, ids=None, fixed=None, doc=""):
    return rpc_mutation(name, input_type, result, result_type, "volunteers", method, ids, fixed, doc)


VOLUNTEER = {"volunteer_id": "Volunteer"}
RegisterVolunteer = volunteers_mutation(
    "RegisterVolunteer",
    RegisterVolunteerInput,
    "volunteer",
    Volunteer,
    "register_volunteer",
    {"building_id": "Building"},
)
UpdateVolunteer = volunteers_mutation(
    "UpdateVolunteer",
    UpdateVolunteerInput,
    "volunteer",
    Volunteer,
    "update_volunteer",
    {**VOLUNTEER, "building_id": "Building"},
    doc="Keep the registry: home building, skills and levels, certificates, weekly cap, verified identity.",
)
UpdateMyAvailability = volunteers_mutation(
    "UpdateMyAvailability",
    UpdateMyAvailabilityInput,
    "volunteer",
    Volunteer,
    "update_availability",
    doc="Your weekly availability, days away, weekly hour cap and consent to home visits.",
)
AddBuilding = volunteers_mutation(
    "AddBuilding",
    AddBuildingInput,
    "building",
    Building,
    "add_building",
    doc="A building of the community (the committee) or of your compound (the owners' committee).",
)
CreateTeam = volunteers_mutation(
    "CreateTeam",
    CreateTeamInput,
    "team",
    Team,
    "create_team",
    {"leader_id": "Volunteer", "member_ids": "Volunteer"},
)
UpdateTeam = volunteers_mutation(
    "UpdateTeam",
    UpdateTeamInput,
    "team",
    Team,
    "update_team",
    {"team_id": "Team", "leader_id": "Volunteer", "member_ids": "Volunteer"},
)
