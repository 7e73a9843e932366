"""Metrics and probes after a flow through the gateway: a resolution drafts a project (an event
each of two consumers handles), the committee publishes it and an organisation bids, all through
GraphQL; then ``/metrics`` is scraped, as Prometheus would, and the counts moved: the GraphQL
requests by operation, party type and outcome, the RPC calls, the events handled and the bids
submitted. An operation name that is not a short identifier (10 kB, or odd characters) is counted
as ``other``, never as itself. ``/health/live`` and ``/health/ready`` answer on the same address."""

from __future__ import annotations

import re

import requests
from gql import gql
from prometheus_client.parser import text_string_to_metric_families

from shared import readiness
from tests.e2e.test_tender_flow import PUBLISH, parties, resolution_drafts_a_project  # noqa: F401
from tests.helpers import wait_for

NAMED_BID = gql("""
mutation SubmitTenderBid($input: SubmitBidInput!) {
  submitBid(input: $input) { bid { id } errors { field code message } }
}""")

Samples = dict[tuple[str, frozenset], float]


def scrape(platform) -> Samples:
    answer = requests.get(platform.url.removesuffix("/graphql") + "/metrics", timeout=10)
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("text/plain")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(answer.text)
        for sample in family.samples
    }


def total(samples: Samples, name: str, **labels: str) -> float:
    """The sum of ``name``'s samples whose labels include ``labels``."""
    wanted = set(labels.items())
    return sum(value for (sample, given), value in samples.items() if sample == name and wanted <= given)


def moved(before: Samples, after: Samples, name: str, **labels: str) -> float:
    return total(after, name, **labels) - total(before, name, **labels)


def test_a_flow_through_the_gateway_moves_the_counts_prometheus_scrapes(platform, parties):  # noqa: F811
    before = scrape(platform)

    project = resolution_drafts_a_project(parties)
    published = parties["committee"].execute(
        PUBLISH,
        variable_values={"input": {"projectId": project["id"], "bidDeadline": "2099-01-01T00:00:00+00:00"}},
    )["publishProject"]
    assert published["errors"] == []
    submitted = parties["winner"].execute(
        NAMED_BID,
        variable_values={
            "input": {
                "projectId": project["id"],
                "price": "48000.00",
                "plan": "Weekly visits",
                "team": "two social workers",
                "timeline": "from January",
            }
        },
    )["submitBid"]
    assert submitted["errors"] == []

    # Operation names that are not names: 10 kB of one, and one with odd characters.
    for name in ("x" * 10_000, "Bid'; DROP TABLE bids --", "名字"):
        refused = requests.post(
            platform.url, json={"query": "query Q { __typename }", "operationName": name}, timeout=30
        )
        assert refused.status_code == 200 and refused.json()["errors"]

    after = wait_for(
        "both consumers of the resolution to be counted",
        lambda: (
            (found := scrape(platform))
            and moved(
                before, found, "gongzhi_events_handled_total", event_type="resolution.adopted", outcome="ok"
            )
            >= 2
            and found
        ),
    )

    bid = {"operation": "SubmitTenderBid", "party_type": "social_organisation", "outcome": "ok"}
    assert moved(before, after, "gongzhi_graphql_requests_total", **bid) == 1
    assert moved(before, after, "gongzhi_graphql_request_seconds_count", **bid) == 1
    # gql sends the other documents without a name: anonymous, each party type by its own.
    assert moved(before, after, "gongzhi_graphql_requests_total", operation="anonymous", outcome="ok") >= 10
    assert (
        moved(
            before,
            after,
            "gongzhi_graphql_requests_total",
            operation="anonymous",
            party_type="owners_committee",
            outcome="ok",
        )
        >= 3
    )
    assert (
        moved(before, after, "gongzhi_rpc_calls_handled_total", service="matching", method="submit_bid") == 1
    )
    assert (
        moved(before, after, "gongzhi_rpc_call_seconds_count", service="matching", method="submit_bid") == 1
    )
    assert (
        moved(
            before,
            after,
            "gongzhi_events_handled_total",
            consumer="matching.draft_project_from_resolution",
            event_type="resolution.adopted",
            outcome="ok",
        )
        == 1
    )
    assert moved(before, after, "gongzhi_events_published_total", event_type="resolution.adopted") >= 1
    assert moved(before, after, "gongzhi_bids_submitted_total") == 1

    # Bounded labels: the three odd names are one "other" series, rejected before anything ran.
    assert moved(before, after, "gongzhi_graphql_requests_total", operation="other", outcome="rejected") == 3
    operations = {
        dict(labels)["operation"] for name, labels in after if name == "gongzhi_graphql_requests_total"
    }
    assert all(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,63}", op) for op in operations), operations
    assert not any("x" * 65 in op or "DROP" in op for op in operations)
    # The outbox gauges are measured for every service of the process when scraped.
    for service in ("meetings", "matching", "volunteers", "contracts"):
        assert ("gongzhi_outbox_unsent", frozenset({("service", service)})) in after


def test_the_gateway_answers_the_probes_on_its_address(platform):
    base = platform.url.removesuffix("/graphql")
    assert requests.get(f"{base}/health/live", timeout=10).status_code == 200
    readiness.mark(True)  # deploy.serve marks it once every service started; the fixture does not
    try:
        answer = requests.get(f"{base}/health/ready", timeout=10)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert body["ready"] is True and body["failing"] == []
        assert set(body["checks"]) == {"started", "database", "broker", "outbox"}
        assert all(check["ok"] for check in body["checks"].values())
    finally:
        readiness.mark(False)
    answer = requests.get(f"{base}/health/ready", timeout=10)
    assert answer.status_code == 503 and answer.json()["failing"] == ["started"]
    # The old paths answer as before.
    assert requests.get(f"{base}/health", timeout=10).text == "ok"
    assert requests.get(f"{base}/ready", timeout=10).status_code == 503


def test_in_production_the_public_address_does_not_serve_the_metrics(platform, monkeypatch):
    """The counters are the operators' (when bids arrive, say): in production they are read on
    GONGZHI_METRICS_ADDRESS, which only the cluster reaches, never on the address parties use."""
    base = platform.url.removesuffix("/graphql")
    assert requests.get(f"{base}/metrics", timeout=10).status_code == 200
    monkeypatch.setenv("GONGZHI_ENV", "production")
    hidden = requests.get(f"{base}/metrics", timeout=10)
    assert hidden.status_code == 404 and "gongzhi_" not in hidden.text
    assert requests.get(f"{base}/health/live", timeout=10).status_code == 200  # the probes stay
