"""The parties of a chaos run: the demo's directory (``deploy.seed.seed_directory``: a district, a
community with its committee, a compound with its owners' committee and property company,
approved social organisations and volunteers), made through the running services as the operators'
commands do, and an account with a password for each party type; and the shift volunteers, who
serve the contracts' milestones (``Flows.award``), each with an account of its own.

``python -m tests.chaos.seed FILE`` (with the run's environment) writes ``{party: {"username",
"password"}}`` to FILE, the shift volunteers as ``shift-volunteer-<i>`` with their ``volunteer_id``.
It runs in a process of its own: it needs nameko's RPC client.
"""

from __future__ import annotations

import json
import secrets
import sys
from pathlib import Path

from nameko import config as nameko_config
from nameko.standalone.rpc import ClusterRpcClient

from deploy.seed import seed_directory
from gateway import accounts
from gateway.models import Base
from shared import config
from shared.db import standalone_unit_of_work
from shared.identity import PartyType, Principal

SHIFT_VOLUNTEERS = 24  # one shift a day each: the milestones of 24 contracts share a day


def main(path: Path) -> None:
    nameko_config.setup(config.nameko_config())
    with ClusterRpcClient() as rpc:
        directory = seed_directory(rpc)
        area = directory.principals[PartyType.RESIDENTS_COMMITTEE]
        every_day = [{"weekday": day, "starts": "00:00", "ends": "00:00"} for day in range(7)]
        shift_volunteers = [
            rpc.volunteers.enrol_volunteer(
                area.community_id,
                {
                    "name": f"Shift volunteer {i}",
                    "skills": [{"skill": "companionship", "level": 3}],
                    "availability": every_day,
                    # A 3-hour shift every day: 21 hours a week (the default cap is 8).
                    "weekly_cap_hours": 30,
                },
            )["id"]
            for i in range(SHIFT_VOLUNTEERS)
        ]
    uow = standalone_unit_of_work("gateway", Base.metadata)
    made = {}
    for party, principal in directory.principals.items():
        username, password = f"chaos-{party.value.replace('_', '-')}", secrets.token_urlsafe(12)
        accounts.create_account(uow, username, password, principal)
        made[party.value] = {"username": username, "password": password}
    for i, volunteer_id in enumerate(shift_volunteers):
        username, password = f"chaos-shift-volunteer-{i}", secrets.token_urlsafe(12)
        principal = Principal(
            username, PartyType.VOLUNTEER, volunteer_id, area.district_id, area.community_id
        )
        accounts.create_account(uow, username, password, principal)
        made[f"shift-volunteer-{i}"] = {
            "username": username,
            "password": password,
            "volunteer_id": volunteer_id,
        }
    path.write_text(json.dumps(made, indent=2))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
