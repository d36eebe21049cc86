"""The SSE encoder: framing, multi-line data, id sanitising."""

from __future__ import annotations

import json

from videogen.server.http import sse


def test_json_event_with_id() -> None:
    frame = sse.encode({"status": "started", "n": 1}, event_id=7)
    assert frame == b'id: 7\ndata: {"status": "started", "n": 1}\n\n'


def test_multiline_data_becomes_several_data_lines() -> None:
    assert sse.encode("a\nb\r\nc") == b"data: a\ndata: b\ndata: c\n\n"
    # A lone CR ends a line for the client too (WHATWG HTML §9.2.5): left in a `data:` line, it
    # would turn what follows it into a field name, and the client would drop it.
    assert sse.encode("a\rb") == b"data: a\ndata: b\n\n"


def test_newlines_cannot_inject_fields() -> None:
    frame = sse.encode("x", event_id="1\ndata: evil", event="e\nid: 9").decode()
    assert frame.splitlines()[:2] == ["id: 1 data: evil", "event: e id: 9"]


def test_unicode_is_kept() -> None:
    frame = sse.encode({"message": "📡 जल"})
    assert json.loads(frame.decode().removeprefix("data: ").strip()) == {"message": "📡 जल"}


def test_keepalive_and_retry() -> None:
    assert sse.KEEPALIVE.startswith(b":") and sse.KEEPALIVE.endswith(b"\n\n")  # a comment
    assert sse.retry(1500) == b"retry: 1500\n\n"
