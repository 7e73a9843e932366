"""Entrypoints of the volunteers service: validate, delegate to a handler, dump the result."""

import os

from nameko.rpc import rpc
from nameko.timer import timer

from services.volunteers import handlers, schemas
from services.volunteers.models import Base
from shared.dependencies import Database
from shared.identity import Principal
from shared.messaging import consume
from shared.validation import load

# How often unanswered offers, no-shows, forgotten check-outs and unfilled requests are looked for.
VOLUNTEER_TICK_SECONDS = float(os.environ.get("GONGZHI_VOLUNTEER_TICK_SECONDS", "30"))


def _ids(ids) -> list[str] | None:
    return None if ids is None else list(ids)


class VolunteersService:
    name = "volunteers"
    db = Database("volunteers", Base.metadata)

    # Registry

    @rpc
    def enrol_volunteer(self, community_id, data):
        """Operators' command: a volunteer who signs up at the community office."""
        volunteer = handlers.register_volunteer(self.db, community_id, load(schemas.RegisterVolunteer, data))
        return schemas.VolunteerOut().dump(volunteer)

    @rpc
    def find_volunteers(self, criteria):
        """Operators' commands: a volunteer by id, or by community and name."""
        return schemas.VolunteerOut(many=True).dump(handlers.find_volunteers(self.db, dict(criteria)))

    @rpc
    def register_volunteer(self, principal, data):
        volunteer = handlers.register_volunteer_for(
            self.db, Principal.from_dict(principal), load(schemas.RegisterVolunteer, data)
        )
        return schemas.VolunteerOut().dump(volunteer)

    @rpc
    def update_volunteer(self, principal, data):
        volunteer = handlers.update_volunteer(
            self.db, Principal.from_dict(principal), load(schemas.UpdateVolunteer, data)
        )
        return schemas.VolunteerOut().dump(volunteer)

    @rpc
    def update_availability(self, principal, data):
        volunteer = handlers.update_availability(
            self.db, Principal.from_dict(principal), load(schemas.UpdateAvailability, data)
        )
        return schemas.VolunteerOut().dump(volunteer)

    @rpc
    def list_volunteers(self, principal):
        return schemas.VolunteerOut(many=True).dump(
            handlers.list_volunteers(self.db, Principal.from_dict(principal))
        )

    @rpc
    def get_volunteers(self, principal, ids):
        volunteers = handlers.get_volunteers(self.db, Principal.from_dict(principal), list(ids))
        return schemas.VolunteerOut(many=True).dump(volunteers)

    @rpc
    def add_building(self, principal, data):
        building = handlers.add_building(
            self.db, Principal.from_dict(principal), load(schemas.AddBuilding, data)
        )
        return schemas.BuildingOut().dump(building)

    @rpc
    def list_buildings(self, principal, ids=None):
        buildings = handlers.list_buildings(self.db, Principal.from_dict(principal), _ids(ids))
        return schemas.BuildingOut(many=True).dump(buildings)

    @rpc
    def create_team(self, principal, data):
        team = handlers.create_team(self.db, Principal.from_dict(principal), load(schemas.CreateTeam, data))
        return schemas.TeamOut().dump(team)

    @rpc
    def update_team(self, principal, data):
        team = handlers.update_team(self.db, Principal.from_dict(principal), load(schemas.UpdateTeam, data))
        return schemas.TeamOut().dump(team)

    @rpc
    def list_teams(self, principal, ids=None):
        teams = handlers.list_teams(self.db, Principal.from_dict(principal), _ids(ids))
        return schemas.TeamOut(many=True).dump(teams)

    # Requests and dispatch

    @rpc
    def open_request(self, principal, data):
        request = handlers.open_request(
            self.db, Principal.from_dict(principal), load(schemas.OpenServiceRequest, data)
        )
        return schemas.ServiceRequestOut().dump(request)

    @rpc
    def list_requests(self, principal):
        requests = handlers.list_requests(self.db, Principal.from_dict(principal))
        return schemas.ServiceRequestOut(many=True).dump(requests)

    @rpc
    def get_requests(self, principal, ids):
        requests = handlers.list_requests(self.db, Principal.from_dict(principal), list(ids))
        return schemas.ServiceRequestOut(many=True).dump(requests)

    @rpc
    def dispatch(self, principal, data):
        dispatch_round = handlers.dispatch(
            self.db, Principal.from_dict(principal), load(schemas.Dispatch, data)
        )
        return schemas.DispatchRoundOut().dump(dispatch_round)

    @rpc
    def get_rounds(self, principal, ids):
        rounds = handlers.get_rounds(self.db, Principal.from_dict(principal), list(ids))
        return schemas.DispatchRoundOut(many=True).dump(rounds)

    @rpc
    def assign_volunteer(self, principal, data):
        offer = handlers.assign_volunteer(
            self.db, Principal.from_dict(principal), load(schemas.AssignVolunteer, data)
        )
        return schemas.OfferOut().dump(offer)

    # Offers and shifts

    @rpc
    def respond_to_offer(self, principal, data):
        """Accepting answers with the booked shift, declining with the offer."""
        data = load(schemas.OfferResponse, data)
        if data["accept"]:
            return schemas.ShiftOut().dump(
                handlers.accept_offer(self.db, Principal.from_dict(principal), data)
            )
        return schemas.OfferOut().dump(handlers.decline_offer(self.db, Principal.from_dict(principal), data))

    @rpc
    def list_offers(self, principal, request_ids=None):
        offers = handlers.list_offers(self.db, Principal.from_dict(principal), _ids(request_ids))
        return schemas.OfferOut(many=True).dump(offers)

    @rpc
    def get_offers(self, principal, ids):
        offers = handlers.get_offers(self.db, Principal.from_dict(principal), list(ids))
        return schemas.OfferOut(many=True).dump(offers)

    @rpc
    def check_in(self, principal, data):
        shift = handlers.check_in(self.db, Principal.from_dict(principal), load(schemas.ShiftRef, data))
        return schemas.ShiftOut().dump(shift)

    @rpc
    def check_out(self, principal, data):
        shift = handlers.check_out(self.db, Principal.from_dict(principal), load(schemas.ShiftRef, data))
        return schemas.ShiftOut().dump(shift)

    @rpc
    def approve_hours(self, principal, data):
        shift = handlers.approve_hours(
            self.db, Principal.from_dict(principal), load(schemas.ApproveHours, data)
        )
        return schemas.ShiftOut().dump(shift)

    @rpc
    def list_shifts(self, principal, request_ids=None):
        shifts = handlers.list_shifts(self.db, Principal.from_dict(principal), _ids(request_ids))
        return schemas.ShiftOut(many=True).dump(shifts)

    @rpc
    def get_shifts(self, principal, ids):
        shifts = handlers.get_shifts(self.db, Principal.from_dict(principal), list(ids))
        return schemas.ShiftOut(many=True).dump(shifts)

    @rpc
    def calendar_shifts(self, principal):
        shifts = handlers.calendar_shifts(self.db, Principal.from_dict(principal))
        return schemas.CalendarShiftOut(many=True).dump(shifts)

    # Points and rewards

    @rpc
    def credit_activity(self, principal, data):
        credited = handlers.credit_activity(
            self.db, Principal.from_dict(principal), load(schemas.CreditActivity, data)
        )
        return schemas.CreditOut().dump(credited)

    @rpc
    def points_account(self, principal):
        return schemas.PointsAccountOut().dump(
            handlers.points_account(self.db, Principal.from_dict(principal))
        )

    @rpc
    def ledger_summary(self, principal):
        return schemas.LedgerSummaryOut().dump(
            handlers.ledger_summary(self.db, Principal.from_dict(principal))
        )

    @rpc
    def restock_reward(self, principal, data):
        reward = handlers.restock_reward(
            self.db, Principal.from_dict(principal), load(schemas.RestockReward, data)
        )
        return schemas.RewardOut().dump(reward)

    @rpc
    def cancel_request(self, principal, data):
        request = handlers.cancel_request(
            self.db, Principal.from_dict(principal), load(schemas.CancelRequest, data)
        )
        return schemas.ServiceRequestOut().dump(request)

    @rpc
    def add_reward(self, principal, data):
        reward = handlers.add_reward(self.db, Principal.from_dict(principal), load(schemas.AddReward, data))
        return schemas.RewardOut().dump(reward)

    @rpc
    def list_rewards(self, principal, ids=None):
        rewards = handlers.list_rewards(self.db, Principal.from_dict(principal), _ids(ids))
        return schemas.RewardOut(many=True).dump(rewards)

    @rpc
    def redeem_reward(self, principal, data):
        redemption = handlers.redeem_reward(
            self.db, Principal.from_dict(principal), load(schemas.RedeemReward, data)
        )
        return schemas.RedemptionOut().dump(redemption)

    @rpc
    def list_redemptions(self, principal):
        redemptions = handlers.list_redemptions(self.db, Principal.from_dict(principal))
        return schemas.RedemptionOut(many=True).dump(redemptions)

    @rpc
    def get_redemptions(self, principal, ids):
        redemptions = handlers.get_redemptions(self.db, Principal.from_dict(principal), list(ids))
        return schemas.RedemptionOut(many=True).dump(redemptions)

    @rpc
    def hours_report(self, principal, data):
        rows = handlers.hours_report(self.db, Principal.from_dict(principal), load(schemas.HoursReport, data))
        return schemas.HoursRowOut(many=True).dump(rows)

    # Events from other services

    @consume("resolution.adopted")
    def open_request_from_resolution(self, event):
        handlers.open_request_from_resolution(self.db, event)

    @consume("milestone.volunteers_requested")
    def open_request_from_milestone(self, event):
        handlers.open_request_from_milestone(self.db, event)

    # Time-driven rules: each idempotent, so a missed or doubled tick does no harm.

    @timer(interval=VOLUNTEER_TICK_SECONDS)
    def expire_offers(self):
        handlers.expire_offers(self.db)

    @timer(interval=VOLUNTEER_TICK_SECONDS)
    def mark_no_shows(self):
        handlers.mark_no_shows(self.db)

    @timer(interval=VOLUNTEER_TICK_SECONDS)
    def close_forgotten_check_outs(self):
        handlers.close_forgotten_check_outs(self.db)

    @timer(interval=VOLUNTEER_TICK_SECONDS)
    def report_unfilled_requests(self):
        handlers.report_unfilled_requests(self.db)
