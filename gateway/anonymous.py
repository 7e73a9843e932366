"""What a request without a token hears when it asks for a signed-in party's fields: "sign in".

Before sign-in the gateway offers only the anonymous schema (``about``, ``signIn``,
``refreshSession``), so validating ``{ meetings { edges { node { id } } } }`` against it says
"Cannot query field 'meetings'", as if no such field existed anywhere. It does: the client has
only not signed in. ``unauthenticated_errors`` tells that case apart, from the document alone,
before the document is validated:

* ``None`` when no operation of the document asks, at its root, for a field that a party's schema
  has and the anonymous one has not. Validate and run the document as usual (it may still be
  invalid for other reasons, which validation then reports).
* Otherwise one ``GraphQLError`` per such root field: message ``sign in to use '<field>'``,
  ``extensions.code`` ``"unauthenticated"``, located at the field. Answer them instead of
  validating, as a validation failure is answered (``{"errors": [e.formatted for e in errors]}``,
  no ``data``).

Root fields are followed through inline fragments and fragment spreads; names that no schema has
(typos) are left to validation. The wiring, in ``gateway.http.execute_graphql`` where the schema is
chosen: when there is no principal, parse the query (a persisted query's document as cached) and,
if ``unauthenticated_errors(document)`` is not ``None``, answer those errors.
"""

from __future__ import annotations

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    parse,
)

from gateway.schema.parties import ANONYMOUS_SCHEMA, SCHEMAS

CODE = "unauthenticated"


def _root_fields(schema, operation: OperationType) -> frozenset[str]:
    graphql_schema = schema.graphql_schema
    root = {
        OperationType.QUERY: graphql_schema.query_type,
        OperationType.MUTATION: graphql_schema.mutation_type,
        OperationType.SUBSCRIPTION: graphql_schema.subscription_type,
    }[operation]
    return frozenset(root.fields) if root is not None else frozenset()


def _signed_in_only() -> dict[OperationType, frozenset[str]]:
    """Per kind of operation: the root fields some party's schema has and the anonymous one lacks."""
    found = {}
    for operation in OperationType:
        parties = frozenset().union(*(_root_fields(schema, operation) for schema in SCHEMAS.values()))
        found[operation] = parties - _root_fields(ANONYMOUS_SCHEMA, operation)
    return found


SIGNED_IN_ONLY = _signed_in_only()


def _fields(selection_set: SelectionSetNode, fragments: dict, seen: set[str]):
    """The fields of a selection set, through inline fragments and (each once) fragment spreads."""
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            yield selection
        elif isinstance(selection, InlineFragmentNode):
            yield from _fields(selection.selection_set, fragments, seen)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name in fragments and name not in seen:
                seen.add(name)
                yield from _fields(fragments[name].selection_set, fragments, seen)


def unauthenticated_errors(document: DocumentNode | str) -> list[GraphQLError] | None:
    """'Sign in' errors for the root fields of ``document`` that only a signed-in party may ask for,
    or None when it asks for none (see the module's docstring for the contract)."""
    if isinstance(document, str):
        document = parse(document)
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    errors = []
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        wanted = SIGNED_IN_ONLY.get(definition.operation, frozenset())
        for field in _fields(definition.selection_set, fragments, set()):
            name = field.name.value
            if name in wanted:
                errors.append(
                    GraphQLError(
                        f"sign in to use '{name}': send 'Authorization: Bearer <access token>' "
                        "(the signIn mutation gives one)",
                        field,
                        extensions={"code": CODE},
                    )
                )
    return errors or None
