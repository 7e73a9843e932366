"""Error codes every service and the gateway may answer with."""

from enum import StrEnum


class ErrorCode(StrEnum):
    INVALID = "invalid"  # an input is not acceptable: the error names the field
    NOT_FOUND = "not_found"  # no such record, or one the party may not see (they look alike)
    PERMISSION_DENIED = "permission_denied"  # the party may see the record but not do this
    CONFLICT = "conflict"  # the record's state does not allow it now
    INVALID_EVENT = "invalid_event"  # a message that is not a valid event of the catalogue
    UNAUTHENTICATED = "unauthenticated"  # nobody is signed in: the action needs a party
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"  # that Idempotency-Key came before with another command
