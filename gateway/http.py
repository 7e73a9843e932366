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
import re
import time
import uuid
from collections.abc import Iterable

import jwt
from graphql import (
    FieldNode,
    GraphQLError,
    validate,
)
from graphql.validation import NoFragmentCyclesRule, NoSchemaIntrospectionCustomRule, specified_rules
from werkzeug.wrappers import Request, Response

from gateway import accounts, audit, shared_state
from gateway.anonymous import unauthenticated_errors
from gateway.execution import ExecutedMutation, GatewayExecutionContext
from gateway.limits import (
    DocumentCache,
    LimitExceeded,
    RateLimiter,
    YieldToOthers,
    check_cost,
    check_shape,
    depth_limit_rule,
    parse_document,
    yield_to_others,
)
from gateway.schema.common import camel_case, wire
from gateway.schema.context import IDEMPOTENCY_HEADER, RequestContext, request_key
from gateway.schema.parties import ANONYMOUS_SCHEMA, SCHEMAS
from gateway.tokens import verify_token
from shared import config, logs, metrics
from shared.errors import DomainError
from shared.identity import Principal
from shared.vocabulary.gateway import Limit, RequestErrorCode

log = logging.getLogger(__name__)
access_log = logging.getLogger(logs.ACCESS)


class RateFromSettings:
    """The per-party rate limit as ``config.settings()`` gives it when a request comes, its buckets
    in the gateways' shared state (``gateway.shared_state``: Redis when the gateways share one, so
    that the limit holds across replicas); a changed setting starts with fresh buckets."""

    def allow(self, key: str) -> float:
        limits = config.settings()
        return shared_state.current().take(key, limits.rate_per_second, limits.rate_burst)


class VerifiedTokens:
    """Access tokens whose signature this process checked, kept until they expire (a minute at most).

    Checking a signature (and reading the signing key) on every request was a few per cent of the
    gateway's time under load; the same token is the same bytes, so it is checked once. Whether its
    sign-in still holds is asked every time (accounts.session_is_live).
    """

    KEEP_SECONDS = 60.0

    def __init__(self, max_tokens: int = 10_000):
        self.max_tokens = max_tokens
        self._held: dict[str, tuple[Principal, float]] = {}

    def principal(self, token: str) -> Principal:
        held = self._held.get(token)
        moment = time.monotonic()
        if held is not None and held[1] > moment:
            return held[0]
        principal = verify_token(token)  # refuses a bad or expired token, naming why
        expires = jwt.decode(token, options={"verify_signature": False})["exp"]
        if len(self._held) >= self.max_tokens:
            self._held = {k: v for k, v in self._held.items() if v[1] > moment}
            if len(self._held) >= self.max_tokens:
                self._held.clear()
        self._held[token] = (principal, moment + min(self.KEEP_SECONDS, expires - time.time()))
        return principal


RATE: RateFromSettings | RateLimiter = RateFromSettings()
TOKENS = VerifiedTokens()
DOCUMENTS = DocumentCache()


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
    formatted = dict(error.formatted)
    if original is None or isinstance(original, GraphQLError):
        # Syntax, validation and limit errors describe the client's document: safe to show.
        return formatted
    if isinstance(original, DomainError):
        formatted["message"] = original.message
        formatted["extensions"] = {"code": original.code, "field": camel_case(original.field)}
        return formatted
    log.error("internal error [%s]", correlation_id, exc_info=original)
    formatted["message"] = f"internal error; quote correlation id {correlation_id}"
    formatted["extensions"] = {"code": RequestErrorCode.INTERNAL_ERROR, "correlationId": correlation_id}
    return formatted


def _rules():
    rules = [*specified_rules, depth_limit_rule(), YieldToOthers]
    if config.production():
        rules.append(NoSchemaIntrospectionCustomRule)
    return rules


def _document(schema, query: str | None, persisted_hash: str | None):
    """The parsed and validated document, from the cache when this text was seen before.

    A persisted query's text is kept in the gateways' shared state when it is registered (sent with
    its hash) and valid, so that any gateway replica answers it by hash; each process parses and
    validates it once for itself.
    """
    # A document validated under one set of rules is not valid under another.
    rules_key = (id(schema), config.production())
    registering = query is not None and persisted_hash is not None
    if query is None:
        document = DOCUMENTS.get((*rules_key, persisted_hash))
        if document is not None:
            return document
        query = shared_state.current().query_text(persisted_hash) if persisted_hash else None
        if query is None or hashlib.sha256(query.encode()).hexdigest() != persisted_hash:
            raise LimitExceeded(
                Limit.PERSISTED_QUERY, "PersistedQueryNotFound: send the query with its hash once"
            )
    digest = hashlib.sha256(query.encode()).hexdigest()
    if persisted_hash is not None and persisted_hash != digest:
        raise LimitExceeded(Limit.PERSISTED_QUERY, "the sha256Hash does not match the query")
    document = DOCUMENTS.get((*rules_key, digest))
    if document is None:
        # Tokens and nesting are bounded while parsing, and what validation would cost is counted
        # before it runs (gateway.limits): refusing any document costs time linear in its size.
        document = parse_document(query)
        yield_to_others()
        if schema is ANONYMOUS_SCHEMA and (sign_in_first := unauthenticated_errors(document)):
            raise _ValidationFailed(sign_in_first)  # a party's field asked for without a token
        if check_shape(document).cyclic:
            # Only the spec's own rule looks at a fragment cycle: no other walk follows one.
            errors = validate(schema.graphql_schema, document, [NoFragmentCyclesRule])
        else:
            errors = validate(schema.graphql_schema, document, _rules())
        yield_to_others()
        if errors:
            raise _ValidationFailed(errors)
        DOCUMENTS.put((*rules_key, digest), document)
    if registering:
        shared_state.current().remember_query(digest, query)
    return document


class _ValidationFailed(Exception):
    def __init__(self, errors):
        self.errors = errors


def _audit_entries(schema, executed: list[ExecutedMutation]) -> list[audit.Entry]:
    """An entry for each mutation field that ran; sealed content is kept only as its receipt."""
    mutation_type = schema.graphql_schema.mutation_type
    entries = []
    for mutation in executed:
        arguments = wire(mutation.arguments)
        declared = getattr(mutation_type.fields[mutation.name].type, "graphene_type", None)
        clear = getattr(declared, "audit_clear_input", None)
        if clear is not None:
            given = arguments.get("input") or {}
            arguments["input"] = {k: v if k in clear else "[sealed]" for k, v in given.items()}
            record = getattr(mutation.payload, getattr(declared, "receipt_of", ""), None) or {}
            if record.get("digest"):
                arguments["receipt"] = record["digest"]
        username = (arguments.get("input") or {}).get("username") if mutation.name == "signIn" else None
        entries.append(
            audit.Entry(
                mutation.name,
                arguments,
                mutation.outcome,
                mutation.error_codes,
                username=username,
                sealed=clear is not None,
            )
        )
    return entries


def _not_text(value, path: str = "") -> str | None:
    """The path of the first string (or key) in ``value`` that cannot be encoded as UTF-8, if any."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return path
        return None
    items: Iterable[tuple[object, object]]
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, inner in items:
        inner_path = f"{path}.{key}" if path else str(key)
        if isinstance(key, str) and _not_text(key) is not None:
            return path or "the body"
        found = _not_text(inner, inner_path)
        if found is not None:
            return found
    return None


def _request_body(request: Request, correlation_id: str) -> dict | Response:
    """The JSON body's query, variables, operation name and persisted-query hash, each checked."""
    if request.mimetype != "application/json":
        # Only a JSON body: a form or text/plain POST is what a cross-site page can send unasked.
        return _error(
            "send the request as application/json", RequestErrorCode.BAD_REQUEST, 415, correlation_id
        )
    try:
        body = json.loads(request.get_data().decode("utf-8") or "{}")
    except ValueError:  # UnicodeError is a ValueError too
        return _error("the body must be JSON in UTF-8", RequestErrorCode.BAD_REQUEST, 400, correlation_id)
    # A lone surrogate ("\ud800") is valid JSON but not text: refuse it, naming where it is, before
    # anything parses or stores it.
    where = _not_text(body)
    if where is not None:
        return _error(
            f"{where or 'the body'}: not text (a lone surrogate)",
            RequestErrorCode.BAD_REQUEST,
            400,
            correlation_id,
        )
    if not isinstance(body, dict):
        return _error("the body must be a JSON object", RequestErrorCode.BAD_REQUEST, 400, correlation_id)

    def refuse(message: str) -> Response:
        return _error(message, RequestErrorCode.BAD_REQUEST, 400, correlation_id)

    query, variables, operation_name = body.get("query"), body.get("variables"), body.get("operationName")
    extensions = body.get("extensions")
    if extensions is not None and not isinstance(extensions, dict):
        return refuse("'extensions' must be an object")
    persisted = (extensions or {}).get("persistedQuery")
    if persisted is not None and not isinstance(persisted, dict):
        return refuse("'extensions.persistedQuery' must be an object")
    digest = (persisted or {}).get("sha256Hash")
    if digest is not None and not (isinstance(digest, str) and re.fullmatch(r"[0-9a-f]{64}", digest)):
        return refuse("'extensions.persistedQuery.sha256Hash' must be 64 lowercase hex digits")
    if query is not None and not isinstance(query, str):
        return refuse("'query' must be a string")
    if query is None and digest is None:
        return refuse("the body needs a 'query' string (or a persisted query hash)")
    if variables is not None and not isinstance(variables, dict):
        return refuse("'variables' must be an object")
    if operation_name is not None and not isinstance(operation_name, str):
        return refuse("'operationName' must be a string")
    return {"query": query, "variables": variables or {}, "operation_name": operation_name, "hash": digest}


def execute_graphql(request: Request, services: dict, worker_data: dict, accounts_db) -> Response:
    """Answer one request; whatever goes wrong, the answer is JSON and names no internals. One access
    log line (``gongzhi.access``) says how it went."""
    # The worker's id (shared.correlation), or a fresh one: it travels with every RPC of this request.
    correlation_id = worker_data.get("correlation_id") or str(uuid.uuid4())
    worker_data["correlation_id"] = correlation_id
    unbind = logs.bind(correlation_id)
    started = time.monotonic()
    try:
        response = _answer(request, services, correlation_id, accounts_db, worker_data)
    except Exception:
        log.exception("internal error [%s]", correlation_id)
        response = _error(
            f"internal error; quote correlation id {correlation_id}",
            RequestErrorCode.INTERNAL_ERROR,
            500,
            correlation_id,
        )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    _count(request, response, time.monotonic() - started)
    _access(request, response, time.monotonic() - started)
    unbind()
    return response


# What _answer learns of a request for its metrics, noted in the request's WSGI environ.
PARTY_TYPE, OPERATION, OUTCOME = "gongzhi.party_type", "gongzhi.operation", "gongzhi.outcome"


def _count(request: Request, response: Response, seconds: float) -> None:
    """The request in the metrics (shared.metrics): an answer _answer gave no outcome is a gate's
    rejection (or, with status 500, an error)."""
    noted = request.environ
    outcome = noted.get(OUTCOME) or ("error" if response.status_code >= 500 else "rejected")
    party_type = noted.get(PARTY_TYPE, "anonymous")
    metrics.graphql_answered(noted.get(OPERATION), party_type, outcome, response.status_code, seconds)


def _access(request: Request, response: Response, seconds: float) -> None:
    """The request's access log line: operation (its name, bounded as the metrics bound it, and its
    root fields), party type, HTTP status, outcome (as the metrics count it) and milliseconds; the
    correlation id is the worker's (shared.logs)."""
    noted = request.environ
    name = noted.get(OPERATION)
    operation = name if isinstance(name, str) and metrics.OPERATION_NAME.fullmatch(name) else None
    fields = noted.get(ROOT_FIELDS) or []
    line = {
        "operation": operation or (metrics.OTHER if name else metrics.ANONYMOUS),
        "operation_type": noted.get(OPERATION_TYPE),
        "fields": ",".join(fields),
        "party_type": noted.get(PARTY_TYPE, "anonymous"),
        "status": response.status_code,
        "outcome": noted.get(OUTCOME) or ("error" if response.status_code >= 500 else "rejected"),
        "ms": round(seconds * 1000, 1),
    }
    access_log.info(
        "%s %s%s by %s: %s %s (%s ms)",
        line["operation_type"] or "request",
        line["operation"],
        f" [{line['fields']}]" if fields else "",
        line["party_type"],
        line["status"],
        line["outcome"],
        line["ms"],
        extra=line,
    )


# What the access log adds to the notes: the operation's type and its first root fields' names.
OPERATION_TYPE, ROOT_FIELDS, MAX_ROOT_FIELDS = "gongzhi.operation_type", "gongzhi.root_fields", 5


def _outcome(errors: list[GraphQLError], executed: list[ExecutedMutation] | None = None) -> str:
    """ok, refused (only errors the client's request or the domain's rules explain, or a mutation's
    payload naming the rule it broke) or error."""
    if not errors:
        return "refused" if any(m.outcome == "refused" for m in executed or ()) else "ok"
    explained = (GraphQLError, DomainError)
    if all(e.original_error is None or isinstance(e.original_error, explained) for e in errors):
        return "refused"
    return "error"


def client_address_of(request: Request) -> str:
    """Who sent the request, for the sign-in throttle and an anonymous client's rate: the
    connection's address, or behind ``trusted_proxies`` proxies the address the outermost of them
    appended to X-Forwarded-For. What a client wrote there itself comes earlier and is never
    read; a header shorter than the proxies promised is ignored."""
    hops = config.settings().trusted_proxies
    if hops > 0:
        forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",")]
        if len(forwarded) >= hops and forwarded[-hops]:
            return forwarded[-hops][:64]
    return request.remote_addr or "unknown"


def _answer(
    request: Request, services: dict, correlation_id: str, accounts_db, worker_data: dict
) -> Response:
    client_address = client_address_of(request)
    max_bytes = config.settings().max_document_bytes
    if (request.content_length or 0) > max_bytes or len(request.get_data()) > max_bytes:
        return _error(
            f"the request has more than {max_bytes} bytes",
            RequestErrorCode.LIMIT_EXCEEDED,
            413,
            correlation_id,
            limit=Limit.DOCUMENT_SIZE,
        )

    principal = None
    header = request.headers.get("Authorization", "")
    if header:
        try:
            if not header.startswith("Bearer "):
                raise DomainError("send 'Authorization: Bearer <token>'", code=RequestErrorCode.INVALID_TOKEN)
            principal = TOKENS.principal(header.removeprefix("Bearer ").strip())
            if not accounts.session_is_live(accounts_db, principal.session_id):
                raise DomainError(
                    "this sign-in has ended; sign in again", code=RequestErrorCode.SESSION_ENDED
                )
        except DomainError as exc:
            return _error(exc.message, exc.code, 401, correlation_id)

    request.environ[PARTY_TYPE] = principal.party_type.value if principal else "anonymous"
    wait = RATE.allow(principal.account_id if principal else f"address:{client_address}")
    if wait:
        wait = max(wait, 0.1)
        response = _error(
            f"too many requests; retry after {wait:.1f} s",
            RequestErrorCode.LIMIT_EXCEEDED,
            429,
            correlation_id,
            limit=Limit.RATE,
            retryAfter=round(wait, 1),
        )
        response.headers["Retry-After"] = str(max(1, round(wait)))
        return response

    body = _request_body(request, correlation_id)
    if isinstance(body, Response):
        return body
    query, variables, operation_name = body["query"], body["variables"], body["operation_name"]
    request.environ[OPERATION] = operation_name

    schema = SCHEMAS[principal.party_type] if principal else ANONYMOUS_SCHEMA
    try:
        document = _document(schema, query, body["hash"])
        check_cost(document, operation_name, variables, schema.graphql_schema)
    except _ValidationFailed as failed:
        return _json({"errors": [e.formatted for e in failed.errors]})
    except GraphQLError as error:
        return _json({"errors": [error.formatted]})

    try:
        idempotency_key = request_key(request.headers.get(IDEMPOTENCY_HEADER))
    except ValueError as refused:
        return _error(str(refused), RequestErrorCode.BAD_REQUEST, 400, correlation_id)
    context = RequestContext(
        principal=principal,
        services=services,
        correlation_id=correlation_id,
        accounts=accounts_db,
        client_address=client_address,
        base_url=request.host_url,
        idempotency_key=idempotency_key,
        worker_data=worker_data,
    )
    executor = GatewayExecutionContext.build(
        schema.graphql_schema,
        document,
        context_value=context,
        raw_variable_values=variables,
        operation_name=operation_name,
    )
    if isinstance(executor, list):  # variables that do not fit: nothing ran
        return _json({"errors": [e.formatted for e in executor]})
    assert isinstance(executor, GatewayExecutionContext)
    try:
        data = executor.execute_operation(executor.operation, None)
    finally:
        # Whatever became of the answer, what ran is logged; the log never changes the answer.
        try:
            audit.record(
                accounts_db, principal, _audit_entries(schema, executor.executed_mutations), correlation_id
            )
        except Exception:
            log.exception("could not write the audit log [%s]", correlation_id)
    request.environ[OUTCOME] = _outcome(executor.errors, executor.executed_mutations)
    request.environ[OPERATION_TYPE] = executor.operation.operation.value
    request.environ[ROOT_FIELDS] = [
        s.name.value
        for s in executor.operation.selection_set.selections[:MAX_ROOT_FIELDS]
        if isinstance(s, FieldNode)
    ]
    if not operation_name and executor.operation.name is not None:
        request.environ[OPERATION] = executor.operation.name.value  # the document's one operation
    answer: dict = {}
    if executor.errors:
        answer["errors"] = [_format_error(e, correlation_id) for e in executor.errors]
    if data is not None or not executor.errors:
        answer["data"] = data
    return _json(answer)
