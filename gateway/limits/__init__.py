"""Limits on what one request may ask: document size, tokens, nesting, selections, aliases,
operations, fragments, repeated fields, depth, cost, page size, rate.

Each rejection names its limit (``extensions.limit``), so a client knows what to change. The bounds
a deployment tunes are ``shared.config.settings()``, read when a request is checked, never at import.

Refusing a document costs time linear in its size. The parser (``parsing``) stops at the token
limit and ``MAX_NESTING`` levels of braces and brackets; ``counts.check_shape`` then counts, before
the standard validation runs, what that validation would have to do; ``depth`` and ``cost`` bound
the operation itself. Every walk looks at each fragment once (``fragments``), never follows a
fragment cycle, and never recurses deeper than the nesting the parser allows.
"""

from __future__ import annotations

import time  # noqa: F401  (the rate limiter's clock, which tests/unit/test_rate_limiter.py moves)

from gateway.limits.cost import check_cost
from gateway.limits.counts import Shape, check_shape
from gateway.limits.depth import depth_limit_rule
from gateway.limits.documents import DocumentCache
from gateway.limits.fragments import fragments_of
from gateway.limits.parsing import parse_document
from gateway.limits.rate import RateLimiter
from gateway.limits.refusal import (
    DEFAULT_PAGE,
    LIST_ESTIMATE,
    MAX_ALIASES,
    MAX_FRAGMENTS,
    MAX_NESTING,
    MAX_OPERATIONS,
    MAX_PAGE,
    MAX_REPEATS,
    MAX_SIGN_INS,
    LimitExceeded,
    YieldToOthers,
    yield_to_others,
)
from shared import config

__all__ = [
    "DEFAULT_PAGE",
    "LIST_ESTIMATE",
    "MAX_ALIASES",
    "MAX_FRAGMENTS",
    "MAX_NESTING",
    "MAX_OPERATIONS",
    "MAX_PAGE",
    "MAX_REPEATS",
    "MAX_SIGN_INS",
    "DocumentCache",
    "LimitExceeded",
    "RateLimiter",
    "Shape",
    "YieldToOthers",
    "check_cost",
    "check_shape",
    "depth_limit_rule",
    "fragments_of",
    "parse_document",
    "yield_to_others",
]

# The bounds a deployment tunes, by the names they had as constants: each read from the settings in
# force when it is asked for (``limits.MAX_COST``), so that nothing is fixed at import.
TUNABLE = {
    "MAX_DOCUMENT_BYTES": "max_document_bytes",
    "MAX_TOKENS": "max_tokens",
    "MAX_SELECTIONS": "max_selections",
    "MAX_DEPTH": "max_depth",
    "MAX_COST": "max_cost",
    "MAX_RESOLVED": "max_resolved_fields",
}


def __getattr__(name: str) -> int:
    if name in TUNABLE:
        return getattr(config.settings(), TUNABLE[name])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
