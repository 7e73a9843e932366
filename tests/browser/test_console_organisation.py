"""A social organisation bids in the web console, in Chinese, as its staff would: the tender it may bid
for is in its list, a price over the budget is refused next to the field before the API is asked, the
sealed bid goes in and its receipt digest is shown and downloaded as a file; once the deadline passes
and the bids are opened, the kept receipt file is checked against the published digests; then a
milestone of its running contract is delivered with a document by reference. Time is moved past the
deadline (tests.e2e.moving_time), never slept through."""

from __future__ import annotations

import re
from datetime import timedelta

from gql import gql

from shared.identity import PartyType
from tests.browser.harness import assert_readable, axe_check, screenshot, settled
from tests.e2e.moving_time import move_past, moving_clock  # noqa: F401 (the clock fixture)
from tests.helpers import wait_for

TITLE = "社区长者助餐配送 Meal delivery for elderly residents"
CONTRACT = "购买居家养老服务 Purchase home care for the elderly"
MY_BID = gql(
    "{ projects(first: 20) { edges { node { title bids(first: 1) { edges { node { digest } } } } } } }"
)


def publish_tender(console, clock) -> dict:
    """The committee puts a tender out (operators' RPC, as the demo does): bids close in three minutes."""
    committee = console.principals[PartyType.RESIDENTS_COMMITTEE].to_dict()
    rpc = console.platform.rpc
    project = rpc.matching.create_project(
        committee,
        {
            "title": TITLE,
            "category": "elderly_care",
            "budget": "60000.00",
            "description": "每个工作日为行动不便的独居老人送午餐。",
            "standstill_days": 5,
        },
    )
    deadline = clock.now() + timedelta(minutes=3)
    rpc.matching.publish_project(
        committee, {"project_id": project["id"], "bid_deadline": deadline.isoformat()}
    )
    return {"id": project["id"], "deadline": deadline}


def test_an_organisation_bids_keeps_its_receipt_and_finds_it_among_the_opened_digests(
    console, page_as, clock, tmp_path
):
    tender = publish_tender(console, clock)
    page = page_as(PartyType.SOCIAL_ORGANISATION)

    page.get_by_role("link", name="招标项目").first.click()
    page.get_by_role("heading", name="招标项目", level=1).wait_for()
    row = page.get_by_role("row").filter(has_text=TITLE)
    row.wait_for()
    assert "¥60,000.00" in row.inner_text() and "未投标" in row.inner_text()
    assert_readable(page)
    settled(page)
    axe_check(page, context="the organisation's tenders")
    screenshot(page, "organisation-tenders")

    row.get_by_role("link", name=TITLE).click()
    page.get_by_role("heading", name=TITLE, level=1).wait_for()
    price = page.get_by_label("报价")
    # Over the budget: said under the field, and no bid is made.
    price.fill("60000.01")
    page.get_by_label("服务方案").fill("两名社工与一名厨师，每个工作日中午送餐上门，每月回访。")
    page.get_by_label("服务团队").fill("社工两名、厨师一名、志愿者四名")
    page.get_by_label("实施进度").fill("签约后两周内开始送餐，全年不间断")
    page.get_by_role("button", name="提交投标").click()
    page.get_by_text("报价超出预算 ¥60,000.00").wait_for()
    assert page.get_by_test_id("bid-receipt").count() == 0

    price.fill("56800")
    page.get_by_role("button", name="提交投标").click()
    shown = page.get_by_test_id("bid-digest")
    shown.wait_for()
    (mine,) = [
        bid["node"]["digest"]
        for edge in console.platform.client(console.principals[PartyType.SOCIAL_ORGANISATION]).execute(
            MY_BID
        )["projects"]["edges"]
        if edge["node"]["title"] == TITLE
        for bid in edge["node"]["bids"]["edges"]
    ]
    assert shown.inner_text().replace(" ", "") == mine, "the receipt shown is the API's digest"
    receipt = page.get_by_test_id("bid-receipt")
    assert "¥56,800.00" in receipt.inner_text()
    assert_readable(page)
    settled(page)
    axe_check(page, context="the tender with the organisation's receipt")
    screenshot(page, "organisation-bid-receipt")

    with page.expect_download() as downloading:
        page.get_by_role("button", name="下载回执文件").click()
    kept = tmp_path / "receipt.txt"
    downloading.value.save_as(kept)
    text = kept.read_text(encoding="utf-8")
    assert f"SHA-256: {mine}" in text and TITLE in text and "¥56,800.00" in text

    # The deadline passes and the timer opens the bids: the digests are published.
    move_past(clock, tender["deadline"])

    def opened():
        page.reload()
        page.get_by_role("heading", name=TITLE, level=1).wait_for()
        return page.get_by_test_id("receipt-check").count() == 1

    wait_for("the bids to be opened", opened, timeout=30)
    check = page.get_by_test_id("receipt-check")
    check.get_by_text("贵单位的投标摘要在公布的摘要之中").wait_for()
    assert page.get_by_role("button", name="提交投标").count() == 0, "no bid after the opening"
    check.locator("input[type=file]").set_input_files(str(kept))
    check.get_by_role("status").get_by_text(re.compile("在公布的摘要之中")).wait_for()
    # A receipt that is not among them is said to be missing.
    pasted = check.get_by_label("或粘贴回执摘要")
    pasted.fill("0" * 64)
    pasted.press("Enter")
    check.get_by_role("status").get_by_text(re.compile("不在公布的摘要之中")).wait_for()
    assert_readable(page)
    settled(page)
    axe_check(page, context="the receipt checked at the opening")
    screenshot(page, "organisation-opening-check")

    # Its running contract (the demo's home care): the half-year milestone delivered with a document
    # kept by reference.
    page.get_by_role("link", name="服务合同").first.click()
    page.get_by_role("heading", name="服务合同", level=1).wait_for()
    page.get_by_role("link", name=CONTRACT).click()
    page.get_by_role("heading", name=CONTRACT, level=1).wait_for()
    milestone = page.get_by_role("listitem").filter(has_text="年中 Half year")
    milestone.get_by_role("button", name=re.compile(r"^交\s*付$")).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("文件编号").fill("VISIT-LOG-H1")
    dialog.get_by_role("button", name="提交交付").click()
    page.get_by_text("已交付，等待采购方验收").wait_for()
    milestone.get_by_text("待验收", exact=True).wait_for()
    milestone.get_by_text("VISIT-LOG-H1").wait_for()
    dialog.wait_for(state="detached")
    # The new status tag fades in: axe reads colours, so once no transition runs.
    page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")
    assert_readable(page)
    settled(page)
    axe_check(page, context="the organisation's contract with a milestone delivered")
    screenshot(page, "organisation-contract-delivered")
