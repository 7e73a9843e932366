"""The metrics' labels stay bounded (an operation name is one only when it looks like one and the
set is not full), outcomes are classified as documented, and deploy/README.md lists every metric
as ``python -m shared.metrics`` prints it."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared import metrics
from shared.db import DuplicateEvent
from shared.errors import NotFound

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("given", "label"),
    [
        ("ProjectsOfMine", "ProjectsOfMine"),
        ("_private2", "_private2"),
        ("x" * 64, "x" * 64),
        ("x" * 65, "other"),
        ("x" * 10_000, "other"),
        ("Bid'; DROP TABLE bids --", "other"),
        ("名字", "other"),
        ("9lives", "other"),
        ("a\nb", "other"),
        (["not", "a", "string"], "other"),
        (None, "anonymous"),
        ("", "anonymous"),
    ],
)
def test_an_operation_name_is_its_own_label_only_when_it_is_a_short_identifier(given, label):
    assert metrics.operation_label(given) == label


def test_once_the_set_of_names_is_full_a_new_name_is_other_and_a_known_one_stays(monkeypatch):
    known = {f"Op{i}" for i in range(metrics.MAX_OPERATION_NAMES)}
    monkeypatch.setattr(metrics, "_operation_names", known)
    assert metrics.operation_label("Op7") == "Op7"
    assert metrics.operation_label("SomethingNew") == "other"
    assert len(known) == metrics.MAX_OPERATION_NAMES


def _value(counter, *labels) -> float:
    return counter.labels(*labels)._value.get()


def test_outcomes_of_events_and_rpc_calls():
    consumer, kind = "tests.consumer", "meeting.scheduled"
    before = {
        o: _value(metrics.EVENTS_HANDLED, consumer, kind, o) for o in ("ok", "duplicate", "refused", "error")
    }
    duplicates = _value(metrics.INBOX_DUPLICATES, consumer)
    metrics.event_handled(consumer, kind, None, 0.01)
    metrics.event_handled(consumer, kind, (DuplicateEvent, DuplicateEvent("e1"), None), 0.01)
    metrics.event_handled(consumer, kind, (NotFound, NotFound("gone"), None), 0.01)
    metrics.event_handled(consumer, kind, (RuntimeError, RuntimeError("boom"), None), 0.01)
    for outcome, count in before.items():
        assert _value(metrics.EVENTS_HANDLED, consumer, kind, outcome) == count + 1
    assert _value(metrics.INBOX_DUPLICATES, consumer) == duplicates + 1

    refused = _value(metrics.RPC_CALLS, "tests", "do", "refused")
    metrics.rpc_handled("tests", "do", (NotFound, NotFound("gone"), None), 0.01)
    assert _value(metrics.RPC_CALLS, "tests", "do", "refused") == refused + 1

    other = _value(metrics.DEAD_LETTERS, consumer, "other")
    metrics.dead_lettered(consumer, "a reason nobody classified")
    assert _value(metrics.DEAD_LETTERS, consumer, "other") == other + 1


def test_the_relay_counts_payments_recorded_from_the_events_it_publishes():
    payments = metrics.PAYMENTS_RECORDED._value.get()
    metrics.event_published("payment.recorded")
    metrics.event_published("contract.signed")
    assert metrics.PAYMENTS_RECORDED._value.get() == payments + 1


def test_the_operators_guide_lists_every_metric_with_its_labels():
    guide = (ROOT / "deploy" / "README.md").read_text()
    for name, kind, labels, documentation in metrics.catalogue():
        row = (
            f"| `{name}` | {kind} | {', '.join(f'`{label}`' for label in labels) or '—'} | {documentation} |"
        )
        assert row in guide, f"deploy/README.md does not list {name} as `python -m shared.metrics` prints it"
    assert all(name.startswith("gongzhi_") for name, *_ in metrics.catalogue())
