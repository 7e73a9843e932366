"""A joint meeting as the parties read it: its members, agenda, resolutions and the core parties'
positions, attendance and minutes; and the list of a party's meetings."""

from __future__ import annotations

import graphene
from graphene import relay

from gateway.schema.common import DateTime, Money, Node, fetched_by, global_id, one_of
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


def party_at(key: str):
    def resolve(root, info):
        return context(info).load_one("meetings", "get_parties", root[key])

    return resolve


class Position(graphene.ObjectType):
    """A core party's position on a resolution."""

    party = graphene.Field(Party, required=True, resolver=party_at("party_id"))
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
    party = graphene.Field(Party, required=True, resolver=party_at("party_id"))
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


AgendaItemConnection: type[relay.Connection] = connection(AgendaItem)
ResolutionConnection: type[relay.Connection] = connection(Resolution)
PositionConnection: type[relay.Connection] = connection(Position)
AttendanceConnection: type[relay.Connection] = connection(Attendance)
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
