"""Benchmark: a GraphQL query through the gateway that fans out to two services, beside a bare
nameko HTTP-to-RPC round trip measured in the same run, sequentially and with 16 concurrent clients.

    .venv/bin/python bench/gateway_fanout.py [--requests 300]

Prints one JSON object per line, with p50 and p99 in milliseconds and the gateway/baseline ratios.
The platform and the baseline pair each run in a child process (SQLite files in a temporary
folder, the local RabbitMQ), and the clients in this one.
"""

from __future__ import annotations

import argparse
import json
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


def measure(call, requests: int, clients: int) -> dict:
    import requests as http

    sessions = [http.Session() for _ in range(clients)]

    def run(index: int) -> list[float]:
        session, timings = sessions[index], []
        for _ in range(requests // clients):
            started = time.perf_counter()
            call(session)
            timings.append((time.perf_counter() - started) * 1000)
        return timings

    for session in sessions:
        call(session)  # warm up connections and caches
    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        timings = [t for batch in pool.map(run, range(clients)) for t in batch]
    elapsed = time.perf_counter() - started
    return {
        "p50_ms": round(statistics.median(timings), 2),
        "p99_ms": round(percentile(timings, 0.99), 2),
        "requests": len(timings),
        "per_second": round(len(timings) / elapsed, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=320)
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
            bare = measure(baseline, args.requests, clients)
            fanout = measure(graphql, args.requests, clients)
            print(
                json.dumps(
                    {
                        "clients": clients,
                        "baseline_http_rpc": bare,
                        "gateway_fanout_2_services": fanout,
                        "ratio_p50": round(fanout["p50_ms"] / bare["p50_ms"], 2),
                        "ratio_p99": round(fanout["p99_ms"] / bare["p99_ms"], 2),
                    }
                ),
                flush=True,
            )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--serve-baseline":
        serve_baseline(int(sys.argv[2]))
    else:
        main()
