"""The words of joint meetings (联席会议), owned by the meetings service and imported by the gateway:
its error codes, and the kinds, statuses, stances and decisions that clients send or filter by."""

from enum import StrEnum


class ErrorCode(StrEnum):
    """Every code the meetings service answers with (``DomainError.code``, ``errors[].code``)."""

    # The common ones (shared.vocabulary.common), answered by this service too.
    INVALID = "invalid"  # an input is not acceptable: the error names the field
    NOT_FOUND = "not_found"  # no such record, or one the party may not see
    PERMISSION_DENIED = "permission_denied"  # the party may see the record but not do this
    CONFLICT = "conflict"  # the record's state does not allow it now
    UNAUTHENTICATED = "unauthenticated"  # no signed-in party came with the call (shared.identity)
    # Input the rules refuse.
    REQUIRED = "required"  # a value the rule needs is missing (a purchase's budget, a reason, evidence)
    TOO_LONG = "too_long"  # a meeting over 12 hours, a window over 92 days or shorter than the meeting
    IN_PAST = "in_past"  # an action item's due date that has already passed
    MISMATCH = "mismatch"  # an agenda order that does not list every item exactly once
    NOT_ON_AGENDA = "not_on_agenda"  # minutes' notes for an item of another agenda
    # States that do not allow it.
    NOT_SCHEDULED = "not_scheduled"  # the meeting is cancelled
    AGENDA_CLOSED = "agenda_closed"  # the meeting is not scheduled, or its agenda deadline passed
    NO_QUORUM = "no_quorum"  # a core member has not signed in
    DECIDED = "decided"  # the agenda item or resolution is already decided
    NOT_ADOPTED = "not_adopted"  # an action item needs an adopted resolution
    INVALID_TRANSITION = "invalid_transition"  # an action item's status does not allow this action
    NOT_CIRCULATING = "not_circulating"  # no minutes wait for sign-off
    PUBLISHED = "published"  # published minutes are final
    CLOSED = "closed"  # the scheduling poll's time is already chosen
    NOT_FREE = "not_free"  # a required party or the room is busy at the chosen time


class MeetingKind(StrEnum):
    REGULAR = "regular"  # convened by the residents' committee
    EXTRAORDINARY = "extraordinary"  # called by any core party, with a reason


class MeetingStatus(StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class DecisionRule(StrEnum):
    CONSENSUS = "consensus"  # no core party objects and at least one agrees
    MAJORITY = "majority"  # more core parties agree than object


class DecisionType(StrEnum):
    """What a resolution decides; a purchase of services starts a project in matching."""

    PURCHASE_SERVICE = "purchase_service"
    DISPATCH_VOLUNTEERS = "dispatch_volunteers"
    ASSIGN_PROPERTY_COMPANY = "assign_property_company"
    OTHER = "other"


class Stance(StrEnum):
    AGREE = "agree"
    OBJECT = "object"
    ABSTAIN = "abstain"


class ResolutionStatus(StrEnum):
    PROPOSED = "proposed"
    ADOPTED = "adopted"
    REJECTED = "rejected"


class AgendaItemStatus(StrEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    DEFERRED = "deferred"


class AgendaDecision(StrEnum):
    """The convener's decision on a proposed agenda item."""

    ACCEPT = "accept"
    DEFER = "defer"  # to the community's next meeting


class AgendaSource(StrEnum):
    """Where an agenda item came from."""

    PARTY = "party"  # submitted by a core party
    EVENT = "event"  # another service's report (an award, an overdue milestone, an unfilled request)
    ACTION_ITEM = "action_item"  # an action item still open, followed up
    DEFERRAL = "deferral"  # carried over from an earlier meeting


class MinutesStatus(StrEnum):
    CIRCULATING = "circulating"
    CORRECTION_REQUESTED = "correction_requested"
    PUBLISHED = "published"


class MinutesDecision(StrEnum):
    """A core party's answer to circulating minutes."""

    SIGN = "sign"
    CORRECT = "correct"  # ask the convener for a correction first


class ActionItemStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CONFIRMED = "confirmed"


class ActionItemAction(StrEnum):
    REPORT = "report"  # the owner reports progress
    COMPLETE = "complete"  # the owner completes it, with evidence
    CONFIRM = "confirm"  # the convener confirms it done
    REOPEN = "reopen"  # the convener sends it back


class PollStatus(StrEnum):
    OPEN = "open"  # invited parties state their availability
    CONFIRMED = "confirmed"  # the convener chose a time; the meeting is scheduled
