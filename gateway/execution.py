"""GraphQL execution with batched loaders, where a failing field fails alone.

graphql-sync-dataloaders lets resolvers return ``SyncFuture``s so that sibling
rows are fetched in one RPC. Its execution context loses the answer when a
non-null field fails inside a deferred callback (the future is never settled,
and the whole request ends in "deferred execution failed to complete"). This
context settles every future with a value or an error, so GraphQL's own null
propagation applies: the error is reported on its field and the rest stands.

It also records the root mutation fields as they run: the audit log is written
from what executed (fragments and directives resolved by graphql-core itself),
never from a second reading of the document.

A query's time is almost all RPC, so what can wait side by side does: the root
fields of a query run in green threads of their own (a query touching two
services waits for the slower, not the sum), and so do the batches that settle
one level of nested fields. Results keep the document's order and each field
keeps its own error. A mutation's root fields still run one after another, as
GraphQL requires.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graphql import (
    ExecutionContext,
    GraphQLError,
    GraphQLNonNull,
    GraphQLObjectType,
    OperationType,
    located_error,
)
from graphql.execution.execute import get_field_def
from graphql.execution.values import get_argument_values
from graphql.pyutils import Path, Undefined, is_iterable
from graphql_sync_dataloaders import SyncFuture

if TYPE_CHECKING:
    from eventlet.greenthread import GreenThread

# At most this many RPCs of one request wait side by side; a document of many aliased root
# fields queues behind them rather than taking the broker's channels from other requests.
SIDE_BY_SIDE = 8


def _settle(target: SyncFuture, compute: Callable[[], Any]) -> None:
    """Settle ``target`` with what ``compute`` gives: a value, another future's outcome, or its error."""
    try:
        value = compute()
    except Exception as error:
        target.set_exception(error)
        return
    if isinstance(value, SyncFuture):
        _chain_into(value, target)
    else:
        target.set_result(value)


def _chain_into(source: SyncFuture, target: SyncFuture) -> None:
    if source.done():
        _settle(target, source.result)
    else:
        source.add_done_callback(lambda: _settle(target, source.result))


def then(value: Any, fn: Callable[[Any], Any]) -> Any:
    """``fn(value)``, or a future of it when ``value`` is still pending; errors travel as errors."""
    if not isinstance(value, SyncFuture):
        return fn(value)
    if value.done():
        return fn(value.result())
    out = SyncFuture()
    value.add_done_callback(lambda: _settle(out, lambda: fn(value.result())))
    return out


def recover(value: Any, handler: Callable[[Exception], Any]) -> Any:
    """A future that settles with ``value``'s result, or with ``handler(error)`` when it fails."""
    if not isinstance(value, SyncFuture):
        return value
    out = SyncFuture()

    def settle() -> None:
        def compute():
            try:
                return value.result()
            except Exception as error:
                return handler(error)

        _settle(out, compute)

    if value.done():
        settle()
    else:
        value.add_done_callback(settle)
    return out


def gather(values: list) -> Any:
    """The list itself when nothing is pending, else a future of it (failing with the first error)."""
    pending = [i for i, v in enumerate(values) if isinstance(v, SyncFuture)]
    if not pending:
        return values
    out = SyncFuture()
    results = list(values)
    remaining = [len(pending)]

    def arrived(index: int) -> None:
        if out.done():
            return
        try:
            results[index] = values[index].result()
        except Exception as error:
            out.set_exception(error)
            return
        remaining[0] -= 1
        if not remaining[0]:
            out.set_result(results)

    for index in pending:
        if values[index].done():
            arrived(index)
        else:
            values[index].add_done_callback(lambda index=index: arrived(index))
    return out


@dataclass
class ExecutedMutation:
    """One root mutation field that ran: its response key, name and resolved arguments."""

    key: str
    name: str
    arguments: dict
    payload: Any = None
    raised: bool = False  # the resolver itself failed: nothing it answered can be trusted

    @property
    def outcome(self) -> str:
        if self.raised:
            return "failed"
        return "refused" if self.error_codes else "ok"

    @property
    def error_codes(self) -> list[str]:
        return [str(getattr(e, "code", "")) for e in getattr(self.payload, "errors", None) or ()]


class GatewayExecutionContext(ExecutionContext):
    executed_mutations: list[ExecutedMutation]

    def execute_operation(self, operation, root_value):
        self._deferred: list[Callable[[], None]] = []
        self.executed_mutations = []
        self._mutation_root = operation.operation == OperationType.MUTATION
        try:
            result = super().execute_operation(operation, root_value)
            while self._deferred:
                # One level of batches (a loader each) waits side by side; completing them may
                # queue the next level.
                level, self._deferred = self._deferred, []
                self._side_by_side(level)
            if not isinstance(result, SyncFuture):
                return result
            if not result.done():
                raise RuntimeError("a batched field was never resolved")
            return result.result()
        except GraphQLError as error:  # a non-null root field failed: data is null
            self.errors.append(error)
            return None

    def _defer(self, future: SyncFuture) -> None:
        if future.deferred_callback is not None and not future.done():
            self._deferred.append(future.deferred_callback)

    def _side_by_side(self, calls: list[Callable[[], Any]]) -> list:
        """What each call returns, in order, the calls running in green threads side by side.

        Every call is waited for, even after one failed, so nothing of this request runs after
        its answer; then the first failure is raised, as if the calls had run one by one.
        """
        if len(calls) < 2:
            return [call() for call in calls]
        from eventlet import GreenPool  # here, so that the schema's unit tests never load eventlet

        pool = GreenPool(SIDE_BY_SIDE)
        # Each in a copy of this request's context: its log lines keep the correlation id (shared.logs).
        threads: list[GreenThread] = [pool.spawn(contextvars.copy_context().run, call) for call in calls]
        results, failure = [], None
        try:
            for thread in threads:
                try:
                    results.append(thread.wait())
                except Exception as error:
                    failure = failure or error
                    results.append(None)
        except BaseException:  # the worker itself is being killed: so are its calls
            for thread in threads:
                thread.kill()
            raise
        if failure is not None:
            raise failure
        return results

    def execute_fields(self, parent_type, source_value, path, fields):
        def field(response_name: str, field_nodes) -> Callable[[], Any]:
            return lambda: self.execute_field(
                parent_type, source_value, field_nodes, Path(path, response_name, parent_type.name)
            )

        calls = [field(name, nodes) for name, nodes in fields.items()]
        if path is None and not self._mutation_root:
            values = self._side_by_side(calls)  # a query's root fields: their RPCs overlap
        else:
            values = [call() for call in calls]  # nested fields only read what their parent has
        results = {name: value for name, value in zip(fields, values, strict=True) if value is not Undefined}
        names = list(results)
        return then(gather(list(results.values())), lambda values: dict(zip(names, values, strict=True)))

    def execute_fields_serially(self, parent_type, source_value, path, fields):
        """A mutation's root fields, one after another: each resolver's effect is done before the
        next one starts. Their payloads may be completed later by batched loaders, which does not
        change the order of the effects."""
        return self.execute_fields(parent_type, source_value, path, fields)

    def execute_field(self, parent_type: GraphQLObjectType, source, field_nodes, path):
        field_def = get_field_def(self.schema, parent_type, field_nodes[0])
        if not field_def:
            return Undefined
        return_type = field_def.type
        resolve_fn = field_def.resolve or self.field_resolver
        if self.middleware_manager:
            resolve_fn = self.middleware_manager.get_field_resolver(resolve_fn)
        info = self.build_resolve_info(field_def, field_nodes, parent_type, path)

        def failed(raw_error: Exception):
            error = located_error(raw_error, field_nodes, path.as_list())
            self.handle_field_error(error, return_type)  # raises for a non-null field
            return None

        try:
            args = get_argument_values(field_def, field_nodes[0], self.variable_values)
            executed = None
            if self._mutation_root and path.prev is None and info.field_name in parent_type.fields:
                executed = ExecutedMutation(path.key, info.field_name, args, raised=True)
                self.executed_mutations.append(executed)
            result = resolve_fn(source, info, **args)
            if executed is not None:
                executed.payload, executed.raised = result, False
            completed = self.complete_value(return_type, field_nodes, info, path, result)
        except Exception as raw_error:
            return failed(raw_error)
        return recover(completed, failed)

    def complete_value(self, return_type, field_nodes, info, path, result):
        if isinstance(result, SyncFuture):
            self._defer(result)
            return then(
                result, lambda value: self.complete_value(return_type, field_nodes, info, path, value)
            )
        if isinstance(return_type, GraphQLNonNull):
            completed = self.complete_value(return_type.of_type, field_nodes, info, path, result)

            def present(value):
                if value is None:
                    raise TypeError(
                        "Cannot return null for non-nullable field"
                        f" {info.parent_type.name}.{info.field_name}."
                    )
                return value

            return then(completed, present)
        return super().complete_value(return_type, field_nodes, info, path, result)

    def complete_list_value(self, return_type, field_nodes, info, path, result):
        if not is_iterable(result):
            raise GraphQLError(
                "Expected Iterable, but did not find one for field"
                f" '{info.parent_type.name}.{info.field_name}'."
            )
        item_type = return_type.of_type
        items = []
        for index, item in enumerate(result):
            item_path = path.add_key(index, None)

            def failed(raw_error: Exception, item_path=item_path):
                self.handle_field_error(located_error(raw_error, field_nodes, item_path.as_list()), item_type)
                return None

            try:
                completed = self.complete_value(item_type, field_nodes, info, item_path, item)
            except Exception as raw_error:
                completed = failed(raw_error)
            items.append(recover(completed, failed))
        return gather(items)
