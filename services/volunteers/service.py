"""The volunteers service's entrypoints: what it answers, and which use case answers it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from marshmallow import Schema

from services.volunteers import answers, commands, schemas
from services.volunteers.handlers import (
    availability,
    deadlines,
    hours,
    offers,
    points,
    registry,
    reports,
    requests,
    rewards,
    shifts,
    teams,
)
from services.volunteers.handlers import dispatch as dispatching
from services.volunteers.models import Base
from shared.dependencies import Clocks, Database
from shared.entrypoints import Every, answers_forgotten, listing, records, rpc, use_case
from shared.identity import Principal
from shared.messaging import consume
from shared.validation import load


def listing_by_request(
    handler: Callable[..., Any], answer: Schema, by_id: Callable[..., Any], of_requests: Callable[..., Any]
):
    """A list RPC ``(principal, page=None, ids=None, request_ids=None)``: one page, or the records
    among ``ids``, or those of the requests ``request_ids`` (a request's offers or shifts)."""
    paged = listing(handler, answer, by_id=by_id)

    def entrypoint(self, principal, page=None, ids=None, request_ids=None):
        if request_ids is None:
            return paged(self, principal, page=page, ids=ids)
        party = Principal.from_dict(principal)
        return answer.dump(of_requests(self.db, self.clock, party, [str(i) for i in request_ids]))

    entrypoint.__name__ = entrypoint.__qualname__ = handler.__name__
    entrypoint.__doc__ = handler.__doc__
    return rpc(entrypoint)


class VolunteersService:
    name = "volunteers"
    db = Database("volunteers", Base.metadata)
    clock = Clocks()
    # Answers kept for idempotency keys are forgotten after GONGZHI_IDEMPOTENCY_RETENTION_DAYS.
    forget_old_answers = answers_forgotten()

    # Registry and teams

    @rpc
    def enrol_volunteer(self, community_id, data):
        """Operators' command: a volunteer who signs up at the community office."""
        command = load(schemas.RegisterVolunteer, data)
        return answers.VolunteerOut().dump(
            registry.enrol_volunteer(self.db, self.clock, community_id, command)
        )

    @rpc
    def find_volunteers(self, criteria):
        """Operators' commands: a volunteer by id, or by community and name."""
        found = registry.find_volunteers(self.db, self.clock, load(schemas.FindVolunteers, criteria))
        return answers.VolunteerOut(many=True).dump(found)

    register_volunteer = use_case(
        registry.register_volunteer, schemas.RegisterVolunteer, answers.VolunteerOut()
    )
    update_volunteer = use_case(registry.update_volunteer, schemas.UpdateVolunteer, answers.VolunteerOut())
    update_availability = use_case(
        availability.update_availability, schemas.UpdateAvailability, answers.VolunteerOut()
    )
    list_volunteers = listing(
        registry.list_volunteers, answers.VolunteerOut(many=True), by_id=registry.get_volunteers
    )
    get_volunteers = records(registry.get_volunteers, answers.VolunteerOut(many=True))
    add_building = use_case(registry.add_building, schemas.AddBuilding, answers.BuildingOut())
    list_buildings = listing(
        registry.list_buildings, answers.BuildingOut(many=True), by_id=registry.get_buildings
    )
    create_team = use_case(teams.create_team, schemas.CreateTeam, answers.TeamOut())
    update_team = use_case(teams.update_team, schemas.UpdateTeam, answers.TeamOut())
    list_teams = listing(teams.list_teams, answers.TeamOut(many=True), by_id=teams.get_teams)

    # Requests and dispatch

    open_request = use_case(requests.open_request, schemas.OpenServiceRequest, answers.ServiceRequestOut())
    cancel_request = use_case(requests.cancel_request, schemas.CancelRequest, answers.ServiceRequestOut())
    list_requests = listing(
        requests.list_requests, answers.ServiceRequestOut(many=True), by_id=requests.get_requests
    )
    get_requests = records(requests.get_requests, answers.ServiceRequestOut(many=True))
    dispatch = use_case(dispatching.dispatch, schemas.Dispatch, answers.DispatchRoundOut())
    get_rounds = records(dispatching.get_rounds, answers.DispatchRoundOut(many=True))
    assign_volunteer = use_case(dispatching.assign_volunteer, schemas.AssignVolunteer, answers.OfferOut())

    # Offers, shifts and hours

    @rpc
    def respond_to_offer(self, principal, data):
        """Accepting answers with the booked shift, declining with the offer."""
        command = load(schemas.RespondToOffer, data)
        answered = offers.respond_to_offer(self.db, self.clock, Principal.from_dict(principal), command)
        return (answers.ShiftOut() if command.accept else answers.OfferOut()).dump(answered)

    list_offers = listing_by_request(
        offers.list_offers, answers.OfferOut(many=True), offers.get_offers, offers.offers_of_requests
    )
    get_offers = records(offers.get_offers, answers.OfferOut(many=True))
    check_in = use_case(shifts.check_in, schemas.CheckIn, answers.ShiftOut())
    check_out = use_case(shifts.check_out, schemas.CheckOut, answers.ShiftOut())
    approve_hours = use_case(hours.approve_hours, schemas.ApproveHours, answers.ShiftOut())
    list_shifts = listing_by_request(
        shifts.list_shifts, answers.ShiftOut(many=True), shifts.get_shifts, shifts.shifts_of_requests
    )
    get_shifts = records(shifts.get_shifts, answers.ShiftOut(many=True))
    calendar_shifts = use_case(shifts.calendar_shifts, None, answers.CalendarShiftOut(many=True))

    # Points and rewards

    credit_activity = use_case(points.credit_activity, schemas.CreditActivity, answers.CreditOut())
    points_account = use_case(points.points_account, None, answers.PointsAccountOut())
    list_points_entries = listing(points.list_points_entries, answers.LedgerEntryOut(many=True))
    ledger_summary = use_case(points.ledger_summary, None, answers.LedgerSummaryOut())
    add_reward = use_case(rewards.add_reward, schemas.AddReward, answers.RewardOut())
    restock_reward = use_case(rewards.restock_reward, schemas.RestockReward, answers.RewardOut())
    list_rewards = listing(rewards.list_rewards, answers.RewardOut(many=True), by_id=rewards.get_rewards)
    redeem_reward = use_case(rewards.redeem_reward, schemas.RedeemReward, answers.RedemptionOut())
    list_redemptions = listing(
        rewards.list_redemptions, answers.RedemptionOut(many=True), by_id=rewards.get_redemptions
    )
    get_redemptions = records(rewards.get_redemptions, answers.RedemptionOut(many=True))
    hours_report = use_case(reports.hours_report, schemas.HoursReport, answers.HoursRowOut(many=True))

    # Events from other services

    @consume("resolution.adopted")
    def open_request_from_resolution(self, event):
        adopted = commands.of_event(commands.DraftFromResolution, event.community_id, event.data)
        requests.open_request_from_resolution(self.db, self.clock, adopted)

    @consume("milestone.volunteers_requested")
    def open_request_from_milestone(self, event):
        needed = commands.of_event(commands.OpenForMilestone, event.community_id, event.data)
        requests.open_request_from_milestone(self.db, self.clock, needed)

    # Time-driven rules: each idempotent, so a missed or doubled tick does no harm.

    @Every.decorator("volunteer_tick_seconds")
    def expire_offers(self):
        deadlines.expire_offers(self.db, self.clock)

    @Every.decorator("volunteer_tick_seconds")
    def mark_no_shows(self):
        deadlines.mark_no_shows(self.db, self.clock)

    @Every.decorator("volunteer_tick_seconds")
    def close_forgotten_check_outs(self):
        deadlines.close_forgotten_check_outs(self.db, self.clock)

    @Every.decorator("volunteer_tick_seconds")
    def report_unfilled_requests(self):
        deadlines.report_unfilled_requests(self.db, self.clock)
