"""The registry of social organisations (社会组织): an organisation's filing with its sub-district
office, its review, suspension and reinstatement."""

from __future__ import annotations

import graphene

from gateway.schema.common import Date, Node, fetched_by, one_of, rpc_mutation
from gateway.schema.connections import connection, list_field
from gateway.schema.context import context
from shared.identity import PartyType
from shared.vocabulary import matching as words

RC, ORG, JBU = PartyType.RESIDENTS_COMMITTEE, PartyType.SOCIAL_ORGANISATION, PartyType.JOINT_BUILDING_UNIT


@fetched_by("matching", "get_organisations")
class Organisation(graphene.ObjectType):
    """A social organisation (社会组织) of the registry."""

    class Meta:
        interfaces = (Node,)

    name = graphene.String(required=True)
    credit_code = graphene.String(required=True, description="Unified social credit code (统一社会信用代码).")
    legal_form = graphene.String(required=True, description=one_of(words.LegalForm))
    categories = graphene.List(graphene.NonNull(graphene.String), required=True)


class Qualification(graphene.ObjectType):
    name = graphene.String(required=True)
    number = graphene.String(required=True)
    expires_on = Date(required=True)

    @staticmethod
    def resolve_expires_on(root, info):
        from datetime import date

        return date.fromisoformat(root["expires_on"])


@fetched_by("matching", "get_filings")
class Filing(graphene.ObjectType):
    """An organisation's filing with its sub-district office, and where its review stands."""

    class Meta:
        interfaces = (Node,)

    name = graphene.String(required=True)
    credit_code = graphene.String(required=True)
    legal_form = graphene.String(required=True, description=one_of(words.LegalForm))
    categories = graphene.List(graphene.NonNull(graphene.String), required=True)
    staff_count = graphene.Int(required=True)
    qualifications = graphene.List(graphene.NonNull(Qualification), required=True)
    status = graphene.String(required=True, description=one_of(words.FilingStatus))
    review_note = graphene.String()


def organisation_of(root, info):
    return context(info).load_one("matching", "get_organisations", root["organisation_id"])


FilingConnection = connection(Filing)


def filings_field():
    return list_field(FilingConnection, ("matching", "list_filings"), FilingFilter)


class FilingFilter(graphene.InputObjectType):
    status = graphene.String(description=one_of(words.FilingStatus))


class QualificationInput(graphene.InputObjectType):
    name = graphene.String(required=True)
    number = graphene.String()
    expires_on = Date(required=True)


class UpdateFilingInput(graphene.InputObjectType):
    name = graphene.String()
    categories = graphene.List(graphene.NonNull(graphene.String))
    community_ids = graphene.List(
        graphene.NonNull(graphene.ID), description="Communities served (Place ids)."
    )
    staff_count = graphene.Int()
    qualifications = graphene.List(graphene.NonNull(QualificationInput))


FilingReview = graphene.Enum.from_enum(words.FilingDecision, name="FilingReview")


class ReviewFilingInput(graphene.InputObjectType):
    organisation_id = graphene.ID(required=True, description="The filing's id.")
    decision = graphene.Field(FilingReview, required=True)
    reason = graphene.String(description="Needed to ask for changes or to reject.")


class SuspensionInput(graphene.InputObjectType):
    organisation_id = graphene.ID(required=True, description="The filing's id.")
    reason = graphene.String(required=True)


UpdateFiling = rpc_mutation(
    "UpdateFiling",
    UpdateFilingInput,
    "filing",
    Filing,
    "matching",
    "update_filing",
    {"community_ids": "Place"},
    doc="Keep the organisation's filing current; a changed filing goes back to review.",
)


FILING = {"organisation_id": "Filing"}
ReviewFiling = rpc_mutation(
    "ReviewFiling", ReviewFilingInput, "filing", Filing, "matching", "review_filing", FILING
)
SuspendOrganisation = rpc_mutation(
    "SuspendOrganisation",
    SuspensionInput,
    "filing",
    Filing,
    "matching",
    "set_suspension",
    FILING,
    {"suspend": True},
)
ReinstateOrganisation = rpc_mutation(
    "ReinstateOrganisation",
    SuspensionInput,
    "filing",
    Filing,
    "matching",
    "set_suspension",
    FILING,
    {"suspend": False},
)
