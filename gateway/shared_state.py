"""What the gateway's processes must share: rate-limit buckets, ended sign-ins, persisted queries.

One small interface (``SharedState``) with two implementations:

- ``InProcess``, the embedded default when ``GONGZHI_REDIS_URL`` is unset (``./run.sh``: one
  gateway process, which then holds all of it);
- ``InRedis``, which every gateway replica shares (``GONGZHI_REDIS_URL``, keys under
  ``GONGZHI_REDIS_PREFIX``).

Sign-in throttling is not here: it counts the failed attempts kept in the gateway's database
(``gateway.accounts``), which every replica shares already.

When Redis does not answer, each use degrades on its own side, with a warning logged when it
stops answering and a line when it is back:

- rate limiting fails open to this process's own buckets (a client may get up to one burst per
  gateway replica);
- revocation fails closed: a sign-in is trusted only after the database says it is live, on every
  request, until Redis answers again (``ended`` answers None: "cannot tell");
- a persisted query not known to this process answers ``PersistedQueryNotFound`` and the client
  sends its text again, as the protocol has it.

``ready()`` says whether the state is reachable (always true in process), for readiness probes.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from typing import Protocol

import redis
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.retry import Retry

from gateway.limits import RateLimiter
from shared import config

log = logging.getLogger(__name__)

# How long an ended sign-in (or an account whose sign-ins all ended) is remembered as ended. A gateway
# trusts a live answer from the database for a few seconds at most (LIVE_SESSION_SECONDS in
# gateway.accounts), so a live answer read just before the end is gone long before this. Meanwhile a
# new sign-in of such an account (enabled again) is checked in the database on every request.
ENDINGS_KEPT_SECONDS = 60
# A persisted query's text, kept by its SHA-256 since it was last registered.
QUERY_KEPT_SECONDS = 24 * 3600
QUERIES_KEPT_IN_PROCESS = 2000


class SharedState(Protocol):
    """The state gateway replicas share. ``shared`` is true when other processes see it too."""

    shared: bool

    def take(self, key: str, per_second: float, burst: int) -> float:
        """One request from ``key`` under a token bucket of ``burst`` at ``per_second``: 0 if it
        may go now, else the seconds to wait. Another rate or burst is another set of buckets."""
        ...

    def end(self, session_id: str | None = None, account_id: str | None = None) -> bool:
        """A sign-in (or every sign-in of an account) has ended: whether every gateway process
        holding this state now refuses it (false in process, or when Redis did not answer)."""
        ...

    def ended(self, session_id: str | None = None, account_id: str | None = None) -> bool | None:
        """Whether the sign-in or the account was ended lately; None when that cannot be told."""
        ...

    def remember_query(self, digest: str, text: str) -> None:
        """Keep a validated persisted query's text by its SHA-256."""
        ...

    def query_text(self, digest: str) -> str | None:
        """The text of a persisted query, if it is known."""
        ...

    def ready(self) -> bool:
        """Whether the state can be reached."""
        ...


class InProcess:
    """The state of one gateway process, in its memory: the embedded default."""

    shared = False

    def __init__(self) -> None:
        self._limits: tuple[float, int] | None = None
        self._limiter: RateLimiter | None = None
        self._ended: dict[str, float] = {}  # "session:<id>" or "account:<id>" -> monotonic expiry
        self._queries: OrderedDict[str, str] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, key: str, per_second: float, burst: int) -> float:
        wanted = (per_second, burst)
        limiter = self._limiter
        if limiter is None or wanted != self._limits:
            limiter = RateLimiter(per_second=per_second, burst=burst)
            self._limits, self._limiter = wanted, limiter
        return limiter.allow(key)

    def end(self, session_id: str | None = None, account_id: str | None = None) -> bool:
        moment = time.monotonic()
        with self._lock:
            self._ended = {k: v for k, v in self._ended.items() if v > moment}
            for name in _ending_names(session_id, account_id):
                self._ended[name] = moment + ENDINGS_KEPT_SECONDS
        return False  # other processes hear of it only from the database

    def ended(self, session_id: str | None = None, account_id: str | None = None) -> bool | None:
        moment = time.monotonic()
        return any(self._ended.get(name, 0.0) > moment for name in _ending_names(session_id, account_id))

    def remember_query(self, digest: str, text: str) -> None:
        with self._lock:
            self._queries[digest] = text
            self._queries.move_to_end(digest)
            while len(self._queries) > QUERIES_KEPT_IN_PROCESS:
                self._queries.popitem(last=False)

    def query_text(self, digest: str) -> str | None:
        return self._queries.get(digest)

    def ready(self) -> bool:
        return True


# A token bucket in one hash (tokens, at), on Redis's own clock so that replicas' clocks never
# disagree; the hash expires once the bucket would be full again.
_TAKE = """
local rate, burst = tonumber(ARGV[1]), tonumber(ARGV[2])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local held = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(held[1]) or burst
local at = tonumber(held[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = (1 - tokens) / rate end
redis.call('HSET', KEYS[1], 'tokens', tokens, 'at', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return tostring(wait)
"""


class _Unreachable(Exception):
    """Redis is taken as down for a moment: the caller uses its fallback."""


class InRedis:
    """The state every gateway replica shares, in Redis, under a key prefix.

    A call that fails marks Redis down for ``RETRY_SECONDS``: meanwhile every use takes its fallback
    at once rather than waiting for a timeout on each request.
    """

    shared = True
    TIMEOUT_SECONDS = 0.5
    RETRY_SECONDS = 1.0

    def __init__(self, url: str, prefix: str = "gongzhi:") -> None:
        self.url, self.prefix = url, prefix
        self._client = redis.Redis.from_url(
            url,
            decode_responses=True,
            socket_timeout=self.TIMEOUT_SECONDS,
            socket_connect_timeout=self.TIMEOUT_SECONDS,
            retry=Retry(NoBackoff(), 1),  # once, at once: a pooled connection Redis closed meanwhile
        )
        self._take = self._client.register_script(_TAKE)
        self._fallback = InProcess()  # this process's own buckets while Redis does not answer
        self._down_until = 0.0
        self._down = False

    def _call(self, what: str, command):
        if self._down and time.monotonic() < self._down_until:
            raise _Unreachable()
        try:
            answer = command()
        except (RedisError, OSError) as exc:
            self._down_until = time.monotonic() + self.RETRY_SECONDS
            if not self._down:
                self._down = True
                log.warning(
                    "Redis at %s does not answer (%s: %s, on %s): rate limits are per gateway process "
                    "and every request's sign-in is checked in the database until it answers again",
                    _safe(self.url),
                    type(exc).__name__,
                    exc,
                    what,
                )
            raise _Unreachable() from exc
        if self._down:
            self._down = False
            log.warning("Redis at %s answers again: the gateways share their state again", _safe(self.url))
        return answer

    def take(self, key: str, per_second: float, burst: int) -> float:
        name = f"{self.prefix}rate:{per_second!r}:{burst}:{key}"
        try:
            return float(self._call("rate limit", lambda: self._take(keys=[name], args=[per_second, burst])))
        except _Unreachable:
            return self._fallback.take(key, per_second, burst)

    def end(self, session_id: str | None = None, account_id: str | None = None) -> bool:
        names = [self.prefix + name for name in _ending_names(session_id, account_id)]

        def record():
            with self._client.pipeline(transaction=False) as pipe:
                for name in names:
                    pipe.set(name, "1", ex=ENDINGS_KEPT_SECONDS)
                pipe.execute()

        try:
            self._call("ending a sign-in", record)
            return True
        except _Unreachable:
            log.warning(
                "an ended sign-in was not shared through Redis: other gateway processes hear of it "
                "from the database within their trust bound (session %s, account %s)",
                session_id,
                account_id,
            )
            return False

    def ended(self, session_id: str | None = None, account_id: str | None = None) -> bool | None:
        names = [self.prefix + name for name in _ending_names(session_id, account_id)]
        try:
            return bool(self._call("checking a sign-in", lambda: self._client.exists(*names)))
        except _Unreachable:
            return None

    def remember_query(self, digest: str, text: str) -> None:
        name = f"{self.prefix}query:{digest}"
        try:
            self._call(
                "keeping a persisted query", lambda: self._client.set(name, text, ex=QUERY_KEPT_SECONDS)
            )
        except _Unreachable:
            pass  # a process asked for it by hash has the client send its text again

    def query_text(self, digest: str) -> str | None:
        name = f"{self.prefix}query:{digest}"
        try:
            return self._call("finding a persisted query", lambda: self._client.get(name))
        except _Unreachable:
            return None

    def ready(self) -> bool:
        self._down_until = 0.0  # a probe always asks Redis itself
        try:
            return bool(self._call("a readiness check", self._client.ping))
        except _Unreachable:
            return False

    def close(self) -> None:
        self._client.close()


def _ending_names(session_id: str | None, account_id: str | None) -> list[str]:
    names = []
    if session_id is not None:
        names.append(f"ended:session:{session_id}")
    if account_id is not None:
        names.append(f"ended:account:{account_id}")
    return names


def _safe(url: str) -> str:
    """The URL without its password, for a log line."""
    scheme, _, rest = url.partition("://")
    if "@" in rest:
        rest = rest.rsplit("@", 1)[1]
    return f"{scheme}://{rest}"


_current: tuple[tuple[str | None, str], SharedState] | None = None
_current_lock = threading.Lock()


def current() -> SharedState:
    """The state for this process's configuration (``GONGZHI_REDIS_URL``, ``GONGZHI_REDIS_PREFIX``),
    made when first asked for and again when they change."""
    global _current
    wanted = (config.redis_url(), config.redis_prefix())
    held = _current
    if held is not None and held[0] == wanted:
        return held[1]
    with _current_lock:
        if _current is None or _current[0] != wanted:
            url, prefix = wanted
            _current = (wanted, InRedis(url, prefix) if url else InProcess())
        return _current[1]


def ready() -> bool:
    """Whether the gateway's shared state answers (true for the in-process default): for readiness."""
    return current().ready()
