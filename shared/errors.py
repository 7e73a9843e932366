"""One error model, from the domain through RPC to GraphQL user errors.

Every domain error has a stable ``code``, a message and, where it concerns one
input, the ``field``. Subclasses register themselves with nameko so that an
RPC caller gets the same exception back, not a generic ``RemoteError``.
"""

from __future__ import annotations

import sys
from enum import StrEnum

from shared.vocabulary.common import ErrorCode


def no_field(field: str | None) -> str | None:
    """The field an error names, or None when it names none.

    nameko sends an exception's arguments as JSON-safe strings, and so turns None into "None":
    an error that names no field travels with "" instead, and both read back as None here.
    """
    return None if field in (None, "", "None") else field


class DomainError(Exception):
    code: StrEnum = ErrorCode.INVALID

    def __init__(self, message: str, field: str | None = None, code: StrEnum | None = None):
        field = no_field(field)
        # The arguments are what nameko sends across an RPC: never None, which it would stringify.
        super().__init__(message, field or "", code or self.code)
        self.message = message
        self.field = field
        self.code = code or self.code

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        _register(cls)

    @property
    def user_errors(self) -> list[dict]:
        return [{"field": self.field, "code": self.code, "message": self.message}]

    def __str__(self) -> str:
        return f"{self.code}: {self.message}" + (f" ({self.field})" if self.field else "")


# Every domain error class, by the path nameko names it with across an RPC.
KNOWN: dict[str, type] = {}


def _register(cls: type) -> None:
    KNOWN[f"{cls.__module__}.{cls.__name__}"] = cls
    if "nameko.exceptions" in sys.modules:  # else ``register_with_nameko`` does it when nameko comes
        register_with_nameko()


def register_with_nameko() -> None:
    """Let nameko raise these errors again on the calling side of an RPC (the domain itself never
    imports nameko, so that its rules are tested without it)."""
    from nameko.exceptions import registry

    registry.update(KNOWN)


_register(DomainError)


class NotFound(DomainError):
    """Also the answer for a record the caller may not see: the two look alike."""

    code = ErrorCode.NOT_FOUND


class PermissionDenied(DomainError):
    code = ErrorCode.PERMISSION_DENIED


class Conflict(DomainError):
    """The request is well formed but the record's state does not allow it."""

    code = ErrorCode.CONFLICT


class InvalidInput(DomainError):
    """Bad input, with one entry per offending field."""

    code = ErrorCode.INVALID

    def __init__(self, errors: list[dict]):
        errors = [{**e, "field": no_field(e.get("field"))} for e in errors]
        Exception.__init__(self, [{**e, "field": e["field"] or ""} for e in errors])
        self.errors = errors
        first = errors[0] if errors else {"field": None, "message": "invalid input"}
        self.message = first["message"]
        self.field = first.get("field")

    @property
    def user_errors(self) -> list[dict]:
        return self.errors

    def __str__(self) -> str:
        return "; ".join(f"{e.get('field')}: {e['message']}" for e in self.errors)
