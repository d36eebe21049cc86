"""Review before rendering, and revisions: every status code of their routes, through the
Quart-Trio test client (the real registry and store on fake media)."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

import trio

from tests.test_routes import ASYNC, JSON, owner, read_stream, sse_events, wait_done

if TYPE_CHECKING:
    from quart.typing import TestClientProtocol


async def status_of(client: TestClientProtocol, gid: str) -> dict[str, Any]:
    body: dict[str, Any] = await (await client.get(f"/api/status/{gid}")).get_json()
    return body


async def draft_owned(client: TestClientProtocol, topic: str = "Review me") -> tuple[str, str]:
    """A draft awaiting review (the blocking POST answers once it is): its id and owner token."""
    response = await client.post(
        "/api/generate", headers=JSON, json={"topic": topic, "render": False}
    )
    assert response.status_code == 200, await response.get_data()
    body = await response.get_json()
    return str(body["generation_id"]), str(body["owner_token"])


def slides(gid: str, n: int | None = None) -> str:
    return f"/api/generations/{gid}/slides" + (f"/{n}" if n is not None else "")


async def test_blocking_generate_with_render_false_answers_the_draft(
    client: TestClientProtocol,
) -> None:
    response = await client.post(
        "/api/generate", headers=JSON, json={"topic": "Blocking draft", "render": False}
    )
    assert response.status_code == 200
    body = await response.get_json()
    assert body["review_status"] == "awaiting_review"
    assert body["video_path"] is None and body["video_filename"] is None
    assert body["content_data"]["slides"] and body["script_data"]["slide_scripts"]
    assert response.headers["ETag"] == '"0"'
    status = await status_of(client, body["generation_id"])
    assert status["status"] == "awaiting_review" and status["progress"] == 20
    assert status["version"] == 0


async def test_render_false_must_be_a_boolean(client: TestClientProtocol) -> None:
    response = await client.post("/api/generate", headers=ASYNC, json={"topic": "t", "render": 0})
    assert response.status_code == 422
    assert (await response.get_json())["detail"][0]["loc"] == ["body", "render"]


async def test_patch_edits_a_slide_with_versions_and_owner(client: TestClientProtocol) -> None:
    gid, token = await draft_owned(client)
    edit = {"narration": "A sentence of my own."}
    assert (await client.patch(slides(gid, 2), headers=JSON, json=edit)).status_code == 403
    wrong = {**JSON, **owner("not-the-token")}
    assert (await client.patch(slides(gid, 2), headers=wrong, json=edit)).status_code == 403
    mine = {**JSON, **owner(token)}
    response = await client.patch(slides(gid, 2), headers=mine, json=edit)
    assert response.status_code == 200, await response.get_data()
    body = await response.get_json()
    assert response.headers["ETag"] == '"1"' and body["version"] == 1
    assert body["script_data"]["slide_scripts"][1]["narration_text"] == "A sentence of my own."
    scripts = body["script_data"]["slide_scripts"]
    assert all(a["end_time"] == b["start_time"] for a, b in itertools.pairwise(scripts))
    # Stale If-Match (and stale body version): 409 with the current version.
    stale = await client.patch(slides(gid, 1), headers={**mine, "If-Match": '"0"'}, json=edit)
    assert stale.status_code == 409
    assert (await stale.get_json())["version"] == 1 and stale.headers["ETag"] == '"1"'
    stale_body = await client.patch(slides(gid, 1), headers=mine, json={**edit, "version": 0})
    assert stale_body.status_code == 409
    fresh = await client.patch(slides(gid, 1), headers={**mine, "If-Match": '"1"'}, json=edit)
    assert fresh.status_code == 200 and fresh.headers["ETag"] == '"2"'
    bad_tag = await client.patch(slides(gid, 1), headers={**mine, "If-Match": "x"}, json=edit)
    assert bad_tag.status_code == 409
    # Out of range, bad layout, too long, empty: 404 and 422 naming the field.
    assert (await client.patch(slides(gid, 99), headers=mine, json=edit)).status_code == 404
    layout = await client.patch(slides(gid, 1), headers=mine, json={"layout": "spiral"})
    assert layout.status_code == 422
    detail = (await layout.get_json())["detail"][0]
    assert detail["loc"] == ["body", "layout"] and "bullets" in detail["msg"]
    title = await client.patch(slides(gid, 1), headers=mine, json={"title": "x" * 301})
    assert (await title.get_json())["detail"][0]["loc"] == ["body", "title"]
    empty = await client.patch(slides(gid, 1), headers=mine, json={})
    assert empty.status_code == 422
    chart = await client.patch(slides(gid, 2), headers=mine, json={"layout": "chart"})
    assert chart.status_code == 200
    assert (await chart.get_json())["content_data"]["slides"][1]["layout"] == "chart"
    unknown = await client.patch(slides("no-such-id", 1), headers=mine, json=edit)
    assert unknown.status_code == 404


async def test_insert_and_delete_renumber(client: TestClientProtocol) -> None:
    gid, token = await draft_owned(client)
    mine = {**JSON, **owner(token)}
    before = (await status_of(client, gid))["version"]
    new = {"slide": {"title": "Inserted", "content_text": "One\nTwo"}, "position": 1}
    response = await client.post(slides(gid), headers=mine, json=new)
    assert response.status_code == 201, await response.get_data()
    content = (await response.get_json())["content_data"]
    assert content["slides"][0]["title"] == "Inserted"
    assert [s["slide_number"] for s in content["slides"]] == list(
        range(1, content["total_slides"] + 1)
    )
    total = content["total_slides"]
    far = await client.post(slides(gid), headers=mine, json={**new, "position": total + 2})
    assert far.status_code == 422
    assert (await far.get_json())["detail"][0]["loc"] == ["body", "position"]
    missing = await client.post(slides(gid), headers=mine, json={"position": 1})
    assert (await missing.get_json())["detail"][0]["loc"] == ["body", "slide"]
    gone = await client.delete(slides(gid, 1), headers=owner(token))
    assert gone.status_code == 200
    after = await gone.get_json()
    assert after["content_data"]["total_slides"] == total - 1
    assert after["version"] == before + 2
    assert (await client.delete(slides(gid, 50), headers=owner(token))).status_code == 404
    assert (await client.delete(slides(gid, 1))).status_code == 403
    for _ in range(total - 2):
        assert (await client.delete(slides(gid, 1), headers=owner(token))).status_code == 200
    last = await client.delete(slides(gid, 1), headers=owner(token))
    assert last.status_code == 409
    assert "cancel" in (await last.get_json())["detail"]


async def test_render_then_edits_are_409_and_revisions_make_new_generations(
    client: TestClientProtocol,
) -> None:
    gid, token = await draft_owned(client, "Render me")
    mine = {**JSON, **owner(token)}
    edit = {"narration": "Rendered words."}
    assert (await client.patch(slides(gid, 2), headers=mine, json=edit)).status_code == 200
    render = f"/api/generations/{gid}/render"
    assert (await client.post(render)).status_code == 403
    assert (
        await client.post("/api/generations/no-such-id/render", headers=owner(token))
    ).status_code == 404
    response = await client.post(render, headers=owner(token))
    assert response.status_code == 202
    assert (await response.get_json())["links"]["progress"] == f"/api/progress/{gid}"
    again = await client.post(render, headers=owner(token))
    assert again.status_code == 409
    events = await wait_done(client, gid)
    statuses = [e["status"] for e in events]
    assert "awaiting_review" in statuses and statuses.count("completed") == 1
    script = await (await client.get(f"/api/script/{gid}")).get_json()
    assert script["slide_scripts"][1]["narration_text"] == "Rendered words."
    late = await client.patch(slides(gid, 1), headers=mine, json=edit)
    assert late.status_code == 409
    assert "revisions" in (await late.get_json())["detail"]
    # A revision: a new generation with its own token; the parent never changes.
    parent_before = await (await client.get(f"/api/content/{gid}")).get_json()
    revisions = f"/api/generations/{gid}/revisions"
    body = {"edits": [{"slide_number": 1, "title": "A new title"}], "render": True}
    assert (await client.post(revisions, headers=JSON, json=body)).status_code == 403
    bad = {"edits": [{"slide_number": 1, "layout": "spiral"}]}
    rejected = await client.post(revisions, headers=mine, json=bad)
    assert rejected.status_code == 422
    assert (await rejected.get_json())["detail"][0]["loc"] == ["body", "edits", 0, "layout"]
    out = {"edits": [{"slide_number": 40, "title": "x"}]}
    out_of_range = await client.post(revisions, headers=mine, json=out)
    assert (await out_of_range.get_json())["detail"][0]["loc"][:3] == ["body", "edits", 0]
    accepted = await client.post(revisions, headers=mine, json=body)
    assert accepted.status_code == 202, await accepted.get_data()
    revision = await accepted.get_json()
    child = revision["generation_id"]
    assert child != gid and revision["parent_id"] == gid and revision["owner_token"] != token
    assert [e["status"] for e in await wait_done(client, child)][-2:] == ["completed", "done"]
    assert (await status_of(client, child))["parent_id"] == gid
    content = await (await client.get(f"/api/content/{child}")).get_json()
    assert content["slides"][0]["title"] == "A new title"
    assert await (await client.get(f"/api/content/{gid}")).get_json() == parent_before
    listing = await (await client.get("/api/generations")).get_json()
    assert {g["generation_id"]: g.get("parent_id") for g in listing["generations"]}[child] == gid
    # A revision left for review; revising that is 409 (it is not completed).
    draft = await client.post(revisions, headers=mine, json={**body, "render": False})
    draft_id = (await draft.get_json())["generation_id"]
    assert (await status_of(client, draft_id))["status"] == "awaiting_review"
    draft_token = (await draft.get_json())["owner_token"]
    not_done = await client.post(
        f"/api/generations/{draft_id}/revisions", headers={**JSON, **owner(draft_token)}, json=body
    )
    assert not_done.status_code == 409
    assert (
        await client.post("/api/generations/no-such-id/revisions", headers=mine, json=body)
    ).status_code == 404


async def test_a_draft_stream_stays_open_and_cancel_ends_it(client: TestClientProtocol) -> None:
    gid, token = await draft_owned(client, "Cancel me")
    async with trio.open_nursery() as nursery:
        streamed: list[str] = []

        async def follow() -> None:
            text = await read_stream(client, f"/api/progress/{gid}")
            streamed.extend(e["status"] for _, e in sse_events(text))

        nursery.start_soon(follow)
        await trio.sleep(0.5)
        assert not streamed  # awaiting_review is no end: the stream is still open
        assert (await client.post(f"/api/cancel/{gid}")).status_code == 403
        response = await client.post(f"/api/cancel/{gid}", headers=owner(token))
        assert response.status_code == 200
    assert streamed[-3:] == ["awaiting_review", "cancelled", "done"]
    assert (await client.post(f"/api/cancel/{gid}", headers=owner(token))).status_code == 409
    render = await client.post(f"/api/generations/{gid}/render", headers=owner(token))
    assert render.status_code == 409


async def test_two_patches_at_once_one_wins(client: TestClientProtocol) -> None:
    gid, token = await draft_owned(client, "Race")
    headers = {**JSON, **owner(token), "If-Match": '"0"'}
    codes: list[int] = []

    async def patch(title: str) -> None:
        response = await client.patch(slides(gid, 1), headers=headers, json={"title": title})
        codes.append(response.status_code)

    async with trio.open_nursery() as nursery:
        nursery.start_soon(patch, "First")
        nursery.start_soon(patch, "Second")
    assert sorted(codes) == [200, 409]
    assert (await status_of(client, gid))["version"] == 1


async def test_patch_position_moves_a_slide_with_its_narration(client: TestClientProtocol) -> None:
    gid, token = await draft_owned(client, "Move me")
    mine = {**JSON, **owner(token)}
    first = await (await client.get(f"/api/status/{gid}")).get_json()
    assert first["version"] == 0
    draft = await (
        await client.patch(slides(gid, 1), headers=mine, json={"narration": "Said on slide one."})
    ).get_json()
    titles = [s["title"] for s in draft["content_data"]["slides"]]
    total = len(titles)
    assert total >= 3
    # Slide 1 moves to the end: its narration goes with it, the rest shift up by one.
    moved = await client.patch(
        slides(gid, 1), headers={**mine, "If-Match": '"1"'}, json={"position": total}
    )
    assert moved.status_code == 200, await moved.get_data()
    assert moved.headers["ETag"] == '"2"'
    body = await moved.get_json()
    assert [s["title"] for s in body["content_data"]["slides"]] == [*titles[1:], titles[0]]
    assert [s["slide_number"] for s in body["content_data"]["slides"]] == list(range(1, total + 1))
    scripts = body["script_data"]["slide_scripts"]
    assert scripts[-1]["narration_text"] == "Said on slide one."
    assert scripts[0]["start_time"] == 0
    assert all(a["end_time"] == b["start_time"] for a, b in itertools.pairwise(scripts))
    # Out of range: 422 naming position and the allowed range; nothing changed.
    for bad in (0, total + 1, -3):
        far = await client.patch(slides(gid, 1), headers=mine, json={"position": bad})
        assert far.status_code == 422, bad
        detail = (await far.get_json())["detail"][0]
        assert detail["loc"] == ["body", "position"] and f"1 and {total}" in detail["msg"]
    not_int = await client.patch(slides(gid, 1), headers=mine, json={"position": "2"})
    assert (await not_int.get_json())["detail"][0]["loc"] == ["body", "position"]
    missing = await client.patch(slides(gid, 99), headers=mine, json={"position": 1})
    assert missing.status_code == 404
    # Stale version (If-Match or body): 409 with the current one.
    stale = await client.patch(
        slides(gid, 2), headers={**mine, "If-Match": '"1"'}, json={"position": 1}
    )
    assert stale.status_code == 409 and (await stale.get_json())["version"] == 2
    stale_body = await client.patch(
        slides(gid, 2), headers=mine, json={"position": 1, "version": 0}
    )
    assert stale_body.status_code == 409
    assert (await client.patch(slides(gid, 2), json={"position": 1})).status_code == 403
    status = await status_of(client, gid)
    assert status["version"] == 2
    # A move and an edit in one PATCH: the slide is edited, then moved.
    both = await client.patch(
        slides(gid, total), headers=mine, json={"position": 1, "title": "Now first", "version": 2}
    )
    assert both.status_code == 200
    again = await both.get_json()
    assert again["content_data"]["slides"][0]["title"] == "Now first"
    assert again["script_data"]["slide_scripts"][0]["narration_text"] == "Said on slide one."
