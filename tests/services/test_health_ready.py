"""``GET /health/ready`` of the gateway (the process's readiness, as Kubernetes and compose probe
it): 200 while every check passes; 503 naming the failing check when readiness is withdrawn, the
database does not answer, the broker does not answer, or an outbox holds an event unsent for longer
than ``shared.health.STUCK_SECONDS``. ``/health/live`` answers 200 all the while."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import requests
from nameko import config as nameko_config
from sqlalchemy import create_engine
from sqlalchemy.orm import DeclarativeBase

from shared import health, readiness
from shared.db import OutboxMixin, now
from tests.conftest import free_port


class _Base(DeclarativeBase):
    pass


class _Outbox(OutboxMixin, _Base):
    pass


@pytest.fixture
def gateway_alone(databases, amqp_uri, runner_factory):  # noqa: F811 (nameko's fixture)
    from gateway.service import GatewayService

    port = free_port()
    nameko_config["WEB_SERVER_ADDRESS"] = f"127.0.0.1:{port}"
    runner_factory(GatewayService).start()
    readiness.mark(True)
    health._kept.clear()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        readiness.mark(False)
        health._kept.clear()


def ready(base: str) -> tuple[int, dict]:
    health._kept.clear()  # what the last probe found is kept for a second or two
    answer = requests.get(f"{base}/health/ready", timeout=10)
    assert answer.headers["Content-Type"] == "application/json"
    return answer.status_code, answer.json()


def the_gateways_database() -> health.Registered:
    (found,) = [item for item in health._registered.values() if item.service == "gateway"]
    return found


def test_ready_while_every_check_passes_and_not_once_readiness_is_withdrawn(gateway_alone):
    status, body = ready(gateway_alone)
    assert status == 200 and body["ready"] is True and body["failing"] == []
    assert {name: check["ok"] for name, check in body["checks"].items()} == dict.fromkeys(health.CHECKS, True)

    readiness.mark(False)  # a service died, or the process is stopping
    status, body = ready(gateway_alone)
    assert status == 503 and body["failing"] == ["started"]
    assert requests.get(f"{gateway_alone}/health/live", timeout=10).status_code == 200


def test_not_ready_when_the_database_does_not_answer(gateway_alone, monkeypatch):
    unreachable = create_engine("postgresql://postgres@127.0.0.1:1/gongzhi_gateway")
    monkeypatch.setattr(the_gateways_database(), "engine", unreachable)
    status, body = ready(gateway_alone)
    assert status == 503 and body["failing"] == ["database"]
    assert "gateway" in body["checks"]["database"]["failing"]
    assert requests.get(f"{gateway_alone}/health/live", timeout=10).status_code == 200


def test_not_ready_when_the_broker_does_not_answer(gateway_alone, monkeypatch):
    monkeypatch.setattr(the_gateways_database(), "amqp_uri", "amqp://guest:guest@127.0.0.1:1/")
    status, body = ready(gateway_alone)
    assert status == 503 and body["failing"] == ["broker"]
    assert list(body["checks"]["broker"]["failing"]) == ["127.0.0.1:1/"]  # never the password


def test_not_ready_when_an_outbox_holds_an_event_unsent_too_long(gateway_alone, tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'stuck.db'}")
    _Base.metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(
            _Outbox.__table__.insert().values(
                event_id="e1",
                event_type="meeting.scheduled",
                source="meetings",
                payload="{}",
                created_at=now() - timedelta(seconds=health.STUCK_SECONDS + 60),
            )
        )
    key = object()
    health.register(key, "stuck", engine, _Outbox.__table__, nameko_config["AMQP_URI"])
    try:
        status, body = ready(gateway_alone)
        health._kept.clear()
        metrics = requests.get(f"{gateway_alone}/metrics", timeout=10).text
    finally:
        health.unregister(key)
    assert status == 503 and body["failing"] == ["outbox"]
    assert body["checks"]["outbox"]["services"]["stuck"]["unsent"] == 1
    assert "stuck" in body["checks"]["outbox"]["failing"]
    assert 'gongzhi_outbox_unsent{service="stuck"} 1.0' in metrics
    assert re.search(r'gongzhi_outbox_oldest_unsent_seconds\{service="stuck"\} 3[6-9]\d\.', metrics)
