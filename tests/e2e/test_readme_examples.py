"""The README's examples, read from the README itself and run against the demo: each succeeds.

A GraphQL example says on its first line who runs it (``# as residents_committee``, ``# as every
party``, ``# without a token``); a ``"…"`` password is the one the demo made for that account.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from deploy.demo import demo_accounts
from gateway import accounts
from gateway.models import Base
from shared import readiness
from shared.db import standalone_unit_of_work
from shared.errors import PermissionDenied
from shared.identity import PartyType
from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()


def code_blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", README, flags=re.S | re.M)


def who_runs(example: str) -> list[str | None]:
    first = example.splitlines()[0]
    if first.startswith("# without a token"):
        return [None]
    match = re.fullmatch(r"# as (every party|[a-z_]+)", first.strip())
    assert match, f"a README example must say who runs it on its first line: {first!r}"
    if match.group(1) == "every party":
        return [p.value for p in PartyType]
    return [PartyType(match.group(1)).value]


def payload_errors(value) -> list:
    """The user errors of every mutation payload in an answer."""
    if isinstance(value, dict):
        found = list(value.get("errors") or [])
        return found + [e for v in value.values() for e in payload_errors(v)]
    if isinstance(value, list):
        return [e for v in value for e in payload_errors(v)]
    return []


def test_the_readme_has_graphql_examples_and_each_runs_as_it_says(platform, tmp_path, monkeypatch):
    monkeypatch.setenv("GONGZHI_VAR", str(tmp_path))
    parties = demo_accounts(platform.rpc)
    uow = standalone_unit_of_work("gateway", Base.metadata)
    tokens = {
        party: accounts.sign_in(uow, a["username"], a["password"], "127.0.0.1").access_token
        for party, a in parties.items()
    }
    passwords = {a["username"]: a["password"] for a in parties.values()}
    examples = code_blocks("graphql")
    assert len(examples) >= 3
    for example in examples:
        query = re.sub(
            r'username: "([^"]+)", password: "…"',
            lambda m: f'username: "{m.group(1)}", password: {json.dumps(passwords[m.group(1)])}',
            example,
        )
        for party in who_runs(example):
            headers = {"Authorization": f"Bearer {tokens[party]}"} if party else {}
            answer = requests.post(platform.url, json={"query": query}, headers=headers, timeout=60)
            assert answer.status_code == 200, (party, example, answer.text)
            body = answer.json()
            assert "errors" not in body and body["data"], (party, example, body)
            assert payload_errors(body["data"]) == [], (party, example, body)


def test_the_readmes_curl_example_runs(platform, tmp_path, monkeypatch):
    monkeypatch.setenv("GONGZHI_VAR", str(tmp_path))
    parties = demo_accounts(platform.rpc)
    committee = parties[PartyType.RESIDENTS_COMMITTEE.value]
    token = accounts.sign_in(
        standalone_unit_of_work("gateway", Base.metadata), committee["username"], committee["password"], "::1"
    ).access_token
    (command,) = [block for block in code_blocks("sh") if block.startswith("curl ")]
    command = command.replace("http://127.0.0.1:8000/graphql", platform.url)
    done = subprocess.run(
        ["bash", "-c", command],
        env={**os.environ, "TOKEN": token},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["data"]["viewer"]["party"]["name"]


def test_run_sh_starts_the_platform_and_prints_how_to_sign_in_as_each_party(amqp_uri, tmp_path):
    """The README's first command, on SQLite files in a folder of its own and a broker vhost of its own."""
    (command, _) = (line.split("#")[0].strip() for line in code_blocks("sh")[0].splitlines()[:2])
    assert command == "./run.sh"
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "GONGZHI_"))},
        "GONGZHI_VAR": str(tmp_path),
        "GONGZHI_HTTP": f"127.0.0.1:{port}",
        "AMQP_URI": amqp_uri,
        "PYTHONUNBUFFERED": "1",
    }
    process = subprocess.Popen(
        [str(ROOT / "run.sh")], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    seen = []
    try:
        for line in process.stdout:
            seen.append(line)
            if "Ctrl-C stops everything" in line:
                break
        printed = "".join(seen)
        assert f"http://127.0.0.1:{port}/graphql" in printed, printed
        for party in PartyType:
            assert f"demo-{party.value.replace('_', '-')}" in printed, printed
        token = json.loads((tmp_path / "demo.json").read_text())["tokens"]["volunteer"]
        answer = requests.post(
            f"http://127.0.0.1:{port}/graphql",
            json={"query": "{ viewer { party { type } } }"},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        assert answer.json()["data"]["viewer"]["party"]["type"] == "VOLUNTEER"
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def test_the_readmes_operator_commands_run_and_run_again_without_making_anything_twice(platform):
    (block,) = [b for b in code_blocks("sh") if "gongzhi accounts create" in b]
    script = f"set -euo pipefail\n{block}"
    # The commands find the gateway (for `gongzhi health`) where the platform under test listens.
    gateway = urlsplit(platform.url).netloc
    env = {**os.environ, "GONGZHI_HTTP": gateway}

    def run() -> subprocess.CompletedProcess:
        # No terminal (a new session): the password prompt reads it from standard input.
        return subprocess.run(
            ["bash", "-c", script],
            cwd=ROOT,
            env=env,
            input="a password for the secretary\n" * 2,  # asked twice
            capture_output=True,
            text=True,
            timeout=180,
            start_new_session=True,
        )

    readiness.mark(True)  # deploy.serve marks it once every service started; the fixture does not
    try:
        first = run()
    finally:
        readiness.mark(False)
    assert first.returncode == 0, first.stdout + first.stderr
    assert first.stdout.count('"created": true') == 2, first.stdout  # the compound and the volunteer
    assert "created account heping.secretary" in first.stdout
    assert "disabled heping.secretary" in first.stdout
    readiness.mark(True)
    try:
        again = run()
    finally:
        readiness.mark(False)
    assert again.returncode == 0, again.stdout + again.stderr
    assert '"created": true' not in again.stdout and "exists for residents_committee" in again.stdout
    # The account made was disabled by the last command: its password no longer signs in.
    with pytest.raises(PermissionDenied, match="wrong username or password"):
        accounts.sign_in(
            standalone_unit_of_work("gateway", Base.metadata),
            "heping.secretary",
            "a password for the secretary",
            "127.0.0.1",
        )


def test_the_readmes_benchmarks_run_and_print_their_figures(amqp_uri):
    """Each command as written, in its quick mode (smaller sizes, fewer rounds, the same path)."""
    commands = [
        line.strip()
        for block in code_blocks("sh")
        for line in block.splitlines()
        if line.startswith(".venv/bin/python bench/")
    ]
    assert len(commands) >= 5
    quick = {**os.environ, "GONGZHI_BENCH_QUICK": "1"}
    for command in commands:
        done = subprocess.run(
            ["bash", "-c", command], cwd=ROOT, env=quick, capture_output=True, text=True, timeout=600
        )
        assert done.returncode == 0, (command, done.stderr[-3000:])
        figures = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
        assert figures, (command, done.stdout)
