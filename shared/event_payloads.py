"""The data of each event type: one marshmallow schema per type (``_Data`` subclasses), the ``Money``
field they carry amounts in, and the upcasters that bring an older version's data up to date.

``shared.events`` names these schemas in its catalogue, with each type's producer, version and
upcasters; publishing and consuming validate an event's ``data`` against its type's schema here.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

DECISION_TYPES = ("purchase_service", "dispatch_volunteers", "assign_property_company", "other")


class Money(fields.Decimal):
    """CNY exact to the fen, carried as a string so that no float touches it."""

    def __init__(self, **kwargs):
        super().__init__(places=2, as_string=True, allow_nan=False, **kwargs)


class _Data(Schema):
    class Meta:
        # A newer producer may add fields; consumers read what they know.
        unknown = "exclude"


class MeetingScheduled(_Data):
    meeting_id = fields.Str(required=True)
    title = fields.Str(required=True)
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    location = fields.Str(required=True)


class MeetingRescheduled(MeetingScheduled):
    previous_starts_at = fields.AwareDateTime(required=True)


class MeetingCancelled(_Data):
    meeting_id = fields.Str(required=True)
    title = fields.Str(required=True)
    starts_at = fields.AwareDateTime(required=True)
    reason = fields.Str(required=True)


class ActionItemEvent(_Data):
    action_item_id = fields.Str(required=True)
    resolution_id = fields.Str(required=True)
    owner_id = fields.Str(required=True)
    title = fields.Str(required=True)
    due_at = fields.AwareDateTime(required=True)


class MilestoneDeadlinePassed(_Data):
    contract_id = fields.Str(required=True)
    milestone_id = fields.Str(required=True)
    title = fields.Str(required=True)
    organisation_name = fields.Str(required=True)
    due_at = fields.AwareDateTime(required=True)


class ServiceRequestWentUnfilled(_Data):
    request_id = fields.Str(required=True)
    title = fields.Str(required=True)
    starts_at = fields.AwareDateTime(required=True)
    places = fields.Int(required=True)
    filled = fields.Int(required=True)


class ResolutionAdopted(_Data):
    resolution_id = fields.Str(required=True)
    meeting_id = fields.Str(required=True)
    decision_type = fields.Str(required=True, validate=validate.OneOf(DECISION_TYPES))
    title = fields.Str(required=True)
    text = fields.Str(required=True)
    budget = Money(load_default=None, allow_none=True)
    category = fields.Str(load_default=None, allow_none=True)


class OrganisationRegistered(_Data):
    organisation_id = fields.Str(required=True)
    name = fields.Str(required=True)
    credit_code = fields.Str(required=True)


class ProjectDrafted(_Data):
    project_id = fields.Str(required=True)
    title = fields.Str(required=True)
    source_resolution_id = fields.Str(load_default=None, allow_none=True)


class ProjectPublished(_Data):
    project_id = fields.Str(required=True)
    title = fields.Str(required=True)
    category = fields.Str(required=True)
    budget = Money(required=True)
    bid_deadline = fields.AwareDateTime(required=True)
    eligible_organisation_ids = fields.List(fields.Str(), load_default=list)


class ProjectAwarded(_Data):
    """Version 2: with what the contract needs from the award (empty where the tender had none)."""

    project_id = fields.Str(required=True)
    ocid = fields.Str(required=True)
    title = fields.Str(required=True)
    organisation_id = fields.Str(required=True)
    organisation_name = fields.Str(required=True)
    value = Money(required=True)
    awarded_at = fields.AwareDateTime(required=True)
    award_id = fields.Str(required=True, allow_none=True)
    district_id = fields.Str(required=True, allow_none=True)
    purchaser_id = fields.Str(required=True, allow_none=True)
    purchaser_type = fields.Str(
        required=True, validate=validate.OneOf(["residents_committee", "street_office"])
    )
    organisation_credit_code = fields.Str(required=True, allow_none=True)
    period_start = fields.Date(required=True, allow_none=True)
    period_end = fields.Date(required=True, allow_none=True)


def award_announced_before_contracts(data: dict[str, Any]) -> dict[str, Any]:
    """project.awarded 1 -> 2. Version 1 announced the winner and the value only: such an award
    was a residents' committee's purchase, and nothing is known of its award id, district,
    purchaser, the winner's credit code or the service period."""
    return {
        "award_id": None,
        "district_id": None,
        "purchaser_id": None,
        "purchaser_type": "residents_committee",
        "organisation_credit_code": None,
        "period_start": None,
        "period_end": None,
        **data,
    }


class ProjectOpened(_Data):
    project_id = fields.Str(required=True)
    ocid = fields.Str(required=True)
    title = fields.Str(required=True)
    status = fields.Str(required=True, validate=validate.OneOf(["evaluating", "unsuccessful"]))
    valid_bids = fields.Int(required=True)
    bid_digests = fields.List(fields.Str(), required=True)


class ProjectCancelled(_Data):
    project_id = fields.Str(required=True)
    title = fields.Str(required=True)
    reason = fields.Str(required=True)


class OrganisationAssessed(_Data):
    """A contract's final assessment (0–100), which enters the organisation's reputation."""

    organisation_id = fields.Str(required=True)
    contract_id = fields.Str(required=True)
    score = fields.Decimal(required=True, places=1, as_string=True, validate=validate.Range(min=0, max=100))
    grade = fields.Str(required=True)
    assessed_at = fields.AwareDateTime(required=True)


class ContractDrafted(_Data):
    contract_id = fields.Str(required=True)
    project_id = fields.Str(required=True)
    organisation_id = fields.Str(required=True)
    value = Money(required=True)


class ContractEvent(_Data):
    """A contract's step: signed, activated, completed, terminated."""

    contract_id = fields.Str(required=True)
    ocid = fields.Str(required=True)
    title = fields.Str(required=True)
    organisation_id = fields.Str(required=True)
    value = Money(required=True)
    status = fields.Str(required=True)
    reason = fields.Str(load_default=None, allow_none=True)


class MilestoneEvent(_Data):
    """A milestone delivered, accepted or rejected (with the reason)."""

    contract_id = fields.Str(required=True)
    milestone_id = fields.Str(required=True)
    title = fields.Str(required=True)
    organisation_id = fields.Str(required=True)
    reason = fields.Str(load_default=None, allow_none=True)


class PaymentRecorded(_Data):
    payment_id = fields.Str(required=True)
    contract_id = fields.Str(required=True)
    milestone_id = fields.Str(required=True)
    organisation_id = fields.Str(required=True)
    amount = Money(required=True)
    paid_at = fields.AwareDateTime(required=True)


class EvaluationPublished(_Data):
    """Residents' evaluation of a contract in a period; never who evaluated."""

    contract_id = fields.Str(required=True)
    organisation_id = fields.Str(required=True)
    period = fields.Str(required=True)
    count = fields.Int(required=True)
    overall = fields.Decimal(required=True, places=2, as_string=True)


class MilestoneVolunteersRequested(_Data):
    """A contract milestone that needs volunteers: the volunteers service opens a request."""

    contract_id = fields.Str(required=True)
    milestone_id = fields.Str(required=True)
    title = fields.Str(required=True)
    skill = fields.Str(required=True)
    places = fields.Int(required=True, validate=validate.Range(min=1))
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    location = fields.Str(required=True)


class ShiftCompleted(_Data):
    """A volunteer's shift done, with its approved hours; linked to a contract milestone when the
    request came from one, so that the contract can attach it as evidence."""

    shift_id = fields.Str(required=True)
    request_id = fields.Str(required=True)
    volunteer_id = fields.Str(required=True)
    hours = fields.Decimal(required=True, places=2, as_string=True)
    started_at = fields.AwareDateTime(required=True)
    ended_at = fields.AwareDateTime(required=True)
    contract_id = fields.Str(load_default=None, allow_none=True)
    milestone_id = fields.Str(load_default=None, allow_none=True)


class ServiceRequestCancelled(_Data):
    """A request called off, with the reason; its volunteers' offers and shifts are withdrawn."""

    request_id = fields.Str(required=True)
    title = fields.Str(required=True)
    reason = fields.Str(required=True)
    volunteer_ids = fields.List(fields.Str(), required=True)


class ServiceRequestFilled(_Data):
    """Every place of a request has a volunteer who accepted it."""

    request_id = fields.Str(required=True)
    title = fields.Str(required=True)
    places = fields.Int(required=True)
    starts_at = fields.AwareDateTime(required=True)


class VolunteerDispatched(_Data):
    """A dispatch offered a volunteer a place, with why, until the response deadline."""

    offer_id = fields.Str(required=True)
    request_id = fields.Str(required=True)
    volunteer_id = fields.Str(required=True)
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    respond_by = fields.AwareDateTime(required=True)
    explanation = fields.Str(required=True)


class ShiftMissed(_Data):
    """A volunteer who accepted did not check in in time (a no-show); the place is dispatched again."""

    shift_id = fields.Str(required=True)
    request_id = fields.Str(required=True)
    volunteer_id = fields.Str(required=True)
    starts_at = fields.AwareDateTime(required=True)


class PointsCredited(_Data):
    """Points entered in a volunteer's account (approved hours or an activity), whole points."""

    transaction_id = fields.Str(required=True)
    volunteer_id = fields.Str(required=True)
    points = fields.Int(required=True, validate=validate.Range(min=1))
    reason = fields.Str(required=True, validate=validate.OneOf(["hours", "activity"]))
    balance = fields.Int(required=True)
    shift_id = fields.Str(load_default=None, allow_none=True)
    activity = fields.Str(load_default=None, allow_none=True)


class RewardRedeemed(_Data):
    redemption_id = fields.Str(required=True)
    volunteer_id = fields.Str(required=True)
    reward_id = fields.Str(required=True)
    reward_name = fields.Str(required=True)
    quantity = fields.Int(required=True, validate=validate.Range(min=1))
    points = fields.Int(required=True, validate=validate.Range(min=1))


class VolunteerRegistered(_Data):
    volunteer_id = fields.Str(required=True)
    name = fields.Str(required=True)


class ServiceRequestOpened(_Data):
    request_id = fields.Str(required=True)
    title = fields.Str(required=True)
    skill = fields.Str(required=True)
    places = fields.Int(required=True)
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)


class VolunteerAssigned(_Data):
    assignment_id = fields.Str(required=True)
    request_id = fields.Str(required=True)
    volunteer_id = fields.Str(required=True)
