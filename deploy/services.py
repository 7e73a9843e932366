"""The platform's services, in one list for the runner, the broker declarations and the tests."""

from gateway.service import GatewayService
from services.contracts.service import ContractsService
from services.matching.service import MatchingService
from services.meetings.service import MeetingsService
from services.volunteers.service import VolunteersService

DOMAIN_SERVICES = (MeetingsService, MatchingService, VolunteersService, ContractsService)
ALL_SERVICES = (*DOMAIN_SERVICES, GatewayService)
