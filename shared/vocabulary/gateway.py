"""The gateway's own words: the codes it answers with itself, for accounts, sign-in and sessions
(``UserError.code``, as a service's are), and for a request it does not run (``extensions.code``
of a top-level error: unreadable, refused by a limit, or failed inside); the limits a refusal
names; and how an audited mutation ended."""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    """Every code a mutation's user errors carry when the gateway itself refuses it."""

    # The common ones (shared.vocabulary.common), answered by the gateway too.
    INVALID = "invalid"  # an input is not acceptable: the error names the field
    PERMISSION_DENIED = "permission_denied"  # the party may not do this
    # Accounts (operators' commands).
    TOO_SHORT = "too_short"  # a password shorter than the accounts' minimum
    DUPLICATE = "duplicate"  # a username that is taken
    # Signing in.
    UNAUTHENTICATED = "unauthenticated"  # the action needs a signed-in party
    INVALID_CREDENTIALS = "invalid_credentials"  # a wrong username or password (never which)
    THROTTLED = "throttled"  # too many failed sign-ins for the account or the address: wait
    ACCOUNT_DISABLED = "account_disabled"  # the operators disabled the account
    # Tokens and sessions.
    INVALID_TOKEN = "invalid_token"  # a token that is malformed, forged, or of the wrong kind
    TOKEN_EXPIRED = "token_expired"  # an access token past its lifetime: refresh it
    SESSION_ENDED = "session_ended"  # signed out, disabled, or a refresh token used twice


class RequestErrorCode(StrEnum):
    """The codes of a request the gateway answers without running it, or that failed inside."""

    BAD_REQUEST = "bad_request"  # not a JSON object of a GraphQL request, in UTF-8
    UNAUTHENTICATED = "unauthenticated"  # a query of the signed-in schema without a token
    INVALID_TOKEN = "invalid_token"
    TOKEN_EXPIRED = "token_expired"
    SESSION_ENDED = "session_ended"
    LIMIT_EXCEEDED = "limit_exceeded"  # a limit refused it: ``extensions.limit`` names which
    INTERNAL_ERROR = "internal_error"  # failed inside; the message quotes the correlation id


class AuditOutcome(StrEnum):
    """How a mutation the audit log keeps ended."""

    OK = "ok"
    REFUSED = "refused"  # with user errors: the service (or the gateway) said no
    FAILED = "failed"  # an internal error


class Limit(StrEnum):
    """What ``extensions.limit`` names when a limit refuses a request."""

    DOCUMENT_SIZE = "document_size"  # the request body's bytes
    TOKENS = "tokens"  # the document's names, punctuation and values
    DEPTH = "depth"  # levels of fields, or of nested braces and brackets
    OPERATIONS = "operations"
    FRAGMENTS = "fragments"
    ALIASES = "aliases"
    SELECTIONS = "selections"  # fields and fragments, a fragment counted at each spread
    REPEATED_FIELDS = "repeated_fields"  # one field selected many times in one selection set
    PAGE_SIZE = "page_size"  # first or last over 100
    COST = "cost"  # the records the query may touch, or the fields it may resolve
    SIGN_INS = "sign_ins"  # more than one signIn in a request
    RATE = "rate"  # the party's requests per second
    PERSISTED_QUERY = "persisted_query"  # a hash the gateway does not know yet: send the query
