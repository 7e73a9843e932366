"""The event envelope and catalogue, and input validation naming every field."""

import json
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from shared.errors import InvalidInput
from shared.event_payloads import ProjectAwarded
from shared.events import CATALOGUE, EventType, InvalidEvent, new_event, parse_event
from shared.validation import load

AWARD = {
    "project_id": "p1",
    "ocid": "ocds-gz0001-p1",
    "title": "Home care",
    "organisation_id": "o1",
    "organisation_name": "Leling",
    "value": Decimal("118000.10"),
    "awarded_at": datetime(2026, 12, 1, tzinfo=timezone.utc),
    "award_id": "ocds-gz0001-p1-award-1",
    "district_id": "d1",
    "purchaser_id": "rc1",
    "purchaser_type": "residents_committee",
    "organisation_credit_code": "52310000MJ0000001X",
    "period_start": date(2027, 1, 1),
    "period_end": date(2027, 12, 31),
}
# project.awarded as version 1 announced it: the winner and the value, nothing for the contract.
AWARD_V1 = {
    k: AWARD[k]
    for k in ("project_id", "ocid", "title", "organisation_id", "organisation_name", "value", "awarded_at")
}


def test_an_event_round_trips_through_json_with_exact_money():
    wire = json.loads(json.dumps(new_event("project.awarded", AWARD, "c1", correlation_id="corr")))
    assert wire["data"]["value"] == "118000.10"
    event = parse_event(wire, expected_type="project.awarded")
    assert event.data["value"] == Decimal("118000.10")
    assert event.correlation_id == "corr" and event.source == "matching"
    assert set(wire) == {
        "id",
        "type",
        "source",
        "time",
        "community_id",
        "correlation_id",
        "causation_id",
        "schema_version",
        "data",
    }


def test_the_envelope_says_the_version_and_a_consumer_reads_every_version_it_knows():
    v2 = json.loads(json.dumps(new_event("project.awarded", AWARD, "c1")))
    v1 = json.loads(json.dumps(new_event("project.awarded", AWARD_V1, "c1", version=1)))
    assert (v1["schema_version"], v2["schema_version"]) == (1, 2)
    assert set(v1["data"]) == set(AWARD_V1)
    old, new = parse_event(v1), parse_event(v2)
    assert old.schema_version == new.schema_version == 2, "the data is the current version's either way"
    assert old.data == {
        **AWARD_V1,
        "award_id": None,
        "district_id": None,
        "purchaser_id": None,
        "purchaser_type": "residents_committee",
        "organisation_credit_code": None,
        "period_start": None,
        "period_end": None,
    }
    assert new.data == AWARD


@pytest.mark.parametrize("version", [3, 0])
def test_a_version_the_consumer_does_not_know_is_refused_with_the_reason(version):
    wire = {**new_event("project.awarded", AWARD, "c1"), "schema_version": version}
    with pytest.raises(InvalidEvent, match=f"project.awarded schema version {version} is"):
        parse_event(wire)


def test_a_new_version_needs_an_upcaster_from_each_older_one():
    with pytest.raises(ValueError, match="needs an upcaster"):
        EventType("project.awarded", "matching", ProjectAwarded, 3, {1: lambda data: data})
    assert all(sorted(spec.upcasters) == list(range(1, spec.version)) for spec in CATALOGUE.values())


def test_publishing_refuses_data_that_does_not_match_the_schema():
    with pytest.raises(ValueError, match="value"):
        new_event("project.awarded", {**AWARD, "value": None}, "c1")


@pytest.mark.parametrize(
    ("mutate", "words"),
    [
        (lambda w: "not an envelope", "not an event envelope"),
        (lambda w: {**w, "type": "project.exploded"}, "bad envelope"),
        (lambda w: {**w, "source": "meetings"}, "comes from matching"),
        (lambda w: {**w, "schema_version": 9}, "schema version 9"),
        (lambda w: {**w, "data": {**w["data"], "value": "lots"}}, "bad data"),
        (lambda w: {k: v for k, v in w.items() if k != "correlation_id"}, "correlation_id"),
    ],
)
def test_a_bad_message_is_refused_with_its_reason(mutate, words):
    wire = new_event("project.awarded", AWARD, "c1")
    with pytest.raises(InvalidEvent) as raised:
        parse_event(mutate(wire))
    assert words in str(raised.value)


def test_every_event_type_names_its_source_service():
    assert {spec.source for spec in CATALOGUE.values()} <= {"meetings", "matching", "volunteers", "contracts"}
    assert all(name.split(".")[-1].endswith("ed") for name in CATALOGUE), (
        "events are facts, in the past tense"
    )


def test_input_validation_names_every_field():
    from services.matching.schemas import SubmitBid

    with pytest.raises(InvalidInput) as raised:
        load(SubmitBid, {"project_id": "p", "price": "12.3.4"})
    fields = {e["field"] for e in raised.value.errors}
    assert fields == {"price", "plan", "team", "timeline"}
