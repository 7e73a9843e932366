"""The HTTP side of the gateway: read a GraphQL request, run it as its party, answer.

Unexpected errors are masked: the client sees an internal error carrying a
correlation id, and the log has the rest under the same id.
"""

from __future__ import annotations

import json
import logging
import uuid
from pathlib import Path

from graphql_sync_dataloaders import DeferredExecutionContext
from werkzeug.wrappers import Request, Response

from gateway.schema.common import RequestContext, camel_case
from gateway.schema.parties import SCHEMAS
from gateway.tokens import verify_token
from shared.errors import DomainError

log = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
MAX_DOCUMENT_BYTES = 100_000


def _json(body: dict, status: int = 200) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status=status, mimetype="application/json")


def _error(message: str, code: str, status: int, correlation_id: str) -> Response:
    return _json(
        {"errors": [{"message": message, "extensions": {"code": code, "correlationId": correlation_id}}]},
        status,
    )


def _format_error(error, correlation_id: str) -> dict:
    original = error.original_error
    formatted = error.formatted
    if original is None:
        # Syntax and validation errors describe the client's document: safe to show.
        return formatted
    if isinstance(original, DomainError):
        formatted["message"] = original.message
        formatted["extensions"] = {"code": original.code, "field": camel_case(original.field)}
        return formatted
    log.error("internal error [%s]", correlation_id, exc_info=original)
    formatted["message"] = f"internal error; quote correlation id {correlation_id}"
    formatted["extensions"] = {"code": "internal_error", "correlationId": correlation_id}
    return formatted


def execute_graphql(request: Request, services: dict, worker_data: dict) -> Response:
    correlation_id = str(uuid.uuid4())
    worker_data["correlation_id"] = correlation_id  # travels with every RPC of this request

    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return _error(
            "sign in first: send 'Authorization: Bearer <token>'", "unauthenticated", 401, correlation_id
        )
    try:
        principal = verify_token(header.removeprefix("Bearer ").strip())
    except DomainError as exc:
        return _error(exc.message, exc.code, 401, correlation_id)

    if request.content_length and request.content_length > MAX_DOCUMENT_BYTES:
        return _error(
            f"the request exceeds {MAX_DOCUMENT_BYTES} bytes", "document_too_large", 413, correlation_id
        )
    try:
        body = json.loads(request.get_data(as_text=True) or "{}")
    except ValueError:
        return _error("the body must be JSON", "bad_request", 400, correlation_id)
    query = body.get("query") if isinstance(body, dict) else None
    if not isinstance(query, str) or not query.strip():
        return _error("the body needs a 'query' string", "bad_request", 400, correlation_id)
    variables = body.get("variables") or {}
    if not isinstance(variables, dict):
        return _error("'variables' must be an object", "bad_request", 400, correlation_id)

    context = RequestContext(principal=principal, services=services, correlation_id=correlation_id)
    result = SCHEMAS[principal.party_type].execute(
        query,
        variable_values=variables,
        operation_name=body.get("operationName"),
        context_value=context,
        execution_context_class=DeferredExecutionContext,
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
