"""Validation at the edge: marshmallow errors become InvalidInput naming each field."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, post_load

from shared.errors import InvalidInput


def _part(key: Any) -> str:
    """A path part as it may be shown: a key the caller made up (an unknown field, a dict's key)
    is escaped when it holds what no answer can carry (a control character, a lone surrogate)."""
    text = str(key)
    if not text.isprintable():
        text = text.encode("unicode_escape").decode("ascii")
    return text if len(text) <= 100 else text[:100] + "…"


def _flatten(messages: Any, prefix: str = "") -> list[dict]:
    errors: list[dict] = []
    if isinstance(messages, dict):
        for key, value in messages.items():
            path = f"{prefix}.{_part(key)}" if prefix else _part(key)
            errors.extend(_flatten(value, path))
    elif isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        for message in messages:
            errors.append({"field": prefix or None, "code": "invalid", "message": message})
    else:
        for index, value in enumerate(messages):
            errors.extend(_flatten(value, f"{prefix}.{index}"))
    return errors


class CommandSchema(Schema):
    """A schema that loads into its typed command (a dataclass named in ``Meta.command``), so that
    use cases take ``command.title``, never ``data["title"]``.

        class RenameMeeting(CommandSchema):
            class Meta:
                command = commands.RenameMeeting
            meeting_id = Id(required=True)
    """

    @post_load
    def _command(self, data: dict, **_: Any) -> Any:
        command = getattr(self.Meta, "command", None)
        return data if command is None else command(**data)


def load(schema: type[Schema], data: Any) -> Any:
    """Load RPC input (into its command, for a ``CommandSchema``) or raise InvalidInput listing
    every offending field."""
    if not isinstance(data, dict):
        raise InvalidInput([{"field": None, "code": "invalid", "message": "input must be an object"}])
    try:
        return schema().load(data)
    except ValidationError as exc:
        raise InvalidInput(_flatten(exc.messages)) from None
