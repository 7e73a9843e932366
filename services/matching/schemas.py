"""marshmallow schemas of the matching service's RPC inputs and outputs."""

from marshmallow import Schema, fields, validate

from shared.events import Money

NAME = validate.Length(min=1, max=200)
LEGAL_FORMS = ("social_group", "private_non_enterprise", "foundation")


class RegisterOrganisation(Schema):
    credit_code = fields.Str(required=True)
    name = fields.Str(required=True, validate=NAME)
    legal_form = fields.Str(required=True, validate=validate.OneOf(LEGAL_FORMS))
    categories = fields.List(
        fields.Str(validate=validate.Length(min=1, max=80)), required=True, validate=validate.Length(min=1)
    )
    community_ids = fields.List(fields.Str(), required=True, validate=validate.Length(min=1))


class CreateProject(Schema):
    title = fields.Str(required=True, validate=NAME)
    description = fields.Str(load_default="", validate=validate.Length(max=10000))
    category = fields.Str(required=True, validate=validate.Length(min=1, max=80))
    budget = Money(required=True, validate=validate.Range(min=0, min_inclusive=False))


class PublishProject(Schema):
    project_id = fields.Str(required=True)
    bid_deadline = fields.AwareDateTime(required=True)


class SubmitBid(Schema):
    project_id = fields.Str(required=True)
    price = Money(required=True)
    plan = fields.Str(required=True, validate=validate.Length(min=1, max=20000))


class AwardProject(Schema):
    project_id = fields.Str(required=True)
    bid_id = fields.Str(required=True)


class OrganisationOut(Schema):
    id = fields.Str()
    credit_code = fields.Str()
    name = fields.Str()
    legal_form = fields.Str()
    categories = fields.List(fields.Str())
    community_ids = fields.List(fields.Str())
    status = fields.Str()


class ProjectOut(Schema):
    id = fields.Str()
    ocid = fields.Str()
    community_id = fields.Str()
    title = fields.Str()
    description = fields.Str()
    category = fields.Str()
    budget = Money()
    bid_deadline = fields.AwareDateTime(allow_none=True)
    status = fields.Str()
    source_resolution_id = fields.Str(allow_none=True)
    published_at = fields.AwareDateTime(allow_none=True)


class BidOut(Schema):
    id = fields.Str()
    project_id = fields.Str()
    organisation_id = fields.Str()
    price = Money()
    plan = fields.Str()
    digest = fields.Str()
    submitted_at = fields.AwareDateTime()


class AwardOut(Schema):
    id = fields.Str()
    project_id = fields.Str()
    bid_id = fields.Str()
    organisation_id = fields.Str()
    value = Money()
    awarded_at = fields.AwareDateTime()
