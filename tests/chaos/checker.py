"""After quiescence, every expected effect counted in the services' databases (SQL), the outboxes'
unsent rows, and the dead-letter queue's messages with their reasons."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field

from kombu import Connection, Queue
from sqlalchemy import text

from tests.chaos.cluster import SERVICES, Platform, queues
from tests.chaos.flows import AWARD_ITEM, UNFILLED_ITEM, Expected

DEAD_LETTER_QUEUE = "gongzhi.dead-letter"  # shared.messaging.DEAD_LETTER_QUEUE, read without nameko

# Each effect: the database it is in, and a query of (key, rows) for the keys starting with :prefix.
EFFECTS = {
    "recordResolution": (
        "meetings",
        "SELECT title, count(*) FROM resolution WHERE title LIKE :prefix GROUP BY title",
    ),
    "project from resolution": (
        "matching",
        "SELECT title, count(*) FROM project WHERE title LIKE :prefix GROUP BY title",
    ),
    "creditActivityPoints": (
        "volunteers",
        "SELECT activity, count(*) FROM ledger_transaction WHERE activity LIKE :prefix GROUP BY activity",
    ),
    "openServiceRequest": (
        "volunteers",
        "SELECT title, count(*) FROM service_request WHERE title LIKE :prefix AND contract_id IS NULL "
        "GROUP BY title",
    ),
    "agenda item from unfilled request": (
        "meetings",
        f"SELECT substr(title, {len(UNFILLED_ITEM) + 1}), count(*) FROM agenda_item "
        f"WHERE title LIKE '{UNFILLED_ITEM}' || :prefix GROUP BY title",
    ),
    "contract from award": (
        "contracts",
        "SELECT title, count(*) FROM contract WHERE title LIKE :prefix GROUP BY title",
    ),
    "agenda item from award": (
        "meetings",
        f"SELECT substr(title, {len(AWARD_ITEM) + 1}), count(*) FROM agenda_item "
        f"WHERE title LIKE '{AWARD_ITEM}' || :prefix GROUP BY title",
    ),
    "volunteer request from milestone": (
        "volunteers",
        "SELECT title, count(*) FROM service_request WHERE title LIKE :prefix AND contract_id IS NOT NULL "
        "GROUP BY title",
    ),
    # A milestone's shift among its evidence, keyed as its volunteer request is: "<contract>: <milestone>".
    "evidence from shift": (
        "contracts",
        "SELECT c.title || ': ' || m.title, count(*) FROM milestone m "
        "JOIN contract c ON c.id = m.contract_id CROSS JOIN LATERAL json_array_elements(m.evidence) AS e "
        "WHERE c.title LIKE :prefix AND e->>'kind' = 'volunteer_shift' GROUP BY c.title, m.title",
    ),
}


@dataclass
class EffectFigures:
    effect: str
    expected: int = 0  # answered with success: exactly one each
    uncertain: int = 0  # the answer was lost: zero or one each
    found: int = 0
    lost: int = 0
    doubled: int = 0
    lost_keys: list[str] = field(default_factory=list)
    doubled_keys: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "effect": self.effect,
            "expected": self.expected,
            "uncertain": self.uncertain,
            "found": self.found,
            "lost": self.lost,
            "doubled": self.doubled,
            "lost_keys": self.lost_keys[:5],
            "doubled_keys": self.doubled_keys[:5],
        }


def found_counts(platform: Platform, prefix: str) -> dict[str, Counter[str]]:
    found: dict[str, Counter[str]] = {}
    for effect, (database, sql) in EFFECTS.items():
        with platform.engines[database].connect() as connection:
            found[effect] = Counter(
                {key: n for key, n in connection.execute(text(sql), {"prefix": prefix + "%"})}
            )
    # The reputation of a contract: its assessment in matching, keyed there by the contract's id.
    with platform.engines["contracts"].connect() as connection:
        titles = dict(
            connection.execute(
                text("SELECT id, title FROM contract WHERE title LIKE :prefix"), {"prefix": prefix + "%"}
            ).all()
        )
    with platform.engines["matching"].connect() as connection:
        rows = connection.execute(text("SELECT contract_id FROM assessment")).scalars().all()
    found["reputation from assessment"] = Counter(titles[c] for c in rows if c in titles)
    return found


def figures(platform: Platform, prefix: str, expected: list[Expected]) -> list[EffectFigures]:
    found = found_counts(platform, prefix)
    table = {effect: EffectFigures(effect) for effect in found}
    for item in expected:
        row = table[item.effect]
        n = found[item.effect].get(item.key, 0)
        if item.certain:
            row.expected += 1
        else:
            row.uncertain += 1
        row.found += n
        if n == 0 and item.certain:
            row.lost += 1
            row.lost_keys.append(item.key)
        if n > 1:
            row.doubled += n - 1
            row.doubled_keys.append(item.key)
    return list(table.values())


def unsent(platform: Platform) -> dict[str, int]:
    """Outbox rows not yet relayed, per service."""
    stuck = {}
    for service in SERVICES:
        with platform.engines[service].connect() as connection:
            stuck[service] = connection.execute(
                text("SELECT count(*) FROM outbox WHERE sent_at IS NULL")
            ).scalar_one()
    return stuck


def dead_letters(platform: Platform) -> list[dict]:
    """Every message in the dead-letter queue (read and put back), with its reason."""
    found = []
    with Connection(platform.node.uri, connect_timeout=5) as connection:
        channel = connection.channel()
        queue = Queue(DEAD_LETTER_QUEUE, durable=True)(channel)
        try:
            queue.queue_declare(passive=True)
        except Exception:
            return []
        while (message := queue.get(no_ack=False)) is not None:
            headers = message.headers or {}
            found.append(
                {
                    "queue": headers.get("x-queue"),
                    "event_type": headers.get("x-event-type"),
                    "reason": str(headers.get("x-reason", "(none)"))[:300],
                }
            )
        channel.close()  # the unacknowledged messages go back to the queue
    return found


def wait_until_reported(platform: Platform, prefix: str, timeout: float = 180) -> None:
    """Until volunteers has reported unfilled every open request of the run's unfilled flows (all
    due at once: they start within the day)."""
    deadline = time.monotonic() + timeout
    sql = text(
        "SELECT count(*) FROM service_request WHERE title LIKE :prefix AND contract_id IS NULL "
        "AND status = 'open' AND unfilled_reported_at IS NULL"
    )
    while time.monotonic() < deadline:
        try:
            with platform.engines["volunteers"].connect() as connection:
                if not connection.execute(sql, {"prefix": prefix + "%"}).scalar_one():
                    return
        except Exception:  # a terminated backend: ask again
            pass
        time.sleep(0.5)


def quiesce(platform: Platform, timeout: float, log=print) -> dict:
    """Wait until every process is ready, no outbox row is unsent and no event queue holds a
    message, twice in a row three seconds apart (or the timeout passes). Returns the last state."""
    deadline = time.monotonic() + timeout
    calm = 0
    state: dict = {}
    while time.monotonic() < deadline:
        try:
            ready = platform.ready()
            stuck = unsent(platform)
            listed = queues(platform.node)
        except Exception as exc:  # the databases or the node are still coming back
            state = {"error": str(exc)[:200]}
            calm = 0
            time.sleep(2)
            continue
        waiting = {q: m for q, (_, m) in listed.items() if m and q.startswith("evt-")}
        state = {"not_ready": [p for p, ok in ready.items() if not ok], "unsent": stuck, "queued": waiting}
        if all(ready.values()) and not any(stuck.values()) and not waiting:
            calm += 1
            if calm >= 2:
                return state
        else:
            calm = 0
        time.sleep(3)
    log(f"not quiet after {timeout:.0f} s: {state}")
    return state


# Each cause a service recorded, and the effect another service should have made of it, counted
# from the databases alone (whatever the client was told): (effect, database and query of the
# causes' keys, database and query of the effects' (key, rows)).
CAUSES = {
    "project from resolution": (
        "meetings",
        "SELECT title FROM resolution WHERE title LIKE :prefix AND status = 'adopted' "
        "AND decision_type = 'purchase_service'",
    ),
    "contract from award": (
        "matching",
        "SELECT title FROM project WHERE title LIKE :prefix AND status = 'awarded'",
    ),
    "agenda item from award": (
        "matching",
        "SELECT title FROM project WHERE title LIKE :prefix AND status = 'awarded'",
    ),
    "volunteer request from milestone": (
        "contracts",
        "SELECT title || ': ' || :milestone FROM contract WHERE title LIKE :prefix "
        "AND status IN ('active', 'completed')",
    ),
    "reputation from assessment": (
        "contracts",
        "SELECT title FROM contract WHERE title LIKE :prefix AND status = 'completed'",
    ),
    "evidence from shift": (
        "volunteers",
        "SELECT r.title FROM shift s JOIN service_request r ON r.id = s.request_id "
        "WHERE r.title LIKE :prefix AND r.contract_id IS NOT NULL AND s.status = 'approved'",
    ),
    "agenda item from unfilled request": (
        "volunteers",
        "SELECT title FROM service_request WHERE title LIKE :prefix AND unfilled_reported_at IS NOT NULL",
    ),
}


def consistency(platform: Platform, prefix: str) -> list[EffectFigures]:
    """For every cause recorded in one service's database, its effect in another's: exactly one."""
    from tests.chaos.flows import MILESTONE

    found = found_counts(platform, prefix)
    table = []
    for effect, (database, sql) in CAUSES.items():
        with platform.engines[database].connect() as connection:
            keys = (
                connection.execute(text(sql), {"prefix": prefix + "%", "milestone": MILESTONE})
                .scalars()
                .all()
            )
        row = EffectFigures(effect, expected=len(keys))
        for key in keys:
            n = found[effect].get(key, 0)
            row.found += n
            if n == 0:
                row.lost += 1
                row.lost_keys.append(key)
            if n > 1:
                row.doubled += n - 1
                row.doubled_keys.append(key)
        table.append(row)
    return table
