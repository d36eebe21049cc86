"""Drafts' renders and revisions through the cluster's line (`actors.runtime.pulling`): two real
`videogen serve` replicas (`--max-running 1`) on one real PostgreSQL and one shared artifact
directory. A is busy with a long generation; a draft's render and a revision asked on A run on
B, the free one; two renders of one draft asked at once on A and B: one runs, the other is
refused; one terminal event each."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
import trio

from tests.test_cluster_queue_e2e import _run, _until
from tests.test_replicas import _one_terminal, _wait_running
from tests.test_replicas_routes import pair
from tests.test_server_e2e import client_for, follow, submit_owned

if TYPE_CHECKING:
    import httpx

    from tests.test_server_e2e import Server

__all__ = ["pair"]

SMALL = {"knowledge": "none"}


async def _draft(client: httpx.AsyncClient, topic: str) -> tuple[str, dict[str, str]]:
    """A one-slide draft made (and waiting for review); its id and owner header."""
    made = await client.post(
        "/api/generate",
        json={"topic": topic, "num_slides": 1, "render": False, **SMALL},
        headers={"Prefer": "respond-async"},
    )
    assert made.status_code == 202, made.text
    gid = str(made.json()["generation_id"])
    status = f"/api/status/{gid}"
    with trio.fail_after(60):
        while (await client.get(status)).json()["status"] != "awaiting_review":  # noqa: ASYNC110
            await trio.sleep(0.05)  # another process: polled, bounded
    return gid, {"X-Owner-Token": str(made.json()["owner_token"])}


@pytest.mark.slow
async def test_a_render_and_a_revision_asked_on_a_busy_replica_run_on_the_free_one(
    pair: dict[str, Server], pg_url: str
) -> None:
    async with client_for(pair["a"]) as a, client_for(pair["b"]) as b:
        draft, mine = await _draft(a, "Glaciers")
        done = await a.post("/api/generate", json={"topic": "Rivers", "num_slides": 1, **SMALL})
        assert done.status_code == 200, done.text
        parent = str(done.json()["generation_id"])
        parents = {"X-Owner-Token": str(done.json()["owner_token"])}
        await _until(pg_url, draft, "claimed_by", None)  # let go of as its run ended

        long, token = await submit_owned(a, "Volcanoes", num_slides=30, **SMALL)
        await _until(pg_url, long, "claimed_by", "a")
        await _wait_running(a, long)  # A's only slot is taken

        rendered = await a.post(f"/api/generations/{draft}/render", headers=mine)
        assert rendered.status_code == 202, rendered.text
        again = await b.post(f"/api/generations/{draft}/render", headers=mine)
        assert again.status_code == 409, again.text  # it is no longer awaiting review
        body = {"edits": [{"slide_number": 1, "title": "Rivers, revised"}], "render": True}
        revised = await a.post(f"/api/generations/{parent}/revisions", json=body, headers=parents)
        assert revised.status_code == 202, revised.text
        child = str(revised.json()["generation_id"])

        # Followed on A, where they were asked: the events of B's runs, to their end.
        for gid in (draft, child):
            statuses = [e["status"] for _, e in await follow(a, gid)]
            assert statuses[-2:] == ["completed", "done"], (gid, statuses)
            assert statuses.count("completed") == 1
        assert (await a.get(f"/api/status/{long}")).json()["status"] not in (
            "completed",
            "error",
            "interrupted",
        ), "the long one ended too soon: A was not busy throughout"
        stopped = await a.post(f"/api/cancel/{long}", headers={"X-Owner-Token": token})
        assert stopped.status_code == 200, stopped.text
        assert (await b.get(f"/api/content/{child}")).json()["slides"][0]["title"] == (
            "Rivers, revised"
        )
        assert (await a.get(f"/api/status/{child}")).json()["parent_id"] == parent
        video = await a.get(f"/api/video/{draft}.mp4")
        assert video.status_code == 200 and video.content[4:8] == b"ftyp"
    for gid in (draft, child):
        assert _run(pg_url, gid)[0] == "b", gid
        assert _one_terminal(pg_url, gid)[-1][1] == "completed"
    assert _one_terminal(pg_url, long)[-1][1] == "cancelled"


@pytest.mark.slow
async def test_two_renders_of_one_draft_asked_at_once_on_two_replicas_run_once(
    pair: dict[str, Server], pg_url: str
) -> None:
    async with client_for(pair["a"]) as a, client_for(pair["b"]) as b:
        draft, mine = await _draft(a, "Deltas")
        long, token = await submit_owned(a, "Volcanoes", num_slides=30, **SMALL)
        await _wait_running(a, long)  # A's render waits in the line; B's starts at once
        codes: list[int] = []

        async def render(client: httpx.AsyncClient) -> None:
            answer = await client.post(f"/api/generations/{draft}/render", headers=mine)
            codes.append(answer.status_code)

        async with trio.open_nursery() as nursery:
            nursery.start_soon(render, a)
            nursery.start_soon(render, b)
        assert sorted(codes) == [202, 409], codes
        statuses = [e["status"] for _, e in await follow(b, draft)]
        assert statuses[-2:] == ["completed", "done"], statuses
        stopped = await a.post(f"/api/cancel/{long}", headers={"X-Owner-Token": token})
        assert stopped.status_code == 200, stopped.text
    assert _run(pg_url, draft)[0] == "b"
    events = _one_terminal(pg_url, draft)
    assert [s for _, s in events].count("queued") == 2  # its draft run's, and one render's
