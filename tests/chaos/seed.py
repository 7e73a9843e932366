"""The parties of a chaos run: the demo's directory (``deploy.seed.seed_directory``: a district, a
community with its committee, a compound with its owners' committee and property company,
approved social organisations and volunteers), made through the running services as the operators'
commands do, and an account with a password for each party type.

``python -m tests.chaos.seed FILE`` (with the run's environment) writes ``{party type: {"username",
"password"}}`` to FILE. It runs in a process of its own: it needs nameko's RPC client.
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


def main(path: Path) -> None:
    nameko_config.setup(config.nameko_config())
    with ClusterRpcClient() as rpc:
        directory = seed_directory(rpc)
    uow = standalone_unit_of_work("gateway", Base.metadata)
    made = {}
    for party, principal in directory.principals.items():
        username, password = f"chaos-{party.value.replace('_', '-')}", secrets.token_urlsafe(12)
        accounts.create_account(uow, username, password, principal)
        made[party.value] = {"username": username, "password": password}
    path.write_text(json.dumps(made, indent=2))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
