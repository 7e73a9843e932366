"""The meetings service: what it answers, and which use case answers it."""

from __future__ import annotations

from nameko.timer import timer

from services.meetings import schemas
from services.meetings.handlers import (
    action_items,
    agenda,
    directory,
    meetings,
    minutes,
    polls,
    resolutions,
    series,
)
from services.meetings.models import Base
from shared.dependencies import Clocks, Database
from shared.entrypoints import answers_forgotten, listing, records, rpc, use_case
from shared.identity import Principal
from shared.messaging import consume
from shared.validation import load


class MeetingsService:
    name = "meetings"
    db = Database("meetings", Base.metadata)
    clock = Clocks()
    # Answers kept for idempotency keys are forgotten after GONGZHI_IDEMPOTENCY_RETENTION_DAYS.
    forget_old_answers = answers_forgotten()

    # The directory: registering places and parties is an operators' command, not exposed through
    # the gateway; names are public to every signed-in party.

    @rpc
    def register_district(self, data):
        return directory.register_district(self.db, load(schemas.RegisterDistrict, data))

    @rpc
    def register_community(self, data):
        return directory.register_community(self.db, load(schemas.RegisterCommunity, data))

    @rpc
    def register_compound(self, data):
        return directory.register_compound(self.db, load(schemas.RegisterCompound, data))

    @rpc
    def register_joint_building_unit(self, data):
        unit = directory.register_joint_building_unit(self.db, load(schemas.RegisterJointBuildingUnit, data))
        return schemas.PartyOut().dump(unit)

    @rpc
    def find_in_directory(self, kind, criteria):
        """Operators' commands: parties, districts, communities or compounds by id, or by name and parent."""
        return directory.find_in_directory(self.db, kind, dict(criteria))

    @rpc
    def get_communities(self, ids):
        """Which district each community lies in, for the services that check where a record may
        belong (matching: a filing names communities of its office's district only)."""
        return schemas.CommunityOut(many=True).dump(directory.get_communities(self.db, [str(i) for i in ids]))

    get_parties = records(directory.get_parties, schemas.PartyOut(many=True))
    get_places = records(directory.get_places, schemas.PlaceOut(many=True))
    list_parties = listing(directory.list_parties, schemas.PartyOut(many=True), by_id=directory.get_parties)
    list_districts = listing(directory.list_districts, schemas.PlaceOut(many=True))
    list_communities = listing(directory.list_communities, schemas.PlaceOut(many=True))
    list_compounds = listing(directory.list_compounds, schemas.PlaceOut(many=True))

    # Joint meetings

    schedule_meeting = use_case(meetings.schedule_meeting, schemas.ScheduleMeeting, schemas.MeetingOut())
    reschedule_meeting = use_case(
        meetings.reschedule_meeting, schemas.RescheduleMeeting, schemas.MeetingOut()
    )
    cancel_meeting = use_case(meetings.cancel_meeting, schemas.CancelMeeting, schemas.MeetingOut())
    sign_in_to_meeting = use_case(
        meetings.sign_in_to_meeting, schemas.SignInToMeeting, schemas.AttendanceOut()
    )
    list_meetings = listing(
        meetings.list_meetings, schemas.MeetingOut(many=True), by_id=meetings.get_meetings
    )
    get_meetings = records(meetings.get_meetings, schemas.MeetingOut(many=True))
    list_attendance = records(meetings.list_attendance, schemas.AttendanceOut(many=True))
    calendar_meetings = use_case(meetings.calendar_meetings, None, schemas.CalendarOut())

    @rpc
    def get_meeting(self, principal, meeting_id):
        meeting = meetings.get_meeting(self.db, self.clock, Principal.from_dict(principal), str(meeting_id))
        return schemas.MeetingOut().dump(meeting)

    # Series of regular meetings

    create_series = use_case(series.create_series, schemas.CreateSeries, schemas.SeriesOut())
    list_series = listing(series.list_series, schemas.SeriesOut(many=True), by_id=series.get_series)
    get_series = records(series.get_series, schemas.SeriesOut(many=True))

    # The agenda

    submit_agenda_item = use_case(
        agenda.submit_agenda_item, schemas.SubmitAgendaItem, schemas.AgendaItemOut()
    )
    order_agenda = use_case(agenda.order_agenda, schemas.OrderAgenda, schemas.AgendaItemOut(many=True))
    decide_agenda_item = use_case(
        agenda.decide_agenda_item, schemas.DecideAgendaItem, schemas.AgendaItemOut()
    )
    list_agenda = records(agenda.list_agenda, schemas.AgendaItemOut(many=True))
    get_agenda_items = records(agenda.get_agenda_items, schemas.AgendaItemOut(many=True))

    # Resolutions and positions

    record_resolution = use_case(
        resolutions.record_resolution, schemas.RecordResolution, schemas.ResolutionOut()
    )
    take_position = use_case(resolutions.take_position, schemas.TakePosition, schemas.ResolutionOut())
    list_resolutions = records(resolutions.list_resolutions, schemas.ResolutionOut(many=True))
    list_positions = records(resolutions.list_positions, schemas.PositionOut(many=True))
    get_resolutions = records(resolutions.get_resolutions, schemas.ResolutionOut(many=True))

    # Minutes and the public notice board

    write_minutes = use_case(minutes.write_minutes, schemas.WriteMinutes, schemas.MinutesOut())
    sign_minutes = use_case(minutes.sign_minutes, schemas.SignMinutes, schemas.MinutesOut())
    get_minutes = records(minutes.get_minutes, schemas.MinutesOut(many=True))

    @rpc
    def public_notices(self, community_id):
        """The community's notice board: public, so it takes no principal."""
        return minutes.public_notices(self.db, str(community_id))

    # Action items

    assign_action_item = use_case(
        action_items.assign_action_item, schemas.AssignActionItem, schemas.ActionItemOut()
    )
    act_on_action_item = use_case(
        action_items.act_on_action_item, schemas.ActOnActionItem, schemas.ActionItemOut()
    )
    list_action_items = listing(
        action_items.list_action_items, schemas.ActionItemOut(many=True), by_id=action_items.get_action_items
    )
    get_action_items = records(action_items.get_action_items, schemas.ActionItemOut(many=True))

    # Finding a time

    propose_meeting_times = use_case(
        polls.propose_meeting_times, schemas.ProposeMeetingTimes, schemas.PollOut()
    )
    state_availability = use_case(polls.state_availability, schemas.StateAvailability, schemas.PollOut())
    confirm_meeting_time = use_case(
        polls.confirm_meeting_time, schemas.ConfirmMeetingTime, schemas.MeetingOut()
    )
    list_polls = listing(polls.list_polls, schemas.PollOut(many=True), by_id=polls.get_polls)
    get_polls = records(polls.get_polls, schemas.PollOut(many=True))

    @rpc
    def find_meeting_times(self, principal, poll_id):
        slots = polls.find_meeting_times(self.db, self.clock, Principal.from_dict(principal), str(poll_id))
        return schemas.SlotOut(many=True).dump(slots)

    # What other services report goes on the community's next agenda.

    @consume("project.awarded")
    def put_award_on_agenda(self, event):
        agenda.put_event_on_agenda(self.db, self.clock, event)

    @consume("milestone.deadline_passed")
    def put_overdue_milestone_on_agenda(self, event):
        agenda.put_event_on_agenda(self.db, self.clock, event)

    @consume("service_request.went_unfilled")
    def put_unfilled_request_on_agenda(self, event):
        agenda.put_event_on_agenda(self.db, self.clock, event)

    # Time-driven rules: each idempotent, so a missed or doubled tick does no harm.

    @timer(interval=60)
    def mark_overdue_action_items(self):
        action_items.mark_overdue_action_items(self.db, self.clock)

    @timer(interval=3600)
    def schedule_series_occurrences(self):
        series.schedule_series_occurrences(self.db, self.clock)
