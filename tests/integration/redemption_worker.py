"""One redemption in a process of its own, for the concurrency test: it says "ready", waits for "go"
on its standard input, redeems, and prints "ok" or the refusal's code."""

from __future__ import annotations

import json
import sys

from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from services.volunteers.commands import RedeemReward
from services.volunteers.handlers import rewards
from services.volunteers.models import Base
from shared.clock import SystemClock
from shared.db import UnitOfWork
from shared.errors import DomainError
from shared.identity import Principal


def main(url: str, principal: str, reward_id: str) -> None:
    engine = create_engine(url, pool_size=1)
    uow = UnitOfWork(sessionmaker(engine, expire_on_commit=False), Base.metadata)
    engine.connect().close()  # connected before the start, so that all start together
    print("ready", flush=True)
    sys.stdin.readline()
    try:
        rewards.redeem_reward(
            uow,
            SystemClock(),
            Principal.from_dict(json.loads(principal)),
            RedeemReward(reward_id, quantity=1),
        )
        print("ok", flush=True)
    except DomainError as exc:
        print(exc.code, flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
