"""One side of the race at a tender's deadline, in a process of its own: it says "ready", waits for
the project's id on its standard input, then either submits, amends or withdraws a bid (role
``submit`` or ``withdraw``) or runs the opening timer until the project opens (role ``open``), and
prints "ok", "opened" or the refusal's code.

``hold`` seconds are spent just before each commit, with the transaction's locks held: a slow
commit, the window in which the other process acts."""

from __future__ import annotations

import json
import sys
import time
from decimal import Decimal

from sqlalchemy import create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from services.matching import handlers
from services.matching.models import Base
from shared.db import UnitOfWork
from shared.errors import DomainError
from shared.identity import Principal

DETAILS = {"team": "two social workers", "timeline": "weekly from January"}


def main(url: str, role: str, principal: str, hold: str, price: str = "900.00") -> None:
    engine = create_engine(url, pool_size=1)
    uow = UnitOfWork(sessionmaker(engine, expire_on_commit=False), Base.metadata)
    engine.connect().close()  # connected before the start
    if float(hold):
        event.listen(Session, "before_commit", lambda _session: time.sleep(float(hold)))
    print("ready", flush=True)
    project_id = sys.stdin.readline().strip()
    try:
        if role == "open":
            limit = time.monotonic() + 30
            while handlers.open_due_tenders(uow) == 0 and time.monotonic() < limit:
                time.sleep(0.05)  # a timer's tick; a locked project is skipped until the next one
            print("opened", flush=True)
            return
        who = Principal.from_dict(json.loads(principal))
        if role == "submit":
            data = {"project_id": project_id, "price": Decimal(price), "plan": f"plan at {price}", **DETAILS}
            handlers.submit_bid(uow, who, data)
        else:
            handlers.withdraw_bid(uow, who, {"project_id": project_id})
        print("ok", flush=True)
    except DomainError as exc:
        print(exc.code, flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
