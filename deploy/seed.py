"""The demo: a sub-district with one community and compound, and enough history for every view.

Everything goes through the services' RPC and events, as real use would: a
joint meeting resolves to buy a service, the project is drafted from the
event, two organisations bid, the committee awards, the contract follows.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from services.matching.domain import credit_code_check_character
from shared.identity import PartyType, Principal


def credit_code(first17: str) -> str:
    return first17 + credit_code_check_character(first17)


def _next_first_tuesday(after: datetime) -> datetime:
    """14:00 Asia/Shanghai on the next first Tuesday of a month."""
    from zoneinfo import ZoneInfo

    day = after.astimezone(ZoneInfo("Asia/Shanghai")).replace(
        day=1, hour=14, minute=0, second=0, microsecond=0
    )
    while True:
        first_tuesday = day + timedelta(days=(1 - day.weekday()) % 7)
        if first_tuesday > after:
            return first_tuesday
        day = (day + timedelta(days=32)).replace(day=1)


def _wait_for(what: str, probe, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = probe()
        if found:
            return found
        time.sleep(0.2)
    raise RuntimeError(f"the demo waited {timeout:.0f} s for {what}")


@dataclass
class Directory:
    """The demo's parties: a principal for each party type, and a few more records."""

    principals: dict[PartyType, Principal]
    rival: Principal  # the second social organisation
    volunteer_ids: list[str]
    building_ids: dict[str, str]

    def of(self, party_type: PartyType) -> dict:
        return self.principals[party_type].to_dict()


def _rows(page: dict) -> list[dict]:
    """The records of one page a list RPC answered (``shared.paging.Page.to_wire``)."""
    return [edge["node"] for edge in page["edges"]]


def seed_directory(rpc, serial: int = 0) -> Directory:
    """The sub-district, community, compound, organisations and volunteers (operators' commands).

    Another ``serial`` gives another district of the same shape (for tests of isolation)."""
    district = rpc.meetings.register_district(
        {"name": "新华街道 Xinhua Sub-district", "office_name": "新华街道办事处 Xinhua Sub-district Office"}
    )
    community = rpc.meetings.register_community(
        {
            "district_id": district["district_id"],
            "name": "和平社区 Heping Community",
            "committee_name": "和平社区居委会 Heping Residents' Committee",
        }
    )
    compound = rpc.meetings.register_compound(
        {
            "community_id": community["community_id"],
            "name": "临湖花园 Lakeside Garden",
            "owners_committee_name": "临湖花园业主委员会 Lakeside Garden Owners' Committee",
            "property_company_name": "安居物业 Anju Property Services",
        }
    )
    unit = rpc.meetings.register_joint_building_unit(
        {"community_id": community["community_id"], "name": "和平社区医院 Heping Community Hospital"}
    )
    area = {"district_id": district["district_id"], "community_id": community["community_id"]}
    principals = {
        PartyType.STREET_OFFICE: Principal(
            "demo-street-office", PartyType.STREET_OFFICE, district["office_id"], district["district_id"]
        ),
        PartyType.RESIDENTS_COMMITTEE: Principal(
            "demo-committee", PartyType.RESIDENTS_COMMITTEE, community["committee_id"], **area
        ),
        PartyType.OWNERS_COMMITTEE: Principal(
            "demo-owners",
            PartyType.OWNERS_COMMITTEE,
            compound["owners_committee_id"],
            **area,
            compound_id=compound["compound_id"],
        ),
        PartyType.PROPERTY_COMPANY: Principal(
            "demo-property",
            PartyType.PROPERTY_COMPANY,
            compound["property_company_id"],
            **area,
            compound_id=compound["compound_id"],
        ),
        PartyType.JOINT_BUILDING_UNIT: Principal(
            "demo-hospital", PartyType.JOINT_BUILDING_UNIT, unit["id"], **area
        ),
    }
    organisations = [
        rpc.matching.register_organisation(
            {
                "credit_code": credit_code(f"52310000MJ{serial:05d}01"),
                "name": "乐龄社工服务中心 Leling Social Work Centre",
                "legal_form": "private_non_enterprise",
                "categories": ["elderly_care", "community_health"],
                "community_ids": [community["community_id"]],
                "district_id": district["district_id"],
                "staff_count": 24,
                "qualifications": [
                    {
                        "name": "养老服务资质 elderly care licence",
                        "number": "SH-YL-2024-0187",
                        "expires_on": (datetime.now(timezone.utc) + timedelta(days=400)).date().isoformat(),
                    }
                ],
            }
        ),
        rpc.matching.register_organisation(
            {
                "credit_code": credit_code(f"52310000MJ{serial:05d}02"),
                "name": "邻里守望互助社 Neighbourly Watch Society",
                "legal_form": "social_group",
                "categories": ["elderly_care"],
                "community_ids": [community["community_id"]],
                "district_id": district["district_id"],
                "staff_count": 9,
            }
        ),
    ]
    for organisation in organisations:  # the sub-district office reviews the filings
        rpc.matching.review_filing(
            principals[PartyType.STREET_OFFICE].to_dict(),
            {"organisation_id": organisation["id"], "decision": "approve"},
        )
    principals[PartyType.SOCIAL_ORGANISATION] = Principal(
        "demo-organisation", PartyType.SOCIAL_ORGANISATION, organisations[0]["id"]
    )

    # Buildings of the community, metres from its office, and three volunteers with skill levels,
    # a medical licence, weekly availability and (two of them) consent to home visits.
    committee = principals[PartyType.RESIDENTS_COMMITTEE].to_dict()
    buildings = {
        name: rpc.volunteers.add_building(committee, {"name": name, "x": x, "y": y})["id"]
        for name, x, y in (
            ("社区服务中心 Community centre", 0.0, 0.0),
            ("临湖花园 1号楼 Building 1", 250.0, 120.0),
            ("临湖花园 3号楼 Building 3", 420.0, 300.0),
        )
    }
    every_day = [{"weekday": day, "starts": "00:00", "ends": "00:00"} for day in range(7)]
    weekends = [{"weekday": day, "starts": "09:00", "ends": "18:00"} for day in (5, 6)]
    licence_until = (datetime.now(timezone.utc) + timedelta(days=300)).date().isoformat()
    volunteers = [
        rpc.volunteers.enrol_volunteer(community["community_id"], {"name": name, **profile})
        for name, profile in (
            (
                "王芳 Wang Fang",
                {
                    "building_id": buildings["临湖花园 1号楼 Building 1"],
                    "skills": [
                        {"skill": "first_aid", "level": 3},
                        {"skill": "companionship", "level": 2},
                        {"skill": "cleaning", "level": 1},
                    ],
                    "certificates": [
                        {"name": "medical_licence", "number": "HP-2024-0311", "expires_on": licence_until}
                    ],
                    "availability": every_day,
                    "home_visit_consent": True,
                    "identity_verified": True,
                    "weekly_cap_hours": 10,
                },
            ),
            (
                "李强 Li Qiang",
                {
                    "building_id": buildings["社区服务中心 Community centre"],
                    "skills": [{"skill": "appliance_repair", "level": 4}],
                    "availability": weekends,
                },
            ),
            (
                "张敏 Zhang Min",
                {
                    "building_id": buildings["临湖花园 3号楼 Building 3"],
                    "skills": [{"skill": "companionship", "level": 3}, {"skill": "legal_advice", "level": 2}],
                    "availability": every_day,
                    "home_visit_consent": True,
                    "identity_verified": True,
                },
            ),
        )
    ]
    principals[PartyType.VOLUNTEER] = Principal(
        "demo-volunteer", PartyType.VOLUNTEER, volunteers[0]["id"], **area
    )
    rival = Principal("demo-organisation-2", PartyType.SOCIAL_ORGANISATION, organisations[1]["id"])
    return Directory(principals, rival, [v["id"] for v in volunteers], buildings)


def seed(rpc) -> dict[str, dict]:
    """Create the demo through ``rpc`` (a nameko cluster client); return each party's principal."""
    now = datetime.now(timezone.utc)
    demo = seed_directory(rpc)
    committee = demo.of(PartyType.RESIDENTS_COMMITTEE)
    rival = demo.rival.to_dict()

    # A joint meeting last month decided to buy home care for elderly residents living alone.
    meeting = rpc.meetings.schedule_meeting(
        committee,
        {
            "title": "十一月联席会议 November joint meeting",
            "location": "社区议事厅 Community hall",
            "starts_at": (now - timedelta(days=20)).isoformat(),
            "ends_at": (now - timedelta(days=20, hours=-2)).isoformat(),
            # The history is entered now: its agenda stays open while it is.
            "agenda_deadline": (now + timedelta(minutes=10)).isoformat(),
        },
    )
    item = rpc.meetings.submit_agenda_item(
        demo.of(PartyType.OWNERS_COMMITTEE),
        {
            "meeting_id": meeting["id"],
            "title": "独居老人上门照护 Home care for elderly residents living alone",
            "description": "Twelve residents over 80 in Lakeside Garden live alone.",
        },
    )
    core = [committee, demo.of(PartyType.OWNERS_COMMITTEE), demo.of(PartyType.PROPERTY_COMPANY)]
    for party, delegate in zip(
        core, ("刘主任 Director Liu", "陈委员 Member Chen", "赵经理 Manager Zhao"), strict=True
    ):
        rpc.meetings.sign_in_to_meeting(party, {"meeting_id": meeting["id"], "delegate": delegate})
    resolution = rpc.meetings.record_resolution(
        committee,
        {
            "meeting_id": meeting["id"],
            "agenda_item_id": item["id"],
            "title": "购买居家养老服务 Purchase home care for the elderly",
            "text": "The community buys weekly home visits for residents over 80 living alone.",
            "decision_type": "purchase_service",
            "budget": "128000.00",
            "category": "elderly_care",
        },
    )
    for party, stance in zip(core, ("agree", "agree", "abstain"), strict=True):
        rpc.meetings.take_position(party, {"resolution_id": resolution["id"], "stance": stance})
    lighting = rpc.meetings.record_resolution(
        committee,
        {
            "meeting_id": meeting["id"],
            "title": "修复3号楼路灯 Repair the lights of building 3",
            "text": "The property company repairs the broken path lights by building 3.",
            "decision_type": "assign_property_company",
        },
    )
    for party in core:
        rpc.meetings.take_position(party, {"resolution_id": lighting["id"], "stance": "agree"})
    rpc.meetings.assign_action_item(
        committee,
        {
            "resolution_id": lighting["id"],
            "owner_id": demo.principals[PartyType.PROPERTY_COMPANY].party_id,
            "title": "修复3号楼路灯 Repair the lights of building 3",
            "due_at": (now + timedelta(days=10)).isoformat(),
        },
    )
    project = _wait_for(
        "the project drafted from the resolution",
        lambda: next(
            (
                p
                for p in _rows(rpc.matching.list_projects(committee, {"first": 100}))
                if p["source_resolution_id"] == resolution["id"]
            ),
            None,
        ),
    )
    # A demo cannot wait out a standstill period of days: this tender has none. A second one,
    # opened at the same time, is in its standstill with a complaint before the office.
    rpc.matching.change_terms(
        committee, {"project_id": project["id"], "standstill_days": 0, "min_valid_bids": 2}
    )
    asked = time.monotonic()
    canteen = rpc.matching.create_project(
        committee,
        {
            "title": "长者食堂 Canteen for elderly residents",
            "category": "elderly_care",
            "budget": "80000.00",
            "description": "Lunch on weekdays for residents over 70, delivered to those who cannot come.",
            "standstill_days": 5,
        },
    )
    # Six calls must reach the service before the deadline (two publications, four bids): on a busy
    # machine allow for how slowly it answered just now, so the seed never misses its own deadline.
    bidding = max(3.0, 30 * (time.monotonic() - asked))
    deadline = (datetime.now(timezone.utc) + timedelta(seconds=bidding)).isoformat()
    for tender in (project, canteen):
        rpc.matching.publish_project(committee, {"project_id": tender["id"], "bid_deadline": deadline})
    team = {
        "team": "Two licensed social workers and a nurse",
        "timeline": "Weekly from next month, for a year",
    }
    organisation = demo.of(PartyType.SOCIAL_ORGANISATION)
    bids = [
        rpc.matching.submit_bid(bidder, {"project_id": tender["id"], "price": price, "plan": plan, **team})
        for bidder, tender, price, plan in (
            (
                organisation,
                project,
                "118000.00",
                "Two social workers visit each resident weekly; monthly health check with the hospital.",
            ),
            (rival, project, "124500.00", "Volunteer pairs visit weekly under one social worker."),
            (organisation, canteen, "76000.00", "A kitchen partner cooks; volunteers deliver."),
            (rival, canteen, "72000.00", "Our own kitchen; residents help serve."),
        )
    ]
    # The bids stay sealed until the deadline; the timer opens them then.
    _wait_for(
        "the bids to be opened",
        lambda: (
            {p["status"] for p in rpc.matching.get_projects(committee, [project["id"], canteen["id"]])}
            == {"evaluating"}
        ),
        timeout=bidding + 30,
    )
    for bid, plan_quality, experience in zip(bids, (88, 76, 90, 70), (85, 70, 80, 72), strict=True):
        rpc.matching.score_bid(
            committee,
            {
                "project_id": bid["project_id"],
                "bid_id": bid["id"],
                "plan_quality": plan_quality,
                "experience": experience,
            },
        )
    for tender, bid in ((project, bids[0]), (canteen, bids[2])):
        rpc.matching.rank_bids(committee, {"project_id": tender["id"]})
        rpc.matching.award_project(committee, {"project_id": tender["id"], "bid_id": bid["id"]})
    rpc.matching.file_complaint(
        rival, {"project_id": canteen["id"], "grounds": "Our price was lower and our kitchen is our own."}
    )
    (contract,) = _wait_for(
        "the contract drafted from the award",
        lambda: _rows(rpc.contracts.list_contracts(committee, {"first": 100})),
    )
    # The contract is running: terms set, signed by both sides, the first milestone delivered,
    # accepted and paid, and the owners' committee has evaluated the service.
    year = now.year + 1
    rpc.contracts.set_terms(
        committee,
        {
            "contract_id": contract["id"],
            "period_start": f"{year}-01-01",
            "period_end": f"{year}-12-31",
            "deliverables": ["weekly home visits to residents over 80", "a monthly health check"],
            "milestones": [
                {
                    "title": "第一季度 First quarter",
                    "due_on": f"{year}-03-31",
                    "criteria": "every listed resident visited weekly; visit log signed by residents",
                    "share": "25",
                },
                {
                    "title": "年中 Half year",
                    "due_on": f"{year}-06-30",
                    "criteria": "visit logs and the health-check report",
                    "share": "25",
                },
                {
                    "title": "年终 Year end",
                    "due_on": f"{year}-12-31",
                    "criteria": "final report with residents' satisfaction survey",
                    "share": "50",
                    "volunteer_skill": "companionship",
                    "volunteer_places": 2,
                },
            ],
            "compound_ids": [],
        },
    )
    for party in (committee, demo.of(PartyType.SOCIAL_ORGANISATION)):
        rpc.contracts.sign_contract(party, {"contract_id": contract["id"]})
    rpc.contracts.activate_contract(committee, {"contract_id": contract["id"]})
    first = rpc.contracts.list_milestones(committee, [contract["id"]])[0]
    rpc.contracts.deliver_milestone(
        demo.of(PartyType.SOCIAL_ORGANISATION),
        {
            "contract_id": contract["id"],
            "milestone_id": first["id"],
            "evidence": [
                {"kind": "attendance", "count": 46, "note": "residents visited this quarter"},
                {"kind": "document", "reference": "VISIT-LOG-Q1", "note": "signed visit log"},
            ],
        },
    )
    rpc.contracts.decide_milestone(
        committee, {"contract_id": contract["id"], "milestone_id": first["id"], "accept": True}
    )
    rpc.contracts.propose_amendment(
        demo.of(PartyType.SOCIAL_ORGANISATION),
        {
            "contract_id": contract["id"],
            "rationale": "Add the Spring Festival weeks, when families are away, to the period.",
            "period_end": f"{year + 1}-02-28",
        },
    )
    rpc.contracts.evaluate_contract(
        demo.of(PartyType.OWNERS_COMMITTEE),
        {
            "contract_id": contract["id"],
            "scores": {"quality": 5, "timeliness": 4, "attitude": 5, "effect": 4},
            "comment": "The visitors are patient with our elderly neighbours.",
        },
    )

    # Open now: a second project, and this week's next joint meeting.
    next_project = rpc.matching.create_project(
        committee,
        {
            "title": "社区健康讲座 Community health talks",
            "category": "community_health",
            "budget": "36000.00",
            "description": "Monthly talks on chronic disease for residents.",
        },
    )
    rpc.matching.publish_project(
        committee, {"project_id": next_project["id"], "bid_deadline": (now + timedelta(days=14)).isoformat()}
    )
    # The demand list and a resource list: the hospital has claimed the committee's demand.
    demand = rpc.matching.list_entry(
        committee,
        {
            "kind": "demand",
            "title": "老人定期测血压 Regular blood pressure checks for the elderly",
            "category": "community_health",
            "origin": "meeting",
        },
    )
    hospital = demo.of(PartyType.JOINT_BUILDING_UNIT)
    rpc.matching.list_entry(
        hospital,
        {
            "kind": "resource",
            "title": "家庭医生每周二上午 Family doctors every Tuesday morning",
            "category": "community_health",
        },
    )
    rpc.matching.claim_entry(
        hospital, {"entry_id": demand["id"], "note": "Our family doctors can come monthly."}
    )

    # Finding a time for an extra meeting next week: the owners have stated when they are busy.
    next_week = (now + timedelta(days=7)).replace(hour=0, minute=0, second=0, microsecond=0)
    poll = rpc.meetings.propose_meeting_times(
        committee,
        {
            "title": "电梯维保协调会 Lift maintenance meeting",
            "location": "物业办公室 Property office",
            "window_starts_at": next_week.isoformat(),
            "window_ends_at": (next_week + timedelta(days=5)).isoformat(),
            "duration_minutes": 60,
            "optional_party_ids": [demo.principals[PartyType.JOINT_BUILDING_UNIT].party_id],
        },
    )
    rpc.meetings.state_availability(
        demo.of(PartyType.OWNERS_COMMITTEE),
        {
            "poll_id": poll["id"],
            "busy": [
                {
                    "starts_at": (next_week + timedelta(hours=1)).isoformat(),
                    "ends_at": (next_week + timedelta(hours=12)).isoformat(),
                }
            ],
        },
    )

    # The regular joint meeting: the first Tuesday of each month, 14:00, 90 minutes.
    first_tuesday = _next_first_tuesday(now)
    rpc.meetings.create_series(
        committee,
        {
            "title": "月度联席会议 Monthly joint meeting",
            "location": "社区议事厅 Community hall",
            "recurrence": "FREQ=MONTHLY;BYDAY=1TU",
            "first_starts_at": first_tuesday.isoformat(),
            "duration_minutes": 90,
        },
    )

    # Volunteers: a care team led by Zhang Min; a litter clean-up starting now, served by Wang Fang,
    # its hours approved and her points (hours and bags collected) partly spent on eggs; and a
    # companionship visit for an elderly resident living alone, dispatched, which she accepted.
    wang, zhang = demo.volunteer_ids[0], demo.volunteer_ids[2]
    volunteer = demo.of(PartyType.VOLUNTEER)
    team = rpc.volunteers.create_team(
        committee, {"name": "邻里关爱服务队 Neighbourly care team", "leader_id": zhang, "member_ids": [wang]}
    )
    clean_up = rpc.volunteers.open_request(
        committee,
        {
            "title": "社区清洁日 Litter clean-up (bags for eggs)",
            "category": "clean_up",
            "skills": [{"skill": "cleaning", "level": 1}],
            "places": 1,
            "starts_at": (now + timedelta(minutes=10)).isoformat(),
            "ends_at": (now + timedelta(minutes=70)).isoformat(),
            "location": "社区服务中心 Community centre",
            "building_id": demo.building_ids["社区服务中心 Community centre"],
        },
    )
    visit = rpc.volunteers.open_request(
        committee,
        {
            "title": "陪伴独居老人 Companionship visit",
            "category": "companionship",
            "skills": [{"skill": "companionship", "level": 1}],
            "places": 2,
            "starts_at": (now + timedelta(days=2)).isoformat(),
            "ends_at": (now + timedelta(days=2, hours=2)).isoformat(),
            "location": "临湖花园 3号楼 Building 3",
            "building_id": demo.building_ids["临湖花园 3号楼 Building 3"],
            "priority": "elderly_living_alone",
            "home_visit": True,
            "team_id": team["id"],
        },
    )
    dispatched = rpc.volunteers.dispatch(committee, {})
    shifts = {
        offer["request_id"]: rpc.volunteers.respond_to_offer(
            volunteer, {"offer_id": offer["id"], "accept": True}
        )
        for offer in dispatched["offers"]
        if offer["volunteer_id"] == wang and offer["request_id"] in (clean_up["id"], visit["id"])
    }
    cleaned = shifts[clean_up["id"]]
    rpc.volunteers.check_in(volunteer, {"shift_id": cleaned["id"]})
    rpc.volunteers.check_out(volunteer, {"shift_id": cleaned["id"]})
    rpc.volunteers.approve_hours(committee, {"shift_id": cleaned["id"], "approved_minutes": 60})
    rpc.volunteers.credit_activity(
        committee,
        {
            "volunteer_id": wang,
            "activity": "袋垃圾 bags of litter collected",
            "quantity": 3,
            "points_per_unit": 5,
            "request_id": clean_up["id"],
        },
    )
    eggs = rpc.volunteers.add_reward(
        committee, {"name": "鸡蛋十枚 Ten eggs", "kind": "eggs", "points": 20, "stock": 30}
    )
    rpc.volunteers.add_reward(
        committee, {"name": "洗衣液 Laundry detergent", "kind": "daily_goods", "points": 40, "stock": 10}
    )
    rpc.volunteers.redeem_reward(volunteer, {"reward_id": eggs["id"]})

    return {party.value: principal.to_dict() for party, principal in demo.principals.items()}
