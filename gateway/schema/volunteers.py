"""Volunteer dispatch in the GraphQL schema: the registry and teams, service requests, dispatch with
offers and shifts, the points ledger and rewards, and hours reports.

Types the owners' committee sees (requests, shifts, offers) refer to volunteers by name and ID only,
so that the volunteer registry stays outside its schema."""

from __future__ import annotations

from datetime import date

import graphene

from gateway.schema.common import Date, DateTime, Node, expose, fetched_by, global_id, one_of, rpc_mutation
from gateway.schema.connections import ConnectionField, connection, list_field
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


def _load(method: str, key: str):
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


@fetched_by("volunteers", "list_buildings")
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
    building = graphene.Field(Building, resolver=_load("list_buildings", "building_id"), description="Home.")
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
        return [ctx.load_one("volunteers", "list_teams", team_id) for team_id in root["team_ids"]]


@fetched_by("volunteers", "list_teams")
class Team(graphene.ObjectType):
    """A volunteer service team (服务队)."""

    class Meta:
        interfaces = (Node,)

    name = graphene.String(required=True)
    leader = graphene.Field(Volunteer, resolver=_load("get_volunteers", "leader_id"))
    members = graphene.List(graphene.NonNull(Volunteer), required=True)

    @staticmethod
    def resolve_members(root, info):
        ctx = context(info)
        return [ctx.load_one("volunteers", "get_volunteers", i) for i in root["member_ids"]]


def _volunteer_id(root, info):
    return global_id("Volunteer", root["volunteer_id"])


def _request(root, info):
    return context(info).load_one("volunteers", "get_requests", root["request_id"])


@fetched_by("volunteers", "get_offers")
class Offer(graphene.ObjectType):
    """A place offered by a dispatch, with why this volunteer, to accept or decline by ``respondBy``."""

    class Meta:
        interfaces = (Node,)

    request = graphene.Field(lambda: ServiceRequest, resolver=_request)
    volunteer_id = graphene.ID(required=True, resolver=_volunteer_id)
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

    request = graphene.Field(lambda: ServiceRequest, resolver=_request)
    volunteer_id = graphene.ID(required=True, resolver=_volunteer_id)
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
    building = graphene.Field(Building, resolver=_load("list_buildings", "building_id"))
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
        return context(info).load_many("volunteers", "list_offers", root["id"], "request_id")

    @staticmethod
    def resolve_shifts(root, info, **_):
        return context(info).load_many("volunteers", "list_shifts", root["id"], "request_id")


class UnfilledPlace(graphene.ObjectType):
    request = graphene.Field(ServiceRequest, resolver=_request)
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


class PointsEntry(graphene.ObjectType):
    amount = graphene.Int(required=True, description="Points in (positive) or out (negative).")
    kind = graphene.String(required=True, description="hours, activity or redemption")
    memo = graphene.String(required=True)
    posted_at = DateTime(required=True)


PointsEntryConnection = connection(PointsEntry)


class PointsAccount(graphene.ObjectType):
    balance = graphene.Int(required=True)
    entries = ConnectionField(PointsEntryConnection)

    @staticmethod
    def resolve_entries(root, info, **_):
        return root["entries"]


class PointsLedger(graphene.ObjectType):
    """The community's points in double entry: every credit has its matching debit."""

    issued = graphene.Int(required=True)
    redeemed = graphene.Int(required=True)
    outstanding = graphene.Int(required=True, description="Held by volunteers: issued less redeemed.")
    balanced = graphene.Boolean(required=True)


@fetched_by("volunteers", "list_rewards")
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

    reward = graphene.Field(Reward, resolver=_load("list_rewards", "reward_id"))
    reward_name = graphene.String(required=True)
    quantity = graphene.Int(required=True)
    points = graphene.Int(required=True)
    redeemed_at = DateTime(required=True)


class PointsCredit(graphene.ObjectType):
    points = graphene.Int(required=True)
    memo = graphene.String(required=True)
    posted_at = DateTime(required=True)
    volunteer = graphene.Field(Volunteer, resolver=_load("get_volunteers", "volunteer_id"))


class HoursRow(graphene.ObjectType):
    key = graphene.String(required=True)
    label = graphene.String(required=True)
    hours = graphene.Float(required=True, description="Approved hours.")
    shifts = graphene.Int(required=True)


VolunteerConnection = connection(Volunteer)
ServiceRequestConnection = connection(ServiceRequest)
TeamConnection = connection(Team)
BuildingConnection = connection(Building)
RewardConnection = connection(Reward)
RedemptionConnection = connection(Redemption)


# Lists ----------------------------------------------------------------------------------


class VolunteerFilter(graphene.InputObjectType):
    skill = graphene.String()


VolunteerOrder = graphene.Enum("VolunteerOrder", [("NAME_ASC", "name")])


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


def _list(connection_type, method, filter_type=None, order_type=None):
    return lambda: list_field(connection_type, ("volunteers", method), filter_type, order_type)


def resolve_points_account(root, info):
    return context(info).call("volunteers", "points_account")


def resolve_points_ledger(root, info):
    return PointsLedger(**context(info).call("volunteers", "ledger_summary"))


def resolve_hours(root, info, group_by):
    return [
        HoursRow(**row)
        for row in context(info).call("volunteers", "hours_report", {"group_by": group_by.value})
    ]


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


class CancelServiceRequestInput(graphene.InputObjectType):
    request_id = graphene.ID(required=True)
    reason = graphene.String(required=True)


class RedeemRewardInput(graphene.InputObjectType):
    reward_id = graphene.ID(required=True)
    quantity = graphene.Int(description="1 unless given.")


def _mutation(name, input_type, result, result_type, method, ids=None, fixed=None, doc=""):
    return rpc_mutation(name, input_type, result, result_type, "volunteers", method, ids, fixed, doc)


REQUEST, VOLUNTEER = {"request_id": "ServiceRequest"}, {"volunteer_id": "Volunteer"}
RegisterVolunteer = _mutation(
    "RegisterVolunteer",
    RegisterVolunteerInput,
    "volunteer",
    Volunteer,
    "register_volunteer",
    {"building_id": "Building"},
)
UpdateVolunteer = _mutation(
    "UpdateVolunteer",
    UpdateVolunteerInput,
    "volunteer",
    Volunteer,
    "update_volunteer",
    {**VOLUNTEER, "building_id": "Building"},
    doc="Keep the registry: home building, skills and levels, certificates, weekly cap, verified identity.",
)
UpdateMyAvailability = _mutation(
    "UpdateMyAvailability",
    UpdateMyAvailabilityInput,
    "volunteer",
    Volunteer,
    "update_availability",
    doc="Your weekly availability, days away, weekly hour cap and consent to home visits.",
)
AddBuilding = _mutation(
    "AddBuilding",
    AddBuildingInput,
    "building",
    Building,
    "add_building",
    doc="A building of the community (the committee) or of your compound (the owners' committee).",
)
CreateTeam = _mutation(
    "CreateTeam",
    CreateTeamInput,
    "team",
    Team,
    "create_team",
    {"leader_id": "Volunteer", "member_ids": "Volunteer"},
)
UpdateTeam = _mutation(
    "UpdateTeam",
    UpdateTeamInput,
    "team",
    Team,
    "update_team",
    {"team_id": "Team", "leader_id": "Volunteer", "member_ids": "Volunteer"},
)
OpenServiceRequest = _mutation(
    "OpenServiceRequest",
    OpenServiceRequestInput,
    "service_request",
    ServiceRequest,
    "open_request",
    {**REQUEST, "building_id": "Building", "team_id": "Team"},
    doc="Raise a request: the committee for the community, the owners' committee for its compound, a "
    "team leader for its team.",
)
DispatchVolunteers = _mutation(
    "DispatchVolunteers",
    DispatchVolunteersInput,
    "dispatch_round",
    DispatchRound,
    "dispatch",
    {"team_id": "Team"},
    doc="Dispatch over every open request at once: the most places filled, the most urgent first, then "
    "the least cost; each offer and each unfilled place explained.",
)
AssignVolunteer = _mutation(
    "AssignVolunteer",
    AssignVolunteerInput,
    "offer",
    Offer,
    "assign_volunteer",
    {**REQUEST, **VOLUNTEER},
    doc="Offer a place to a volunteer chosen by hand, if the dispatch rules allow it.",
)
AcceptOffer = _mutation(
    "AcceptOffer", OfferInput, "shift", Shift, "respond_to_offer", {"offer_id": "Offer"}, {"accept": True}
)
DeclineOffer = _mutation(
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
CheckIn = _mutation("CheckIn", ShiftInput, "shift", Shift, "check_in", SHIFT)
CheckOut = _mutation("CheckOut", ShiftInput, "shift", Shift, "check_out", SHIFT)
ApproveHours = _mutation(
    "ApproveHours",
    ApproveHoursInput,
    "shift",
    Shift,
    "approve_hours",
    SHIFT,
    doc="The request's owner approves the hours: the shift is completed and earns points.",
)
CreditActivityPoints = _mutation(
    "CreditActivityPoints",
    CreditActivityPointsInput,
    "credit",
    PointsCredit,
    "credit_activity",
    {**VOLUNTEER, **REQUEST},
    doc="Points by quantity, such as bags of litter collected.",
)
AddReward = _mutation("AddReward", AddRewardInput, "reward", Reward, "add_reward")
RestockReward = _mutation(
    "RestockReward", RestockRewardInput, "reward", Reward, "restock_reward", {"reward_id": "Reward"}
)
CancelServiceRequest = _mutation(
    "CancelServiceRequest",
    CancelServiceRequestInput,
    "service_request",
    ServiceRequest,
    "cancel_request",
    REQUEST,
    doc="Call a request off before it starts: offers are withdrawn and shifts cancelled.",
)
RedeemReward = _mutation(
    "RedeemReward", RedeemRewardInput, "redemption", Redemption, "redeem_reward", {"reward_id": "Reward"}
)


QUERIES = [
    expose(
        "volunteers",
        _list(VolunteerConnection, "list_volunteers", VolunteerFilter, VolunteerOrder),
        RC,
        VOL,
    ),
    expose(
        "service_requests",
        _list(ServiceRequestConnection, "list_requests", ServiceRequestFilter, ServiceRequestOrder),
        RC,
        OC,
        VOL,
    ),
    expose("teams", _list(TeamConnection, "list_teams"), RC, VOL),
    expose("buildings", _list(BuildingConnection, "list_buildings"), RC, OC),
    expose(
        "offers",
        _list(OfferConnection, "list_offers", StatusFilter),
        RC,
        VOL,
    ),
    expose(
        "shifts",
        _list(ShiftConnection, "list_shifts", StatusFilter),
        RC,
        OC,
        VOL,
    ),
    expose("rewards", _list(RewardConnection, "list_rewards"), RC, VOL),
    expose("redemptions", _list(RedemptionConnection, "list_redemptions"), RC, VOL),
    expose(
        "points_account",
        lambda: graphene.Field(PointsAccount, required=True, resolver=resolve_points_account),
        VOL,
    ),
    expose(
        "points_ledger",
        lambda: graphene.Field(PointsLedger, required=True, resolver=resolve_points_ledger),
        RC,
    ),
    expose(
        "volunteer_hours",
        lambda: graphene.List(
            graphene.NonNull(HoursRow),
            required=True,
            group_by=graphene.Argument(HoursGrouping, required=True),
            resolver=resolve_hours,
            description="Approved hours by volunteer, team, request category or month.",
        ),
        RC,
        OC,
        VOL,
    ),
]
MUTATIONS = [
    expose("register_volunteer", RegisterVolunteer.Field, RC),
    expose("update_volunteer", UpdateVolunteer.Field, RC),
    expose("update_my_availability", UpdateMyAvailability.Field, VOL),
    expose("add_building", AddBuilding.Field, RC, OC),
    expose("create_team", CreateTeam.Field, RC),
    expose("update_team", UpdateTeam.Field, RC),
    expose("open_service_request", OpenServiceRequest.Field, RC, OC, VOL),
    expose("dispatch_volunteers", DispatchVolunteers.Field, RC, VOL),
    expose("assign_volunteer", AssignVolunteer.Field, RC, VOL),
    expose("accept_offer", AcceptOffer.Field, VOL),
    expose("decline_offer", DeclineOffer.Field, VOL),
    expose("check_in", CheckIn.Field, VOL),
    expose("check_out", CheckOut.Field, VOL),
    expose("approve_hours", ApproveHours.Field, RC, OC, VOL),
    expose("credit_activity_points", CreditActivityPoints.Field, RC, VOL),
    expose("add_reward", AddReward.Field, RC),
    expose("restock_reward", RestockReward.Field, RC),
    expose("cancel_service_request", CancelServiceRequest.Field, RC, OC, VOL),
    expose("redeem_reward", RedeemReward.Field, VOL),
]
