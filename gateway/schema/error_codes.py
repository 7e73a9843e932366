"""``UserErrorCode``: every code a mutation's user errors may carry, as one documented GraphQL enum.

The codes are the services' and the gateway's own catalogues (``shared.vocabulary``), read here so
that a code added to a catalogue is in the schema at once and a code that is in no catalogue cannot
be answered. Each value's description is the comment its catalogue gives it, and says which part
of the platform answers with it. The enum's value names are the codes themselves, lower case as
they have always been on the wire, so that no client sees a code change.
"""

from __future__ import annotations

import inspect
import io
import tokenize
from enum import StrEnum
from types import ModuleType

import graphene

from shared.vocabulary import common, contracts, gateway, matching, meetings, volunteers

COMMON = "every service"
# Each catalogue and who answers with its codes.
CATALOGUES: dict[str, type[StrEnum]] = {
    COMMON: common.ErrorCode,
    "meetings": meetings.ErrorCode,
    "matching": matching.ErrorCode,
    "volunteers": volunteers.ErrorCode,
    "contracts": contracts.ErrorCode,
    "gateway": gateway.ErrorCode,
}


def _comments(catalogue: type[StrEnum]) -> dict[str, str]:
    """The comment written after each member of ``catalogue`` in its source, by member name."""
    module: ModuleType | None = inspect.getmodule(catalogue)
    try:
        source = inspect.getsource(catalogue) if module is not None else ""
    except (OSError, TypeError):
        return {}
    found: dict[str, str] = {}
    line_names: dict[int, str] = {}
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.NAME and token.start[1] == 4 and token.string in catalogue.__members__:
            line_names.setdefault(token.start[0], token.string)
        elif token.type == tokenize.COMMENT and token.start[0] in line_names:
            found[line_names[token.start[0]]] = token.string.lstrip("# ").strip()
    return found


def _descriptions() -> dict[str, str]:
    """Each code and its description: what its catalogues say of it, and who answers with it."""
    said: dict[str, list[tuple[str, str]]] = {}
    for answered_by, catalogue in CATALOGUES.items():
        comments = _comments(catalogue)
        for member in catalogue:
            said.setdefault(member.value, []).append((answered_by, comments.get(member.name, "")))
    descriptions = {}
    for code, sayings in said.items():
        # A common code means what the common catalogue says, whoever answers with it.
        common_meaning = [meaning for who, meaning in sayings if who == COMMON and meaning]
        meanings = common_meaning or sorted({meaning for _, meaning in sayings if meaning})
        meaning = "; ".join(meanings) if meanings else code.replace("_", " ")
        who = ", ".join(answered_by for answered_by, _ in sayings)
        descriptions[code] = f"{meaning[0].upper()}{meaning[1:]} (answered by: {who})."
    return descriptions


DESCRIPTIONS = _descriptions()


ABOUT = (
    "Why a mutation was refused: a stable code to act on, whatever the message says. A record that "
    "does not exist and one the party may not see look alike (not_found)."
)


def _describe(value) -> str | None:
    """graphene asks with None for the enum's own description, then with each value."""
    return ABOUT if value is None else DESCRIPTIONS.get(value.value)


UserErrorCode = graphene.Enum(
    "UserErrorCode", [(code, code) for code in sorted(DESCRIPTIONS)], description=_describe
)


def code_of(value: object) -> str:
    """A user error's code as the enum shows it: a catalogue's member or the string an RPC carried."""
    return value.value if isinstance(value, StrEnum) else str(value)
