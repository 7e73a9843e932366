"""A document's fragments: what each spreads, and an order in which each comes after those it
spreads, found without recursion so that a long chain or a cycle of fragments costs linear time."""

from __future__ import annotations

from dataclasses import dataclass

from graphql import DocumentNode, FragmentDefinitionNode, FragmentSpreadNode, SelectionSetNode


def _children(selection_set: SelectionSetNode | None):
    return selection_set.selections if selection_set is not None else ()


def _spreads(selection_set: SelectionSetNode) -> list[str]:
    """The fragment names spread anywhere under ``selection_set`` (fields and inline fragments
    included, other fragments not), once per spread."""
    names, stack = [], [selection_set]
    while stack:
        for selection in _children(stack.pop()):
            if isinstance(selection, FragmentSpreadNode):
                names.append(selection.name.value)
            elif selection.selection_set is not None:
                stack.append(selection.selection_set)
    return names


@dataclass
class _Fragments:
    """A document's fragments by name (the last of a name, as graphql-core's context has it),
    what each spreads, and an order in which every fragment comes after those it spreads."""

    definitions: dict[str, FragmentDefinitionNode]
    spreads: dict[str, list[str]]
    order: list[str]
    cyclic: bool


def fragments_of(document: DocumentNode) -> _Fragments:
    """Depth-first without recursion, so a long chain or a cycle of fragments costs linear time."""
    definitions = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    spreads = {name: _spreads(d.selection_set) for name, d in definitions.items()}
    order: list[str] = []
    state: dict[str, int] = {}  # 1: being explored, 2: done
    cyclic = False
    for start in definitions:
        if start in state:
            continue
        state[start] = 1
        stack = [(start, iter(spreads[start]))]
        while stack:
            name, pending = stack[-1]
            for target in pending:
                if target not in definitions:
                    continue  # KnownFragmentNamesRule reports it
                if state.get(target) == 1:
                    cyclic = True  # NoFragmentCyclesRule reports it; nothing here follows it
                elif target not in state:
                    state[target] = 1
                    stack.append((target, iter(spreads[target])))
                    break
            else:
                stack.pop()
                state[name] = 2
                order.append(name)
    return _Fragments(definitions, spreads, order, cyclic)
