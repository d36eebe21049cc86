"""Every route on every replica: two real `videogen serve` replicas on one real PostgreSQL and
one shared artifact directory (`--storage-url`), each with its own data dir. A draft made on A
is edited and rendered on B and followed on A; its video, chapters and export are served by
both; a revision is asked on A; the WebSocket on B follows and cancels a generation A runs."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import psycopg
import pytest
import trio
from trio_websocket import open_websocket_url

from tests.test_replicas import _claim, _event, _one_terminal, _wait_running
from tests.test_review_e2e import follow_draft
from tests.test_server_e2e import Server, client_for, follow, submit_owned
from videogen.actors.adapters.replicas_pg import ClaimsDb
from videogen.actors.adapters.store import Store
from videogen.actors.limits import REPLICA_LEASE

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


EDITED = "A reviewer on another replica wrote this sentence."


@pytest.fixture
def pair(pg_url: str, tmp_path: Path) -> Iterator[dict[str, Server]]:
    """Replicas `a` and `b` sharing `pg_url` and `tmp_path/shared`; stopped (reaped) after."""
    shared = tmp_path / "shared"
    shared.mkdir()
    servers: dict[str, Server] = {}
    try:
        for name in ("a", "b"):
            servers[name] = Server(
                tmp_path / name / "data",
                *("--rate-limit", "0", "--database-url", pg_url, "--replica-id", name),
                *("--storage-url", str(shared), "--max-running", "1"),
            )
        yield servers
    finally:
        for server in servers.values():
            if server.process.poll() is None:
                server.stop()


@pytest.mark.slow
async def test_draft_on_a_edited_and_rendered_on_b_revised_on_a(
    pair: dict[str, Server], pg_url: str
) -> None:
    async with client_for(pair["a"]) as a, client_for(pair["b"]) as b:
        for client in (a, b):
            health = (await client.get("/health")).json()
            assert health["checks"]["database"] == health["checks"]["storage"] == "ok"
        made = await a.post(
            "/api/generate",
            json={"topic": "Glaciers", "num_slides": 2, "render": False},
            headers={"Prefer": "respond-async"},
        )
        assert made.status_code == 202, made.text
        gid, token = made.json()["generation_id"], made.json()["owner_token"]
        mine = {"X-Owner-Token": token}
        waiting, seen = trio.Event(), list[dict[str, Any]]()
        async with trio.open_nursery() as nursery:
            # Followed on A from the start to its end, whoever renders it.
            nursery.start_soon(follow_draft, a, gid, waiting, seen)
            with trio.fail_after(60):
                await waiting.wait()
            # The owner token made on A works on B; the draft's version is the database's.
            patched = await b.patch(
                f"/api/generations/{gid}/slides/2",
                json={"narration": EDITED},
                headers={**mine, "If-Match": '"0"'},
            )
            assert patched.status_code == 200, patched.text
            stale = await a.patch(
                f"/api/generations/{gid}/slides/1",
                json={"title": "Lost edit?"},
                headers={**mine, "If-Match": '"0"'},
            )
            assert stale.status_code == 409, stale.text
            assert (await b.post(f"/api/generations/{gid}/render")).status_code == 403
            rendered = await b.post(f"/api/generations/{gid}/render", headers=mine)
            assert rendered.status_code == 202, rendered.text
        statuses = [e["status"] for e in seen]
        assert statuses[-2:] == ["completed", "done"], statuses
        assert statuses.count("completed") == 1
        _one_terminal(pg_url, gid)
        # Both replicas serve what B made, from the shared store.
        videos = [await c.get(f"/api/video/{gid}.mp4") for c in (a, b)]
        assert videos[0].status_code == videos[1].status_code == 200
        assert videos[0].content == videos[1].content and videos[0].content[4:8] == b"ftyp"
        for client in (a, b):
            script = (await client.get(f"/api/script/{gid}")).json()
            assert script["slide_scripts"][1]["narration_text"] == EDITED
            chapters = await client.get(f"/api/chapters/{gid}")
            assert chapters.status_code == 200 and chapters.text.startswith("WEBVTT")
        pdf = await a.get(f"/api/export/{gid}.pdf")
        assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"

        # A revision asked on A of what B rendered; the parent unchanged everywhere.
        body = {"edits": [{"slide_number": 1, "title": "Glaciers, revised"}], "render": True}
        child = await a.post(f"/api/generations/{gid}/revisions", json=body, headers=mine)
        assert child.status_code == 202, child.text
        cid = child.json()["generation_id"]
        events = await follow(b, cid)
        assert [e["status"] for _, e in events][-2:] == ["completed", "done"]
        assert (await b.get(f"/api/content/{cid}")).json()["slides"][0]["title"] == (
            "Glaciers, revised"
        )
        assert (await b.get(f"/api/status/{cid}")).json()["parent_id"] == gid
        assert (await b.get(f"/api/video/{gid}.mp4")).content == videos[0].content
        _one_terminal(pg_url, cid)


@pytest.mark.slow
async def test_websocket_on_b_follows_and_cancels_what_a_runs(
    pair: dict[str, Server], pg_url: str
) -> None:
    async with client_for(pair["a"]) as a:
        gid, token = await submit_owned(a, "Volcanoes", num_slides=8)
        await _wait_running(a, gid)
        url = f"ws://127.0.0.1:{pair['b'].port}/api/ws"
        statuses: list[str] = []
        async with open_websocket_url(url) as ws:
            await ws.send_message(json.dumps({"type": "subscribe", "generation_id": gid}))
            with trio.fail_after(60):
                while True:  # the stored history first, then what A publishes
                    message = json.loads(await ws.get_message())
                    assert message["type"] == "event", message
                    assert message["generation_id"] == gid
                    statuses.append(message["status"])
                    if message["status"] not in ("queued", "researching"):
                        break
            await ws.send_message(
                json.dumps({"type": "cancel", "generation_id": gid, "owner_token": token})
            )
            with trio.fail_after(10):  # REPLICA_CANCEL_WAIT and a margin
                while statuses[-1] != "cancelled":
                    message = json.loads(await ws.get_message())
                    if message["type"] == "event":
                        statuses.append(message["status"])
                    else:
                        assert message["type"] != "error", message
        assert statuses.count("cancelled") == 1
        assert _one_terminal(pg_url, gid)[-1][1] == "cancelled"
        assert (await a.get(f"/api/status/{gid}")).json()["status"] == "cancelled"


async def _a_waiting_draft(pg_url: str, gid: str) -> None:
    """A draft whose first run was replica `a`'s, now waiting for its review."""
    store = await Store.open(pg_url)
    try:
        store.write_as("a")
        await store.insert(gid, alias="d", client="c", topic="t", request={})
        await store.append(_event(gid, 1, "queued"))
        _claim(pg_url, "a", gid, REPLICA_LEASE)
        await store.append(_event(gid, 2, "awaiting_review"))  # releases `a`'s claim
    finally:
        await store.aclose()


def _row(pg_url: str, gid: str) -> tuple[str, str | None]:
    with psycopg.connect(pg_url) as conn:
        row = conn.execute(
            "SELECT status, claimed_by FROM generations WHERE id = %s", (gid,)
        ).fetchone()
    assert row is not None
    return row[0], row[1]


async def test_a_draft_is_nobodys_from_the_event_that_says_it_waits(pg_url: str) -> None:
    await _a_waiting_draft(pg_url, "w-abcdefgh")
    assert _row(pg_url, "w-abcdefgh") == ("awaiting_review", None)


async def test_a_draft_rendered_on_three_replicas_at_once_is_claimed_once(pg_url: str) -> None:
    await _a_waiting_draft(pg_url, "d-abcdefgh")
    takers = [ClaimsDb(pg_url, name) for name in ("b", "c", "d")]
    answers: dict[str, str | None] = {}

    async def render(claims: ClaimsDb) -> None:
        answers[claims.replica] = await trio.to_thread.run_sync(
            claims.claim_draft, "d-abcdefgh", REPLICA_LEASE
        )

    try:
        async with trio.open_nursery() as nursery:
            for claims in takers:
                nursery.start_soon(render, claims)
        winners = [name for name, status in answers.items() if status is None]
        assert len(winners) == 1, answers
        assert sorted(s for s in answers.values() if s is not None) == ["queued", "queued"]
        assert _row(pg_url, "d-abcdefgh") == ("queued", winners[0])
        # A render that did not start puts the draft back, nobody's again.
        next(c for c in takers if c.replica == winners[0]).unclaim_draft("d-abcdefgh")
        assert _row(pg_url, "d-abcdefgh") == ("awaiting_review", None)
    finally:
        for claims in takers:
            claims.close()


async def _race(pg_url: str, gid: str) -> dict[str, object]:
    """A render (replica b) and a cancel (replica c) of the waiting draft `gid` at once."""
    renderer, canceller = ClaimsDb(pg_url, "b"), ClaimsDb(pg_url, "c")
    got: dict[str, object] = {}

    async def render() -> None:
        got["render"] = await trio.to_thread.run_sync(renderer.claim_draft, gid, REPLICA_LEASE)

    async def cancel() -> None:
        got["cancel"] = await trio.to_thread.run_sync(canceller.cancel_draft, gid, "stop", 1.0)

    try:
        async with trio.open_nursery() as nursery:
            nursery.start_soon(render)
            nursery.start_soon(cancel)
    finally:
        renderer.close()
        canceller.close()
    return got


async def test_a_render_and_a_cancel_of_one_draft_at_once_one_wins_whole(pg_url: str) -> None:
    for attempt in range(6):
        gid = f"r{attempt}-abcdefgh"
        await _a_waiting_draft(pg_url, gid)
        got = await _race(pg_url, gid)
        if got["render"] is None:  # the render won: the cancel changed nothing
            assert got["cancel"] is None and _row(pg_url, gid) == ("queued", "b")
            assert _events(pg_url, gid) == [(1, "queued"), (2, "awaiting_review")]
        else:  # the cancel won: one terminal event, the render was refused
            assert got["render"] == "cancelled" and got["cancel"] == (3, 0)
            assert _one_terminal(pg_url, gid)[-1] == (3, "cancelled")


def _events(pg_url: str, gid: str) -> list[tuple[int, str]]:
    with psycopg.connect(pg_url) as conn:
        rows = conn.execute(
            "SELECT seq, status FROM events WHERE generation_id = %s ORDER BY seq", (gid,)
        ).fetchall()
    return [(int(s), str(t)) for s, t in rows]


@pytest.mark.slow
async def test_a_draft_made_on_a_is_cancelled_on_b_and_its_stream_on_a_ends(
    pair: dict[str, Server], pg_url: str
) -> None:
    async with client_for(pair["a"]) as a, client_for(pair["b"]) as b:
        made = await a.post(
            "/api/generate",
            json={"topic": "Dunes", "num_slides": 2, "render": False},
            headers={"Prefer": "respond-async"},
        )
        gid, token = made.json()["generation_id"], made.json()["owner_token"]
        waiting, seen = trio.Event(), list[dict[str, Any]]()
        async with trio.open_nursery() as nursery:
            nursery.start_soon(follow_draft, a, gid, waiting, seen)
            with trio.fail_after(60):
                await waiting.wait()
            cancelled = await b.post(f"/api/cancel/{gid}", headers={"X-Owner-Token": token})
            assert cancelled.status_code == 200, cancelled.text
            assert cancelled.json()["status"] == "cancelled"
        assert [e["status"] for e in seen][-2:] == ["cancelled", "done"]
        assert _one_terminal(pg_url, gid)[-1][1] == "cancelled"
        again = await a.post(f"/api/cancel/{gid}", headers={"X-Owner-Token": token})
        assert again.status_code == 409
        render = await a.post(f"/api/generations/{gid}/render", headers={"X-Owner-Token": token})
        assert render.status_code == 409
