"""marshmallow schemas of what the volunteers service answers."""

from marshmallow import Schema, fields


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
