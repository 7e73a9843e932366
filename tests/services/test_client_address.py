"""Whose address the sign-in throttle and an anonymous client's rate count: behind an Ingress every
connection comes from the proxy, so the client's address is read from X-Forwarded-For, and only
the part the trusted proxies appended."""

from __future__ import annotations

from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from gateway.http import client_address_of


def request(forwarded: str | None = None) -> Request:
    headers = {"X-Forwarded-For": forwarded} if forwarded is not None else {}
    return Request(EnvironBuilder(headers=headers, environ_base={"REMOTE_ADDR": "10.0.0.7"}).get_environ())


def test_without_trusted_proxies_the_connection_decides_whatever_the_client_writes(monkeypatch):
    monkeypatch.delenv("GONGZHI_TRUSTED_PROXIES", raising=False)
    assert client_address_of(request()) == "10.0.0.7"
    assert client_address_of(request("203.0.113.9")) == "10.0.0.7"


def test_behind_proxies_the_address_the_outermost_one_appended_is_the_clients(monkeypatch):
    monkeypatch.setenv("GONGZHI_TRUSTED_PROXIES", "1")  # an Ingress
    assert client_address_of(request("203.0.113.9")) == "203.0.113.9"
    # A client that writes addresses of its own comes first; the Ingress appends the real one.
    assert client_address_of(request("1.2.3.4, 5.6.7.8, 203.0.113.9")) == "203.0.113.9"
    monkeypatch.setenv("GONGZHI_TRUSTED_PROXIES", "2")  # a load balancer, then the Ingress
    assert client_address_of(request("1.2.3.4, 198.51.100.20, 10.1.0.3")) == "198.51.100.20"
    # Fewer entries than proxies (the header missing, or a proxy that does not append): the
    # connection's address, never a guess.
    assert client_address_of(request("203.0.113.9")) == "10.0.0.7"
    assert client_address_of(request()) == "10.0.0.7"
    assert len(client_address_of(request("x" * 500 + ", 10.1.0.3"))) == 64  # what the log keeps
