"""Finding a time for a meeting: the convener proposes a window, the parties state when they are
busy, and the times every required party and the room are free are offered."""

from __future__ import annotations

import graphene

from gateway.schema.common import DateTime, Node, fetched_by, one_of, rpc_mutation
from gateway.schema.connections import connection, list_field
from gateway.schema.context import context
from gateway.schema.directory import Party
from gateway.schema.meetings.meeting import Meeting
from shared.vocabulary import meetings as words


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
