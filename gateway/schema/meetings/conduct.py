"""Running a joint meeting: scheduling, rescheduling and cancelling it, its agenda, signing in,
resolutions and positions, and its minutes until every core party has signed them off."""

from __future__ import annotations

import graphene

from gateway.schema.common import DateTime, Money, Payload, one_of, raw_id, rpc_mutation
from gateway.schema.meetings.meeting import (
    AgendaItem,
    Attendance,
    DecisionType,
    Meeting,
    Minutes,
    Resolution,
    Stance,
)
from shared.vocabulary import meetings as words


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


MEETING = {"meeting_id": "Meeting"}
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
