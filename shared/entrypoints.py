"""The one way a service's RPC entrypoint is written: the party's command in, its answer out.

An entrypoint does four things and nothing else: read the principal, load the command (a typed
dataclass; bad input is refused naming the field), run the use case in the service's unit of work
with its clock, and dump the answer. ``use_case`` and ``listing`` write that body once, so that a
service's ``service.py`` is the list of what it answers and which use case answers it::

    class VolunteersService:
        name = "volunteers"
        db = Database("volunteers", Base.metadata)
        clock = Clocks()

        update_volunteer = use_case(registry.update_volunteer, commands.UpdateVolunteer, VolunteerOut())
        list_requests = listing(requests.list_requests, RequestOut(many=True), by_id=requests.get_requests)

A use case's signature is ``(uow, clock, principal, command)`` (without ``command`` when the
entrypoint takes no input); a listing's is ``(uow, clock, principal, page)`` and returns a
``shared.paging.Page``; a by-id lookup's is ``(uow, clock, principal, ids)`` and returns rows.

A command sent with an idempotency key (nameko context data ``idempotency_key``, which the gateway
sets per mutation field) runs at most once for that party and key: its answer is kept with its
effect and a repeat, a redelivery after a crash between commit and acknowledgement included, gets
that answer (``shared.idempotency``). Each service keeps the answers for
``idempotency_retention_days``; ``answers_forgotten()`` is the timer that forgets older ones.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from typing import Any

from marshmallow import Schema
from nameko import config as nameko_config
from nameko.amqp.publish import Publisher
from nameko.constants import AMQP_SSL_CONFIG_KEY, LOGIN_METHOD_CONFIG_KEY
from nameko.rpc import Responder, Rpc, RpcConsumer, get_rpc_exchange
from nameko.timer import Timer

from shared import idempotency, topology
from shared.config import settings
from shared.errors import DomainError
from shared.identity import Principal
from shared.metrics import rpc_handled
from shared.paging import PageRequest
from shared.validation import load


class _Reply(Responder):
    # An answer goes to the caller's reply queue, which is not durable: a broker that fails after
    # taking it loses the queue as well, so the broker's confirm cannot save it, and waiting for
    # one only costs each call a round trip. A lost answer is a timeout to the caller, who sends
    # the same command again under its idempotency key and gets the answer that was kept.
    publisher_cls = partial(Publisher, use_confirms=False)


class _ReplicatedRequests(RpcConsumer):
    """nameko's RPC consumer on the service's quorum queue (``shared.topology.rpc_queue``)."""

    def setup(self):
        super().setup()
        self.queue = topology.rpc_queue(self.container.service_name)
        self.consumer.queues = [self.queue]


class Answering(Rpc):
    """nameko's RPC entrypoint on a quorum queue, its answer published without waiting for the
    broker's confirm; the request is acknowledged after the answer is written, as nameko does, so
    a process killed before that gets the request again (and its idempotency key with it)."""

    rpc_consumer = _ReplicatedRequests()

    def __init__(self, expected_exceptions: Any = DomainError, **kwargs: Any) -> None:
        # A domain error is the party's answer, not a failure: nameko logs an expected exception
        # at WARNING, and shared.logs makes it one INFO line without the traceback.
        super().__init__(expected_exceptions=expected_exceptions, **kwargs)

    def handle_message(self, body, message):
        message.gongzhi_received = time.monotonic()  # for the handling time (shared.metrics)
        super().handle_message(body, message)

    def handle_result(self, message, worker_ctx, result, exc_info):
        reply = _Reply(
            self.rpc_consumer.amqp_uri,
            get_rpc_exchange(),
            message,
            ssl=nameko_config.get(AMQP_SSL_CONFIG_KEY),
            login_method=nameko_config.get(LOGIN_METHOD_CONFIG_KEY),
        )
        result, exc_info = reply.send_response(result, exc_info)
        self.rpc_consumer.consumer.ack_message(message)
        started = getattr(message, "gongzhi_received", None) or time.monotonic()
        rpc_handled(self.container.service_name, self.method_name, exc_info, time.monotonic() - started)
        return result, exc_info


rpc = Answering.decorator
"""The platform's ``@rpc``: every RPC entrypoint of a service is one (``use_case``, ``listing``,
``records`` and the few written by hand)."""


def use_case(handler: Callable[..., Any], command: type[Schema] | None = None, answer: Schema | None = None):
    """An RPC ``(principal, data)`` (or ``(principal)`` without a command) answered by ``handler``;
    ``answer`` dumps its result (left as it is without one)."""

    use_case_name = f"{handler.__module__}.{handler.__qualname__}"

    def answered(result: Any) -> Any:
        return result if answer is None else answer.dump(result)

    def once(self, party: Principal, sent: Any, run: Callable[[], Any]) -> Any:
        """``run()``'s answer, or, for a command sent with a key, the answer kept for that key."""
        key = getattr(self.db, "idempotency_key", None)
        if key is None:
            return run()
        stored = self.db.answer_once(
            idempotency.scoped_key(party, use_case_name, key),
            idempotency.command_digest(sent),
            lambda: idempotency.kept(run()),
        )
        return idempotency.restored(stored)

    def without_command(self, principal):
        party = Principal.from_dict(principal)
        return once(self, party, None, lambda: answered(handler(self.db, self.clock, party)))

    def with_command(self, principal, data):
        assert command is not None  # chosen only when there is one
        party = Principal.from_dict(principal)
        given = load(command, data)
        return once(self, party, data, lambda: answered(handler(self.db, self.clock, party, given)))

    entrypoint: Callable[..., Any] = without_command if command is None else with_command

    entrypoint.__name__ = entrypoint.__qualname__ = handler.__name__
    entrypoint.__doc__ = handler.__doc__
    return rpc(entrypoint)


def listing(
    handler: Callable[..., Any],
    answer: Schema,
    by_id: Callable[..., Any] | None = None,
):
    """A list RPC ``(principal, page=None, ids=None)``: one page (``shared.paging``) as the client
    asked for it, or, given ``ids``, those records the party may see (what the gateway's loaders
    batch). ``answer`` is a ``many=True`` schema."""

    def entrypoint(self, principal, page=None, ids=None):
        party = Principal.from_dict(principal)
        if ids is not None:
            if by_id is None:
                raise TypeError(f"{handler.__name__} lists; it looks nothing up by id")
            return answer.dump(by_id(self.db, self.clock, party, [str(i) for i in ids]))
        found = handler(self.db, self.clock, party, PageRequest.from_wire(page))
        return found.to_wire(answer.dump(found.rows))

    entrypoint.__name__ = entrypoint.__qualname__ = handler.__name__
    entrypoint.__doc__ = handler.__doc__
    return rpc(entrypoint)


def records(handler: Callable[..., Any], answer: Schema):
    """An RPC ``(principal, ids)``: what ``handler`` finds for these ids (records by id, for
    node(id:), or the records of these parents, for the gateway's loaders), as the party may see
    them. ``answer`` is a ``many=True`` schema."""

    def entrypoint(self, principal, ids):
        found = handler(self.db, self.clock, Principal.from_dict(principal), [str(i) for i in ids])
        return answer.dump(found)

    entrypoint.__name__ = entrypoint.__qualname__ = handler.__name__
    entrypoint.__doc__ = handler.__doc__
    return rpc(entrypoint)


class Every(Timer):
    """A timer whose interval is one of ``shared.config.Settings`` (``@Every.decorator(
    "tender_tick_seconds")``), read when the service starts, never when its module is imported."""

    def __init__(self, setting: str, **kwargs: Any):
        super().__init__(interval=None, **kwargs)
        self.setting = setting

    def setup(self) -> None:
        self.interval = getattr(settings(), self.setting)
        super().setup()


def answers_forgotten():
    """The timer that forgets the answers kept for idempotency keys older than
    ``idempotency_retention_days`` (every ``idempotency_purge_seconds``): one line in a service,
    ``forget_old_answers = answers_forgotten()``."""

    @Every.decorator("idempotency_purge_seconds")
    def forget_old_answers(self) -> None:
        kept_for = timedelta(days=settings().idempotency_retention_days)
        self.db.forget_answers(self.clock.now() - kept_for)

    return forget_old_answers
