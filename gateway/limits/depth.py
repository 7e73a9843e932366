"""How deep an operation's fields go, each fragment's height worked out once."""

from __future__ import annotations

from graphql import (
    DocumentNode,
    FieldNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
)

from gateway.limits.fragments import _children, _Fragments, fragments_of
from gateway.limits.refusal import LimitExceeded
from shared import config
from shared.vocabulary.gateway import Limit


def _height(selection_set: SelectionSetNode, fragment_heights: dict[str, int]) -> int:
    """Levels of fields under ``selection_set`` (``__`` fields not counted), a fragment spread
    counting its own height, which is worked out once."""
    deepest, stack = 0, [(selection_set, 0)]
    while stack:
        selection_set, level = stack.pop()
        for selection in _children(selection_set):
            if isinstance(selection, FieldNode):
                if selection.name.value.startswith("__"):
                    continue
                deepest = max(deepest, level + 1)
                if selection.selection_set is not None:
                    stack.append((selection.selection_set, level + 1))
            elif isinstance(selection, InlineFragmentNode):
                stack.append((selection.selection_set, level))
            else:
                deepest = max(deepest, level + fragment_heights.get(selection.name.value, 0))
    return deepest


def fragment_heights(fragments: _Fragments) -> dict[str, int]:
    heights: dict[str, int] = {}
    for name in fragments.order:  # each fragment after those it spreads
        heights[name] = _height(fragments.definitions[name].selection_set, heights)
    return heights


def depth_limit_rule(max_depth: int | None = None) -> type[ValidationRule]:
    """A validation rule refusing operations deeper than ``max_depth`` levels of fields (settings
    ``max_depth`` unless given)."""
    limit = config.settings().max_depth if max_depth is None else max_depth

    class DepthLimit(ValidationRule):
        heights: dict[str, int] | None = None

        def enter_document(self, node: DocumentNode, *_):
            fragments = fragments_of(node)
            # With a cycle there is no depth: NoFragmentCyclesRule refuses the document.
            self.heights = None if fragments.cyclic else fragment_heights(fragments)

        def enter_operation_definition(self, node: OperationDefinitionNode, *_):
            if self.heights is None:
                return
            if _height(node.selection_set, self.heights) > limit:
                self.report_error(
                    LimitExceeded(Limit.DEPTH, f"the query is more than {limit} levels deep, the limit")
                )

    return DepthLimit
