"""The document limits on their own: each refusal names its limit, fragments are looked at once
each however often they are spread, no walk follows a fragment cycle or recurses without bound,
and the cost estimate counts records as the README says."""

from __future__ import annotations

import pytest
from graphql import parse, specified_rules, validate
from hypothesis import given, settings
from hypothesis import strategies as st

from gateway import limits
from gateway.limits import (
    LimitExceeded,
    check_cost,
    check_shape,
    cost,
    counts,
    depth,
    depth_limit_rule,
    parse_document,
    parsing,
)
from gateway.schema.parties import ANONYMOUS_SCHEMA, SCHEMAS
from shared.identity import PartyType

COMMITTEE = SCHEMAS[PartyType.RESIDENTS_COMMITTEE].graphql_schema

# The README's query as the residents' committee.
README_QUERY = """{
  projects { edges { node { title status budget bids { edges { node { price rank organisation { name } } } }
                             results { rank total scores { price planQuality experience reputation } }
                             award { value status organisation { name } } } } }
  contracts { edges { node { title value status provider { name }
                              milestones { title dueOn share status } payments { amount paidAt } } } }
}"""


def chain(levels: int) -> str:
    """F2 spreads F1 twice, F3 spreads F2 twice, …: 2**(levels-1) copies of `about` expanded."""
    fragments = ["fragment F1 on Query { about { name } }"]
    fragments += [f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}" for i in range(2, levels + 1)]
    return " ".join(fragments) + f" {{ ...F{levels} }}"


def refusal(call) -> LimitExceeded:
    with pytest.raises(LimitExceeded) as refused:
        call()
    return refused.value


def test_the_parser_stops_at_the_token_limit_and_names_it():
    error = refusal(lambda: parse_document("{" + " about { name }" * 1300 + " }"))
    assert error.extensions == {"code": "limit_exceeded", "limit": "tokens"}
    assert f"more than {limits.MAX_TOKENS} tokens" in error.message
    # Comments, commas and whitespace are not tokens.
    parse_document("{\n" + "# nothing to see\n" * 1000 + "about " + "," * 5000 + " { name } }")


def test_syntax_errors_are_still_syntax_errors():
    from graphql import GraphQLSyntaxError

    with pytest.raises(GraphQLSyntaxError) as error:
        parse_document("{ about { name }")
    assert not isinstance(error.value, LimitExceeded)


@pytest.mark.parametrize(
    "document",
    [
        "{" + " about {" * 2000 + " name" + " }" * 2000 + " }",
        "{" + " ... on Query {" * 2000 + " about { name }" + " }" * 2000 + " }",
        "{ about(x: " + "[" * 5000 + "1" + "]" * 5000 + ") { name } }",
        "{ about(x: " + "{a: " * 3000 + "1" + "}" * 3000 + ") { name } }",
        "query($x: " + "[" * 5000 + "Int" + "]" * 5000 + ") { about { name } }",
    ],
    ids=["selections", "inline fragments", "lists", "objects", "list types"],
)
def test_deep_nesting_is_refused_while_parsing_without_recursing_deeper(document, monkeypatch):
    monkeypatch.setenv("GONGZHI_MAX_TOKENS", "100000")
    error = refusal(lambda: parse_document(document))
    assert error.extensions["limit"] == "depth" and str(limits.MAX_NESTING) in error.message


def test_repeated_fields_are_refused_before_validation_would_compare_every_pair():
    shape_of = lambda n: check_shape(parse("{" + " about { name }" * n + " }"))  # noqa: E731
    assert shape_of(7).repeats == 21 + 21  # 7 about, then 7 name under them, compared pairwise
    error = refusal(lambda: shape_of(150))
    assert error.extensions["limit"] == "repeated_fields"
    assert "'about' is selected 150 times" in error.message
    # Repeats inside one selection set, through fragments, and with long arguments count too.
    inner = "{ about {" + " name" * 100 + " } }"
    assert "'about.name' is selected 100 times" in refusal(lambda: check_shape(parse(inner))).message
    spread = " ".join(f"fragment S{i} on Query {{ about {{ name }} }}" for i in range(20))
    spread += " { " + " ".join(f"...S{i}" for i in range(20)) + " }"
    assert refusal(lambda: check_shape(parse(spread))).extensions["limit"] == "repeated_fields"
    arguments = "{" + (" about(x: [" + "1, " * 300 + "1]) { name }") * 3 + " }"
    assert refusal(lambda: check_shape(parse(arguments))).extensions["limit"] == "repeated_fields"
    # Different aliases are never compared.
    assert (
        check_shape(parse("{" + "".join(f" a{i}: about {{ name }}" for i in range(40)) + " }")).repeats == 0
    )


def test_a_fragment_spread_twice_per_level_is_counted_once_per_fragment():
    shape = check_shape(parse(chain(7)))  # 64 `about { name }` once expanded: admitted
    assert shape.walked == {f"F{i}": 1 for i in range(1, 8)}
    assert shape.selections == 1 + (2**7 - 2) + 2 * 2**6  # the spreads, then about and name
    for levels in (16, 19, 50):
        error = refusal(lambda levels=levels: check_shape(parse(chain(levels))))
        assert error.extensions["limit"] == "selections"


def test_counts_of_operations_fragments_and_aliases_are_limited():
    operations = " ".join(f"query Q{i} {{ about {{ name }} }}" for i in range(limits.MAX_OPERATIONS + 1))
    assert refusal(lambda: check_shape(parse(operations))).extensions["limit"] == "operations"
    fragments = " ".join(
        f"fragment G{i} on Query {{ g{i}: __typename }}" for i in range(limits.MAX_FRAGMENTS + 1)
    )
    assert (
        refusal(lambda: check_shape(parse(fragments + " { __typename }"))).extensions["limit"] == "fragments"
    )
    aliases = "{" + "".join(f" a{i}: __typename" for i in range(limits.MAX_ALIASES + 1)) + " }"
    assert refusal(lambda: check_shape(parse(aliases))).extensions["limit"] == "aliases"
    # An unused fragment is validated too, so it is counted too.
    unused = "{ __typename } fragment U on Query {" + " about { name }" * 30 + " }"
    assert refusal(lambda: check_shape(parse(unused))).extensions["limit"] == "repeated_fields"


@pytest.mark.parametrize(
    "document",
    [
        "fragment A on Query { ...A } { ...A }",
        "fragment A on Query { ...B } fragment B on Query { about { ...A } } { ...A }",
        " ".join(f"fragment C{i} on Query {{ ...C{(i + 1) % 400} }}" for i in range(400)) + " { ...C0 }",
    ],
    ids=["self", "through a field", "400 long"],
)
def test_a_fragment_cycle_is_left_to_the_spec_rule_and_no_walk_follows_it(document, monkeypatch):
    monkeypatch.setattr(counts, "MAX_FRAGMENTS", 1000)
    assert check_shape(parse(document)).cyclic
    errors = validate(
        ANONYMOUS_SCHEMA.graphql_schema, parse(document), (*specified_rules, depth_limit_rule())
    )
    assert any("within itself" in e.message for e in errors)
    assert not any((e.extensions or {}).get("limit") for e in errors), "the depth rule stays out of it"


def test_the_depth_rule_works_out_each_fragment_once(monkeypatch):
    heights = []
    height = depth._height
    monkeypatch.setattr(depth, "_height", lambda *a: heights.append(a[0]) or height(*a))
    document = parse(chain(19))  # 2**18 copies of `about` once expanded: seconds before
    assert validate(ANONYMOUS_SCHEMA.graphql_schema, document, (*specified_rules, depth_limit_rule())) == []
    assert len(heights) == 19 + 1  # each fragment, then the operation
    deep = parse(chain(3).replace("about { name }", "a: about { b: __typename } about { name }"))
    assert validate(ANONYMOUS_SCHEMA.graphql_schema, deep, (*specified_rules, depth_limit_rule(1)))


def test_the_depth_rule_counts_levels_through_fragments():
    document = parse(
        "{ meetings { ...M } } fragment M on MeetingConnection { edges { node { ...N } } } "
        "fragment N on Meeting { agenda { edges { node { title } } } }"
    )
    messages = [e.message for e in validate(COMMITTEE, document, (*specified_rules, depth_limit_rule(6)))]
    assert messages == ["the query is more than 6 levels deep, the limit"]
    assert validate(COMMITTEE, document, (*specified_rules, depth_limit_rule(7))) == []


def test_the_readme_committee_query_is_within_the_cost_limit():
    assert check_cost(parse(README_QUERY), None, {}, COMMITTEE) == 2500
    # 20 projects, each with up to 20 bids and 20 results: the lists named are those that cost most.
    error = refusal(lambda: _cost_with_limit(README_QUERY, 2000))
    assert error.extensions["limit"] == "cost"
    assert error.message.startswith("the query may touch 2,500 records; the limit is 2000.")
    assert "projects.bids (800 records: 20 × 20 items)" in error.message
    assert "projects.results (800 records: 20 × 20 items)" in error.message
    assert "pass first:" in error.message


def _cost_with_limit(query: str, limit: int, variables: dict | None = None):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GONGZHI_MAX_COST", str(limit))
        return check_cost(parse(query), None, variables or {}, COMMITTEE)


def test_the_cost_names_the_lists_to_trim_and_costs_each_fragment_once(monkeypatch):
    costly = "{ " + " ".join(
        f"m{i}: meetings(first: 100) {{ edges {{ node {{ agenda {{ edges {{ node {{ title }} }} }} }} }} }}"
        for i in range(3)
    )
    error = refusal(lambda: check_cost(parse(costly + " }"), None, {}, COMMITTEE))
    assert "6,300 records; the limit is 5000" in error.message
    assert "m0.agenda (2,000 records: 100 × 20 items)" in error.message
    # Through a fragment spread at every level: the paths are named from the operation.
    fragments = (
        "query($n: Int) { meetings(first: $n) { ...M } } fragment M on MeetingConnection "
        "{ edges { node { agenda(first: 60) { ...A } } } } fragment A on AgendaItemConnection "
        "{ edges { node { title submittedBy { name } } } }"
    )
    error = refusal(lambda: check_cost(parse(fragments), None, {"n": 50}, COMMITTEE))
    assert "meetings.agenda (6,000 records: 50 × 60 items)" in error.message
    assert "meetings.agenda.submittedBy" not in error.message, "a single record is counted with its list"
    assert check_cost(parse(fragments), None, {"n": 10}, COMMITTEE) == 10 + 10 * 60 * 2

    costed = []
    definition_cost = cost._definition_cost
    monkeypatch.setattr(cost, "_definition_cost", lambda *a: costed.append(a[0]) or definition_cost(*a))
    doubled = " ".join(
        ["fragment V1 on Viewer { party { name } }"]
        + [f"fragment V{i} on Viewer {{ ...V{i - 1} ...V{i - 1} }}" for i in range(2, 40)]
    )
    with pytest.raises(LimitExceeded):
        check_cost(parse(doubled + " { viewer { ...V39 } }"), None, {}, COMMITTEE)
    assert len(costed) == 39 + 1


def test_page_sizes_are_checked_as_before():
    for query, variables in [
        ("{ meetings(first: 101) { edges { node { id } } } }", {}),
        ("query($n: Int) { meetings(last: $n) { edges { node { id } } } }", {"n": -1}),
        ('{ meetings(first: "x") { edges { node { id } } } }', {}),
    ]:
        error = refusal(lambda q=query, v=variables: check_cost(parse(q), None, v, COMMITTEE))
        assert error.extensions["limit"] == "page_size"


def test_the_fields_resolved_are_bounded_too(monkeypatch):
    monkeypatch.setenv("GONGZHI_MAX_RESOLVED_FIELDS", "1000")
    wide = (
        "{ meetings(first: 100) { edges { node { " + " ".join(f"t{i}: title" for i in range(10)) + " } } } }"
    )
    error = refusal(lambda: check_cost(parse(wide), None, {}, COMMITTEE))
    assert (
        error.extensions["limit"] == "cost"
        and "resolve" in error.message
        and "limit is 1000" in error.message
    )


def test_custom_rules_are_added_to_the_specified_rules():
    from gateway import http

    rules = http._rules()
    assert list(rules[: len(specified_rules)]) == list(specified_rules)
    assert len(rules) > len(specified_rules)


def lexer_count(query: str) -> int:
    from graphql.language import Lexer, Source, TokenKind

    lexer, count = Lexer(Source(query)), 0
    while lexer.advance().kind != TokenKind.EOF:
        count += 1
    return count


def test_the_quick_token_count_is_the_parsers_for_every_document_it_can_lex():
    from bench.refusal import LEAVES, hostile_documents

    documents = [README_QUERY, chain(12), '{ a(s: "x\\"y#z", b: """ab\\"""c "" d""") } # c', "\ufeff{a}"]
    for leaf in LEAVES.values():
        documents += hostile_documents(leaf).values()
    for document in documents:
        quick = sum(1 for token in parsing._TOKEN.findall(document) if token[0] != "#")
        assert quick == lexer_count(document), document[:80]


_PIECES = list('{}()[]:!$&=@|.-+eE_aZ09 ,\t\n\r#"\\é') + ['"""', "...", '\\"""', "\ufeff", "\\u00e9"]


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_the_quick_token_count_never_counts_more_than_the_parser(text):
    from graphql import GraphQLSyntaxError

    try:
        real = lexer_count(text)
    except (GraphQLSyntaxError, IndexError):
        return  # not a document: the parser refuses it anyway
    assert sum(1 for token in parsing._TOKEN.findall(text) if token[0] != "#") <= real


def test_a_string_ending_in_a_backslash_is_a_syntax_error_not_a_crash():
    from graphql import GraphQLSyntaxError

    for document in ('{ about(x: "\\', '"\\', '{ about(x: """\\'):
        with pytest.raises(GraphQLSyntaxError):
            parse_document(document)


def test_a_request_signs_in_once_at_most():
    anonymous = ANONYMOUS_SCHEMA.graphql_schema
    sign_in = '{name}: signIn(input: {{username: "u", password: "p"}}) {{ errors {{ code }} }}'
    once = "mutation { " + sign_in.format(name="a") + " }"
    assert check_cost(parse(once), None, {}, anonymous) == 1 + 20  # the payload and its errors
    for twice in (
        "mutation { " + sign_in.format(name="a") + " " + sign_in.format(name="b") + " }",
        "mutation { ...S ...T } fragment S on Mutation { "
        + sign_in.format(name="a")
        + " } fragment T on Mutation { "
        + sign_in.format(name="b")
        + " }",
    ):
        error = refusal(lambda twice=twice: check_cost(parse(twice), None, {}, anonymous))
        assert error.extensions["limit"] == "sign_ins" and "signs in 2 times" in error.message


def test_a_kept_document_is_costed_once_per_variables_and_held_to_the_limits_in_force(monkeypatch):
    document = parse(
        "query($n: Int) { meetings(first: $n) { edges { node { agenda { edges { node { title } } } } } } }"
    )
    costed = []
    estimated = cost._estimated
    monkeypatch.setattr(cost, "_estimated", lambda *a: costed.append(a[2]) or estimated(*a))
    assert check_cost(document, None, {"n": 10}, COMMITTEE) == 10 + 10 * 20
    assert check_cost(document, None, {"n": 10}, COMMITTEE) == 10 + 10 * 20
    assert costed == [{"n": 10}], "the same document, operation and variables are costed once"
    # Other variables are other figures, and a refused page size is refused every time.
    assert check_cost(document, None, {"n": 50}, COMMITTEE) == 50 + 50 * 20
    for _ in range(2):
        assert refusal(lambda: check_cost(document, None, {"n": 101}, COMMITTEE)).extensions["limit"] == (
            "page_size"
        )
    # The limit is read for every request, the kept estimate held to it.
    monkeypatch.setenv("GONGZHI_MAX_COST", "500")
    assert refusal(lambda: check_cost(document, None, {"n": 50}, COMMITTEE)).extensions["limit"] == "cost"
    assert check_cost(document, None, {"n": 10}, COMMITTEE) == 10 + 10 * 20
    assert costed == [{"n": 10}, {"n": 50}, {"n": 101}, {"n": 101}]
