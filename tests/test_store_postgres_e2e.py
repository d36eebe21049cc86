"""Generations end to end on the PostgreSQL store: through the real registry on fake media, and
through a real `videogen serve --database-url …` on loopback making a real video."""

from __future__ import annotations

import contextlib
import sqlite3
import time
from typing import TYPE_CHECKING

import psycopg
import pytest
import trio

from tests.fakes import FakeMedia, request
from tests.test_server_e2e import Server, client_for, follow, submit
from videogen.actors.adapters.store import Store, database
from videogen.actors.runtime.recovery import recover
from videogen.actors.runtime.registry import Registry, RegistryConfig, run_registry

if TYPE_CHECKING:
    from pathlib import Path


def _rows(url: str, gid: str) -> tuple[str, list[tuple[int, str]]]:
    """The generation's status and its events (seq, status), as the database holds them."""
    with psycopg.connect(url) as conn:
        status = conn.execute("SELECT status FROM generations WHERE id = %s", (gid,)).fetchone()
        events = conn.execute(
            "SELECT seq, status FROM events WHERE generation_id = %s ORDER BY seq", (gid,)
        ).fetchall()
    assert status is not None
    return status[0], [(int(s), str(t)) for s, t in events]


async def test_a_generation_through_the_registry_on_postgresql(pg_url: str, tmp_path: Path) -> None:
    config = RegistryConfig(data_dir=tmp_path, max_running=2, max_queued=5, database_url=pg_url)
    assert database(config.data_dir, config.database_url) == pg_url
    store = await Store.open(database(config.data_dir, config.database_url))
    try:
        assert store.engine == "postgresql"
        async with trio.open_nursery() as nursery:
            registry: Registry = await nursery.start(
                run_registry, store, FakeMedia(cost=0.01), config
            )
            gens = [await registry.submit(request(f"Tides {n}", num_slides=2)) for n in range(3)]
            with trio.fail_after(30):
                for gen in gens:
                    await gen.finished.wait()
            for gen in gens:
                with await registry.subscribe(gen.id) as events:
                    replay = [(e.seq, e.status) async for e in events]
                status, stored = _rows(pg_url, gen.id)
                # Every event is in the database, numbered 1, 2, … per generation, one terminal.
                assert status == "completed" and stored == replay
                assert [s for s, _ in stored] == list(range(1, len(stored) + 1))
                assert [t for _, t in stored].count("completed") == 1
                record = await registry.record(gen.id)
                assert record.video_filename == f"{gen.id}.mp4"
                assert record.content is not None
            listed = await store.listing(limit=10)
            assert [r.id for r in listed] == [g.id for g in reversed(gens)]
            assert await store.counts() == {"completed": 3}
            await registry.shutdown()
    finally:
        await store.aclose()
    # A later process on the same database sees everything. Recovery leaves another replica's
    # running generation alone (its lease holds); the registry's takeover marks a dead one's.
    again = await Store.open(pg_url)
    try:
        assert (await again.counts()) == {"completed": 3}
        for gid in ("left-abcdefgh", "live-abcdefgh"):
            await again.insert(gid, alias="left", client="c", topic="t", request={})
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute(
                "UPDATE generations SET claimed_by = 'dead:1', lease_until = %s WHERE id = %s",
                (time.time() - 1, "left-abcdefgh"),
            )
            conn.execute(
                "UPDATE generations SET claimed_by = 'alive:2', lease_until = %s WHERE id = %s",
                (time.time() + 60, "live-abcdefgh"),
            )
        await recover(again, config)
        assert (await again.counts()) == {"completed": 3, "queued": 2}
        async with trio.open_nursery() as nursery:
            registry = await nursery.start(run_registry, again, FakeMedia(cost=0.01), config)
            await registry.shutdown()
        left = await again.get("left-abcdefgh")
        assert left is not None and left.status == "interrupted"
        assert [e.seq for e in await again.events("left-abcdefgh")] == [1]
        live = await again.get("live-abcdefgh")
        assert live is not None and live.status == "queued"
    finally:
        await again.aclose()


def _sqlite_generations(path: Path) -> int:
    if not path.exists():
        return 0
    with contextlib.closing(sqlite3.connect(path)) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        if "generations" not in tables:
            return 0
        count: int = conn.execute("SELECT COUNT(*) FROM generations").fetchone()[0]
        return count


@pytest.mark.slow
async def test_videogen_serve_on_postgresql_makes_a_real_video(pg_url: str, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    server = Server(data_dir, "--rate-limit", "0", "--database-url", pg_url)
    try:
        async with client_for(server) as client:
            gid = await submit(client, "Glaciers", num_slides=2)
            events = await follow(client, gid)
            statuses = [e["status"] for _, e in events]
            assert statuses[-2:] == ["completed", "done"]
            real = [
                (int(i), e["status"]) for i, e in events if e["status"] not in ("connected", "done")
            ]
            video = await client.get(f"/api/video/{gid}.mp4")
            assert video.status_code == 200 and video.content[4:8] == b"ftyp"
            assert (await client.get("/health")).status_code == 200
        assert _rows(pg_url, gid) == ("completed", real)
        # The generations are in PostgreSQL, not in a SQLite file in the data dir (which may
        # hold the artifact cache's index: its directories are this machine's).
        assert _sqlite_generations(data_dir / "videogen.db") == 0
    finally:
        assert server.stop() == 0, server.log_path.read_text()[-2000:]
    # A new server on the same database answers for the generation made by the first.
    again = Server(data_dir, "--rate-limit", "0", "--database-url", pg_url)
    try:
        async with client_for(again) as client:
            status = (await client.get(f"/api/status/{gid}")).json()
        assert status["status"] == "completed"
    finally:
        assert again.stop() == 0, again.log_path.read_text()[-2000:]
