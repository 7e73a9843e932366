"""The doors that need no token (notice boards, open data, calendar feeds, static files) answer
hostile paths and parameters cleanly: a refusal or nothing found, never an internal error."""

from __future__ import annotations

import base64

import requests

from deploy.seed import seed

PYTHON_NAMES = ("Traceback", "Error:", "KeyError", "TypeError", "ValueError", "binascii", "sqlalchemy")

HOSTILE_IDS = [
    "x",
    "%00",
    "%ff%fe",
    "a" * 4000,
    base64.b64encode(b"Place:").decode(),
    base64.b64encode(b"Place:" + b"\xff" * 10).decode(),
    base64.b64encode(b"Meeting:00000000-0000-0000-0000-000000000000").decode(),
    base64.b64encode(b"Place:' OR 1=1 --").decode(),
    "..%2F..%2Fetc%2Fpasswd",
    "%E2%80%AE",
]


def test_public_endpoints_answer_hostile_input_cleanly(platform):
    seed(platform.rpc)
    base = platform.url.removesuffix("/graphql")
    paths = [f"/notices/{i}" for i in HOSTILE_IDS]
    paths += [f"/calendar/{i}.ics" for i in HOSTILE_IDS]
    paths += [f"/ocds/releases?ocid={i}" for i in HOSTILE_IDS]
    paths += [f"/ocds/records?ocid={i}" for i in HOSTILE_IDS]
    paths += ["/ocds/releases?ocid=", "/ocds/releases?ocid=a&ocid=b", "/ocds/other", "/ocds/releases"]
    paths += [f"/static/{i}" for i in ("..%2Fhttp.py", "%2E%2E/http.py", "graphiql.min.js%00.css", "x" * 300)]
    for path in paths:
        answer = requests.get(base + path, timeout=30)
        assert answer.status_code in (200, 400, 404), (path, answer.status_code, answer.text[:300])
        assert not any(name in answer.text for name in PYTHON_NAMES), (path, answer.text[:300])
        assert answer.headers.get("X-Content-Type-Options") == "nosniff", path
