"""Server-Sent Events framing (WHATWG HTML §9.2): pure functions producing wire bytes."""

from __future__ import annotations

import json
from typing import Final

__all__ = ["KEEPALIVE", "RETRY_MS", "encode", "retry"]

# A comment line (ignored by clients) that keeps proxies and the connection alive.
KEEPALIVE: Final = b": keep-alive\n\n"
# What we suggest a browser waits before reconnecting.
RETRY_MS: Final = 2000


def _line_safe(value: str) -> str:
    # A newline in `id:` or `event:` would end the field early and inject another.
    return value.replace("\r", " ").replace("\n", " ")


def encode(data: object, *, event_id: str | int | None = None, event: str | None = None) -> bytes:
    """One event: optional `id:` and `event:` lines, `data:` lines, a blank line.

    `data` that is not a string is sent as compact JSON (one line); a string with newlines
    becomes several `data:` lines, which the client joins back with newlines.
    """
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    lines = []
    if event_id is not None:
        lines.append(f"id: {_line_safe(str(event_id))}")
    if event is not None:
        lines.append(f"event: {_line_safe(event)}")
    lines.extend(f"data: {line}" for line in text.replace("\r\n", "\n").split("\n"))
    return ("\n".join(lines) + "\n\n").encode("utf-8")


def retry(ms: int = RETRY_MS) -> bytes:
    """The reconnection-delay hint."""
    return f"retry: {ms}\n\n".encode()
