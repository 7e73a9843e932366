"""The chaos harness: the platform in one process per service and gateway, on PostgreSQL databases
and a RabbitMQ node of the harness's own, driven through the gateway as the parties would while
processes are SIGKILLed, the broker restarted and database backends terminated; then every effect
the flows should have had is counted in the databases.

``python -m tests.chaos.run`` (or ``bench/chaos.py``) runs it and prints one JSON object per
effect and a summary; ``tests/chaos/test_chaos_short.py`` is the short run of the test suite. The
harness itself imports neither nameko nor eventlet: it runs in a process of its own.
"""
