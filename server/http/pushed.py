"""Responses whose handler writes the body itself, straight to the ASGI `send` (the SSE route).

Quart sends a streamed body by iterating an async generator and wrapping every chunk into an
ASGI message: one generator resumption and its bookkeeping per chunk, for every subscriber of
every event. A `PushedResponse` instead carries `produce(write)`, and `PushingConnection` (the
app's `asgi_http_class`) calls it with a `write` that is one `send` per chunk, or, on
Hypercorn's HTTP/1.1, one socket write per chunk (`server.http.fastwrite`). Everything before
the body is Quart's as usual: routing, `before_request` (access checks, body drain),
`after_request` (headers), errors; the start message is the one Quart would send.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING, Any

from quart import Response
from quart.utils import encode_headers
from quart_trio.asgi import TrioASGIHTTPConnection

from videogen.server.http.fastwrite import chunk_writer

if TYPE_CHECKING:
    from hypercorn.typing import ASGISendCallable
    from quart.typing import ResponseTypes

__all__ = ["PushedResponse", "PushingConnection", "Write"]

Write = Callable[[bytes], Awaitable[None]]
"""Sends one chunk of the body (one ASGI `http.response.body` message)."""


async def _needs_pushing_connection() -> AsyncIterator[bytes]:
    raise RuntimeError("a PushedResponse is sent only by PushingConnection (asgi_http_class)")
    yield b""  # pragma: no cover - makes this an async generator


class PushedResponse(Response):
    """A response whose body `produce(write)` writes; no response timeout.

    Its `response` (the iterable Quart would send) fails loudly: an app without
    `PushingConnection` must not send an empty 200 instead of the stream.
    """

    def __init__(self, produce: Callable[[Write], Awaitable[None]], **kwargs: Any) -> None:
        super().__init__(_needs_pushing_connection(), **kwargs)
        self.produce = produce
        self.timeout = None


class PushingConnection(TrioASGIHTTPConnection):
    """Quart-Trio's HTTP connection, which sends a `PushedResponse`'s body by `produce`."""

    async def _send_response(self, send: ASGISendCallable, response: ResponseTypes) -> None:
        if not isinstance(response, PushedResponse):
            await super()._send_response(send, response)
            return
        await send(
            {
                "type": "http.response.start",
                "status": response.status_code,
                "headers": encode_headers(response.headers),
            }
        )

        async def write(data: bytes) -> None:
            await send({"type": "http.response.body", "body": data, "more_body": True})

        await response.produce(chunk_writer(self.scope, send) or write)
        await send({"type": "http.response.body", "body": b"", "more_body": False})
