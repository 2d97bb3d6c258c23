"""Login throttling: failed attempts per username and per client address in a sliding window.

At most `PER_USERNAME` failed logins for one username and `PER_ADDRESS` from one address (an IPv6
caller by its /64, which one household or attacker holds whole) in any `WINDOW_S` seconds; past
either, the login is answered 429 with Retry-After before the password is looked at. Unknown
usernames count like known ones, so the answer says nothing about which exist.

An attempt is counted *before* its password is checked and taken back if it was right: counting
only after a wrong answer would let a burst of simultaneous guesses all pass the check before any
of them was counted. Litestar's stores have no atomic increment, so with Redis configured the
counts are sorted sets of attempt times changed by one Lua script (atomic across app processes);
otherwise they live in the process.
"""

from __future__ import annotations

import ipaddress
import math
import time
import uuid
from typing import NamedTuple, Protocol

import redis.asyncio as redis

WINDOW_S = 15 * 60
PER_USERNAME = 10
# A village office or a county building may put dozens of staff behind one address.
PER_ADDRESS = 50

# Drop what left the window; refuse (answering how long until the oldest attempt leaves it) or add.
_RESERVE = """
local key, now, window, limit = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
if redis.call('ZCARD', key) >= limit then
  local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  return tostring(tonumber(oldest[2]) + window - now)
end
redis.call('ZADD', key, now, ARGV[4])
redis.call('EXPIRE', key, math.ceil(window))
return false
"""


class Attempt(NamedTuple):
    keys: tuple[str, ...]
    member: str


class AttemptLog(Protocol):
    async def reserve(self, key: str, limit: int, member: str, now: float) -> float | None:
        """Add the attempt unless `key` already has `limit` in the window; else seconds to wait."""

    async def release(self, key: str, member: str) -> None: ...

    async def close(self) -> None: ...


class MemoryAttemptLog:
    """One process's counts (no Redis): an app process alone sees its own attempts."""

    def __init__(self) -> None:
        self.times: dict[str, dict[str, float]] = {}

    async def reserve(self, key: str, limit: int, member: str, now: float) -> float | None:
        # No await in here: on one event loop the check and the add cannot interleave.
        kept = {m: t for m, t in self.times.get(key, {}).items() if t > now - WINDOW_S}
        if len(kept) >= limit:
            self.times[key] = kept
            return min(kept.values()) + WINDOW_S - now
        kept[member] = now
        self.times[key] = kept
        return None

    async def release(self, key: str, member: str) -> None:
        self.times.get(key, {}).pop(member, None)

    async def close(self) -> None:
        self.times.clear()


class RedisAttemptLog:
    def __init__(self, url: str) -> None:
        self.client = redis.Redis.from_url(url)
        self.script = self.client.register_script(_RESERVE)

    async def reserve(self, key: str, limit: int, member: str, now: float) -> float | None:
        wait = await self.script(keys=[key], args=[now, WINDOW_S, limit, member])
        return None if wait is None else float(wait)

    async def release(self, key: str, member: str) -> None:
        await self.client.zrem(key, member)

    async def close(self) -> None:
        await self.client.aclose()


def address_key(address: str | None) -> str:
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return f"anju_login:addr:{address}"
    if ip.version == 6:
        return f"anju_login:addr:{ipaddress.ip_network(f'{ip}/64', strict=False)}"
    return f"anju_login:addr:{ip}"


class LoginThrottle:
    def __init__(self, log: AttemptLog) -> None:
        self.log = log

    @classmethod
    def for_broker(cls, broker_url: str) -> LoginThrottle:
        """Shared through Redis when the service runs on it (as the status page's limit is)."""
        if broker_url.startswith(("redis://", "rediss://")):
            return cls(RedisAttemptLog(broker_url))
        return cls(MemoryAttemptLog())

    async def reserve(self, *, username: str, address: str | None) -> Attempt | int:
        """Count an attempt, or the whole seconds to wait (Retry-After) when a limit is reached."""
        member, now = uuid.uuid4().hex, time.time()
        limits = (
            (f"anju_login:user:{username.casefold()}", PER_USERNAME),
            (address_key(address), PER_ADDRESS),
        )
        taken: list[str] = []
        for key, limit in limits:
            wait = await self.log.reserve(key, limit, member, now)
            if wait is not None:
                for done in taken:
                    await self.log.release(done, member)
                return max(1, math.ceil(wait))
            taken.append(key)
        return Attempt(tuple(taken), member)

    async def succeeded(self, attempt: Attempt) -> None:
        """A right password is not a failed attempt: take it back."""
        for key in attempt.keys:
            await self.log.release(key, attempt.member)

    async def close(self) -> None:
        await self.log.close()
