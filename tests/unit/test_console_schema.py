"""The console's schema files are the live schema's: regenerated, they come out byte for byte the same.

The console types its operations from console/schema (npm run codegen) and checks each against the
schema of the parties that run it; a field added, renamed or hidden in gateway/schema must show up
there, or the console would be checked against a schema the gateway no longer serves.
"""

from pathlib import Path

import pytest
from graphql import build_schema

from gateway.schema import sdl
from gateway.schema.parties import SCHEMAS
from shared.identity import PartyType

COMMITTED = Path(__file__).resolve().parents[2] / "console" / "schema"


def test_the_committed_schema_files_are_the_live_schemas(tmp_path):
    written = sdl.write(tmp_path)
    names = sorted(path.name for path in written)
    assert names == sorted(path.name for path in COMMITTED.glob("*.graphql")), "files added or removed"
    stale = [name for name in names if (tmp_path / name).read_bytes() != (COMMITTED / name).read_bytes()]
    assert not stale, (
        f"{stale} differ from the live schema: run "
        "`PYTHONPATH=. .venv/bin/python -m gateway.schema.sdl console/schema`, "
        "then `npm run codegen` in console/"
    )


def test_there_is_a_file_per_party_type_and_one_before_sign_in():
    names = set(sdl.schemas())
    assert {f"{party.value}.graphql" for party in PartyType} | {
        "anonymous.graphql",
        "merged.graphql",
    } == names


def test_the_merged_schema_has_every_partys_fields():
    merged = build_schema(sdl.schemas()["merged.graphql"])
    for party, schema in SCHEMAS.items():
        for name, graphql_type in schema.graphql_schema.type_map.items():
            if name.startswith("__") or not hasattr(graphql_type, "fields"):
                continue
            missing = set(graphql_type.fields) - set(merged.type_map[name].fields)  # type: ignore[attr-defined]
            assert not missing, f"{party.value}: {name} lacks {missing} in the merged schema"


def test_a_field_two_parties_see_differently_cannot_be_merged():
    one = "type Query { contract: Contract }\ntype Contract { value: String! }\n"
    other = "type Query { contract: Contract }\ntype Contract { value: Int }\n"
    with pytest.raises(ValueError, match="Contract.value differs"):
        sdl.merge([one, other])


def test_merging_unites_fields_enum_values_and_keeps_the_order_stable():
    one = "type Query { a: Int }\nenum Stance { AGREE }\n"
    other = "type Query { b: String }\nenum Stance { OBJECT }\n"
    merged = sdl.merge([one, other])
    assert "type Query {\n  a: Int\n  b: String\n}" in merged
    assert "enum Stance {\n  AGREE\n  OBJECT\n}" in merged
    assert merged == sdl.merge([other, one])
