"""The console's GraphQL documents are within the gateway's limits, as the console sends them.

The console's own check (console/src/test/operations.test.ts) validates each document against the
schema of every party that runs it; this one sends each through the gateway's parsing, validation
and cost limits (tokens, depth, selections, records, fields resolved), with the ``__typename``
the console's GraphQL client adds to every selection set, so that a page cannot ship a query the
gateway would refuse as too large.
"""

import json
import re
from pathlib import Path

import pytest
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    NameNode,
    OperationDefinitionNode,
    SelectionSetNode,
    parse,
    print_ast,
    visit,
)
from graphql.language import Visitor

from gateway.http import _document, _ValidationFailed
from gateway.limits import check_cost
from gateway.limits.refusal import LimitExceeded
from gateway.schema.parties import ANONYMOUS_SCHEMA, SCHEMAS

GENERATED = Path(__file__).resolve().parents[2] / "console" / "src" / "gql" / "gql.ts"
_KEY = re.compile(r'^    ("(?:[^"\\]|\\.)*"): types\.\w+,$', re.MULTILINE)


def _documents() -> list[DocumentNode]:
    text = GENERATED.read_text(encoding="utf-8")
    start = text.index("const documents")
    return [parse(json.loads(key)) for key in _KEY.findall(text[start : text.index("};", start)])]


DOCUMENTS = _documents()
FRAGMENTS = {
    d.name.value: d for doc in DOCUMENTS for d in doc.definitions if isinstance(d, FragmentDefinitionNode)
}
# What a page sends for each kind of variable: the largest page the console asks for (its lists page
# by 50 at most), an instant for DateTime, a placeholder for anything else required.
PAGE = 50
SAMPLES = {"Int": PAGE, "DateTime": "2026-12-01T14:00:00+08:00", "Date": "2026-12-01", "Money": "1000.00"}
OPERATIONS = [
    (d.name.value if d.name else "anonymous", doc)
    for doc in DOCUMENTS
    for d in doc.definitions
    if isinstance(d, OperationDefinitionNode)
]


class _AddTypename(Visitor):
    """What the console's client (urql) does to a document before sending it."""

    def enter_selection_set(self, node, key, parent, path, ancestors):
        if isinstance(parent, OperationDefinitionNode):
            return None
        names = {s.name.value for s in node.selections if isinstance(s, FieldNode)}
        if "__typename" in names:
            return None
        typename = FieldNode(name=NameNode(value="__typename"), arguments=(), directives=())
        return SelectionSetNode(selections=(*node.selections, typename))


def _as_sent(document: DocumentNode) -> str:
    """The document with the fragments it spreads (from any file), as the client sends it."""
    needed: dict[str, FragmentDefinitionNode] = {}
    pending = [document]
    while pending:
        for spread in _spreads(pending.pop()):
            if spread not in needed and spread in FRAGMENTS:
                needed[spread] = FRAGMENTS[spread]
                pending.append(DocumentNode(definitions=(FRAGMENTS[spread],)))
    own = {d.name.value for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    extra = tuple(f for name, f in needed.items() if name not in own)
    full = DocumentNode(definitions=(*document.definitions, *extra))
    return print_ast(visit(full, _AddTypename()))


def _variables(document: DocumentNode) -> dict:
    """A value for each variable of the operation: ``first``/``last`` at the console's largest page."""
    values = {}
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        for variable in definition.variable_definitions or ():
            type_name = print_ast(variable.type).strip("!")
            if type_name in SAMPLES:
                values[variable.variable.name.value] = SAMPLES[type_name]
            elif print_ast(variable.type).endswith("!") and type_name in ("String", "ID"):
                values[variable.variable.name.value] = "x"
    return values


def _spreads(document: DocumentNode) -> set[str]:
    found: set[str] = set()

    class Spreads(Visitor):
        def enter_fragment_spread(self, node: FragmentSpreadNode, *_):
            found.add(node.name.value)

    visit(document, Spreads())
    return found


def test_the_console_has_documents():
    assert len(OPERATIONS) >= 10
    assert {"SignIn", "Viewer", "CommitteeHome", "VolunteerHome"} <= {name for name, _ in OPERATIONS}


@pytest.mark.parametrize(("name", "document"), OPERATIONS, ids=[name for name, _ in OPERATIONS])
def test_each_document_is_within_the_gateways_limits(name, document):
    query = _as_sent(document)
    served = 0
    for schema in [ANONYMOUS_SCHEMA, *SCHEMAS.values()]:
        try:
            parsed = _document(schema, query, None)
        except _ValidationFailed:
            continue  # not this party's operation: the console's own check decides whose it is
        served += 1
        try:
            check_cost(parsed, name, _variables(document), schema.graphql_schema)
        except LimitExceeded as refused:
            pytest.fail(f"{name} is refused by the gateway: {refused}")
    assert served, f"{name} is valid in no party's schema"
