"""docker-compose.yml is valid Compose and keeps the rules of deploy/README.md ("Docker Compose").

``check-jsonschema`` validates the file against the Compose specification's schema, which it ships
(``--builtin-schema vendor.compose-spec``), with the network shut off, so nothing is fetched. Then
each rule is a function that lists what breaks it: the file breaks none, and a copy broken on
purpose breaks each one (so no rule passes by checking nothing). No Docker engine is needed.
"""

from __future__ import annotations

import copy
import re
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from check_jsonschema import main as check_jsonschema
from click.testing import CliRunner

from shared import config

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
BACKING = ("postgres", "rabbitmq", "redis")
SERVICES = ("meetings", "matching", "volunteers", "contracts")
REQUIRED_SECRETS = ("GONGZHI_TOKEN_SECRET", "POSTGRES_PASSWORD", "RABBITMQ_PASSWORD")
DATA = {"postgres": "/var/lib/postgresql/data", "rabbitmq": "/var/lib/rabbitmq"}
# ${NAME}, ${NAME:-default}, ${NAME:?message} and the like, as Compose interpolates them.
REFERENCE = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?+])(?P<rest>[^}]*))?\}")
SECRET_NAME = re.compile(r"SECRET|PASSWORD|_PASS$|TOKEN")
CREDENTIALS = re.compile(r"^[a-z][a-z0-9+.-]*://[^:/@\s]+:(?P<password>[^@\s]+)@")

Compose = dict[str, Any]


def load() -> Compose:
    return yaml.safe_load(COMPOSE.read_text())


def services(compose: Compose) -> dict[str, dict[str, Any]]:
    return compose["services"]


def environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {key: str(value) for key, value in env.items()}


def is_app(service: dict[str, Any]) -> bool:
    """A process of the platform (built from the Dockerfile) rather than a backing service."""
    return "build" in service


def is_long_running(service: dict[str, Any]) -> bool:
    return service.get("restart", "no") != "no"


def serves(service: dict[str, Any]) -> bool:
    return "deploy.serve" in " ".join(service.get("command") or [])


def strings(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [s for key, value in node.items() for s in strings(key) + strings(value)]
    if isinstance(node, list):
        return [s for item in node for s in strings(item)]
    return [node] if isinstance(node, str) else []


# --- the rules: each lists what breaks it ---


def secret_violations(compose: Compose) -> list[str]:
    """No literal secret: a secret variable, and a password inside a URL, is a required reference
    (``${NAME:?message}``: compose refuses to start without it), never a value or a default."""
    found = []
    for name, service in services(compose).items():
        for key, value in environment(service).items():
            if SECRET_NAME.search(key) and not re.fullmatch(r"\$\{[A-Z_]+:\?[^}]+\}", value):
                found.append(f"{name}: {key} is not a required reference: {value!r}")
    for text in strings(compose):
        url = CREDENTIALS.match(text)
        if url and not re.fullmatch(r"\$\{[A-Z_]+:\?[^}]+\}", url.group("password")):
            found.append(f"a URL carries a password that is not a required reference: {text!r}")
        for ref in REFERENCE.finditer(text):
            if SECRET_NAME.search(ref.group("name")) and ref.group("op") != ":?":
                found.append(f"${{{ref.group('name')}}} may be empty or defaulted: {text!r}")
    required = {ref.group("name") for t in strings(compose) for ref in REFERENCE.finditer(t)}
    found += [f"{name} is never required" for name in REQUIRED_SECRETS if name not in required]
    return found


def publishing_violations(compose: Compose) -> list[str]:
    """Only the gateway is published, and on 127.0.0.1 unless the operator says otherwise."""
    found = []
    for name, service in services(compose).items():
        ports = service.get("ports") or []
        if name != "gateway":
            found += [f"{name} publishes {port}" for port in ports]
            continue
        for port in ports:
            shown = REFERENCE.sub(lambda ref: ref.group("rest") if ref.group("op") == ":-" else "", str(port))
            if not shown.startswith("127.0.0.1:"):
                found.append(f"gateway is published on {shown} by default, not 127.0.0.1")
    if not services(compose).get("gateway", {}).get("ports"):
        found.append("the gateway is not published")
    return found


def health_violations(compose: Compose) -> list[str]:
    """Every long-running container has a health check, and a process of the platform's checks its
    readiness (/health/ready) where it serves it: the gateway on 8000, a service on its metrics port."""
    found = []
    for name, service in services(compose).items():
        if not is_long_running(service):
            continue
        check = service.get("healthcheck") or {}
        test = " ".join(check.get("test") or []) if not check.get("disable") else ""
        if not test:
            found.append(f"{name} has no health check")
        elif is_app(service):
            address = environment(service).get("GONGZHI_METRICS_ADDRESS") or environment(service).get(
                "GONGZHI_HTTP", ""
            )
            port = address.rsplit(":", 1)[-1]
            if f"127.0.0.1:{port}/health/ready" not in test:
                found.append(f"{name}'s health check does not ask /health/ready on port {port}: {test}")
        if "curl" in test or "wget" in test:
            found.append(f"{name}'s health check needs {test.split()[1]}, which the slim image lacks")
    return found


def ordering_violations(compose: Compose) -> list[str]:
    """Nothing starts before what it needs: every dependency waits for a condition, every process
    that serves waits for the migrations job to complete, and the job runs deploy.migrate once."""
    found = []
    all_services = services(compose)
    migrate = all_services.get("migrate", {})
    if migrate.get("command") != ["python", "-m", "deploy.migrate"] or is_long_running(migrate):
        found.append("migrate is not a one-shot `python -m deploy.migrate`")
    for name, service in all_services.items():
        needs = service.get("depends_on") or {}
        if isinstance(needs, list):
            found.append(f"{name}'s depends_on names no conditions")
            continue
        for other, how in needs.items():
            wanted = (
                "service_healthy"
                if is_long_running(all_services[other])
                else "service_completed_successfully"
            )
            if (how or {}).get("condition") != wanted:
                found.append(f"{name} does not wait for {other} to be {wanted}")
        if serves(service):
            missing = {"migrate", *BACKING} - set(needs)
            found += [f"{name} does not wait for {other}" for other in sorted(missing)]
    return found


def production_violations(compose: Compose) -> list[str]:
    """Every process of the platform runs in production mode, the demo seed alone excepted (its
    made-up accounts are refused in production), and reaches the compose network's Redis."""
    found = []
    for name, service in services(compose).items():
        if not is_app(service) or "tools" in (service.get("profiles") or []):
            continue
        env = environment(service)
        if env.get("GONGZHI_ENV") != "production":
            found.append(f"{name} runs with GONGZHI_ENV={env.get('GONGZHI_ENV')}")
        if env.get("GONGZHI_REDIS_URL") != "redis://redis:6379/0":
            found.append(f"{name} does not use the compose Redis")
        if serves(service) and name != "gateway" and env.get("GONGZHI_METRICS_ADDRESS") != "0.0.0.0:9100":
            found.append(f"{name} serves no health or metrics on 0.0.0.0:9100")
    return found


def volume_violations(compose: Compose) -> list[str]:
    """PostgreSQL's and RabbitMQ's data live in named volumes."""
    found = []
    declared = set(compose.get("volumes") or {})
    for name, path in DATA.items():
        mounts = [str(v) for v in services(compose).get(name, {}).get("volumes") or []]
        if not any(m.endswith(f":{path}") and m.split(":")[0] in declared for m in mounts):
            found.append(f"{name} keeps {path} in no named volume")
    return found


def image_violations(compose: Compose) -> list[str]:
    """numpy and scipy only where they are needed: the volunteers service and the migrations job
    (which loads every service) use the Dockerfile's full target, every other process its base."""
    found = []
    for name, service in services(compose).items():
        if not is_app(service):
            continue
        target = (service.get("build") or {}).get("target")
        wanted = "full" if name in ("volunteers", "migrate") else "base"
        if target != wanted:
            found.append(f"{name} is built from the target {target}, not {wanted}")
    return found


RULES: dict[str, Callable[[Compose], list[str]]] = {
    "secrets": secret_violations,
    "publishing": publishing_violations,
    "health": health_violations,
    "ordering": ordering_violations,
    "production": production_violations,
    "volumes": volume_violations,
    "images": image_violations,
}


def _set_env(compose: Compose, service: str, key: str, value: str) -> None:
    services(compose)[service]["environment"] = {**environment(services(compose)[service]), key: value}


# One way to break each rule.
BREAKS: dict[str, Callable[[Compose], None]] = {
    "secrets": lambda c: _set_env(c, "gateway", "GONGZHI_TOKEN_SECRET", "${GONGZHI_TOKEN_SECRET:-a-default}"),
    "publishing": lambda c: services(c)["postgres"].update(ports=["5432:5432"]),
    "health": lambda c: services(c)["meetings"].pop("healthcheck"),
    "ordering": lambda c: services(c)["contracts"]["depends_on"].pop("migrate"),
    "production": lambda c: _set_env(c, "matching", "GONGZHI_ENV", "development"),
    "volumes": lambda c: services(c)["rabbitmq"].pop("volumes"),
    "images": lambda c: services(c)["meetings"].update(build={"context": ".", "target": "full"}),
}


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError(f"the validation tried to reach the network: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def validate(path: Path) -> tuple[int, str]:
    done = CliRunner().invoke(check_jsonschema, ["--builtin-schema", "vendor.compose-spec", str(path)])
    return done.exit_code, done.output


def test_the_compose_file_is_valid_against_the_compose_specification(no_network):
    code, output = validate(COMPOSE)
    assert code == 0, output


def test_the_schema_check_refuses_what_compose_would(no_network, tmp_path):
    broken = load()
    services(broken)["gateway"]["healthcheck"]["retry"] = 3  # retries, misspelt
    path = tmp_path / "docker-compose.yml"
    path.write_text(yaml.safe_dump(broken))
    code, output = validate(path)
    assert code == 1 and "retry" in output, output


@pytest.mark.parametrize("rule", sorted(RULES))
def test_the_compose_file_keeps_the_rule(rule):
    assert RULES[rule](load()) == []


@pytest.mark.parametrize("rule", sorted(RULES))
def test_a_broken_copy_breaks_the_rule(rule):
    broken = copy.deepcopy(load())
    BREAKS[rule](broken)
    assert RULES[rule](broken)


def test_every_interpolated_variable_is_documented_in_the_env_example():
    referenced = {ref.group("name") for t in strings(load()) for ref in REFERENCE.finditer(t)}
    documented = set(re.findall(r"^#?([A-Z_][A-Z0-9_]*)=", ENV_EXAMPLE.read_text(), re.MULTILINE))
    assert referenced - documented == set()
    # The example sets no secret: each required one is there, empty, for the operator to fill.
    for name in REQUIRED_SECRETS:
        assert re.search(rf"^{name}=$", ENV_EXAMPLE.read_text(), re.MULTILINE), name
    assert ".env" in (ROOT / ".gitignore").read_text().split()


def test_postgres_init_creates_every_database_the_platform_uses():
    created = re.findall(r"CREATE DATABASE (\w+);", (ROOT / "deploy" / "postgres-init.sql").read_text())
    assert sorted(created) == sorted(f"gongzhi_{name}" for name in config.DATABASES)
    url = environment(services(load())["migrate"])["DATABASE_URL"]
    assert url.endswith("/gongzhi_{service}")


def test_numpy_and_scipy_are_only_in_the_full_requirements():
    base = (ROOT / "requirements.txt").read_text().lower()
    full = (ROOT / "requirements-full.txt").read_text().lower()
    assert not re.search(r"^(numpy|scipy)\b", base, re.MULTILINE)
    assert "-r requirements.txt" in full and "numpy==" in full and "scipy==" in full
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM .* AS base$", dockerfile, re.MULTILINE)
    assert re.search(r"^FROM .* AS full$", dockerfile, re.MULTILINE)
    assert re.findall(r"^USER (\S+)", dockerfile, re.MULTILINE) == ["10001:10001", "10001:10001"]
