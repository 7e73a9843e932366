"""The HTTP side of the gateway: read a GraphQL request, run it as its party, answer.

Every request passes the same gates in order: document size, sign-in, rate,
persisted-query lookup, parse and validation (depth; introspection off in
production), cost. Mutations are written to the audit log. Unexpected errors
are masked: the client sees an internal error carrying a correlation id, and
the log has the rest under the same id.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import uuid
from pathlib import Path

from graphql import (
    GraphQLError,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    OperationType,
    execute,
    parse,
    validate,
)
from graphql.execution.values import get_argument_values
from graphql.validation import NoSchemaIntrospectionCustomRule, specified_rules
from graphql_sync_dataloaders import DeferredExecutionContext
from werkzeug.wrappers import Request, Response

from gateway import accounts, audit
from gateway.limits import (
    MAX_DOCUMENT_BYTES,
    DocumentCache,
    LimitExceeded,
    RateLimiter,
    check_cost,
    depth_limit_rule,
)
from gateway.schema.common import RequestContext, camel_case, wire
from gateway.schema.parties import ANONYMOUS_SCHEMA, SCHEMAS
from gateway.tokens import verify_token
from shared import config
from shared.errors import DomainError

log = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
RATE = RateLimiter(
    per_second=float(os.environ.get("GONGZHI_RATE_PER_SECOND", "20")),
    burst=int(os.environ.get("GONGZHI_RATE_BURST", "60")),
)
DOCUMENTS = DocumentCache()


def _list_fields(schema) -> frozenset[str]:
    """Fields that return many records: lists (but a connection's edges) and connections."""
    names = set()
    for type_ in schema.graphql_schema.type_map.values():
        if not isinstance(type_, GraphQLObjectType) or type_.name.startswith("__"):
            continue
        for name, field in type_.fields.items():
            inner = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
            if (isinstance(inner, GraphQLList) and name != "edges") or "first" in field.args:
                names.add(name)
    return frozenset(names)


LIST_FIELDS = {id(schema): _list_fields(schema) for schema in (*SCHEMAS.values(), ANONYMOUS_SCHEMA)}


def _json(body: dict, status: int = 200, headers: dict | None = None) -> Response:
    return Response(
        json.dumps(body, ensure_ascii=False), status=status, mimetype="application/json", headers=headers
    )


def _error(message: str, code: str, status: int, correlation_id: str, **extensions) -> Response:
    body = {
        "errors": [
            {"message": message, "extensions": {"code": code, "correlationId": correlation_id, **extensions}}
        ]
    }
    return _json(body, status)


def _format_error(error: GraphQLError, correlation_id: str) -> dict:
    original = error.original_error
    formatted = error.formatted
    if original is None or isinstance(original, GraphQLError):
        # Syntax, validation and limit errors describe the client's document: safe to show.
        return formatted
    if isinstance(original, DomainError):
        formatted["message"] = original.message
        formatted["extensions"] = {"code": original.code, "field": camel_case(original.field)}
        return formatted
    log.error("internal error [%s]", correlation_id, exc_info=original)
    formatted["message"] = f"internal error; quote correlation id {correlation_id}"
    formatted["extensions"] = {"code": "internal_error", "correlationId": correlation_id}
    return formatted


def _rules():
    rules = [*specified_rules, depth_limit_rule()]
    if config.production():
        rules.append(NoSchemaIntrospectionCustomRule)
    return rules


def _document(schema, query: str | None, persisted_hash: str | None):
    """The parsed and validated document, from the cache when this text was seen before."""
    # A document validated under one set of rules is not valid under another.
    rules_key = (id(schema), config.production())
    if query is None:
        document = DOCUMENTS.get((*rules_key, persisted_hash))
        if document is None:
            raise LimitExceeded(
                "persisted_query", "PersistedQueryNotFound: send the query with its hash once"
            )
        return document
    digest = hashlib.sha256(query.encode()).hexdigest()
    if persisted_hash is not None and persisted_hash != digest:
        raise LimitExceeded("persisted_query", "the sha256Hash does not match the query")
    document = DOCUMENTS.get((*rules_key, digest))
    if document is None:
        document = parse(query)
        errors = validate(schema.graphql_schema, document, _rules())
        if errors:
            raise _ValidationFailed(errors)
        DOCUMENTS.put((*rules_key, digest), document)
    return document


class _ValidationFailed(Exception):
    def __init__(self, errors):
        self.errors = errors


def _audit(context: RequestContext, schema, document, operation_name, variables, data, errors) -> None:
    """One entry per mutation field asked for, with its arguments as resolved (secrets redacted)."""
    mutation_type = schema.graphql_schema.mutation_type
    operations = [
        d
        for d in document.definitions
        if getattr(d, "operation", None) == OperationType.MUTATION
        and (operation_name is None or (d.name and d.name.value == operation_name))
    ]
    for operation in operations:
        for selection in operation.selection_set.selections:
            name = selection.name.value
            key = selection.alias.value if selection.alias else name
            payload = (data or {}).get(key)
            failed = any(e.path and e.path[0] == key for e in errors or ())
            codes = [e.get("code") for e in (payload or {}).get("errors") or []]
            outcome = "failed" if failed or payload is None else ("refused" if codes else "ok")
            arguments = wire(get_argument_values(mutation_type.fields[name], selection, variables))
            username = (arguments.get("input") or {}).get("username") if name == "signIn" else None
            audit.record(
                context.accounts,
                context.principal,
                name,
                arguments,
                outcome,
                codes,
                context.correlation_id,
                username=username,
            )


def execute_graphql(request: Request, services: dict, worker_data: dict, accounts_db) -> Response:
    correlation_id = str(uuid.uuid4())
    worker_data["correlation_id"] = correlation_id  # travels with every RPC of this request
    client_address = request.remote_addr or "unknown"

    if (request.content_length or 0) > MAX_DOCUMENT_BYTES:
        return _error(
            f"the request has more than {MAX_DOCUMENT_BYTES} bytes",
            "limit_exceeded",
            413,
            correlation_id,
            limit="document_size",
        )
    raw = request.get_data(as_text=True)
    if len(raw.encode()) > MAX_DOCUMENT_BYTES:
        return _error(
            f"the request has more than {MAX_DOCUMENT_BYTES} bytes",
            "limit_exceeded",
            413,
            correlation_id,
            limit="document_size",
        )

    principal = None
    header = request.headers.get("Authorization", "")
    if header:
        try:
            if not header.startswith("Bearer "):
                raise DomainError("send 'Authorization: Bearer <token>'", code="invalid_token")
            principal = verify_token(header.removeprefix("Bearer ").strip())
            if not accounts.session_is_live(accounts_db, principal.session_id):
                raise DomainError("this sign-in has ended; sign in again", code="session_ended")
        except DomainError as exc:
            return _error(exc.message, exc.code, 401, correlation_id)

    wait = RATE.allow(principal.account_id if principal else f"address:{client_address}")
    if wait:
        wait = max(wait, 0.1)
        response = _error(
            f"too many requests; retry after {wait:.1f} s",
            "limit_exceeded",
            429,
            correlation_id,
            limit="rate",
            retryAfter=round(wait, 1),
        )
        response.headers["Retry-After"] = str(max(1, round(wait)))
        return response

    try:
        body = json.loads(raw or "{}")
    except ValueError:
        return _error("the body must be JSON", "bad_request", 400, correlation_id)
    if not isinstance(body, dict):
        return _error("the body must be a JSON object", "bad_request", 400, correlation_id)
    query = body.get("query")
    persisted = ((body.get("extensions") or {}).get("persistedQuery") or {}).get("sha256Hash")
    variables = body.get("variables") or {}
    operation_name = body.get("operationName")
    if (query is not None and not isinstance(query, str)) or (query is None and not persisted):
        return _error(
            "the body needs a 'query' string (or a persisted query hash)", "bad_request", 400, correlation_id
        )
    if not isinstance(variables, dict):
        return _error("'variables' must be an object", "bad_request", 400, correlation_id)

    schema = SCHEMAS[principal.party_type] if principal else ANONYMOUS_SCHEMA
    try:
        document = _document(schema, query, persisted)
        check_cost(document, operation_name, variables, LIST_FIELDS[id(schema)])
    except _ValidationFailed as failed:
        return _json({"errors": [e.formatted for e in failed.errors]})
    except GraphQLError as error:
        return _json({"errors": [error.formatted]})

    context = RequestContext(
        principal=principal,
        services=services,
        correlation_id=correlation_id,
        accounts=accounts_db,
        client_address=client_address,
        base_url=request.host_url,
    )
    result = execute(
        schema.graphql_schema,
        document,
        context_value=context,
        variable_values=variables,
        operation_name=operation_name,
        execution_context_class=DeferredExecutionContext,
    )
    try:
        _audit(context, schema, document, operation_name, variables, result.data, result.errors)
    except Exception:
        log.exception("could not write the audit log [%s]", correlation_id)
        return _error(
            f"internal error; quote correlation id {correlation_id}", "internal_error", 500, correlation_id
        )
    answer: dict = {}
    if result.errors:
        answer["errors"] = [_format_error(e, correlation_id) for e in result.errors]
    if result.data is not None or not result.errors:
        answer["data"] = result.data
    return _json(answer)


GRAPHIQL_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Gongzhi GraphQL</title>
  <link rel="stylesheet" href="/static/graphiql.min.css">
  <style>body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }</style>
</head>
<body>
  <div id="graphiql">Loading GraphiQL…</div>
  <script src="/static/react.production.min.js"></script>
  <script src="/static/react-dom.production.min.js"></script>
  <script src="/static/graphiql.min.js"></script>
  <script>
    // A demo link carries the token in the fragment (#token=...), which never reaches a server log.
    const token = new URLSearchParams(window.location.hash.slice(1)).get("token");
    const headers = token ? JSON.stringify({Authorization: "Bearer " + token}, null, 2) : undefined;
    const fetcher = GraphiQL.createFetcher({url: "/graphql"});
    ReactDOM.createRoot(document.getElementById("graphiql")).render(
      React.createElement(GraphiQL, {
        fetcher,
        defaultHeaders: headers,
        defaultQuery: "{\\n  viewer {\\n    party { type name }\\n    community { name }\\n  }\\n}\\n",
      })
    );
  </script>
</body>
</html>
"""


def graphiql_page() -> Response:
    return Response(GRAPHIQL_PAGE, mimetype="text/html")


STATIC_TYPES = {".js": "application/javascript", ".css": "text/css"}


def static_file(name: str) -> Response:
    path = (STATIC / name).resolve()
    if path.parent != STATIC.resolve() or path.suffix not in STATIC_TYPES or not path.is_file():
        return Response("not found", status=404)
    response = Response(path.read_bytes(), mimetype=STATIC_TYPES[path.suffix])
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response
