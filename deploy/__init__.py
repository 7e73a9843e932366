"""What operators run. Everything here runs under eventlet, as nameko does, so the
monkey patch is applied before any of it (or anything it imports) opens a socket."""

import warnings

warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")

import eventlet  # noqa: E402

eventlet.monkey_patch()
