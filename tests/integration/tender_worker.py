"""One side of the race at a tender's deadline, in a process of its own: it says "ready", reads
the project's id and the instant its clock shows (ISO 8601) on its standard input, then either
submits, amends or withdraws a bid (role ``submit`` or ``withdraw``) or runs the opening timer
until the project opens (role ``open``), and prints "ok", "opened" or the refusal's code.

``hold`` seconds are spent just before each commit, with the transaction's locks held: a slow
commit, the window in which the other process acts. The first time, it says "holding", so that
the test starts the other side inside that window (no waiting on the wall clock for a deadline:
each side's clock stands where the test put it)."""

from __future__ import annotations

import json
import sys
import time
from datetime import datetime
from decimal import Decimal

from sqlalchemy import create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from services.matching import commands
from services.matching.handlers import bids, opening
from services.matching.models import Base
from shared.clock import FixedClock
from shared.db import UnitOfWork
from shared.errors import DomainError
from shared.identity import Principal

DETAILS = {"team": "two social workers", "timeline": "weekly from January"}


def main(url: str, role: str, principal: str, hold: str, price: str = "900.00") -> None:
    engine = create_engine(url, pool_size=1)
    uow = UnitOfWork(sessionmaker(engine, expire_on_commit=False), Base.metadata)
    engine.connect().close()  # connected before the start
    if float(hold):
        told = []

        def slow_commit(_session):
            if not told:
                told.append(True)
                print("holding", flush=True)
            time.sleep(float(hold))

        event.listen(Session, "before_commit", slow_commit)
    print("ready", flush=True)
    project_id, at = sys.stdin.readline().split()
    clock = FixedClock(datetime.fromisoformat(at))
    try:
        if role == "open":
            limit = time.monotonic() + 30
            while opening.open_due_tenders(uow, clock) == 0 and time.monotonic() < limit:
                time.sleep(0.05)  # a timer's tick; a locked project is skipped until the next one
            print("opened", flush=True)
            return
        who = Principal.from_dict(json.loads(principal))
        if role == "submit":
            bid = commands.SubmitBid(project_id, Decimal(price), f"plan at {price}", **DETAILS)
            bids.submit_bid(uow, clock, who, bid)
        else:
            bids.withdraw_bid(uow, clock, who, commands.WithdrawBid(project_id))
        print("ok", flush=True)
    except DomainError as exc:
        print(exc.code, flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
