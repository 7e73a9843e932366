"""Entrypoints of the meetings service: validate, delegate to a handler, dump the result."""

from nameko.rpc import rpc
from nameko.timer import timer

from services.meetings import handlers, schemas
from services.meetings.models import Base
from shared.dependencies import Database
from shared.identity import Principal
from shared.messaging import consume
from shared.validation import load


class MeetingsService:
    name = "meetings"
    db = Database("meetings", Base.metadata)

    # The directory: operators' commands, not exposed through the gateway.

    @rpc
    def register_district(self, data):
        result = handlers.register_district(self.db, load(schemas.RegisterDistrict, data))
        return {"district_id": result["district"].id, "office_id": result["office"].id}

    @rpc
    def register_community(self, data):
        result = handlers.register_community(self.db, load(schemas.RegisterCommunity, data))
        return {"community_id": result["community"].id, "committee_id": result["committee"].id}

    @rpc
    def register_compound(self, data):
        result = handlers.register_compound(self.db, load(schemas.RegisterCompound, data))
        return {
            "compound_id": result["compound"].id,
            "owners_committee_id": result["owners_committee"].id,
            "property_company_id": result["property_company"].id,
        }

    @rpc
    def register_joint_building_unit(self, data):
        unit = handlers.register_joint_building_unit(self.db, load(schemas.RegisterJointBuildingUnit, data))
        return schemas.PartyOut().dump(unit)

    @rpc
    def find_in_directory(self, kind, criteria):
        """Operators' commands: parties, districts, communities or compounds by id, or by name and parent."""
        return handlers.find_in_directory(self.db, kind, dict(criteria))

    # Names in the directory are public to every signed-in party.

    @rpc
    def get_parties(self, principal, ids):
        Principal.from_dict(principal)
        return schemas.PartyOut(many=True).dump(handlers.get_parties(self.db, list(ids)))

    @rpc
    def get_places(self, principal, ids):
        Principal.from_dict(principal)
        return schemas.PlaceOut(many=True).dump(handlers.get_places(self.db, list(ids)))

    @rpc
    def get_communities(self, ids):
        """Which district each community lies in, for the services that check where a record may
        belong (matching: a filing names communities of its office's district only)."""
        return schemas.CommunityOut(many=True).dump(handlers.get_communities(self.db, list(ids)))

    # Joint meetings

    @rpc
    def schedule_meeting(self, principal, data):
        meeting = handlers.schedule_meeting(
            self.db, Principal.from_dict(principal), load(schemas.ScheduleMeeting, data)
        )
        return schemas.MeetingOut().dump(meeting)

    @rpc
    def list_meetings(self, principal):
        meetings = handlers.list_meetings(self.db, Principal.from_dict(principal))
        return schemas.MeetingOut(many=True).dump(meetings)

    @rpc
    def get_meeting(self, principal, meeting_id):
        meeting = handlers.get_meeting(self.db, Principal.from_dict(principal), meeting_id)
        return schemas.MeetingOut().dump(meeting)

    @rpc
    def get_meetings(self, principal, ids):
        meetings = handlers.get_meetings(self.db, Principal.from_dict(principal), list(ids))
        return schemas.MeetingOut(many=True).dump(meetings)

    @rpc
    def submit_agenda_item(self, principal, data):
        item = handlers.submit_agenda_item(
            self.db, Principal.from_dict(principal), load(schemas.SubmitAgendaItem, data)
        )
        return schemas.AgendaItemOut().dump(item)

    @rpc
    def list_agenda(self, principal, meeting_ids):
        items = handlers.list_agenda(self.db, Principal.from_dict(principal), list(meeting_ids))
        return schemas.AgendaItemOut(many=True).dump(items)

    @rpc
    def record_resolution(self, principal, data):
        resolution = handlers.record_resolution(
            self.db, Principal.from_dict(principal), load(schemas.RecordResolution, data)
        )
        return schemas.ResolutionOut().dump(resolution)

    @rpc
    def list_resolutions(self, principal, meeting_ids):
        items = handlers.list_resolutions(self.db, Principal.from_dict(principal), list(meeting_ids))
        return schemas.ResolutionOut(many=True).dump(items)

    @rpc
    def create_series(self, principal, data):
        series = handlers.create_series(
            self.db, Principal.from_dict(principal), load(schemas.CreateSeries, data)
        )
        return schemas.SeriesOut().dump(series)

    @rpc
    def list_series(self, principal):
        return schemas.SeriesOut(many=True).dump(
            handlers.list_series(self.db, Principal.from_dict(principal))
        )

    @rpc
    def reschedule_meeting(self, principal, data):
        meeting = handlers.reschedule_meeting(
            self.db, Principal.from_dict(principal), load(schemas.RescheduleMeeting, data)
        )
        return schemas.MeetingOut().dump(meeting)

    @rpc
    def cancel_meeting(self, principal, data):
        meeting = handlers.cancel_meeting(
            self.db, Principal.from_dict(principal), load(schemas.CancelMeeting, data)
        )
        return schemas.MeetingOut().dump(meeting)

    @rpc
    def sign_in_to_meeting(self, principal, data):
        attendance = handlers.sign_in_to_meeting(
            self.db, Principal.from_dict(principal), load(schemas.SignInToMeeting, data)
        )
        return schemas.AttendanceOut().dump(attendance)

    @rpc
    def list_attendance(self, principal, meeting_ids):
        rows = handlers.list_attendance(self.db, Principal.from_dict(principal), list(meeting_ids))
        return schemas.AttendanceOut(many=True).dump(rows)

    @rpc
    def take_position(self, principal, data):
        resolution = handlers.take_position(
            self.db, Principal.from_dict(principal), load(schemas.TakePosition, data)
        )
        return schemas.ResolutionOut().dump(resolution)

    @rpc
    def list_positions(self, principal, resolution_ids):
        rows = handlers.list_positions(self.db, Principal.from_dict(principal), list(resolution_ids))
        return schemas.PositionOut(many=True).dump(rows)

    @rpc
    def assign_action_item(self, principal, data):
        item = handlers.assign_action_item(
            self.db, Principal.from_dict(principal), load(schemas.AssignActionItem, data)
        )
        return schemas.ActionItemOut().dump(item)

    @rpc
    def act_on_action_item(self, principal, data):
        item = handlers.act_on_action_item(
            self.db, Principal.from_dict(principal), load(schemas.ActOnActionItem, data)
        )
        return schemas.ActionItemOut().dump(item)

    @rpc
    def list_action_items(self, principal):
        items = handlers.list_action_items(self.db, Principal.from_dict(principal))
        return schemas.ActionItemOut(many=True).dump(items)

    @rpc
    def public_notices(self, community_id):
        """The community's notice board: public, so it takes no principal."""
        return handlers.public_notices(self.db, str(community_id))

    @rpc
    def order_agenda(self, principal, data):
        items = handlers.order_agenda(
            self.db, Principal.from_dict(principal), load(schemas.OrderAgenda, data)
        )
        return schemas.AgendaItemOut(many=True).dump(items)

    @rpc
    def decide_agenda_item(self, principal, data):
        item = handlers.decide_agenda_item(
            self.db, Principal.from_dict(principal), load(schemas.DecideAgendaItem, data)
        )
        return schemas.AgendaItemOut().dump(item)

    @rpc
    def write_minutes(self, principal, data):
        minutes = handlers.write_minutes(
            self.db, Principal.from_dict(principal), load(schemas.WriteMinutes, data)
        )
        return schemas.MinutesOut().dump(minutes)

    @rpc
    def sign_minutes(self, principal, data):
        minutes = handlers.sign_minutes(
            self.db, Principal.from_dict(principal), load(schemas.SignMinutes, data)
        )
        return schemas.MinutesOut().dump(minutes)

    @rpc
    def get_minutes(self, principal, meeting_ids):
        rows = handlers.get_minutes(self.db, Principal.from_dict(principal), list(meeting_ids))
        return schemas.MinutesOut(many=True).dump(rows)

    @rpc
    def propose_meeting_times(self, principal, data):
        poll = handlers.propose_meeting_times(
            self.db, Principal.from_dict(principal), load(schemas.ProposeMeetingTimes, data)
        )
        return schemas.PollOut().dump(poll)

    @rpc
    def state_availability(self, principal, data):
        poll = handlers.state_availability(
            self.db, Principal.from_dict(principal), load(schemas.StateAvailability, data)
        )
        return schemas.PollOut().dump(poll)

    @rpc
    def find_meeting_times(self, principal, poll_id):
        slots = handlers.find_meeting_times(self.db, Principal.from_dict(principal), str(poll_id))
        return schemas.SlotOut(many=True).dump(slots)

    @rpc
    def confirm_meeting_time(self, principal, data):
        meeting = handlers.confirm_meeting_time(
            self.db, Principal.from_dict(principal), load(schemas.ConfirmMeetingTime, data)
        )
        return schemas.MeetingOut().dump(meeting)

    @rpc
    def list_polls(self, principal):
        return schemas.PollOut(many=True).dump(handlers.list_polls(self.db, Principal.from_dict(principal)))

    # Records by id, for node(id:): each answers only those the principal may see.

    @rpc
    def get_agenda_items(self, principal, ids):
        items = handlers.get_agenda_items(self.db, Principal.from_dict(principal), list(ids))
        return schemas.AgendaItemOut(many=True).dump(items)

    @rpc
    def get_resolutions(self, principal, ids):
        rows = handlers.get_resolutions(self.db, Principal.from_dict(principal), list(ids))
        return schemas.ResolutionOut(many=True).dump(rows)

    @rpc
    def get_series(self, principal, ids):
        rows = handlers.get_series(self.db, Principal.from_dict(principal), list(ids))
        return schemas.SeriesOut(many=True).dump(rows)

    @rpc
    def get_action_items(self, principal, ids):
        rows = handlers.get_action_items(self.db, Principal.from_dict(principal), list(ids))
        return schemas.ActionItemOut(many=True).dump(rows)

    @rpc
    def get_polls(self, principal, ids):
        rows = handlers.get_polls(self.db, Principal.from_dict(principal), list(ids))
        return schemas.PollOut(many=True).dump(rows)

    @consume("project.awarded")
    def put_award_on_agenda(self, event):
        handlers.put_event_on_agenda(self.db, event)

    @consume("milestone.deadline_passed")
    def put_overdue_milestone_on_agenda(self, event):
        handlers.put_event_on_agenda(self.db, event)

    @consume("service_request.went_unfilled")
    def put_unfilled_request_on_agenda(self, event):
        handlers.put_event_on_agenda(self.db, event)

    # Time-driven rules: each idempotent, so a missed or doubled tick does no harm.

    @timer(interval=60)
    def mark_overdue_action_items(self):
        handlers.mark_overdue_action_items(self.db)

    @timer(interval=3600)
    def schedule_series_occurrences(self):
        handlers.schedule_series_occurrences(self.db)
