"""Every code the platform can answer a mutation with is a documented value of the GraphQL enum
``UserErrorCode``, and every code is written as a catalogue's member, never as a string of its own."""

from __future__ import annotations

import importlib
import pkgutil
import re
from enum import StrEnum
from pathlib import Path

import shared.vocabulary
from gateway.schema.error_codes import DESCRIPTIONS, UserErrorCode

ROOT = Path(__file__).resolve().parents[2]


def catalogues() -> dict[str, type[StrEnum]]:
    """Each ``ErrorCode`` of ``shared.vocabulary``, found by scanning it (a new domain's included)."""
    found = {}
    for module in pkgutil.iter_modules(shared.vocabulary.__path__):
        vocabulary = importlib.import_module(f"shared.vocabulary.{module.name}")
        if hasattr(vocabulary, "ErrorCode"):
            found[module.name] = vocabulary.ErrorCode
    return found


def test_every_catalogued_code_is_a_value_of_the_enum():
    known = {member.value for member in UserErrorCode._meta.enum}
    found = catalogues()
    assert {"common", "meetings", "matching", "volunteers", "contracts", "gateway"} <= set(found)
    for name, catalogue in found.items():
        missing = {member.value for member in catalogue} - known
        assert not missing, f"shared.vocabulary.{name}.ErrorCode has codes the schema lacks: {missing}"


def test_every_value_is_documented_and_spelled_as_on_the_wire():
    for member in UserErrorCode._meta.enum:
        assert member.name == member.value and re.fullmatch(r"[a-z][a-z0-9_]*", member.value)
        assert DESCRIPTIONS[member.value].endswith(")."), member.value


# A code written as a string where an error is made: ``code="x"``, ``"code": "x"`` or an f-string.
LITERAL = re.compile(r"""\bcode\s*=\s*f?["']|["']code["']\s*:\s*f?["']""")


def test_no_code_is_a_string_literal_in_the_services_or_the_gateway():
    offending = []
    for folder in ("services", "gateway"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if LITERAL.search(line):
                    offending.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offending, "codes are catalogue members (shared.vocabulary):\n" + "\n".join(offending)
