"""The gateway serves the web console's build: index.html for / and every console route, the
content-hashed files under /assets/ cached for a year, the page's security headers, 404 for unknown
files and for every spelling of a path out of the build, and a page saying how to build it when the
build is missing. A small build made here stands in for Vite's (tests/browser drive the real one)."""

from __future__ import annotations

import gzip
import http.client

import pytest
from nameko import config as nameko_config

from gateway import pages
from tests.conftest import free_port

INDEX = (
    '<!doctype html><html lang="zh-CN"><head><script type="module" src="/assets/index-3f2a9c1b.js">'
    '</script><link rel="stylesheet" href="/assets/index-77d0e4aa.css"></head>'
    '<body><div id="root"></div></body></html>'
)
SCRIPT = "document.getElementById('root').textContent = '社区工作台';" * 40


def build(folder):
    (folder / "assets").mkdir(parents=True)
    (folder / "index.html").write_text(INDEX)
    (folder / "assets" / "index-3f2a9c1b.js").write_text(SCRIPT)
    (folder / "assets" / "index-77d0e4aa.css").write_text("body { margin: 0 }")
    (folder / "assets" / "logo-0c9d11e2.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    (folder / "favicon.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (folder / ".built").write_text("")  # ./run.sh's stamp: not a file of the console
    (folder / "secret.py").write_text("a file of a type the console never has")


@pytest.fixture
def gateway_with(databases, amqp_uri, runner_factory, monkeypatch):  # noqa: F811 (nameko's fixture)
    """Start the gateway alone serving the build in ``folder`` (None: no build); its host and port."""
    from gateway.service import GatewayService

    def start(folder):
        monkeypatch.setattr(pages, "CONSOLE", pages.Console(folder))
        port = free_port()
        nameko_config["WEB_SERVER_ADDRESS"] = f"127.0.0.1:{port}"
        runner_factory(GatewayService).start()
        return "127.0.0.1", port

    return start


@pytest.fixture
def served(gateway_with, tmp_path):
    build(tmp_path / "dist")
    return gateway_with(tmp_path / "dist")


def fetch(address, path: str, method: str = "GET", headers: dict | None = None):
    """The gateway's answer to ``path`` sent exactly as written (no client tidies ``..`` away)."""
    connection = http.client.HTTPConnection(*address, timeout=10)
    try:
        connection.request(method, path, headers=headers or {})
        answer = connection.getresponse()
        return answer.status, {k.lower(): v for k, v in answer.getheaders()}, answer.read()
    finally:
        connection.close()


def test_the_console_page_answers_at_the_root_and_at_every_route_of_it(served):
    for path in ("/", "/index.html", "/meetings", "/meetings/abc/agenda", "/public/notices/x?y=1", "/zh-CN"):
        status, headers, body = fetch(served, path)
        assert status == 200, path
        assert body.decode() == INDEX, path
        assert headers["content-type"] == "text/html; charset=utf-8"
        assert headers["cache-control"] == "no-cache"
        policy = headers["content-security-policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "unsafe-eval" not in policy and "script-src 'self' 'unsafe-inline'" not in policy
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"
        assert headers["x-frame-options"] == "DENY"


def test_hashed_assets_are_cached_for_a_year_with_their_types_and_compressed_for_who_accepts_gzip(served):
    status, headers, body = fetch(served, "/assets/index-3f2a9c1b.js")
    assert (status, body.decode()) == (200, SCRIPT)
    assert headers["content-type"] == "text/javascript; charset=utf-8"
    assert headers["cache-control"] == "public, max-age=31536000, immutable"
    assert "content-encoding" not in headers and "content-security-policy" not in headers

    status, headers, body = fetch(served, "/assets/index-3f2a9c1b.js", headers={"Accept-Encoding": "gzip"})
    assert headers["content-encoding"] == "gzip" and headers["vary"] == "Accept-Encoding"
    assert gzip.decompress(body).decode() == SCRIPT and len(body) < len(SCRIPT.encode()) / 5

    assert fetch(served, "/assets/index-77d0e4aa.css")[1]["content-type"] == "text/css; charset=utf-8"
    status, headers, body = fetch(served, "/assets/logo-0c9d11e2.png", headers={"Accept-Encoding": "gzip"})
    assert headers["content-type"] == "image/png" and "content-encoding" not in headers
    status, headers, _ = fetch(served, "/favicon.svg")
    assert (status, headers["content-type"], headers["cache-control"]) == (
        200,
        "image/svg+xml",
        "public, max-age=3600",
    )


def test_a_file_not_changed_since_the_browser_read_it_is_not_sent_again(served):
    _, headers, _ = fetch(served, "/")
    status, _, body = fetch(served, "/", headers={"If-None-Match": headers["etag"]})
    assert (status, body) == (304, b"")
    _, headers, _ = fetch(served, "/assets/index-3f2a9c1b.js", headers={"Accept-Encoding": "gzip"})
    status, _, _ = fetch(
        served,
        "/assets/index-3f2a9c1b.js",
        headers={"Accept-Encoding": "gzip", "If-None-Match": headers["etag"]},
    )
    assert status == 304


def test_head_answers_the_headers_without_the_body(served):
    status, headers, body = fetch(served, "/", method="HEAD")
    assert (status, body) == (200, b"")
    assert headers["content-type"] == "text/html; charset=utf-8" and "content-security-policy" in headers
    status, headers, body = fetch(served, "/assets/index-3f2a9c1b.js", method="HEAD")
    assert (status, body, headers["content-length"]) == (200, b"", str(len(SCRIPT.encode())))


TRAVERSALS = [
    "/assets/../../etc/passwd",
    "/assets/..%2F..%2F..%2Fetc%2Fpasswd",
    "/assets/%2e%2e/%2e%2e/etc/passwd",
    "/assets/%252e%252e%252fetc%252fpasswd",
    "/assets/..\\..\\gateway\\pages.py",
    "/..%2Fgateway%2Fpages.py",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/assets/index-3f2a9c1b.js%00.html",
    "/assets/",
    "/assets/index-3f2a9c1b.js/",
    "/secret.py",
    "/.built",
    "/assets/" + "x" * 3000 + ".js",
]


def test_unknown_files_and_paths_out_of_the_build_are_404_never_a_file_of_the_machine(served):
    for path in TRAVERSALS + ["/assets/index-00000000.js", "/favicon.ico", "/robots.txt"]:
        status, headers, body = fetch(served, path)
        assert status == 404, path
        assert b"root:" not in body and b"import" not in body and b"<div" not in body, path
        assert headers["x-content-type-options"] == "nosniff", path


def test_the_apis_and_feeds_paths_are_never_the_console_page(served):
    for path in (
        "/graphql/x",
        "/static/a/b",
        "/notices/a/b",
        "/ocds/releases/x",
        "/calendar/x/y.ics",
        "/metrics/x",
    ):
        status, _, body = fetch(served, path)
        assert status == 404 and b"root" not in body, path
    status, headers, body = fetch(served, "/graphql")
    assert status == 200 and b"GraphiQL" in body
    status, headers, body = fetch(served, "/static/graphiql.min.css")
    assert status == 200 and headers["content-type"].startswith("text/css")
    assert fetch(served, "/health")[0] == 200


def test_without_a_build_the_console_says_how_to_build_it(gateway_with, tmp_path):
    address = gateway_with(tmp_path / "nothing-built")
    status, headers, body = fetch(address, "/")
    page = body.decode()
    assert status == 503 and headers["content-type"].startswith("text/html")
    assert "./run.sh" in page and "npm run build" in page and "控制台尚未构建" in page
    assert fetch(address, "/meetings")[2] == body
    assert fetch(address, "/assets/index-3f2a9c1b.js")[0] == 404
