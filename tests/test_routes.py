"""Every route and status code of the contract, through the Quart-Trio test client.

The app runs its real registry and SQLite store on fake media (fast, controllable), so these
tests are about HTTP behaviour; `test_server_e2e.py` covers the real server on real media.
"""

from __future__ import annotations

import contextlib
import json
from typing import TYPE_CHECKING, Any

import pytest
import trio

from tests.apps import make_app

if TYPE_CHECKING:
    from pathlib import Path

    from quart.typing import TestAppProtocol, TestClientProtocol

    from tests.fakes import FakeMedia

JSON = {"Content-Type": "application/json"}
ASYNC = {**JSON, "Prefer": "respond-async"}
ORIGIN = "http://localhost:5173"


async def read_stream(
    client: TestClientProtocol, path: str, headers: dict[str, str] | None = None
) -> str:
    """The whole body of a streamed response (the server closes SSE after `done`)."""
    body = bytearray()
    async with client.request(path, headers=headers or {}) as connection:
        await connection.send_complete()
        try:
            while True:
                body.extend(await connection.receive())
        except (trio.EndOfChannel, trio.ClosedResourceError):
            pass
    return body.decode()


def sse_events(text: str) -> list[tuple[str | None, dict[str, Any]]]:
    events = []
    for block in text.split("\n\n"):
        lines = block.split("\n")
        data = [line[6:] for line in lines if line.startswith("data: ")]
        ids = [line[4:] for line in lines if line.startswith("id: ")]
        if data:
            events.append((ids[0] if ids else None, json.loads("\n".join(data))))
    return events


async def start_owned(
    client: TestClientProtocol,
    topic: str = "The water cycle",
    headers: dict[str, str] | None = None,
    **fields: Any,
) -> tuple[str, str]:
    """Start a generation; returns its id and its owner token."""
    response = await client.post(
        "/api/generate", headers={**ASYNC, **(headers or {})}, json={"topic": topic, **fields}
    )
    assert response.status_code == 202, await response.get_data()
    body = await response.get_json()
    return str(body["generation_id"]), str(body["owner_token"])


async def start(client: TestClientProtocol, topic: str = "The water cycle", **fields: Any) -> str:
    return (await start_owned(client, topic, **fields))[0]


def owner(token: str) -> dict[str, str]:
    return {"X-Owner-Token": token}


async def wait_done(client: TestClientProtocol, gid: str) -> list[dict[str, Any]]:
    return [e for _, e in sse_events(await read_stream(client, f"/api/progress/{gid}"))]


# -- POST /api/generate --------------------------------------------------------------------


async def test_async_generate_answers_202_with_links(client: TestClientProtocol) -> None:
    response = await client.post(
        "/api/generate", headers=ASYNC, json={"topic": "Volcanoes", "num_slides": 3}
    )
    assert response.status_code == 202
    body = await response.get_json()
    gid = body["generation_id"]
    assert gid.startswith("Volcanoes-") and len(gid) == len("Volcanoes-") + 8
    assert response.headers["Location"] == f"/api/status/{gid}"
    assert response.headers["Preference-Applied"] == "respond-async"
    assert body["links"]["video"] == f"/api/video/{gid}.mp4"
    assert len(body["owner_token"]) >= 22  # at least 128 random bits, URL-safe base64
    assert set(body["links"]) == {
        "status",
        "progress",
        "content",
        "script",
        "subtitles",
        "video",
        "cancel",
        "render",
        "slides",
        "revisions",
    }


async def test_blocking_generate_returns_the_documented_body(client: TestClientProtocol) -> None:
    response = await client.post(
        "/api/generate", headers=JSON, json={"topic": "Tides", "num_slides": 2}
    )
    assert response.status_code == 200
    body = await response.get_json()
    assert body["status"] == "success"
    assert set(body) == {
        "status",
        "message",
        "generation_id",
        "owner_token",
        "content_data",
        "script_data",
        "video_path",
        "video_filename",
    }
    assert body["video_path"] == f"/api/video/{body['video_filename']}"
    assert body["content_data"]["total_slides"] == 2
    assert [s["quality"]["ok"] for s in body["content_data"]["slides"]] == [True, True]
    assert (
        body["script_data"]["slide_scripts"][1]["start_time"]
        == body["script_data"]["slide_scripts"][0]["end_time"]
    )


async def test_blocking_generate_failure_is_500_with_a_clear_message(
    client: TestClientProtocol, media: FakeMedia
) -> None:
    media.fail_at = "speak"
    response = await client.post("/api/generate", headers=JSON, json={"topic": "Broken"})
    assert response.status_code == 500
    detail = (await response.get_json())["detail"]
    assert detail == "speech failed: speak broke on purpose"


async def test_blocking_generate_cancelled_by_someone_else_is_409(
    tmp_path: Path, media: FakeMedia
) -> None:
    media.block_at = "draw"
    results: dict[str, Any] = {}
    admin = {"Authorization": "Bearer adm1n"}  # the blocking caller's token is not out yet
    async with make_app(tmp_path, media, api_key="adm1n").test_app() as app:
        client = app.test_client()

        async def blocking() -> None:
            response = await client.post(
                "/api/generate", headers={**JSON, **admin}, json={"topic": "Stopme"}
            )
            results["status"] = response.status_code
            results["body"] = await response.get_json()

        async with trio.open_nursery() as nursery:
            nursery.start_soon(blocking)
            await media.reached.wait()
            listing = await (await client.get("/api/generations", headers=admin)).get_json()
            gid = listing["generations"][0]["generation_id"]
            cancel = await client.post(f"/api/cancel/{gid}", headers=admin)
            assert cancel.status_code == 200
            assert await cancel.get_json() == {"status": "cancelled", "generation_id": gid}
    assert results == {"status": 409, "body": {"detail": "Generation cancelled"}}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "topic"),
        ({"topic": ""}, "topic"),
        ({"topic": "   "}, "topic"),
        ({"topic": "x" * 501}, "topic"),
        ({"topic": "t", "num_slides": 0}, "num_slides"),
        ({"topic": "t", "num_slides": 31}, "num_slides"),
        ({"topic": "t", "num_slides": "five"}, "num_slides"),
        ({"topic": "t", "language": "klingon"}, "language"),
        ({"topic": "t", "tone": "angry"}, "tone"),
        ({"topic": "t", "aspect_ratio": "4:3"}, "aspect_ratio"),
        ({"topic": "t", "theme": "neon"}, "theme"),
        ({"topic": "t", "speech_rate": 20}, "speech_rate"),
    ],
)
async def test_invalid_fields_are_422_naming_the_field(
    client: TestClientProtocol, body: dict[str, Any], field: str
) -> None:
    response = await client.post("/api/generate", headers=ASYNC, json=body)
    assert response.status_code == 422
    detail = (await response.get_json())["detail"]
    assert [item["loc"] for item in detail] == [["body", field]]
    assert detail[0]["msg"] and detail[0]["type"]


async def test_invalid_choice_lists_the_allowed_values(client: TestClientProtocol) -> None:
    response = await client.post(
        "/api/generate", headers=ASYNC, json={"topic": "t", "language": "x"}
    )
    msg = (await response.get_json())["detail"][0]["msg"]
    assert "english" in msg and "hindi" in msg and "arabic" in msg
    response = await client.post("/api/generate", headers=ASYNC, json={"topic": "t", "tone": "x"})
    assert "storytelling" in (await response.get_json())["detail"][0]["msg"]


async def test_malformed_bodies_are_4xx_not_500(client: TestClientProtocol) -> None:
    bad_json = await client.post("/api/generate", headers=JSON, data=b"{nope")
    assert bad_json.status_code == 400
    assert "Malformed JSON" in (await bad_json.get_json())["detail"]
    wrong_type = await client.post(
        "/api/generate", headers={"Content-Type": "text/plain"}, data=b"x"
    )
    assert wrong_type.status_code == 415
    not_object = await client.post("/api/generate", headers=JSON, data=b"[1, 2]")
    assert not_object.status_code == 422
    huge = await client.post(
        "/api/generate", headers=JSON, data=b'{"topic": "' + b"x" * 1_100_000 + b'"}'
    )
    assert huge.status_code == 413
    assert "too large" in (await huge.get_json())["detail"]


async def test_unknown_fields_are_ignored(client: TestClientProtocol) -> None:
    gid = await start(client, "Extra", whatever=1)
    assert (await wait_done(client, gid))[-2]["status"] == "completed"


async def test_queue_full_is_503_with_retry_after(
    client: TestClientProtocol, media: FakeMedia
) -> None:
    media.block_at = "write_content"
    for n in range(7):  # 2 running + 5 queued
        await start(client, f"t{n}")
    response = await client.post("/api/generate", headers=ASYNC, json={"topic": "more"})
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0


async def test_rate_limit_is_429_with_retry_after(tmp_path: Path, media: FakeMedia) -> None:
    async with make_app(tmp_path, media, rate_limit=2).test_app() as app:
        client = app.test_client()
        codes = [
            (await client.post("/api/generate", headers=ASYNC, json={"topic": "t"})).status_code
            for _ in range(3)
        ]
        assert codes == [202, 202, 429]
        response = await client.post("/api/generate", headers=ASYNC, json={"topic": "t"})
        assert int(response.headers["Retry-After"]) >= 1


# -- progress (SSE) --------------------------------------------------------------------------


async def test_progress_stream_order_and_framing(client: TestClientProtocol) -> None:
    gid = await start(client)
    text = await read_stream(client, f"/api/progress/{gid}")
    events = sse_events(text)
    statuses = [e["status"] for _, e in events]
    assert statuses[0] == "connected"
    assert statuses[-2:] == ["completed", "done"]
    assert statuses.count("completed") == 1
    real = [(i, e) for i, e in events if e["status"] not in ("connected", "done")]
    assert (
        [int(i or 0) for i, _ in real]
        == [e["seq"] for _, e in real]
        == list(range(1, len(real) + 1))
    )
    for _, e in events:
        assert {"status", "progress", "message", "timestamp", "generation_id", "seq"} <= set(e)
    progress = [e["progress"] for _, e in real]
    assert progress == sorted(progress)


async def test_progress_headers_and_keepalive(client: TestClientProtocol, media: FakeMedia) -> None:
    media.block_at = "draw"
    gid, token = await start_owned(client)
    await media.reached.wait()
    seen = b""
    async with client.request(f"/api/progress/{gid}") as connection:
        await connection.send_complete()
        while b": keep-alive" not in seen:
            seen += await connection.receive()
        # (A client disconnect is tested on a real server: the test client cannot leave early.)
        assert (await client.post(f"/api/cancel/{gid}", headers=owner(token))).status_code == 200
        with contextlib.suppress(trio.EndOfChannel, trio.ClosedResourceError):
            while True:
                seen += await connection.receive()
    headers = connection.headers  # type: ignore[attr-defined]
    assert headers is not None
    assert headers["Content-Type"].startswith("text/event-stream")
    assert headers["Cache-Control"] == "no-cache, no-transform"
    assert headers["X-Accel-Buffering"] == "no"
    statuses = [e["status"] for _, e in sse_events(seen.decode())]
    assert statuses[-2:] == ["cancelled", "done"]


async def test_last_event_id_resumes_after_it(client: TestClientProtocol) -> None:
    gid = await start(client)
    first = [e for _, e in sse_events(await read_stream(client, f"/api/progress/{gid}"))]
    resumed = [
        e
        for _, e in sse_events(
            await read_stream(client, f"/api/progress/{gid}", {"Last-Event-ID": "5"})
        )
    ]
    assert [e["seq"] for e in resumed[1:-1]] == list(range(6, first[-2]["seq"] + 1))
    assert resumed[0]["status"] == "connected" and resumed[-1]["status"] == "done"


async def test_unknown_id_waits_then_errors(client: TestClientProtocol) -> None:
    events = [e for _, e in sse_events(await read_stream(client, "/api/progress/nobody-here"))]
    statuses = [e["status"] for e in events]
    assert statuses[0] == "connected" and "waiting" in statuses
    assert statuses[-2:] == ["error", "done"]
    assert events[-2]["message"] == "Generation ID not found"


async def test_stream_opened_before_the_post_follows_it(client: TestClientProtocol) -> None:
    body = bytearray()
    waiting = trio.Event()

    async def listen() -> None:
        async with client.request("/api/progress/Early_bird") as connection:
            await connection.send_complete()
            with contextlib.suppress(trio.EndOfChannel, trio.ClosedResourceError):
                while True:
                    body.extend(await connection.receive())
                    if b'"waiting"' in body:
                        waiting.set()

    async with trio.open_nursery() as nursery:
        nursery.start_soon(listen)
        await waiting.wait()  # the stream is open and waiting before the POST
        await start(client, "Early bird")
    statuses = [e["status"] for _, e in sse_events(body.decode())]
    assert statuses[:2] == ["connected", "waiting"]
    assert statuses[-2:] == ["completed", "done"]


# -- status, content, script, subtitles, generations ----------------------------------------


async def test_read_routes_after_completion_and_by_alias(client: TestClientProtocol) -> None:
    gid = await start(client, "Newton's laws: motion?")
    await wait_done(client, gid)
    status = await (await client.get(f"/api/status/{gid}")).get_json()
    assert status["status"] == "completed" and status["progress"] == 100
    assert status["video_filename"] == f"{gid}.mp4"
    assert {"timestamp", "topic", "created_at", "updated_at"} <= set(status)
    alias = "Newtons_laws_motion"  # the documented rule, no suffix
    assert (await (await client.get(f"/api/status/{alias}")).get_json())["generation_id"] == gid
    content = await (await client.get(f"/api/content/{alias}")).get_json()
    assert content["topic"] == "Newton's laws: motion?" and len(content["slides"]) == 5
    slide_keys = {
        "slide_number",
        "title",
        "content_text",
        "needs_image",
        "image_keyword",
        "needs_animation",
        "animation_description",
        "duration",
    }
    assert slide_keys <= set(content["slides"][0])
    script = await (await client.get(f"/api/script/{gid}")).get_json()
    assert {"topic", "total_duration", "language", "slide_scripts"} <= set(script)
    vtt = await client.get(f"/api/subtitles/{gid}")
    assert vtt.headers["Content-Type"].startswith("text/vtt")
    assert (await vtt.get_data(as_text=True)).startswith("WEBVTT")
    srt = await client.get(f"/api/subtitles/{gid}?format=srt")
    assert "-->" in await srt.get_data(as_text=True)


@pytest.mark.parametrize(
    ("path", "detail"),
    [
        ("/api/status/nope", "Generation ID not found"),
        ("/api/content/nope", "Content not found"),
        ("/api/script/nope", "Script not found"),
        ("/api/subtitles/nope", "Subtitles not found"),
        ("/api/chapters/nope", "Chapters not found"),
        ("/api/video/nope.mp4", "Video not found: nope.mp4"),
        ("/api/video/nope.txt", "Video not found: nope.txt"),
        ("/api/video/..", "Video not found: .."),
        ("/nowhere", "Not found"),
    ],
)
async def test_unknown_things_are_404(client: TestClientProtocol, path: str, detail: str) -> None:
    response = await client.get(path)
    assert response.status_code == 404
    assert (await response.get_json()) == {"detail": detail}


async def test_error_status_carries_the_error(client: TestClientProtocol, media: FakeMedia) -> None:
    media.fail_at = "encode"
    gid = await start(client)
    events = await wait_done(client, gid)
    assert events[-2]["status"] == "error"
    status = await (await client.get(f"/api/status/{gid}")).get_json()
    assert (
        status["status"] == "error" and status["error"] == "compose failed: encode broke on purpose"
    )
    assert (await client.get(f"/api/content/{gid}")).status_code == 404
    assert (await client.get(f"/api/video/{gid}.mp4")).status_code == 404


async def test_generations_list_pages_newest_first(client: TestClientProtocol) -> None:
    ids = [await start(client, f"topic {n}") for n in range(3)]
    first = await (await client.get("/api/generations?limit=2")).get_json()
    assert [g["generation_id"] for g in first["generations"]] == ids[::-1][:2]
    second = await (await client.get(f"/api/generations?limit=2&before={first['next']}")).get_json()
    assert [g["generation_id"] for g in second["generations"]] == [ids[0]]
    assert second["next"] is None
    assert (await client.get("/api/generations?limit=0")).status_code == 422
    assert (await client.get("/api/generations?before=x")).status_code == 422


# -- cancel ----------------------------------------------------------------------------------


async def test_cancel_running_then_again(client: TestClientProtocol, media: FakeMedia) -> None:
    media.block_at = "speak"
    gid, token = await start_owned(client)
    await media.reached.wait()
    response = await client.post(f"/api/cancel/{gid}", headers=owner(token))
    assert response.status_code == 200
    events = await wait_done(client, gid)
    assert [e["status"] for e in events][-2:] == ["cancelled", "done"]
    assert (await client.post(f"/api/cancel/{gid}", headers=owner(token))).status_code == 409
    assert (await client.post("/api/cancel/nope")).status_code == 404
    alias = (await client.post("/api/cancel/The_water_cycle")).status_code
    assert alias == 404  # the alias never cancels


async def test_chapters_route_vtt_youtube_and_404s(
    client: TestClientProtocol, media: FakeMedia
) -> None:
    gid = await start(client, num_slides=5)
    await wait_done(client, gid)
    content = await (await client.get(f"/api/content/{gid}")).get_json()
    script = await (await client.get(f"/api/script/{gid}")).get_json()
    vtt = await client.get(f"/api/chapters/{gid}")
    assert vtt.status_code == 200
    assert vtt.headers["Content-Type"] == "text/vtt; charset=utf-8"
    text = await vtt.get_data(as_text=True)
    assert text.startswith("WEBVTT")
    cues = text.split("\n\n")[1:]
    assert len(cues) == len(content["slides"])
    for cue, slide, entry in zip(cues, content["slides"], script["slide_scripts"], strict=True):
        _, timing, title = cue.strip().split("\n")
        assert title == slide["title"]
        assert timing.startswith(_clock(entry["start_time"]))
    youtube = await client.get(f"/api/chapters/{gid}?format=youtube")
    assert youtube.headers["Content-Type"] == "text/plain; charset=utf-8"
    lines = (await youtube.get_data(as_text=True)).splitlines()
    assert lines == [] or lines[0].startswith("0:00 ")
    bad = await client.get(f"/api/chapters/{gid}?format=srt")
    assert bad.status_code == 422 and "format must be one of vtt, youtube" in str(
        await bad.get_json()
    )
    assert (await client.get("/api/chapters/nope")).status_code == 404
    media.block_at = "encode"
    running = await start(client, "Volcanoes")
    await media.reached.wait()
    unfinished = await client.get(f"/api/chapters/{running}")
    assert unfinished.status_code == 404
    assert await unfinished.get_json() == {"detail": "Chapters not found"}


def _clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole // 60 % 60:02d}:{whole % 60:02d}"


# -- video -----------------------------------------------------------------------------------


async def test_video_ranges_and_head(client: TestClientProtocol, test_app: TestAppProtocol) -> None:
    gid = await start(client)
    await wait_done(client, gid)
    url = f"/api/video/{gid}.mp4"
    whole = await client.get(url)
    data = await whole.get_data()
    size = len(data)
    assert whole.status_code == 200
    assert whole.headers["Accept-Ranges"] == "bytes"
    assert whole.headers["Content-Type"] == "video/mp4"
    assert int(whole.headers["Content-Length"]) == size
    etag = whole.headers["ETag"]
    part = await client.get(url, headers={"Range": "bytes=10-19"})
    assert part.status_code == 206
    assert await part.get_data() == data[10:20]
    assert part.headers["Content-Range"] == f"bytes 10-19/{size}"
    suffix = await client.get(url, headers={"Range": "bytes=-7"})
    assert await suffix.get_data() == data[-7:]
    clamped = await client.get(url, headers={"Range": f"bytes={size - 3}-{size + 100}"})
    assert await clamped.get_data() == data[-3:]
    bad = await client.get(url, headers={"Range": f"bytes={size}-"})
    assert bad.status_code == 416
    assert bad.headers["Content-Range"] == f"bytes */{size}"
    assert (await client.get(url, headers={"Range": "bytes=5-2"})).status_code == 416
    assert (await client.get(url, headers={"Range": "items=0-1"})).status_code == 200
    stale = await client.get(url, headers={"Range": "bytes=0-0", "If-Range": '"other"'})
    assert stale.status_code == 200
    fresh = await client.get(url, headers={"Range": "bytes=0-0", "If-Range": etag})
    assert fresh.status_code == 206
    head = await client.head(url)
    assert head.status_code == 200
    assert head.headers["ETag"] == etag  # (Content-Length on HEAD: see test_server_e2e)
    assert await head.get_data() == b""


# -- system ----------------------------------------------------------------------------------


async def test_health_options_debug_openapi(client: TestClientProtocol, media: FakeMedia) -> None:
    health = await (await client.get("/health")).get_json()
    assert health["status"] == "healthy"
    assert health["checks"] == {"tts": "ok", "ffmpeg": "ok", "storage": "ok"}
    assert {"running", "queued"} == set(health["generations"])
    options = await (await client.get("/api/options")).get_json()
    assert len(options["languages"]) == 19 and "storytelling" in options["tones"]
    media.block_at = "draw"
    gid = await start(client)
    await media.reached.wait()
    tree = await (await client.get("/api/debug/actors")).get_json()
    assert tree["kind"] == "registry"
    gen = next(c for c in tree["children"] if c["name"] == gid)
    assert [c["name"] for c in gen["children"]] == [
        "writer",
        "scripts",
        "speech",
        "slides",
        "compose",
    ]
    assert next(c for c in gen["children"] if c["name"] == "slides")["state"] == "running"
    spec = await (await client.get("/openapi.json")).get_json()
    assert {
        "/api/generate",
        "/api/progress/{generation_id}",
        "/api/video/{filename}",
        "/health",
    } <= set(spec["paths"])
    assert "GenerationRequest" in spec["components"]["schemas"]


async def test_api_key_guards_api_but_not_health(tmp_path: Path, media: FakeMedia) -> None:
    async with make_app(tmp_path, media, api_key="s3cret").test_app() as app:
        client = app.test_client()
        assert (await client.get("/api/options")).status_code == 401
        assert (await (await client.get("/api/options")).get_json()) == {
            "detail": "Not authenticated"
        }
        ok = await client.get("/api/options", headers={"Authorization": "Bearer s3cret"})
        assert ok.status_code == 200
        assert (await client.get("/health")).status_code == 200


async def test_cors_allowed_and_foreign_origins(client: TestClientProtocol) -> None:
    preflight = {
        "Origin": ORIGIN,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type, prefer",
    }
    allowed = await client.options("/api/generate", headers=preflight)
    assert allowed.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert allowed.headers["Access-Control-Allow-Credentials"] == "true"
    foreign = await client.options(
        "/api/generate", headers={**preflight, "Origin": "http://evil.example"}
    )
    assert "Access-Control-Allow-Origin" not in foreign.headers
    simple = await client.get("/api/options", headers={"Origin": ORIGIN})
    assert "Content-Range" in simple.headers["Access-Control-Expose-Headers"]


# -- websocket -------------------------------------------------------------------------------


async def test_websocket_generates_and_follows(client: TestClientProtocol) -> None:
    async with client.websocket("/api/ws") as ws:
        await ws.send_json({"type": "generate", "request": {"topic": "Sockets", "num_slides": 2}})
        accepted = await ws.receive_json()
        assert accepted["type"] == "accepted"
        gid = accepted["generation_id"]
        statuses: list[str] = []
        while not statuses or statuses[-1] != "completed":
            message = await ws.receive_json()
            assert message["type"] == "event" and message["generation_id"] == gid
            statuses.append(message["status"])
        await ws.send_json({"type": "subscribe"})
        assert (await ws.receive_json())["type"] == "error"
        cancel = {"type": "cancel", "generation_id": gid, "owner_token": accepted["owner_token"]}
        await ws.send_json(cancel)
        assert "already completed" in (await ws.receive_json())["detail"]
