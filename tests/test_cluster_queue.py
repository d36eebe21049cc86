"""The cluster's work queue and rate buckets on a real PostgreSQL (`actors.adapters.queue_pg`,
`ratelimit_pg`): the claim's order (fewest running across the cluster, then oldest), SKIP
LOCKED, pinning, positions, cancelling a waiting one, and one shared bucket per client; and a
registry on fake media that pulls what another replica queued (a server) or not (the CLI)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import psycopg
import trio

from tests.fakes import FakeMedia, request
from videogen.actors.adapters.ratelimit_pg import PgBuckets
from videogen.actors.adapters.replicas_pg import ClaimsDb
from videogen.actors.adapters.store import Store
from videogen.actors.limits import RATE_BUCKET_IDLE, REPLICA_LEASE
from videogen.actors.runtime.events import ProgressEvent
from videogen.actors.runtime.registry import Registry, RegistryConfig, run_registry

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Iterator
    from pathlib import Path


async def _rows(url: str, *rows: tuple[str, str]) -> None:
    """Record (id, client) generations `queued`, oldest first."""
    store = await Store.open(url)
    try:
        for gid, client in rows:
            await store.insert(gid, alias="g", client=client, topic="t", request={})
            event = ProgressEvent(
                generation_id=gid, seq=1, status="queued", progress=0, message="", at=time.time()
            )
            await store.append(event)
    finally:
        await store.aclose()


def _claims(url: str, *names: str) -> Iterator[ClaimsDb]:
    return (ClaimsDb(url, name) for name in names)


def _running(url: str, gid: str, replica: str) -> None:
    """`gid` runs on `replica` (claimed, past `queued`)."""
    with psycopg.connect(url) as conn:
        conn.execute(
            "UPDATE generations SET claimed_by = %s, lease_until = %s, status = 'started'"
            " WHERE id = %s",
            (replica, time.time() + REPLICA_LEASE, gid),
        )


def _line_up(url: str, claims: ClaimsDb, *gids: str) -> None:
    """Put `gids` in line in this order (distinct `waiting_since`: the oldest is well defined)."""
    for gid in gids:
        claims.enqueue(gid, None)
    with psycopg.connect(url) as conn:
        for n, gid in enumerate(gids):
            conn.execute("UPDATE generations SET waiting_since = %s WHERE id = %s", (n + 1, gid))


async def test_the_client_with_fewest_running_goes_first_then_the_oldest(pg_url: str) -> None:
    await _rows(
        pg_url,
        ("x-run-aaaaaaaa", "x"),
        ("x-one-aaaaaaaa", "x"),
        ("x-two-aaaaaaaa", "x"),
        ("y-one-aaaaaaaa", "y"),
        ("z-one-aaaaaaaa", "z"),
    )
    a, b = _claims(pg_url, "a", "b")
    try:
        _running(pg_url, "x-run-aaaaaaaa", "a")
        _line_up(pg_url, a, "x-one-aaaaaaaa", "x-two-aaaaaaaa", "y-one-aaaaaaaa", "z-one-aaaaaaaa")
        # x runs one: y's and z's (0 running) come first, y's being older; then x's oldest.
        assert b.position("y-one-aaaaaaaa") == 0
        assert b.position("z-one-aaaaaaaa") == 1
        assert b.position("x-one-aaaaaaaa") == 2
        assert b.position("x-two-aaaaaaaa") == 3
        assert b.position("x-run-aaaaaaaa") is None  # it does not wait
        assert b.claim_next(REPLICA_LEASE) == "y-one-aaaaaaaa"
        assert b.position("y-one-aaaaaaaa") is None
        # y runs one now: z (0 running) before x's (1 running each).
        assert a.claim_next(REPLICA_LEASE) == "z-one-aaaaaaaa"
        assert a.claim_next(REPLICA_LEASE) == "x-one-aaaaaaaa"
        assert b.claim_next(REPLICA_LEASE) == "x-two-aaaaaaaa"
        assert b.claim_next(REPLICA_LEASE) is None
        with psycopg.connect(pg_url) as conn:
            rows = conn.execute("SELECT id, claimed_by FROM generations").fetchall()
        claimed: dict[str, str | None] = {str(gid): by for gid, by in rows}
        assert claimed["y-one-aaaaaaaa"] == "b" and claimed["z-one-aaaaaaaa"] == "a"
    finally:
        a.close()
        b.close()


async def test_a_row_being_claimed_is_skipped_not_waited_for(pg_url: str) -> None:
    await _rows(pg_url, ("first-aaaaaaaa", "c"), ("second-aaaaaaaa", "c"))
    (a,) = _claims(pg_url, "a")
    try:
        _line_up(pg_url, a, "first-aaaaaaaa", "second-aaaaaaaa")
        with psycopg.connect(pg_url) as other, other.transaction():
            # Another replica is claiming the first one right now (holds its row lock).
            other.execute("SELECT id FROM generations WHERE id = 'first-aaaaaaaa' FOR UPDATE")
            started = time.monotonic()
            assert a.claim_next(REPLICA_LEASE) == "second-aaaaaaaa"
            assert time.monotonic() - started < 1.0  # skipped, not waited for
        assert a.claim_next(REPLICA_LEASE) == "first-aaaaaaaa"
    finally:
        a.close()


async def test_concurrent_pullers_never_take_the_same_one(pg_url: str) -> None:
    gids = [f"many-{n:02d}-aaaaaaaa" for n in range(12)]
    await _rows(pg_url, *((gid, f"c{n % 3}") for n, gid in enumerate(gids)))
    pullers = list(_claims(pg_url, "a", "b", "c"))
    for gid in gids:
        pullers[0].enqueue(gid, None)
    taken: list[str] = []

    async def pull(claims: ClaimsDb) -> None:
        while (gid := await trio.to_thread.run_sync(claims.claim_next, REPLICA_LEASE)) is not None:
            taken.append(gid)

    try:
        async with trio.open_nursery() as nursery:
            for claims in pullers:
                nursery.start_soon(pull, claims)
    finally:
        for claims in pullers:
            claims.close()
    assert sorted(taken) == gids  # each exactly once


async def test_pinned_waits_for_its_replica_and_takeover_leaves_waiting_rows(pg_url: str) -> None:
    await _rows(pg_url, ("pinned-aaaaaaaa", "c"))
    a, b = _claims(pg_url, "a", "b")
    try:
        a.enqueue("pinned-aaaaaaaa", "a")
        # Long unchanged and claimed by nobody: still waiting, not a dead replica's.
        with psycopg.connect(pg_url) as conn:
            conn.execute("UPDATE generations SET updated_at = 0")
        assert b.take_over(REPLICA_LEASE, 10) == []
        assert b.claim_next(REPLICA_LEASE) is None  # its uploads are on a's disk
        assert a.claim_next(REPLICA_LEASE) == "pinned-aaaaaaaa"
    finally:
        a.close()
        b.close()


async def test_a_pinned_one_whose_replica_is_gone_ends_interrupted_once(pg_url: str) -> None:
    await _rows(pg_url, ("pinned-aaaaaaaa", "c"), ("pinned-bbbbbbbb", "c"))
    a, b = _claims(pg_url, "a", "b")
    try:
        a.enqueue("pinned-aaaaaaaa", "a")
        b.enqueue("pinned-bbbbbbbb", "b")
        assert a.take_over(REPLICA_LEASE, 10) == []  # both replicas renewed them just now
        # Neither renewed for `PIN_GRACE` (a is gone); b lives and renews its own now.
        with psycopg.connect(pg_url) as conn:
            conn.execute("UPDATE generations SET lease_until = %s", (time.time() - 1,))
        b.renew_pins()
        assert b.take_over(REPLICA_LEASE, 10) == ["pinned-aaaaaaaa"]
        assert b.take_over(REPLICA_LEASE, 10) == []  # once
        assert b.claim_next(REPLICA_LEASE) == "pinned-bbbbbbbb"  # still waiting, for b
        with psycopg.connect(pg_url) as conn:
            events = conn.execute(
                "SELECT seq, status, message FROM events WHERE generation_id = %s ORDER BY seq",
                ("pinned-aaaaaaaa",),
            ).fetchall()
            row = conn.execute(
                "SELECT status, waiting_since FROM generations WHERE id = 'pinned-aaaaaaaa'"
            ).fetchone()
        assert [(seq, status) for seq, status, _ in events] == [(1, "queued"), (2, "interrupted")]
        assert "replica a" in events[-1][2] and "submit it again" in events[-1][2]
        assert row == ("interrupted", None)
        assert a.claim_next(REPLICA_LEASE) is None  # a, back too late: nothing left to run
    finally:
        a.close()
        b.close()


async def test_cancelling_a_waiting_one_ends_it_once(pg_url: str) -> None:
    await _rows(pg_url, ("waits-aaaaaaaa", "c"))
    a, b = _claims(pg_url, "a", "b")
    try:
        a.enqueue("waits-aaaaaaaa", None)
        assert b.cancel_waiting("waits-aaaaaaaa", "cancelled")
        assert not a.cancel_waiting("waits-aaaaaaaa", "cancelled")  # waits no more
        assert a.claim_next(REPLICA_LEASE) is None
        with psycopg.connect(pg_url) as conn:
            events = conn.execute(
                "SELECT seq, status FROM events WHERE generation_id = 'waits-aaaaaaaa' ORDER BY seq"
            ).fetchall()
            status = conn.execute("SELECT status FROM generations").fetchone()
        assert events == [(1, "queued"), (2, "cancelled")]
        assert status == ("cancelled",)
    finally:
        a.close()
        b.close()


async def test_one_bucket_per_client_whichever_replica_asks(pg_url: str) -> None:
    await _rows(pg_url)  # migrates
    a, b = PgBuckets(pg_url), PgBuckets(pg_url)
    try:
        answers = [(a if n % 2 else b).take("1.2.3.4", 6) for n in range(10)]
        assert answers[:6] == [0.0] * 6  # the burst, across both
        assert all(wait > 0 for wait in answers[6:])
        assert answers[-1] <= 10.0  # 6 a minute: the next token within 10 s
        assert a.take("5.6.7.8", 6) == 0.0  # another client's own bucket
    finally:
        a.close()
        b.close()


def _bucket_keys(url: str) -> set[str]:
    with psycopg.connect(url) as conn:
        return {key for (key,) in conn.execute("SELECT key FROM rate_buckets").fetchall()}


async def test_idle_rate_buckets_are_deleted_by_a_take_now_and_then(pg_url: str) -> None:
    await _rows(pg_url)  # migrates
    old = time.time() - RATE_BUCKET_IDLE - 5
    with psycopg.connect(pg_url) as conn:
        for n in range(3):  # clients last seen past the idle rule: full again, forgettable
            conn.execute(
                "INSERT INTO rate_buckets (key, tokens, at, granted) VALUES (%s, 0, %s, 1)",
                (f"10.0.0.{n}", old),
            )
        conn.execute(  # one seen a minute ago: kept (its bucket may not be full yet)
            "INSERT INTO rate_buckets (key, tokens, at, granted) VALUES ('10.0.1.1', 0, %s, 1)",
            (time.time() - 60,),
        )
    buckets = PgBuckets(pg_url)
    try:
        assert buckets.take("1.2.3.4", 6) == 0.0  # the first take sweeps
        assert _bucket_keys(pg_url) == {"1.2.3.4", "10.0.1.1"}
        with psycopg.connect(pg_url) as conn:
            conn.execute(
                "INSERT INTO rate_buckets (key, tokens, at, granted) VALUES ('10.0.0.9', 0, %s, 1)",
                (old,),
            )
        assert buckets.take("1.2.3.4", 6) == 0.0  # within the interval: no sweep, no cost
        assert "10.0.0.9" in _bucket_keys(pg_url)
        assert buckets.sweep() == 1  # the next interval's
        assert _bucket_keys(pg_url) == {"1.2.3.4", "10.0.1.1"}
    finally:
        buckets.close()


async def _foreign_waiting(url: str, gid: str) -> None:
    """`gid` waiting in the cluster's line, queued by another replica ("elsewhere")."""
    store = await Store.open(url)
    try:
        req = request("Tides", num_slides=2).model_dump(mode="json")
        await store.insert(gid, alias="tides", client="far", topic="Tides", request=req)
        queued = ProgressEvent(
            generation_id=gid, seq=1, status="queued", progress=0, message="", at=time.time()
        )
        await store.append(queued)
    finally:
        await store.aclose()
    (elsewhere,) = _claims(url, "elsewhere")
    try:
        elsewhere.enqueue(gid, None)
    finally:
        elsewhere.close()


async def _registry_with(
    url: str, tmp_path: Path, *, shares: bool, task: Callable[[Registry], Awaitable[None]]
) -> None:
    config = RegistryConfig(
        data_dir=tmp_path,
        max_running=1,
        max_queued=5,
        database_url=url,
        replica_id="here",
        shares_queue=shares,
    )
    store = await Store.open(url)
    try:
        async with trio.open_nursery() as nursery:
            registry: Registry = await nursery.start(
                run_registry, store, FakeMedia(cost=0.01), config
            )
            try:
                await task(registry)
            finally:
                await registry.shutdown()
    finally:
        await store.aclose()


async def test_a_free_replica_pulls_what_another_queued_and_runs_it(
    pg_url: str, tmp_path: Path
) -> None:
    await _foreign_waiting(pg_url, "far-aaaaaaaa")

    async def until_done(registry: Registry) -> None:
        with trio.fail_after(30), await registry.subscribe("far-aaaaaaaa") as events:
            statuses = [e.status async for e in events]
        assert statuses[0] == "queued" and statuses[-1] == "completed"

    await _registry_with(pg_url, tmp_path, shares=True, task=until_done)
    with psycopg.connect(pg_url) as conn:
        row = conn.execute(
            "SELECT claimed_by, waiting_since, status FROM generations WHERE id = 'far-aaaaaaaa'"
        ).fetchone()
        seqs = conn.execute(
            "SELECT seq FROM events WHERE generation_id = 'far-aaaaaaaa' ORDER BY seq"
        ).fetchall()
    assert row == ("here", None, "completed")
    assert [s for (s,) in seqs] == list(range(1, len(seqs) + 1))  # its queued event, then ours


async def test_a_replica_back_after_the_grace_runs_what_waits_pinned_to_it(
    pg_url: str, tmp_path: Path
) -> None:
    await _foreign_waiting(pg_url, "pin-aaaaaaaa")
    with psycopg.connect(pg_url) as conn:  # pinned to "here", not renewed for `PIN_GRACE`
        conn.execute(
            "UPDATE generations SET pinned_to = 'here', lease_until = %s", (time.time() - 1,)
        )

    async def until_done(registry: Registry) -> None:
        with trio.fail_after(30), await registry.subscribe("pin-aaaaaaaa") as events:
            statuses = [e.status async for e in events]
        assert statuses[-1] == "completed", statuses  # its uploads are back: not interrupted

    await _registry_with(pg_url, tmp_path, shares=True, task=until_done)


async def test_the_cli_runs_its_own_generation_and_pulls_nothing(
    pg_url: str, tmp_path: Path
) -> None:
    await _foreign_waiting(pg_url, "far-aaaaaaaa")

    async def own(registry: Registry) -> None:
        gen = await registry.submit(request("Rivers", num_slides=2), client="cli")
        with trio.fail_after(30):
            await gen.finished.wait()
        assert gen.broadcast.log[-1].status == "completed"

    await _registry_with(pg_url, tmp_path, shares=False, task=own)
    with psycopg.connect(pg_url) as conn:
        row = conn.execute(
            "SELECT claimed_by, status FROM generations WHERE id = 'far-aaaaaaaa'"
        ).fetchone()
    assert row == (None, "queued")  # still waiting for a server replica
