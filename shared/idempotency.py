"""Idempotency keys of commands: what a service keeps of one, and how a repeat is recognised.

A client sends a command with a key (the gateway's ``Idempotency-Key``, one per mutation field); the
service keeps the answer under a digest of who sent it, to which use case, and that key, in the
transaction of the command's effect (``shared.db.UnitOfWork.answer_once``). The same key from the
same party for the same use case is answered from there; with another command it is refused.
Free of nameko, so that its rules are tested in the unit layer.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from kombu.utils import json as wire_json

from shared.errors import InvalidInput
from shared.identity import Principal
from shared.vocabulary.common import ErrorCode

HEADER = "Idempotency-Key"
# The longest key a service takes: the gateway's header (200 characters) and a mutation's alias.
MAX_KEY_LENGTH = 1000


def scoped_key(principal: Principal, use_case: str, key: str) -> str:
    """The stored key: one party's key never meets another party's, nor another use case's."""
    if not isinstance(key, str) or not key or len(key) > MAX_KEY_LENGTH:
        raise InvalidInput(
            [
                {
                    "field": HEADER,
                    "code": ErrorCode.INVALID,
                    "message": f"an idempotency key is text of 1 to {MAX_KEY_LENGTH} characters",
                }
            ]
        )
    who = (principal.account_id, str(principal.party_type), principal.party_id)
    return _digest([*who, use_case, key])


def command_digest(data: Any) -> str:
    """The command as sent, so that a key sent again with another command is recognised."""
    return _digest(data)


def _digest(value: Any) -> str:
    canonical = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def kept(answer: Any) -> str:
    """An answer as it is kept: in the RPC's own JSON (kombu's, which keeps dates and decimals as
    what they were), so that a repeat answers exactly what the first call answered."""
    return wire_json.dumps(answer)


def restored(text: str) -> Any:
    return wire_json.loads(text)
