"""Benchmark: how long the gateway takes to refuse the worst documents that fit in a request,
beside a plain signed-in query measured in the same run, and what an attack does to a bystander.

    .venv/bin/python bench/refusal.py [--repeat 11] [--attack-seconds 10]

Every document below is sent through the real gateway over HTTP, without a token and with the
residents' committee's token, and timed (p50 of ``--repeat`` requests, each made new by a
comment so that none is answered from the cache of validated documents); the baseline,
``{ viewer { party { name } } }`` for the committee, is sent in turns with it. Prints one JSON
object per line: per document its size, tokens, the answer (the limit named, or "ok" when it
was admitted and ran), its p50, the baseline's and their ratio (to stay under 5); then a
bystander's latency alone and while an attacker thread sends the hostile documents in a loop,
as fast as it can and at the default rate limit. The platform runs in a child process (SQLite
files in a temporary folder, the local RabbitMQ), the clients in this one.

``GONGZHI_BENCH_QUICK=1`` (the suite's run of the README) sends each document 3 times and lets the
attacker run 2 seconds, on the same path.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.gateway_fanout import percentile  # noqa: E402
from bench.stack import demo_platform  # noqa: E402

BASELINE = "{ viewer { party { name } } }"
# What a request body may hold: gateway.limits.MAX_DOCUMENT_BYTES (read here without importing
# the gateway, which would start eventlet in the clients' process).
MAX_BYTES = int(os.environ.get("GONGZHI_MAX_DOCUMENT_BYTES", "20000"))
# The gateway's default rate per client (GONGZHI_RATE_PER_SECOND), for the paced attacker.
DEFAULT_RATE = 20.0
QUICK = os.environ.get("GONGZHI_BENCH_QUICK") == "1"
# A selection each party may make: anonymous callers have only `about`.
LEAVES = {"anonymous": "about { name }", "signed_in": "viewer { accountId }"}


def fit(make: Callable[[int], str], budget: int = MAX_BYTES - 16) -> str:
    """``make(n)`` for the largest n whose request body ({"query": ...}) fits in ``budget`` bytes
    (16 fewer than a request may have, for the comment that ``send`` adds)."""
    size = lambda n: len(json.dumps({"query": make(n)}).encode())  # noqa: E731
    low, high = 1, 2
    while size(high) <= budget:
        low, high = high, high * 2
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if size(middle) <= budget else (low, middle)
    return make(low)


def chain(levels: int, leaf: str) -> str:
    """Each fragment spreads the one before twice: 2**levels copies of ``leaf`` once expanded."""
    fragments = [f"fragment F1 on Query {{ {leaf} }}"]
    fragments += [f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}" for i in range(2, levels + 1)]
    return " ".join(fragments) + f" {{ ...F{levels} }}"


def repeat(piece: str, n: int) -> str:
    """``piece`` n times, with %i replaced by 0, 1, … and %j by the number after it."""
    return " ".join(piece.replace("%i", str(i)).replace("%j", str(i + 1)) for i in range(n))


def hostile_documents(leaf: str) -> dict[str, str]:
    """The worst documents we could think of, each as large as a request may be (or as large as
    a limit admits, for the ``admitted_*`` ones, which run), selecting ``leaf`` where a field is
    needed."""
    name, inside = leaf.split(" ", 1)  # "about", "{ name }"

    def spread_all(prefix: str, n: int) -> str:
        return "{ " + repeat(f"...{prefix}%i", n) + " }"

    return {
        # graphql-core compares every pair of same-named fields: quadratic before the fix.
        "repeated_fields": fit(lambda n: "{ " + repeat(leaf, n) + " }"),
        "repeated_leaves_in_one_selection": fit(
            lambda n: f"{{ {name} {{ " + repeat("__typename", n) + " } }"
        ),
        "aliases": fit(lambda n: "{ " + repeat(f"a%i: {leaf}", n) + " }"),
        "same_alias_different_arguments": fit(
            lambda n: "{ " + repeat(f"a: {name}(x: %i) {inside}", n) + " }"
        ),
        "fragment_chain_16": chain(16, leaf),
        "fragment_chain_19": chain(19, leaf),
        "fragment_chain_longest": fit(lambda n: chain(n, leaf)),
        "fragment_cycle": "fragment A on Query { ...A } { ...A }",
        "fragment_cycle_long": fit(
            lambda n: (
                repeat("fragment C%i on Query { ...C%j }", n)
                + f" fragment C{n} on Query {{ ...C0 }} {{ ...C0 }}"
            )
        ),
        "fragment_cycles_many": fit(
            lambda n: repeat(f"fragment D%i on Query {{ ...D%i {leaf} }}", n) + " " + spread_all("D", n)
        ),
        "fragments_same_field": fit(
            lambda n: repeat(f"fragment S%i on Query {{ {leaf} }}", n) + " " + spread_all("S", n)
        ),
        "fragments_spread_together": fit(
            lambda n: repeat("fragment T%i on Query { t%i: __typename }", n) + " " + spread_all("T", n)
        ),
        "unknown_fragment_spreads": fit(lambda n: "{ " + repeat("...Nowhere", n) + " }"),
        "inline_fragments_repeated": fit(lambda n: "{ " + repeat(f"... on Query {{ {leaf} }}", n) + " }"),
        "deep_selections": fit(lambda n: "{" + f" {name} {{" * n + " name" + " }" * n + " }"),
        "deep_inline_fragments": fit(lambda n: "{" + " ... on Query {" * n + f" {leaf}" + " }" * n + " }"),
        "deep_list_value": fit(lambda n: f"{{ {name}(x: " + "[" * n + "1" + "]" * n + f") {inside} }}"),
        "deep_object_value": fit(lambda n: f"{{ {name}(x: " + "{a: " * n + "1" + "}" * n + f") {inside} }}"),
        "deep_list_type": fit(lambda n: "query($x: " + "[" * n + "Int" + "]" * n + f") {{ {leaf} }}"),
        "huge_list_argument": fit(lambda n: f"{{ {name}(x: [" + "1," * n + f"1]) {inside} }}"),
        "huge_list_default": fit(lambda n: "query($x: [Int] = [" + "1," * n + f"1]) {{ {leaf} }}"),
        "many_tokens": fit(lambda n: "{ " + repeat("__typename", n) + " }"),
        "long_string": fit(lambda n: f'{{ {name}(x: "' + "x" * n + f'") {inside} }}'),
        "long_block_string": fit(lambda n: f'{{ {name}(x: """' + 'x\\"""' * n + f'""") {inside} }}'),
        "many_operations": fit(lambda n: repeat(f"query Q%i {{ {leaf} }}", n)),
        "many_anonymous_operations": fit(lambda n: repeat(f"{{ {leaf} }}", n)),
        "many_variables": fit(lambda n: "query(" + repeat("$v%i: Int", n) + f") {{ {leaf} }}"),
        "many_variable_uses": fit(
            lambda n: "query($v: Boolean!) { " + repeat(f"{name} @include(if: $v) {inside}", n) + " }"
        ),
        "directives_repeated": fit(
            lambda n: f"{{ {name} " + repeat("@include(if: true)", n) + f" {inside} }}"
        ),
        "unknown_directives": fit(lambda n: f"{{ {name} " + repeat("@x", n) + f" {inside} }}"),
        "many_arguments": fit(lambda n: f"{{ {name}(" + repeat("a%i: 1", n) + f") {inside} }}"),
        "sign_in_aliases": "mutation { "
        + repeat('s%i: signIn(input: {username: "u%i", password: "a wrong one"}) { errors { code } }', 40)
        + " }",
        "type_definitions": fit(lambda n: repeat("type T%i { f: Int }", n) + f" {{ {leaf} }}"),
        # The largest documents the limits let through: these run.
        "admitted_commas": fit(lambda n: "{ " + "," * n + f" {leaf} }}"),
        "admitted_whitespace": fit(lambda n: "{ " + " \n\t" * n + f" {leaf} }}"),
        "admitted_comments": fit(
            lambda n: "{\n" + "# a comment that says nothing at all\n" * n + f" {leaf} }}"
        ),
        "admitted_repeats": "{ " + repeat(leaf, 7) + " }",
        "admitted_aliases": "{ " + repeat(f"a%i: {leaf}", 50) + " }",
        "admitted_fragment_chain": chain(7, leaf),
        "admitted_tokens": "query($v: Boolean = true) { "
        + repeat(f"a%i: {name} @include(if: $v) @skip(if: false) {{ {inside[2:-2]} __typename }}", 44)
        + " }",
        "admitted_fragments": repeat(f"fragment S%i on Query {{ s%i: {name} {inside} }}", 50)
        + " "
        + spread_all("S", 50),
    }


def tokens(query: str) -> int | str:
    from graphql import GraphQLSyntaxError
    from graphql.language import Lexer, Source, TokenKind

    lexer, count = Lexer(Source(query)), 0
    try:
        while lexer.advance().kind != TokenKind.EOF:
            count += 1
    except GraphQLSyntaxError:
        return "syntax error"
    return count


def outcome(status: int, body) -> str:
    """What the gateway answered: the limit it named, another error code, or ok."""
    if not isinstance(body, dict):
        return f"NOT JSON ({status})"
    errors = body.get("errors") or []
    if not errors:
        return "ok"
    extensions = errors[0].get("extensions") or {}
    if extensions.get("limit"):
        return f"limit:{extensions['limit']}"
    if extensions.get("code"):
        return f"{extensions['code']} ({status})"
    return f"invalid: {errors[0].get('message', '')[:60]}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--repeat", type=int, default=3 if QUICK else 11, help="requests per document and caller"
    )
    parser.add_argument("--attack-seconds", type=float, default=2 if QUICK else 10)
    parser.add_argument("--only", help="only documents whose name contains this")
    args = parser.parse_args()

    import requests as http

    with demo_platform() as stack:
        token = stack.tokens["residents_committee"]
        url = f"{stack.base_url}/graphql"
        signed_in = {"Authorization": f"Bearer {token}"}

        sent = itertools.count()

        def send(session, query: str, headers: dict, timeout: float = 120) -> tuple[float, str]:
            # A comment of its own makes each text new: no request is answered from the cache of
            # validated documents, so an admitted document is parsed and validated every time.
            body = {"query": f"{query}\n# {next(sent)}"}
            started = time.perf_counter()
            try:
                answer = session.post(url, json=body, headers=headers, timeout=timeout)
            except http.Timeout:
                return timeout * 1000, "timeout"
            elapsed = (time.perf_counter() - started) * 1000
            try:
                body = answer.json()
            except ValueError:
                body = None
            return elapsed, outcome(answer.status_code, body)

        def p50(session, query: str, headers: dict) -> tuple[float, float, str]:
            """The document's p50 and the baseline's, their requests taken in turns (the
            machine's load changes; both see the same)."""
            send(session, query, headers)  # warm up the connection
            runs, baselines = [], []
            for _ in range(args.repeat):
                baselines.append(send(session, BASELINE, signed_in))
                runs.append(send(session, query, headers))
            assert all(answer == "ok" for _, answer in baselines), baselines
            took, baseline = (statistics.median(t for t, _ in timed) for timed in (runs, baselines))
            return took, baseline, runs[-1][1]

        session = http.Session()
        ratios = []
        for caller, headers in (("anonymous", {}), ("signed_in", signed_in)):
            for name, query in hostile_documents(LEAVES[caller]).items():
                if args.only and args.only not in name:
                    continue
                took, baseline, answer = p50(session, query, headers)
                ratios.append(took / baseline)
                row = {
                    "caller": caller,
                    "document": name,
                    "bytes": len(json.dumps({"query": query}).encode()),
                    "tokens": tokens(query),
                    "answer": answer,
                    "p50_ms": round(took, 2),
                    "baseline_p50_ms": round(baseline, 2),
                    "ratio": round(took / baseline, 2),
                }
                print(json.dumps(row, ensure_ascii=False), flush=True)
        print(json.dumps({"documents": len(ratios), "worst_ratio": round(max(ratios), 2)}), flush=True)

        # Not a refusal, for comparison: one sign-in with a wrong password (each username once,
        # under the throttle), whose argon2 hash runs on the hub.
        attempts = [
            send(
                session,
                f'mutation {{ signIn(input: {{username: "nobody-{i}", password: "wrong"}}) '
                "{ errors { code } } }",
                {},
            )
            for i in range(5)
        ]
        took = statistics.median(t for t, _ in attempts)
        baseline = statistics.median(send(session, BASELINE, signed_in)[0] for _ in range(5))
        print(
            json.dumps(
                {
                    "not_a_refusal": "one signIn (wrong password)",
                    "p50_ms": round(took, 2),
                    "baseline_p50_ms": round(baseline, 2),
                    "ratio": round(took / baseline, 2),
                }
            ),
            flush=True,
        )

        # A bystander's plain query, alone and while an attacker sends hostile documents: as fast
        # as it can (the rate limit is off here), then at the default per-client rate.
        documents = hostile_documents(LEAVES["anonymous"])
        hostile = [query for name, query in documents.items() if not name.startswith("admitted_")]

        def bystander(seconds: float) -> list[float]:
            own, timings = http.Session(), []
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline:
                took, answer = send(own, BASELINE, signed_in)
                assert answer == "ok", answer
                timings.append(took)
            return timings

        def summary(timings: list[float]) -> dict:
            return {
                "p50_ms": round(statistics.median(timings), 2),
                "p99_ms": round(percentile(timings, 0.99), 2),
                "max_ms": round(max(timings), 2),
                "requests": len(timings),
            }

        def under_attack(per_second: float | None) -> tuple[list[float], int]:
            stop, attacks = threading.Event(), [0]

            def attacker() -> None:
                own = http.Session()
                for query in itertools.cycle(hostile):
                    if stop.is_set():
                        break
                    started = time.monotonic()
                    send(own, query, {})
                    attacks[0] += 1
                    if per_second:
                        time.sleep(max(0.0, 1 / per_second - (time.monotonic() - started)))

            thread = threading.Thread(target=attacker, daemon=True)
            thread.start()
            try:
                return bystander(args.attack_seconds), attacks[0]
            finally:
                stop.set()
                thread.join(timeout=300)

        alone = bystander(args.attack_seconds)
        for label, per_second in (("as fast as it can", None), ("at the default rate limit", DEFAULT_RATE)):
            attacked, sent_count = under_attack(per_second)
            report = {
                "attacker": label,
                "bystander_alone": summary(alone),
                "bystander_under_attack": summary(attacked),
                "hostile_requests_per_second": round(sent_count / args.attack_seconds, 1),
                "ratio_p50": round(statistics.median(attacked) / statistics.median(alone), 2),
                "ratio_p99": round(percentile(attacked, 0.99) / percentile(alone, 0.99), 2),
            }
            print(json.dumps(report), flush=True)


if __name__ == "__main__":
    main()
