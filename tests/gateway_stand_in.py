"""The gateway's request handling on its real database, with the domain services stood in by
recording fakes: one fixture, ``gateway``, for the service tests and the adversarial suite."""

from __future__ import annotations

import json
import uuid
from collections import Counter

import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from gateway import accounts, http
from gateway.limits import RateLimiter
from gateway.models import Base
from shared.db import standalone_unit_of_work
from shared.identity import PartyType, Principal
from tests.conftest import unit_of_work

COMMITTEE = Principal("a", PartyType.RESIDENTS_COMMITTEE, "rc1", "d1", "c1")


class Recording:
    """A stand-in for one service's RPC proxy: answers from a table and counts every call."""

    def __init__(self, calls: Counter, name: str, answers: dict):
        self._calls, self._name, self._answers = calls, name, answers

    def __getattr__(self, method):
        def call(*args, **kwargs):
            self._calls[f"{self._name}.{method}"] += 1
            answer = self._answers[method]
            return answer(*args, **kwargs) if callable(answer) else answer

        return call


MEETINGS = [
    {
        "id": f"m{i}",
        "title": f"Meeting {i}",
        "kind": "regular",
        "starts_at": "2026-12-01T06:00:00+00:00",
        "ends_at": "2026-12-01T08:00:00+00:00",
        "location": "Hall",
        "status": "scheduled",
        "convened_by": "rc1",
        "community_id": "c1",
        "compound_id": None,
    }
    for i in range(15)
]


def pages(rows: list[dict]):
    """A list RPC over ``rows`` as a service answers it (``shared.paging.Page.to_wire``): one page
    of the request, with positional cursors; given ``ids``, those rows (a loader's lookup)."""

    def answer(principal, page=None, ids=None):
        if ids is not None:
            return [row for row in rows if row["id"] in ids]
        page = page or {}
        start = int(page["after"][1:]) + 1 if page.get("after") else 0
        end = int(page["before"][1:]) if page.get("before") else len(rows)
        window = list(range(start, max(start, end)))
        if page.get("last") is not None:
            chosen = window[len(window) - page["last"] :] if page["last"] else []
            has_previous, has_next = len(window) > len(chosen), end < len(rows)
        else:
            size = 20 if page.get("first") is None else page["first"]
            chosen = window[:size]
            has_previous, has_next = start > 0, len(window) > size
        cursors = [f"c{i}" for i in chosen]
        return {
            "edges": [{"cursor": c, "node": rows[i]} for c, i in zip(cursors, chosen, strict=True)],
            "page_info": {
                "has_next_page": has_next,
                "has_previous_page": has_previous,
                "start_cursor": cursors[0] if cursors else None,
                "end_cursor": cursors[-1] if cursors else None,
            },
            "total_count": len(rows) if page.get("with_total") else None,
        }

    return answer


def agenda(principal, meeting_ids):
    return [
        {
            "id": f"{m}-a{j}",
            "meeting_id": m,
            "position": j,
            "title": "Item",
            "description": "",
            "submitted_by": f"party-{j}",
        }
        for m in meeting_ids
        for j in range(3)
    ]


def parties(principal, ids):
    return [{"id": i, "type": "owners_committee", "name": f"Name of {i}", "district_id": "d1"} for i in ids]


@pytest.fixture
def gateway(databases, monkeypatch):
    monkeypatch.setenv("GONGZHI_TOKEN_SECRET", "a-signing-key-for-tests-only-0123456789abcdef")
    monkeypatch.setattr(http, "RATE", RateLimiter(per_second=1000, burst=1000))
    uow = unit_of_work(databases["gateway"], Base.metadata)
    calls: Counter = Counter()
    services = {
        "meetings": Recording(
            calls,
            "meetings",
            {
                "list_meetings": pages(MEETINGS),
                "list_agenda": agenda,
                "get_parties": parties,
                "list_resolutions": lambda principal, ids: [],
            },
        )
    }

    def token(principal=COMMITTEE) -> str:
        username = f"user-{uuid.uuid4().hex[:12]}"
        accounts.create_account(
            standalone_unit_of_work("gateway", Base.metadata), username, "a password for tests", principal
        )
        return accounts.sign_in(uow, username, "a password for tests", "127.0.0.1").access_token

    def post(body: dict | str, bearer: str | None = None, services=services):
        headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
        data = body if isinstance(body, str) else json.dumps(body)
        request = Request(
            EnvironBuilder(
                method="POST", path="/graphql", headers=headers, data=data, content_type="application/json"
            ).get_environ()
        )
        response = http.execute_graphql(request, services, {}, uow)
        return response.status_code, json.loads(response.get_data(as_text=True))

    post.token, post.calls, post.uow = token, calls, uow
    return post
