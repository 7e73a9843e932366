"""Volunteer dispatch in the GraphQL schema: the registry and teams, service requests, dispatch with
offers and shifts, the points ledger and rewards, and hours reports; which party sees and does what."""

from __future__ import annotations

import graphene

from gateway.schema.common import expose
from gateway.schema.volunteers.points import (
    AddReward,
    CreditActivityPoints,
    PointsAccount,
    PointsLedger,
    RedeemReward,
    RedemptionConnection,
    RestockReward,
    RewardConnection,
    resolve_points_account,
    resolve_points_ledger,
)
from gateway.schema.volunteers.registry import (
    OC,
    RC,
    VOL,
    AddBuilding,
    BuildingConnection,
    CreateTeam,
    HoursGrouping,
    RegisterVolunteer,
    TeamConnection,
    UpdateMyAvailability,
    UpdateTeam,
    UpdateVolunteer,
    VolunteerConnection,
    VolunteerFilter,
    VolunteerOrder,
    volunteers_list,
)
from gateway.schema.volunteers.requests import (
    AssignVolunteer,
    CancelServiceRequest,
    DispatchVolunteers,
    OfferConnection,
    OpenServiceRequest,
    ServiceRequestConnection,
    ServiceRequestFilter,
    ServiceRequestOrder,
    ShiftConnection,
    StatusFilter,
)
from gateway.schema.volunteers.shifts import (
    AcceptOffer,
    ApproveHours,
    CheckIn,
    CheckOut,
    DeclineOffer,
    HoursRow,
    resolve_hours,
)

QUERIES = [
    expose(
        "volunteers",
        volunteers_list(VolunteerConnection, "list_volunteers", VolunteerFilter, VolunteerOrder),
        RC,
        VOL,
    ),
    expose(
        "service_requests",
        volunteers_list(ServiceRequestConnection, "list_requests", ServiceRequestFilter, ServiceRequestOrder),
        RC,
        OC,
        VOL,
    ),
    expose("teams", volunteers_list(TeamConnection, "list_teams"), RC, VOL),
    expose("buildings", volunteers_list(BuildingConnection, "list_buildings"), RC, OC),
    expose(
        "offers",
        volunteers_list(OfferConnection, "list_offers", StatusFilter),
        RC,
        VOL,
    ),
    expose(
        "shifts",
        volunteers_list(ShiftConnection, "list_shifts", StatusFilter),
        RC,
        OC,
        VOL,
    ),
    expose("rewards", volunteers_list(RewardConnection, "list_rewards"), RC, VOL),
    expose("redemptions", volunteers_list(RedemptionConnection, "list_redemptions"), RC, VOL),
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
