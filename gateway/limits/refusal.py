"""How a limit refuses a request, the bounds that are not settings, and sharing the hub.

Each refusal names its limit (``extensions.limit``, a ``shared.vocabulary.gateway.Limit``), so a
client knows what to change. The bounds a deployment tunes (document bytes, tokens, selections,
depth, cost, fields resolved) are ``shared.config.settings()``, read when a request is checked.
"""

from __future__ import annotations

import sys

from graphql import GraphQLError, ValidationRule

from shared.vocabulary.gateway import Limit, RequestErrorCode

# Braces and brackets inside one another: selection sets, list and object values, list types.
MAX_NESTING = 32
MAX_ALIASES = 50
MAX_OPERATIONS = 20
MAX_FRAGMENTS = 50
# Tokens parsed, or nodes validated, between two turns given to other requests on the hub.
YIELD_EVERY = 200
# Comparisons of two fields with one response name that the standard validation would make
# (about 20 µs each), ten argument value nodes (printed at each comparison) weighing as one.
MAX_REPEATS = 100
# signIn fields in one request (aliases or fragments could repeat it): each one checks a password
# with argon2, which is slow on purpose.
MAX_SIGN_INS = 1
MAX_PAGE = 100
DEFAULT_PAGE = 20
# A list that takes no page size is counted as this many items.
LIST_ESTIMATE = 20


class LimitExceeded(GraphQLError):
    def __init__(self, limit: Limit, message: str):
        super().__init__(
            message, extensions={"code": RequestErrorCode.LIMIT_EXCEEDED.value, "limit": Limit(limit).value}
        )


def yield_to_others() -> None:
    """Let the hub run other requests' greenthreads between the CPU-bound steps of this one. Only
    where eventlet runs the process (the gateway): checking a document elsewhere never imports it."""
    eventlet = sys.modules.get("eventlet")
    if eventlet is not None:
        eventlet.sleep(0)


class YieldToOthers(ValidationRule):
    """Not a rule: while the rules walk a document, other requests get the hub every
    ``YIELD_EVERY`` nodes, so that no validation holds it for more than a moment."""

    nodes = 0

    def enter(self, *_):
        self.nodes += 1
        if self.nodes % YIELD_EVERY == 0:
            yield_to_others()
