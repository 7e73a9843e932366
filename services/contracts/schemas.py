"""marshmallow schemas of the contracts service's RPC outputs."""

from marshmallow import Schema, fields

from shared.events import Money


class ContractOut(Schema):
    id = fields.Str()
    project_id = fields.Str()
    ocid = fields.Str()
    community_id = fields.Str()
    organisation_id = fields.Str()
    organisation_name = fields.Str()
    title = fields.Str()
    value = Money()
    status = fields.Str()
    awarded_at = fields.AwareDateTime()
    created_at = fields.AwareDateTime()
