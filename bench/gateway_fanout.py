"""Benchmark: a GraphQL query through the gateway that fans out to two services, beside a bare
nameko HTTP-to-RPC round trip measured in the same run, sequentially and with 16 concurrent clients.

    .venv/bin/python bench/gateway_fanout.py [--requests 640] [--rounds 4]

Prints one JSON object per line, with p50 and p99 in milliseconds, requests per second and the
gateway/baseline ratios. The platform and the baseline pair each run in a child process (SQLite
files in a temporary folder, a RabbitMQ vhost of their own), and the clients in this one. The two
are measured in alternating rounds, so a machine that slows down for a while slows both alike.
The issue's goal: at 1 client ratio_p50 <= 2, at 16 clients ratio_per_second >= 0.6.
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


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def measure(calls: dict, requests: int, clients: int, rounds: int) -> dict[str, dict]:
    """Each of ``calls`` driven by ``clients`` threads, ``requests`` times in all, in alternating rounds."""
    import requests as http

    sessions = {name: [http.Session() for _ in range(clients)] for name in calls}
    timings: dict[str, list[float]] = {name: [] for name in calls}
    elapsed = dict.fromkeys(calls, 0.0)

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
                started = time.perf_counter()
                batches = pool.map(lambda index, name=name: run(name, index, per_client), range(clients))
                timings[name].extend(t for batch in batches for t in batch)
                elapsed[name] += time.perf_counter() - started
    return {
        name: {
            "p50_ms": round(statistics.median(timings[name]), 2),
            "p99_ms": round(percentile(timings[name], 0.99), 2),
            "requests": len(timings[name]),
            "per_second": round(len(timings[name]) / elapsed[name], 1),
        }
        for name in calls
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    quick = os.environ.get("GONGZHI_BENCH_QUICK") == "1"
    parser.add_argument("--requests", type=int, default=64 if quick else 640)
    parser.add_argument("--rounds", type=int, default=2 if quick else 4)
    args = parser.parse_args()

    baseline_port = free_port()
    with demo_platform() as stack:
        stack.spawn(__file__, "--serve-baseline", str(baseline_port))
        stack.wait_until("baseline", lambda: answers(f"http://127.0.0.1:{baseline_port}/echo"))
        token = stack.tokens["residents_committee"]
        base = stack.base_url

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

        for clients in (1, 16):
            figures = measure(
                {"baseline_http_rpc": baseline, "gateway_fanout_2_services": graphql},
                args.requests,
                clients,
                args.rounds,
            )
            bare, fanout = figures["baseline_http_rpc"], figures["gateway_fanout_2_services"]
            print(
                json.dumps(
                    {
                        "clients": clients,
                        **figures,
                        "ratio_p50": round(fanout["p50_ms"] / bare["p50_ms"], 2),
                        "ratio_p99": round(fanout["p99_ms"] / bare["p99_ms"], 2),
                        "ratio_per_second": round(fanout["per_second"] / bare["per_second"], 2),
                    }
                ),
                flush=True,
            )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--serve-baseline":
        serve_baseline(int(sys.argv[2]))
    else:
        main()
