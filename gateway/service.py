"""The gateway: the only door for people. GraphQL on /graphql, GraphiQL for a browser."""

from nameko.extensions import DependencyProvider
from nameko.rpc import ServiceRpc

from gateway import feeds
from gateway import http as endpoint
from gateway.models import Base
from gateway.web import http
from shared.dependencies import Database


class WorkerData(DependencyProvider):
    """The worker's context data; what is put here travels with its RPC calls."""

    def get_dependency(self, worker_ctx):
        return worker_ctx.data


class GatewayService:
    name = "gateway"
    meetings = ServiceRpc("meetings")
    matching = ServiceRpc("matching")
    volunteers = ServiceRpc("volunteers")
    contracts = ServiceRpc("contracts")
    worker_data = WorkerData()
    accounts = Database("gateway", Base.metadata)

    @http("POST", "/graphql")
    def graphql(self, request):
        services = {
            "meetings": self.meetings,
            "matching": self.matching,
            "volunteers": self.volunteers,
            "contracts": self.contracts,
        }
        return endpoint.execute_graphql(request, services, self.worker_data, self.accounts)

    @http("GET", "/graphql")
    def graphiql(self, request):
        return endpoint.graphiql_page()

    @http("GET", "/static/<string:name>")
    def static(self, request, name):
        return endpoint.static_file(name)

    @http("GET", "/calendar/<string:key>.ics")
    def calendar(self, request, key):
        services = {"meetings": self.meetings, "volunteers": self.volunteers}
        return feeds.calendar_feed(services, self.accounts, key)

    @http("GET", "/notices/<string:place_id>")
    def notices(self, request, place_id):
        return feeds.notice_board({"meetings": self.meetings}, place_id)

    @http("GET", "/ocds/<string:kind>")
    def open_contracting(self, request, kind):
        if kind not in ("releases", "records"):
            return 404, "not found"
        return feeds.open_contracting({"matching": self.matching, "contracts": self.contracts}, request, kind)

    @http("GET", "/health")
    def health(self, request):
        return 200, "ok"
