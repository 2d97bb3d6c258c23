"""The login throttle's sliding window, with the clock given by the test."""

from __future__ import annotations

from users.throttle import WINDOW_S, MemoryAttemptLog, address_key


async def test_the_window_slides_and_says_how_long_to_wait() -> None:
    log = MemoryAttemptLog()
    for n in range(3):
        assert await log.reserve("k", 3, f"a{n}", now=100.0 + n) is None
    assert await log.reserve("k", 3, "a3", now=200.0) == 100.0 + WINDOW_S - 200.0
    # The first attempt leaves the window: one more fits, and only one.
    assert await log.reserve("k", 3, "a4", now=100.0 + WINDOW_S + 0.5) is None
    assert await log.reserve("k", 3, "a5", now=100.0 + WINDOW_S + 0.5) == 0.5


async def test_a_released_attempt_no_longer_counts() -> None:
    log = MemoryAttemptLog()
    assert await log.reserve("k", 1, "right", now=1.0) is None
    await log.release("k", "right")
    assert await log.reserve("k", 1, "next", now=2.0) is None


def test_an_ipv6_caller_is_counted_by_its_64() -> None:
    assert address_key("2001:db8:1:2:aaaa::1") == address_key("2001:db8:1:2:bbbb::9")
    assert address_key("2001:db8:1:3::1") != address_key("2001:db8:1:2::1")
    assert address_key("10.0.0.1") == "anju_login:addr:10.0.0.1"
    assert address_key(None) == "anju_login:addr:None"
