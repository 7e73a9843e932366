"""A GraphQL client as a careful party's program is: one ``Idempotency-Key`` per mutation, and a
mutation that timed out, hit a transport error or an internal error sent again with the same key
until it is answered (it cannot tell whether the first one took effect). Every outcome is counted."""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass

import requests

SIGN_IN = """mutation($input: SignInInput!) {
  signIn(input: $input) { session { accessToken } errors { field code message } } }"""
# How long one mutation is retried before the client gives up on it (a process restarts in ~10 s,
# the broker in ~15 s).
GIVE_UP_AFTER = 120.0
TIMEOUT = 30.0


class Unanswered(Exception):
    """A call the platform never answered within GIVE_UP_AFTER; whether it took effect is unknown."""


@dataclass
class Answer:
    payload: dict | None  # the mutation's payload (or the query's data)
    attempts: int

    @property
    def errors(self) -> list[dict]:
        return (self.payload or {}).get("errors") or []

    @property
    def ok(self) -> bool:
        return self.payload is not None and not self.errors

    @property
    def certain(self) -> bool:
        """Whether the answer tells what happened: a first answer, or a success. A refusal after a
        retry may only mean the lost first attempt had already done it."""
        return self.ok or self.attempts == 1


class Client:
    def __init__(self, url: str, accounts: dict[str, dict]):
        self.url = url
        self.accounts = accounts
        self.tokens: dict[str, str] = {}
        self.lock = threading.Lock()
        self.counts: Counter[str] = Counter()
        self.local = threading.local()

    def _session(self) -> requests.Session:
        if not hasattr(self.local, "session"):
            self.local.session = requests.Session()
        return self.local.session

    def count(self, what: str, n: int = 1) -> None:
        with self.lock:
            self.counts[what] += n

    def token(self, party: str, renew: bool = False) -> str:
        with self.lock:
            if party in self.tokens and not renew:
                return self.tokens[party]
        account = self.accounts[party]
        answer = self._call(
            SIGN_IN,
            {"input": {"username": account["username"], "password": account["password"]}},
            token=None,
            field="signIn",
        )
        if not answer.ok:
            raise RuntimeError(f"{party} could not sign in: {answer.errors}")
        assert answer.payload is not None
        with self.lock:
            self.tokens[party] = answer.payload["session"]["accessToken"]
            return self.tokens[party]

    def mutate(self, party: str, document: str, variables: dict, field: str) -> Answer:
        self.count("mutations sent")
        answer = self._call(document, variables, party=party, field=field, key=str(uuid.uuid4()))
        if answer.attempts > 1:
            self.count("mutations retried")
        if answer.errors:
            self.count("mutations refused" if answer.attempts == 1 else "mutations refused after a retry")
        return answer

    def query(self, party: str, document: str, variables: dict | None = None) -> dict:
        answer = self._call(document, variables or {}, party=party, field=None)
        assert answer.payload is not None
        return answer.payload

    def _call(
        self,
        document: str,
        variables: dict,
        field: str | None,
        party: str | None = None,
        token: str | None = None,
        key: str | None = None,
    ) -> Answer:
        deadline = time.monotonic() + GIVE_UP_AFTER
        attempts, pause = 0, 0.5
        while True:
            attempts += 1
            headers = {"content-type": "application/json"}
            if party is not None:
                token = self.token(party)
            if token:
                headers["Authorization"] = f"Bearer {token}"
            if key:
                headers["Idempotency-Key"] = key
            reason = None
            try:
                response = self._session().post(
                    self.url,
                    json={"query": document, "variables": variables},
                    headers=headers,
                    timeout=TIMEOUT,
                )
            except requests.RequestException as exc:
                reason = f"transport: {type(exc).__name__}"
            else:
                if response.status_code >= 500 or response.status_code == 429:
                    reason = f"HTTP {response.status_code}"
                else:
                    body = response.json()
                    data = body.get("data") or {}
                    top = body.get("errors") or []
                    codes = {(e.get("extensions") or {}).get("code") for e in top}
                    # An access token lasts 15 minutes: sign in again, as a client would.
                    if codes & {"unauthenticated", "token_expired", "session_ended"} and party is not None:
                        self.token(party, renew=True)
                        reason = "unauthenticated"
                    elif field is None and not top:
                        return Answer(data, attempts)
                    elif field is not None and data.get(field) is not None:
                        return Answer(data[field], attempts)
                    elif response.status_code == 400 or not top:
                        raise RuntimeError(f"the harness sent a bad request: {body}")
                    else:
                        # An internal error (a service away, an RPC that timed out): try again.
                        reason = "internal: " + "; ".join(str(e.get("message"))[:80] for e in top)
            self.count(f"retry because {reason.split(':')[0]}")
            if time.monotonic() + pause > deadline:
                self.count("calls given up")
                raise Unanswered(f"{field or 'query'}: {reason}")
            time.sleep(pause)
            pause = min(pause * 2, 4.0)
