"""The demo's parties and their sign-in: seed once, then print the web console's address with an
account for each party, and GraphiQL's links with a token for each.

``python -m deploy.demo`` does it against a running platform (say, docker compose);
``./run.sh`` does it right after starting the services.
"""

from __future__ import annotations

import json
import secrets
import time

from nameko import config as nameko_config
from nameko.standalone.rpc import ClusterRpcClient

from deploy.seed import seed
from gateway import accounts
from gateway.models import Base
from shared import config
from shared.db import standalone_unit_of_work
from shared.identity import Principal


def demo_accounts(rpc) -> dict[str, dict]:
    """Seed the demo once, with an account per party type and a password made for this install."""
    path = config.var_dir() / "demo-parties.json"
    if not path.exists():
        if config.production():
            raise SystemExit("the demo has made-up accounts and is not for production")
        print(
            "Seeding the demo community through the services (first run only, about half a minute) …",
            flush=True,
        )
        started = time.monotonic()
        uow = standalone_unit_of_work("gateway", Base.metadata)
        demo = {}
        for party, principal in seed(rpc).items():
            username, password = f"demo-{party.replace('_', '-')}", secrets.token_urlsafe(12)
            accounts.create_account(uow, username, password, Principal.from_dict(principal))
            demo[party] = {"username": username, "password": password}
        path.write_text(json.dumps(demo, indent=2))
        path.chmod(0o600)
        print(f"Seeded the demo community in {time.monotonic() - started:.0f} s.", flush=True)
    return json.loads(path.read_text())


def announce(graphql_url: str) -> None:
    """Print the web console's address and each demo party's account first, then GraphiQL's links."""
    console_url = graphql_url.removesuffix("graphql")
    with ClusterRpcClient() as rpc:
        parties = demo_accounts(rpc)
    uow = standalone_unit_of_work("gateway", Base.metadata)
    tokens = {
        party: accounts.sign_in(uow, a["username"], a["password"], "127.0.0.1").access_token
        for party, a in parties.items()
    }
    (config.var_dir() / "demo.json").write_text(
        json.dumps({"console_url": console_url, "graphql_url": graphql_url, "tokens": tokens}, indent=2)
    )
    print(f"\nThe platform is running. Open the web console: {console_url}\n")
    print("Sign in there as one of these demo accounts (一个账号对应一类参与方):\n")
    for party, account in parties.items():
        print(f"  {party:20} username {account['username']:26} password {account['password']}")
    print(f"\nFor developers, GraphiQL: {graphql_url}")
    print("Open a party's link to use GraphiQL signed in as it (the token lasts 15 minutes; the tokens")
    print("are also in var/demo.json):\n")
    for party, token in tokens.items():
        print(f"  {party:20} {graphql_url}#token={token}")
    print()


if __name__ == "__main__":
    nameko_config.setup(config.nameko_config())
    announce(config.public_graphql_url())
