"""Complaints against a proposed award, heard by the sub-district office, and the notices an
organisation receives about the projects it may bid for."""

from __future__ import annotations

import graphene

from gateway.schema.common import DateTime, Node, fetched_by, one_of, rpc_mutation
from gateway.schema.connections import connection
from gateway.schema.context import context
from gateway.schema.matching.projects import Project
from gateway.schema.matching.registry import Organisation, organisation_of
from shared.vocabulary import matching as words


@fetched_by("matching", "get_complaints")
class Complaint(graphene.ObjectType):
    """A bidder's complaint against a proposed award, heard by the sub-district office."""

    class Meta:
        interfaces = (Node,)

    project = graphene.Field(Project)
    complainant = graphene.Field(Organisation, required=True, resolver=organisation_of)
    grounds = graphene.String(required=True)
    status = graphene.String(required=True, description=one_of(words.ComplaintStatus))
    resolution = graphene.String()
    filed_at = DateTime(required=True)
    resolved_at = DateTime()

    @staticmethod
    def resolve_project(root, info):
        return context(info).load_one("matching", "get_projects", root["project_id"])


class FileComplaintInput(graphene.InputObjectType):
    project_id = graphene.ID(required=True)
    grounds = graphene.String(required=True)


class ResolveComplaintInput(graphene.InputObjectType):
    complaint_id = graphene.ID(required=True)
    resolution = graphene.String(required=True, description="The office's reasons.")


COMPLAINT = {"complaint_id": "Complaint"}
FileComplaint = rpc_mutation(
    "FileComplaint",
    FileComplaintInput,
    "complaint",
    Complaint,
    "matching",
    "file_complaint",
    {"project_id": "Project"},
    doc="Complain against a proposed award during its standstill period.",
)
UpholdComplaint = rpc_mutation(
    "UpholdComplaint",
    ResolveComplaintInput,
    "complaint",
    Complaint,
    "matching",
    "resolve_complaint",
    COMPLAINT,
    {"uphold": True},
    doc="The award is annulled and the bids go back to evaluation.",
)
DismissComplaint = rpc_mutation(
    "DismissComplaint",
    ResolveComplaintInput,
    "complaint",
    Complaint,
    "matching",
    "resolve_complaint",
    COMPLAINT,
    {"uphold": False},
    doc="The award stands; it is final once the standstill period has passed.",
)
ComplaintConnection = connection(Complaint)


@fetched_by("matching", "get_notices")
class Notice(graphene.ObjectType):
    """What an organisation is told about a project: published, terms changed, results."""

    class Meta:
        interfaces = (Node,)

    project = graphene.Field(Project)
    kind = graphene.String(required=True, description=one_of(words.NoticeKind))
    message = graphene.String(required=True)
    created_at = DateTime(required=True)

    @staticmethod
    def resolve_project(root, info):
        return context(info).load_one("matching", "get_projects", root["project_id"])


NoticeConnection = connection(Notice)


class ComplaintFilter(graphene.InputObjectType):
    status = graphene.String(description=one_of(words.ComplaintStatus))
