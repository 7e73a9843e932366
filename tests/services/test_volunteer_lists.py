"""The volunteers service's lists, paged in SQL on PostgreSQL: forwards and backwards give the same
rows in the same order, each filter and order the gateway offers, each party's scope on every page,
cursors that are checked, and the total only when asked."""

from datetime import datetime, timedelta, timezone

import pytest
from nameko.testing.services import worker_factory

from services.volunteers.models import Base
from services.volunteers.service import VolunteersService
from shared.clock import SystemClock
from shared.errors import InvalidInput
from shared.identity import PartyType, Principal
from shared.paging import encode_cursor
from tests.conftest import unit_of_work
from tests.helpers import nodes

RC, OC, VOL = PartyType.RESIDENTS_COMMITTEE, PartyType.OWNERS_COMMITTEE, PartyType.VOLUNTEER
COMMITTEE = Principal("acct-rc", RC, "rc1", "d1", "c1").to_dict()
OTHER_COMMITTEE = Principal("acct-rc2", RC, "rc2", "d1", "c2").to_dict()
OWNERS = Principal("acct-oc", OC, "oc1", "d1", "c1", "k1").to_dict()
START = (datetime.now(timezone.utc) + timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
CATEGORIES = ("free_clinic", "clean_up", "companionship")
PRIORITIES = ("routine", "urgent", "elderly_living_alone")


@pytest.fixture
def service(databases):
    uow = unit_of_work(databases["volunteers"], Base.metadata)
    return worker_factory(VolunteersService, db=uow, clock=SystemClock())


def open_request(service, party: dict, title: str, hours_from_start: int, index: int, **extra) -> dict:
    starts_at = START + timedelta(hours=hours_from_start)
    return service.open_request(
        party,
        {
            "title": title,
            "skills": [{"skill": "companionship", "level": 1}],
            "places": 1,
            "starts_at": starts_at.isoformat(),
            "ends_at": (starts_at + timedelta(hours=2)).isoformat(),
            "location": "Hall",
            "category": CATEGORIES[index % 3],
            "priority": PRIORITIES[index % 3],
            **extra,
        },
    )


@pytest.fixture
def requests(service):
    """Nine requests of community c1 (three at the same start, so that ids break ties) and four of
    c2; the owners' committee's building holds two of c1's."""
    building = service.add_building(OWNERS, {"name": "K1-3", "x": 0.0, "y": 0.0})
    ours = [open_request(service, COMMITTEE, f"R{i}", [5, 1, 3, 3, 8, 3, 2, 7, 6][i], i) for i in range(9)]
    ours += [open_request(service, OWNERS, f"O{i}", 4 + i, i, building_id=building["id"]) for i in range(2)]
    theirs = [open_request(service, OTHER_COMMITTEE, f"T{i}", i, i) for i in range(4)]
    return ours, theirs


def forwards(call, size: int, **page) -> list[dict]:
    """Every row, page by page with first/after; each page no larger than asked."""
    rows, after = [], None
    while True:
        answer = call({"first": size, "after": after, **page})
        assert len(answer["edges"]) <= size
        rows += nodes(answer)
        if not answer["page_info"]["has_next_page"]:
            return rows
        after = answer["page_info"]["end_cursor"]


def backwards(call, size: int, **page) -> list[dict]:
    rows, before = [], None
    while True:
        answer = call({"last": size, "before": before, **page})
        rows = nodes(answer) + rows
        if not answer["page_info"]["has_previous_page"]:
            return rows
        before = answer["page_info"]["start_cursor"]


def ids(rows: list[dict]) -> list[str]:
    return [r["id"] for r in rows]


def test_forwards_and_backwards_give_the_same_rows_in_the_same_order(service, requests):
    ours, _ = requests
    listed = lambda page: service.list_requests(COMMITTEE, page=page)  # noqa: E731
    for order in ("starts_at", "-starts_at"):
        ahead = forwards(listed, 2, order_by=order)
        assert ahead == backwards(listed, 3, order_by=order) == forwards(listed, 4, order_by=order)
        assert sorted(ids(ahead)) == sorted(ids(ours))
        # By start either way, equal starts (three share one) by id: every order is total.
        key = [(datetime.fromisoformat(r["starts_at"]), r["id"]) for r in ahead]
        if order == "starts_at":
            assert key == sorted(key)
        else:
            assert key == sorted(key, key=lambda k: (-k[0].timestamp(), k[1]))
    assert forwards(listed, 5) == forwards(listed, 5, order_by="starts_at")  # the gateway's default


def test_each_filter_narrows_in_sql(service, requests):
    ours, _ = requests
    listed = lambda page: service.list_requests(COMMITTEE, page=page)  # noqa: E731
    for name, values in (("category", CATEGORIES), ("priority", PRIORITIES)):
        for value in values:
            found = forwards(listed, 3, filter={name: value})
            assert sorted(ids(found)) == sorted(r["id"] for r in ours if r[name] == value)
    assert forwards(listed, 3, filter={"status": "draft"}) == []
    assert len(forwards(listed, 3, filter={"status": "open"})) == len(ours)
    bound = START + timedelta(hours=5)
    later = forwards(listed, 3, filter={"starts_after": bound.isoformat()})
    assert sorted(ids(later)) == sorted(r["id"] for r in ours if r["starts_at"] >= bound.isoformat())
    with pytest.raises(InvalidInput) as refused:
        listed({"filter": {"colour": "red"}})
    assert refused.value.errors[0]["field"] == "filter.colour"
    with pytest.raises(InvalidInput) as refused:
        listed({"order_by": "title"})
    assert refused.value.errors[0]["field"] == "order_by"


def test_a_party_never_pages_into_another_partys_rows(service, requests):
    ours, theirs = requests
    for party, expected in (
        (COMMITTEE, ours),
        (OTHER_COMMITTEE, theirs),
        (OWNERS, [r for r in ours if r["title"].startswith("O")]),
    ):
        listed = lambda page, party=party: service.list_requests(party, page=page)  # noqa: E731
        for order in ("starts_at", "-starts_at"):
            assert sorted(ids(forwards(listed, 2, order_by=order))) == sorted(ids(expected))
            assert sorted(ids(backwards(listed, 2, order_by=order))) == sorted(ids(expected))
    # A cursor of one party's page shows another party nothing of its own rows either.
    cursor = service.list_requests(COMMITTEE, page={"first": 1})["page_info"]["end_cursor"]
    assert set(
        ids(nodes(service.list_requests(OTHER_COMMITTEE, page={"first": 50, "after": cursor})))
    ) <= set(ids(theirs))
    # Loaders' lookups by id stay within the scope too.
    assert ids(service.list_requests(OTHER_COMMITTEE, ids=[ours[0]["id"]])) == []
    assert ids(service.list_requests(COMMITTEE, ids=[ours[0]["id"]])) == [ours[0]["id"]]


def test_a_tampered_or_foreign_cursor_is_refused_naming_where_it_came(service, requests):
    page = service.list_requests(COMMITTEE, page={"first": 2})
    cursor = page["page_info"]["end_cursor"]
    wrong_kind = encode_cursor("starts_at", [5, "an id"])  # well formed, but not an instant
    for bad in (cursor[:-3] + "xyz", "not a cursor", wrong_kind):
        with pytest.raises(InvalidInput) as refused:
            service.list_requests(COMMITTEE, page={"first": 2, "after": bad})
        assert refused.value.errors[0]["field"] == "after"
    # A cursor of the other order, or of another list, is not one of this list in this order.
    with pytest.raises(InvalidInput) as refused:
        service.list_requests(COMMITTEE, page={"first": 2, "after": cursor, "order_by": "-starts_at"})
    assert refused.value.errors[0]["field"] == "after"
    team_cursor = service.list_buildings(COMMITTEE, page={"first": 1})["page_info"]["end_cursor"]
    with pytest.raises(InvalidInput) as refused:
        service.list_requests(COMMITTEE, page={"first": 2, "after": team_cursor})
    assert refused.value.errors[0]["field"] == "after"
    with pytest.raises(InvalidInput) as refused:
        service.list_requests(COMMITTEE, page={"last": 2, "before": cursor[:-3] + "xyz"})
    assert refused.value.errors[0]["field"] == "before"


def test_the_total_only_when_asked_and_the_first_page_without_a_request(service, requests):
    ours, _ = requests
    assert service.list_requests(COMMITTEE, page={"first": 2})["total_count"] is None
    assert service.list_requests(COMMITTEE, page={"first": 2, "with_total": True})["total_count"] == len(ours)
    first = service.list_requests(COMMITTEE)
    assert len(first["edges"]) == min(len(ours), 20) and first["page_info"]["has_previous_page"] is False


def test_the_registry_teams_rewards_and_redemptions_page_too(service):
    names = ["Wu", "Li", "Zhang", "An", "Zhao"]
    people = {
        n: service.register_volunteer(
            COMMITTEE, {"name": n, "skills": [{"skill": "first_aid" if i % 2 else "repair", "level": 2}]}
        )
        for i, n in enumerate(names)
    }
    service.register_volunteer(
        OTHER_COMMITTEE, {"name": "Aa", "skills": [{"skill": "first_aid", "level": 1}]}
    )
    volunteers = lambda page: service.list_volunteers(COMMITTEE, page=page)  # noqa: E731
    assert [v["name"] for v in forwards(volunteers, 2)] == sorted(names)
    assert backwards(volunteers, 2) == forwards(volunteers, 2)
    medics = forwards(volunteers, 1, filter={"skill": "first_aid"})
    assert [v["name"] for v in medics] == sorted(n for i, n in enumerate(names) if i % 2)
    assert forwards(volunteers, 2, filter={"skill": "juggling"}) == []
    assert all(v["points_balance"] == 0 and v["team_ids"] == [] for v in forwards(volunteers, 3))

    for name in ("Blue", "Amber", "Cyan"):
        service.create_team(COMMITTEE, {"name": name, "leader_id": people["Wu"]["id"]})
    assert [t["name"] for t in forwards(lambda p: service.list_teams(COMMITTEE, page=p), 2)] == [
        "Amber",
        "Blue",
        "Cyan",
    ]
    assert nodes(service.list_teams(OTHER_COMMITTEE)) == []

    for name, points in (("Soap", 30), ("Eggs", 10), ("Rice", 10)):
        service.add_reward(COMMITTEE, {"name": name, "kind": "daily_goods", "points": points, "stock": 5})
    rewards = forwards(lambda p: service.list_rewards(COMMITTEE, page=p), 2)
    assert [r["name"] for r in rewards] == ["Eggs", "Rice", "Soap"]
    assert ids(service.list_rewards(OTHER_COMMITTEE, ids=ids(rewards))) == []
    assert nodes(service.list_redemptions(COMMITTEE)) == []

    with pytest.raises(InvalidInput) as refused:
        volunteers({"filter": {"skill": 'first"aid'}})
    assert refused.value.errors[0]["field"] == "filter.skill"


def test_offers_and_shifts_page_with_their_status_filter(service):
    every_day = [{"weekday": d, "starts": "00:00", "ends": "00:00"} for d in range(7)]
    people = [
        service.register_volunteer(
            COMMITTEE,
            {
                "name": name,
                "skills": [{"skill": "companionship", "level": 1}],
                "availability": every_day,
                "weekly_cap_hours": 40,
            },
        )
        for name in ("Wang", "Li", "Zhang")
    ]
    asked = [open_request(service, COMMITTEE, f"Visit {i}", 2 * i, 0) for i in range(3)]
    service.dispatch(COMMITTEE, {})
    offers = lambda page, party=COMMITTEE: service.list_offers(party, page=page)  # noqa: E731
    made = forwards(offers, 2)
    assert len(made) == 3 and backwards(offers, 2) == made
    assert [o["status"] for o in forwards(offers, 2, filter={"status": "offered"})] == ["offered"] * 3
    mine = as_volunteer(people[0])
    (own,) = forwards(lambda page: offers(page, mine), 2)
    assert own["volunteer_id"] == people[0]["id"]
    assert ids(service.list_offers(COMMITTEE, request_ids=[own["request_id"]])) == [own["id"]]
    assert nodes(service.list_offers(OTHER_COMMITTEE)) == []

    service.respond_to_offer(mine, {"offer_id": own["id"], "accept": True})
    assert [o["id"] for o in forwards(offers, 1, filter={"status": "accepted"})] == [own["id"]]
    shifts = lambda page: service.list_shifts(COMMITTEE, page=page)  # noqa: E731
    (booked,) = forwards(shifts, 1, filter={"status": "booked"})
    assert (
        booked["volunteer_id"] == people[0]["id"] and forwards(shifts, 1, filter={"status": "approved"}) == []
    )
    assert ids(service.list_shifts(COMMITTEE, request_ids=[r["id"] for r in asked])) == [booked["id"]]
    assert nodes(service.list_shifts(OTHER_COMMITTEE)) == []


def as_volunteer(volunteer: dict) -> dict:
    return Principal(
        f"acct-{volunteer['id']}", VOL, volunteer["id"], "d1", volunteer["community_id"]
    ).to_dict()
