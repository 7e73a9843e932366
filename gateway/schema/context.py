"""One GraphQL request's reach into the services: who asks, the RPC proxies, and the loaders that
batch one request's lookups. The only place the schema makes an RPC, so how RPCs are made can change
here without touching the domain modules."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from graphql_sync_dataloaders import SyncDataLoader, SyncFuture

from shared.identity import Principal

IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_IDEMPOTENCY_KEY = 200
_KEY = re.compile(rf"[\x20-\x7e]{{1,{MAX_IDEMPOTENCY_KEY}}}")


def request_key(header: str | None) -> str:
    """The request's idempotency key: the client's ``Idempotency-Key`` (printable ASCII, at most
    200 characters; anything else is refused naming the header), or a fresh one, so that a
    command redelivered to a service after a crash still runs once."""
    if header is None or header == "":
        return str(uuid.uuid4())
    if not _KEY.fullmatch(header):
        raise ValueError(
            f"{IDEMPOTENCY_HEADER} must be 1 to {MAX_IDEMPOTENCY_KEY} printable ASCII characters"
        )
    return header


@dataclass
class RequestContext:
    """One GraphQL request: who asks, the services' RPC proxies, and per-request loaders."""

    principal: Principal | None
    services: dict[str, Any]
    correlation_id: str
    accounts: Any = None  # the gateway's own unit of work: accounts, sessions, audit
    client_address: str = "unknown"
    base_url: str = "http://127.0.0.1:8000/"
    loaders: dict[str, SyncDataLoader] = field(default_factory=dict)
    # The request's idempotency key, and the worker's context data, which travels with each RPC.
    idempotency_key: str = field(default_factory=lambda: str(uuid.uuid4()))
    worker_data: dict = field(default_factory=dict)

    @contextmanager
    def keyed(self, response_key: str) -> Iterator[None]:
        """The RPCs of one mutation field carry the request's key and the field's response key (its
        alias): two mutations of a document never share a key, and the same document sent again
        with the same header repeats both. Queries carry none."""
        self.worker_data["idempotency_key"] = f"{self.idempotency_key}:{response_key}"
        try:
            yield
        finally:
            self.worker_data.pop("idempotency_key", None)

    @cached_property
    def principal_wire(self) -> dict:
        """The principal as it travels with each RPC, made once for the request's calls."""
        if self.principal is None:
            raise TypeError("an RPC of the schema is made for a signed-in party only")
        return self.principal.to_dict()

    def call(self, service: str, method: str, *args, **kwargs):
        """An RPC made for the signed-in party: the principal always travels with it."""
        return getattr(self.services[service], method)(dict(self.principal_wire), *args, **kwargs)

    def loader(self, name: str, batch: Callable[[list], list]) -> SyncDataLoader:
        if name not in self.loaders:

            def settled(keys: list) -> list:
                # A failed batch fails each of its fields, which the executor reports one by one.
                try:
                    return batch(keys)
                except Exception as error:
                    return [error] * len(keys)

            self.loaders[name] = SyncDataLoader(settled)
        return self.loaders[name]

    def load_one(self, service: str, method: str, key: str | None):
        """One record by id, fetched together with its siblings in one RPC."""
        if key is None:
            return None

        def batch(ids: list[str]) -> list:
            found = {row["id"]: row for row in self.call(service, method, ids)}
            return [found.get(i) for i in ids]

        return self.loader(f"{service}.{method}", batch).load(key)

    def load_local(self, name: str, fetch: Callable[[RequestContext, list[str]], list[dict]], key: str):
        """One record by id from the gateway's own store, fetched together with its siblings."""

        def batch(ids: list[str]) -> list:
            found = {row["id"]: row for row in fetch(self, ids)}
            return [found.get(i) for i in ids]

        return self.loader(f"local.{name}", batch).load(key)

    def load_many(self, service: str, method: str, key: str, group_by: str):
        """The records that belong to ``key`` (say, a meeting's agenda), batched over keys."""

        def batch(ids: list[str]) -> list:
            groups: dict[str, list] = {i: [] for i in ids}
            for row in self.call(service, method, ids):
                groups.setdefault(row[group_by], []).append(row)
            return [groups[i] for i in ids]

        return self.loader(f"{service}.{method}", batch).load(key)


def context(info) -> RequestContext:
    return info.context


def then(future: SyncFuture, fn: Callable[[Any], Any]) -> SyncFuture:
    """A future of ``fn(result)``: the loader still batches, the field gets what it needs."""
    out = SyncFuture()
    out.deferred_callback = future.deferred_callback

    def finish() -> None:
        if future.exception() is not None:
            out.set_exception(future.exception())
            return
        try:
            out.set_result(fn(future.result()))
        except Exception as error:  # the field fails, not the request
            out.set_exception(error)

    if future.done():
        finish()
    else:
        future.add_done_callback(finish)
    return out
