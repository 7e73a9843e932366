"""The gateway's pages for people: the web console (the built console/ app) at / and its routes,
GraphiQL for developers, and the static files GraphiQL needs."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

from werkzeug.wrappers import Request, Response

STATIC = Path(__file__).parent / "static"

GRAPHIQL_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Gongzhi GraphQL</title>
  <link rel="stylesheet" href="/static/graphiql.min.css">
  <style>body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }</style>
</head>
<body>
  <div id="graphiql">Loading GraphiQL…</div>
  <script src="/static/react.production.min.js"></script>
  <script src="/static/react-dom.production.min.js"></script>
  <script src="/static/graphiql.min.js"></script>
  <script>
    // A demo link carries the token in the fragment (#token=...), which never reaches a server log.
    const token = new URLSearchParams(window.location.hash.slice(1)).get("token");
    const headers = token ? JSON.stringify({Authorization: "Bearer " + token}, null, 2) : undefined;
    const fetcher = GraphiQL.createFetcher({url: "/graphql"});
    ReactDOM.createRoot(document.getElementById("graphiql")).render(
      React.createElement(GraphiQL, {
        fetcher,
        defaultHeaders: headers,
        defaultQuery: "{\\n  viewer {\\n    party { type name }\\n    community { name }\\n  }\\n}\\n",
      })
    );
  </script>
</body>
</html>
"""


def graphiql_page() -> Response:
    return Response(GRAPHIQL_PAGE, mimetype="text/html")


STATIC_TYPES = {".js": "application/javascript", ".css": "text/css"}


# The files there are all that is served: a name is looked up, never turned into a path.
STATIC_FILES = {path.name: path for path in STATIC.iterdir() if path.suffix in STATIC_TYPES}


def static_file(name: str) -> Response:
    path = STATIC_FILES.get(name)
    if path is None:
        return Response("not found", status=404)
    response = Response(path.read_bytes(), mimetype=STATIC_TYPES[path.suffix])
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


# The web console -------------------------------------------------------------------------------
# Vite's build of console/ (console/dist): index.html for every route the browser shows, and its
# content-hashed files under assets/. ./run.sh and ./test.sh build it; the Docker image copies it.
CONSOLE_DIST = Path(__file__).resolve().parent.parent / "console" / "dist"

CONSOLE_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".webmanifest": "application/manifest+json",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
}
# Text is sent compressed to a browser that accepts gzip; images and fonts are compressed already.
COMPRESSIBLE = {".html", ".js", ".mjs", ".css", ".json", ".map", ".webmanifest", ".txt", ".svg"}

# The paths of the API and the machines' feeds: nothing under them is a console route, so an unknown
# path there is a 404, never the console's page.
RESERVED = ("graphql", "static", "health", "ready", "metrics", "calendar", "notices", "ocds", "assets")

# The console under which the built app runs: its scripts and styles are its own files (AntD writes
# its styles into <style> elements at run time, hence 'unsafe-inline' for styles only), it talks to
# this origin only, and no other site may frame it.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-cache",
}

NOT_BUILT_PAGE = """<!doctype html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>控制台尚未构建 · The console is not built</title>
  <style>body { font: 16px/1.6 system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; }
  code { background: #f2f2f2; padding: 0 .3em; }</style>
</head>
<body>
  <h1>控制台尚未构建</h1>
  <p>网关在 <code>console/dist</code> 中找不到构建好的 Web 控制台。运行 <code>./run.sh</code>
  会自动构建（需要 Node.js 20 或更高版本），或手动执行
  <code>cd console &amp;&amp; npm ci &amp;&amp; npm run build</code>，然后重新启动平台。</p>
  <h2 lang="en">The console is not built</h2>
  <p lang="en">The gateway finds no built web console in <code>console/dist</code>. <code>./run.sh</code>
  builds it (Node.js 20 or later is needed), or run <code>cd console &amp;&amp; npm ci &amp;&amp; npm run
  build</code>, then start the platform again.</p>
  <p>GraphQL API: <a href="/graphql">/graphql</a></p>
</body>
</html>
"""


class ConsoleFile:
    """One file of the build, read once: its bytes, gzipped bytes when worth it, and its ETag."""

    def __init__(self, path: Path):
        self.body = path.read_bytes()
        self.content_type = CONSOLE_TYPES[path.suffix]
        self.etag = hashlib.sha256(self.body).hexdigest()[:32]
        self.gzipped = gzip.compress(self.body, mtime=0) if path.suffix in COMPRESSIBLE else None


class Console:
    """The built console as a table from URL path to file, made from the dist folder once.

    A request's path is only ever a key of this table: it is never joined to a folder, so no
    spelling of ``..`` reaches a file outside the build. Hidden files (the build's stamp) and
    files of types not listed are not in it."""

    def __init__(self, dist: Path):
        self.files: dict[str, ConsoleFile] = {}
        if (dist / "index.html").is_file():
            for path in sorted(dist.rglob("*")):
                relative = path.relative_to(dist)
                hidden = any(part.startswith(".") for part in relative.parts)
                if path.is_file() and path.suffix in CONSOLE_TYPES and not hidden:
                    self.files[relative.as_posix()] = ConsoleFile(path)
        self.index = self.files.get("index.html")

    def answer(self, request: Request, path: str) -> Response:
        """The file at ``path``, the console's page for a route of it, or 404."""
        if self.index is None:
            if _is_file_like(path):
                return Response("not found", status=404, mimetype="text/plain")
            return _page(Response(NOT_BUILT_PAGE, status=503, mimetype="text/html"))
        found = self.files.get(path)
        if found is not None and path != "index.html":
            response = self._send(request, found)
            # Names under assets/ carry their content's hash: a changed file has a new name.
            immutable = path.startswith("assets/")
            response.headers["Cache-Control"] = (
                "public, max-age=31536000, immutable" if immutable else "public, max-age=3600"
            )
            return response
        if found is None and _is_file_like(path):
            return Response("not found", status=404, mimetype="text/plain")
        return _page(self._send(request, self.index))

    @staticmethod
    def _send(request: Request, file: ConsoleFile) -> Response:
        compressed = file.gzipped is not None and "gzip" in request.headers.get("Accept-Encoding", "")
        response = Response(file.gzipped if compressed else file.body, content_type=file.content_type)
        if compressed:
            response.headers["Content-Encoding"] = "gzip"
        if file.gzipped is not None:
            response.headers["Vary"] = "Accept-Encoding"
        response.set_etag(f"{file.etag}-gz" if compressed else file.etag)
        return response.make_conditional(request)


def _is_file_like(path: str) -> bool:
    """A path under the API's or the build's prefixes, or whose last part names a file (favicon.ico):
    a browser asking for it wants that file, never the console's page in its place. No console
    route has a part starting with a dot (``..``), a backslash or a NUL: those are 404 too."""
    parts = path.split("/")
    odd = "\\" in path or "\x00" in path or any(part.startswith(".") for part in parts)
    return odd or parts[0] in RESERVED or "." in parts[-1]


def _page(response: Response) -> Response:
    response.headers.update(PAGE_HEADERS)
    return response


CONSOLE = Console(CONSOLE_DIST)


def console(request: Request, path: str) -> Response:
    return CONSOLE.answer(request, path)
