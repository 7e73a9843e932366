"""Action items: work an adopted resolution gives to a member party, followed until the convener
confirms it done; overdue ones are announced, and escalated to the sub-district office after a grace."""

from __future__ import annotations

from sqlalchemy import select

from services.meetings import commands, domain
from services.meetings.handlers.access import action_items_seen_by, visible_action_item, visible_record
from services.meetings.models import ActionItem, Party, Resolution
from shared.clock import Clock
from shared.db import UnitOfWork, new_id
from shared.errors import InvalidInput, NotFound, PermissionDenied
from shared.identity import PartyType, Principal
from shared.paging import Listing, Page, PageRequest, asc, equals, page_of
from shared.vocabulary.meetings import ActionItemAction, ActionItemStatus, ErrorCode

# The owner's actions; the convener confirms or reopens.
OWNERS_ACTIONS = (ActionItemAction.REPORT, ActionItemAction.COMPLETE)


def _announce(uow: UnitOfWork, event_type: str, item: ActionItem) -> None:
    uow.emit(
        event_type,
        {
            "action_item_id": item.id,
            "resolution_id": item.resolution_id,
            "owner_id": item.owner_id,
            "title": item.title,
            "due_at": item.due_at,
        },
        community_id=item.community_id,
    )


def assign_action_item(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.AssignActionItem
) -> ActionItem:
    principal.require(PartyType.RESIDENTS_COMMITTEE)
    domain.check_due_date(command.due_at, clock.now())
    with uow:
        resolution, meeting = visible_record(
            uow, principal, Resolution, command.resolution_id, "resolution", "resolution_id"
        )
        domain.check_adopted(resolution.status)
        owner = uow.get(Party, command.owner_id)
        if owner is None or owner.id not in meeting.members:
            raise NotFound("no such member party of this meeting", field="owner_id")
        item = ActionItem(
            id=new_id(),
            resolution_id=resolution.id,
            district_id=meeting.district_id,
            community_id=meeting.community_id,
            compound_id=owner.compound_id or meeting.compound_id,
            owner_id=owner.id,
            title=command.title,
            due_at=command.due_at,
            status=ActionItemStatus.OPEN,
            progress=[],
            created_at=clock.now(),
        )
        uow.add(item)
        uow.flush()
        _announce(uow, "action_item.assigned", item)
        uow.commit()
        return item


def act_on_action_item(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.ActOnActionItem
) -> ActionItem:
    """The owner reports progress or completes with evidence; the convener confirms or reopens."""
    action = ActionItemAction(command.action)
    with uow:
        at = clock.now()
        item = visible_action_item(uow, principal, command.action_item_id, at)
        owner_acts = action in OWNERS_ACTIONS
        if owner_acts and item.owner_id != principal.party_id:
            raise PermissionDenied(
                "only the owner reports on or completes an action item", field="action_item_id"
            )
        if not owner_acts and not principal.is_a(PartyType.RESIDENTS_COMMITTEE):
            raise PermissionDenied(
                "only the convener confirms or reopens an action item", field="action_item_id"
            )
        if action == ActionItemAction.COMPLETE and not command.evidence:
            message = "completing an action item needs evidence"
            raise InvalidInput([{"field": "evidence", "code": ErrorCode.REQUIRED, "message": message}])
        item.status = domain.next_action_status(item.status, action)
        item.progress = [
            *item.progress,
            {
                "at": at.isoformat(),
                "by": principal.party_id,
                "action": action.value,
                "note": command.note or "",
            },
        ]
        if action == ActionItemAction.COMPLETE:
            item.evidence = command.evidence
            _announce(uow, "action_item.completed", item)
        uow.commit()
        return item


def mark_overdue_action_items(uow: UnitOfWork, clock: Clock) -> int:
    """Timer: an item past its due date is announced once (idempotent)."""
    with uow:
        at = clock.now()
        items = list(
            uow.session.scalars(
                select(ActionItem)
                .where(
                    ActionItem.due_at < at,
                    ActionItem.overdue_at.is_(None),
                    ActionItem.status.in_(list(domain.OPEN_ACTION_STATUSES)),
                )
                .with_for_update(skip_locked=True)
            )
        )
        for item in items:
            item.overdue_at = at
            _announce(uow, "action_item.deadline_passed", item)
        uow.commit()
        return len(items)


# Reading action items -----------------------------------------------------------------------------

# The gateway's ActionItemFilter; soonest due first (the gateway's default order).
ACTION_ITEMS = Listing(
    id=ActionItem.id,
    orders={"due_at": [asc(ActionItem.due_at)]},
    default_order="due_at",
    filters={"status": equals(ActionItem.status)},
)


def list_action_items(uow: UnitOfWork, clock: Clock, principal: Principal, page: PageRequest) -> Page:
    """One page of the action items the party follows (see ``access.action_items_seen_by``)."""
    with uow:
        query = select(ActionItem).where(action_items_seen_by(principal, clock.now()))
        return page_of(uow.session, query, page, ACTION_ITEMS)


def get_action_items(uow: UnitOfWork, clock: Clock, principal: Principal, ids: list[str]) -> list[ActionItem]:
    """The action items among ``ids`` that the principal's list would show."""
    with uow:
        query = select(ActionItem).where(ActionItem.id.in_(ids), action_items_seen_by(principal, clock.now()))
        return list(uow.session.scalars(query))
