"""Run the whole platform on this machine: every service and the gateway in one process.

Reaches (or starts) RabbitMQ, applies migrations, seeds the demo once, prints
the GraphiQL address and a token for each party, and writes both to
``var/demo.json``. Ctrl-C stops everything cleanly.
"""

from __future__ import annotations

import warnings

warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")

import eventlet  # noqa: E402

eventlet.monkey_patch()  # nameko needs it before anything else is imported

import json  # noqa: E402
import logging  # noqa: E402
import signal  # noqa: E402
from datetime import timedelta  # noqa: E402

from nameko import config as nameko_config  # noqa: E402
from nameko.runners import ServiceRunner  # noqa: E402
from nameko.standalone.rpc import ClusterRpcClient  # noqa: E402

from deploy import broker  # noqa: E402
from deploy.seed import seed  # noqa: E402
from deploy.services import ALL_SERVICES, DOMAIN_SERVICES  # noqa: E402
from gateway.tokens import issue_token  # noqa: E402
from shared import config  # noqa: E402
from shared.identity import Principal  # noqa: E402
from shared.migrations import upgrade  # noqa: E402

DEMO_TOKEN_LIFETIME = timedelta(hours=12)


def demo_principals(rpc) -> dict[str, dict]:
    path = config.var_dir() / "demo-parties.json"
    if not path.exists():
        print("Seeding the demo community …", flush=True)
        path.write_text(json.dumps(seed(rpc), indent=2, ensure_ascii=False))
    return json.loads(path.read_text())


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    broker.ensure_broker()
    for service in config.SERVICES:
        upgrade(service)
    broker.declare_queues(DOMAIN_SERVICES)

    nameko_config.setup(config.nameko_config())
    runner = ServiceRunner()
    for cls in ALL_SERVICES:
        runner.add_service(cls)
    runner.start()

    stop = eventlet.event.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.ready() or stop.send())

    try:
        with ClusterRpcClient() as rpc:
            parties = demo_principals(rpc)
        address = nameko_config["WEB_SERVER_ADDRESS"]
        graphql_url = f"http://{address}/graphql"
        tokens = {
            party: issue_token(Principal.from_dict(p), DEMO_TOKEN_LIFETIME) for party, p in parties.items()
        }
        (config.var_dir() / "demo.json").write_text(
            json.dumps({"graphql_url": graphql_url, "tokens": tokens}, indent=2)
        )
        print(f"\nThe platform is running. GraphiQL: {graphql_url}\n")
        print("Sign in as a party by opening its link (the token is valid for 12 hours),")
        print("or send 'Authorization: Bearer <token>' with tokens from var/demo.json:\n")
        for party, token in tokens.items():
            print(f"  {party:22} {graphql_url}#token={token}")
        print("\nCtrl-C stops everything.", flush=True)
        stop.wait()
    finally:
        print("\nStopping …", flush=True)
        runner.stop()


if __name__ == "__main__":
    main()
