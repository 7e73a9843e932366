"""The gateway: the only door for people. The web console on /, GraphQL on /graphql, GraphiQL for a
browser."""

from __future__ import annotations

from eventlet.corolocal import local
from kombu import Connection, Queue
from kombu.exceptions import ChannelError
from kombu.pools import producers
from nameko.amqp.publish import Publisher, UndeliverableMessage
from nameko.extensions import DependencyProvider
from nameko.rpc import ServiceRpc
from werkzeug.wrappers import Response

from gateway import feeds, pages
from gateway import http as endpoint
from gateway.models import Base
from gateway.web import http
from shared import config, health, readiness
from shared.db import UnitOfWork
from shared.dependencies import Database


class _ReplyQueue(Queue):
    """The reply queue, declared once per broker connection rather than before every request."""

    can_cache_declaration = True


class _RequestPublisher(Publisher):
    """nameko's publisher for RPC requests, describing its broker connection once.

    nameko builds a kombu Connection (parsing the address) for every message only to find its
    pool of producers; here the pool's key is made once. Messages, confirms and retries are as
    nameko sends them.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.connection = Connection(
            self.amqp_uri,
            transport_options={**self.transport_options, "confirm_publish": self.use_confirms},
            ssl=self.ssl,
            login_method=self.login_method,
        )

    def publish(self, payload, **kwargs) -> None:
        options = dict(self.publish_kwargs)
        headers = {
            **options.pop("headers", {}),
            **kwargs.pop("headers", {}),
            **kwargs.pop("extra_headers", {}),
        }
        options.update(kwargs)
        options.setdefault("mandatory", self.mandatory)
        with producers[self.connection].acquire(block=True) as producer:
            # What this connection declared already is not even looked at again: kombu would copy
            # and bind the queue to find that out, before every message.
            declared = producer.connection.declared_entities
            try:
                producer.publish(
                    payload,
                    headers=headers,
                    delivery_mode=self.delivery_mode,
                    priority=self.priority,
                    expiration=self.expiration,
                    compression=self.compression,
                    declare=[entity for entity in self.declare if hash(entity) not in declared],
                    retry=self.retry,
                    retry_policy=self.retry_policy,
                    serializer=self.serializer,
                    **options,
                )
            except ChannelError as exc:
                if "NO_ROUTE" in str(exc):  # no queue for the service: nameko's UnknownService
                    raise UndeliverableMessage() from exc
                raise


class GatewayRpc(ServiceRpc):
    """nameko's ServiceRpc, minus three broker round trips per call.

    nameko re-declares the reply queue (exchange, queue, binding) before publishing each request,
    because kombu does not cache the declaration of a queue with an expiry: that was an eighth of
    the gateway's CPU under load (py-spy, bench/gateway_fanout.py). kombu forgets what it declared
    whenever a connection is made again, so after a broker restart the first request on the new
    connection declares the queue again, as before; the queue itself outlives a consumer's absence
    by nameko's RPC_REPLY_QUEUE_TTL.
    """

    publisher_cls = _RequestPublisher

    def setup(self) -> None:
        super().setup()
        queue = self.reply_listener.queue
        self.publisher.declare = [
            _ReplyQueue(
                queue.name,
                exchange=queue.exchange,
                routing_key=queue.routing_key,
                queue_arguments=queue.queue_arguments,
            )
        ]


class GreenUnitOfWork(UnitOfWork):
    """The gateway's unit of work, whose transaction belongs to the green thread that opened it.

    The root fields of a query run side by side (gateway.execution); two of them may each open the
    request's unit of work on the gateway's store (say ``viewer`` and ``auditLog``), and on
    PostgreSQL a query yields to the other green thread: each keeps a session of its own.
    """

    def __init__(self, *args, **kwargs) -> None:
        self._own = local()
        super().__init__(*args, **kwargs)

    @property
    def _session(self):
        return getattr(self._own, "session", None)

    @_session.setter
    def _session(self, session) -> None:
        self._own.session = session

    @property
    def _emitted(self) -> int:
        return getattr(self._own, "emitted", 0)

    @_emitted.setter
    def _emitted(self, count: int) -> None:
        self._own.emitted = count


class GatewayStore(Database):
    """The gateway's own database (accounts, sessions, audit), one transaction per green thread."""

    def get_dependency(self, worker_ctx) -> UnitOfWork:
        return GreenUnitOfWork(
            self.sessions,
            self.metadata,
            correlation_id=worker_ctx.data.get("correlation_id"),
            on_commit=self.kick,
        )


class WorkerData(DependencyProvider):
    """The worker's context data; what is put here travels with its RPC calls."""

    def get_dependency(self, worker_ctx):
        return worker_ctx.data


class GatewayService:
    name = "gateway"
    meetings = GatewayRpc("meetings")
    matching = GatewayRpc("matching")
    volunteers = GatewayRpc("volunteers")
    contracts = GatewayRpc("contracts")
    worker_data = WorkerData()
    accounts = GatewayStore("gateway", Base.metadata)

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
        return pages.graphiql_page()

    @http("GET", "/static/<string:name>")
    def static(self, request, name):
        return pages.static_file(name)

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

    # The web console: its files, and its page for every other path (the app routes in the browser).
    # Werkzeug tries these after every more specific route above and below.
    @http("GET", "/")
    def console_home(self, request):
        return pages.console(request, "")

    @http("GET", "/<path:path>")
    def console(self, request, path):
        return pages.console(request, path)

    @http("GET", "/health")
    def health(self, request):
        return 200, "ok"

    @http("GET", "/ready")
    def ready(self, request):
        """Every service of this process started and none died; 503 from the first death on."""
        return (200, "ready") if readiness.is_ready() else (503, "not ready")

    # The probes and the scrape (shared.health): for the whole process, every service in it.
    @http("GET", "/health/live")
    def health_live(self, request):
        return _probe("/health/live")

    @http("GET", "/health/ready")
    def health_ready(self, request):
        """200 when the process's services started, their databases and broker answer and no
        outbox is stuck; else 503, naming the failing checks."""
        return _probe("/health/ready")

    @http("GET", "/metrics")
    def metrics(self, request):
        """The process's Prometheus metrics (shared.metrics), in the text format. Not on the public
        address in production: the counters are the operators' (when bids arrive, say), read on
        ``GONGZHI_METRICS_ADDRESS``, which only the cluster reaches."""
        if config.production():
            return Response("not found", status=404, content_type="text/plain")
        return _probe("/metrics")


def _probe(path: str) -> Response:
    found = health.answer(path)
    assert found is not None  # one of its paths
    status, content_type, body = found
    response = Response(body, status=status, content_type=content_type)
    response.headers["Cache-Control"] = "no-store"
    return response
