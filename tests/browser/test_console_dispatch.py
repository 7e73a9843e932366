"""The committee's volunteers, in Chinese: the secretary opens a service request in the console's form
(a required field left empty is said next to it), runs a dispatch and reads why the volunteer was
chosen, said in Chinese, in the round's result and on the request's page; then the books of hours,
points and rewards, and the audit log. The demo's only cleaner is Wang Fang (cleaning level 1, free
every day), so the dispatch offers her the place."""

from __future__ import annotations

import re

from shared.identity import PartyType
from tests.browser.harness import assert_readable, axe_check, screenshot, settled

TITLE = "垃圾分类宣传 Waste sorting morning"
LOCATION = "临湖花园 1号楼 Building 1"
# Ant Design spaces out a button of two Chinese characters ("发 布").
PUBLISH = re.compile(r"^发\s?布$")
DISPATCH = re.compile(r"派\s?单$")


def test_the_committee_opens_a_request_and_sees_why_the_dispatch_chose_a_volunteer(console, page_as):
    page = page_as(PartyType.RESIDENTS_COMMITTEE)
    page.get_by_role("link", name="志愿服务需求").click()
    page.get_by_role("heading", name="志愿服务需求", level=1).wait_for()
    settled(page)
    assert_readable(page)
    axe_check(page, context="the committee's service requests")

    page.get_by_role("button", name="发布需求").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name=PUBLISH).click()
    title = dialog.get_by_label("需求名称")
    # The form says what is missing next to the field, before anything is sent.
    title_item = dialog.locator(".ant-form-item").filter(has=page.get_by_label("需求名称"))
    title_item.get_by_text("请填写此项").wait_for()
    # Checked before a dropdown opens: AntD leaves its closed option list in the page.
    axe_check(page, context="the new service request form, a required field missing")
    title.fill(TITLE)
    dialog.get_by_label("服务类别").click()
    page.locator(".ant-select-item-option").filter(has_text="环境清洁").click()
    dialog.get_by_label("服务地点").fill(LOCATION)
    dialog.get_by_role("button", name=PUBLISH).click()

    page.get_by_role("heading", name=TITLE, level=1).wait_for()
    page.get_by_text("尚未派单").first.wait_for()
    settled(page)
    assert_readable(page)

    page.get_by_role("link", name="返回服务需求列表").click()
    page.get_by_role("row").filter(has_text=TITLE).wait_for()
    page.get_by_role("button", name=DISPATCH).click()
    result = page.get_by_test_id("dispatch-round")
    result.wait_for()
    offered = result.get_by_role("row").filter(has_text=TITLE)
    offered.wait_for()
    text = offered.inner_text()
    assert "王芳" in text, text
    # The dispatch's reasons, said in Chinese: her skill against the one asked, the distance, her
    # recent hours, no building's record.
    for words in ("清洁技能 1 级（要求 1 级以上）", "距服务地点", "近 30 天服务", "综合成本"):
        assert words in text, f"{words!r} not in {text!r}"
    settled(page)
    assert_readable(page)
    axe_check(page, context="the dispatch round's result")
    screenshot(page, "committee-dispatch-result")

    offered.get_by_role("link", name=TITLE).click()
    page.get_by_role("heading", name=TITLE, level=1).wait_for()
    offer = page.get_by_role("row").filter(has_text="王芳")
    offer.get_by_text("待答复", exact=True).wait_for()
    assert "清洁技能 1 级" in offer.get_by_test_id("offer-explanation").inner_text()
    assert "请在" in offer.inner_text() and "前答复" in offer.inner_text()
    settled(page)
    assert_readable(page)
    axe_check(page, context="a service request's offers")
    screenshot(page, "committee-service-request")

    # The books: hours approved by month (the demo's clean-up hour), the points ledger, the rewards.
    page.get_by_role("link", name="志愿时长与积分").click()
    page.get_by_role("heading", name="志愿时长与积分", level=1).wait_for()
    page.get_by_text("借贷平衡").wait_for()
    page.get_by_role("row").filter(has_text="鸡蛋").first.wait_for()
    settled(page)
    assert_readable(page)
    axe_check(page, context="hours, points and rewards")

    # The audit log has the request opened and the dispatch run, in words.
    page.get_by_role("link", name="操作日志").click()
    page.get_by_role("heading", name="操作日志", level=1).wait_for()
    page.get_by_role("row").filter(has_text="发布服务需求").first.wait_for()
    page.get_by_role("row").filter(has_text="派单").first.wait_for()
    settled(page)
    assert_readable(page)
    axe_check(page, context="the audit log")
