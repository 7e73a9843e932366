"""nameko's ``@http`` entrypoint on a socket of its own.

eventlet's ``listen`` sets SO_REUSEPORT by default, so a second gateway started on a port already
in use would share it silently and take half the requests. This server binds without it: the second
process fails at once with "address already in use".
"""

from __future__ import annotations

import eventlet
from nameko.web.handlers import HttpRequestHandler
from nameko.web.server import WebServer


def listen(address: tuple[str, int]):
    return eventlet.listen(address, reuse_port=False)


class ExclusiveWebServer(WebServer):
    def start(self):
        if not self._starting:
            self._starting = True
            self._sock = listen(self.bind_addr)
            self._sock.settimeout(None)  # as nameko does: https://github.com/celery/kombu/issues/838
            self._serv = self.get_wsgi_server(self._sock, self.get_wsgi_app())
            self._gt = self.container.spawn_managed_thread(self.run)


class ExclusiveHttpRequestHandler(HttpRequestHandler):
    server = ExclusiveWebServer()


http = ExclusiveHttpRequestHandler.decorator
