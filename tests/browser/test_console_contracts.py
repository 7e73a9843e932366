"""The residents' committee follows a purchased-service contract in the web console, in Chinese: the
demo's running contract (its first milestone accepted and paid) is in the committee's list; the
provider delivers the next milestone with its evidence (through the API, as its own pages do); the
committee opens the contract, sees the evidence, the pending amendment beside the terms in force and
the owners' evaluation, and accepts the milestone: its payment is recorded. The page is checked with
axe-core and for ids or ISO strings shown, and photographed in zh-CN."""

from __future__ import annotations

from shared.identity import PartyType
from tests.browser.harness import assert_readable, axe_check, screenshot, settled
from tests.helpers import wait_for

VALUE = "¥118,000.00"  # the demo's running contract (deploy/seed.py): the awarded bid's price
DUE = "年中 Half year"


def deliver_half_year(console) -> None:
    """The provider delivers the second milestone with a document and an attendance count."""
    provider = console.principals[PartyType.SOCIAL_ORGANISATION].to_dict()
    rpc = console.platform.rpc
    (contract,) = [
        c
        for c in (edge["node"] for edge in rpc.contracts.list_contracts(provider, {"first": 100})["edges"])
        if c["status"] == "active"
    ]
    milestones = rpc.contracts.list_milestones(provider, [contract["id"]])
    (half_year,) = [m for m in milestones if m["title"] == DUE]
    rpc.contracts.deliver_milestone(
        provider,
        {
            "contract_id": contract["id"],
            "milestone_id": half_year["id"],
            "evidence": [
                {"kind": "document", "reference": "HEALTH-CHECK-H1", "note": "上半年体检报告"},
                {"kind": "attendance", "count": 52, "note": "上半年探访人次"},
            ],
        },
    )


def test_the_committee_accepts_a_delivered_milestone_beside_its_evidence(console, page_as):
    deliver_half_year(console)
    page = page_as(PartyType.RESIDENTS_COMMITTEE)

    page.get_by_role("link", name="服务合同").first.click()
    page.get_by_role("heading", name="服务合同", level=1).wait_for()
    page.get_by_role("heading", name="预算执行").wait_for()
    row = page.get_by_role("row").filter(has_text=VALUE)
    row.wait_for()
    assert "履行中" in row.inner_text() and "1/3 已验收" in row.inner_text()
    settled(page)
    assert_readable(page)
    axe_check(page, context="the committee's contracts")

    row.get_by_role("link").click()
    page.get_by_role("heading", name="里程碑与验收").wait_for()
    milestone = page.get_by_role("listitem", name=DUE)
    milestone.get_by_text("HEALTH-CHECK-H1").wait_for()
    assert "52 人次" in milestone.inner_text() and "待验收" in milestone.inner_text()
    assert "¥29,500.00" in milestone.inner_text(), "a quarter of ¥118,000.00"
    # The seeded amendment moves the period's end: shown beside the end in force.
    amendment = page.get_by_role("region", name="第 1 号变更")
    assert "现行条款" in amendment.inner_text() and "变更后" in amendment.inner_text()
    assert "服务期结束" in amendment.inner_text()
    assert page.get_by_role("region", name="第 0 号变更").count() == 0, "the original terms are no amendment"
    page.get_by_text("The visitors are patient with our elderly neighbours.").wait_for()
    settled(page)
    assert_readable(page)
    axe_check(page, context="a contract with a milestone to accept")
    screenshot(page, "committee-contract")

    milestone.get_by_role("button", name="验收通过").click()
    page.get_by_text(f"“{DUE}”已验收，付款已记录").wait_for()

    def paid():
        return "已验收" in milestone.inner_text() and "已付款 ¥29,500.00" in milestone.inner_text()

    wait_for("the acceptance and its payment shown", paid, timeout=15)
    assert page.get_by_role("row").filter(has_text=DUE).filter(has_text="¥29,500.00").count() == 1
    assert milestone.get_by_role("button", name="验收通过").count() == 0
    assert_readable(page)
    axe_check(page, context="the milestone accepted")


def test_the_owners_committee_evaluates_once_a_month_and_the_office_reads_the_budget(console, page_as):
    owners = page_as(PartyType.OWNERS_COMMITTEE)
    owners.get_by_role("link", name="服务合同").first.click()
    owners.get_by_role("heading", name="服务合同", level=1).wait_for()
    assert owners.get_by_role("heading", name="预算执行").count() == 0, "the budget is the purchasers'"
    row = owners.get_by_role("row").filter(has_text=VALUE)
    row.get_by_role("link").click()
    owners.get_by_role("heading", name="居民评议").wait_for()
    assert owners.get_by_role("button", name="验收通过").count() == 0, "the purchaser accepts, not the owners"
    assert owners.get_by_role("button", name="签署变更").count() == 0
    # The demo's owners' committee has evaluated this month already: the API's refusal is said in words.
    for dimension in ("服务质量", "及时性", "服务态度", "服务效果"):
        owners.get_by_label(dimension, exact=True).get_by_role("radio").nth(3).click()
    owners.get_by_role("button", name="提交评议").click()
    owners.get_by_role("alert").get_by_text("本月您已评价过该合同").wait_for()
    settled(owners)
    assert_readable(owners)
    axe_check(owners, context="the owners' committee's view of a contract")
    screenshot(owners, "owners-committee-contract")

    office = page_as(PartyType.STREET_OFFICE)
    office.get_by_role("link", name="服务合同").first.click()
    office.get_by_role("heading", name="预算执行").wait_for()
    office.get_by_role("row").filter(has_text=VALUE).wait_for()
    office.get_by_role("link", name="合同审批").first.wait_for()
    settled(office)
    assert_readable(office)
    axe_check(office, context="the office's contracts and budget")
    screenshot(office, "office-contracts")
