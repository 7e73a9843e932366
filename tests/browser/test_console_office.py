"""The sub-district office in the web console, in Chinese, through the real platform: it hears the
complaint the demo's runner-up filed against the canteen tender's proposed award and dismisses it
with its reasons; its filings and approvals pages open clean. Every page visited is checked with
axe-core and for ids or ISO strings shown, and photographed in zh-CN."""

from __future__ import annotations

import re

from shared.identity import PartyType
from tests.browser.harness import assert_readable, axe_check, screenshot, settled


def checked(page, name: str) -> None:
    settled(page)
    assert_readable(page)
    axe_check(page, context=name)
    screenshot(page, name)


def test_the_office_hears_a_complaint_and_dismisses_it_with_its_reasons(console, page_as):
    page = page_as(PartyType.STREET_OFFICE)
    page.get_by_role("link", name="投诉处理").first.click()
    page.get_by_role("heading", name="投诉处理", level=1).wait_for()
    complaint = page.locator(".ant-card").filter(has_text="Our price was lower and our kitchen is our own.")
    complaint.wait_for()
    text = complaint.inner_text()
    assert "长者食堂 Canteen for elderly residents" in text and "待处理" in text
    assert "邻里守望互助社" in text and "乐龄社工服务中心" in text  # the complainant and the proposed winner
    assert "¥76,000.00" in text  # the award's value, in words a person reads
    checked(page, "office-complaints")

    # The reasons are asked for before anything is sent.
    complaint.get_by_role("button", name="驳回投诉").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name=re.compile(r"^驳回投诉$")).click()
    dialog.get_by_text("请填写此项").wait_for()
    dialog.get_by_label("处理意见（将告知投诉方和居委会）").fill(
        "评分按公布的规则进行，价格分已计入，投诉理由不成立。"
    )
    dialog.get_by_role("button", name=re.compile(r"^驳回投诉$")).click()
    page.get_by_text("已驳回投诉，定标维持").wait_for()
    page.get_by_text("没有这一类投诉").wait_for()  # nothing left to hear

    page.get_by_text("已驳回", exact=True).click()
    dismissed = page.locator(".ant-card").filter(has_text="Our price was lower and our kitchen is our own.")
    dismissed.get_by_text("投诉理由不成立").wait_for()

    page.get_by_role("link", name="社会组织备案").first.click()
    page.get_by_role("heading", name="社会组织备案", level=1).wait_for()
    page.get_by_text("全部", exact=True).click()
    page.get_by_role("cell", name="乐龄社工服务中心 Leling Social Work Centre").wait_for()
    checked(page, "office-filings")

    page.get_by_role("link", name="合同审批").first.click()
    page.get_by_role("heading", name="合同审批", level=1).wait_for()
    checked(page, "office-approvals")
