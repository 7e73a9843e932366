"""marshmallow schemas of the meetings service's RPC inputs and outputs.

Every input field is one of ``shared.fields``: the one validation layer of every service.
"""

from marshmallow import Schema, fields, validate

from services.meetings import commands
from shared.event_payloads import Money as MoneyOut
from shared.fields import AwareDateTime, Id, Int, Money, Text, Title
from shared.validation import CommandSchema
from shared.vocabulary.meetings import (
    ActionItemAction,
    AgendaDecision,
    DecisionRule,
    DecisionType,
    MeetingKind,
    MinutesDecision,
    Stance,
)

NAME = validate.Length(min=1, max=200)
DECISION_RULES = list(DecisionRule)


class RegisterDistrict(CommandSchema):
    class Meta:
        command = commands.RegisterDistrict

    name = Title(required=True, validate=NAME)
    office_name = Title(required=True, validate=NAME)


class RegisterCommunity(CommandSchema):
    class Meta:
        command = commands.RegisterCommunity

    district_id = Id(required=True)
    name = Title(required=True, validate=NAME)
    committee_name = Title(required=True, validate=NAME)


class RegisterCompound(CommandSchema):
    class Meta:
        command = commands.RegisterCompound

    community_id = Id(required=True)
    name = Title(required=True, validate=NAME)
    owners_committee_name = Title(required=True, validate=NAME)
    property_company_name = Title(required=True, validate=NAME)


class RegisterJointBuildingUnit(CommandSchema):
    class Meta:
        command = commands.RegisterJointBuildingUnit

    community_id = Id(required=True)
    name = Title(required=True, validate=NAME)


class ScheduleMeeting(CommandSchema):
    class Meta:
        command = commands.ScheduleMeeting

    # A meeting may be entered after it was held (its minutes and resolutions follow): no "future" rule.
    title = Title(required=True, validate=NAME)
    starts_at = AwareDateTime(required=True)
    ends_at = AwareDateTime(required=True)
    location = Title(required=True, validate=NAME)
    compound_id = Id(load_default=None, allow_none=True)
    kind = Title(load_default=MeetingKind.REGULAR.value, validate=validate.OneOf(list(MeetingKind)))
    decision_rule = Title(load_default=DecisionRule.CONSENSUS.value, validate=validate.OneOf(DECISION_RULES))
    reason = Text(load_default=None, allow_none=True, validate=validate.Length(max=2000))
    agenda_deadline = AwareDateTime(load_default=None, allow_none=True)


class OrderAgenda(CommandSchema):
    class Meta:
        command = commands.OrderAgenda

    meeting_id = Id(required=True)
    item_ids = fields.List(Id(), required=True)


class DecideAgendaItem(CommandSchema):
    class Meta:
        command = commands.DecideAgendaItem

    agenda_item_id = Id(required=True)
    decision = Title(required=True, validate=validate.OneOf(list(AgendaDecision)))


class WriteMinutes(CommandSchema):
    class Meta:
        command = commands.WriteMinutes

    meeting_id = Id(required=True)
    notes = Text(required=True, validate=validate.Length(min=1, max=50000))
    item_notes = fields.Dict(keys=Id(), values=Text(validate=validate.Length(max=20000)), load_default=dict)
    summary = Text(required=True, validate=validate.Length(min=1, max=10000))


class SignMinutes(CommandSchema):
    class Meta:
        command = commands.SignMinutes

    meeting_id = Id(required=True)
    decision = Title(required=True, validate=validate.OneOf(list(MinutesDecision)))
    note = Text(load_default="", validate=validate.Length(max=5000))


class ProposeMeetingTimes(CommandSchema):
    class Meta:
        command = commands.ProposeMeetingTimes

    title = Title(required=True, validate=NAME)
    location = Title(required=True, validate=NAME)
    window_starts_at = AwareDateTime(required=True)
    # Times are looked for in a window still to come.
    window_ends_at = AwareDateTime(required=True, future=True)
    duration_minutes = Int(required=True, validate=validate.Range(min=15, max=720))
    compound_id = Id(load_default=None, allow_none=True)
    optional_party_ids = fields.List(Id(), load_default=list)


class BusyTime(CommandSchema):
    class Meta:
        command = commands.BusyTime

    starts_at = AwareDateTime(required=True)
    ends_at = AwareDateTime(required=True)


class StateAvailability(CommandSchema):
    class Meta:
        command = commands.StateAvailability

    poll_id = Id(required=True)
    busy = fields.List(fields.Nested(BusyTime), required=True, validate=validate.Length(max=500))


class ConfirmMeetingTime(CommandSchema):
    class Meta:
        command = commands.ConfirmMeetingTime

    poll_id = Id(required=True)
    starts_at = AwareDateTime(required=True)


class CreateSeries(CommandSchema):
    class Meta:
        command = commands.CreateSeries

    title = Title(required=True, validate=NAME)
    location = Title(required=True, validate=NAME)
    recurrence = Title(required=True, validate=validate.Length(min=6, max=400))
    first_starts_at = AwareDateTime(required=True)
    duration_minutes = Int(required=True, validate=validate.Range(min=15, max=720))
    compound_id = Id(load_default=None, allow_none=True)
    decision_rule = Title(load_default=DecisionRule.CONSENSUS.value, validate=validate.OneOf(DECISION_RULES))


class RescheduleMeeting(CommandSchema):
    class Meta:
        command = commands.RescheduleMeeting

    meeting_id = Id(required=True)
    starts_at = AwareDateTime(required=True)
    ends_at = AwareDateTime(required=True)


class CancelMeeting(CommandSchema):
    class Meta:
        command = commands.CancelMeeting

    meeting_id = Id(required=True)
    reason = Text(required=True, validate=validate.Length(min=1, max=2000))


class SignInToMeeting(CommandSchema):
    class Meta:
        command = commands.SignInToMeeting

    meeting_id = Id(required=True)
    delegate = Title(required=True, validate=validate.Length(min=1, max=100))


class TakePosition(CommandSchema):
    class Meta:
        command = commands.TakePosition

    resolution_id = Id(required=True)
    stance = Title(required=True, validate=validate.OneOf(list(Stance)))
    reason = Text(load_default="", validate=validate.Length(max=5000))


class AssignActionItem(CommandSchema):
    class Meta:
        command = commands.AssignActionItem

    # That the due date is still to come is the domain's rule (check_due_date), with its own code.
    resolution_id = Id(required=True)
    owner_id = Id(required=True)
    title = Title(required=True, validate=NAME)
    due_at = AwareDateTime(required=True)


class ActOnActionItem(CommandSchema):
    class Meta:
        command = commands.ActOnActionItem

    action_item_id = Id(required=True)
    action = Title(required=True, validate=validate.OneOf(list(ActionItemAction)))
    note = Text(load_default="", validate=validate.Length(max=5000))
    evidence = Text(load_default=None, allow_none=True, validate=validate.Length(max=5000))


class SubmitAgendaItem(CommandSchema):
    class Meta:
        command = commands.SubmitAgendaItem

    meeting_id = Id(required=True)
    title = Title(required=True, validate=NAME)
    description = Text(load_default="", validate=validate.Length(max=5000))


class RecordResolution(CommandSchema):
    class Meta:
        command = commands.RecordResolution

    meeting_id = Id(required=True)
    agenda_item_id = Id(load_default=None, allow_none=True)
    title = Title(required=True, validate=NAME)
    text = Text(required=True, validate=validate.Length(min=1, max=10000))
    decision_type = Title(required=True, validate=validate.OneOf(list(DecisionType)))
    budget = Money(load_default=None, allow_none=True)
    category = Title(load_default=None, allow_none=True, validate=validate.Length(max=80))


class PartyOut(Schema):
    id = fields.Str()
    type = fields.Str()
    name = fields.Str()
    district_id = fields.Str()
    community_id = fields.Str(allow_none=True)
    compound_id = fields.Str(allow_none=True)


class PlaceOut(Schema):
    id = fields.Str()
    name = fields.Str()


class CommunityOut(Schema):
    id = fields.Str()
    district_id = fields.Str()


class AgendaItemOut(Schema):
    id = fields.Str()
    meeting_id = fields.Str()
    position = fields.Int()
    title = fields.Str()
    description = fields.Str()
    submitted_by = fields.Str(allow_none=True)
    status = fields.Str()
    source = fields.Str()


class MinutesOut(Schema):
    meeting_id = fields.Str()
    notes = fields.Str()
    item_notes = fields.Dict()
    summary = fields.Str()
    status = fields.Str()
    sign_offs = fields.Dict()
    corrections = fields.List(fields.Dict())
    published_at = fields.AwareDateTime(allow_none=True)


class ResolutionOut(Schema):
    id = fields.Str()
    meeting_id = fields.Str()
    agenda_item_id = fields.Str(allow_none=True)
    title = fields.Str()
    text = fields.Str()
    decision_type = fields.Str()
    budget = MoneyOut(allow_none=True)
    category = fields.Str(allow_none=True)
    adopted_at = fields.AwareDateTime(allow_none=True)
    status = fields.Str()


class MeetingOut(Schema):
    id = fields.Str()
    community_id = fields.Str()
    compound_id = fields.Str(allow_none=True)
    title = fields.Str()
    kind = fields.Str()
    starts_at = fields.AwareDateTime()
    ends_at = fields.AwareDateTime()
    location = fields.Str()
    convened_by = fields.Str()
    status = fields.Str()
    series_id = fields.Str(allow_none=True)
    occurrence_starts_at = fields.AwareDateTime(allow_none=True)
    members = fields.List(fields.Str())
    decision_rule = fields.Str()
    cancelled_reason = fields.Str(allow_none=True)
    reason = fields.Str(allow_none=True)
    agenda_deadline = fields.AwareDateTime(allow_none=True)


class SeriesOut(Schema):
    id = fields.Str()
    community_id = fields.Str()
    compound_id = fields.Str(allow_none=True)
    title = fields.Str()
    location = fields.Str()
    recurrence = fields.Str()
    first_starts_at = fields.AwareDateTime()
    duration_minutes = fields.Int()
    decision_rule = fields.Str()
    members = fields.List(fields.Str())


class AttendanceOut(Schema):
    id = fields.Str()
    meeting_id = fields.Str()
    party_id = fields.Str()
    delegate = fields.Str()
    signed_in_at = fields.AwareDateTime()


class PositionOut(Schema):
    id = fields.Str()
    resolution_id = fields.Str()
    party_id = fields.Str()
    stance = fields.Str()
    reason = fields.Str()
    taken_at = fields.AwareDateTime()


class ActionItemOut(Schema):
    id = fields.Str()
    resolution_id = fields.Str()
    community_id = fields.Str()
    owner_id = fields.Str()
    title = fields.Str()
    due_at = fields.AwareDateTime()
    status = fields.Str()
    progress = fields.List(fields.Dict())
    evidence = fields.Str(allow_none=True)
    overdue_at = fields.AwareDateTime(allow_none=True)


class PollOut(Schema):
    id = fields.Str()
    community_id = fields.Str()
    title = fields.Str()
    location = fields.Str()
    window_starts_at = fields.AwareDateTime()
    window_ends_at = fields.AwareDateTime()
    duration_minutes = fields.Int()
    required = fields.List(fields.Str())
    optional = fields.List(fields.Str())
    answered = fields.Function(lambda poll: sorted(poll.availability))
    status = fields.Str()
    meeting_id = fields.Str(allow_none=True)


class SlotOut(Schema):
    starts_at = fields.AwareDateTime()
    ends_at = fields.AwareDateTime()
    optional_free = fields.List(fields.Str())


class CalendarOut(Schema):
    """A party's meetings of a window around today and its series, for its iCalendar feed."""

    meetings = fields.List(fields.Nested(MeetingOut))
    series = fields.List(fields.Nested(SeriesOut))
