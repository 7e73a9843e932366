"""Configuration is read in one place: what operators run (deploy/) asks shared.config, when it
runs, never the environment itself and never at import."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = sorted((ROOT / "deploy").glob("*.py"))


def _reads_environment(node: ast.AST) -> bool:
    return any(
        isinstance(n, ast.Attribute) and n.attr in ("environ", "getenv", "environb") for n in ast.walk(node)
    )


@pytest.mark.parametrize("module", DEPLOY, ids=lambda p: p.name)
def test_deploy_reads_the_environment_only_through_shared_config(module):
    tree = ast.parse(module.read_text(), str(module))
    assert not _reads_environment(tree), f"{module.name} reads the environment: ask shared.config"
    for statement in tree.body:
        if isinstance(statement, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef)):
            continue
        if isinstance(statement, ast.If) and "__main__" in ast.unparse(statement.test):
            continue
        called = [n for n in ast.walk(statement) if isinstance(n, ast.Call)]
        names = {ast.unparse(c.func) for c in called}
        assert not {n for n in names if n.startswith("config.")}, (
            f"{module.name}:{statement.lineno} reads configuration at import"
        )


def test_the_public_address_follows_where_the_gateway_listens(monkeypatch):
    from shared import config

    monkeypatch.delenv("GONGZHI_PUBLIC_URL", raising=False)
    monkeypatch.setenv("GONGZHI_HTTP", "0.0.0.0:8100")
    assert config.public_graphql_url() == "http://0.0.0.0:8100/graphql"
    assert config.nameko_config()["WEB_SERVER_ADDRESS"] == "0.0.0.0:8100"
    monkeypatch.setenv("GONGZHI_PUBLIC_URL", "https://gongzhi.example/graphql")
    assert config.public_graphql_url() == "https://gongzhi.example/graphql"
    monkeypatch.setenv("GONGZHI_OPERATOR_TIMEOUT", "2.5")
    assert config.settings().operator_timeout == 2.5
