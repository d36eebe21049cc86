"""Several real `videogen serve` replicas on one real PostgreSQL, each with its own data dir:
submit on A, watch on B, cancel on C; kill -9 A mid-generation and B takes it over (marks it
interrupted, see `actors.runtime.replicas`); one terminal event each, nothing lost or repeated."""

from __future__ import annotations

import contextlib
import signal
import time
from typing import TYPE_CHECKING, Any

import psycopg
import pytest
import trio

from tests.test_server_e2e import Server, client_for, follow, submit_owned
from videogen.actors.adapters.replicas_pg import ClaimsDb
from videogen.actors.adapters.store import Store
from videogen.actors.limits import REPLICA_LEASE, REPLICA_REAP_INTERVAL
from videogen.actors.runtime.events import ProgressEvent

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    import httpx

    from videogen.actors.runtime.events import Status

TERMINAL = ("completed", "error", "cancelled", "interrupted")


@contextlib.contextmanager
def replicas(tmp_path: Path, url: str, *names: str) -> Iterator[dict[str, Server]]:
    """One server per name on `url`, each in `tmp_path/<name>`; all stopped (and reaped) at the
    end, on failure too."""
    servers: dict[str, Server] = {}
    try:
        for name in names:
            servers[name] = _serve(tmp_path, url, name)
        yield servers
    finally:
        for server in servers.values():
            if server.process.poll() is None:
                server.stop()


def _serve(tmp_path: Path, url: str, name: str) -> Server:
    return Server(
        tmp_path / name / "data",
        "--rate-limit",
        "0",
        "--database-url",
        url,
        "--replica-id",
        name,
        "--max-running",
        "1",
    )


def _stored(url: str, gid: str) -> tuple[str, list[tuple[int, str]]]:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT status FROM generations WHERE id = %s", (gid,)).fetchone()
        events = conn.execute(
            "SELECT seq, status FROM events WHERE generation_id = %s ORDER BY seq", (gid,)
        ).fetchall()
    assert row is not None
    return row[0], [(int(s), str(t)) for s, t in events]


def _one_terminal(url: str, gid: str) -> list[tuple[int, str]]:
    """The stored events: numbered 1, 2, … without gaps, exactly one terminal, last."""
    status, events = _stored(url, gid)
    assert [s for s, _ in events] == list(range(1, len(events) + 1))
    terminals = [t for _, t in events if t in TERMINAL]
    assert terminals == [status] and events[-1][1] == status, events
    return events


async def _wait_running(client: httpx.AsyncClient, gid: str) -> None:
    """Until the generation has left the queue (its first stage event)."""
    with trio.fail_after(60):
        for _ in range(1200):
            if (await client.get(f"/api/status/{gid}")).json()["status"] != "queued":
                return
            await trio.sleep(0.05)  # another process's state: nothing here to wait on


def _real(events: list[tuple[str, dict[str, Any]]]) -> list[tuple[int, str]]:
    return [(int(i), e["status"]) for i, e in events if e["status"] not in ("connected", "done")]


@pytest.mark.slow
async def test_submit_on_a_watch_on_b_cancel_on_c(pg_url: str, tmp_path: Path) -> None:
    with replicas(tmp_path, pg_url, "a", "b", "c") as s:
        async with client_for(s["a"]) as a, client_for(s["b"]) as b, client_for(s["c"]) as c:
            gid, _ = await submit_owned(a, "Glaciers", num_slides=2)
            watched = await follow(b, gid)  # B runs nothing: every event came through the store
            assert [e["status"] for _, e in watched][-2:] == ["completed", "done"]
            assert _real(watched) == _one_terminal(pg_url, gid)
            # Last-Event-ID on a third replica resumes after what was seen.
            resumed = await follow(c, gid, last_id="2")
            assert _real(resumed) == _real(watched)[2:]
            video = await c.get(f"/api/status/{gid}")
            assert video.json()["status"] == "completed"

            # A cancel sent to C reaches A, which runs it, within a second.
            long, token = await submit_owned(a, "Volcanoes", num_slides=8)
            await _wait_running(b, long)
            started = time.monotonic()
            answer = await c.post(f"/api/cancel/{long}", headers={"X-Owner-Token": token})
            took = time.monotonic() - started
            assert answer.status_code == 200, answer.text
            assert took < 1.0, f"cancel took {took:.2f} s"
            assert _one_terminal(pg_url, long)[-1][1] == "cancelled"
            # And a cancel of what has ended is refused on any replica.
            again = await b.post(f"/api/cancel/{long}", headers={"X-Owner-Token": token})
            assert again.status_code == 409

            for name, client in (("a", a), ("b", b), ("c", c)):
                tree = (await client.get("/api/debug/actors")).json()
                assert tree["replica"] == name


@pytest.mark.slow
async def test_kill_9_mid_generation_is_taken_over_once(pg_url: str, tmp_path: Path) -> None:
    with replicas(tmp_path, pg_url, "a", "b") as s:
        async with client_for(s["a"]) as a:
            gid, _ = await submit_owned(a, "Rivers", num_slides=8)
            await _wait_running(a, gid)
        assert s["a"].stop(signal.SIGKILL) == -signal.SIGKILL
        killed = time.monotonic()
        async with client_for(s["b"]) as b:
            watched = await follow(b, gid)
        took = time.monotonic() - killed
        assert [e["status"] for _, e in watched][-2:] == ["interrupted", "done"]
        assert took < REPLICA_LEASE + 2 * REPLICA_REAP_INTERVAL + 1, f"took over in {took:.1f} s"
        events = _one_terminal(pg_url, gid)
        assert _real(watched) == events
        # A comes back on the same data dir: the generation stays interrupted, nothing added.
        s["a"] = _serve(tmp_path, pg_url, "a")
        async with client_for(s["a"]) as a:
            assert (await a.get(f"/api/status/{gid}")).json()["status"] == "interrupted"
            # …and runs new work as before.
            fresh, _ = await submit_owned(a, "Tides", num_slides=2)
            assert [e["status"] for _, e in await follow(a, fresh)][-2:] == ["completed", "done"]
        assert _one_terminal(pg_url, gid) == events
        _one_terminal(pg_url, fresh)


def _claim(url: str, replica: str, gid: str, lease: float) -> None:
    claims = ClaimsDb(url, replica)
    try:
        claims.claim(gid, lease)
    finally:
        claims.close()


def _event(gid: str, seq: int, status: Status) -> ProgressEvent:
    return ProgressEvent(
        generation_id=gid, seq=seq, status=status, progress=0, message="", at=time.time()
    )


async def test_a_replica_that_lost_its_claim_writes_nothing_more(pg_url: str) -> None:
    store = await Store.open(pg_url)
    try:
        store.write_as("a")
        await store.insert("g-abcdefgh", alias="g", client="c", topic="t", request={})
        await store.append(_event("g-abcdefgh", 1, "queued"))  # nobody's claim yet: written
        _claim(pg_url, "a", "g-abcdefgh", REPLICA_LEASE)
        await store.append(_event("g-abcdefgh", 2, "started"))  # ours: written
        _claim(pg_url, "b", "g-abcdefgh", REPLICA_LEASE)  # taken over
        await store.append(_event("g-abcdefgh", 3, "completed"))  # no longer ours: dropped
        assert _stored(pg_url, "g-abcdefgh") == ("started", [(1, "queued"), (2, "started")])
    finally:
        await store.aclose()


async def test_an_expired_lease_is_taken_over_by_exactly_one_replica(pg_url: str) -> None:
    store = await Store.open(pg_url)
    try:
        for gid in ("dead-abcdefgh", "live-abcdefgh"):
            await store.insert(gid, alias="g", client="c", topic="t", request={})
            await store.append(_event(gid, 1, "queued"))
    finally:
        await store.aclose()
    _claim(pg_url, "dead", "dead-abcdefgh", -1.0)  # its lease ran out a second ago
    _claim(pg_url, "live", "live-abcdefgh", REPLICA_LEASE)
    takers = [ClaimsDb(pg_url, name) for name in ("b", "c", "d")]
    taken: list[list[str]] = []

    async def take(claims: ClaimsDb) -> None:
        taken.append(await trio.to_thread.run_sync(claims.take_over, REPLICA_LEASE, 10))

    try:
        async with trio.open_nursery() as nursery:
            for claims in takers:
                nursery.start_soon(take, claims)
    finally:
        for claims in takers:
            claims.close()
    assert sorted(gid for ids in taken for gid in ids) == ["dead-abcdefgh"]
    assert _one_terminal(pg_url, "dead-abcdefgh") == [(1, "queued"), (2, "interrupted")]
    assert _stored(pg_url, "live-abcdefgh") == ("queued", [(1, "queued")])


async def test_the_reaper_knows_when_the_first_lease_held_elsewhere_runs_out(pg_url: str) -> None:
    store = await Store.open(pg_url)
    try:
        for gid in ("soon-abcdefgh", "late-abcdefgh", "mine-abcdefgh", "done-abcdefgh"):
            await store.insert(gid, alias="g", client="c", topic="t", request={})
            await store.append(_event(gid, 1, "queued"))
    finally:
        await store.aclose()
    before = time.time()
    _claim(pg_url, "x", "soon-abcdefgh", 2.0)
    _claim(pg_url, "y", "late-abcdefgh", 4.0)
    _claim(pg_url, "r", "mine-abcdefgh", 1.0)
    _claim(pg_url, "z", "done-abcdefgh", 0.5)
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("UPDATE generations SET status = 'completed' WHERE id = 'done-abcdefgh'")
    claims = ClaimsDb(pg_url, "r")
    try:
        first = claims.next_expiry(["mine-abcdefgh"])
        assert first is not None and before + 2.0 <= first <= time.time() + 2.0
        later = claims.next_expiry(["mine-abcdefgh", "soon-abcdefgh"])
        assert later is not None and before + 4.0 <= later <= time.time() + 4.0
        everything = ["mine-abcdefgh", "soon-abcdefgh", "late-abcdefgh"]
        assert claims.next_expiry(everything) is None  # a finished one holds nothing
    finally:
        claims.close()
