"""Signing in to the web console in Chromium, as each party's people do: in Chinese by default, the
home page with nothing a person cannot read (no id, no ISO time), clean for axe-core, photographed;
English picked in the header and remembered after a reload and in a new tab; a wrong password said
in words on the form."""

from __future__ import annotations

import re

import pytest

from shared.identity import PartyType
from tests.browser.conftest import sign_in
from tests.browser.harness import PHONE, assert_readable, axe_check, screenshot

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_party_signs_in_in_chinese_and_sees_its_home_page(console, page_as):
    inaccessible = []
    for party in PartyType:
        # Volunteers use the console on their phones.
        page = page_as(party, viewport=PHONE if party is PartyType.VOLUNTEER else None)
        assert page.evaluate("document.documentElement.lang") == "zh-CN"
        assert page.locator("form button[type=submit]").count() == 0, f"{party}: still on the sign-in form"
        main = page.get_by_role("main")
        main.first.wait_for()
        assert page.get_by_role("button", name="退出登录").count() == 1, party
        assert page.get_by_text("没有这个页面").count() == 0, f"{party} has no home page"
        text = page.locator("body").inner_text()
        assert len(CJK.findall(text)) > 20, f"{party}'s home page is not in Chinese: {text[:300]}"
        assert "Sign out" not in text and "Loading" not in text, party
        assert_readable(page)
        # The README shows the committee's home page and a volunteer's on a phone.
        shown = party in (PartyType.RESIDENTS_COMMITTEE, PartyType.VOLUNTEER)
        screenshot(page, f"home-{party.value.replace('_', '-')}", readme=shown)
        try:
            axe_check(page, context=f"{party}'s home page")
        except pytest.fail.Exception as violations:  # every party's, not only the first's
            inaccessible.append(str(violations))
        page.context.close()
    assert not inaccessible, "\n".join(inaccessible)


def test_english_picked_in_the_header_is_remembered_after_a_reload_and_in_a_new_tab(console, page_as):
    page = page_as(PartyType.RESIDENTS_COMMITTEE)
    page.get_by_text("EN", exact=True).click()
    sign_out = page.get_by_role("button", name="Sign out")
    sign_out.wait_for()
    assert page.evaluate("document.documentElement.lang") == "en"
    page.reload(wait_until="networkidle")
    sign_out.wait_for()  # still signed in (the tab keeps its session) and still in English
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.get_by_role("button", name="退出登录").count() == 0
    assert_readable(page)
    axe_check(page, context="the committee's home page in English")

    # A new tab of the same browser has no session (each tab signs in) but keeps the language.
    tab = page.context.new_page()
    tab.goto("/")
    tab.get_by_role("heading", name="Sign in to Gongzhi").wait_for()
    assert tab.evaluate("document.documentElement.lang") == "en"
    tab.close()


def test_a_wrong_password_is_said_in_words_and_the_right_one_then_signs_in(console, new_page):
    page = new_page()
    page.goto("/")
    page.get_by_role("heading", name="登录共治平台").wait_for()  # a page that needs a session leads here
    assert page.url.rstrip("/").endswith("/sign-in")
    account = console.accounts[PartyType.STREET_OFFICE]
    sign_in(page, account.username, "not the password")
    alert = page.get_by_role("alert").filter(has_text="用户名或密码错误")
    alert.wait_for()
    assert page.url.rstrip("/").endswith("/sign-in")
    axe_check(page, context="the sign-in form showing its error")

    page.get_by_label("密码", exact=True).fill(account.password)
    page.locator("form button[type=submit]").click()
    page.get_by_role("button", name="退出登录").wait_for()
    assert not page.url.rstrip("/").endswith("/sign-in")


def test_the_sign_in_form_says_what_is_missing_before_asking_the_api(console, new_page):
    page = new_page(viewport=PHONE)
    page.goto("/sign-in")
    page.locator("form button[type=submit]").click()
    page.get_by_text("请输入用户名").wait_for()
    page.get_by_text("请输入密码").wait_for()
    axe_check(page, context="the sign-in form on a phone")
    screenshot(page, "sign-in-phone")
