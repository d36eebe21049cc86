"""`GET /api/progress/{id}`: a generation's events as Server-Sent Events.

Order: `connected`; the replay (after `Last-Event-ID` when given); live events; the terminal
event; `done`; close. A `: keep-alive` comment goes out every 2 s of silence. The stream only
subscribes: a client that disconnects ends its subscription, never the generation.

On Hypercorn's HTTP/1.1 the stream's task lends its subscription a taker (`_Direct`) while it
waits: the publisher writes each live event's chunk straight to the socket, so 1,000 streams
of one generation cost one walk over their sockets per event, not 1,000 task wake-ups each with
its keep-alive timer. Anything the taker declines (a busy or full socket, a partial send) comes
through the task as before, in order.
"""

from __future__ import annotations

import functools
import time
from typing import TYPE_CHECKING, Final

import trio
from quart import Blueprint, Response, request

from videogen.actors.errors import GenerationNotFound
from videogen.server.access.checks import current_caller
from videogen.server.api.apidoc import documented, header_param, media_answer, query_param
from videogen.server.http import sse
from videogen.server.http.fastwrite import ChunkWriter, chunk
from videogen.server.http.pushed import PushedResponse, Write
from videogen.server.state import AppState, app_state

if TYPE_CHECKING:
    from videogen.actors.runtime.broadcast import Subscription, Take
    from videogen.actors.runtime.events import ProgressEvent
    from videogen.actors.runtime.ownership import Caller
    from videogen.actors.runtime.registry import Registry

__all__ = ["blueprint", "stream_events"]

blueprint = Blueprint("progress", __name__)

_HEADERS = {
    "Content-Type": "text/event-stream; charset=utf-8",
    "Cache-Control": "no-cache, no-transform",
    "X-Accel-Buffering": "no",
}


def _stream_only(status: str, progress: int, message: str, gid: str, seq: int) -> bytes:
    """A `connected` / `waiting` / `done` event; its id repeats the last real one delivered."""
    payload = {
        "status": status,
        "progress": progress,
        "message": message,
        "timestamp": time.strftime("%H:%M:%S"),
        "generation_id": gid,
        "seq": seq,
    }
    return sse.encode(payload, event_id=seq)


# More digits than any sequence number has: such an id is past every log (and is clamped to its
# end by the broadcast) without converting thousands of digits.
_MAX_SEQ_DIGITS: Final = 18


def _after_seq() -> int:
    """The `Last-Event-ID` (or `?last_event_id=`) to resume after; 0 when absent or not a number."""
    raw = (request.headers.get("Last-Event-ID") or request.args.get("last_event_id") or "").strip()
    if not (raw.isascii() and raw.isdigit()):
        return 0
    return int(raw) if len(raw) <= _MAX_SEQ_DIGITS else 10**_MAX_SEQ_DIGITS


# Events already waiting are sent as one chunk, up to this many: one socket write, not one each.
MAX_BATCH: Final = 64


async def _next_event(
    events: Subscription, wait: float, take: Take | None = None
) -> ProgressEvent | None:
    """The next event, or None after `wait` seconds of silence. Raises `EndOfChannel`.

    With `take`, the events it delivers meanwhile are not returned (see `Subscription.receive`).
    """
    try:
        return events.receive_nowait()  # no timer to arm when an event is already waiting
    except trio.WouldBlock:
        pass
    with trio.move_on_after(wait):
        return await events.receive(take)
    return None


def _more_ready(events: Subscription) -> tuple[list[ProgressEvent], bool]:
    """Events that are ready right now (at most `MAX_BATCH`), and whether the stream ended."""
    ready: list[ProgressEvent] = []
    while len(ready) < MAX_BATCH:
        try:
            ready.append(events.receive_nowait())
        except trio.WouldBlock:
            return ready, False
        except trio.EndOfChannel:
            return ready, True
    return ready, False


async def _find(registry: Registry, key: str, after: int, caller: Caller) -> Subscription | None:
    try:
        return await registry.subscribe(key, after_seq=after, caller=caller)
    except GenerationNotFound:
        return None


async def stream_events(
    state: AppState, key: str, after: int, caller: Caller, write: Write
) -> None:
    """Write the SSE body for generation `key` (an id or the documented topic alias), as
    `caller` sees it (another user's generation is never found), chunk by chunk to `write`.

    Runs after the route has returned, outside the app context: it gets the state it needs.
    """
    registry = state.require_registry()
    settings = state.settings
    await write(
        sse.retry() + _stream_only("connected", 0, "📡 Connected to progress stream", key, after)
    )
    events = await _find(registry, key, after, caller)
    deadline = trio.current_time() + settings.progress_wait
    while events is None:
        if trio.current_time() >= deadline:
            await write(
                _stream_only("error", 0, "Generation ID not found", key, after)
                + _stream_only("done", 0, "✅ Stream ended", key, after)
            )
            return
        await write(_stream_only("waiting", 0, "⏳ Waiting for generation to start...", key, after))
        await trio.sleep(min(settings.keepalive, max(deadline - trio.current_time(), 0)))
        events = await _find(registry, key, after, caller)
    await _follow(events, key, after, settings.keepalive, write)


# Each event is framed once, whatever the number of streams that send it; and once more as an
# HTTP/1.1 chunk for the streams written directly.
_FRAMES: Final = sse.FrameCache()
_CHUNKS: Final = sse.FrameCache(encode=lambda event: chunk(_FRAMES.frame(event)))


class _Direct:
    """The publisher's side of one HTTP/1.1 stream: `take` writes an event's chunk straight to
    the socket while the stream's task waits (`ChunkWriter.offer`), so that task is not woken.

    An event whose chunk went out only in part is declined all the same (the task wakes for
    it, in order) and remembered in `begun`: its task skips it, and its next write begins with
    the rest of that chunk (`ChunkWriter.rest`).
    """

    def __init__(self, writer: ChunkWriter) -> None:
        self.writer = writer
        self.begun = 0
        self.last: ProgressEvent | None = None
        """The last event taken whole."""

    def take(self, event: ProgressEvent) -> bool:
        data = _CHUNKS.frame(event)
        sent = self.writer.offer(data)
        if sent == len(data):
            self.last = event
            return True
        if sent:
            self.begun = event.seq
        return False


async def _follow(
    events: Subscription, key: str, after: int, keepalive: float, write: Write
) -> None:
    last_progress, last_seq, gid = 0, after, key
    direct = _Direct(write) if isinstance(write, ChunkWriter) else None
    take = direct.take if direct is not None else None
    ended = False
    written = trio.current_time()  # the keep-alive counts silence from the last write
    try:
        while not ended:
            try:
                event = await _next_event(events, written + keepalive - trio.current_time(), take)
            except trio.EndOfChannel:
                break
            if event is None:
                if direct is not None and direct.writer.offered_at > written:
                    written = direct.writer.offered_at  # not silent: events went out directly
                    continue
                await write(sse.KEEPALIVE)
                written = trio.current_time()
                continue
            batch, ended = _more_ready(events)
            batch.insert(0, event)
            if direct is not None and direct.begun:
                # Its chunk is partly out; `write` sends the rest first.
                batch = [e for e in batch if e.seq != direct.begun]
                direct.begun = 0
            last = batch[-1] if batch else event
            last_progress, last_seq, gid = last.progress, last.seq, last.generation_id
            await write(b"".join([_FRAMES.frame(e) for e in batch]))
            written = trio.current_time()
    finally:
        events.close()
    if direct is not None and direct.last is not None and direct.last.seq > last_seq:
        # The last events went out directly, past the last one this task wrote.
        last = direct.last
        last_progress, last_seq, gid = last.progress, last.seq, last.generation_id
    await write(_stream_only("done", last_progress, "✅ Stream ended", gid, last_seq))


@blueprint.get("/api/progress/<generation_id>")
@documented(
    {200: media_answer("text/event-stream", "Server-Sent Events")},
    params=(
        header_param("Last-Event-ID", "Resume after this event"),
        query_param("last_event_id", {"type": "string"}, "Resume after this event"),
    ),
    # An unknown id is an `error` event in a 200 stream, after waiting for it to appear.
    not_found=None,
)
async def progress(generation_id: str) -> Response:
    """Stream the events of `generation_id`; no response timeout. A HEAD gets the stream's
    headers at once (RFC 9110 §9.3.2: no content): it subscribes to nothing and holds no
    connection while a generation runs."""
    if request.method == "HEAD":
        head = Response(b"", headers=_HEADERS)
        del head.headers["Content-Length"]  # a GET's stream has no length (§8.6: none, not 0)
        return head
    produce = functools.partial(
        stream_events, app_state(), generation_id, _after_seq(), current_caller()
    )
    return PushedResponse(produce, headers=_HEADERS)
