"""A test's own RabbitMQ node: it answers on its own port, survives a crash with its durable
messages, answers ``rabbitmqctl -n``, and leaves neither process nor folder behind."""

from __future__ import annotations

import os
import subprocess

import pytest
from kombu import Connection, Exchange, Queue

from shared import config
from tests.rabbit_node import RabbitNode, answers

pytestmark = pytest.mark.skipif(
    not os.path.exists("/usr/lib/rabbitmq/bin/rabbitmq-server"), reason="needs a RabbitMQ installation"
)


def _pids_of(nodename: str) -> list[str]:
    found = subprocess.run(["pgrep", "-f", nodename], capture_output=True, text=True)
    return found.stdout.split()


def test_a_node_of_its_own_survives_a_crash_with_its_durable_messages_and_leaves_nothing_behind():
    queue = Queue("rabbit-node-check", Exchange("rabbit-node-check"), routing_key="k", durable=True)
    with RabbitNode() as node:
        assert node.port != 5672 and node.running
        with Connection(node.uri) as connection:
            producer = connection.Producer()
            producer.publish(
                {"n": 1}, exchange=queue.exchange, routing_key="k", declare=[queue], delivery_mode=2
            )
        assert "rabbit-node-check\t1" in node.ctl("list_queues", "name", "messages")

        beam = node.beam_pid()
        node.kill()
        assert not node.running and not answers(node.uri, timeout=1)
        with pytest.raises(ProcessLookupError):
            os.kill(beam, 0)
        assert answers(config.test_amqp_uri()), "the machine's shared broker must be untouched"

        node.start()
        with Connection(node.uri) as connection:
            message = connection.SimpleQueue(queue).get(timeout=5)
            assert message.payload == {"n": 1}
            message.ack()
        node.stop()
        assert not node.running
        folder, nodename = node.folder, node.nodename
    assert not folder.exists()
    assert _pids_of(nodename) == []
