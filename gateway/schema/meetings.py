"""Joint meetings in the GraphQL schema."""

from __future__ import annotations

import graphene

from gateway.schema.common import (
    ConnectionField,
    DateTime,
    Money,
    Node,
    Payload,
    at_or_after,
    before,
    connection,
    context,
    equals,
    expose,
    fetched_by,
    list_field,
    raw_id,
    wire,
)
from gateway.schema.directory import Party, party_ref
from shared.identity import PartyType

RC, OC, PC, SO = (
    PartyType.RESIDENTS_COMMITTEE,
    PartyType.OWNERS_COMMITTEE,
    PartyType.PROPERTY_COMPANY,
    PartyType.STREET_OFFICE,
)

DecisionType = graphene.Enum(
    "DecisionType",
    [
        ("PURCHASE_SERVICE", "purchase_service"),
        ("DISPATCH_VOLUNTEERS", "dispatch_volunteers"),
        ("ASSIGN_PROPERTY_COMPANY", "assign_property_company"),
        ("OTHER", "other"),
    ],
)


class AgendaItem(graphene.ObjectType):
    class Meta:
        interfaces = (Node,)

    position = graphene.Int(required=True)
    title = graphene.String(required=True)
    description = graphene.String(required=True)
    submitted_by = graphene.Field(Party, required=True)

    @staticmethod
    def resolve_submitted_by(root, info):
        return context(info).load_one("meetings", "get_parties", root["submitted_by"])


class Resolution(graphene.ObjectType):
    class Meta:
        interfaces = (Node,)

    title = graphene.String(required=True)
    text = graphene.String(required=True)
    decision_type = graphene.Field(DecisionType, required=True)
    budget = Money()
    category = graphene.String()
    adopted_at = DateTime(required=True)


@fetched_by("meetings", "get_meetings")
class Meeting(graphene.ObjectType):
    """A joint meeting (联席会议) of the community's parties."""

    class Meta:
        interfaces = (Node,)

    title = graphene.String(required=True)
    kind = graphene.String(required=True)
    starts_at = DateTime(required=True)
    ends_at = DateTime(required=True)
    location = graphene.String(required=True)
    status = graphene.String(required=True)
    convener = graphene.Field(Party, required=True)
    agenda = ConnectionField(lambda: AgendaItemConnection)
    resolutions = ConnectionField(lambda: ResolutionConnection)

    @staticmethod
    def resolve_convener(root, info):
        return party_ref(PartyType.RESIDENTS_COMMITTEE.value, root["convened_by"])

    @staticmethod
    def resolve_agenda(root, info, **_):
        return context(info).load_many("meetings", "list_agenda", root["id"], "meeting_id")

    @staticmethod
    def resolve_resolutions(root, info, **_):
        return context(info).load_many("meetings", "list_resolutions", root["id"], "meeting_id")


AgendaItemConnection = connection(AgendaItem)
ResolutionConnection = connection(Resolution)
MeetingConnection = connection(Meeting)


class MeetingFilter(graphene.InputObjectType):
    status = graphene.String(description="scheduled, held or cancelled")
    kind = graphene.String(description="regular or extraordinary")
    starts_after = DateTime(description="Meetings starting at or after this instant.")
    starts_before = DateTime(description="Meetings starting before this instant.")


MeetingOrder = graphene.Enum(
    "MeetingOrder", [("STARTS_AT_DESC", "-starts_at"), ("STARTS_AT_ASC", "starts_at"), ("TITLE_ASC", "title")]
)
MEETING_MATCHERS = {
    "status": equals("status"),
    "kind": equals("kind"),
    "starts_after": at_or_after("starts_at"),
    "starts_before": before("starts_at"),
}


def meetings_field():
    return list_field(
        MeetingConnection,
        lambda ctx: ctx.call("meetings", "list_meetings"),
        MeetingFilter,
        MeetingOrder,
        MEETING_MATCHERS,
        default_order="-starts_at",
    )


class ScheduleMeetingInput(graphene.InputObjectType):
    title = graphene.String(required=True)
    starts_at = DateTime(required=True)
    ends_at = DateTime(required=True)
    location = graphene.String(required=True)
    compound_id = graphene.ID(
        description="Only for a compound's own meeting: its Place id (viewer.compound.id)."
    )
    kind = graphene.String(description="regular (default) or extraordinary")


class ScheduleMeeting(Payload, graphene.Mutation):
    class Arguments:
        input = ScheduleMeetingInput(required=True)

    meeting = graphene.Field(Meeting)

    @classmethod
    def mutate(cls, root, info, input):
        def action(ctx):
            data = wire(dict(input))
            if input.get("compound_id"):
                data["compound_id"] = raw_id(input["compound_id"], "Place", "compound_id")
            data = {k: v for k, v in data.items() if v is not None}
            return {"meeting": ctx.call("meetings", "schedule_meeting", data)}

        return cls.run(info, action)


class SubmitAgendaItemInput(graphene.InputObjectType):
    meeting_id = graphene.ID(required=True)
    title = graphene.String(required=True)
    description = graphene.String()


class SubmitAgendaItem(Payload, graphene.Mutation):
    class Arguments:
        input = SubmitAgendaItemInput(required=True)

    agenda_item = graphene.Field(AgendaItem)

    @classmethod
    def mutate(cls, root, info, input):
        def action(ctx):
            data = {
                "meeting_id": raw_id(input["meeting_id"], "Meeting", "meeting_id"),
                "title": input["title"],
                "description": input.get("description") or "",
            }
            return {"agenda_item": ctx.call("meetings", "submit_agenda_item", data)}

        return cls.run(info, action)


class RecordResolutionInput(graphene.InputObjectType):
    meeting_id = graphene.ID(required=True)
    agenda_item_id = graphene.ID()
    title = graphene.String(required=True)
    text = graphene.String(required=True)
    decision_type = graphene.Field(DecisionType, required=True)
    budget = Money(description="For a purchase of services: the budget in CNY.")
    category = graphene.String(description="For a purchase of services: the service category.")


class RecordResolution(Payload, graphene.Mutation):
    class Arguments:
        input = RecordResolutionInput(required=True)

    resolution = graphene.Field(Resolution)

    @classmethod
    def mutate(cls, root, info, input):
        def action(ctx):
            data = wire(dict(input))
            data["meeting_id"] = raw_id(input["meeting_id"], "Meeting", "meeting_id")
            if input.get("agenda_item_id"):
                data["agenda_item_id"] = raw_id(input["agenda_item_id"], "AgendaItem", "agenda_item_id")
            return {"resolution": ctx.call("meetings", "record_resolution", data)}

        return cls.run(info, action)


QUERIES = [
    expose(
        "meetings",
        meetings_field,
        RC,
        OC,
        PC,
        SO,
    ),
]
MUTATIONS = [
    expose("schedule_meeting", ScheduleMeeting.Field, RC),
    expose("submit_agenda_item", SubmitAgendaItem.Field, RC, OC, PC),
    expose("record_resolution", RecordResolution.Field, RC),
]
