"""A failed message is acknowledged only once its retry copy or dead letter is confirmed."""

from types import SimpleNamespace

from shared.messaging import EventConsumer, consumer_queue


class Broker:
    """Stands in for the consumer's channel and the publisher, recording what happens."""

    def __init__(self, publishing_fails: bool):
        self.publishing_fails, self.published, self.acked, self.requeued = publishing_fails, [], [], []

    def publish(self, body, **kwargs):
        if self.publishing_fails:
            raise ConnectionError("the broker refused the publish")
        self.published.append((body, kwargs["headers"]))

    def ack_message(self, message):
        self.acked.append(message)

    def requeue_message(self, message):
        self.requeued.append(message)


def consumer(broker: Broker) -> EventConsumer:
    entrypoint = EventConsumer("resolution.adopted")
    entrypoint.queue = consumer_queue("matching", "draft_project_from_resolution", "resolution.adopted")
    entrypoint.publisher = entrypoint.consumer = broker
    return entrypoint


def test_a_malformed_message_is_acknowledged_after_it_is_dead_lettered():
    broker = Broker(publishing_fails=False)
    message = SimpleNamespace(headers={}, payload={"garbage": True})
    consumer(broker).handle_message({"garbage": True}, message)
    assert broker.acked == [message] and broker.requeued == []
    assert "bad envelope" in broker.published[0][1]["x-reason"]


def test_when_the_dead_letter_cannot_be_published_the_message_goes_back_to_its_queue():
    broker = Broker(publishing_fails=True)
    message = SimpleNamespace(headers={}, payload={"garbage": True})
    consumer(broker).handle_message({"garbage": True}, message)
    assert broker.requeued == [message] and broker.acked == []


def test_when_the_retry_copy_cannot_be_published_the_message_goes_back_to_its_queue(monkeypatch):
    import shared.messaging

    monkeypatch.setattr(shared.messaging, "RETRY_DELAYS", (0, 0, 0, 0))
    broker = Broker(publishing_fails=True)
    message = SimpleNamespace(headers={}, payload={})
    failure = RuntimeError("the database went away")
    consumer(broker).handle_message_processed(message, exc_info=(RuntimeError, failure, None))
    assert broker.requeued == [message] and broker.acked == []
