"""Parsing a document within bounds: the parser stops at the token limit (settings ``max_tokens``;
names, punctuation and values: comments and whitespace are not tokens) and at ``MAX_NESTING``
levels of braces and brackets, so that no later walk of the document recurses deeper."""

from __future__ import annotations

import re
from functools import partial

from graphql import DocumentNode, GraphQLSyntaxError, Source
from graphql.language.parser import Parser

from gateway.limits.refusal import MAX_NESTING, YIELD_EVERY, LimitExceeded, yield_to_others
from shared import config
from shared.vocabulary.gateway import Limit


class _BoundedParser(Parser):
    """graphql-core's parser with ``max_tokens``, and a bound on nesting so that no recursion,
    here or in any later walk of the document, goes deeper than ``MAX_NESTING`` levels."""

    def __init__(self, source: str, max_tokens: int):
        super().__init__(source, max_tokens=max_tokens)
        self._nesting = 0

    def advance_lexer(self) -> None:
        try:
            super().advance_lexer()
        except GraphQLSyntaxError:
            if self._max_tokens is not None and self._token_counter > self._max_tokens:
                raise LimitExceeded(
                    Limit.TOKENS, f"the document has more than {self._max_tokens} tokens, the limit"
                ) from None
            raise
        if self._token_counter % YIELD_EVERY == 0:
            yield_to_others()

    def _nested(self, parse):
        self._nesting += 1
        try:
            if self._nesting > MAX_NESTING:
                raise LimitExceeded(
                    Limit.DEPTH,
                    f"the document nests braces and brackets more than {MAX_NESTING} levels deep, the limit",
                )
            return parse()
        finally:
            self._nesting -= 1

    def parse_selection_set(self):
        return self._nested(super().parse_selection_set)

    def parse_list(self, is_const: bool):
        return self._nested(partial(super().parse_list, is_const))

    def parse_object(self, is_const: bool):
        return self._nested(partial(super().parse_object, is_const))

    def parse_type_reference(self):
        return self._nested(super().parse_type_reference)


# GraphQL's tokens as one regular expression (comments too, to be left out): it counts in C what
# the parser would count, so a document far over the limit is refused before parsing starts.
_TOKEN = re.compile(
    r'"""(?:\\"""|[^"]|"(?!""))*"""|"(?:\\.|[^"\\\n\r])*"|#[^\n\r]*'
    r"|[_A-Za-z][_0-9A-Za-z]*|-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|\.\.\.|[!$&()\[\]{}:=@|]"
)


def _too_many_tokens(query: str, max_tokens: int) -> bool:
    if len(query) <= max_tokens:  # every token takes at least one character
        return False
    found = _TOKEN.findall(query)
    return len(found) > max_tokens and sum(1 for t in found if t[0] != "#") > max_tokens


def parse_document(query: str) -> DocumentNode:
    """Parse ``query``, refusing it (``tokens``, ``depth``) as soon as it is too long or too deep."""
    max_tokens = config.settings().max_tokens
    if _too_many_tokens(query, max_tokens):
        raise LimitExceeded(Limit.TOKENS, f"the document has more than {max_tokens} tokens, the limit")
    try:
        return _BoundedParser(query, max_tokens).parse_document()
    except IndexError:  # graphql-core 3.2's lexer, on a string that ends in a backslash
        raise GraphQLSyntaxError(Source(query), len(query), "Unterminated string.") from None
