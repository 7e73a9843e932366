"""marshmallow schemas of the volunteers service's RPC inputs and outputs."""

from marshmallow import Schema, fields, validate


class RegisterVolunteer(Schema):
    name = fields.Str(required=True, validate=validate.Length(min=1, max=100))
    skills = fields.List(fields.Str(validate=validate.Length(min=1, max=80)), load_default=list)


class OpenServiceRequest(Schema):
    title = fields.Str(required=True, validate=validate.Length(min=1, max=200))
    skill = fields.Str(required=True, validate=validate.Length(min=1, max=80))
    places = fields.Int(required=True, validate=validate.Range(min=1, max=500))
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    location = fields.Str(required=True, validate=validate.Length(min=1, max=200))


class AssignVolunteer(Schema):
    request_id = fields.Str(required=True)
    volunteer_id = fields.Str(required=True)


class VolunteerOut(Schema):
    id = fields.Str()
    community_id = fields.Str()
    name = fields.Str()
    skills = fields.List(fields.Str())


class ServiceRequestOut(Schema):
    id = fields.Str()
    community_id = fields.Str()
    title = fields.Str()
    skill = fields.Str()
    places = fields.Int()
    starts_at = fields.AwareDateTime()
    ends_at = fields.AwareDateTime()
    location = fields.Str()
    status = fields.Str()


class AssignmentOut(Schema):
    id = fields.Str()
    request_id = fields.Str()
    volunteer_id = fields.Str()
    starts_at = fields.AwareDateTime()
    ends_at = fields.AwareDateTime()
    assigned_at = fields.AwareDateTime()
