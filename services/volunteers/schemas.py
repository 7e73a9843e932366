"""marshmallow schemas of the volunteers service's RPC inputs, each loading into its command.

Every input field is one of ``shared.fields``: the one validation layer of every service.
"""

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from services.volunteers import commands
from shared import clock
from shared.fields import AwareDateTime, Bool, Date, Float, Id, Int, Text, Time, Title
from shared.validation import CommandSchema
from shared.vocabulary.volunteers import CATEGORIES, HOURS_GROUPINGS, PRIORITIES, REWARD_KINDS

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


class _Profile(CommandSchema):
    """What the committee keeps of a volunteer; the volunteer's own settings are in _Availability."""

    building_id = Id()
    skills = _skill_levels()
    certificates = fields.List(fields.Nested(Certificate), validate=validate.Length(max=20))
    weekly_cap_hours = Int(validate=validate.Range(min=0, max=60))
    identity_verified = Bool()

    # Named to run before CommandSchema's hook (marshmallow runs hooks in name order).
    @post_load
    def _as_records(self, data, **_):
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


class _Availability(CommandSchema):
    availability = fields.List(fields.Nested(WeeklySlot), validate=validate.Length(max=50))
    unavailable_dates = fields.List(Date(), validate=validate.Length(max=366))
    weekly_cap_hours = Int(validate=validate.Range(min=0, max=60))
    home_visit_consent = Bool()


class RegisterVolunteer(_Profile, _Availability):
    class Meta:
        command = commands.RegisterVolunteer

    name = Title(required=True, validate=NAME)


class UpdateVolunteer(_Profile):
    class Meta:
        command = commands.UpdateVolunteer

    volunteer_id = Id(required=True)
    name = Title(validate=NAME)


class UpdateAvailability(_Availability):
    class Meta:
        command = commands.UpdateAvailability

    @post_load
    def _as_records(self, data, **_):
        return _Profile._as_records(self, data)


class FindVolunteers(CommandSchema):
    class Meta:
        command = commands.FindVolunteers

    id = Id(load_default=None)
    community_id = Id(load_default=None)
    name = Title(load_default=None, validate=NAME)


class AddBuilding(CommandSchema):
    class Meta:
        command = commands.AddBuilding

    name = Title(required=True, validate=NAME)
    x = Float(required=True, validate=validate.Range(min=-50_000, max=50_000))
    y = Float(required=True, validate=validate.Range(min=-50_000, max=50_000))


class CreateTeam(CommandSchema):
    class Meta:
        command = commands.CreateTeam

    name = Title(required=True, validate=NAME)
    leader_id = Id(required=True)
    member_ids = fields.List(Id(), load_default=list, validate=validate.Length(max=500))


class UpdateTeam(CommandSchema):
    class Meta:
        command = commands.UpdateTeam

    team_id = Id(required=True)
    name = Title(validate=NAME)
    leader_id = Id()
    member_ids = fields.List(Id(), validate=validate.Length(max=500))


class OpenServiceRequest(CommandSchema):
    class Meta:
        command = commands.OpenRequest

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
        if ends_at is not None and ends_at <= clock.current().now():
            raise ValidationError("the shift or window has already ended", "ends_at")

    @post_load
    def _as_records(self, data, **_):
        data["skills"] = _as_dict(data["skills"])
        data["certificates"] = sorted(set(data["certificates"]))
        return data


class AssignVolunteer(CommandSchema):
    class Meta:
        command = commands.AssignVolunteer

    request_id = Id(required=True)
    volunteer_id = Id(required=True)


class Dispatch(CommandSchema):
    class Meta:
        command = commands.Dispatch

    team_id = Id(load_default=None)


class RespondToOffer(CommandSchema):
    class Meta:
        command = commands.RespondToOffer

    offer_id = Id(required=True)
    accept = Bool(required=True)
    reason = Text(load_default=None, validate=validate.Length(max=500))


class CheckIn(CommandSchema):
    class Meta:
        command = commands.CheckIn

    shift_id = Id(required=True)


class CheckOut(CheckIn):
    class Meta:
        command = commands.CheckOut


class ApproveHours(CheckIn):
    class Meta:
        command = commands.ApproveHours

    approved_minutes = Int(load_default=None)


class CreditActivity(CommandSchema):
    class Meta:
        command = commands.CreditActivity

    volunteer_id = Id(required=True)
    activity = Title(required=True, validate=validate.Length(min=1, max=100))
    quantity = Int(required=True, validate=validate.Range(min=1, max=1000))
    points_per_unit = Int(required=True, validate=validate.Range(min=1, max=1000))
    request_id = Id(load_default=None)


class AddReward(CommandSchema):
    class Meta:
        command = commands.AddReward

    name = Title(required=True, validate=NAME)
    kind = Title(required=True, validate=validate.OneOf(REWARD_KINDS))
    points = Int(required=True, validate=validate.Range(min=1, max=100_000))
    stock = Int(required=True, validate=validate.Range(min=0, max=100_000))


class RestockReward(CommandSchema):
    class Meta:
        command = commands.RestockReward

    reward_id = Id(required=True)
    quantity = Int(required=True, validate=validate.Range(min=1, max=100_000))


class CancelRequest(CommandSchema):
    class Meta:
        command = commands.CancelRequest

    request_id = Id(required=True)
    reason = Text(required=True, validate=validate.Length(max=2000))


class RedeemReward(CommandSchema):
    class Meta:
        command = commands.RedeemReward

    reward_id = Id(required=True)
    quantity = Int(load_default=1, validate=validate.Range(min=1, max=100))


class HoursReport(CommandSchema):
    class Meta:
        command = commands.HoursReport

    group_by = Title(required=True, validate=validate.OneOf(HOURS_GROUPINGS))
