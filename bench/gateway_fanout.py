"""Benchmark: a GraphQL query through the gateway that fans out to two services, beside two bare
nameko HTTP-to-RPC services measured in the same run, sequentially and with 16 concurrent clients.

    .venv/bin/python bench/gateway_fanout.py [--requests 640] [--rounds 4]

The baselines, each a nameko ``@http`` entrypoint with plain ``ServiceRpc`` dependencies:

- ``baseline_http_rpc``: one RPC to a service that echoes its argument (the bare hop);
- ``baseline_same_calls``: the two RPCs the gateway makes for the query (``meetings.list_meetings``
  and ``matching.list_projects``, the same principal and page request, both sent before either
  answer is awaited), their answers returned as JSON: what the gateway adds to the services' own
  work (sign-in, limits, GraphQL, audit) and nothing else. Before measuring, both answers are
  checked to hold the gateway's rows.

Prints one JSON object per line, with p50 and p99 in milliseconds, requests per second, the CPU
time the serving processes used per request (``server_cpu_ms``: the platform's process for the
gateway, the pair's own for the bare hop, both for the same calls; the broker is shared with
whatever else runs, so it is left out) and the gateway/baseline ratios: ``ratio_*`` against the
bare hop, ``same_calls_ratio_*`` against the same calls. ``*_per_cpu_second`` compares requests per
CPU second of the serving processes: on a machine busy with other work, requests per second follow
the share of the CPU each process is given, CPU time per request does not.

The platform and each baseline run in child processes of their own (SQLite files in a temporary
folder, a RabbitMQ vhost of their own; the same-calls baseline calls the platform's services), and
the clients in this one. All are measured in alternating rounds, so a machine that slows down for a
while slows each alike. The issue's goal: at 1 client ratio_p50 <= 2, at 16 clients
ratio_per_second >= 0.6.
``GONGZHI_BENCH_QUICK=1`` (the suite's run of the README) sends 64 requests in 2 rounds instead.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.stack import answers, demo_platform, free_port  # noqa: E402

QUERY = "{ meetings { edges { node { title startsAt } } } projects { edges { node { title budget } } } }"

# The page request the gateway sends for a root list the query gives no arguments
# (gateway.schema.connections.page_request): the service's first page in its default order.
PAGE = {
    "first": None,
    "after": None,
    "last": None,
    "before": None,
    "filter": {},
    "order_by": None,
    "with_total": False,
}


def serve_baseline(port: int) -> None:
    """A child process: the bare pair, an @http entrypoint making one RPC to another service."""
    sys.path.insert(0, str(ROOT))
    from nameko import config as nameko_config
    from nameko.rpc import ServiceRpc, rpc
    from nameko.runners import ServiceRunner
    from nameko.web.handlers import http

    import deploy  # noqa: F401  the eventlet monkey patch
    from shared import config

    class Echo:
        name = "bench_echo"

        @rpc
        def ping(self, value):
            return value

    class EchoHttp:
        name = "bench_echo_http"
        echo = ServiceRpc("bench_echo")

        @http("GET", "/echo")
        def echo_once(self, request):
            return json.dumps({"echo": self.echo.ping("pong")})

    nameko_config.setup(config.nameko_config(WEB_SERVER_ADDRESS=f"127.0.0.1:{port}"))
    runner = ServiceRunner()
    runner.add_service(Echo)
    runner.add_service(EchoHttp)
    runner.start()
    runner.wait()


def serve_same_calls(port: int, token: str) -> None:
    """A child process: an @http entrypoint making the gateway's two RPCs for the query, as it does."""
    sys.path.insert(0, str(ROOT))
    from nameko import config as nameko_config
    from nameko.rpc import ServiceRpc
    from nameko.runners import ServiceRunner
    from nameko.web.handlers import http

    import deploy  # noqa: F401  the eventlet monkey patch
    from gateway.tokens import verify_token
    from shared import config

    principal = verify_token(token).to_dict()  # once: the bare pair checks no sign-in

    class SameCallsHttp:
        name = "bench_same_calls_http"
        meetings = ServiceRpc("meetings")
        matching = ServiceRpc("matching")

        @http("GET", "/same-calls")
        def same_calls(self, request):
            meetings = self.meetings.list_meetings.call_async(dict(principal), page=PAGE)
            projects = self.matching.list_projects.call_async(dict(principal), page=PAGE)
            return json.dumps({"meetings": meetings.result(), "projects": projects.result()})

    nameko_config.setup(config.nameko_config(WEB_SERVER_ADDRESS=f"127.0.0.1:{port}"))
    runner = ServiceRunner()
    runner.add_service(SameCallsHttp)
    runner.start()
    runner.wait()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def cpu_seconds(pids: list[int]) -> float | None:
    """The CPU time these processes have used so far (user and system, from Linux's /proc)."""
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def measure(
    calls: dict, requests: int, clients: int, rounds: int, servers: dict[str, list[int]]
) -> dict[str, dict]:
    """Each of ``calls`` driven by ``clients`` threads, ``requests`` times in all, in alternating rounds;
    with the CPU time its ``servers`` (process ids) used while it was driven."""
    import requests as http

    sessions = {name: [http.Session() for _ in range(clients)] for name in calls}
    timings: dict[str, list[float]] = {name: [] for name in calls}
    elapsed = dict.fromkeys(calls, 0.0)
    cpu: dict[str, float | None] = dict.fromkeys(calls, 0.0)

    def run(name: str, index: int, count: int) -> list[float]:
        call, session, taken = calls[name], sessions[name][index], []
        for _ in range(count):
            started = time.perf_counter()
            call(session)
            taken.append((time.perf_counter() - started) * 1000)
        return taken

    for name, call in calls.items():
        for session in sessions[name]:
            call(session)  # warm up connections and caches
    per_client = max(1, requests // clients // rounds)
    with ThreadPoolExecutor(clients) as pool:
        for _ in range(rounds):
            for name in calls:
                used, started = cpu_seconds(servers[name]), time.perf_counter()
                batches = pool.map(lambda index, name=name: run(name, index, per_client), range(clients))
                timings[name].extend(t for batch in batches for t in batch)
                elapsed[name] += time.perf_counter() - started
                after, so_far = cpu_seconds(servers[name]), cpu[name]
                cpu[name] = None if used is None or after is None or so_far is None else so_far + after - used
    figures = {}
    for name in calls:
        count, used = len(timings[name]), cpu[name]
        figures[name] = {
            "p50_ms": round(statistics.median(timings[name]), 2),
            "p99_ms": round(percentile(timings[name], 0.99), 2),
            "requests": count,
            "per_second": round(count / elapsed[name], 1),
        }
        if used:
            figures[name]["server_cpu_ms"] = round(1000 * used / count, 2)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    quick = os.environ.get("GONGZHI_BENCH_QUICK") == "1"
    parser.add_argument("--requests", type=int, default=64 if quick else 640)
    parser.add_argument("--rounds", type=int, default=2 if quick else 4)
    args = parser.parse_args()

    baseline_port, same_calls_port = free_port(), free_port()
    with demo_platform() as stack:
        token = stack.tokens["residents_committee"]
        base = stack.base_url
        same_calls_url = f"http://127.0.0.1:{same_calls_port}/same-calls"
        stack.spawn(__file__, "--serve-baseline", str(baseline_port))
        stack.spawn(__file__, "--serve-same-calls", str(same_calls_port), token)
        stack.wait_until("baseline", lambda: answers(f"http://127.0.0.1:{baseline_port}/echo"))
        stack.wait_until("same-calls baseline", lambda: answers(same_calls_url))

        def graphql(session):
            answer = session.post(
                f"{base}/graphql",
                json={"query": QUERY},
                headers={"Authorization": f"Bearer {token}"},
                timeout=30,
            )
            body = answer.json()
            assert answer.status_code == 200 and "errors" not in body, body

        def baseline(session):
            answer = session.get(f"http://127.0.0.1:{baseline_port}/echo", timeout=30)
            assert answer.status_code == 200, answer.text

        def same_calls(session):
            answer = session.get(same_calls_url, timeout=30)
            assert answer.status_code == 200, answer.text
            return answer.json()

        check_same_rows(graphql_data(base, token), same_calls(http_session()))
        calls = {
            "baseline_http_rpc": baseline,
            "baseline_same_calls": same_calls,
            "gateway_fanout_2_services": graphql,
        }
        platform, echo_pair, same_calls_pair = (c.pid for c in stack.children)
        servers = {
            "baseline_http_rpc": [echo_pair],
            "baseline_same_calls": [same_calls_pair, platform],
            "gateway_fanout_2_services": [platform],
        }
        for clients in (1, 16):
            figures = measure(calls, args.requests, clients, args.rounds, servers)
            fanout = figures["gateway_fanout_2_services"]
            print(
                json.dumps(
                    {
                        "clients": clients,
                        **figures,
                        **ratios("ratio", fanout, figures["baseline_http_rpc"]),
                        **ratios("same_calls_ratio", fanout, figures["baseline_same_calls"]),
                    }
                ),
                flush=True,
            )


def ratios(prefix: str, fanout: dict, bare: dict) -> dict[str, float]:
    found = {
        f"{prefix}_p50": round(fanout["p50_ms"] / bare["p50_ms"], 2),
        f"{prefix}_p99": round(fanout["p99_ms"] / bare["p99_ms"], 2),
        f"{prefix}_per_second": round(fanout["per_second"] / bare["per_second"], 2),
    }
    if "server_cpu_ms" in fanout and "server_cpu_ms" in bare:
        # Requests per CPU second of the serving processes: what a machine with no other load
        # would give, as far as those processes limit it (the broker is shared, so not counted).
        found[f"{prefix}_per_cpu_second"] = round(bare["server_cpu_ms"] / fanout["server_cpu_ms"], 2)
    return found


def http_session():
    import requests

    return requests.Session()


def graphql_data(base: str, token: str) -> dict:
    answer = http_session().post(
        f"{base}/graphql", json={"query": QUERY}, headers={"Authorization": f"Bearer {token}"}, timeout=30
    )
    return answer.json()["data"]


def check_same_rows(gateway: dict, bare: dict) -> None:
    """The same-calls baseline answers the rows the gateway does, so it does the same work."""
    for field in ("meetings", "projects"):
        through_gateway = [edge["node"]["title"] for edge in gateway[field]["edges"]]
        direct = [edge["node"]["title"] for edge in bare[field]["edges"]]
        if not through_gateway or through_gateway != direct:
            sys.exit(
                f"the same-calls baseline's {field} differ from the gateway's: {direct} vs {through_gateway}"
            )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--serve-baseline":
        serve_baseline(int(sys.argv[2]))
    elif len(sys.argv) == 4 and sys.argv[1] == "--serve-same-calls":
        serve_same_calls(int(sys.argv[2]), sys.argv[3])
    else:
        main()
