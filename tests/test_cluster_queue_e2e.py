"""The cluster's work queue with real `videogen serve` replicas on one real PostgreSQL (each
`--max-running 1`, its own data dir; see `actors.runtime.pulling`): work admitted on A runs on
B when A is full; a waiting generation survives A's kill -9; fairness between clients across
the cluster; and one rate limit for the whole cluster."""

from __future__ import annotations

import contextlib
import signal
from typing import TYPE_CHECKING

import psycopg
import pytest
import trio

from tests.test_replicas import _one_terminal
from tests.test_server_e2e import Server, client_for, follow, submit_owned

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    import httpx

SMALL = {"knowledge": "none"}


@contextlib.contextmanager
def cluster(
    tmp_path: Path, url: str, *names: str, extra: tuple[str, ...] = ()
) -> Iterator[dict[str, Server]]:
    """One replica per name on `url`; all stopped (and reaped) at the end, on failure too."""
    servers: dict[str, Server] = {}
    rate = () if "--rate-limit" in extra else ("--rate-limit", "0")
    try:
        for name in names:
            servers[name] = Server(
                tmp_path / name / "data",
                *rate,
                "--database-url",
                url,
                "--replica-id",
                name,
                "--max-running",
                "1",
                *extra,
            )
        yield servers
    finally:
        for server in servers.values():
            if server.process.poll() is None:
                server.stop()


def _run(url: str, gid: str) -> tuple[str | None, float, float]:
    """Who ran `gid`, when it left the queue (its second event) and when it ended (its last)."""
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT claimed_by FROM generations WHERE id = %s", (gid,)).fetchone()
        ats = [
            a
            for (a,) in conn.execute(
                "SELECT at FROM events WHERE generation_id = %s ORDER BY seq", (gid,)
            ).fetchall()
        ]
    assert row is not None and len(ats) >= 3, (gid, ats)
    return row[0], float(ats[1]), float(ats[-1])


def _column(url: str, gid: str, column: str) -> object:
    with psycopg.connect(url) as conn:
        row = conn.execute(f"SELECT {column} FROM generations WHERE id = %s", (gid,)).fetchone()
    assert row is not None
    return row[0]


async def _until(url: str, gid: str, column: str, value: object) -> None:
    """Until `gid`'s row has `column = value` (another process's state: polled, bounded)."""
    with trio.fail_after(60):
        while _column(url, gid, column) != value:  # noqa: ASYNC110 (another process)
            await trio.sleep(0.05)


async def _completed(client: httpx.AsyncClient, gid: str) -> None:
    assert [e["status"] for _, e in await follow(client, gid)][-2:] == ["completed", "done"]


@pytest.mark.slow
async def test_work_admitted_on_a_full_replica_runs_on_the_free_one(
    pg_url: str, tmp_path: Path
) -> None:
    with cluster(tmp_path, pg_url, "a", "b") as s:
        async with client_for(s["a"]) as a, client_for(s["b"]) as b:
            first, _ = await submit_owned(a, "Glaciers", num_slides=3, **SMALL)
            second, _ = await submit_owned(a, "Volcanoes", num_slides=3, **SMALL)
            await _until(pg_url, second, "claimed_by", "b")  # A is full: B pulled it
            third, _ = await submit_owned(a, "Rivers", num_slides=1, **SMALL)
            # The third waits in the database; any replica tells where.
            waiting = (await b.get(f"/api/status/{third}")).json()
            assert waiting["status"] == "queued" and waiting["queue_position"] == 1, waiting
            # One cancelled on B while it waits (nobody runs it): ended at once, once.
            dropped, token = await submit_owned(a, "Deserts", num_slides=1, **SMALL)
            answer = await b.post(f"/api/cancel/{dropped}", headers={"X-Owner-Token": token})
            assert answer.status_code == 200, answer.text
            assert _one_terminal(pg_url, dropped) == [(1, "queued"), (2, "cancelled")]
            # A blocking submit on A waits in line too, and answers once it ran (anywhere).
            blocking = await a.post(
                "/api/generate", json={"topic": "Deltas", "num_slides": 1, **SMALL}
            )
            assert blocking.status_code == 200, blocking.text
            assert blocking.json()["video_filename"]
            for gid in (first, second, third):
                await _completed(b, gid)
            fourth = str(blocking.json()["generation_id"])
    runs = {gid: _run(pg_url, gid) for gid in (first, second, third, fourth)}
    assert runs[first][0] == "a" and runs[second][0] == "b"
    # The first two at the same time, on both replicas; the third once a slot freed.
    assert runs[second][1] < runs[first][2] and runs[first][1] < runs[second][2]
    assert runs[third][1] >= min(runs[first][2], runs[second][2])
    for gid in runs:
        _one_terminal(pg_url, gid)


@pytest.mark.slow
async def test_a_waiting_generation_survives_its_replicas_kill_9(
    pg_url: str, tmp_path: Path
) -> None:
    with cluster(tmp_path, pg_url, "a", "b") as s:
        async with client_for(s["a"]) as a:
            long, _ = await submit_owned(a, "Rivers", num_slides=8, **SMALL)
            busy, _ = await submit_owned(a, "Tides", num_slides=2, **SMALL)
            waiting, _ = await submit_owned(a, "Deltas", num_slides=1, **SMALL)
            await _until(pg_url, busy, "claimed_by", "b")
            assert _column(pg_url, waiting, "status") == "queued"
            assert _column(pg_url, waiting, "claimed_by") is None
        assert s["a"].stop(signal.SIGKILL) == -signal.SIGKILL
        async with client_for(s["b"]) as b:
            await _completed(b, waiting)  # run by B, whose slot freed
            assert [e["status"] for _, e in await follow(b, long)][-2:] == ["interrupted", "done"]
    assert _run(pg_url, waiting)[0] == "b"
    assert _one_terminal(pg_url, waiting)[-1][1] == "completed"
    assert _one_terminal(pg_url, busy)[-1][1] == "completed"
    assert _one_terminal(pg_url, long)[-1][1] == "interrupted"


@pytest.mark.slow
async def test_the_client_with_fewer_running_goes_first_across_replicas(
    pg_url: str, tmp_path: Path
) -> None:
    x = {"X-Forwarded-For": "10.0.0.1"}
    y = {"X-Forwarded-For": "10.0.0.2"}
    with cluster(tmp_path, pg_url, "a", "b", extra=("--trust-forwarded",)) as s:
        async with client_for(s["a"]) as a, client_for(s["b"]) as b:

            async def submit(headers: dict[str, str], topic: str, slides: int) -> str:
                answer = await a.post(
                    "/api/generate",
                    json={"topic": topic, "num_slides": slides, **SMALL},
                    headers={"Prefer": "respond-async", **headers},
                )
                assert answer.status_code == 202, answer.text
                return str(answer.json()["generation_id"])

            x1 = await submit(x, "Glaciers", 3)
            x2 = await submit(x, "Volcanoes", 3)
            x3 = await submit(x, "Rivers", 1)
            y1 = await submit(y, "Tides", 1)
            # Both of X's first two still run: the line is X's third, then Y's first.
            assert _column(pg_url, x1, "status") not in ("completed", "queued")
            assert _column(pg_url, y1, "status") == "queued"
            for gid in (x1, x2, x3, y1):
                await _completed(b, gid)
    # At the first free slot X ran one and Y none: Y's goes first, though queued after.
    assert _run(pg_url, y1)[1] < _run(pg_url, x3)[1]
    assert _run(pg_url, x2)[0] == "b"  # the line was the cluster's, not A's
    assert _column(pg_url, y1, "client") == "10.0.0.2"


@pytest.mark.slow
async def test_the_rate_limit_holds_across_replicas(pg_url: str, tmp_path: Path) -> None:
    with cluster(tmp_path, pg_url, "a", "b", extra=("--rate-limit", "6")) as s:
        async with client_for(s["a"]) as a, client_for(s["b"]) as b:
            answers: dict[str, list[int]] = {"a": [], "b": []}
            for n in range(12):  # an upload without a file: rate-limited, then refused
                name, client = ("a", a) if n % 2 == 0 else ("b", b)
                answers[name].append((await client.post("/api/uploads")).status_code)
    allowed = [code for codes in answers.values() for code in codes if code != 429]
    # 6 a minute with bursts of 6, for the whole cluster (each replica alone would allow 6).
    assert 6 <= len(allowed) <= 7, answers
    assert 429 in answers["a"] and 429 in answers["b"], answers
