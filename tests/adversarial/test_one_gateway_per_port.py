"""A second gateway on a port already in use fails with "address in use" instead of sharing it."""

from __future__ import annotations

import errno

import pytest

from gateway.service import GatewayService
from gateway.web import ExclusiveWebServer, listen
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


def test_every_gateway_entrypoint_uses_the_exclusive_server():
    entrypoints = [
        entrypoint
        for method in vars(GatewayService).values()
        for entrypoint in getattr(method, "nameko_entrypoints", ())
    ]
    assert len(entrypoints) >= 5
    assert all(isinstance(entrypoint.server, ExclusiveWebServer) for entrypoint in entrypoints)
