"""A message on an event queue that cannot even be decoded is dead-lettered as it came, with the
decode error as its reason, never acknowledged and dropped (kombu's default)."""

from __future__ import annotations

from kombu import Connection, Exchange, Producer
from sqlalchemy import func, select

from services.matching.models import Base as MatchingBase
from services.matching.models import InboxRecord
from services.matching.service import MatchingService
from shared.messaging import DEAD_LETTER_QUEUE, consumer_queue
from tests.conftest import unit_of_work
from tests.helpers import message_count, wait_for

RESOLUTION_QUEUE = consumer_queue("matching", "draft_project_from_resolution", "resolution.adopted")

# (what it is, body, content type, content encoding, headers)
UNDECODABLE = [
    ("plain text", b"please draft a project", "text/plain", "utf-8", {}),
    ("broken JSON", b'{"id": "e1", "type": "resolution.adopted", "data": {', "application/json", "utf-8", {}),
    ("an unknown content type", b"\x00\x01\x02event", "application/x-gongzhi-unknown", "binary", {}),
    (
        "compressed garbage",
        b"\x1f\x8b\x08\x00not really gzip\xff\xfe",
        "application/json",
        "utf-8",
        {"compression": "application/x-gzip"},
    ),
]


def publish_bytes(amqp_uri: str, body: bytes, content_type: str, encoding: str, headers: dict) -> None:
    exchange = Exchange("meetings.events", type="topic", durable=True)
    with Connection(amqp_uri, transport_options={"confirm_publish": True}) as connection:
        Producer(connection).publish(
            body,
            exchange=exchange,
            routing_key="resolution.adopted",
            declare=[exchange],
            content_type=content_type,
            content_encoding=encoding,
            headers=headers,
            delivery_mode=2,
        )


def raw_dead_letters(amqp_uri: str) -> dict[bytes, tuple[str, dict]]:
    """Drain the dead-letter queue below kombu (which would decompress and decode): each message's
    bytes, with its content type and headers."""
    found = {}
    with Connection(amqp_uri) as connection:
        channel = connection.channel()
        DEAD_LETTER_QUEUE(channel).declare()
        while (message := channel.basic_get(queue=DEAD_LETTER_QUEUE.name, no_ack=True)) is not None:
            body = message.body
            if isinstance(body, str):  # py-amqp decodes a body whose content encoding it knows
                body = body.encode(message.properties["content_encoding"])
            found[body] = (message.properties["content_type"], message.properties["application_headers"])
    return found


def test_undecodable_messages_are_dead_lettered_with_their_decode_error_and_their_raw_bodies(
    databases, amqp_uri, runner_factory
):
    runner_factory(MatchingService).start()
    for _, body, content_type, encoding, headers in UNDECODABLE:
        publish_bytes(amqp_uri, body, content_type, encoding, headers)

    letters: dict[bytes, tuple[str, dict]] = {}
    wait_for(
        "every undecodable message in the dead-letter queue",
        lambda: letters.update(raw_dead_letters(amqp_uri)) or len(letters) == len(UNDECODABLE),
        timeout=15,
    )
    for what, body, content_type, _, headers in UNDECODABLE:
        assert body in letters, f"{what} was not dead-lettered as it came"
        letter_type, letter_headers = letters[body]
        assert letter_type == content_type, what
        assert letter_headers["x-reason"].startswith(f"undecodable ({content_type}): "), what
        assert letter_headers["x-queue"] == RESOLUTION_QUEUE.name
        for name, value in headers.items():  # a compressed body keeps saying how it was compressed
            assert letter_headers[name] == value, what
    reasons = " | ".join(h["x-reason"] for _, h in letters.values())
    assert "ContentDisallowed" in reasons and "DecodeError" in reasons and "decompressing" in reasons
    # Each was acknowledged once its dead letter was confirmed: the queue is not blocked by them.
    wait_for("the consumer's queue to be empty", lambda: message_count(amqp_uri, RESOLUTION_QUEUE) == 0)
    with unit_of_work(databases["matching"], MatchingBase.metadata) as uow:
        assert uow.session.scalar(select(func.count()).select_from(InboxRecord)) == 0
