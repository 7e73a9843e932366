"""The platform's fixtures, for every layer but the unit one: one for the broker, one for the
databases, one for the running platform, and the gateway with its services stood in.

Importing this module monkey-patches eventlet first (nameko's workers and the tests share one
hub), so a layer's conftest imports it before anything else of that layer; see ``register``.
Integration and end-to-end tests use the real RabbitMQ (a fresh vhost per test) and the real
PostgreSQL (one database per service, emptied per test).
"""

from __future__ import annotations

import warnings

warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")

import eventlet  # noqa: E402

eventlet.monkey_patch()

import json  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import urllib.parse  # noqa: E402
import urllib.request  # noqa: E402
import uuid  # noqa: E402
from base64 import b64encode  # noqa: E402

import pytest  # noqa: E402

# Tenders open and awards become final within a second of their time, not five.
os.environ.setdefault("GONGZHI_TENDER_TICK_SECONDS", "1")
# Unanswered offers, no-shows and unfilled requests are looked for every second, not every thirty.
os.environ.setdefault("GONGZHI_VOLUNTEER_TICK_SECONDS", "1")

from nameko import config as nameko_config  # noqa: E402

# nameko's pytest plugin is off (-p no:pytest_nameko, so that the unit layer never imports
# nameko); the one fixture of it the tests use comes from here instead.
from nameko.testing.pytest import runner_factory  # noqa: E402, F401
from sqlalchemy import create_engine, text  # noqa: E402

from shared import config  # noqa: E402
from shared.db import make_engine, standalone_unit_of_work  # noqa: E402
from tests.conftest import free_port  # noqa: E402

PLUGIN_NAME = "gongzhi-platform"


def register(pytest_config) -> None:
    """Make these fixtures available once per session, whichever layer's conftest asks first
    (a session-scoped fixture imported into several conftests would be set up once in each)."""
    if pytest_config.pluginmanager.get_plugin(PLUGIN_NAME) is None:
        import sys

        pytest_config.pluginmanager.register(sys.modules[__name__], PLUGIN_NAME)


# PostgreSQL ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def database_template():
    """Fresh databases gz_test_<service>, migrated by each service's alembic history."""
    from shared.migrations import upgrade

    server = config.test_postgres_url()
    admin = create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    prefix = f"gz_test_{os.getpid()}"
    try:
        with admin.connect() as connection:
            for service in config.DATABASES:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{prefix}_{service}" WITH (FORCE)'))
                connection.execute(text(f'CREATE DATABASE "{prefix}_{service}"'))
    except Exception as exc:
        pytest.fail(f"PostgreSQL is needed at {server} (set TEST_POSTGRES_URL): {exc}")
    template = f"{server}/{prefix}_{{service}}"
    for service in config.DATABASES:
        upgrade(service, template.format(service=service))
    yield template
    with admin.connect() as connection:
        for service in config.DATABASES:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{prefix}_{service}" WITH (FORCE)'))
    admin.dispose()


# The tables a test may have written to; the gateway's audit log is append-only (its trigger refuses
# DELETE and TRUNCATE alike) and is never emptied.
_TABLES = (
    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
    "AND tablename NOT IN ('alembic_version', 'audit_entry')"
)


def _empty(connection) -> None:
    """Delete the rows of the tables that have any. TRUNCATE makes new files for every table and
    index whether it held rows or not (about a second for the platform's 63 tables on a busy
    machine, paid by every test); a DELETE of a test's few rows costs milliseconds. Foreign keys
    are not checked meanwhile (replica role, a superuser's), so no order among tables is needed;
    without that right the tables that hold rows are truncated instead."""
    tables = [row[0] for row in connection.execute(text(_TABLES))]
    if not tables:
        return
    probe = " UNION ALL ".join(f"SELECT '{t}' WHERE EXISTS (SELECT FROM {t})" for t in tables)
    used = [row[0] for row in connection.execute(text(probe))]
    if not used:
        return
    if connection.execute(text("SELECT current_setting('is_superuser')")).scalar() != "on":
        connection.execute(text(f"TRUNCATE {', '.join(used)} CASCADE"))
        return
    connection.execute(text("SET LOCAL session_replication_role = replica"))
    for table in used:
        connection.execute(text(f"DELETE FROM {table}"))


@pytest.fixture
def databases(database_template, monkeypatch):
    """Every service's database, emptied, and DATABASE_URL pointing the services at them."""
    monkeypatch.setenv("DATABASE_URL", database_template)
    engines = {}
    for service in config.DATABASES:
        engine = make_engine(database_template.format(service=service), pool_size=2)
        with engine.begin() as connection:
            _empty(connection)
        engines[service] = engine
    yield engines
    for engine in engines.values():
        engine.dispose()


# RabbitMQ --------------------------------------------------------------------------------


def _management(method: str, path: str, body: dict | None = None) -> None:
    parts = urllib.parse.urlsplit(config.test_rabbit_api())
    request = urllib.request.Request(
        f"{parts.scheme}://{parts.hostname}:{parts.port}/api/{path}",
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={
            "content-type": "application/json",
            "authorization": "Basic " + b64encode(f"{parts.username}:{parts.password}".encode()).decode(),
        },
    )
    urllib.request.urlopen(request, timeout=5).read()


def _management_api() -> bool:
    """Whether RabbitMQ's management API answers (its plugin is not enabled everywhere)."""
    try:
        _management("GET", "overview")
        return True
    except OSError:
        return False


class _VhostsByRabbitmqctl:
    """Vhosts made ahead of the tests and deleted behind them, where rabbitmqctl is the only way.

    Each rabbitmqctl call boots an Erlang VM (a second or more; three calls per test made every
    broker test wait that long three times). Here one call (import_definitions) makes the next
    few vhosts with the guest's permissions while the tests run, and the used ones are deleted in
    the background; the session waits for all of it at its end."""

    BATCH = 4

    def __init__(self):
        if not shutil.which("rabbitmqctl"):
            pytest.fail("RabbitMQ's management API or rabbitmqctl is needed to give each test its own vhost")
        self.ready: list[str] = []
        self.making: tuple[subprocess.Popen, list[str]] | None = None
        self.used: list[str] = []
        self.deleting: subprocess.Popen | None = None

    def _make_batch(self) -> None:
        names = [f"gz-test-{uuid.uuid4().hex[:10]}" for _ in range(self.BATCH)]
        definitions = {
            "vhosts": [{"name": name} for name in names],
            "permissions": [
                {"user": "guest", "vhost": name, "configure": ".*", "write": ".*", "read": ".*"}
                for name in names
            ],
        }
        # rabbitmqctl runs as the broker's user: the file must be readable by it.
        folder = tempfile.mkdtemp(prefix="gz-vhosts-")
        os.chmod(folder, 0o755)
        path = os.path.join(folder, "definitions.json")
        with open(path, "w") as file:
            json.dump(definitions, file)
        os.chmod(path, 0o644)
        process = subprocess.Popen(
            f'rabbitmqctl -q import_definitions "{path}"; status=$?; rm -r "{folder}"; exit $status',
            shell=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.making = (process, names)

    def _collect(self) -> None:
        assert self.making is not None
        process, names = self.making
        errors = process.stderr.read() if process.stderr else ""
        process.wait()
        self.making = None
        if process.returncode != 0:
            pytest.fail(f"rabbitmqctl could not make the tests' vhosts: {errors}")
        self.ready.extend(names)

    def take(self) -> str:
        if not self.ready:
            if self.making is None:
                self._make_batch()
            self._collect()
        vhost = self.ready.pop()
        if not self.ready and self.making is None:
            self._make_batch()
        return vhost

    @staticmethod
    def _delete(vhosts: list[str]) -> subprocess.Popen:
        """One call deletes them all (one VM); one call each where eval is not allowed."""
        each = ", ".join(f'rabbit_vhost:delete(<<"{vhost}">>, <<"tests">>)' for vhost in vhosts)
        script = 'rabbitmqctl -q eval "$0" || for vhost; do rabbitmqctl -q delete_vhost "$vhost"; done'
        return subprocess.Popen(
            ["sh", "-c", script, f"{each}, ok.", *vhosts],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def give_back(self, vhost: str) -> None:
        self.used.append(vhost)
        if self.deleting is None or self.deleting.poll() is not None:
            self.deleting, self.used = self._delete(self.used), []

    def close(self) -> None:
        if self.making is not None:
            self._collect()
        if self.deleting is not None:
            self.deleting.wait()
        if self.used + self.ready:
            self._delete(self.used + self.ready).wait()


@pytest.fixture(scope="session")
def _vhosts():
    """How this session's tests get and give back their vhosts: the management API, else rabbitmqctl."""
    if _management_api():

        def take() -> str:
            vhost = f"gz-test-{uuid.uuid4().hex[:10]}"
            _management("PUT", f"vhosts/{vhost}")
            _management("PUT", f"permissions/{vhost}/guest", {"configure": ".*", "write": ".*", "read": ".*"})
            return vhost

        yield take, lambda vhost: _management("DELETE", f"vhosts/{vhost}")
        return
    pool = _VhostsByRabbitmqctl()
    try:
        yield pool.take, pool.give_back
    finally:
        pool.close()


@pytest.fixture
def amqp_uri(_vhosts, monkeypatch):
    """A fresh RabbitMQ vhost for one test, set as nameko's and the platform's broker."""
    take, give_back = _vhosts
    vhost = take()
    uri = f"{config.test_amqp_uri()}/{vhost}"
    monkeypatch.setenv("AMQP_URI", uri)
    with nameko_config.patch(config.nameko_config(AMQP_URI=uri, max_workers=8), clear=True):
        yield uri
    give_back(vhost)


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashes():
    """The gateway in this process hashes passwords with argon2 at its lowest cost.

    The production cost (about a quarter of a second of CPU per hash, two per signed-in test
    account) defends against guessing; the tests sign in hundreds of times and assert nothing of
    that cost, so here they take the same paths (hash, verify, rehash) for a millisecond each.
    Hashes made by other processes (operator commands, ./run.sh) keep theirs and verify as they are.
    """
    from argon2 import PasswordHasher

    from gateway import accounts

    saved = accounts._hasher, accounts._UNKNOWN_ACCOUNT_HASH
    accounts._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    accounts._UNKNOWN_ACCOUNT_HASH = accounts._hasher.hash(uuid.uuid4().hex)
    yield
    accounts._hasher, accounts._UNKNOWN_ACCOUNT_HASH = saved


class Platform:
    """The running platform: its GraphQL address, an operator's RPC client, and tokens."""

    def __init__(self, url: str, rpc):
        self.url = url
        self.rpc = rpc

    def token(self, principal) -> str:
        """An account for ``principal``'s party, signed in: its access token."""
        from gateway import accounts
        from gateway.models import Base

        uow = standalone_unit_of_work("gateway", Base.metadata)
        username, password = f"user-{uuid.uuid4().hex[:12]}", "a password for tests"
        accounts.create_account(uow, username, password, principal)
        return accounts.sign_in(uow, username, password, "127.0.0.1").access_token

    def client(self, principal):
        """A real GraphQL client signed in as ``principal``."""
        from gql import Client
        from gql.transport.requests import RequestsHTTPTransport

        transport = RequestsHTTPTransport(
            url=self.url, headers={"Authorization": f"Bearer {self.token(principal)}"}, timeout=30, retries=0
        )
        return Client(transport=transport, fetch_schema_from_transport=False)


@pytest.fixture
def platform(databases, amqp_uri, runner_factory, monkeypatch):  # noqa: F811 (nameko's fixture)
    """Every service and the gateway, on the real broker and databases, on a free port."""
    from nameko.standalone.rpc import ClusterRpcClient

    from deploy.broker import declare_queues
    from deploy.services import ALL_SERVICES, DOMAIN_SERVICES

    port = free_port()
    nameko_config["WEB_SERVER_ADDRESS"] = f"127.0.0.1:{port}"
    monkeypatch.setenv("GONGZHI_TOKEN_SECRET", "a-signing-key-for-tests-only-0123456789abcdef")
    declare_queues(DOMAIN_SERVICES, amqp_uri)
    runner_factory(*ALL_SERVICES).start()
    with ClusterRpcClient() as rpc:
        yield Platform(f"http://127.0.0.1:{port}/graphql", rpc)


# The gateway on its real database with the domain services stood in (service and adversarial tests).
from tests.gateway_stand_in import gateway  # noqa: E402, F401
