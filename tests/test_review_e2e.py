"""Review before rendering, and revisions, on the real `videogen serve` over loopback with real
media: a draft over SSE, edited (two edits at once: one 409), the server restarted while it
waits, rendered with the edit in its script, then revised into a new generation."""

from __future__ import annotations

import json
import signal
from typing import TYPE_CHECKING, Any

import pytest
import trio
from httpx_sse import aconnect_sse

from tests.test_server_e2e import Server, client_for, follow, wait_for_status

if TYPE_CHECKING:
    from pathlib import Path

    import httpx

pytestmark = pytest.mark.slow

EDITED = "This sentence was written by the reviewer."
REVISED = "And this one came with the revision."


async def follow_draft(
    client: httpx.AsyncClient, gid: str, waiting: trio.Event, seen: list[dict[str, Any]]
) -> None:
    """Follow `gid`'s stream to its end; set `waiting` once it has said `awaiting_review`."""
    async with aconnect_sse(client, "GET", f"/api/progress/{gid}") as source:
        async for sse in source.aiter_sse():
            if sse.data:
                seen.append(json.loads(sse.data))
                if seen[-1]["status"] == "awaiting_review":
                    waiting.set()


async def edit_draft(server: Server) -> tuple[str, str]:
    async with client_for(server) as client:
        response = await client.post(
            "/api/generate",
            json={"topic": "Volcanoes", "num_slides": 3, "render": False},
            headers={"Prefer": "respond-async"},
        )
        assert response.status_code == 202, response.text
        gid, token = response.json()["generation_id"], response.json()["owner_token"]
        await wait_for_status(server, gid, "awaiting_review")
        mine = {"X-Owner-Token": token}
        patched = await client.patch(
            f"/api/generations/{gid}/slides/2",
            json={"narration": EDITED},
            headers={**mine, "If-Match": '"0"'},
        )
        assert patched.status_code == 200, patched.text
        assert patched.headers["ETag"] == '"1"'
        # Two edits at once against the same version: one wins, the other is told.
        codes: list[int] = []

        async def title(text: str) -> None:
            answer = await client.patch(
                f"/api/generations/{gid}/slides/1",
                json={"title": text},
                headers={**mine, "If-Match": '"1"'},
            )
            codes.append(answer.status_code)

        async with trio.open_nursery() as nursery:
            nursery.start_soon(title, "Volcanoes, reviewed")
            nursery.start_soon(title, "Volcanoes, overwritten?")
        assert sorted(codes) == [200, 409]
    return gid, token


async def render_and_revise(server: Server, gid: str, token: str) -> None:
    mine = {"X-Owner-Token": token}
    async with client_for(server) as client:
        status = (await client.get(f"/api/status/{gid}")).json()
        assert status["status"] == "awaiting_review" and status["version"] == 2
        waiting, seen = trio.Event(), list[dict[str, Any]]()
        async with trio.open_nursery() as nursery:
            nursery.start_soon(follow_draft, client, gid, waiting, seen)
            with trio.fail_after(30):
                await waiting.wait()  # a stream of the waiting draft, opened after the restart
            rendered = await client.post(f"/api/generations/{gid}/render", headers=mine)
            assert rendered.status_code == 202, rendered.text
        statuses = [e["status"] for e in seen]
        assert statuses[-2:] == ["completed", "done"], statuses
        assert statuses.count("completed") == 1 and "interrupted" not in statuses
        script = (await client.get(f"/api/script/{gid}")).json()
        assert script["slide_scripts"][1]["narration_text"] == EDITED
        content = (await client.get(f"/api/content/{gid}")).json()
        assert content["slides"][0]["title"].startswith("Volcanoes, ")
        video = await client.get(f"/api/video/{gid}.mp4")
        assert video.status_code == 200 and video.content[4:8] == b"ftyp"
        # A revision: a new generation; the parent is served as it was.
        parent = (await client.get(f"/api/status/{gid}")).json()
        body = {"edits": [{"slide_number": 3, "narration": REVISED}], "render": True}
        made = await client.post(f"/api/generations/{gid}/revisions", json=body, headers=mine)
        assert made.status_code == 202, made.text
        child = made.json()["generation_id"]
        assert made.json()["parent_id"] == gid and made.json()["owner_token"] != token
        events = await follow(client, child)
        assert [e["status"] for _, e in events][-2:] == ["completed", "done"]
        child_script = (await client.get(f"/api/script/{child}")).json()
        assert child_script["slide_scripts"][2]["narration_text"] == REVISED
        assert child_script["slide_scripts"][1]["narration_text"] == EDITED
        assert (await client.get(f"/api/status/{child}")).json()["parent_id"] == gid
        assert (await client.get(f"/api/script/{gid}")).json() == script
        assert (await client.get(f"/api/content/{gid}")).json() == content
        assert (await client.get(f"/api/status/{gid}")).json() == parent
        assert (await client.get(f"/api/video/{gid}.mp4")).content == video.content


def test_review_edit_restart_render_then_revise(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = Server(data, "--rate-limit", "0")
    try:
        gid, token = trio.run(edit_draft, first)
        assert first.stop(signal.SIGTERM) == 0, first.log_path.read_text()[-2000:]
    finally:
        first.stop(signal.SIGKILL)
    second = Server(data, "--rate-limit", "0")
    try:
        trio.run(render_and_revise, second, gid, token)
    finally:
        assert second.stop() == 0, second.log_path.read_text()[-2000:]
