"""A volunteer on a phone (375 × 812) answers an offer and checks in, in Chinese: the committee offers
her a place on a clean-up starting in twenty minutes (check-in opens thirty minutes before the start,
so it is open now: no clock to move); she opens the menu, accepts the offer, goes to her shifts and
checks in. Every page fits the phone's width and its buttons are large enough for a thumb. (Ant Design
spaces a two-character Chinese button's label, '接 受': the names are matched with that space.)"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from shared.identity import PartyType
from tests.browser.harness import PHONE, assert_readable, axe_check, screenshot, settled

TITLE = "楼道清洁 Stairwell clean-up"


def offer_a_place(console) -> None:
    """The committee opens a request starting in twenty minutes and offers its place to the demo
    volunteer (Wang Fang, who can clean) by hand, as it may when the dispatch rules allow."""
    committee = console.principals[PartyType.RESIDENTS_COMMITTEE].to_dict()
    volunteer_id = console.principals[PartyType.VOLUNTEER].party_id
    rpc = console.platform.rpc
    starts = datetime.now(timezone.utc) + timedelta(minutes=20)
    request = rpc.volunteers.open_request(
        committee,
        {
            "title": TITLE,
            "category": "clean_up",
            "skills": [{"skill": "cleaning", "level": 1}],
            "places": 1,
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=1)).isoformat(),
            "location": "临湖花园 1号楼 Building 1",
        },
    )
    rpc.volunteers.assign_volunteer(committee, {"request_id": request["id"], "volunteer_id": volunteer_id})


def fits_the_phone(page) -> None:
    """Nothing wider than the screen: the page never scrolls sideways."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow} px wider than the phone"


def open_menu_entry(page, name: str) -> None:
    page.get_by_role("button", name="打开菜单").click()
    page.get_by_role("link", name=name).click()
    page.get_by_role("heading", name=name, level=1).wait_for()


def test_a_volunteer_on_a_phone_accepts_an_offer_and_checks_in(console, page_as):
    offer_a_place(console)
    page = page_as(PartyType.VOLUNTEER, viewport=PHONE)

    open_menu_entry(page, "服务邀请")
    card = page.get_by_test_id("offer").filter(has_text=TITLE)
    card.wait_for()
    assert "请在" in card.inner_text() and "前答复" in card.inner_text()
    accept = card.get_by_role("button", name=re.compile(r"^接\s*受$"))
    box = accept.bounding_box()
    assert box and box["height"] >= 40 and box["width"] >= 300, f"a thumb needs a large button: {box}"
    fits_the_phone(page)
    assert_readable(page)
    settled(page)
    axe_check(page, context="the volunteer's offers on a phone")
    screenshot(page, "volunteer-offers-phone")

    accept.click()
    page.get_by_text("已接受，请按时签到").wait_for()
    card.wait_for(state="detached")  # answered: no longer among the offers to answer

    open_menu_entry(page, "我的班次")
    shift = page.get_by_test_id("shift").filter(has_text=TITLE)
    shift.get_by_text("待签到", exact=True).wait_for()
    check_in = shift.get_by_role("button", name=re.compile(r"^签\s*到$"))
    box = check_in.bounding_box()
    assert box and box["height"] >= 40, box
    fits_the_phone(page)
    settled(page)
    axe_check(page, context="the volunteer's shifts on a phone")
    check_in.click()
    shift.get_by_text("服务中", exact=True).wait_for()
    shift.get_by_text("签到：").wait_for()
    shift.get_by_role("button", name=re.compile(r"^签\s*退$")).wait_for()
    fits_the_phone(page)
    assert_readable(page)
    settled(page)
    axe_check(page, context="the shift checked in")
    screenshot(page, "volunteer-shift-checked-in-phone")

    open_menu_entry(page, "服务时长")
    page.get_by_text("累计服务时长").wait_for()
    fits_the_phone(page)
    assert_readable(page)
    settled(page)
    axe_check(page, context="the volunteer's hours on a phone")

    # Her points and the rewards shop, from the demo's history: 25 points earned, 20 spent on eggs.
    open_menu_entry(page, "我的积分")
    page.get_by_text("积分余额").wait_for()
    fits_the_phone(page)
    assert_readable(page)
    settled(page)
    axe_check(page, context="the volunteer's points on a phone")
    open_menu_entry(page, "积分兑换")
    page.get_by_test_id("reward").first.wait_for()
    fits_the_phone(page)
    assert_readable(page)
    settled(page)
    axe_check(page, context="the rewards shop on a phone")
