"""The gateway's pages for people: GraphiQL for developers, and the static files it needs."""

from __future__ import annotations

from pathlib import Path

from werkzeug.wrappers import Response

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
