"""This layer runs the platform's pieces: eventlet patched before anything of it is imported,
and the broker, database and platform fixtures of ``tests.platform_fixtures``; on top of them, the
web console in Debian's Chromium (tests/browser/harness.py).

A journey test asks for ``console`` (the running platform with the demo seeded and an account per
party type) and ``page_as`` (a browser page signed in through the console's form)::

    def test_a_volunteer_accepts_an_offer_on_a_phone(console, page_as):
        page = page_as(PartyType.VOLUNTEER, viewport=PHONE)
        page.get_by_role("link", name="我的邀请").click()
        ...
        axe_check(page)
        screenshot(page, "volunteer-offers")

Every page made by ``page_as`` is checked when the test ends: nothing refused by the page's
Content-Security-Policy, no uncaught script error.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from shared.identity import PartyType, Principal
from tests import platform_fixtures
from tests.browser import harness


def pytest_configure(config):
    platform_fixtures.register(config)


@dataclass(frozen=True)
class Account:
    username: str
    password: str


@dataclass
class ConsoleSite:
    """The running platform as a person reaches it: the console's address and an account per party
    type (the demo's parties, seeded as ./run.sh seeds them); ``platform.rpc`` reaches the services."""

    url: str
    platform: platform_fixtures.Platform
    accounts: dict[PartyType, Account]
    principals: dict[PartyType, Principal]


PASSWORD = "一个测试用的密码 for tests"

# The sign-in form's labels and the shell's sign-out button in each language (console/src/features/
# sign-in, console/src/app/Shell.tsx).
SIGN_IN = {
    "zh-CN": {"username": "用户名", "password": "密码", "language": "中文", "sign-out": "退出登录"},
    "en": {"username": "Username", "password": "Password", "language": "EN", "sign-out": "Sign out"},
}


@pytest.fixture(scope="session")
def chromium():
    harness.skip_or_fail_when_missing()
    browser = harness.Browser()
    yield browser
    browser.close()


@pytest.fixture
def console(chromium, platform) -> ConsoleSite:
    """The platform with the demo community seeded and an account (password ``PASSWORD``) for each
    party type: ``demo-residents-committee``, ``demo-volunteer``, … as ./run.sh prints them."""
    from deploy.seed import seed
    from gateway import accounts
    from gateway.models import Base
    from shared.db import standalone_unit_of_work

    principals = {PartyType(party): Principal.from_dict(p) for party, p in seed(platform.rpc).items()}
    uow = standalone_unit_of_work("gateway", Base.metadata)
    made = {}
    for party, principal in principals.items():
        made[party] = Account(f"demo-{party.value.replace('_', '-')}", PASSWORD)
        accounts.create_account(uow, made[party].username, PASSWORD, principal)
    return ConsoleSite(platform.url.removesuffix("graphql"), platform, made, principals)


@pytest.fixture
def new_page(chromium, console):
    """A page of its own (fresh storage) on the console, not signed in: ``new_page(viewport=PHONE)``."""
    pages = []

    def make(viewport: dict | None = None, language: str = "zh-CN"):
        page = chromium.new_page(console.url, viewport, language)
        pages.append(page)
        return page

    yield make
    for page in pages:
        harness.assert_nothing_refused(page)
        page.context.close()


def sign_in(page, username: str, password: str, language: str = "zh-CN") -> None:
    """Fill and send the sign-in form as a person does, in ``language`` (picked on the form)."""
    labels = SIGN_IN[language]
    if not page.url.rstrip("/").endswith("/sign-in"):
        page.goto("/sign-in")
    if language != "zh-CN":
        page.get_by_text(labels["language"], exact=True).click()
    page.get_by_label(labels["username"]).fill(username)
    page.get_by_label(labels["password"], exact=True).fill(password)
    page.locator("form button[type=submit]").click()


@pytest.fixture
def page_as(console, new_page):
    """``page_as(party, viewport=PHONE, language="en")``: a page signed in through the form as the
    party's account, on its home page with the home page's data loaded."""

    def signed_in(party: PartyType, viewport: dict | None = None, language: str = "zh-CN"):
        page = new_page(viewport, language)
        account = console.accounts[party]
        sign_in(page, account.username, account.password, language)
        # The shell's sign-out button appears once the session has begun (on a phone its text is
        # for screen readers only); then the page's data, once nothing on it is loading.
        page.get_by_role("button", name=SIGN_IN[language]["sign-out"]).wait_for()
        harness.settled(page)
        return page

    return signed_in
