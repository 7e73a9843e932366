"""nameko's ``@http`` entrypoint as the gateway needs it: a socket of its own, clean answers.

eventlet's ``listen`` sets SO_REUSEPORT by default, so a second gateway started on a port already
in use would share it silently and take half the requests. This server binds without it: the second
process fails at once with "address already in use".

nameko answers an exception escaping an entrypoint with ``Error: <type>: <message>`` in plain text;
here it is a masked JSON error with a correlation id, and the details go to the log.
"""

from __future__ import annotations

import json
import logging
import uuid

import eventlet
from nameko.web.handlers import HttpRequestHandler
from nameko.web.server import WebServer
from werkzeug.exceptions import BadRequest
from werkzeug.wrappers import Response

log = logging.getLogger(__name__)


def listen(address: tuple[str, int]):
    return eventlet.listen(address, reuse_port=False)


def nosniff(app):
    """WSGI middleware: no answer of the gateway, its router's own 404s included, is content-sniffed."""

    def middleware(environ, start_response):
        def start(status, headers, exc_info=None):
            headers = [h for h in headers if h[0].lower() != "x-content-type-options"]
            return start_response(status, [*headers, ("X-Content-Type-Options", "nosniff")], exc_info)

        return app(environ, start)

    return middleware


class GatewayWebServer(WebServer):
    _starting: bool  # nameko's own flag, set in its __init__

    def get_wsgi_app(self):
        return nosniff(super().get_wsgi_app())

    def start(self):
        if not self._starting:
            self._starting = True
            self._sock = listen(self.bind_addr)
            self._sock.settimeout(None)  # as nameko does: https://github.com/celery/kombu/issues/838
            self._serv = self.get_wsgi_server(self._sock, self.get_wsgi_app())
            self._gt = self.container.spawn_managed_thread(self.run)


class GatewayHttpHandler(HttpRequestHandler):
    server = GatewayWebServer()

    def response_from_exception(self, exc):
        correlation_id = str(uuid.uuid4())
        if isinstance(exc, BadRequest):
            status, code, message = 400, "bad_request", "the request could not be read"
        else:
            log.error("internal error [%s]", correlation_id, exc_info=exc)
            status, code = 500, "internal_error"
            message = f"internal error; quote correlation id {correlation_id}"
        body = {
            "errors": [{"message": message, "extensions": {"code": code, "correlationId": correlation_id}}]
        }
        return Response(json.dumps(body), status=status, mimetype="application/json")


http = GatewayHttpHandler.decorator
