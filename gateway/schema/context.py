"""One GraphQL request's reach into the services: who asks, the RPC proxies, and the loaders that
batch one request's lookups. The only place the schema makes an RPC, so how RPCs are made can change
here without touching the domain modules."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from graphql_sync_dataloaders import SyncDataLoader, SyncFuture

from shared.identity import Principal


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
