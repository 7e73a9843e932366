"""The dead-letter queue as operators handle it (``gongzhi dead-letters``): read, replay, purge.

A consumer dead-letters an event it cannot handle (``shared.messaging``) with the reason and
where it came from in the message's headers: ``x-dead-letter-id`` (this letter's own id),
``x-reason``, ``x-queue`` (the consumer's queue), ``x-event-type``, ``x-original-exchange`` and
``x-original-routing-key`` (where the event was first published) and ``x-dead-lettered-at``.

Reading takes the letters off the queue without acknowledging them: when the channel closes, the
broker puts back every one that was not replayed or purged, so a command that dies half-way loses
nothing. A replay publishes the letter's own body, with its event id, to the consumer's queue it
was dead-lettered from (mandatory, with publisher confirms), and only once the broker confirmed
it acknowledges the dead letter: the consumer's inbox then handles the event exactly once, and a
second replay of the same event (another letter of it, or a replay cut short before its
acknowledgement) is skipped there as a duplicate. ``to_exchange`` sends it to the original
exchange and routing key instead, to every consumer of its type (those that handled it already
skip it by their inbox).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from amqp.exceptions import NotFound
from kombu import Connection, Exchange, Producer

from shared.events import CATALOGUE
from shared.topology import DEAD_LETTER_QUEUE, event_exchange

# Headers the broker or the dead-lettering added, and the retry count: a replay starts afresh.
_NOT_REPLAYED = ("x-", "gongzhi.attempts")


class Unreachable(Exception):
    """The broker did not answer."""


class ReplayFailed(Exception):
    """The broker returned or refused a replayed letter; it stays in the dead-letter queue."""


@dataclass
class DeadLetter:
    id: str
    event_id: str | None
    event_type: str | None
    queue: str | None
    reason: str
    dead_lettered_at: str | None
    exchange: str | None
    routing_key: str | None
    headers: dict[str, Any]
    body: bytes
    content_type: str | None
    content_encoding: str | None
    delivery_tag: int = field(repr=False, default=0)

    def summary(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "event_id": self.event_id,
            "event_type": self.event_type,
            "queue": self.queue,
            "reason": self.reason,
            "dead_lettered_at": self.dead_lettered_at,
        }

    def detail(self) -> dict[str, Any]:
        try:
            body: Any = json.loads(self.body)
        except ValueError:
            body = self.body.decode("utf-8", "replace")
        return {
            **self.summary(),
            "original_exchange": self.exchange,
            "original_routing_key": self.routing_key,
            "content_type": self.content_type,
            "headers": self.headers,
            "body": body,
        }


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _letter(raw) -> DeadLetter:
    headers = dict(raw.properties.get("application_headers") or {})
    body = raw.body if isinstance(raw.body, bytes) else raw.body.encode("utf-8")
    event_id = None
    try:
        wire = json.loads(body)
        if isinstance(wire, dict) and isinstance(wire.get("id"), str):
            event_id = wire["id"]
    except ValueError:
        pass
    event_type = _text(headers.get("x-event-type"))
    exchange, routing_key = (
        _text(headers.get("x-original-exchange")),
        _text(headers.get("x-original-routing-key")),
    )
    if exchange is None and event_type in CATALOGUE:  # dead-lettered before these were recorded
        exchange, routing_key = event_exchange(CATALOGUE[event_type].source).name, event_type
    letter_id = _text(headers.get("x-dead-letter-id"))
    if letter_id is None:  # an older letter: an id from what makes it this letter
        seen = f"{headers.get('x-queue')}|{headers.get('x-dead-lettered-at')}|".encode() + body
        letter_id = hashlib.sha256(seen).hexdigest()[:12]
    return DeadLetter(
        id=letter_id,
        event_id=event_id or _text(raw.properties.get("message_id")),
        event_type=event_type,
        queue=_text(headers.get("x-queue")),
        reason=_text(headers.get("x-reason")) or "",
        dead_lettered_at=_text(headers.get("x-dead-lettered-at")),
        exchange=exchange,
        routing_key=routing_key,
        headers={k: _text(v) if isinstance(v, bytes) else v for k, v in headers.items()},
        body=body,
        content_type=raw.properties.get("content_type"),
        content_encoding=raw.properties.get("content_encoding"),
        delivery_tag=raw.delivery_tag,
    )


class DeadLetters:
    """The letters in the queue, held (unacknowledged) until ``close``; those not replayed or
    purged go back to the queue then."""

    def __init__(self, connection: Connection):
        self._connection = connection
        self._channel = connection.channel()
        try:
            waiting = self._channel.queue_declare(queue=DEAD_LETTER_QUEUE.name, passive=True).message_count
        except NotFound:  # never declared: nothing was ever dead-lettered here
            self._channel = connection.channel()
            waiting = 0
        self.letters: list[DeadLetter] = []
        # Only the letters there when the command began: a letter dead-lettered meanwhile (a replay
        # that failed again, say) waits for the next command instead of being read in a loop.
        for _ in range(waiting):
            raw = self._channel.basic_get(queue=DEAD_LETTER_QUEUE.name, no_ack=False)
            if raw is None:
                break
            self.letters.append(_letter(raw))
        self.letters.sort(key=lambda letter: letter.dead_lettered_at or "")
        self._producer: Producer | None = None
        self._returned: list[str] = []

    def matching(self, ids: list[str], event_type: str | None = None) -> tuple[list[DeadLetter], list[str]]:
        """The letters named by id (a letter's own, or its event's: every letter of that event), or
        every letter when ``ids`` is empty, of ``event_type`` if given; and the ids that name none."""
        chosen = [
            letter
            for letter in self.letters
            if (not ids or letter.id in ids or letter.event_id in ids)
            and (event_type is None or letter.event_type == event_type)
        ]
        found = {letter.id for letter in chosen} | {letter.event_id for letter in chosen}
        return chosen, [i for i in ids if i not in found]

    def _on_return(self, exc, exchange, routing_key, message) -> None:
        self._returned.append(f"{exc} ({exchange or 'the default exchange'} {routing_key})")

    def replay(self, letter: DeadLetter, to_exchange: bool = False) -> str:
        """Publish the letter again and, once the broker confirmed it, remove it. Where it went."""
        if self._producer is None:
            self._publishing = self._connection.clone(transport_options={"confirm_publish": True})
            self._producer = Producer(self._publishing, on_return=self._on_return)
        if to_exchange:
            if not (letter.exchange and letter.routing_key):
                raise ReplayFailed(f"{letter.id}: its original exchange is not known; replay it to its queue")
            exchange: Exchange | str = Exchange(letter.exchange, type="topic", durable=True)
            routing_key, where = letter.routing_key, f"{letter.exchange} {letter.routing_key}"
        else:
            if not letter.queue:
                raise ReplayFailed(f"{letter.id}: the queue it came from is not recorded")
            exchange, routing_key, where = "", letter.queue, f"queue {letter.queue}"
        headers = {k: v for k, v in letter.headers.items() if not k.startswith(_NOT_REPLAYED)}
        self._returned.clear()
        self._producer.publish(
            letter.body,
            exchange=exchange,
            routing_key=routing_key,
            headers=headers,
            message_id=letter.event_id,
            content_type=letter.content_type or "application/octet-stream",
            content_encoding=letter.content_encoding or "binary",
            delivery_mode=2,
            mandatory=True,
        )
        if self._returned:
            raise ReplayFailed(
                f"{letter.id}: the broker returned it: {self._returned[0]}; it stays dead-lettered"
            )
        self._channel.basic_ack(letter.delivery_tag)
        self.letters.remove(letter)
        return where

    def purge(self, letter: DeadLetter) -> None:
        self._channel.basic_ack(letter.delivery_tag)
        self.letters.remove(letter)

    def close(self) -> None:
        if self._producer is not None:
            self._publishing.release()
        self._channel.close()  # the letters still held go back to the queue


@contextmanager
def dead_letters(uri: str, connect_timeout: float = 3.0) -> Iterator[DeadLetters]:
    connection = Connection(uri, connect_timeout=connect_timeout)
    try:
        connection.ensure_connection(max_retries=1)
    except Exception as exc:
        raise Unreachable(f"the broker at {connection.as_uri()} does not answer: {exc}") from None
    try:
        held = DeadLetters(connection)
        try:
            yield held
        finally:
            held.close()
    finally:
        connection.release()
