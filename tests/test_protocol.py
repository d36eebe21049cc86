"""Hostile or odd input at the protocol edge: never a 500, always a 4xx that says why.

Routes through the Quart-Trio test client on fake media (see `test_routes.py`); the real-server
halves (keep-alive after 413, WebSocket limits) are in `test_protocol_e2e.py`.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

import pytest
import trio

from tests.test_routes import (
    ASYNC,
    owner,
    read_stream,
    sse_events,
    start,
    start_owned,
    wait_done,
)
from videogen.server.http.jsonbody import MAX_DEPTH, MAX_INT_DIGITS

if TYPE_CHECKING:
    from quart.typing import TestClientProtocol

    from tests.fakes import FakeMedia


# -- JSON bodies -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b'{"topic": "t", "num_slides": ' + b"1" * 5000 + b"}", "more than 100 digits"),
        (b'{"topic": "t", "x": -' + b"9" * (MAX_INT_DIGITS + 1) + b"}", "more than 100 digits"),
        (b'{"topic": "t", "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "nested deeper"),
        (b'{"topic": "t", "x": ' + b"[" * MAX_DEPTH + b"]" * MAX_DEPTH + b"}", "nested deeper"),
        (b'{"topic": "t", "num_slides": NaN}', "NaN is not a JSON value"),
        (b"\xff\xfe\xff", "Malformed JSON body"),
    ],
)
async def test_hostile_json_is_400_naming_why(
    client: TestClientProtocol, body: bytes, says: str
) -> None:
    response = await client.post("/api/generate", headers=ASYNC, data=body)
    assert response.status_code == 400
    assert says in (await response.get_json())["detail"]


async def test_json_within_the_bounds_is_accepted(client: TestClientProtocol) -> None:
    depth = MAX_DEPTH - 1  # the body object itself is one level
    body = b'{"topic": "t", "x": ' + b"[" * depth + b"]" * depth + b', "n": 1' + b"0" * 99 + b"}"
    response = await client.post("/api/generate", headers=ASYNC, data=body)
    assert response.status_code == 202, await response.get_data()


# -- the generations list, 405, static files -------------------------------------------------


@pytest.mark.parametrize("before", ["nan", "NaN", "inf", "-inf", "1" * 400])
async def test_a_cursor_that_is_not_a_finite_number_is_422(
    client: TestClientProtocol, before: str
) -> None:
    response = await client.get(f"/api/generations?before={before}")
    assert response.status_code == 422
    assert "before" in (await response.get_json())["detail"]


async def test_a_real_cursor_still_pages(client: TestClientProtocol) -> None:
    for n in range(3):
        await start(client, f"t{n}")
    first = await (await client.get("/api/generations?limit=2")).get_json()
    rest = await client.get(f"/api/generations?limit=2&before={first['next']}")
    assert rest.status_code == 200
    assert len((await rest.get_json())["generations"]) == 1


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("DELETE", "/api/generate", {"POST", "OPTIONS"}),
        ("GET", "/api/cancel/x", {"POST", "OPTIONS"}),
        ("POST", "/api/status/x", {"GET", "HEAD", "OPTIONS"}),
        ("PUT", "/api/video/x.mp4", {"GET", "HEAD", "OPTIONS"}),
    ],
)
async def test_405_lists_the_allowed_methods(
    client: TestClientProtocol, method: str, path: str, allowed: set[str]
) -> None:
    send = getattr(client, method.lower())  # client.delete, client.get, ...
    response = await send(path)
    assert response.status_code == 405
    assert {m.strip() for m in response.headers["Allow"].split(",")} == allowed
    detail = (await response.get_json())["detail"]
    assert method in detail and all(m in detail for m in allowed)


@pytest.mark.parametrize("name", ["a" * 300, "a/" * 3000 + "b", "x" * 256 + ".js", "a\x00b"])
async def test_a_static_name_the_file_system_refuses_is_404(
    client: TestClientProtocol, name: str
) -> None:
    response = await client.get(f"/static/{name}")
    assert response.status_code == 404
    assert (await response.get_json()) == {"detail": "Not found"}


async def test_static_files_are_still_served(client: TestClientProtocol) -> None:
    page = await client.get("/")
    assert page.status_code == 200
    html = await page.get_data(as_text=True)
    script = html.split('src="/static/', 1)[1].split('"', 1)[0]
    assert (await client.get(f"/static/{script}")).status_code == 200


# -- video ranges ------------------------------------------------------------------------------


async def test_video_ranges_with_empty_elements_and_long_numbers(
    client: TestClientProtocol,
) -> None:
    gid = await start(client)
    await wait_done(client, gid)
    url = f"/api/video/{gid}.mp4"
    data = await (await client.get(url)).get_data()
    size = len(data)

    async def get(header: str) -> tuple[int, Any, Any]:
        response = await client.get(url, headers={"Range": header})
        return response.status_code, await response.get_data(), response.headers

    status, body, _ = await get("bytes=, 0-1")
    assert (status, body) == (206, data[:2])
    status, body, _ = await get("bytes=0-1,,5-6")
    assert (status, body) == (200, data)  # several ranges: the whole file
    status, body, headers = await get("bytes=10-" + "9" * 5000)
    assert (status, body) == (206, data[10:])
    assert headers["Content-Range"] == f"bytes 10-{size - 1}/{size}"
    status, body, _ = await get("bytes=-" + "9" * 5000)
    assert (status, body) == (206, data)
    status, _, headers = await get("bytes=" + "9" * 5000 + "-")
    assert status == 416 and headers["Content-Range"] == f"bytes */{size}"
    status, _, _ = await get("bytes=,")
    assert status == 416


# -- Last-Event-ID past the end ----------------------------------------------------------------


async def test_last_event_id_past_a_finished_generation_sends_its_terminal_event(
    client: TestClientProtocol,
) -> None:
    gid = await start(client)
    events = await wait_done(client, gid)
    terminal = events[-2]
    assert terminal["status"] == "completed"
    for last_id in (str(terminal["seq"]), str(terminal["seq"] + 1), "999999", "9" * 5000):
        text = await read_stream(client, f"/api/progress/{gid}", {"Last-Event-ID": last_id})
        resumed = [(i, e) for i, e in sse_events(text)]
        statuses = [e["status"] for _, e in resumed]
        assert statuses == ["connected", "completed", "done"], last_id[:20]
        assert resumed[1] == (str(terminal["seq"]), terminal)
        assert resumed[2][1]["progress"] == 100  # `done` keeps the last progress


async def test_last_event_id_past_a_live_generation_follows_what_comes_next(
    client: TestClientProtocol, media: FakeMedia
) -> None:
    media.block_at = "encode"  # the last stage: nothing else reports until the cancel
    gid, token = await start_owned(client)
    await media.reached.wait()
    body = bytearray()
    headers = {"Last-Event-ID": "999999"}
    async with client.request(f"/api/progress/{gid}", headers=headers) as connection:
        await connection.send_complete()
        while b": keep-alive" not in body:  # following: the live subscription is attached
            body.extend(await connection.receive())
        cancelled = await client.post(f"/api/cancel/{gid}", headers=owner(token))
        assert cancelled.status_code == 200
        with contextlib.suppress(trio.EndOfChannel, trio.ClosedResourceError):
            while True:
                body.extend(await connection.receive())
    resumed = [e for _, e in sse_events(body.decode())]
    replay = await wait_done(client, gid)
    assert [e["status"] for e in resumed] == ["connected", "cancelled", "done"]
    assert resumed[1] == replay[-2]  # the next event after the ones already emitted
    assert resumed[2]["progress"] == replay[-2]["progress"]


# -- WebSocket input ------------------------------------------------------------------------


async def test_websocket_answers_hostile_json_and_stays_alive(client: TestClientProtocol) -> None:
    hostile = [
        "[" * 100_000 + "]" * 100_000,
        '{"type": "subscribe", "generation_id": ' + "1" * 5000 + "}",
        '{"type": "generate", "request": ' + "[" * 5000 + "]" * 5000 + "}",
        "{nope",
        "[1, 2]",
        '"type"',
    ]
    async with client.websocket("/api/ws") as ws:
        for raw in hostile:
            await ws.send(raw)
            reply = await ws.receive_json()
            assert reply["type"] == "error" and reply["detail"], raw[:40]
        # The session survived all of it: it still generates and follows.
        request = {"topic": "Still here", "num_slides": 1}
        await ws.send_json({"type": "generate", "request": request})
        accepted: dict[str, Any] = await ws.receive_json()
        assert accepted["type"] == "accepted"
        while (message := await ws.receive_json())["status"] != "completed":
            assert message["type"] == "event"


# -- progress by name: HEAD, and one WebSocket subscription per generation ----------------------


async def test_head_on_a_live_progress_stream_answers_at_once(
    client: TestClientProtocol, media: FakeMedia
) -> None:
    """RFC 9110 §9.3.2: a HEAD response ends at its headers; it must not follow the generation
    (it held the connection, and a pipelined request behind it, until the generation ended)."""
    media.block_at = "encode"  # live, and silent until cancelled
    gid, token = await start_owned(client, "Head request")
    await media.reached.wait()
    with trio.fail_after(5):
        answered = await client.head(f"/api/progress/{gid}")
    await client.post(f"/api/cancel/{gid}", headers=owner(token))
    assert answered.status_code == 200
    assert answered.headers["Content-Type"] == "text/event-stream; charset=utf-8"
    assert await answered.get_data() == b""


async def test_ws_unsubscribe_by_the_id_its_events_carry_after_subscribing_by_alias(
    client: TestClientProtocol, media: FakeMedia
) -> None:
    media.block_at = "draw"
    gid, token = await start_owned(client, "Socket alias")
    await media.reached.wait()
    async with client.websocket("/api/ws") as ws:
        await ws.send_json({"type": "subscribe", "generation_id": "Socket_alias"})
        message: dict[str, Any] = await ws.receive_json()
        assert message["type"] == "event" and message["generation_id"] == gid
        await ws.send_json({"type": "unsubscribe", "generation_id": gid})
        await ws.send_json({"type": "nope"})  # a marker: the unsubscribe has been handled
        while (await ws.receive_json())["type"] != "error":
            pass
        assert (await client.post(f"/api/cancel/{gid}", headers=owner(token))).status_code == 200
        await ws.send_json({"type": "nope"})
        after = []
        while (message := await ws.receive_json())["type"] != "error":
            after.append(message)
    assert after == [], "events kept coming after the unsubscribe"


async def test_ws_one_generation_by_alias_and_by_id_is_one_subscription(
    client: TestClientProtocol,
) -> None:
    gid = await start(client, "Socket twice")
    await wait_done(client, gid)
    async with client.websocket("/api/ws") as ws:
        await ws.send_json({"type": "subscribe", "generation_id": "Socket_twice"})
        await ws.send_json({"type": "subscribe", "generation_id": gid})
        await ws.send_json({"type": "nope"})  # answered after both subscribes were handled
        got: list[dict[str, Any]] = []
        with trio.fail_after(10):
            while (message := await ws.receive_json())["type"] != "error":
                got.append(message)
            with trio.move_on_after(1):  # anything a second forwarder would still send
                while True:
                    got.append(await ws.receive_json())
    seqs = [m["seq"] for m in got if m["type"] == "event"]
    assert seqs and len(seqs) == len(set(seqs)), f"events delivered twice: {sorted(seqs)}"
