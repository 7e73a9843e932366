"""The shape of a document, counted before the standard validation runs: what that validation would
have to do. graphql-core's OverlappingFieldsCanBeMergedRule compares every pair of fields that share
a response name (so 150 repeated ``about { name }`` cost seconds), and every rule looks at each
fragment spread. The walks here look at each fragment once (memoised by name, in dependency order),
never follow a fragment cycle, and cost time linear in the document's size."""

from __future__ import annotations

from dataclasses import dataclass, field

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
)

from gateway.limits.fragments import _children, _spreads, fragments_of
from gateway.limits.refusal import MAX_ALIASES, MAX_FRAGMENTS, MAX_OPERATIONS, MAX_REPEATS, LimitExceeded
from shared import config
from shared.vocabulary.gateway import Limit


@dataclass
class Shape:
    """What :func:`check_shape` counted."""

    operations: int = 0
    fragments: int = 0
    aliases: int = 0
    selections: int = 0  # a fragment counted again at each spread
    repeats: int = 0  # field comparisons the standard validation would make
    cyclic: bool = False
    walked: dict[str, int] = field(default_factory=dict)  # how often each fragment was walked


def _argument_size(node: FieldNode) -> int:
    """AST nodes in a field's arguments: what graphql-core prints each time it compares it."""
    size, stack = 0, [argument.value for argument in node.arguments or ()]
    while stack:
        value = stack.pop()
        size += 1
        if isinstance(value, ListValueNode):
            stack.extend(value.values)
        elif isinstance(value, ObjectValueNode):
            stack.extend(f.value for f in value.fields)
    return size


def check_shape(document: DocumentNode) -> Shape:
    """Refuse a document whose validation would be costly; linear in the document's size.

    Counts operations, fragments and aliases, then selections with each fragment counted at
    every spread (memoised, so a fragment that spreads another twice, sixteen times over, is
    counted in sixteen steps), then the pairs of same-named fields that the standard validation
    compares. A document with a fragment cycle is not measured: ``Shape.cyclic`` is set, and the
    caller lets NoFragmentCyclesRule refuse it.
    """
    max_selections = config.settings().max_selections
    shape = Shape()
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    fragment_definitions = [d for d in document.definitions if isinstance(d, FragmentDefinitionNode)]
    shape.operations, shape.fragments = len(operations), len(fragment_definitions)
    if shape.operations > MAX_OPERATIONS:
        raise LimitExceeded(
            Limit.OPERATIONS,
            f"the document has {shape.operations} operations; the limit is {MAX_OPERATIONS}: "
            "send only the operations you run",
        )
    if shape.fragments > MAX_FRAGMENTS:
        raise LimitExceeded(
            Limit.FRAGMENTS, f"the document has {shape.fragments} fragments; the limit is {MAX_FRAGMENTS}"
        )

    # Each definition's own selections (not through its spreads), and its aliases: one pass.
    own: dict[int, int] = {}
    for definition in (*operations, *fragment_definitions):
        count, stack = 0, [definition.selection_set]
        while stack:
            for selection in _children(stack.pop()):
                count += 1
                if isinstance(selection, FieldNode) and selection.alias is not None:
                    shape.aliases += 1
                if not isinstance(selection, FragmentSpreadNode) and selection.selection_set is not None:
                    stack.append(selection.selection_set)
        own[id(definition)] = count
    if shape.aliases > MAX_ALIASES:
        raise LimitExceeded(
            Limit.ALIASES, f"the document has {shape.aliases} aliases; the limit is {MAX_ALIASES}"
        )

    fragments = fragments_of(document)
    shape.cyclic = fragments.cyclic
    if fragments.cyclic:
        return shape

    # Selections counted at every spread, each fragment's count worked out once.
    cap = max_selections + 1
    expanded: dict[str, int] = {}
    for name in fragments.order:
        shape.walked[name] = shape.walked.get(name, 0) + 1
        definition = fragments.definitions[name]
        total = own[id(definition)] + sum(expanded.get(t, 0) for t in fragments.spreads[name])
        expanded[name] = min(total, cap)

    # Every operation, and every fragment definition no operation reaches, is walked by the
    # standard rules on its own.
    reached: set[str] = set()
    to_reach = [t for op in operations for t in _spreads(op.selection_set)]
    while to_reach:
        name = to_reach.pop()
        if name in fragments.definitions and name not in reached:
            reached.add(name)
            to_reach.extend(fragments.spreads[name])
    roots: list = list(operations)
    roots += [
        d
        for d in fragment_definitions
        if d.name.value not in reached or fragments.definitions[d.name.value] is not d
    ]
    for root in roots:
        count = own[id(root)] + sum(expanded.get(t, 0) for t in _spreads(root.selection_set))
        shape.selections = min(shape.selections + count, cap)
    if shape.selections > max_selections:
        raise LimitExceeded(
            Limit.SELECTIONS,
            f"the document selects more than {max_selections} fields and fragments, counting a fragment "
            f"again at each spread; the limit is {max_selections}",
        )

    # Now the expansion is small: group the fields of each merged selection set by response
    # name, as OverlappingFieldsCanBeMergedRule does, and count the pairs it would compare.
    worst: tuple[int, tuple[str, ...]] = (0, ())
    sizes: dict[int, int] = {}
    work: list[tuple[tuple[str, ...], list[SelectionSetNode]]] = [
        ((), [root.selection_set]) for root in roots
    ]
    while work:
        path, selection_sets = work.pop()
        groups: dict[str, list[FieldNode]] = {}
        stack, spread = list(selection_sets), set()
        while stack:
            for selection in _children(stack.pop()):
                if isinstance(selection, FieldNode):
                    key = selection.alias.value if selection.alias else selection.name.value
                    groups.setdefault(key, []).append(selection)
                elif isinstance(selection, InlineFragmentNode):
                    stack.append(selection.selection_set)
                elif selection.name.value in fragments.definitions and selection.name.value not in spread:
                    # A fragment spread twice in one selection set is compared once.
                    spread.add(selection.name.value)
                    stack.append(fragments.definitions[selection.name.value].selection_set)
        for key, nodes in groups.items():
            if len(nodes) > 1:
                arguments = 0
                for node in nodes:
                    if id(node) not in sizes:
                        sizes[id(node)] = _argument_size(node)
                    arguments += sizes[id(node)]
                pairs = len(nodes) * (len(nodes) - 1) // 2 + (len(nodes) - 1) * arguments // 10
                shape.repeats += pairs
                if len(nodes) > worst[0]:
                    worst = (len(nodes), (*path, key))
            children = [n.selection_set for n in nodes if n.selection_set is not None]
            if children:
                work.append(((*path, key), children))
    if shape.repeats > MAX_REPEATS:
        count, path = worst
        raise LimitExceeded(
            Limit.REPEATED_FIELDS,
            f"'{'.'.join(path)}' is selected {count} times in one selection set; checking that repeated "
            f"fields agree takes {shape.repeats} comparisons, and the limit is {MAX_REPEATS}: "
            "select each field once",
        )
    return shape
