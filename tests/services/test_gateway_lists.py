"""Root lists pass the client's page request through to the service's list RPC and show the page it
answers as it is; nested lists stay batched per parent. The domain services are stood in by recording
fakes (tests.gateway_stand_in)."""

from __future__ import annotations

from collections import Counter

from tests.gateway_stand_in import MEETINGS, Recording, agenda, pages, parties


def recording_pages(asked: list[dict]):
    answer = pages(MEETINGS)

    def list_meetings(principal, page=None, ids=None):
        asked.append(page)
        return answer(principal, page, ids)

    return list_meetings


def meetings_service(asked: list[dict], calls: Counter | None = None) -> dict:
    answers = {"list_meetings": recording_pages(asked), "list_agenda": agenda, "get_parties": parties}
    return {"meetings": Recording(calls if calls is not None else Counter(), "meetings", answers)}


def test_the_page_request_reaches_the_service_as_the_client_gave_it(gateway):
    asked: list[dict] = []
    query = (
        '{ meetings(first: 5, after: "c2", orderBy: TITLE_ASC, '
        'filter: {status: "cancelled", startsAfter: "2026-12-01T14:00:00+08:00"}) { edges { node { id } } } }'
    )
    _, answer = gateway({"query": query}, gateway.token(), services=meetings_service(asked))
    assert "errors" not in answer
    assert asked == [
        {
            "first": 5,
            "after": "c2",
            "last": None,
            "before": None,
            "filter": {"status": "cancelled", "starts_after": "2026-12-01T14:00:00+08:00"},
            "order_by": "title",
            "with_total": False,
        }
    ]


def test_the_service_page_and_its_cursors_reach_the_client_as_they_are(gateway):
    asked: list[dict] = []
    services = meetings_service(asked)
    token = gateway.token()
    page = "query($after: String) { meetings(first: 4, after: $after) { edges { cursor node { title } } "
    page += "pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }"
    _, answer = gateway({"query": page}, token, services=services)
    first = answer["data"]["meetings"]
    assert [e["node"]["title"] for e in first["edges"]] == [f"Meeting {i}" for i in range(4)]
    assert [e["cursor"] for e in first["edges"]] == ["c0", "c1", "c2", "c3"]
    assert first["pageInfo"] == {
        "hasNextPage": True,
        "hasPreviousPage": False,
        "startCursor": "c0",
        "endCursor": "c3",
    }
    _, answer = gateway(
        {"query": page, "variables": {"after": first["pageInfo"]["endCursor"]}}, token, services=services
    )
    second = answer["data"]["meetings"]
    assert [e["node"]["title"] for e in second["edges"]] == [f"Meeting {i}" for i in range(4, 8)]
    assert second["pageInfo"]["hasPreviousPage"] is True and asked[-1]["after"] == "c3"


def test_the_total_is_counted_only_when_selected_fragments_included(gateway):
    token = gateway.token()
    cases = {
        "{ meetings { edges { node { id } } } }": False,
        "{ meetings { totalCount } }": True,
        "{ meetings { ...Counted } } fragment Counted on MeetingConnection { totalCount }": True,
        "{ meetings { ... on MeetingConnection { totalCount } } }": True,
        "{ meetings { ...Listed } } fragment Listed on MeetingConnection { edges { node { id } } }": False,
        "{ meetings { totalCount @skip(if: true) edges { node { id } } } }": False,
        "{ meetings { ... @include(if: false) { totalCount } edges { node { id } } } }": False,
    }
    for query, counted in cases.items():
        asked: list[dict] = []
        _, answer = gateway({"query": query}, token, services=meetings_service(asked))
        assert "errors" not in answer, query
        assert asked[0]["with_total"] is counted, query
        if counted:
            assert answer["data"]["meetings"]["totalCount"] == len(MEETINGS)
        else:
            assert "totalCount" not in answer["data"]["meetings"]


def test_backwards_pages_pass_last_and_before(gateway):
    asked: list[dict] = []
    query = '{ meetings(last: 2, before: "c5") { edges { cursor } pageInfo { hasPreviousPage } } }'
    _, answer = gateway({"query": query}, gateway.token(), services=meetings_service(asked))
    assert [e["cursor"] for e in answer["data"]["meetings"]["edges"]] == ["c3", "c4"]
    assert asked[0]["last"] == 2 and asked[0]["before"] == "c5" and asked[0]["first"] is None


def test_nested_lists_stay_batched_and_are_counted_per_parent(gateway):
    calls: Counter = Counter()
    query = "{ meetings(first: 3) { edges { node { agenda(first: 2) { totalCount edges { node { title } } "
    query += "pageInfo { hasNextPage } } } } } }"
    _, answer = gateway({"query": query}, gateway.token(), services=meetings_service([], calls))
    rows = answer["data"]["meetings"]["edges"]
    assert all(r["node"]["agenda"]["totalCount"] == 3 for r in rows)
    assert all(len(r["node"]["agenda"]["edges"]) == 2 for r in rows)
    assert all(r["node"]["agenda"]["pageInfo"]["hasNextPage"] for r in rows)
    assert calls == Counter({"meetings.list_meetings": 1, "meetings.list_agenda": 1})


def test_the_audit_log_pages_in_sql_newest_first(gateway):
    token = gateway.token()
    for _ in range(3):
        gateway({"query": "mutation { rotateCalendarKey { calendarUrl } }"}, token)
    query = (
        'query($after: String) { auditLog(first: 2, after: $after, filter: {action: "rotateCalendarKey"}) '
    )
    query += "{ totalCount edges { node { at action } } pageInfo { hasNextPage endCursor } } }"
    _, answer = gateway({"query": query}, token)
    first = answer["data"]["auditLog"]
    assert first["totalCount"] == 3 and len(first["edges"]) == 2 and first["pageInfo"]["hasNextPage"]
    _, answer = gateway({"query": query, "variables": {"after": first["pageInfo"]["endCursor"]}}, token)
    second = answer["data"]["auditLog"]
    assert len(second["edges"]) == 1 and not second["pageInfo"]["hasNextPage"]
    times = [e["node"]["at"] for e in first["edges"] + second["edges"]]
    assert times == sorted(times, reverse=True)
    _, answer = gateway({"query": query, "variables": {"after": "not-a-cursor"}}, token)
    assert answer["errors"][0]["extensions"]["field"] == "after"
