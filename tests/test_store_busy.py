"""A database another connection holds locked: fault injection with a real second connection,
on both stores (`store_target`: SQLite and a real PostgreSQL).

On SQLite the lock is a real `BEGIN IMMEDIATE` on a second sqlite3 connection to the same file;
on PostgreSQL, a second connection's `LOCK TABLE generations, events IN EXCLUSIVE MODE` (reads
go on, writes wait). Each is held until the test lets go, so every wait here is the engine's own
busy or lock timeout (about a second), not a fake.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import pytest
import trio

from tests.apps import make_app
from tests.fakes import FakeMedia, request
from tests.test_routes import ASYNC
from videogen.actors.adapters.store import Store
from videogen.actors.errors import AlreadyFinished, StorageFailing, StoreBusy, StoreRejected
from videogen.actors.limits import STORE_BUSY_TIMEOUT, STORE_RETRY_INTERVAL, TERMINAL_WRITE_GRACE
from videogen.actors.runtime.events import ProgressEvent
from videogen.actors.runtime.registry import Registry, RegistryConfig, run_registry

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator

    from videogen.actors.adapters.store import Target


class ForeignLock(Protocol):
    """Another connection holding the database's write lock until `release`."""

    def take(self) -> None: ...
    def release(self) -> None: ...
    def close(self) -> None: ...


class SqliteLock:
    """`BEGIN IMMEDIATE` on a second connection to the file."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.held = False

    def take(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")
        self.held = True

    def release(self) -> None:
        if self.held:
            self.conn.execute("ROLLBACK")
            self.held = False

    def close(self) -> None:
        self.conn.close()


class PgLock:
    """Another PostgreSQL session locking both tables against writes (not reads)."""

    def __init__(self, url: str) -> None:
        import psycopg

        self.conn = psycopg.connect(url, autocommit=True)
        self.held = False

    def take(self) -> None:
        self.conn.execute("BEGIN")
        self.conn.execute("LOCK TABLE generations, events IN EXCLUSIVE MODE")
        self.held = True

    def release(self) -> None:
        if self.held:
            self.conn.execute("ROLLBACK")
            self.held = False

    def close(self) -> None:
        self.conn.close()


@pytest.fixture
async def store(store_target: Target) -> AsyncIterator[Store]:
    opened = await Store.open(store_target)
    yield opened
    await opened.aclose()


@pytest.fixture
def foreign(store: Store, store_target: Target) -> Iterator[ForeignLock]:
    """After `store`, which creates the tables."""
    lock: ForeignLock = (
        SqliteLock(store_target) if isinstance(store_target, Path) else PgLock(store_target)
    )
    yield lock
    lock.release()
    lock.close()


def on_disk(target: Target, gid: str) -> tuple[str, list[str]]:
    """What another process reading the database sees: the status and the events' statuses."""
    status_sql = "SELECT status FROM generations WHERE id = ?"
    events_sql = "SELECT status FROM events WHERE generation_id = ? ORDER BY seq"
    if isinstance(target, Path):
        with contextlib.closing(sqlite3.connect(target)) as conn:
            status = conn.execute(status_sql, (gid,)).fetchone()
            rows = conn.execute(events_sql, (gid,)).fetchall()
        return status[0], [r[0] for r in rows]
    import psycopg

    with psycopg.connect(target) as pg:
        pg_status = pg.execute(status_sql.replace("?", "%s"), (gid,)).fetchone()
        pg_rows = pg.execute(events_sql.replace("?", "%s"), (gid,)).fetchall()
    assert pg_status is not None
    return pg_status[0], [r[0] for r in pg_rows]


def event(gid: str, seq: int, status: str, progress: int) -> ProgressEvent:
    return ProgressEvent(gid, seq, status, progress, status, at=time.time())  # type: ignore[arg-type]


async def test_writes_wait_in_order_and_land_when_the_lock_goes(
    store: Store, foreign: ForeignLock, store_target: Target
) -> None:
    gid = "locked-abcdefgh"
    await store.insert(gid, alias="locked", client="c", topic="locked", request={"topic": "t"})
    await store.append(event(gid, 1, "queued", 0))
    foreign.take()
    started = trio.current_time()
    await store.append(event(gid, 2, "started", 0))  # queued, not raised
    await store.append(event(gid, 3, "generating_audio", 43))  # backing off: at once
    await store.set_artifacts(gid, error="boom")
    await store.append(event(gid, 4, "error", 43))
    assert trio.current_time() - started < STORE_BUSY_TIMEOUT + 0.5
    assert store.pending == 4 and store.failure is not None
    assert "locked" in store.failure
    # Readers see the queued writes as if written, without waiting for the lock.
    asked = trio.current_time()
    record = await store.get(gid)
    assert record is not None and (record.status, record.error) == ("error", "boom")
    assert [e.seq for e in await store.events(gid)] == [1, 2, 3, 4]
    assert [e.seq for e in await store.events(gid, after_seq=2)] == [3, 4]
    assert trio.current_time() - asked < 0.5
    assert on_disk(store_target, gid) == ("queued", ["queued"])
    # New generations are refused at once while writes wait.
    with pytest.raises(StoreBusy):
        await store.insert("other-abcdefgh", alias="o", client="c", topic="o", request={})
    assert "writes waiting" in (await store.probe() or "")
    foreign.release()
    with trio.fail_after(STORE_RETRY_INTERVAL + STORE_BUSY_TIMEOUT + 2):
        await store.settle()
    assert store.pending == 0 and store.failure is None
    assert on_disk(store_target, gid) == (
        "error",
        ["queued", "started", "generating_audio", "error"],
    )
    assert await store.probe() is None


async def test_probe_notices_a_lock_held_elsewhere_quickly(
    store: Store, foreign: ForeignLock
) -> None:
    assert await store.probe() is None
    foreign.take()
    asked = trio.current_time()
    failure = await store.probe()
    assert failure is not None and "locked" in failure
    assert trio.current_time() - asked < 1.5


async def test_a_request_meeting_a_foreign_lock_gets_store_busy_within_a_bound(
    store: Store, foreign: ForeignLock
) -> None:
    foreign.take()
    asked = trio.current_time()
    with pytest.raises(StoreBusy) as refused:
        await store.insert("x-abcdefgh", alias="x", client="c", topic="x", request={})
    assert refused.value.retry_after >= 1
    assert trio.current_time() - asked < STORE_BUSY_TIMEOUT + 0.5


async def test_a_generation_under_a_held_lock_still_ends_with_its_terminal_event(
    store: Store,
    foreign: ForeignLock,
    store_target: Target,
    tmp_path: Path,
    nursery: trio.Nursery,
) -> None:
    config = RegistryConfig(data_dir=tmp_path, max_running=2, max_queued=5)
    registry: Registry = await nursery.start(run_registry, store, FakeMedia(cost=0.01), config)
    gen = await registry.submit(request("Held up", num_slides=2))
    foreign.take()  # from `queued` on, nothing this generation emits can be written
    with trio.fail_after(STORE_BUSY_TIMEOUT + TERMINAL_WRITE_GRACE + 5):
        await gen.finished.wait()
    assert registry.live(gen.id) is None
    assert on_disk(store_target, gen.id)[0] == "queued"
    # Status, replay and cancel all see the terminal event while the lock is still held.
    record = await registry.record(gen.id)
    assert (record.status, record.progress) == ("completed", 100)
    assert record.video_filename == f"{gen.id}.mp4"
    with await registry.subscribe(gen.id) as events:
        replay = [e.status async for e in events]
    assert replay[0] == "queued" and replay[-1] == "completed"
    assert replay.count("completed") == 1
    with pytest.raises(AlreadyFinished) as finished:
        await registry.cancel(gen.id)
    assert finished.value.status == "completed"
    # Admission refuses, naming storage, while the writes wait.
    with pytest.raises(StorageFailing, match="storage is failing: the database is locked"):
        await registry.submit(request("Not now"))
    foreign.release()
    # The registry's flusher writes everything once the lock is gone; nobody else writes.
    with trio.fail_after(STORE_RETRY_INTERVAL + STORE_BUSY_TIMEOUT + 2):
        while store.pending:  # noqa: ASYNC110  (what another task does: poll, bounded)
            await trio.sleep(0.05)
    status, statuses = on_disk(store_target, gen.id)
    assert status == "completed" and statuses == replay
    await registry.shutdown()


async def test_routes_answer_503_with_retry_after_and_health_fails_fast(
    tmp_path: Path, store_target: Target, foreign: ForeignLock
) -> None:
    media = FakeMedia(cost=0.01)
    url = store_target if isinstance(store_target, str) else None
    async with make_app(tmp_path, media, database_url=url).test_app() as app:
        client = app.test_client()
        healthy = await client.get("/health")
        assert healthy.status_code == 200
        response = await client.post(
            "/api/generate", headers=ASYNC, json={"topic": "Before", "num_slides": 2}
        )
        gid = (await response.get_json())["generation_id"]
        foreign.take()
        asked = trio.current_time()
        health = await client.get("/health")
        assert health.status_code == 503
        body: dict[str, Any] = await health.get_json()
        # PostgreSQL is a check of its own; SQLite's file is part of the data dir's.
        failing = "database" if url is not None else "storage"
        assert body["checks"][failing].startswith("failed: ")
        assert "locked" in body["checks"][failing]
        assert trio.current_time() - asked < 2.5
        asked = trio.current_time()
        refused = await client.post(
            "/api/generate", headers=ASYNC, json={"topic": "During", "num_slides": 2}
        )
        assert refused.status_code == 503
        assert refused.headers["Retry-After"].isdigit()
        assert "storage" in (await refused.get_json())["detail"]
        assert trio.current_time() - asked < STORE_BUSY_TIMEOUT + 1
        asked = trio.current_time()
        status = await client.get(f"/api/status/{gid}")
        assert status.status_code == 200
        assert trio.current_time() - asked < 0.5
        foreign.release()
        with trio.fail_after(10):
            while (await client.get("/health")).status_code != 200:  # noqa: ASYNC110
                await trio.sleep(0.1)
        # Its queued writes go out at the store's next retry, then it runs on: a deadline,
        # not a moment (under load the retry may come after the health check's answer).
        with trio.fail_after(10):
            while True:
                final = await (await client.get(f"/api/status/{gid}")).get_json()
                if final["status"] in ("completed", "error", "cancelled", "interrupted"):
                    break
                await trio.sleep(0.1)
        assert final["status"] == "completed"


async def test_new_generations_are_admitted_while_others_keep_writing(store: Store) -> None:
    """Under load the queue is rarely empty (other generations' events arrive while a batch is
    written); only a refusal by the database itself may refuse a new generation."""
    writers = [f"busy-{n}-abcdefgh" for n in range(8)]
    for gid in writers:
        await store.insert(gid, alias=gid, client="c", topic=gid, request={})

    async def keep_writing(gid: str) -> None:
        for seq in range(1, 200):
            await store.append(event(gid, seq, "generating_audio", 30))

    async with trio.open_nursery() as nursery:
        for gid in writers:
            nursery.start_soon(keep_writing, gid)
        for n in range(40):
            await store.insert(f"new-{n}-abcdefgh", alias="n", client="c", topic="n", request={})
    assert store.failure is None and store.pending == 0
    assert len(await store.listing(limit=100)) == len(writers) + 40


async def test_a_batch_the_database_rejects_is_dropped_as_store_rejected(store: Store) -> None:
    """A write that can never land (here: an event number already taken) must not block every
    later one; the store drops its batch and says so, on both engines."""
    gid = "rejected-abcdefgh"
    await store.insert(gid, alias="r", client="c", topic="r", request={})
    await store.append(event(gid, 1, "queued", 0))
    with pytest.raises(StoreRejected):
        await store.append(event(gid, 1, "started", 0))
    assert store.pending == 0 and store.failure is None
    await store.append(event(gid, 2, "completed", 100))
    assert [(e.seq, e.status) for e in await store.events(gid)] == [(1, "queued"), (2, "completed")]
