"""Pre-framed SSE events: each event encoded once, byte-identical to the encoder, shared by every
stream; and the pushed body path the SSE route uses."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, get_args

import pytest
import trio
from quart_trio import QuartTrio

from tests.test_routes import read_stream, sse_events, start
from videogen.actors.runtime.events import ProgressEvent, Status
from videogen.server.http import sse
from videogen.server.http.pushed import PushedResponse, PushingConnection

if TYPE_CHECKING:
    from quart.typing import TestClientProtocol

    from videogen.server.http.pushed import Write


def _shapes() -> list[ProgressEvent]:
    """An event of every status, with and without a stage, with `reuse`, with text that JSON
    must escape (quotes, backslashes, newlines, control characters) and non-ASCII text."""
    events = [
        ProgressEvent("g-1", seq, status, seq, f"step {status}", 1_700_000_000.5 + seq)
        for seq, status in enumerate(get_args(Status), start=1)
    ]
    events += [
        ProgressEvent("g-1", 90, "generating_slide", 40, "Slide 2/5", 1.0, stage="slides"),
        ProgressEvent(
            "Water-cycle-1a2b3c4d",
            91,
            "completed",
            100,
            "✅ Done",
            2.0,
            stage=None,
            reuse={"slides_reused": 3, "slides_total": 5},
        ),
        ProgressEvent("g\n2", 92, "error", 7, 'say "no"\\\r\nnext\x00\u2028 📡 जल', 3.0),
    ]
    return events


@pytest.mark.parametrize("event", _shapes(), ids=lambda e: f"{e.seq}-{e.status}")
def test_frame_is_byte_identical_to_the_encoder(event: ProgressEvent) -> None:
    expected = sse.encode(event.to_json(), event_id=event.seq)  # what the route sent before
    assert sse.frame(event) == expected
    cache = sse.FrameCache()
    assert cache.frame(event) == expected
    assert cache.frame(event) == expected  # from the cache
    # One `id:` line and one `data:` line whose JSON is the event's wire form.
    lines = expected.decode().split("\n")
    assert lines[0] == f"id: {event.seq}" and lines[2:] == ["", ""]
    assert json.loads(lines[1].removeprefix("data: ")) == event.to_json()


def test_cache_encodes_each_event_once_and_shares_the_bytes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[ProgressEvent] = []
    encode = sse.frame

    def counting(event: ProgressEvent) -> bytes:
        calls.append(event)
        return encode(event)

    monkeypatch.setattr(sse, "frame", counting)
    cache = sse.FrameCache()
    event = ProgressEvent("g", 1, "queued", 0, "Queued", 1.0)
    first = cache.frame(event)
    assert all(cache.frame(event) is first for _ in range(1000))
    assert calls == [event]
    # An equal but distinct event (a log reloaded from the store) is framed on its own, the same.
    twin = ProgressEvent("g", 1, "queued", 0, "Queued", 1.0)
    assert cache.frame(twin) == first and calls == [event, twin]


def test_cache_is_bounded_oldest_first() -> None:
    cache = sse.FrameCache(size=3)
    events = [ProgressEvent("g", seq, "started", 1, "m", 1.0) for seq in range(1, 6)]
    for event in events:
        cache.frame(event)
    assert len(cache) == 3
    # Evicted and kept events alike still frame correctly.
    assert [cache.frame(e) for e in events] == [sse.frame(e) for e in events]
    assert len(cache) == 3


async def test_every_stream_of_a_live_generation_shares_its_frames(
    client: TestClientProtocol, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Subscribers replaying and following one live generation: each event framed once."""
    framed: list[tuple[str, int]] = []
    encode = sse.frame

    def counting(event: ProgressEvent) -> bytes:
        framed.append((event.generation_id, event.seq))
        return encode(event)

    monkeypatch.setattr(sse, "frame", counting)
    gid = await start(client)
    bodies: list[str] = []

    async def watch() -> None:
        bodies.append(await read_stream(client, f"/api/progress/{gid}"))

    async with trio.open_nursery() as nursery:
        for _ in range(3):
            nursery.start_soon(watch)
    streams = [[e for _, e in sse_events(body)] for body in bodies]
    assert streams[0] == streams[1] == streams[2]
    seqs = [e["seq"] for e in streams[0][1:-1]]  # between `connected` and `done`
    assert seqs == list(range(1, len(seqs) + 1)) and streams[0][-2]["status"] == "completed"
    assert sorted(framed) == [(gid, seq) for seq in seqs]  # each once, for all three


async def test_pushed_response_writes_its_chunks_in_order() -> None:
    app = QuartTrio("pushed")
    app.asgi_http_class = PushingConnection

    async def produce(write: Write) -> None:
        for chunk in (b"one ", b"two ", b"three"):
            await write(chunk)

    @app.get("/push")
    async def push() -> Any:
        return PushedResponse(produce, headers={"X-Kind": "pushed"})

    response = await app.test_client().get("/push")
    assert response.status_code == 200
    assert response.headers["X-Kind"] == "pushed"
    assert await response.get_data() == b"one two three"


async def test_pushed_response_without_its_connection_fails_loudly() -> None:
    app = QuartTrio("plain")

    async def produce(write: Write) -> None:
        await write(b"never")

    @app.get("/push")
    async def push() -> Any:
        return PushedResponse(produce)

    # Raised in the connection's task, through the test client's nurseries.
    with pytest.raises(BaseExceptionGroup) as raised:
        await app.test_client().get("/push")
    assert raised.group_contains(RuntimeError, match="PushingConnection")
