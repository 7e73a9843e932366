"""The gateway's HTTP door: one gateway per port, and no plain-text exception from any entrypoint."""

from __future__ import annotations

import errno
import json
import logging

import pytest

from gateway.service import GatewayService
from gateway.web import GatewayHttpHandler, GatewayWebServer, listen
from tests.conftest import free_port


def test_a_second_listener_on_the_same_port_is_refused():
    address = ("127.0.0.1", free_port())
    first = listen(address)
    try:
        with pytest.raises(OSError) as refused:
            listen(address)
        assert refused.value.errno == errno.EADDRINUSE
    finally:
        first.close()


def test_every_gateway_entrypoint_uses_the_gateways_own_handler():
    entrypoints = [
        entrypoint
        for method in vars(GatewayService).values()
        for entrypoint in getattr(method, "nameko_entrypoints", ())
    ]
    assert len(entrypoints) >= 5
    assert all(isinstance(e, GatewayHttpHandler) for e in entrypoints)
    assert all(isinstance(e.server, GatewayWebServer) for e in entrypoints)


def test_an_exception_escaping_an_entrypoint_is_a_masked_json_error(caplog):
    handler = GatewayHttpHandler("GET", "/notices/<string:place_id>")
    with caplog.at_level(logging.ERROR):
        response = handler.response_from_exception(KeyError("secret_column at 10.0.0.5"))
    text = response.get_data(as_text=True)
    assert response.status_code == 500 and response.mimetype == "application/json"
    assert "KeyError" not in text and "10.0.0.5" not in text
    correlation_id = json.loads(text)["errors"][0]["extensions"]["correlationId"]
    assert correlation_id in caplog.text and "10.0.0.5" in caplog.text
