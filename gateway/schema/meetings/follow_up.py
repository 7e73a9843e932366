"""What outlasts one meeting: the regular meeting's series (its recurrence) and the action items
resolutions give to parties, followed until the convener confirms them."""

from __future__ import annotations

import graphene

from gateway.schema.common import DateTime, Node, fetched_by, one_of, rpc_mutation
from gateway.schema.connections import connection, list_field
from gateway.schema.directory import Party
from gateway.schema.meetings.meeting import party_at
from shared.vocabulary import meetings as words


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
    owner = graphene.Field(Party, required=True, resolver=party_at("owner_id"))
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


class AssignActionItemInput(graphene.InputObjectType):
    resolution_id = graphene.ID(required=True)
    owner_id = graphene.ID(required=True, description="A member party of the meeting (Party id).")
    title = graphene.String(required=True)
    due_at = DateTime(required=True)


class ActionItemProgressInput(graphene.InputObjectType):
    action_item_id = graphene.ID(required=True)
    note = graphene.String()
    evidence = graphene.String(description="Needed to complete: a document reference, photo or link.")


CreateMeetingSeries = rpc_mutation(
    "CreateMeetingSeries",
    CreateMeetingSeriesInput,
    "series",
    MeetingSeries,
    "meetings",
    "create_series",
    {"compound_id": "Place"},
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
