"""marshmallow schemas of the meetings service's RPC inputs and outputs."""

from marshmallow import Schema, fields, validate

from services.meetings.domain import DECISION_RULES, STANCES
from shared.events import DECISION_TYPES, Money

NAME = validate.Length(min=1, max=200)


class RegisterDistrict(Schema):
    name = fields.Str(required=True, validate=NAME)
    office_name = fields.Str(required=True, validate=NAME)


class RegisterCommunity(Schema):
    district_id = fields.Str(required=True)
    name = fields.Str(required=True, validate=NAME)
    committee_name = fields.Str(required=True, validate=NAME)


class RegisterCompound(Schema):
    community_id = fields.Str(required=True)
    name = fields.Str(required=True, validate=NAME)
    owners_committee_name = fields.Str(required=True, validate=NAME)
    property_company_name = fields.Str(required=True, validate=NAME)


class RegisterJointBuildingUnit(Schema):
    community_id = fields.Str(required=True)
    name = fields.Str(required=True, validate=NAME)


class ScheduleMeeting(Schema):
    title = fields.Str(required=True, validate=NAME)
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    location = fields.Str(required=True, validate=NAME)
    compound_id = fields.Str(load_default=None, allow_none=True)
    kind = fields.Str(load_default="regular", validate=validate.OneOf(["regular", "extraordinary"]))
    decision_rule = fields.Str(load_default="consensus", validate=validate.OneOf(DECISION_RULES))
    reason = fields.Str(load_default=None, allow_none=True, validate=validate.Length(max=2000))
    agenda_deadline = fields.AwareDateTime(load_default=None, allow_none=True)


class OrderAgenda(Schema):
    meeting_id = fields.Str(required=True)
    item_ids = fields.List(fields.Str(), required=True)


class DecideAgendaItem(Schema):
    agenda_item_id = fields.Str(required=True)
    decision = fields.Str(required=True, validate=validate.OneOf(["accept", "defer"]))


class WriteMinutes(Schema):
    meeting_id = fields.Str(required=True)
    notes = fields.Str(required=True, validate=validate.Length(min=1, max=50000))
    item_notes = fields.Dict(
        keys=fields.Str(), values=fields.Str(validate=validate.Length(max=20000)), load_default=dict
    )
    summary = fields.Str(required=True, validate=validate.Length(min=1, max=10000))


class SignMinutes(Schema):
    meeting_id = fields.Str(required=True)
    decision = fields.Str(required=True, validate=validate.OneOf(["sign", "correct"]))
    note = fields.Str(load_default="", validate=validate.Length(max=5000))


class ProposeMeetingTimes(Schema):
    title = fields.Str(required=True, validate=NAME)
    location = fields.Str(required=True, validate=NAME)
    window_starts_at = fields.AwareDateTime(required=True)
    window_ends_at = fields.AwareDateTime(required=True)
    duration_minutes = fields.Int(required=True, validate=validate.Range(min=15, max=720))
    compound_id = fields.Str(load_default=None, allow_none=True)
    optional_party_ids = fields.List(fields.Str(), load_default=list)


class BusyTime(Schema):
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)


class StateAvailability(Schema):
    poll_id = fields.Str(required=True)
    busy = fields.List(fields.Nested(BusyTime), required=True, validate=validate.Length(max=500))


class ConfirmMeetingTime(Schema):
    poll_id = fields.Str(required=True)
    starts_at = fields.AwareDateTime(required=True)


class CreateSeries(Schema):
    title = fields.Str(required=True, validate=NAME)
    location = fields.Str(required=True, validate=NAME)
    recurrence = fields.Str(required=True, validate=validate.Length(min=6, max=400))
    first_starts_at = fields.AwareDateTime(required=True)
    duration_minutes = fields.Int(required=True, validate=validate.Range(min=15, max=720))
    compound_id = fields.Str(load_default=None, allow_none=True)
    decision_rule = fields.Str(load_default="consensus", validate=validate.OneOf(DECISION_RULES))


class RescheduleMeeting(Schema):
    meeting_id = fields.Str(required=True)
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)


class CancelMeeting(Schema):
    meeting_id = fields.Str(required=True)
    reason = fields.Str(required=True, validate=validate.Length(min=1, max=2000))


class SignInToMeeting(Schema):
    meeting_id = fields.Str(required=True)
    delegate = fields.Str(required=True, validate=validate.Length(min=1, max=100))


class TakePosition(Schema):
    resolution_id = fields.Str(required=True)
    stance = fields.Str(required=True, validate=validate.OneOf(STANCES))
    reason = fields.Str(load_default="", validate=validate.Length(max=5000))


class AssignActionItem(Schema):
    resolution_id = fields.Str(required=True)
    owner_id = fields.Str(required=True)
    title = fields.Str(required=True, validate=NAME)
    due_at = fields.AwareDateTime(required=True)


class ActOnActionItem(Schema):
    action_item_id = fields.Str(required=True)
    action = fields.Str(required=True, validate=validate.OneOf(["report", "complete", "confirm", "reopen"]))
    note = fields.Str(load_default="", validate=validate.Length(max=5000))
    evidence = fields.Str(load_default=None, allow_none=True, validate=validate.Length(max=5000))


class SubmitAgendaItem(Schema):
    meeting_id = fields.Str(required=True)
    title = fields.Str(required=True, validate=NAME)
    description = fields.Str(load_default="", validate=validate.Length(max=5000))


class RecordResolution(Schema):
    meeting_id = fields.Str(required=True)
    agenda_item_id = fields.Str(load_default=None, allow_none=True)
    title = fields.Str(required=True, validate=NAME)
    text = fields.Str(required=True, validate=validate.Length(min=1, max=10000))
    decision_type = fields.Str(required=True, validate=validate.OneOf(DECISION_TYPES))
    budget = Money(load_default=None, allow_none=True)
    category = fields.Str(load_default=None, allow_none=True, validate=validate.Length(max=80))


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
    budget = Money(allow_none=True)
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
