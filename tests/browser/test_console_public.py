"""The public pages, read without signing in, in Chinese: the community's notice board (the demo's
adopted resolutions and published minutes) with its JSON still at its address for machines, and the
open contracting data of every tender, each tender as a readable page beside its OCDS downloads."""

from __future__ import annotations

from graphql_relay import to_global_id

from shared.identity import PartyType
from tests.browser.harness import assert_readable, axe_check, screenshot, settled

RESOLUTION = "购买居家养老服务 Purchase home care for the elderly"


def test_the_notice_board_is_a_page_anyone_reads_and_its_json_stays(console, new_page):
    community = to_global_id("Place", console.principals[PartyType.RESIDENTS_COMMITTEE].community_id)
    page = new_page()
    page.goto(f"/board/{community}")
    page.get_by_role("heading", name="社区公告栏", level=1).wait_for()
    notice = page.get_by_test_id("board-notice").filter(has_text=RESOLUTION)
    notice.wait_for()
    assert "决议" in notice.inner_text() and "通过时间" in notice.inner_text()
    assert page.url.endswith(f"/board/{community}"), "no sign-in asked for"
    assert page.get_by_role("button", name="退出登录").count() == 0
    assert_readable(page)
    settled(page)
    axe_check(page, context="the public notice board")
    screenshot(page, "public-notice-board")

    # The JSON the board is made of stays at its address, for machines.
    link = page.get_by_role("link", name="公告数据（JSON）")
    assert link.get_attribute("href") == f"/notices/{community}"
    answer = page.request.get(f"/notices/{community}")
    assert answer.ok and answer.headers["content-type"].startswith("application/json")
    assert RESOLUTION in [n["title"] for n in answer.json()["notices"]]


def test_each_tenders_open_contracting_data_is_a_readable_page_beside_its_downloads(console, new_page):
    page = new_page()
    page.goto("/open-contracting")
    page.get_by_role("heading", name="政府购买服务公开数据", level=1).wait_for()
    row = page.get_by_role("row").filter(has_text=RESOLUTION)
    row.wait_for()
    assert "¥128,000.00" in row.inner_text()
    assert_readable(page)
    settled(page)
    axe_check(page, context="the open contracting list")

    row.get_by_role("link", name=RESOLUTION).click()
    page.get_by_role("heading", name=RESOLUTION, level=1).wait_for()
    page.get_by_text("有效投标单位").wait_for()
    record = page.get_by_role("link", name="下载本项目记录（OCDS JSON）")
    href = record.get_attribute("href")
    assert href and href.startswith("/ocds/records?ocid=")
    answer = page.request.get(href)
    assert answer.ok and answer.json()["records"][0]["compiledRelease"]["tender"]["title"] == RESOLUTION
    assert page.get_by_role("link", name="下载本项目发布（OCDS JSON）").count() == 1
    page.get_by_role("heading", name="授予").wait_for()
    page.get_by_role("heading", name="合同").wait_for()
    assert_readable(page)
    settled(page)
    axe_check(page, context="a tender's open contracting data")
    screenshot(page, "public-open-contracting-tender")
