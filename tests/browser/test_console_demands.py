"""Demand and resource lists, in Chinese: the committee has listed a demand; the joint-building unit
(the demo's community hospital) finds it on the demand list, claims it with a note, and the
committee confirms the claim (a match). The unit then answers the meeting time poll it is invited
to (the demo's lift maintenance meeting) saying every time suits it."""

from __future__ import annotations

import re

from shared.identity import PartyType
from tests.browser.harness import assert_readable, axe_check, screenshot, settled

DEMAND = "社区义诊进楼栋 A free clinic in each building"
HOSPITAL = "和平社区医院"
NOTE = "每月第一个周六上午，派两名全科医生。"
# Ant Design spaces out a button of two Chinese characters ("认 领").
CLAIM = re.compile(r"^认\s?领$")


def list_a_demand(console) -> None:
    committee = console.principals[PartyType.RESIDENTS_COMMITTEE].to_dict()
    console.platform.rpc.matching.list_entry(
        committee,
        {
            "kind": "demand",
            "title": DEMAND,
            "category": "community_health",
            "description": "Elderly residents ask for check-ups without going out.",
        },
    )


def test_a_joint_building_unit_claims_a_demand_and_the_committee_confirms_it(console, page_as):
    list_a_demand(console)
    unit = page_as(PartyType.JOINT_BUILDING_UNIT)
    unit.get_by_role("link", name="需求与资源清单").click()
    unit.get_by_role("heading", name="需求与资源清单", level=1).wait_for()
    row = unit.get_by_role("row").filter(has_text=DEMAND)
    row.wait_for()
    assert "待认领" in row.inner_text() and "社区卫生" in row.inner_text()
    settled(unit)
    assert_readable(unit)
    axe_check(unit, context="the demand list, as a joint-building unit")
    screenshot(unit, "joint-building-unit-lists")

    row.get_by_role("link", name=DEMAND).click()
    unit.get_by_role("heading", name=DEMAND, level=1).wait_for()
    unit.get_by_label("认领说明").fill(NOTE)
    unit.get_by_role("button", name=CLAIM).click()
    unit.get_by_text("已认领，等待发布方确认").wait_for()
    claim = unit.get_by_test_id("claim").filter(has_text=HOSPITAL)
    claim.get_by_text("待确认", exact=True).wait_for()
    assert NOTE in claim.inner_text()
    # Claimed once: the form is gone.
    assert unit.get_by_role("button", name=CLAIM).count() == 0
    settled(unit)
    assert_readable(unit)
    axe_check(unit, context="a demand claimed")

    committee = page_as(PartyType.RESIDENTS_COMMITTEE)
    committee.get_by_role("link", name="需求与资源清单").click()
    committee.get_by_role("row").filter(has_text=DEMAND).get_by_role("link", name=DEMAND).click()
    committee.get_by_role("heading", name=DEMAND, level=1).wait_for()
    theirs = committee.get_by_test_id("claim").filter(has_text=HOSPITAL)
    theirs.get_by_role("button", name="确认对接").click()
    theirs.get_by_text("已确认", exact=True).wait_for()
    committee.get_by_text("已对接", exact=True).wait_for()
    settled(committee)
    assert_readable(committee)
    axe_check(committee, context="a claim confirmed")

    # The meeting time poll the unit is invited to.
    unit.get_by_role("link", name="会议时间征询").click()
    unit.get_by_role("heading", name="会议时间征询", level=1).wait_for()
    poll = unit.locator(".ant-card").filter(has_text="电梯维保协调会")
    poll.get_by_text("未答复", exact=True).wait_for()
    settled(unit)
    assert_readable(unit)
    axe_check(unit, context="the unit's meeting time polls")
    poll.get_by_role("button", name="以上时间都方便").click()
    poll.get_by_text("已答复", exact=True).wait_for()
    screenshot(unit, "joint-building-unit-polls")
