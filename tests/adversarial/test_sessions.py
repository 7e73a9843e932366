"""Sign-ins and calendar addresses end when they should, through the real gateway: disabling an
account ends its live access token at once; a calendar address is a random key kept only as its
hash, dies when rotated, revoked or when its account is disabled, and answers like any unknown
address; refresh tokens are found by their hash and rotated under a row lock, so two refreshes
with one token never both succeed (on PostgreSQL)."""

from __future__ import annotations

import hashlib
import uuid

import eventlet
import pytest
import requests
from sqlalchemy import event, select, update
from sqlalchemy.engine import Engine

from gateway import accounts
from gateway.models import Account, Base, SignInSession
from shared.db import standalone_unit_of_work
from shared.errors import PermissionDenied
from shared.identity import PartyType, Principal
from tests.conftest import unit_of_work

PASSWORD = "a password for tests"
COMMITTEE = Principal("-", PartyType.RESIDENTS_COMMITTEE, "rc-s", "d-s", "c-s")
PARTY = "{ viewer { party { type } } }"
VIEWER = "{ viewer { party { type } calendarKeyIssuedAt } }"
ROTATE = "mutation { rotateCalendarKey { calendarUrl errors { code } } }"
REFRESH = """mutation($t: String!) { refreshSession(input: {refreshToken: $t}) {
    session { accessToken refreshToken } errors { code } } }"""


def gateway_uow():
    return standalone_unit_of_work("gateway", Base.metadata)


def post(platform, query: str, token: str | None = None, **variables) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.post(
        platform.url, json={"query": query, "variables": variables}, headers=headers, timeout=30
    )


def data(platform, query: str, token: str | None = None, **variables) -> dict:
    answer = post(platform, query, token, **variables)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert "errors" not in body, body
    return body["data"]


def account(platform, principal: Principal = COMMITTEE) -> dict:
    """An account, signed in through the gateway's signIn: its username and tokens."""
    username = f"user-{uuid.uuid4().hex[:10]}"
    accounts.create_account(gateway_uow(), username, PASSWORD, principal)
    signed_in = data(
        platform,
        """mutation($u: String!, $p: String!) { signIn(input: {username: $u, password: $p}) {
        session { accessToken refreshToken } errors { code } } }""",
        u=username,
        p=PASSWORD,
    )["signIn"]
    assert signed_in["errors"] == [], signed_in
    return {"username": username, **signed_in["session"]}


def refused_code(response: requests.Response) -> tuple[int, str]:
    return response.status_code, response.json()["errors"][0]["extensions"]["code"]


# Disabling an account ---------------------------------------------------------------------


def test_disabling_an_account_ends_its_live_access_token_at_once(platform):
    wang, other = account(platform), account(platform)
    assert data(platform, PARTY, wang["accessToken"])["viewer"]["party"]["type"] == "RESIDENTS_COMMITTEE"

    assert accounts.disable_account(gateway_uow(), wang["username"]).active is False

    assert refused_code(post(platform, PARTY, wang["accessToken"])) == (401, "session_ended")
    refreshed = data(platform, REFRESH, t=wang["refreshToken"])["refreshSession"]
    assert refreshed["session"] is None and refreshed["errors"] == [{"code": "session_ended"}]
    signed_in = data(
        platform,
        """mutation($u: String!) { signIn(input: {username: $u, password: "a password for tests"}) {
        errors { code } } }""",
        u=wang["username"],
    )["signIn"]
    assert signed_in["errors"] == [{"code": "invalid_credentials"}]
    with gateway_uow() as uow:  # every sign-in of it ended, and why
        reasons = set(
            uow.session.scalars(
                select(SignInSession.end_reason).where(
                    SignInSession.account_id.in_(
                        select(Account.id).where(Account.username == wang["username"])
                    )
                )
            )
        )
    assert reasons == {"account_disabled"}
    assert post(platform, PARTY, other["accessToken"]).status_code == 200  # nobody else's
    assert accounts.disable_account(gateway_uow(), "nobody-of-that-name") is None


def test_a_session_of_a_disabled_account_is_not_live_even_if_it_was_not_ended(platform):
    wang = account(platform)
    uow = gateway_uow()
    with uow:  # disabled some other way than the command: the account's flag alone counts
        uow.session.execute(update(Account).where(Account.username == wang["username"]).values(active=False))
        uow.commit()
    assert refused_code(post(platform, PARTY, wang["accessToken"])) == (401, "session_ended")


# Calendar addresses -----------------------------------------------------------------------


def test_a_calendar_address_is_a_random_key_kept_only_as_its_hash(platform):
    wang = account(platform)
    assert data(platform, VIEWER, wang["accessToken"])["viewer"]["calendarKeyIssuedAt"] is None
    url = data(platform, ROTATE, wang["accessToken"])["rotateCalendarKey"]["calendarUrl"]
    key = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert len(key) >= 40 and "." not in key and not key.startswith("eyJ")  # not a JWT
    for internal in (COMMITTEE.party_id, COMMITTEE.community_id, COMMITTEE.district_id):
        assert internal not in url
    feed = requests.get(url, timeout=10)
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("text/calendar")
    assert "BEGIN:VTIMEZONE" in feed.text and "TZID:Asia/Shanghai" in feed.text
    assert data(platform, VIEWER, wang["accessToken"])["viewer"]["calendarKeyIssuedAt"].endswith("+08:00")

    from gateway.models import CalendarKey  # (not there before calendar keys were)

    with gateway_uow() as uow:
        (stored,) = uow.session.scalars(select(CalendarKey).where(CalendarKey.revoked_at.is_(None)))
    assert stored.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in str({c: getattr(stored, c) for c in CalendarKey.__table__.columns.keys()})


def test_a_rotated_or_revoked_address_answers_like_one_that_never_existed(platform):
    wang = account(platform)
    first = data(platform, ROTATE, wang["accessToken"])["rotateCalendarKey"]["calendarUrl"]
    second = data(platform, ROTATE, wang["accessToken"])["rotateCalendarKey"]["calendarUrl"]
    assert first != second
    never = first.rsplit("/", 1)[0] + "/" + "A" * 43 + ".ics"
    garbage = first.rsplit("/", 1)[0] + "/eyJhbGciOiJIUzI1NiJ9.e30.x.ics"

    def answer(url: str) -> tuple:
        response = requests.get(url, timeout=10)
        return response.status_code, response.headers["content-type"], response.content

    unknown = answer(never)
    assert unknown[0] == 404
    assert answer(first) == unknown  # rotated away: dead at once
    assert answer(garbage) == unknown
    assert answer(second)[0] == 200

    revoked = data(
        platform, "mutation { revokeCalendarKey { revoked errors { code } } }", wang["accessToken"]
    )
    assert revoked["revokeCalendarKey"] == {"revoked": True, "errors": []}
    assert answer(second) == unknown
    assert data(platform, VIEWER, wang["accessToken"])["viewer"]["calendarKeyIssuedAt"] is None


def test_a_disabled_accounts_calendar_address_is_not_found(platform):
    volunteer = account(platform, Principal("-", PartyType.VOLUNTEER, "v-s", "d-s", "c-s"))
    url = data(platform, ROTATE, volunteer["accessToken"])["rotateCalendarKey"]["calendarUrl"]
    assert requests.get(url, timeout=10).status_code == 200
    accounts.disable_account(gateway_uow(), volunteer["username"])
    gone = requests.get(url, timeout=10)
    assert gone.status_code == 404 and gone.text == "no such calendar"


def test_signing_out_ends_the_calendar_address_too(platform):
    volunteer = account(platform, Principal("-", PartyType.VOLUNTEER, "v-o", "d-s", "c-s"))
    url = data(platform, ROTATE, volunteer["accessToken"])["rotateCalendarKey"]["calendarUrl"]
    assert requests.get(url, timeout=10).status_code == 200
    signed_out = data(platform, "mutation { signOut { errors { code } } }", volunteer["accessToken"])
    assert signed_out["signOut"]["errors"] == []
    gone = requests.get(url, timeout=10)
    assert gone.status_code == 404 and gone.text == "no such calendar"


# Refresh tokens ---------------------------------------------------------------------------


class Statements:
    """Every SQL statement sent while it is open."""

    def __init__(self):
        self.seen: list[str] = []

    def __enter__(self):
        event.listen(Engine, "before_cursor_execute", self._record)
        return self.seen

    def __exit__(self, *exc):
        event.remove(Engine, "before_cursor_execute", self._record)

    def _record(self, conn, cursor, statement, *args):
        self.seen.append(" ".join(statement.split()))


def test_an_unknown_refresh_token_is_looked_up_by_its_hash_not_by_reading_every_session(platform):
    sessions = [account(platform) for _ in range(3)]
    with Statements() as seen:
        refreshed = data(platform, REFRESH, t="not-a-token-anyone-was-given")["refreshSession"]
    assert refreshed["errors"] == [{"code": "invalid_token"}]
    reads = [s for s in seen if s.startswith("SELECT") and "sign_in_session" in s]
    assert reads, seen
    for statement in reads:  # each one finds rows by an indexed key, never a scan of live sessions
        assert any(key in statement for key in ("refresh_hash =", "token_hash =", "sign_in_session.id =")), (
            statement
        )
    # The reuse rule still holds: a rotated-away token ends the sign-in it belonged to.
    wang = sessions[0]
    rotated = data(platform, REFRESH, t=wang["refreshToken"])["refreshSession"]["session"]
    again = data(platform, REFRESH, t=wang["refreshToken"])["refreshSession"]
    assert again["errors"] == [{"code": "invalid_token"}]
    assert refused_code(post(platform, VIEWER, rotated["accessToken"])) == (401, "session_ended")
    assert data(platform, REFRESH, t=rotated["refreshToken"])["refreshSession"]["errors"] == [
        {"code": "session_ended"}
    ]


def test_concurrent_refreshes_with_one_token_rotate_it_once_and_end_the_sign_in(databases):
    callers = 8
    engine = databases["gateway"]  # PostgreSQL
    uow = unit_of_work(engine, Base.metadata)
    accounts.create_account(uow, "wang", PASSWORD, COMMITTEE)
    token = accounts.sign_in(uow, "wang", PASSWORD, "127.0.0.1").refresh_token

    def refresh():
        try:
            return accounts.refresh(unit_of_work(engine, Base.metadata), token)
        except PermissionDenied as refused:
            return refused.code

    pool = eventlet.GreenPool(callers)
    results = list(pool.imap(lambda _: refresh(), range(callers)))
    won = [r for r in results if not isinstance(r, str)]
    assert len(won) == 1, results
    assert sorted(r for r in results if isinstance(r, str)) == ["invalid_token"] * (callers - 1)
    with uow:
        (session,) = uow.session.scalars(select(SignInSession))
    assert session.end_reason == "refresh_token_reused"  # the second presentation was a reuse
    with pytest.raises(PermissionDenied):
        accounts.refresh(uow, won[0].refresh_token)
    assert not accounts.session_is_live(uow, session.id)
