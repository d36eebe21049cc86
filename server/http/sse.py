"""Server-Sent Events framing (WHATWG HTML §9.2): pure functions producing wire bytes."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Callable

    from videogen.actors.runtime.events import ProgressEvent

__all__ = ["FRAME_CACHE_SIZE", "KEEPALIVE", "RETRY_MS", "FrameCache", "encode", "frame", "retry"]

# A comment line (ignored by clients) that keeps proxies and the connection alive.
KEEPALIVE: Final = b": keep-alive\n\n"
# What we suggest a browser waits before reconnecting.
RETRY_MS: Final = 2000


def _line_safe(value: str) -> str:
    # A newline in `id:` or `event:` would end the field early and inject another.
    return value.replace("\r", " ").replace("\n", " ")


def encode(data: object, *, event_id: str | int | None = None, event: str | None = None) -> bytes:
    """One event: optional `id:` and `event:` lines, `data:` lines, a blank line.

    `data` that is not a string is sent as compact JSON (one line); a string with line breaks
    (CRLF, LF or a lone CR: each ends a line for the client, WHATWG HTML §9.2.5) becomes several
    `data:` lines, which the client joins back with newlines.
    """
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    lines = []
    if event_id is not None:
        lines.append(f"id: {_line_safe(str(event_id))}")
    if event is not None:
        lines.append(f"event: {_line_safe(event)}")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines.extend(f"data: {line}" for line in text.split("\n"))
    return ("\n".join(lines) + "\n\n").encode("utf-8")


def retry(ms: int = RETRY_MS) -> bytes:
    """The reconnection-delay hint."""
    return f"retry: {ms}\n\n".encode()


def frame(event: ProgressEvent) -> bytes:
    """A progress event as the SSE stream sends it: its `seq` as `id:`, its JSON as `data:`."""
    return encode(event.to_json(), event_id=event.seq)


# Events whose frames are kept: every live generation's recent events (a stream that resyncs
# or replays a long log past these re-encodes, which is only slower).
FRAME_CACHE_SIZE: Final = 4096


class FrameCache:
    """Each event's frame (`frame(event)`, or `encode(event)` when given), encoded once and
    shared by every stream sending it.

    One generation's event goes to each of its subscribers as the same object, so the cache is
    keyed by identity: an entry holds the event itself, so its `id()` cannot be reused while
    the entry lives. Bounded at `size` entries, the oldest evicted first. Single-threaded use
    (the event loop's).
    """

    def __init__(
        self, size: int = FRAME_CACHE_SIZE, encode: Callable[[ProgressEvent], bytes] | None = None
    ) -> None:
        self._size = size
        self._encode = encode
        self._frames: dict[int, tuple[ProgressEvent, bytes]] = {}

    def __len__(self) -> int:
        return len(self._frames)

    def frame(self, event: ProgressEvent) -> bytes:
        """`frame(event)`, from the cache when this very event was framed before."""
        key = id(event)
        entry = self._frames.get(key)
        if entry is not None and entry[0] is event:
            return entry[1]
        data = frame(event) if self._encode is None else self._encode(event)
        if len(self._frames) >= self._size:
            del self._frames[next(iter(self._frames))]
        self._frames[key] = (event, data)
        return data
