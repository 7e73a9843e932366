"""The Kubernetes manifests (deploy/kubernetes) render, are valid Kubernetes, and keep the rules the
platform is deployed by.

``kubectl kustomize`` renders the base and the production overlay; every document is validated
against the Kubernetes JSON schemas that ``kubernetes-validate`` ships (strict: an unknown field
fails), with the network shut off, so nothing is fetched. Then each rule of deploy/README.md
("Kubernetes") is a function that lists what breaks it: the rendered manifests break none, and a
copy broken on purpose breaks each one (so no rule passes by checking nothing).
"""

from __future__ import annotations

import copy
import re
import shutil
import socket
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
KUBERNETES = ROOT / "deploy" / "kubernetes"
KUSTOMIZATIONS = {"base": KUBERNETES / "base", "production": KUBERNETES / "overlays" / "production"}
# The oldest Kubernetes the manifests are written for (the version of kubectl here and in CI), and
# the newest whose schemas kubernetes-validate ships (no API the manifests use is gone there).
KUBERNETES_VERSION = "1.32"
KUBERNETES_VERSIONS = (KUBERNETES_VERSION, kubernetes_validate.utils.latest_version())
SERVICES = ("meetings", "matching", "volunteers", "contracts")
SECRET = "gongzhi-secrets"
SECRET_VARIABLES = ("GONGZHI_TOKEN_SECRET", "DATABASE_URL", "AMQP_URI", "GONGZHI_REDIS_URL")
BACKING_PORTS = {53, 5672, 5432, 6379}  # DNS, RabbitMQ, PostgreSQL, Redis
METRICS_PORTS = {8000, 9100}
WORKLOADS = ("Deployment", "Job")

Docs = list[dict[str, Any]]


def render(path: Path) -> Docs:
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.fail(
            "kubectl is not installed: these tests render deploy/kubernetes with `kubectl kustomize` "
            "(kubectl 1.27 or later bundles kustomize v5). Install the kubectl package (apt-get install "
            "kubectl, from the Kubernetes or Google Cloud apt repository) and run the tests again."
        )
    done = subprocess.run(
        [kubectl, "kustomize", str(path)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, f"kubectl kustomize {path} failed:\n{done.stderr}"
    return [doc for doc in yaml.safe_load_all(done.stdout) if doc]


@pytest.fixture(scope="module", params=sorted(KUSTOMIZATIONS))
def rendered(request) -> Docs:
    return render(KUSTOMIZATIONS[request.param])


@pytest.fixture(scope="module")
def production() -> Docs:
    return render(KUSTOMIZATIONS["production"])


# --- reading the rendered documents ---


def of_kind(docs: Docs, kind: str) -> Docs:
    return [doc for doc in docs if doc.get("kind") == kind]


def named(docs: Docs, kind: str, name: str) -> dict[str, Any] | None:
    return next((doc for doc in of_kind(docs, kind) if doc["metadata"]["name"] == name), None)


def pod_spec(workload: dict[str, Any]) -> dict[str, Any]:
    return workload["spec"]["template"]["spec"]


def containers(workload: dict[str, Any]) -> list[dict[str, Any]]:
    spec = pod_spec(workload)
    return [*spec.get("initContainers", []), *spec.get("containers", [])]


def workloads(docs: Docs) -> Iterator[tuple[str, dict[str, Any]]]:
    for doc in docs:
        if doc.get("kind") in WORKLOADS:
            yield f"{doc['kind']}/{doc['metadata']['name']}", doc


def command_line(container: dict[str, Any]) -> str:
    return " ".join([*container.get("command", []), *container.get("args", [])])


def env(container: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["name"]: item for item in container.get("env", [])}


def config_maps(docs: Docs, container: dict[str, Any]) -> list[dict[str, Any]]:
    """The ConfigMaps a container reads whole (envFrom)."""
    names = [
        source["configMapRef"]["name"] for source in container.get("envFrom", []) if "configMapRef" in source
    ]
    return [doc for doc in of_kind(docs, "ConfigMap") if doc["metadata"]["name"] in names]


def setting(docs: Docs, container: dict[str, Any], name: str) -> str | None:
    """The literal value a container gets for a variable: its own env first, else a ConfigMap's."""
    own = env(container).get(name)
    if own is not None:
        return own.get("value")
    for config_map in config_maps(docs, container):
        if name in config_map.get("data", {}):
            return config_map["data"][name]
    return None


def selects(selector: dict[str, Any], labels: dict[str, str]) -> bool:
    wanted = selector.get("matchLabels", {})
    return bool(wanted) and all(labels.get(key) == value for key, value in wanted.items())


def image_user() -> tuple[int, int | None]:
    """The user and group ids the image runs as: the Dockerfile's USER (the same in every target),
    numbers or a user it adds with --uid (else Debian's first user id, 1000)."""
    text = (ROOT / "Dockerfile").read_text()
    users = set(re.findall(r"^USER\s+(\S+)", text, re.MULTILINE))
    assert len(users) == 1, (
        f"the Dockerfile's targets run as {sorted(users) or 'root'}, not one non-root user"
    )
    user, _, group = users.pop().partition(":")
    gid = int(group) if group.isdigit() else None
    if user.isdigit():
        return int(user), gid
    added = re.search(rf"useradd\b[^\n&;]*?(?:--uid|-u)\s+(\d+)[^\n&;]*\b{re.escape(user)}\b", text)
    return (int(added.group(1)) if added else 1000), gid


# --- the rules: each lists what breaks it ---


def resource_violations(docs: Docs) -> list[str]:
    found = []
    for where, workload in workloads(docs):
        for container in containers(workload):
            resources = container.get("resources", {})
            for bound in ("requests", "limits"):
                for resource in ("cpu", "memory"):
                    if resource not in resources.get(bound, {}):
                        found.append(f"{where} {container['name']}: no {bound}.{resource}")
    return found


def probe_violations(docs: Docs) -> list[str]:
    found = []
    for deployment in of_kind(docs, "Deployment"):
        where = f"Deployment/{deployment['metadata']['name']}"
        for container in pod_spec(deployment)["containers"]:
            ports = {port.get("name"): port["containerPort"] for port in container.get("ports", [])}
            for probe, path in (("livenessProbe", "/health/live"), ("readinessProbe", "/health/ready")):
                get = container.get(probe, {}).get("httpGet")
                if get is None or get.get("path") != path:
                    found.append(f"{where} {container['name']}: {probe} is not httpGet {path}")
                    continue
                port = ports.get(get["port"], get["port"])
                wanted = 8000 if deployment["metadata"]["name"] == "gateway" else 9100
                if port != wanted:
                    found.append(f"{where} {container['name']}: {probe} on port {port}, not {wanted}")
    return found


def security_violations(docs: Docs) -> list[str]:
    found = []
    uid, gid = image_user()
    for where, workload in workloads(docs):
        spec = pod_spec(workload)
        pod = spec.get("securityContext", {})
        if pod.get("runAsNonRoot") is not True:
            found.append(f"{where}: runAsNonRoot is not true")
        if pod.get("runAsUser") != uid:
            found.append(f"{where}: runAsUser {pod.get('runAsUser')} is not the image's user {uid}")
        if gid is not None and pod.get("runAsGroup") != gid:
            found.append(f"{where}: runAsGroup {pod.get('runAsGroup')} is not the image's group {gid}")
        if pod.get("seccompProfile", {}).get("type") != "RuntimeDefault":
            found.append(f"{where}: seccompProfile is not RuntimeDefault")
        if spec.get("automountServiceAccountToken") is not False:
            found.append(f"{where}: mounts a service account token")
        empty_dirs = {volume["name"] for volume in spec.get("volumes", []) if "emptyDir" in volume}
        for container in containers(workload):
            name = f"{where} {container['name']}"
            context = container.get("securityContext", {})
            if context.get("allowPrivilegeEscalation") is not False:
                found.append(f"{name}: allowPrivilegeEscalation is not false")
            if context.get("readOnlyRootFilesystem") is not True:
                found.append(f"{name}: the root filesystem is not read-only")
            if "ALL" not in context.get("capabilities", {}).get("drop", []):
                found.append(f"{name}: does not drop ALL capabilities")
            if context.get("privileged") or context.get("runAsUser", uid) == 0:
                found.append(f"{name}: runs privileged or as root")
            mounted = {
                mount["mountPath"]
                for mount in container.get("volumeMounts", [])
                if mount["name"] in empty_dirs
            }
            for path in ("/app/var", "/tmp"):
                if path not in mounted:
                    found.append(f"{name}: no emptyDir at {path} (the root filesystem is read-only)")
    return found


CREDENTIALS_IN_URL = re.compile(r"[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@", re.IGNORECASE)


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def secret_violations(docs: Docs) -> list[str]:
    found = [f"Secret/{doc['metadata']['name']} is committed" for doc in of_kind(docs, "Secret")]
    for doc in docs:
        for text in strings(doc):
            if CREDENTIALS_IN_URL.search(text):
                found.append(f"{doc['kind']}/{doc['metadata']['name']}: a URL with a password: {text}")
    for config_map in of_kind(docs, "ConfigMap"):
        for key in config_map.get("data", {}):
            if key in SECRET_VARIABLES or key.startswith("DATABASE_URL") or "PASSWORD" in key:
                found.append(f"ConfigMap/{config_map['metadata']['name']}: holds the secret {key}")
    for where, workload in workloads(docs):
        for container in containers(workload):
            for name, item in env(container).items():
                secret = name in SECRET_VARIABLES or name.startswith("DATABASE_URL") or "PASSWORD" in name
                if not secret:
                    continue
                reference = item.get("valueFrom", {}).get("secretKeyRef", {})
                if "value" in item or reference.get("name") != SECRET:
                    found.append(f"{where} {container['name']}: {name} is not read from the Secret {SECRET}")
    gateway = named(docs, "Deployment", "gateway")
    if gateway is not None:
        given = env(pod_spec(gateway)["containers"][0])
        found += [
            f"the gateway does not get {name} from the Secret"
            for name in SECRET_VARIABLES
            if name not in given
        ]
    return found


def gateway_violations(docs: Docs) -> list[str]:
    found = []
    gateway = named(docs, "Deployment", "gateway")
    if gateway is None:
        return ["no Deployment gateway"]
    if gateway["spec"].get("replicas", 1) < 2:
        found.append(f"the gateway runs {gateway['spec'].get('replicas', 1)} replica(s), not several")
    (container,) = pod_spec(gateway)["containers"]
    if command_line(container) != "python -m deploy.serve gateway":
        found.append(f"the gateway runs {command_line(container)!r}")
    if 8000 not in {port["containerPort"] for port in container.get("ports", [])}:
        found.append("the gateway does not expose port 8000")
    if setting(docs, container, "GONGZHI_HTTP") != "0.0.0.0:8000":
        found.append("the gateway does not listen on 0.0.0.0:8000 (GONGZHI_HTTP)")
    autoscalers = [
        hpa
        for hpa in of_kind(docs, "HorizontalPodAutoscaler")
        if hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": "gateway"}
    ]
    if not autoscalers:
        found.append("no HorizontalPodAutoscaler scales the gateway")
    for hpa in autoscalers:
        if not any(
            metric.get("resource", {}).get("name") == "cpu" for metric in hpa["spec"].get("metrics", [])
        ):
            found.append(f"HorizontalPodAutoscaler/{hpa['metadata']['name']} does not follow CPU")
        if hpa["spec"].get("minReplicas", 1) < 2 or hpa["spec"]["maxReplicas"] <= hpa["spec"]["minReplicas"]:
            found.append(
                f"HorizontalPodAutoscaler/{hpa['metadata']['name']}: minReplicas < 2 or no room to grow"
            )
        if gateway["spec"].get("replicas", 1) != hpa["spec"].get("minReplicas", 1):
            found.append("the gateway's replicas differ from its autoscaler's minReplicas")
    return found


def service_violations(docs: Docs) -> list[str]:
    found = []
    for name in SERVICES:
        deployment = named(docs, "Deployment", name)
        if deployment is None:
            found.append(f"no Deployment {name}")
            continue
        (container,) = pod_spec(deployment)["containers"]
        if command_line(container) != f"python -m deploy.serve {name}":
            found.append(f"Deployment/{name} runs {command_line(container)!r}")
    for deployment in of_kind(docs, "Deployment"):
        # Every process, the gateway too, serves its metrics on 9100 (in production the gateway's
        # public port answers /metrics with 404).
        (container,) = pod_spec(deployment)["containers"]
        if setting(docs, container, "GONGZHI_METRICS_ADDRESS") != "0.0.0.0:9100":
            found.append(
                f"Deployment/{deployment['metadata']['name']}: GONGZHI_METRICS_ADDRESS is not 0.0.0.0:9100"
            )
    for deployment in of_kind(docs, "Deployment"):
        name = deployment["metadata"]["name"]
        port = 8000 if name == "gateway" else 9100
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        if not selects(deployment["spec"]["selector"], labels):
            found.append(f"Deployment/{name}: its selector does not select its pods")
        services = [
            service
            for service in of_kind(docs, "Service")
            if service["spec"].get("type", "ClusterIP") == "ClusterIP"
            and selects({"matchLabels": service["spec"].get("selector", {})}, labels)
            and port in {item["port"] for item in service["spec"]["ports"]}
        ]
        if not services:
            found.append(f"no ClusterIP Service reaches Deployment/{name} on port {port}")
        annotations = deployment["spec"]["template"]["metadata"].get("annotations", {})
        wanted = {
            "prometheus.io/scrape": "true",
            "prometheus.io/port": "9100",
            "prometheus.io/path": "/metrics",
        }
        if any(annotations.get(key) != value for key, value in wanted.items()):
            found.append(f"Deployment/{name}: its pods do not ask Prometheus to scrape /metrics on 9100")
        budgets = [
            pdb for pdb in of_kind(docs, "PodDisruptionBudget") if selects(pdb["spec"]["selector"], labels)
        ]
        if not budgets:
            found.append(f"no PodDisruptionBudget covers Deployment/{name}")
        for pdb in budgets:
            if "maxUnavailable" in pdb["spec"]:
                continue
            if pdb["spec"].get("minAvailable", 0) >= deployment["spec"].get("replicas", 1):
                found.append(
                    f"PodDisruptionBudget/{pdb['metadata']['name']} lets no pod be evicted (drains hang)"
                )
    return found


def migration_violations(docs: Docs) -> list[str]:
    found = []
    jobs = [
        job
        for job in of_kind(docs, "Job")
        if any(command_line(container) == "python -m deploy.migrate" for container in containers(job))
    ]
    if not jobs:
        found.append("no Job runs python -m deploy.migrate")
    for deployment in of_kind(docs, "Deployment"):
        for container in containers(deployment):
            line = command_line(container)
            if re.search(r"migrat|alembic|upgrade", line):
                found.append(f"Deployment/{deployment['metadata']['name']} migrates: {line!r}")
            if setting(docs, container, "GONGZHI_ENV") != "production":
                found.append(
                    f"Deployment/{deployment['metadata']['name']}: GONGZHI_ENV is not production "
                    "(a service would migrate at start)"
                )
    return found


def network_violations(docs: Docs) -> list[str]:
    policies = of_kind(docs, "NetworkPolicy")
    if not policies:
        return ["no NetworkPolicy"]
    found = []
    deny = [
        policy
        for policy in policies
        if policy["spec"].get("podSelector") == {}
        and set(policy["spec"].get("policyTypes", [])) == {"Ingress", "Egress"}
        and not policy["spec"].get("ingress")
        and not policy["spec"].get("egress")
    ]
    if not deny:
        found.append("no default-deny NetworkPolicy (every pod, Ingress and Egress, no rule)")
    gateway_pods = {"app.kubernetes.io/name": "gateway", "app.kubernetes.io/part-of": "gongzhi"}
    gateway_reachable = False
    for policy in policies:
        name = f"NetworkPolicy/{policy['metadata']['name']}"
        for rule in policy["spec"].get("ingress", []):
            ports = {port.get("port") for port in rule.get("ports", [])}
            if not rule.get("from") or not ports:
                found.append(f"{name}: an ingress rule open to every peer or every port")
                continue
            scrapes = ports <= METRICS_PORTS and all(
                peer.get("podSelector", {}).get("matchLabels", {}).get("app.kubernetes.io/name")
                == "prometheus"
                for peer in rule["from"]
            )
            if scrapes:
                continue
            if (
                policy["spec"]["podSelector"].get("matchLabels", {}).get("app.kubernetes.io/name")
                != "gateway"
            ):
                found.append(f"{name}: lets something other than Prometheus reach pods besides the gateway")
            elif selects(policy["spec"]["podSelector"], gateway_pods) and ports == {8000}:
                gateway_reachable = True
        for rule in policy["spec"].get("egress", []):
            ports = {port.get("port") for port in rule.get("ports", [])}
            if not rule.get("to") or not ports or not ports <= BACKING_PORTS:
                found.append(f"{name}: egress beyond DNS, RabbitMQ, PostgreSQL and Redis: {rule}")
    if not gateway_reachable:
        found.append("no NetworkPolicy lets the ingress controller reach the gateway on 8000")
    # Every pod of the platform may still reach what it needs: DNS, RabbitMQ, PostgreSQL, Redis.
    for where, workload in workloads(docs):
        labels = workload["spec"]["template"]["metadata"].get("labels", {})
        reachable = {
            port.get("port")
            for policy in policies
            if policy["spec"]["podSelector"] == {} or selects(policy["spec"]["podSelector"], labels)
            for rule in policy["spec"].get("egress", [])
            for port in rule.get("ports", [])
        }
        found += [f"{where}: its pods cannot reach port {port}" for port in sorted(BACKING_PORTS - reachable)]
    return found


RULES: dict[str, Callable[[Docs], list[str]]] = {
    "resources": resource_violations,
    "probes": probe_violations,
    "security": security_violations,
    "secrets": secret_violations,
    "gateway": gateway_violations,
    "services": service_violations,
    "migrations": migration_violations,
    "network": network_violations,
}


# --- the tests ---


@pytest.fixture
def no_network(monkeypatch):
    """Any connection or name lookup fails the test: the schemas must come from the package."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"the validation tried to reach the network: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_kustomize_renders_the_whole_platform(rendered):
    names = {(doc["kind"], doc["metadata"]["name"]) for doc in rendered}
    for name in (*SERVICES, "gateway"):
        assert ("Deployment", name) in names
    assert ("Job", "gongzhi-migrate") in names
    assert ("HorizontalPodAutoscaler", "gateway") in names
    assert {"rabbitmq", "postgres", "redis"} <= {
        doc["metadata"]["name"]
        for doc in of_kind(rendered, "Service")
        if doc["spec"]["type"] == "ExternalName"
    }


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_every_document_is_valid_kubernetes(rendered, version, no_network):
    for doc in rendered:
        try:
            kubernetes_validate.validate(doc, version, strict=True)
        except kubernetes_validate.ValidationError as error:
            where = ".".join(str(step) for step in error.path)
            pytest.fail(f"{doc['kind']}/{doc['metadata']['name']}: {where}: {error.message}")


def test_the_schemas_refuse_a_wrong_document(production, no_network):
    gateway = copy.deepcopy(named(production, "Deployment", "gateway"))
    gateway["spec"]["replica"] = 3  # a typo of replicas: strict validation knows no such field
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(gateway, KUBERNETES_VERSION, strict=True)
    job = copy.deepcopy(named(production, "Job", "gongzhi-migrate"))
    job["spec"]["backoffLimit"] = "three"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(job, KUBERNETES_VERSION, strict=True)


@pytest.mark.parametrize("rule", sorted(RULES))
def test_the_manifests_keep_the_rule(rendered, rule):
    assert RULES[rule](rendered) == []


def first_container(docs: Docs, kind: str, name: str) -> dict[str, Any]:
    found = named(docs, kind, name)
    assert found is not None
    return pod_spec(found)["containers"][0]


def set_env(docs: Docs, kind: str, name: str, variable: str, value: str) -> None:
    container = first_container(docs, kind, name)
    container["env"] = [item for item in container.get("env", []) if item["name"] != variable]
    container["env"].append({"name": variable, "value": value})


def policy(docs: Docs, name: str) -> dict[str, Any]:
    found = named(docs, "NetworkPolicy", name)
    assert found is not None
    return found


# Each rule broken on purpose, in every way worth checking: (rule, what is broken, how).
BREAKAGES: list[tuple[str, str, Callable[[Docs], None]]] = [
    (
        "resources",
        "no memory limit",
        lambda d: first_container(d, "Deployment", "meetings")["resources"]["limits"].pop("memory"),
    ),
    (
        "resources",
        "no requests on the Job",
        lambda d: first_container(d, "Job", "gongzhi-migrate")["resources"].pop("requests"),
    ),
    (
        "probes",
        "no readiness probe",
        lambda d: first_container(d, "Deployment", "contracts").pop("readinessProbe"),
    ),
    (
        "probes",
        "liveness on /health",
        lambda d: first_container(d, "Deployment", "gateway")["livenessProbe"]["httpGet"].update(
            path="/health"
        ),
    ),
    (
        "probes",
        "readiness on the wrong port",
        lambda d: first_container(d, "Deployment", "matching")["readinessProbe"]["httpGet"].update(port=8000),
    ),
    (
        "security",
        "root allowed",
        lambda d: pod_spec(named(d, "Deployment", "volunteers"))["securityContext"].update(
            runAsNonRoot=False
        ),
    ),
    (
        "security",
        "another user",
        lambda d: pod_spec(named(d, "Job", "gongzhi-migrate"))["securityContext"].update(runAsUser=1000),
    ),
    (
        "security",
        "another group",
        lambda d: pod_spec(named(d, "Deployment", "contracts"))["securityContext"].update(runAsGroup=0),
    ),
    (
        "security",
        "no seccomp profile",
        lambda d: pod_spec(named(d, "Deployment", "gateway"))["securityContext"].pop("seccompProfile"),
    ),
    (
        "security",
        "writable root",
        lambda d: first_container(d, "Deployment", "gateway")["securityContext"].update(
            readOnlyRootFilesystem=False
        ),
    ),
    (
        "security",
        "escalation allowed",
        lambda d: first_container(d, "Deployment", "meetings")["securityContext"].update(
            allowPrivilegeEscalation=True
        ),
    ),
    (
        "security",
        "capabilities kept",
        lambda d: first_container(d, "Deployment", "meetings")["securityContext"].pop("capabilities"),
    ),
    (
        "security",
        "no emptyDir at /tmp",
        lambda d: first_container(d, "Deployment", "contracts").update(
            volumeMounts=[
                m
                for m in first_container(d, "Deployment", "contracts")["volumeMounts"]
                if m["mountPath"] != "/tmp"
            ]
        ),
    ),
    (
        "secrets",
        "a committed Secret",
        lambda d: d.append(
            {
                "apiVersion": "v1",
                "kind": "Secret",
                "metadata": {"name": SECRET},
                "stringData": {"AMQP_URI": "x"},
            }
        ),
    ),
    (
        "secrets",
        "a literal signing key",
        lambda d: set_env(
            d, "Deployment", "gateway", "GONGZHI_TOKEN_SECRET", "a-literal-signing-key-of-forty-characters"
        ),
    ),
    (
        "secrets",
        "a password in a URL",
        lambda d: set_env(
            d, "Deployment", "meetings", "GONGZHI_LOG_TARGET", "amqp://gongzhi:hunter2@rabbitmq:5672/"
        ),
    ),
    (
        "secrets",
        "a database URL in the ConfigMap",
        lambda d: of_kind(d, "ConfigMap")[0]["data"].update(
            DATABASE_URL="postgresql://postgres/gongzhi_{service}"
        ),
    ),
    ("gateway", "one replica", lambda d: named(d, "Deployment", "gateway")["spec"].update(replicas=1)),
    ("gateway", "no autoscaler", lambda d: d.remove(named(d, "HorizontalPodAutoscaler", "gateway"))),
    (
        "gateway",
        "autoscaling on memory",
        lambda d: named(d, "HorizontalPodAutoscaler", "gateway")["spec"]["metrics"][0]["resource"].update(
            name="memory"
        ),
    ),
    ("services", "a service missing", lambda d: d.remove(named(d, "Deployment", "volunteers"))),
    (
        "services",
        "no metrics address",
        lambda d: first_container(d, "Deployment", "matching").update(
            env=[
                e
                for e in first_container(d, "Deployment", "matching")["env"]
                if e["name"] != "GONGZHI_METRICS_ADDRESS"
            ]
        ),
    ),
    ("services", "no metrics Service", lambda d: d.remove(named(d, "Service", "meetings-metrics"))),
    ("services", "no PodDisruptionBudget", lambda d: d.remove(named(d, "PodDisruptionBudget", "gateway"))),
    (
        "services",
        "no scrape annotation",
        lambda d: named(d, "Deployment", "contracts")["spec"]["template"]["metadata"].pop("annotations"),
    ),
    ("migrations", "no migrations Job", lambda d: d.remove(named(d, "Job", "gongzhi-migrate"))),
    (
        "migrations",
        "a service that migrates",
        lambda d: first_container(d, "Deployment", "meetings").update(
            command=["sh", "-c", "python -m deploy.migrate && python -m deploy.serve meetings"]
        ),
    ),
    (
        "migrations",
        "development mode",
        lambda d: set_env(d, "Deployment", "contracts", "GONGZHI_ENV", "development"),
    ),
    ("network", "no NetworkPolicy", lambda d: [d.remove(p) for p in of_kind(d, "NetworkPolicy")]),
    ("network", "no default deny", lambda d: d.remove(policy(d, "default-deny"))),
    (
        "network",
        "a service reachable from outside",
        lambda d: policy(d, "gateway-from-ingress")["spec"].update(
            podSelector={"matchLabels": {"app.kubernetes.io/name": "meetings"}}
        ),
    ),
    (
        "network",
        "ingress from anywhere",
        lambda d: policy(d, "gateway-from-ingress")["spec"]["ingress"][0].pop("from"),
    ),
    (
        "network",
        "the migrations Job cut off from its databases",
        lambda d: named(d, "Job", "gongzhi-migrate")["spec"]["template"]["metadata"]["labels"].pop(
            "app.kubernetes.io/part-of"
        ),
    ),
    (
        "network",
        "no egress to Redis",
        lambda d: policy(d, "backing-services-egress")["spec"]["egress"].pop(),
    ),
    (
        "network",
        "egress to the internet",
        lambda d: policy(d, "backing-services-egress")["spec"]["egress"].append(
            {"to": [{"ipBlock": {"cidr": "0.0.0.0/0"}}], "ports": [{"protocol": "TCP", "port": 443}]}
        ),
    ),
]


@pytest.mark.parametrize(
    ("rule", "broken", "breaking"), BREAKAGES, ids=[f"{r}: {b}" for r, b, _ in BREAKAGES]
)
def test_each_rule_fails_when_broken(production, rule, broken, breaking):
    docs = copy.deepcopy(production)
    assert RULES[rule](docs) == []
    breaking(docs)
    assert RULES[rule](docs), f"the {rule} rule did not notice: {broken}"


def test_every_rule_can_fail():
    assert {rule for rule, _, _ in BREAKAGES} == set(RULES)


def test_production_names_each_image_once_with_its_version(production):
    overlay = yaml.safe_load((KUSTOMIZATIONS["production"] / "kustomization.yaml").read_text())
    names = [entry["name"] for entry in overlay["images"]]
    assert sorted(names) == ["gongzhi", "gongzhi-full"], names
    wanted = {f"{entry['newName']}:{entry['newTag']}" for entry in overlay["images"]}
    used = {}
    for where, workload in workloads(production):
        for container in containers(workload):
            used[where] = container["image"]
            name, _, tag = container["image"].rpartition(":")
            assert name and tag and tag != "latest", f"{where}: {container['image']} has no fixed version"
    assert set(used.values()) == wanted
    # numpy and scipy only where they are needed: the Dockerfile's full target.
    full = {where for where, image in used.items() if "gongzhi-full:" in image}
    assert full == {"Deployment/volunteers", "Job/gongzhi-migrate"}


def test_the_first_apply_step_holds_the_job_and_no_deployment(production):
    """deploy/README.md applies `-l 'gongzhi.io/rollout!=after-migrations'` first, waits for the
    migrations Job, then applies everything: the first step has what the Job needs, no server."""
    first = [
        doc
        for doc in production
        if doc["metadata"].get("labels", {}).get("gongzhi.io/rollout") != "after-migrations"
    ]
    kinds = {doc["kind"] for doc in first}
    assert "Deployment" not in kinds
    assert {"Namespace", "ConfigMap", "ServiceAccount", "Job", "NetworkPolicy"} <= kinds
    assert {"rabbitmq", "postgres"} <= {doc["metadata"]["name"] for doc in of_kind(first, "Service")}
    held = {doc["metadata"]["name"] for doc in production if doc not in first}
    assert held == {*SERVICES, "gateway"}


def test_production_lets_in_only_the_public_paths_of_the_gateway(production):
    (ingress,) = of_kind(production, "Ingress")
    paths = [path for rule in ingress["spec"]["rules"] for path in rule["http"]["paths"]]
    assert {path["backend"]["service"]["name"] for path in paths} == {"gateway"}
    assert "/graphql" in {path["path"] for path in paths}
    exposed = [
        path["path"]
        for path in paths
        if path["path"] in ("/", "/metrics") or path["path"].startswith("/health")
    ]
    assert not exposed, f"the Ingress publishes {exposed}"
    assert ingress["spec"].get("tls"), "the Ingress has no TLS"


def test_production_puts_everything_in_its_namespace(production):
    (namespace,) = of_kind(production, "Namespace")
    assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"
    outside = [
        f"{doc['kind']}/{doc['metadata']['name']}"
        for doc in production
        if doc["kind"] != "Namespace" and doc["metadata"].get("namespace") != namespace["metadata"]["name"]
    ]
    assert not outside
