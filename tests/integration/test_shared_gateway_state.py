"""Two gateway processes sharing one Redis behave as one gateway (issue 14, "past one machine").

``python -m deploy.serve gateway`` runs twice, on two ports, with the same databases, broker and
``GONGZHI_REDIS_URL`` (under a key prefix of this test's own, deleted afterwards). Requests split
between them show that the rate limit holds across both, that a sign-out (or an operator disabling
an account) through one is refused through the other from the next request on, that failed
sign-ins are throttled across both (they are counted in the gateway's database), and that a
persisted query registered with one is answered by hash by the other. No domain service runs: every
request here is answered by the gateway itself.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import eventlet
import pytest
import redis
import requests

from gateway import accounts
from gateway.models import Base
from shared import config
from shared.db import standalone_unit_of_work
from shared.identity import PartyType, Principal
from tests.conftest import free_port

pytestmark = pytest.mark.usefixtures("redis_server")

ROOT = Path(config.ROOT)
SECRET = "a-signing-key-for-tests-only-0123456789abcdef"
PASSWORD = "a password for tests"
BURST = 6
COMMITTEE = Principal("-", PartyType.RESIDENTS_COMMITTEE, "rc-shared", "d-shared", "c-shared")
VIEWER = {"query": "{ viewer { accountId } }"}
SIGN_IN = """mutation($u: String!, $p: String!) { signIn(input: {username: $u, password: $p}) {
    session { accessToken } errors { code } } }"""


class Gateway:
    """``python -m deploy.serve gateway`` in a process of its own, its output in a file."""

    def __init__(self, name: str, folder: Path, env: dict[str, str]) -> None:
        self.name, self.log, self.port = name, folder / f"{name}.log", free_port()
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "deploy.serve", "gateway"],
                cwd=ROOT,
                env={**env, "GONGZHI_HTTP": f"127.0.0.1:{self.port}"},
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def post(self, body: dict, token: str | None = None) -> tuple[int, dict]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        url = f"http://127.0.0.1:{self.port}/graphql"
        answer = requests.post(url, json=body, headers=headers, timeout=30)
        return answer.status_code, answer.json()

    def ready(self) -> bool:
        try:
            return requests.get(f"http://127.0.0.1:{self.port}/ready", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()

    def wait(self) -> None:
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def redis_prefix():
    prefix = f"gz-test-{uuid.uuid4().hex[:12]}:"
    yield prefix
    client = redis.Redis.from_url(config.test_redis_url())
    names = list(client.scan_iter(match=f"{prefix}*", count=1000))
    if names:
        client.delete(*names)
    client.close()


@pytest.fixture
def gateways(databases, amqp_uri, redis_prefix, tmp_path, monkeypatch):
    """Two gateway processes sharing the test's databases, vhost and Redis prefix; this process
    (an operator's command, here) shares the same Redis."""
    monkeypatch.setenv("GONGZHI_TOKEN_SECRET", SECRET)
    monkeypatch.setenv("GONGZHI_REDIS_URL", config.test_redis_url())
    monkeypatch.setenv("GONGZHI_REDIS_PREFIX", redis_prefix)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("GONGZHI_READY", "GONGZHI_HTTP"))},
        "GONGZHI_VAR": str(tmp_path),
        "GONGZHI_RATE_PER_SECOND": "0.05",  # one request every 20 s after the burst
        "GONGZHI_RATE_BURST": str(BURST),
        "GONGZHI_MAX_FAILED_SIGN_INS": "3",
        "GONGZHI_MAX_WORKERS": "4",
        "PYTHONPATH": str(ROOT),
        "PYTHONUNBUFFERED": "1",
    }
    started = [Gateway("a", tmp_path, env), Gateway("b", tmp_path, env)]
    try:
        deadline = time.monotonic() + 90
        while not all(one.ready() for one in started):
            for one in started:
                assert one.process.poll() is None, f"gateway {one.name} exited:\n{one.log.read_text()}"
            assert time.monotonic() < deadline, "\n".join(one.log.read_text() for one in started)
            eventlet.sleep(0.3)
        yield started
    finally:
        for one in started:  # both stop at once
            one.stop()
        for one in started:
            one.wait()


def _account() -> tuple[str, str]:
    """A new account, signed in here (not through a gateway): its username and access token."""
    uow = standalone_unit_of_work("gateway", Base.metadata)
    username = f"user-{uuid.uuid4().hex[:10]}"
    accounts.create_account(uow, username, PASSWORD, COMMITTEE)
    return username, accounts.sign_in(uow, username, PASSWORD, "10.0.0.1").access_token


def _code(answer: dict) -> str:
    return answer["errors"][0]["extensions"]["code"]


def test_two_gateways_sharing_redis_hold_one_limit_one_sign_out_one_throttle(gateways):
    a, b = gateways

    # (a) The account's burst is spent across both: each saw only half of the requests.
    _, token = _account()
    statuses = [(a if i % 2 == 0 else b).post(VIEWER, token)[0] for i in range(BURST + 2)]
    assert statuses == [200] * BURST + [429, 429], (statuses, _logs(gateways))

    # (b) Signed out through A: refused through B from the next request on, though B found the
    # sign-in live a moment ago (and would trust that for LIVE_SESSION_SECONDS without Redis).
    _, token = _account()
    assert b.post(VIEWER, token)[0] == 200 and a.post(VIEWER, token)[0] == 200
    status, out = a.post({"query": "mutation { signOut { signedOut errors { code } } }"}, token)
    assert out["data"]["signOut"] == {"signedOut": True, "errors": []}
    status, refused = b.post(VIEWER, token)
    assert status == 401 and _code(refused) == "session_ended", refused
    assert a.post(VIEWER, token)[0] == 401

    # An operator disables an account: the command returns at once (Redis holds the ending) and
    # both gateways refuse its token.
    username, token = _account()
    assert a.post(VIEWER, token)[0] == 200 and b.post(VIEWER, token)[0] == 200
    disabled = accounts.disable_account(standalone_unit_of_work("gateway", Base.metadata), username)
    assert disabled is not None
    waited = time.monotonic()
    accounts.wait_until_refused_everywhere(disabled.id)
    assert time.monotonic() - waited < accounts.LIVE_SESSION_SECONDS / 2
    assert b.post(VIEWER, token)[0] == 401 and a.post(VIEWER, token)[0] == 401

    # (c) Failed sign-ins counted across both: after three, even the right password waits.
    username, _ = _account()
    for one, password in ((a, "wrong one!!!!"), (b, "wrong two!!!!"), (a, "wrong three!!")):
        _, out = one.post({"query": SIGN_IN, "variables": {"u": username, "p": password}})
        assert out["data"]["signIn"]["errors"] == [{"code": "invalid_credentials"}], out
    _, out = b.post({"query": SIGN_IN, "variables": {"u": username, "p": PASSWORD}})
    assert out["data"]["signIn"]["errors"] == [{"code": "throttled"}], out

    # A persisted query registered through A is answered by hash through B.
    _, token = _account()
    query = "query Mine { viewer { accountId } }"
    digest = hashlib.sha256(query.encode()).hexdigest()
    persisted = {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest}}}
    assert a.post({"query": query, **persisted}, token)[1]["data"]["viewer"]["accountId"]
    _, by_hash = b.post(persisted, token)
    assert by_hash.get("data", {}).get("viewer", {}).get("accountId"), by_hash


def _logs(gateways: list[Gateway]) -> str:
    return "\n".join(
        f"--- gateway {one.name}\n{one.log.read_text(errors='replace')[-4000:]}" for one in gateways
    )
