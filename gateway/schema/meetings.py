"""Joint meetings in the GraphQL schema."""

from __future__ import annotations

import graphene

from gateway.schema.common import (
    DateTime,
    Money,
    Node,
    Payload,
    expose,
    fetched_by,
    global_id,
    one_of,
    raw_id,
    rpc_mutation,
)
from gateway.schema.connections import ConnectionField, connection, list_field
from gateway.schema.context import context, then
from gateway.schema.directory import Party
from shared.identity import PartyType
from shared.vocabulary import meetings as words

RC, OC, PC, SO = (
    PartyType.RESIDENTS_COMMITTEE,
    PartyType.OWNERS_COMMITTEE,
    PartyType.PROPERTY_COMPANY,
    PartyType.STREET_OFFICE,
)

# The parties of the community directory: who can be invited to a joint meeting.
DIRECTORY_PARTIES = (RC, OC, PC, SO, PartyType.JOINT_BUILDING_UNIT)

DecisionType = graphene.Enum.from_enum(words.DecisionType)


@fetched_by("meetings", "get_agenda_items")
class AgendaItem(graphene.ObjectType):
    class Meta:
        interfaces = (Node,)

    position = graphene.Int(required=True)
    title = graphene.String(required=True)
    description = graphene.String(required=True)
    status = graphene.String(required=True, description=one_of(words.AgendaItemStatus))
    source = graphene.String(required=True, description=one_of(words.AgendaSource))
    submitted_by = graphene.Field(Party, description="The party that submitted it, if a party did.")

    @staticmethod
    def resolve_submitted_by(root, info):
        return context(info).load_one("meetings", "get_parties", root["submitted_by"])


class AgendaItemNotes(graphene.ObjectType):
    agenda_item_id = graphene.ID(required=True)
    notes = graphene.String(required=True)


class Minutes(graphene.ObjectType):
    """The minutes: discussion notes for the parties, a summary for the notice board once published."""

    notes = graphene.String(required=True)
    item_notes = graphene.List(graphene.NonNull(lambda: AgendaItemNotes), required=True)
    summary = graphene.String(required=True)
    status = graphene.String(required=True, description=one_of(words.MinutesStatus))
    signed_by = graphene.List(graphene.NonNull(Party), required=True)
    corrections_asked = graphene.List(graphene.NonNull(graphene.String), required=True)
    published_at = DateTime()

    @staticmethod
    def resolve_signed_by(root, info):
        ctx = context(info)
        return [ctx.load_one("meetings", "get_parties", party_id) for party_id in root["sign_offs"]]

    @staticmethod
    def resolve_item_notes(root, info):
        return [
            AgendaItemNotes(agenda_item_id=global_id("AgendaItem", item), notes=notes)
            for item, notes in (root.get("item_notes") or {}).items()
        ]

    @staticmethod
    def resolve_corrections_asked(root, info):
        return [c["note"] for c in root["corrections"]]


Stance = graphene.Enum.from_enum(words.Stance)


def _party(key: str):
    def resolve(root, info):
        return context(info).load_one("meetings", "get_parties", root[key])

    return resolve


class Position(graphene.ObjectType):
    """A core party's position on a resolution."""

    party = graphene.Field(Party, required=True, resolver=_party("party_id"))
    stance = graphene.Field(Stance, required=True)
    reason = graphene.String(required=True)
    taken_at = DateTime(required=True)


@fetched_by("meetings", "get_resolutions")
class Resolution(graphene.ObjectType):
    """Put to the meeting, then adopted or rejected by its core parties' positions."""

    class Meta:
        interfaces = (Node,)

    title = graphene.String(required=True)
    text = graphene.String(required=True)
    decision_type = graphene.Field(DecisionType, required=True)
    budget = Money()
    category = graphene.String()
    status = graphene.String(required=True, description=one_of(words.ResolutionStatus))
    adopted_at = DateTime()
    positions = ConnectionField(lambda: PositionConnection)

    @staticmethod
    def resolve_positions(root, info, **_):
        return context(info).load_many("meetings", "list_positions", root["id"], "resolution_id")


class Attendance(graphene.ObjectType):
    party = graphene.Field(Party, required=True, resolver=_party("party_id"))
    delegate = graphene.String(required=True)
    signed_in_at = DateTime(required=True)


@fetched_by("meetings", "get_meetings")
class Meeting(graphene.ObjectType):
    """A joint meeting (联席会议) of the community's parties."""

    class Meta:
        interfaces = (Node,)

    title = graphene.String(required=True)
    kind = graphene.String(required=True, description=one_of(words.MeetingKind))
    starts_at = DateTime(required=True)
    ends_at = DateTime(required=True)
    location = graphene.String(required=True)
    status = graphene.String(required=True, description=one_of(words.MeetingStatus))
    convener = graphene.Field(Party, required=True)
    decision_rule = graphene.String(required=True, description=one_of(words.DecisionRule))
    cancelled_reason = graphene.String()
    members = graphene.List(graphene.NonNull(Party), required=True)
    attendance = ConnectionField(lambda: AttendanceConnection)
    reason = graphene.String(description="Why an extraordinary meeting was called.")
    agenda_deadline = DateTime()
    minutes = graphene.Field(Minutes)
    agenda = ConnectionField(lambda: AgendaItemConnection)
    resolutions = ConnectionField(lambda: ResolutionConnection)

    @staticmethod
    def resolve_members(root, info):
        ctx = context(info)
        return [ctx.load_one("meetings", "get_parties", party_id) for party_id in root["members"]]

    @staticmethod
    def resolve_minutes(root, info):
        return then(
            context(info).load_many("meetings", "get_minutes", root["id"], "meeting_id"),
            lambda found: found[0] if found else None,
        )

    @staticmethod
    def resolve_attendance(root, info, **_):
        return context(info).load_many("meetings", "list_attendance", root["id"], "meeting_id")

    @staticmethod
    def resolve_convener(root, info):
        # The committee, or the core party that called an extraordinary meeting: its own record says.
        return context(info).load_one("meetings", "get_parties", root["convened_by"])

    @staticmethod
    def resolve_agenda(root, info, **_):
        return context(info).load_many("meetings", "list_agenda", root["id"], "meeting_id")

    @staticmethod
    def resolve_resolutions(root, info, **_):
        return context(info).load_many("meetings", "list_resolutions", root["id"], "meeting_id")


AgendaItemConnection = connection(AgendaItem)
ResolutionConnection = connection(Resolution)
PositionConnection = connection(Position)
AttendanceConnection = connection(Attendance)
MeetingConnection = connection(Meeting)


class MeetingFilter(graphene.InputObjectType):
    status = graphene.String(description=one_of(words.MeetingStatus))
    kind = graphene.String(description=one_of(words.MeetingKind))
    starts_after = DateTime(description="Meetings starting at or after this instant.")
    starts_before = DateTime(description="Meetings starting before this instant.")


MeetingOrder = graphene.Enum(
    "MeetingOrder", [("STARTS_AT_DESC", "-starts_at"), ("STARTS_AT_ASC", "starts_at"), ("TITLE_ASC", "title")]
)


def meetings_field():
    return list_field(MeetingConnection, ("meetings", "list_meetings"), MeetingFilter, MeetingOrder)


class ScheduleMeetingInput(graphene.InputObjectType):
    title = graphene.String(required=True)
    starts_at = DateTime(required=True)
    ends_at = DateTime(required=True)
    location = graphene.String(required=True)
    compound_id = graphene.ID(
        description="Only for a compound's own meeting: its Place id (viewer.compound.id)."
    )
    kind = graphene.String(
        description=f"{one_of(words.MeetingKind)}; {words.MeetingKind.REGULAR} unless given"
    )
    reason = graphene.String(description="Why an extraordinary meeting is called (required for one).")
    agenda_deadline = DateTime(description="Until when items may be submitted; a day before by default.")


ScheduleMeeting = rpc_mutation(
    "ScheduleMeeting",
    ScheduleMeetingInput,
    "meeting",
    Meeting,
    "meetings",
    "schedule_meeting",
    {"compound_id": "Place"},
    doc="The committee convenes a meeting; any core party may call an extraordinary one, with a reason.",
)


class SubmitAgendaItemInput(graphene.InputObjectType):
    meeting_id = graphene.ID(required=True)
    title = graphene.String(required=True)
    description = graphene.String()


SubmitAgendaItem = rpc_mutation(
    "SubmitAgendaItem",
    SubmitAgendaItemInput,
    "agenda_item",
    AgendaItem,
    "meetings",
    "submit_agenda_item",
    {"meeting_id": "Meeting"},
)


class RecordResolutionInput(graphene.InputObjectType):
    meeting_id = graphene.ID(required=True)
    agenda_item_id = graphene.ID()
    title = graphene.String(required=True)
    text = graphene.String(required=True)
    decision_type = graphene.Field(DecisionType, required=True)
    budget = Money(description="For a purchase of services: the budget in CNY.")
    category = graphene.String(description="For a purchase of services: the service category.")


RecordResolution = rpc_mutation(
    "RecordResolution",
    RecordResolutionInput,
    "resolution",
    Resolution,
    "meetings",
    "record_resolution",
    {"meeting_id": "Meeting", "agenda_item_id": "AgendaItem"},
    doc="Put a resolution to a meeting with quorum; the core parties' positions decide it.",
)


@fetched_by("meetings", "get_series")
class MeetingSeries(graphene.ObjectType):
    """A regular joint meeting and its recurrence (RFC 5545 RRULE)."""

    class Meta:
        interfaces = (Node,)

    title = graphene.String(required=True)
    location = graphene.String(required=True)
    recurrence = graphene.String(required=True, description="e.g. FREQ=MONTHLY;BYDAY=1TU")
    first_starts_at = DateTime(required=True)
    duration_minutes = graphene.Int(required=True)
    decision_rule = graphene.String(required=True, description=one_of(words.DecisionRule))


@fetched_by("meetings", "get_action_items")
class ActionItem(graphene.ObjectType):
    """Work a resolution gave to a party, followed until the convener confirms it."""

    class Meta:
        interfaces = (Node,)

    title = graphene.String(required=True)
    owner = graphene.Field(Party, required=True, resolver=_party("owner_id"))
    due_at = DateTime(required=True)
    status = graphene.String(required=True, description=one_of(words.ActionItemStatus))
    overdue_since = DateTime(resolver=lambda root, info: root["overdue_at"])
    evidence = graphene.String()
    progress = graphene.List(graphene.NonNull(graphene.JSONString), required=True)


MeetingSeriesConnection = connection(MeetingSeries)
ActionItemConnection = connection(ActionItem)


class ActionItemFilter(graphene.InputObjectType):
    status = graphene.String(description=one_of(words.ActionItemStatus))


def series_field():
    return list_field(MeetingSeriesConnection, ("meetings", "list_series"))


def action_items_field():
    return list_field(ActionItemConnection, ("meetings", "list_action_items"), ActionItemFilter)


class CreateMeetingSeriesInput(graphene.InputObjectType):
    title = graphene.String(required=True)
    location = graphene.String(required=True)
    recurrence = graphene.String(required=True, description="An RFC 5545 RRULE, e.g. FREQ=MONTHLY;BYDAY=1TU")
    first_starts_at = DateTime(required=True)
    duration_minutes = graphene.Int(required=True)
    compound_id = graphene.ID(description="Only for a compound's own series: its Place id.")
    decision_rule = graphene.String(
        description=f"{one_of(words.DecisionRule)}; {words.DecisionRule.CONSENSUS} unless given"
    )


class RescheduleMeetingInput(graphene.InputObjectType):
    meeting_id = graphene.ID(required=True)
    starts_at = DateTime(required=True)
    ends_at = DateTime(required=True)


class CancelMeetingInput(graphene.InputObjectType):
    meeting_id = graphene.ID(required=True)
    reason = graphene.String(required=True)


class SignInToMeetingInput(graphene.InputObjectType):
    meeting_id = graphene.ID(required=True)
    delegate = graphene.String(required=True, description="Who attends for the party.")


class TakePositionInput(graphene.InputObjectType):
    resolution_id = graphene.ID(required=True)
    stance = graphene.Field(Stance, required=True)
    reason = graphene.String()


class AssignActionItemInput(graphene.InputObjectType):
    resolution_id = graphene.ID(required=True)
    owner_id = graphene.ID(required=True, description="A member party of the meeting (Party id).")
    title = graphene.String(required=True)
    due_at = DateTime(required=True)


class ActionItemProgressInput(graphene.InputObjectType):
    action_item_id = graphene.ID(required=True)
    note = graphene.String()
    evidence = graphene.String(description="Needed to complete: a document reference, photo or link.")


MEETING = {"meeting_id": "Meeting"}
CreateMeetingSeries = rpc_mutation(
    "CreateMeetingSeries",
    CreateMeetingSeriesInput,
    "series",
    MeetingSeries,
    "meetings",
    "create_series",
    {"compound_id": "Place"},
)
RescheduleMeeting = rpc_mutation(
    "RescheduleMeeting", RescheduleMeetingInput, "meeting", Meeting, "meetings", "reschedule_meeting", MEETING
)
CancelMeeting = rpc_mutation(
    "CancelMeeting", CancelMeetingInput, "meeting", Meeting, "meetings", "cancel_meeting", MEETING
)
SignInToMeeting = rpc_mutation(
    "SignInToMeeting",
    SignInToMeetingInput,
    "attendance",
    Attendance,
    "meetings",
    "sign_in_to_meeting",
    MEETING,
    doc="A member party's delegate signs in.",
)
TakePosition = rpc_mutation(
    "TakePosition",
    TakePositionInput,
    "resolution",
    Resolution,
    "meetings",
    "take_position",
    {"resolution_id": "Resolution"},
    doc="A core party's position; the last one needed decides the resolution.",
)
AssignActionItem = rpc_mutation(
    "AssignActionItem",
    AssignActionItemInput,
    "action_item",
    ActionItem,
    "meetings",
    "assign_action_item",
    {"resolution_id": "Resolution", "owner_id": "Party"},
)
ACTION_ITEM = {"action_item_id": "ActionItem"}
ReportActionItemProgress = rpc_mutation(
    "ReportActionItemProgress",
    ActionItemProgressInput,
    "action_item",
    ActionItem,
    "meetings",
    "act_on_action_item",
    ACTION_ITEM,
    {"action": words.ActionItemAction.REPORT},
)
CompleteActionItem = rpc_mutation(
    "CompleteActionItem",
    ActionItemProgressInput,
    "action_item",
    ActionItem,
    "meetings",
    "act_on_action_item",
    ACTION_ITEM,
    {"action": words.ActionItemAction.COMPLETE},
)
ConfirmActionItem = rpc_mutation(
    "ConfirmActionItem",
    ActionItemProgressInput,
    "action_item",
    ActionItem,
    "meetings",
    "act_on_action_item",
    ACTION_ITEM,
    {"action": words.ActionItemAction.CONFIRM},
)
ReopenActionItem = rpc_mutation(
    "ReopenActionItem",
    ActionItemProgressInput,
    "action_item",
    ActionItem,
    "meetings",
    "act_on_action_item",
    ACTION_ITEM,
    {"action": words.ActionItemAction.REOPEN},
)


class OrderAgendaInput(graphene.InputObjectType):
    meeting_id = graphene.ID(required=True)
    item_ids = graphene.List(
        graphene.NonNull(graphene.ID), required=True, description="Every item, in order."
    )


OrderAgenda = rpc_mutation(
    "OrderAgenda",
    OrderAgendaInput,
    "agenda",
    graphene.List(graphene.NonNull(AgendaItem)),
    "meetings",
    "order_agenda",
    {"meeting_id": "Meeting", "item_ids": "AgendaItem"},
)


class AgendaItemDecisionInput(graphene.InputObjectType):
    agenda_item_id = graphene.ID(required=True)


class AgendaItemNotesInput(graphene.InputObjectType):
    agenda_item_id = graphene.ID(required=True)
    notes = graphene.String(required=True)


class WriteMinutesInput(graphene.InputObjectType):
    meeting_id = graphene.ID(required=True)
    item_notes = graphene.List(
        graphene.NonNull(AgendaItemNotesInput), description="Discussion per agenda item."
    )
    notes = graphene.String(required=True, description="Discussion notes, for the parties only.")
    summary = graphene.String(required=True, description="What the notice board shows once published.")


class SignMinutesInput(graphene.InputObjectType):
    meeting_id = graphene.ID(required=True)
    note = graphene.String(description="What to correct, when asking for a correction.")


AGENDA_ITEM = {"agenda_item_id": "AgendaItem"}
AcceptAgendaItem = rpc_mutation(
    "AcceptAgendaItem",
    AgendaItemDecisionInput,
    "agenda_item",
    AgendaItem,
    "meetings",
    "decide_agenda_item",
    AGENDA_ITEM,
    {"decision": words.AgendaDecision.ACCEPT},
)
DeferAgendaItem = rpc_mutation(
    "DeferAgendaItem",
    AgendaItemDecisionInput,
    "agenda_item",
    AgendaItem,
    "meetings",
    "decide_agenda_item",
    AGENDA_ITEM,
    {"decision": words.AgendaDecision.DEFER},
    doc="Defer an item: it goes onto the next meeting's agenda.",
)


class WriteMinutes(Payload, graphene.Mutation):
    """Write or correct the minutes; every core party signs them off again."""

    class Arguments:
        input = WriteMinutesInput(required=True)

    minutes = graphene.Field(Minutes)

    @classmethod
    def mutate(cls, root, info, input):
        def action(ctx):
            data = {
                "meeting_id": raw_id(input["meeting_id"], "Meeting", "meeting_id"),
                "notes": input["notes"],
                "summary": input["summary"],
                "item_notes": {
                    raw_id(n["agenda_item_id"], "AgendaItem", "item_notes"): n["notes"]
                    for n in input.get("item_notes") or []
                },
            }
            return {"minutes": ctx.call("meetings", "write_minutes", data)}

        return cls.run(info, action)


SignMinutesOff = rpc_mutation(
    "SignMinutesOff",
    SignMinutesInput,
    "minutes",
    Minutes,
    "meetings",
    "sign_minutes",
    MEETING,
    {"decision": words.MinutesDecision.SIGN},
)
AskMinutesCorrection = rpc_mutation(
    "AskMinutesCorrection",
    SignMinutesInput,
    "minutes",
    Minutes,
    "meetings",
    "sign_minutes",
    MEETING,
    {"decision": words.MinutesDecision.CORRECT},
)


class MeetingTime(graphene.ObjectType):
    """A time every required party and the room are free, with the invited parties free then."""

    starts_at = DateTime(required=True)
    ends_at = DateTime(required=True)
    invited_free = graphene.List(graphene.NonNull(Party), required=True)

    @staticmethod
    def resolve_invited_free(root, info):
        ctx = context(info)
        return [ctx.load_one("meetings", "get_parties", party_id) for party_id in root["optional_free"]]


@fetched_by("meetings", "get_polls")
class SchedulingPoll(graphene.ObjectType):
    """The convener's proposed window, who has stated availability, and the best times found."""

    class Meta:
        interfaces = (Node,)

    title = graphene.String(required=True)
    location = graphene.String(required=True)
    window_starts_at = DateTime(required=True)
    window_ends_at = DateTime(required=True)
    duration_minutes = graphene.Int(required=True)
    status = graphene.String(required=True, description=one_of(words.PollStatus))
    required = graphene.List(graphene.NonNull(Party), required=True)
    invited = graphene.List(graphene.NonNull(Party), required=True)
    answered = graphene.List(graphene.NonNull(Party), required=True)
    best_times = graphene.List(
        graphene.NonNull(MeetingTime), required=True, description="Up to five, best first."
    )

    @staticmethod
    def resolve_required(root, info):
        ctx = context(info)
        return [ctx.load_one("meetings", "get_parties", p) for p in root["required"]]

    @staticmethod
    def resolve_invited(root, info):
        ctx = context(info)
        return [ctx.load_one("meetings", "get_parties", p) for p in root["optional"]]

    @staticmethod
    def resolve_answered(root, info):
        ctx = context(info)
        return [ctx.load_one("meetings", "get_parties", p) for p in root["answered"]]

    @staticmethod
    def resolve_best_times(root, info):
        return (
            context(info).call("meetings", "find_meeting_times", root["id"])
            if root["status"] == words.PollStatus.OPEN
            else []
        )


SchedulingPollConnection = connection(SchedulingPoll)


def polls_field():
    return list_field(SchedulingPollConnection, ("meetings", "list_polls"))


class ProposeMeetingTimesInput(graphene.InputObjectType):
    title = graphene.String(required=True)
    location = graphene.String(required=True)
    window_starts_at = DateTime(required=True)
    window_ends_at = DateTime(required=True)
    duration_minutes = graphene.Int(required=True)
    compound_id = graphene.ID(description="Only for a compound's own meeting: its Place id.")
    optional_party_ids = graphene.List(
        graphene.NonNull(graphene.ID), description="Invited parties (Party ids)."
    )


class BusyTimeInput(graphene.InputObjectType):
    starts_at = DateTime(required=True)
    ends_at = DateTime(required=True)


class StateAvailabilityInput(graphene.InputObjectType):
    poll_id = graphene.ID(required=True)
    busy = graphene.List(
        graphene.NonNull(BusyTimeInput), required=True, description="Busy times in the window."
    )


class ConfirmMeetingTimeInput(graphene.InputObjectType):
    poll_id = graphene.ID(required=True)
    starts_at = DateTime(required=True)


ProposeMeetingTimes = rpc_mutation(
    "ProposeMeetingTimes",
    ProposeMeetingTimesInput,
    "poll",
    SchedulingPoll,
    "meetings",
    "propose_meeting_times",
    {"compound_id": "Place", "optional_party_ids": "Party"},
    doc="Propose a window; the core members must attend, invited parties may.",
)


POLL = {"poll_id": "SchedulingPoll"}
StateAvailability = rpc_mutation(
    "StateAvailability",
    StateAvailabilityInput,
    "poll",
    SchedulingPoll,
    "meetings",
    "state_availability",
    POLL,
    doc="Your busy times in the window; again replaces.",
)
ConfirmMeetingTime = rpc_mutation(
    "ConfirmMeetingTime",
    ConfirmMeetingTimeInput,
    "meeting",
    Meeting,
    "meetings",
    "confirm_meeting_time",
    POLL,
    doc="Schedule the meeting at a time found.",
)


QUERIES = [
    expose("meetings", meetings_field, RC, OC, PC, SO),
    expose("meeting_series", series_field, RC, OC, PC, SO),
    expose("scheduling_polls", polls_field, *DIRECTORY_PARTIES),
    expose("action_items", action_items_field, RC, OC, PC, SO),
]
MUTATIONS = [
    expose("schedule_meeting", ScheduleMeeting.Field, RC, OC, PC),
    expose("order_agenda", OrderAgenda.Field, RC),
    expose("propose_meeting_times", ProposeMeetingTimes.Field, RC),
    expose("state_availability", StateAvailability.Field, *DIRECTORY_PARTIES),
    expose("confirm_meeting_time", ConfirmMeetingTime.Field, RC),
    expose("accept_agenda_item", AcceptAgendaItem.Field, RC),
    expose("defer_agenda_item", DeferAgendaItem.Field, RC),
    expose("write_minutes", WriteMinutes.Field, RC),
    expose("sign_minutes_off", SignMinutesOff.Field, RC, OC, PC),
    expose("ask_minutes_correction", AskMinutesCorrection.Field, RC, OC, PC),
    expose("submit_agenda_item", SubmitAgendaItem.Field, RC, OC, PC),
    expose("record_resolution", RecordResolution.Field, RC),
    expose("create_meeting_series", CreateMeetingSeries.Field, RC),
    expose("reschedule_meeting", RescheduleMeeting.Field, RC),
    expose("cancel_meeting", CancelMeeting.Field, RC),
    expose("sign_in_to_meeting", SignInToMeeting.Field, RC, OC, PC),
    expose("take_position", TakePosition.Field, RC, OC, PC),
    expose("assign_action_item", AssignActionItem.Field, RC),
    expose("report_action_item_progress", ReportActionItemProgress.Field, RC, OC, PC),
    expose("complete_action_item", CompleteActionItem.Field, RC, OC, PC),
    expose("confirm_action_item", ConfirmActionItem.Field, RC),
    expose("reopen_action_item", ReopenActionItem.Field, RC),
]
