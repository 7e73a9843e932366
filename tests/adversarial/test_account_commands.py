"""The operators' account rules through the real gateway: ending an account's sessions kills its live
tokens and calendar address but lets it sign in again; a password reset refuses the old password and
the sign-ins made with it; enabling undoes disabling; the list shows each account's party, state and
last sign-in. And ``gongzhi accounts`` runs them from its own process, waiting out the gateways'
trust in a live sign-in before it returns."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import requests

from gateway import accounts
from shared import config
from shared.errors import InvalidInput
from shared.identity import PartyType, Principal
from tests.adversarial.test_sessions import (
    PARTY,
    PASSWORD,
    ROTATE,
    account,
    data,
    gateway_uow,
    post,
    refused_code,
)

SIGN_IN = """mutation($u: String!, $p: String!) { signIn(input: {username: $u, password: $p}) {
    session { accessToken } errors { code } } }"""
NEW_PASSWORD = "another long password"


def sign_in(platform, username: str, password: str) -> dict:
    return data(platform, SIGN_IN, u=username, p=password)["signIn"]


def gongzhi(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "deploy.cli", *args],
        cwd=config.ROOT,
        env={**os.environ, "PYTHONPATH": str(config.ROOT)},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=90,
    )


def test_ending_the_sessions_ends_every_sign_in_but_not_the_account(platform):
    wang, other = account(platform), account(platform)
    second = sign_in(platform, wang["username"], PASSWORD)["session"]["accessToken"]
    url = data(platform, ROTATE, wang["accessToken"])["rotateCalendarKey"]["calendarUrl"]

    assert accounts.end_sessions(gateway_uow(), wang["username"]) == 2

    for token in (wang["accessToken"], second):
        assert refused_code(post(platform, PARTY, token)) == (401, "session_ended")
    assert requests.get(url, timeout=10).status_code == 404
    assert post(platform, PARTY, other["accessToken"]).status_code == 200  # nobody else's
    again = sign_in(platform, wang["username"], PASSWORD)
    assert again["errors"] == [] and post(platform, PARTY, again["session"]["accessToken"]).status_code == 200
    assert accounts.end_sessions(gateway_uow(), "nobody-of-that-name") is None


def test_a_password_reset_refuses_the_old_password_and_its_sign_ins(platform):
    wang = account(platform)
    with pytest.raises(InvalidInput):
        accounts.reset_password(gateway_uow(), wang["username"], "short")
    assert post(platform, PARTY, wang["accessToken"]).status_code == 200  # a refused reset changes nothing

    assert accounts.reset_password(gateway_uow(), wang["username"], NEW_PASSWORD) == 1

    assert refused_code(post(platform, PARTY, wang["accessToken"])) == (401, "session_ended")
    assert sign_in(platform, wang["username"], PASSWORD)["errors"] == [{"code": "invalid_credentials"}]
    assert sign_in(platform, wang["username"], NEW_PASSWORD)["errors"] == []
    assert accounts.reset_password(gateway_uow(), "nobody-of-that-name", NEW_PASSWORD) is None


def test_enabling_lets_a_disabled_account_sign_in_again_but_revives_no_sign_in(platform):
    wang = account(platform)
    accounts.disable_account(gateway_uow(), wang["username"])
    assert sign_in(platform, wang["username"], PASSWORD)["errors"] == [{"code": "invalid_credentials"}]

    assert accounts.enable_account(gateway_uow(), wang["username"]).active is True

    assert refused_code(post(platform, PARTY, wang["accessToken"])) == (401, "session_ended")
    assert sign_in(platform, wang["username"], PASSWORD)["errors"] == []
    assert accounts.enable_account(gateway_uow(), "nobody-of-that-name") is None


def test_the_list_shows_each_accounts_party_state_and_last_sign_in(platform):
    wang = account(platform)  # signed in
    volunteer = Principal("-", PartyType.VOLUNTEER, "v-l", "d-l", "c-l")
    accounts.create_account(gateway_uow(), "never.signed.in", PASSWORD, volunteer)
    accounts.disable_account(gateway_uow(), "never.signed.in")

    rows = {row.username: row for row in accounts.list_accounts(gateway_uow())}
    assert rows[wang["username"]].party_type == "residents_committee"
    assert rows[wang["username"]].active and rows[wang["username"]].last_sign_in is not None
    never = rows["never.signed.in"]
    assert (never.party_type, never.party_id, never.active, never.last_sign_in) == (
        "volunteer",
        "v-l",
        False,
        None,
    )
    only = accounts.list_accounts(gateway_uow(), PartyType.VOLUNTEER)
    assert [row.username for row in only] == ["never.signed.in"]


def test_the_account_commands_from_their_own_process(platform):
    wang = account(platform)
    listed = gongzhi("accounts", "list", "--party-type", "residents_committee", "--json")
    assert listed.returncode == 0, listed.stderr
    (row,) = [r for r in json.loads(listed.stdout) if r["username"] == wang["username"]]
    assert row["party_type"] == "residents_committee" and row["active"] is True and row["last_sign_in"]

    ended = gongzhi("accounts", "end-sessions", "--username", wang["username"])
    assert ended.returncode == 0 and "ended 1 sign-ins" in ended.stdout, ended.stderr
    assert refused_code(post(platform, PARTY, wang["accessToken"])) == (401, "session_ended")

    reset = gongzhi(
        "accounts", "reset-password", "--username", wang["username"], "--password-stdin", stdin="short\n"
    )
    assert reset.returncode == 1 and "at least 12 characters" in reset.stderr
    reset = gongzhi(
        "accounts",
        "reset-password",
        "--username",
        wang["username"],
        "--password-stdin",
        stdin=NEW_PASSWORD + "\n",
    )
    assert reset.returncode == 0, reset.stderr
    assert sign_in(platform, wang["username"], NEW_PASSWORD)["errors"] == []

    assert gongzhi("accounts", "disable", "--username", wang["username"]).returncode == 0
    assert gongzhi("accounts", "enable", "--username", wang["username"]).returncode == 0
    assert sign_in(platform, wang["username"], NEW_PASSWORD)["errors"] == []
    nobody = gongzhi("accounts", "enable", "--username", "nobody")
    assert nobody.returncode == 1 and "no account nobody" in nobody.stderr
    wrong = gongzhi("accounts", "list", "--party-type", "mayor")
    assert wrong.returncode == 2 and "residents_committee" in wrong.stderr  # the allowed values listed
