"""Writing a streamed body's chunks straight to Hypercorn's socket (HTTP/1.1 chunked only).

Measured (`bench/serve.py`, SSE to 1,000 subscribers): once the event is framed once and the
body is pushed (`server.http.pushed`), three quarters of the event loop's time per delivery is
Hypercorn's path for one ASGI body message — `HTTPStream.app_send` → `H11Protocol.stream_send`
→ h11's state machine → `TCPServer.protocol_send` (a lock whose acquisition yields, a shielded
scope) → `send_all` — against `send_all` alone in a minimal Trio server. `chunk_writer` skips
that path for the body chunks of a response h11 frames as `Transfer-Encoding: chunked`: it
frames the chunk as h11 would (RFC 9112 §7.1) and writes it under the same lock, shielded (for
at most `SEND_LIMIT`), so the bytes on the wire are the same and never interleave with
Hypercorn's own.

It relies on Hypercorn 0.18's and h11 0.16's internals, so it checks every object it reaches
for its exact type and falls back to the ASGI `send` (returns None) when anything differs: HTTP/2,
TLS in front of h11 is fine (the stream is whatever Hypercorn writes to), another server, the
test client, a newer Hypercorn. When the lock is held or the stream has ended, one chunk goes
through `send` instead. A broken connection is handed to Hypercorn as its own write would.

`ChunkWriter.offer` goes one step further for a plain TCP socket: one non-blocking write of a
pre-framed chunk, from whichever task calls it (the event's publisher), never waiting; what the
socket does not take now is left to the response's own task, which writes it before anything
else.

`expose_transport` (outermost ASGI wrapper) keeps the server's own `send` in the scope, since the
app's wrappers each hand on a `send` of their own.
"""

from __future__ import annotations

import math
import os
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Final, TypeVar, cast

import h11
import trio
from h11._writers import ChunkedWriter
from hypercorn.events import Closed
from hypercorn.protocol.h11 import H11Protocol
from hypercorn.protocol.http_stream import HTTPStream
from hypercorn.trio.tcp_server import TCPServer

__all__ = ["TRANSPORT_SEND", "ChunkWriter", "chunk", "chunk_writer", "expose_transport"]

# The scope key holding the server's own ASGI `send` (not an ASGI key: a server never sets it).
TRANSPORT_SEND: Final = "videogen.transport_send"
# A chunk is written shielded (half a chunk would corrupt the stream) but not for ever: a client
# that has not taken it within this long is treated as gone (the connection is closed), as the
# WebSocket closes a socket that stays slow for as long.
SEND_LIMIT: Final = 10.0

Message = dict[str, Any]
Send = Callable[[Message], Awaitable[None]]
App = TypeVar("App", bound=Callable[..., Awaitable[None]])


def expose_transport(app: App) -> App:
    """`app` (an ASGI callable) whose HTTP scopes carry the server's `send` as `TRANSPORT_SEND`."""

    async def wrapped(scope: Message, receive: Any, send: Send) -> None:
        if scope["type"] == "http":
            scope[TRANSPORT_SEND] = send
        await app(scope, receive, send)

    return cast("App", wrapped)


def chunk(data: bytes) -> bytes:
    """`data` as one HTTP/1.1 chunk (RFC 9112 §7.1), as h11 frames it."""
    return b"%x\r\n%b\r\n" % (len(data), data)


def chunk_writer(
    scope: Mapping[str, Any], send: Callable[[Any], Awaitable[None]]
) -> ChunkWriter | None:
    """A `write(data)` for a body whose start message has been sent through `send`, or None
    when the connection is not Hypercorn's HTTP/1.1 with a chunked body (then use `send`).

    Raises nothing of its own; a write raises what `send` would on a closed connection.
    """
    transport = scope.get(TRANSPORT_SEND)
    stream = getattr(transport, "__self__", None)
    if type(stream) is not HTTPStream or transport != stream.app_send:
        return None
    protocol = getattr(stream.send, "__self__", None)
    if type(protocol) is not H11Protocol:
        return None
    server = getattr(protocol.send, "__self__", None)
    if type(server) is not TCPServer:
        return None
    connection = protocol.connection
    if type(connection) is not h11.Connection:
        return None
    if type(connection._writer) is not ChunkedWriter:  # private: see the module's doc
        return None
    return ChunkWriter(stream, connection, server, send)


class ChunkWriter:
    """Writes one chunked HTTP/1.1 body to Hypercorn's socket: `await writer(data)` from the
    response's task, and `offer(chunk)` from any task, without waiting (the SSE route's
    publisher-side delivery: `server.routes.progress`).

    `offer` writes pre-framed chunk bytes with one non-blocking `send` when nothing else is
    writing to the connection (its send lock is free, no rest is pending). A partial send keeps
    the rest, which the response's task writes (`flush`, and before anything it writes itself)
    before any other byte, under the lock: nothing else writes to a connection in the middle of
    a response body (Hypercorn writes only on the app's behalf, under that lock).
    """

    def __init__(
        self, stream: HTTPStream, connection: h11.Connection, server: TCPServer, send: Send
    ) -> None:
        self._stream, self._connection, self._send = stream, connection, send
        self._lock, self._socket, self._server = server.send_lock, server.stream, server
        # A plain TCP socket (not TLS): what `offer` may write to directly.
        transport: object = self._socket  # typed as TLS by Hypercorn, but either
        self._fd = transport.socket if type(transport) is trio.SocketStream else None
        self.rest = b""
        """The end of a chunk `offer` sent only in part; written before anything else."""
        self.offered_at = -math.inf
        """When `offer` last wrote (trio time), for the keep-alive's silence."""

    def offer(self, data: bytes) -> int:
        """Send chunk-framed `data` now if the socket takes at least part of it without
        blocking; how many bytes it took (the rest is kept in `rest`). Never blocks, never
        raises: 0 on a busy, ended, broken or TLS connection, or a full socket buffer.
        """
        if (
            self.rest
            or self._fd is None
            or self._lock.locked()
            or self._stream.closed
            or self._connection.our_state is not h11.SEND_BODY
        ):
            return 0
        fd = self._fd.fileno()
        if fd < 0:
            return 0
        try:
            sent = os.write(fd, data)
        except OSError:  # would block, or broken: the response's own write finds out which
            return 0
        if sent < len(data):
            self.rest = data[sent:]
        if sent:
            self.offered_at = trio.current_time()
        return sent

    async def flush(self) -> None:
        """Write `rest` (the end of a chunk `offer` began), waiting for the lock."""
        if self.rest:
            async with self._lock:
                rest, self.rest = self.rest, b""
                broken = await self._send_locked(rest)
            if broken:
                await self._closed()

    async def __call__(self, data: bytes) -> None:
        """One chunk of the body; the end of a chunk `offer` began goes first."""
        if self.rest:
            await self.flush()
        if not data:
            return  # an empty chunk would end a chunked body
        send = self._send
        if self._stream.closed or self._connection.our_state is not h11.SEND_BODY:
            await send({"type": "http.response.body", "body": data, "more_body": True})
            return
        try:
            self._lock.acquire_nowait()  # as `protocol_send`, without its checkpoint when free
        except trio.WouldBlock:
            await send({"type": "http.response.body", "body": data, "more_body": True})
            return
        try:
            broken = await self._send_locked(chunk(data))
        finally:
            self._lock.release()
        if broken:
            await self._closed()

    async def _send_locked(self, data: bytes) -> bool:
        """Write `data` whole (the lock held); whether the connection broke."""
        # As `protocol_send`: no half-written chunk; unlike it, bounded (`SEND_LIMIT`).
        broken = False
        try:
            with trio.move_on_after(SEND_LIMIT, shield=True) as limit:
                await self._socket.send_all(data)
            if limit.cancelled_caught:
                # Part of a chunk may be out: nothing more may follow on this connection.
                broken = True
                with trio.CancelScope(shield=True):
                    await self._socket.aclose()
        except (trio.BrokenResourceError, trio.ClosedResourceError):
            broken = True
        return broken

    async def _closed(self) -> None:
        # As `protocol_send` (after releasing the lock): Hypercorn ends the stream, the app
        # sees a disconnect; nothing is written after a break.
        self.rest = b""
        await self._server.protocol.handle(Closed())
