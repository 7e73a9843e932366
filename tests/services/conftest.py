"""This layer runs the platform's pieces: eventlet patched before anything of it is imported,
and the broker, database and platform fixtures of ``tests.platform_fixtures``."""

from tests import platform_fixtures


def pytest_configure(config):
    platform_fixtures.register(config)
