"""Entrypoints of the volunteers service."""

from nameko.rpc import rpc

from services.volunteers import handlers, schemas
from services.volunteers.models import Base
from shared.db import Database
from shared.identity import Principal
from shared.validation import load


class VolunteersService:
    name = "volunteers"
    db = Database("volunteers", Base.metadata)

    @rpc
    def enrol_volunteer(self, community_id, data):
        """Operators' command: a volunteer who signs up at the community office."""
        volunteer = handlers.register_volunteer(self.db, community_id, load(schemas.RegisterVolunteer, data))
        return schemas.VolunteerOut().dump(volunteer)

    @rpc
    def register_volunteer(self, principal, data):
        volunteer = handlers.register_volunteer_for(
            self.db, Principal.from_dict(principal), load(schemas.RegisterVolunteer, data)
        )
        return schemas.VolunteerOut().dump(volunteer)

    @rpc
    def list_volunteers(self, principal):
        return schemas.VolunteerOut(many=True).dump(
            handlers.list_volunteers(self.db, Principal.from_dict(principal))
        )

    @rpc
    def get_volunteers(self, principal, ids):
        volunteers = handlers.get_volunteers(self.db, Principal.from_dict(principal), list(ids))
        return schemas.VolunteerOut(many=True).dump(volunteers)

    @rpc
    def open_request(self, principal, data):
        request = handlers.open_request(
            self.db, Principal.from_dict(principal), load(schemas.OpenServiceRequest, data)
        )
        return schemas.ServiceRequestOut().dump(request)

    @rpc
    def list_requests(self, principal):
        requests = handlers.list_requests(self.db, Principal.from_dict(principal))
        return schemas.ServiceRequestOut(many=True).dump(requests)

    @rpc
    def assign_volunteer(self, principal, data):
        assignment = handlers.assign_volunteer(
            self.db, Principal.from_dict(principal), load(schemas.AssignVolunteer, data)
        )
        return schemas.AssignmentOut().dump(assignment)

    @rpc
    def list_assignments(self, principal, request_ids=None):
        ids = None if request_ids is None else list(request_ids)
        assignments = handlers.list_assignments(self.db, Principal.from_dict(principal), ids)
        return schemas.AssignmentOut(many=True).dump(assignments)
