"""Every queue the platform declares is a quorum queue, on the real broker; a classic queue of the
same name left by an earlier release becomes one with its messages, and one still consumed by an
earlier release's process is left alone with a clear refusal."""

from __future__ import annotations

import pytest
from amqp.exceptions import PreconditionFailed
from kombu import Connection, Exchange, Queue

from deploy.broker import declare_queues
from shared import topology


def queue_type(connection: Connection, name: str) -> str:
    """An existing queue's type, asked the only way AMQP allows: declared again as a quorum queue,
    the broker refuses if it is not one."""
    channel = connection.channel()
    try:
        channel.queue_declare(name, durable=True, auto_delete=False, arguments=topology.QUORUM)
    except PreconditionFailed:
        return "classic"
    channel.close()
    return "quorum"


def classic(queue: Queue) -> Queue:
    """The queue as an earlier release declared it: the same name and binding, classic."""
    return Queue(queue.name, exchange=queue.exchange, routing_key=queue.routing_key, durable=True)


def test_every_queue_of_the_platform_is_a_quorum_queue(amqp_uri):
    declare_queues(uri=amqp_uri)
    declared = topology.queues()
    names = {queue.name for queue in declared}
    assert {"gongzhi.dead-letter", *(f"rpc-{s}" for s in topology.RPC_SERVICES)} <= names
    assert sum(name.startswith("evt-") for name in names) == sum(map(len, topology.SUBSCRIPTIONS.values()))
    with Connection(amqp_uri) as connection:
        assert {name: queue_type(connection, name) for name in sorted(names)} == dict.fromkeys(
            sorted(names), "quorum"
        )
    declare_queues(uri=amqp_uri)  # again: nothing changes, nothing is refused


def test_a_classic_queue_of_an_earlier_release_becomes_a_quorum_queue_with_its_messages(amqp_uri):
    awarded = topology.consumer_queue("meetings", "put_award_on_agenda", "project.awarded")
    requests = topology.rpc_queue("meetings")
    with Connection(amqp_uri) as connection:
        channel = connection.channel()
        for queue in (awarded, requests):
            queue.exchange(channel).declare()
            classic(queue)(channel).declare()
        producer = connection.Producer(channel)
        for n in range(3):
            producer.publish(
                {"n": n}, exchange=awarded.exchange, routing_key="project.awarded", headers={"id": f"e{n}"}
            )
        producer.publish({"call": 1}, exchange=requests.exchange, routing_key="meetings.get_meeting")
        channel.close()

    declare_queues(uri=amqp_uri)

    with Connection(amqp_uri) as connection:
        assert queue_type(connection, awarded.name) == queue_type(connection, requests.name) == "quorum"
        channel = connection.channel()
        kept = []
        while (message := channel.basic_get(awarded.name, no_ack=True)) is not None:
            kept.append((message.body, message.headers.get("id")))
        assert kept == [(f'{{"n": {n}}}', f"e{n}") for n in range(3)]  # in order, headers kept
        assert channel.basic_get(requests.name, no_ack=True).body == '{"call": 1}'
        # The new queue is bound as the old one was, and no holding queue is left.
        connection.Producer(channel).publish(
            {"n": 9}, exchange=awarded.exchange, routing_key="project.awarded"
        )
        assert channel.basic_get(awarded.name, no_ack=True).body == '{"n": 9}'
        with pytest.raises(Exception, match="NOT_FOUND"):
            connection.channel().queue_declare(f"{awarded.name}.converting", passive=True)


def test_a_classic_queue_still_consumed_by_an_earlier_release_is_not_converted(amqp_uri):
    requests = topology.rpc_queue("matching")
    with Connection(amqp_uri) as old_release, Connection(amqp_uri) as connection:
        channel = old_release.channel()
        Exchange("nameko-rpc", type="topic", durable=True)(channel).declare()
        classic(requests)(channel).declare()
        channel.basic_consume(requests.name, callback=lambda message: None)
        with pytest.raises(SystemExit, match="rpc-matching is a classic queue .* still consumed by 1"):
            declare_queues(uri=amqp_uri)
        assert queue_type(connection, requests.name) == "classic"  # left as it was
