"""Write each party type's GraphQL schema as SDL, for the console's typed operations.

``python -m gateway.schema.sdl console/schema`` writes ``<party_type>.graphql`` for every party type,
``anonymous.graphql`` for the schema before sign-in, and ``merged.graphql``: every type with the union
of the fields the parties see. The console's code generator types its operations against the merged
schema (an operation shared by several parties gets one type), and its own check validates each
operation against the schema of every party whose pages use it. The files are sorted and printed
the same way each time, so a test can regenerate them and compare byte for byte.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from graphql import (
    DefinitionNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    GraphQLSchema,
    InputObjectTypeDefinitionNode,
    InterfaceTypeDefinitionNode,
    ObjectTypeDefinitionNode,
    UnionTypeDefinitionNode,
    build_ast_schema,
    lexicographic_sort_schema,
    parse,
    print_ast,
    print_schema,
)

from gateway.schema.parties import ANONYMOUS_SCHEMA, SCHEMAS

ANONYMOUS = "anonymous"
MERGED = "merged"


def sdl(schema: GraphQLSchema) -> str:
    return print_schema(lexicographic_sort_schema(schema)) + "\n"


def _members(node: DefinitionNode) -> tuple[str, ...]:
    """The attribute holding a definition's mergeable members: fields, enum values or union types."""
    if isinstance(
        node, ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode | InputObjectTypeDefinitionNode
    ):
        return (
            ("fields", "interfaces") if not isinstance(node, InputObjectTypeDefinitionNode) else ("fields",)
        )
    if isinstance(node, EnumTypeDefinitionNode):
        return ("values",)
    if isinstance(node, UnionTypeDefinitionNode):
        return ("types",)
    return ()


def _name(member) -> str:
    return member.name.value


def merge(sdls: Iterable[str]) -> str:
    """One schema with every type of ``sdls`` and, per type, every field any of them has.

    A field two parties see must be the same field (same type, same arguments): the merged schema
    could not type an operation otherwise, so a difference is an error here rather than a wrong type.
    """
    types: dict[str, DefinitionNode] = {}
    for text in sdls:
        for node in parse(text, no_location=True).definitions:
            name = node.name.value  # type: ignore[attr-defined]
            known = types.get(name)
            if known is None:
                types[name] = node
                continue
            for attribute in _members(node):
                have = {_name(m): m for m in getattr(known, attribute) or ()}
                for member in getattr(node, attribute) or ():
                    seen = have.get(_name(member))
                    if seen is None:
                        have[_name(member)] = member
                    elif attribute == "fields" and _signature(seen) != _signature(member):
                        raise ValueError(f"{name}.{_name(member)} differs between the parties' schemas")
                known = _with(known, attribute, tuple(have.values()))
            types[name] = known
    document = DocumentNode(definitions=tuple(types.values()))
    return sdl(build_ast_schema(parse(print_ast(document))))


def _signature(field) -> str:
    arguments = ",".join(sorted(print_ast(a) for a in getattr(field, "arguments", None) or ()))
    return f"{print_ast(field.type)}({arguments})"


def _with(node: DefinitionNode, attribute: str, members: tuple) -> DefinitionNode:
    copy = node.__copy__()
    setattr(copy, attribute, members)
    return copy  # type: ignore[return-value]  # graphql-core types __copy__ as returning a Node


def schemas() -> dict[str, str]:
    """Each file's name and text."""
    parties = {party.value: sdl(schema.graphql_schema) for party, schema in SCHEMAS.items()}
    anonymous = sdl(ANONYMOUS_SCHEMA.graphql_schema)
    return {
        **{f"{name}.graphql": text for name, text in sorted(parties.items())},
        f"{ANONYMOUS}.graphql": anonymous,
        f"{MERGED}.graphql": merge([anonymous, *parties.values()]),
    }


def write(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schemas().items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m gateway.schema.sdl <folder>")
    for path in write(Path(sys.argv[1])):
        print(path)
