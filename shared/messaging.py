"""Consuming events: validate, handle once, retry a bounded number of times, dead-letter.

``@consume("project.awarded")`` subscribes a service method to one event type
of the catalogue. The method receives the validated ``Event``. A message that
is not a valid event, or whose handling keeps failing, goes to the
dead-letter queue with the reason; it never blocks its queue and is never
silently dropped.
"""

from __future__ import annotations

import logging
import time
import traceback
import uuid
from datetime import datetime, timezone

import eventlet
from nameko.amqp.publish import Publisher
from nameko.events import SERVICE_POOL, EventHandler
from nameko.exceptions import ConfigurationError

from shared import metrics
from shared.db import DuplicateEvent
from shared.errors import DomainError
from shared.events import CATALOGUE, InvalidEvent, parse_event
from shared.topology import DEAD_LETTER_EXCHANGE, DEAD_LETTER_QUEUE, SUBSCRIPTIONS, consumer_queue

__all__ = ["DEAD_LETTER_EXCHANGE", "DEAD_LETTER_QUEUE", "EventConsumer", "consume", "consumer_queue"]

log = logging.getLogger(__name__)

ATTEMPTS_HEADER = "gongzhi.attempts"
# Pauses before the 2nd, 3rd, ... attempt: a fault that outlasts them all is not transient.
RETRY_DELAYS = (0.2, 0.5, 1.0, 2.0)


class EventConsumer(EventHandler):
    def __init__(self, event_type: str, **kwargs):
        if event_type not in CATALOGUE:
            raise ValueError(f"{event_type} is not in the event catalogue")
        super().__init__(
            CATALOGUE[event_type].source,
            event_type,
            handler_type=SERVICE_POOL,
            reliable_delivery=True,
            expected_exceptions=(DuplicateEvent, DomainError),
            **kwargs,
        )

    def setup(self) -> None:
        consumer = f"{self.container.service_name}.{self.method_name}"
        if consumer not in SUBSCRIPTIONS.get(self.event_type, ()):
            # Its queue would be declared by this process alone: events published while it is
            # down, or before it first starts, would find no queue and be lost.
            raise ConfigurationError(
                f"{consumer} consumes {self.event_type} but is not among its subscriptions in "
                "shared/topology.py, from which every process and the migrations job declare the queues"
            )
        super().setup()
        self.queue = consumer_queue(self.container.service_name, self.method_name, self.event_type)
        self.publisher = Publisher(self.amqp_uri, use_confirms=True, serializer="json")
        # setup() of Consumer built the consumer with nameko's queue; rebuild with ours.
        self.consumer.queues = [self.queue]
        # kombu's ConsumerMixin hands each consumer its on_decode_error, whose default logs an
        # undecodable body and acknowledges it: the message would be gone with nobody the wiser.
        self.consumer.on_decode_error = self.on_decode_error

    def on_decode_error(self, message, exc: Exception) -> None:
        """A body that is not even a message (a content type or compression the consumer does not
        accept, broken JSON): dead-lettered exactly as it came, then acknowledged."""
        content_type = message.content_type or "no content type"
        reason = f"undecodable ({content_type}): {type(exc).__name__}: {exc}"
        self._settle(message, lambda: self.dead_letter_raw(message, reason))

    def handle_message(self, body, message) -> None:
        message.gongzhi_received = time.monotonic()  # for the handling time (shared.metrics)
        try:
            event = parse_event(body, expected_type=self.event_type)
        except InvalidEvent as exc:
            reason = str(exc)
            self._settle(message, lambda: self.dead_letter(body, message, reason))
            return
        super().handle_message(event, message)

    def handle_message_processed(self, message, result=None, exc_info=None) -> None:
        started = getattr(message, "gongzhi_received", None) or time.monotonic()
        metrics.event_handled(self._consumer_name, self.event_type, exc_info, time.monotonic() - started)
        if exc_info is None or isinstance(exc_info[1], DuplicateEvent):
            self.consumer.ack_message(message)
        else:
            self._settle(message, lambda: self._retry_or_dead_letter(message, exc_info))

    def _settle(self, message, forward) -> None:
        """Acknowledge only once the retry copy or the dead letter is confirmed by the broker;
        if that fails, the broker gets the message back, so it is never lost."""
        try:
            forward()
        except Exception:
            log.exception(
                "could not forward a failed message of %s; returning it to the queue", self.queue.name
            )
            self.consumer.requeue_message(message)
        else:
            self.consumer.ack_message(message)

    def _retry_or_dead_letter(self, message, exc_info) -> None:
        attempts = int((message.headers or {}).get(ATTEMPTS_HEADER, 1))
        reason = "".join(traceback.format_exception_only(exc_info[0], exc_info[1])).strip()
        if isinstance(exc_info[1], DomainError):
            # The event breaks a rule of this service: trying again gives the same answer.
            self.dead_letter(message.payload, message, f"refused: {reason}", kind="refused")
        elif attempts <= len(RETRY_DELAYS):
            eventlet.sleep(RETRY_DELAYS[attempts - 1])
            # A copy goes to the back of this consumer's queue only; the
            # original is acknowledged after the copy is confirmed.
            headers = dict(message.headers or {})
            headers[ATTEMPTS_HEADER] = attempts + 1
            self.publisher.publish(
                message.payload,
                exchange="",
                routing_key=self.queue.name,
                headers=headers,
            )
            log.warning("retrying %s (attempt %s): %s", self.queue.name, attempts + 1, reason)
        else:
            self.dead_letter(
                message.payload, message, f"failed {attempts} times: {reason}", kind="handler_failure"
            )

    def dead_letter(self, body, message, reason: str, kind: str = "invalid_event") -> None:
        """``kind``: the reason's class for the dead letters' metric (shared.metrics)."""
        log.error("dead-lettering a message of %s: %s", self.queue.name, reason)
        self.publisher.publish(
            body,
            exchange=DEAD_LETTER_EXCHANGE,
            routing_key=self.queue.name,
            declare=[DEAD_LETTER_QUEUE],
            headers={**(message.headers or {}), **self._why(reason)},
        )
        metrics.dead_lettered(self._consumer_name, kind)

    def dead_letter_raw(self, message, reason: str) -> None:
        """The message's own bytes, content type, encoding and headers (a compressed body stays
        compressed, its ``compression`` header with it), with the reason added."""
        log.error("dead-lettering an undecodable message of %s: %s", self.queue.name, reason)
        body = message.body
        if isinstance(body, str):  # py-amqp decodes a body whose content encoding it knows
            body = body.encode(message.content_encoding or "utf-8")
        self.publisher.publish(
            body,
            exchange=DEAD_LETTER_EXCHANGE,
            routing_key=self.queue.name,
            declare=[DEAD_LETTER_QUEUE],
            # With a content type given, kombu sends the bytes as they are (no serializer).
            content_type=message.content_type or "application/octet-stream",
            content_encoding=message.content_encoding or "binary",
            headers={**(message.headers or {}), **self._why(reason)},
        )
        metrics.dead_lettered(self._consumer_name, "undecodable")

    @property
    def _consumer_name(self) -> str:
        """``service.method``, the metrics' label, as its queue names it (``consumer_queue``)."""
        return self.queue.name.rpartition("--")[2]

    def _why(self, reason: str) -> dict[str, str]:
        """What an operator reads of a dead letter (``gongzhi dead-letters``), and where a replay
        sends it: the exchange and routing key the event was first published with (a retry copy
        travels by this consumer's queue name, so they come from the queue's binding)."""
        return {
            "x-dead-letter-id": uuid.uuid4().hex[:12],
            "x-reason": reason,
            "x-queue": self.queue.name,
            "x-event-type": self.event_type,
            "x-original-exchange": self.queue.exchange.name,
            "x-original-routing-key": self.queue.routing_key,
            "x-dead-lettered-at": datetime.now(timezone.utc).isoformat(),
        }


consume = EventConsumer.decorator
