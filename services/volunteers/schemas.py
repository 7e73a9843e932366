"""marshmallow schemas of the volunteers service's RPC inputs and outputs.

Every input field is one of ``shared.fields``: the one validation layer of every service.
"""

from datetime import datetime, timezone

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from services.volunteers.domain import CATEGORIES, PRIORITIES, REWARD_KINDS
from shared.fields import AwareDateTime, Bool, Date, Float, Id, Int, Text, Time, Title

NAME = validate.Length(min=1, max=100)


class SkillLevel(Schema):
    skill = Title(required=True, validate=validate.Length(min=1, max=80))
    level = Int(load_default=1, validate=validate.Range(min=1, max=5))


def _skill_levels(required: bool = False) -> fields.List:
    return fields.List(
        fields.Nested(SkillLevel),
        required=required,
        validate=validate.Length(min=1 if required else 0, max=20),
    )


class Certificate(Schema):
    name = Title(required=True, validate=validate.Length(min=1, max=80))
    number = Title(load_default="", validate=validate.Length(max=80))
    expires_on = Date(required=True)


class WeeklySlot(Schema):
    """A weekly time a volunteer is free, in community time; an end at or before the start runs past
    midnight (00:00 to 00:00 is the whole day)."""

    weekday = Int(required=True, validate=validate.Range(min=0, max=6))
    starts = Time(required=True)
    ends = Time(required=True)


def _as_dict(skills: list[dict]) -> dict:
    return {s["skill"]: s["level"] for s in skills}


def _slots(slots: list[dict]) -> list[dict]:
    return [
        {
            "weekday": s["weekday"],
            "starts": s["starts"].isoformat(timespec="minutes"),
            "ends": s["ends"].isoformat(timespec="minutes"),
        }
        for s in slots
    ]


class _Profile(Schema):
    """What the committee keeps of a volunteer; the volunteer's own settings are in _Availability."""

    building_id = Id()
    skills = _skill_levels()
    certificates = fields.List(fields.Nested(Certificate), validate=validate.Length(max=20))
    weekly_cap_hours = Int(validate=validate.Range(min=0, max=60))
    identity_verified = Bool()

    @post_load
    def to_records(self, data, **_):
        if "skills" in data:
            data["skills"] = _as_dict(data["skills"])
        if "certificates" in data:
            data["certificates"] = [
                {**c, "expires_on": c["expires_on"].isoformat()} for c in data["certificates"]
            ]
        if "availability" in data:
            data["availability"] = _slots(data["availability"])
        if "unavailable_dates" in data:
            data["unavailable_dates"] = sorted({d.isoformat() for d in data["unavailable_dates"]})
        return data


class _Availability(Schema):
    availability = fields.List(fields.Nested(WeeklySlot), validate=validate.Length(max=50))
    unavailable_dates = fields.List(Date(), validate=validate.Length(max=366))
    weekly_cap_hours = Int(validate=validate.Range(min=0, max=60))
    home_visit_consent = Bool()


class RegisterVolunteer(_Profile, _Availability):
    name = Title(required=True, validate=NAME)


class UpdateVolunteer(_Profile):
    volunteer_id = Id(required=True)
    name = Title(validate=NAME)


class UpdateAvailability(_Availability):
    @post_load
    def to_records(self, data, **_):
        return _Profile.to_records(self, data)


class AddBuilding(Schema):
    name = Title(required=True, validate=NAME)
    x = Float(required=True, validate=validate.Range(min=-50_000, max=50_000))
    y = Float(required=True, validate=validate.Range(min=-50_000, max=50_000))


class CreateTeam(Schema):
    name = Title(required=True, validate=NAME)
    leader_id = Id(required=True)
    member_ids = fields.List(Id(), load_default=list, validate=validate.Length(max=500))


class UpdateTeam(Schema):
    team_id = Id(required=True)
    name = Title(validate=NAME)
    leader_id = Id()
    member_ids = fields.List(Id(), validate=validate.Length(max=500))


class OpenServiceRequest(Schema):
    request_id = Id(load_default=None, metadata={"description": "a draft from a resolution"})
    title = Title(required=True, validate=validate.Length(min=1, max=200))
    description = Text(load_default="", validate=validate.Length(max=4000))
    category = Title(load_default="other", validate=validate.OneOf(CATEGORIES))
    skills = _skill_levels(required=True)
    certificates = fields.List(Title(validate=validate.Length(min=1, max=80)), load_default=list)
    places = Int(required=True, validate=validate.Range(min=1, max=100))
    starts_at = AwareDateTime(required=True)
    ends_at = AwareDateTime(required=True)
    duration_minutes = Int(load_default=None, validate=validate.Range(min=15, max=720))
    location = Title(required=True, validate=validate.Length(min=1, max=200))
    building_id = Id(load_default=None)
    priority = Title(load_default="routine", validate=validate.OneOf(list(PRIORITIES)))
    home_visit = Bool(load_default=False)
    team_id = Id(load_default=None)

    @validates_schema
    def _still_to_come(self, data, **_):
        """Volunteers are dispatched to what is still to come: a shift or window that has ended is refused."""
        ends_at = data.get("ends_at")
        if ends_at is not None and ends_at <= datetime.now(timezone.utc):
            raise ValidationError("the shift or window has already ended", "ends_at")

    @post_load
    def to_records(self, data, **_):
        data["skills"] = _as_dict(data["skills"])
        data["certificates"] = sorted(set(data["certificates"]))
        return data


class AssignVolunteer(Schema):
    request_id = Id(required=True)
    volunteer_id = Id(required=True)


class Dispatch(Schema):
    team_id = Id(load_default=None)


class OfferResponse(Schema):
    offer_id = Id(required=True)
    accept = Bool(required=True)
    reason = Text(load_default=None, validate=validate.Length(max=500))


class ShiftRef(Schema):
    shift_id = Id(required=True)


class ApproveHours(ShiftRef):
    approved_minutes = Int(load_default=None)


class CreditActivity(Schema):
    volunteer_id = Id(required=True)
    activity = Title(required=True, validate=validate.Length(min=1, max=100))
    quantity = Int(required=True, validate=validate.Range(min=1, max=1000))
    points_per_unit = Int(required=True, validate=validate.Range(min=1, max=1000))
    request_id = Id(load_default=None)


class AddReward(Schema):
    name = Title(required=True, validate=NAME)
    kind = Title(required=True, validate=validate.OneOf(REWARD_KINDS))
    points = Int(required=True, validate=validate.Range(min=1, max=100_000))
    stock = Int(required=True, validate=validate.Range(min=0, max=100_000))


class RestockReward(Schema):
    reward_id = Id(required=True)
    quantity = Int(required=True, validate=validate.Range(min=1, max=100_000))


class CancelRequest(Schema):
    request_id = Id(required=True)
    reason = Text(required=True, validate=validate.Length(max=2000))


class RedeemReward(Schema):
    reward_id = Id(required=True)
    quantity = Int(load_default=1, validate=validate.Range(min=1, max=100))


class HoursReport(Schema):
    group_by = Title(required=True, validate=validate.OneOf(["volunteer", "team", "category", "month"]))


# Outputs --------------------------------------------------------------------------------


class BuildingOut(Schema):
    id = fields.Str()
    community_id = fields.Str()
    compound_id = fields.Str(allow_none=True)
    name = fields.Str()
    x = fields.Float()
    y = fields.Float()


class VolunteerOut(Schema):
    id = fields.Str()
    community_id = fields.Str()
    name = fields.Str()
    building_id = fields.Str(allow_none=True)
    skills = fields.Method("_skills")
    certificates = fields.List(fields.Dict())
    availability = fields.List(fields.Dict())
    unavailable_dates = fields.List(fields.Str())
    weekly_cap_hours = fields.Int()
    home_visit_consent = fields.Bool()
    identity_verified = fields.Bool()
    points_balance = fields.Int(allow_none=True)
    hours_last_30_days = fields.Float(allow_none=True)
    no_shows = fields.Int(allow_none=True)
    team_ids = fields.List(fields.Str(), allow_none=True)

    def _skills(self, volunteer):
        return [{"skill": s, "level": level} for s, level in sorted(volunteer.skills.items())]


class TeamOut(Schema):
    id = fields.Str()
    community_id = fields.Str()
    name = fields.Str()
    leader_id = fields.Str()
    member_ids = fields.List(fields.Str())


class ServiceRequestOut(Schema):
    id = fields.Str()
    cancelled_reason = fields.Str(allow_none=True)
    community_id = fields.Str()
    compound_id = fields.Str(allow_none=True)
    team_id = fields.Str(allow_none=True)
    building_id = fields.Str(allow_none=True)
    title = fields.Str()
    description = fields.Str()
    category = fields.Str()
    skills = fields.Method("_skills")
    certificates = fields.List(fields.Str())
    places = fields.Int()
    filled = fields.Int()
    starts_at = fields.AwareDateTime(allow_none=True)
    ends_at = fields.AwareDateTime(allow_none=True)
    duration_minutes = fields.Int(allow_none=True)
    location = fields.Str()
    priority = fields.Str()
    home_visit = fields.Bool()
    status = fields.Str()
    source = fields.Str()
    owner_type = fields.Str()
    opened_at = fields.AwareDateTime()
    contract_id = fields.Str(allow_none=True)
    milestone_id = fields.Str(allow_none=True)
    dispatched_at = fields.AwareDateTime(allow_none=True)
    unfilled_reason = fields.Str(allow_none=True)
    unfilled_reported_at = fields.AwareDateTime(allow_none=True)

    def _skills(self, request):
        return [{"skill": s, "level": level} for s, level in sorted(request.skills.items())]


class OfferOut(Schema):
    id = fields.Str()
    request_id = fields.Str()
    volunteer_id = fields.Str()
    volunteer_name = fields.Str()
    round_id = fields.Str(allow_none=True)
    place = fields.Int()
    starts_at = fields.AwareDateTime()
    ends_at = fields.AwareDateTime()
    cost = fields.Float()
    explanation = fields.Str()
    status = fields.Str()
    offered_at = fields.AwareDateTime()
    respond_by = fields.AwareDateTime()
    responded_at = fields.AwareDateTime(allow_none=True)
    decline_reason = fields.Str(allow_none=True)


class ShiftOut(Schema):
    id = fields.Str()
    request_id = fields.Str()
    volunteer_id = fields.Str()
    volunteer_name = fields.Str()
    starts_at = fields.AwareDateTime()
    ends_at = fields.AwareDateTime()
    status = fields.Str()
    checked_in_at = fields.AwareDateTime(allow_none=True)
    checked_out_at = fields.AwareDateTime(allow_none=True)
    auto_checked_out = fields.Bool()
    approved_minutes = fields.Int(allow_none=True)
    approved_at = fields.AwareDateTime(allow_none=True)
    points = fields.Int(allow_none=True)


class UnfilledPlaceOut(Schema):
    request_id = fields.Str()
    place = fields.Int()
    reason = fields.Str()


class DispatchRoundOut(Schema):
    id = fields.Str()
    community_id = fields.Str()
    reason = fields.Str()
    run_at = fields.AwareDateTime()
    offers = fields.List(fields.Nested(OfferOut))
    unfilled = fields.List(fields.Nested(UnfilledPlaceOut))


class LedgerEntryOut(Schema):
    id = fields.Int()
    transaction_id = fields.Str()
    amount = fields.Int()
    kind = fields.Str()
    memo = fields.Str()
    posted_at = fields.AwareDateTime()


class PointsAccountOut(Schema):
    volunteer_id = fields.Str()
    balance = fields.Int()
    entries = fields.List(fields.Nested(LedgerEntryOut))


class LedgerSummaryOut(Schema):
    issued = fields.Int()
    redeemed = fields.Int()
    outstanding = fields.Int()
    balanced = fields.Bool()


class RewardOut(Schema):
    id = fields.Str()
    community_id = fields.Str()
    name = fields.Str()
    kind = fields.Str()
    points = fields.Int()
    stock = fields.Int()


class RedemptionOut(Schema):
    id = fields.Str()
    reward_id = fields.Str()
    reward_name = fields.Str()
    volunteer_id = fields.Str()
    quantity = fields.Int()
    points = fields.Int()
    redeemed_at = fields.AwareDateTime()


class HoursRowOut(Schema):
    key = fields.Str()
    label = fields.Str()
    hours = fields.Float()
    shifts = fields.Int()


class CalendarShiftOut(Schema):
    id = fields.Str()
    title = fields.Str()
    location = fields.Str()
    starts_at = fields.AwareDateTime()
    ends_at = fields.AwareDateTime()
    status = fields.Str()


class CreditOut(Schema):
    id = fields.Str()
    volunteer_id = fields.Str()
    points = fields.Int()
    memo = fields.Str()
    posted_at = fields.AwareDateTime()
