"""Whether this process is ready to serve, for probes and supervisors.

``deploy.serve`` marks the process ready once every service in it has started and not ready the
moment one of them dies or the process begins to stop, before it exits. The gateway answers it
on ``GET /ready`` (200 or 503); any process mirrors it in the file ``GONGZHI_READY_FILE`` names
(present while ready), for an exec probe of a process that has no HTTP.
"""

from __future__ import annotations

from shared import config

_ready = False


def mark(ready: bool) -> None:
    global _ready
    _ready = ready
    path = config.ready_file()
    if path is None:
        return
    if ready:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("ready\n")
    else:
        path.unlink(missing_ok=True)


def is_ready() -> bool:
    return _ready
