"""The gateway masks unexpected errors and shows domain errors as they are."""

import json
import logging

from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from gateway.http import execute_graphql
from gateway.tokens import issue_token
from shared.errors import NotFound
from shared.identity import PartyType, Principal

SECRET = "a-signing-key-for-tests-only-0123456789abcdef"


class Broken:
    def list_meetings(self, principal):
        raise RuntimeError("connection to server at 10.0.0.5 failed: password authentication")


class Refusing:
    def list_meetings(self, principal):
        raise NotFound("no such meeting", field="meeting_id")


def run(services, monkeypatch) -> dict:
    monkeypatch.setenv("GONGZHI_TOKEN_SECRET", SECRET)
    token = issue_token(Principal("a", PartyType.RESIDENTS_COMMITTEE, "r", "d", "c"))
    request = Request(
        EnvironBuilder(
            method="POST",
            path="/graphql",
            headers={"Authorization": f"Bearer {token}"},
            json={"query": "{ meetings { edges { node { id } } } }"},
        ).get_environ()
    )
    return json.loads(execute_graphql(request, services, {}).get_data(as_text=True))


def test_an_unexpected_error_is_masked_and_logged_with_a_correlation_id(monkeypatch, caplog):
    with caplog.at_level(logging.ERROR):
        answer = run({"meetings": Broken()}, monkeypatch)
    (error,) = answer["errors"]
    correlation_id = error["extensions"]["correlationId"]
    assert error["extensions"]["code"] == "internal_error"
    assert "10.0.0.5" not in json.dumps(answer) and correlation_id in error["message"]
    assert correlation_id in caplog.text and "10.0.0.5" in caplog.text


def test_a_domain_error_reaches_the_client_with_its_code_and_field(monkeypatch):
    (error,) = run({"meetings": Refusing()}, monkeypatch)["errors"]
    assert error["message"] == "no such meeting"
    assert error["extensions"] == {"code": "not_found", "field": "meetingId"}
