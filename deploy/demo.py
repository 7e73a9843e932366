"""The demo's parties and their sign-in: seed once, then print a token for each party.

``python -m deploy.demo`` does it against a running platform (say, docker compose);
``./run.sh`` does it right after starting the services.
"""

from __future__ import annotations

import json
import os
from datetime import timedelta

from nameko import config as nameko_config
from nameko.standalone.rpc import ClusterRpcClient

from deploy.seed import seed
from gateway.tokens import issue_token
from shared import config
from shared.identity import Principal

DEMO_TOKEN_LIFETIME = timedelta(hours=12)


def demo_principals(rpc) -> dict[str, dict]:
    path = config.var_dir() / "demo-parties.json"
    if not path.exists():
        print("Seeding the demo community …", flush=True)
        path.write_text(json.dumps(seed(rpc), indent=2, ensure_ascii=False))
    return json.loads(path.read_text())


def announce(graphql_url: str) -> None:
    with ClusterRpcClient() as rpc:
        parties = demo_principals(rpc)
    tokens = {party: issue_token(Principal.from_dict(p), DEMO_TOKEN_LIFETIME) for party, p in parties.items()}
    demo = {"graphql_url": graphql_url, "tokens": tokens}
    (config.var_dir() / "demo.json").write_text(json.dumps(demo, indent=2))
    print(f"\nThe platform is running. GraphiQL: {graphql_url}\n")
    print("Sign in as a party by opening its link (the token is valid for 12 hours),")
    print("or send 'Authorization: Bearer <token>' with a token from var/demo.json:\n")
    for party, token in tokens.items():
        print(f"  {party:20} {graphql_url}#token={token}\n")


if __name__ == "__main__":
    nameko_config.setup(config.nameko_config())
    announce(os.environ.get("GONGZHI_PUBLIC_URL", "http://127.0.0.1:8000/graphql"))
