"""The rate limiter alone (`server.ratelimit.RateLimiter`), on an injected clock: a full bucket
per new client, continuous refill, bursts no larger than a minute's allowance, the seconds to
wait, 0 = off, and the table of clients kept bounded by forgetting idle ones.

(test_access.py checks that HTTP and the WebSocket share a client's bucket, through the app.)
"""

from __future__ import annotations

import pytest

from videogen.server.access.ratelimit import _IDLE_SECONDS, _MAX_CLIENTS, RateLimiter, bucket_key


def takes(limiter: RateLimiter, client: str, count: int, now: float) -> list[int]:
    return [limiter.check(client, now) for _ in range(count)]


@pytest.mark.parametrize("per_minute", [0, -5])
def test_zero_or_less_turns_it_off(per_minute: int) -> None:
    limiter = RateLimiter(per_minute)
    assert set(takes(limiter, "a", 10_000, now=0.0)) == {0}
    assert limiter._buckets == {}  # off keeps nothing per client


def test_a_new_client_may_burst_a_minutes_allowance_then_waits() -> None:
    limiter = RateLimiter(5)  # one token every 12 s
    assert takes(limiter, "a", 5, now=100.0) == [0] * 5
    assert limiter.check("a", 100.0) == 12
    assert limiter.check("a", 100.0) == 12  # a refused request takes nothing


def test_tokens_refill_continuously() -> None:
    limiter = RateLimiter(60)  # one a second
    assert takes(limiter, "a", 60, now=0.0) == [0] * 60
    assert limiter.check("a", 0.25) == 1  # never less than 1 s to wait
    assert limiter.check("a", 1.0) == 0  # exactly one token back
    assert limiter.check("a", 1.0) == 1
    assert takes(limiter, "a", 3, now=4.0) == [0, 0, 0]
    assert limiter.check("a", 4.0) == 1


def test_the_wait_counts_the_partial_token() -> None:
    limiter = RateLimiter(15)  # one token every 4 s (rates exact in binary: exact waits)
    assert takes(limiter, "a", 15, now=0.0) == [0] * 15
    assert limiter.check("a", 0.0) == 4
    assert limiter.check("a", 1.0) == 3
    assert limiter.check("a", 2.5) == 2  # 1.5 s rounded up: a retry then is never refused
    assert limiter.check("a", 3.5) == 1
    assert limiter.check("a", 4.0) == 0


def test_a_long_idle_client_bursts_no_more_than_a_minutes_allowance() -> None:
    limiter = RateLimiter(3)
    assert takes(limiter, "a", 3, now=0.0) == [0, 0, 0]
    assert takes(limiter, "a", 4, now=3600.0) == [0, 0, 0, 20]


def test_clients_have_their_own_buckets() -> None:
    limiter = RateLimiter(1)
    assert limiter.check("a", 0.0) == 0
    assert limiter.check("a", 0.0) == 60
    assert limiter.check("b", 0.0) == 0
    assert limiter.check("b", 30.0) == 30


def test_without_a_clock_it_uses_monotonic_time() -> None:
    limiter = RateLimiter(1)
    assert limiter.check("a") == 0
    assert 59 <= limiter.check("a") <= 60


def test_a_full_table_forgets_clients_idle_past_the_limit() -> None:
    limiter = RateLimiter(10)
    half = _MAX_CLIENTS // 2
    for n in range(_MAX_CLIENTS):  # the first half seen at 0, the second at 1
        limiter.check(f"10.0.{n // 256}.{n % 256}", now=float(n >= half))
    assert len(limiter._buckets) == _MAX_CLIENTS
    # Just past the idle limit for those last seen at 0, not for those seen at 1.
    limiter.check("new", now=_IDLE_SECONDS + 0.5)
    assert len(limiter._buckets) == half + 1
    last = f"10.0.{(_MAX_CLIENTS - 1) // 256}.{(_MAX_CLIENTS - 1) % 256}"
    assert last in limiter._buckets  # kept: not idle long enough


def test_a_client_seen_recently_keeps_its_bucket_below_a_full_table() -> None:
    limiter = RateLimiter(1)
    limiter.check("a", 0.0)
    limiter.check("b", 1.0)
    assert set(limiter._buckets) == {"a", "b"}
    assert limiter.check("a", 2.0) > 0  # still empty: not forgotten


def test_the_table_never_exceeds_its_bound() -> None:
    limiter = RateLimiter(10)
    for n in range(_MAX_CLIENTS + 100):
        limiter.check(f"client-{n}", now=1.0)
    assert len(limiter._buckets) <= _MAX_CLIENTS


def test_a_full_table_forgets_the_least_recently_seen() -> None:
    limiter = RateLimiter(10)
    for n in range(_MAX_CLIENTS):
        limiter.check(f"client-{n}", now=1.0)
    limiter.check("client-0", now=2.0)  # seen again: now the most recent
    limiter.check("newcomer", now=3.0)
    assert "client-0" in limiter._buckets and "newcomer" in limiter._buckets
    assert "client-1" not in limiter._buckets  # the least recently seen made room


def test_an_ipv6_host_cannot_escape_its_bucket_by_changing_address() -> None:
    limiter = RateLimiter(2)
    assert limiter.check("2001:db8:1:2::1", now=0.0) == 0
    assert limiter.check("2001:db8:1:2::abcd", now=0.0) == 0
    assert limiter.check("2001:db8:1:2:ffff::9", now=0.0) > 0  # the same /64
    assert limiter.check("2001:db8:1:3::1", now=0.0) == 0  # another /64
    assert bucket_key("::ffff:192.0.2.7") == bucket_key("192.0.2.7") == "192.0.2.7"
    assert bucket_key("unknown") == "unknown"
