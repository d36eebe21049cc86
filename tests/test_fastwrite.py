"""Pushed chunks written straight to Hypercorn's socket: the same bytes as Hypercorn's own path,
on a real Hypercorn on loopback, read by a raw socket."""

from __future__ import annotations

import functools
import socket
import struct
from typing import TYPE_CHECKING, Any

import trio
from hypercorn.config import Config
from hypercorn.trio import serve
from quart_trio import QuartTrio

from videogen.server.http import fastwrite
from videogen.server.http.fastwrite import expose_transport
from videogen.server.http.pushed import PushedResponse, PushingConnection

if TYPE_CHECKING:
    import pytest

    from videogen.server.http.pushed import Write

CHUNKS = (b"retry: 2000\n\n", b"id: 1\ndata: {}\n\n", b"\xf0\x9f\x93\xa1" * 300, b": k\n\n")


def _app() -> QuartTrio:
    app = QuartTrio("fast")
    app.asgi_http_class = PushingConnection
    app.asgi_app = expose_transport(app.asgi_app)  # type: ignore[method-assign]

    async def produce(write: Write) -> None:
        for chunk in CHUNKS:
            await write(chunk)
        await write(b"")  # nothing: an empty chunk would end the body early

    @app.get("/push")
    async def push() -> Any:
        return PushedResponse(produce, headers={"Content-Type": "text/event-stream"})

    return app


async def _get(port: int, request: bytes) -> bytes:
    stream = await trio.open_tcp_stream("127.0.0.1", port)
    async with stream:
        await stream.send_all(request)
        data = b""
        with trio.fail_after(10):
            while not data.endswith(b"0\r\n\r\n") and (more := await stream.receive_some()):
                data += more
    return data


async def _serve_and_get(request: bytes) -> bytes:
    config = Config()
    config.bind = ["127.0.0.1:0"]
    config.accesslog = config.errorlog = None
    async with trio.open_nursery() as nursery:
        shutdown = trio.Event()
        binds = await nursery.start(
            functools.partial(serve, _app(), config, shutdown_trigger=shutdown.wait)
        )
        port = int(binds[0].rsplit(":", 1)[1])
        try:
            return await _get(port, request)
        finally:
            shutdown.set()


def _body(response: bytes) -> bytes:
    return response.split(b"\r\n\r\n", 1)[1]


async def test_chunks_on_the_wire_are_what_hypercorn_writes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    request = b"GET /push HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    used: list[bool] = []
    real = fastwrite.chunk_writer

    def spying(*args: Any) -> Any:
        writer = real(*args)
        used.append(writer is not None)
        return writer

    monkeypatch.setattr("videogen.server.http.pushed.chunk_writer", spying)
    fast = await _serve_and_get(request)
    assert used == [True]  # the fast path was taken
    monkeypatch.setattr("videogen.server.http.pushed.chunk_writer", lambda *_: None)
    slow = await _serve_and_get(request)  # every chunk through Hypercorn's ASGI send
    assert _body(fast) == _body(slow)
    assert _body(fast) == b"".join(b"%x\r\n%b\r\n" % (len(c), c) for c in CHUNKS) + b"0\r\n\r\n"
    assert b"transfer-encoding: chunked" in fast.split(b"\r\n\r\n")[0].lower()


async def test_http10_body_is_not_chunked_and_goes_through_hypercorn(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    used: list[bool] = []
    real = fastwrite.chunk_writer

    def spying(*args: Any) -> Any:
        writer = real(*args)
        used.append(writer is not None)
        return writer

    monkeypatch.setattr("videogen.server.http.pushed.chunk_writer", spying)
    stream_request = b"GET /push HTTP/1.0\r\nHost: x\r\n\r\n"
    config = Config()
    config.bind = ["127.0.0.1:0"]
    config.accesslog = config.errorlog = None
    async with trio.open_nursery() as nursery:
        shutdown = trio.Event()
        binds = await nursery.start(
            functools.partial(serve, _app(), config, shutdown_trigger=shutdown.wait)
        )
        port = int(binds[0].rsplit(":", 1)[1])
        stream = await trio.open_tcp_stream("127.0.0.1", port)
        data = b""
        async with stream:
            await stream.send_all(stream_request)
            # Close-delimited: read up to the last chunk (Hypercorn may keep the socket open).
            with trio.fail_after(10):
                while not data.endswith(CHUNKS[-1]) and (more := await stream.receive_some()):
                    data += more
        shutdown.set()
    assert used == [False]  # close-delimited: h11's own framing
    assert _body(data) == b"".join(CHUNKS)


async def test_a_reset_connection_ends_the_stream_and_the_server_goes_on() -> None:
    """A client gone mid-stream: the fast write hands the broken socket to Hypercorn, whose
    disconnect cancels the producer; the next request is served."""
    app = QuartTrio("reset")
    app.asgi_http_class = PushingConnection
    app.asgi_app = expose_transport(app.asgi_app)  # type: ignore[method-assign]
    started, ended = trio.Event(), trio.Event()

    async def forever(write: Write) -> None:
        try:
            started.set()
            while True:
                await write(b"data: x\n\n" * 100)
                await trio.sleep(0.001)
        finally:
            ended.set()

    @app.get("/forever")
    async def endless() -> Any:
        return PushedResponse(forever)

    @app.get("/ok")
    async def ok() -> Any:
        return PushedResponse(lambda write: write(b"fine"))

    config = Config()
    config.bind = ["127.0.0.1:0"]
    config.accesslog = config.errorlog = None
    async with trio.open_nursery() as nursery:
        shutdown = trio.Event()
        binds = await nursery.start(
            functools.partial(serve, app, config, shutdown_trigger=shutdown.wait)
        )
        port = int(binds[0].rsplit(":", 1)[1])
        stream = await trio.open_tcp_stream("127.0.0.1", port)
        await stream.send_all(b"GET /forever HTTP/1.1\r\nHost: x\r\n\r\n")
        await stream.receive_some()
        await started.wait()
        # Reset, not close: unread data makes the kernel answer the next write with RST.
        stream.socket.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        await stream.aclose()
        with trio.fail_after(10):
            await ended.wait()
        again = await _get(port, b"GET /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        shutdown.set()
    assert _body(again) == b"4\r\nfine\r\n0\r\n\r\n"


async def test_a_client_that_stops_reading_is_let_go_after_the_send_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The shielded chunk write is bounded: a client that takes nothing (its socket buffers
    full) has its connection closed after `SEND_LIMIT`, the producer ends, the server goes on."""
    monkeypatch.setattr(fastwrite, "SEND_LIMIT", 0.5)
    app = QuartTrio("stuck")
    app.asgi_http_class = PushingConnection
    app.asgi_app = expose_transport(app.asgi_app)  # type: ignore[method-assign]
    ended = trio.Event()

    async def flood(write: Write) -> None:
        try:
            while True:
                await write(b"data: " + b"x" * 65_536 + b"\n\n")
        finally:
            ended.set()

    @app.get("/flood")
    async def flooding() -> Any:
        return PushedResponse(flood)

    @app.get("/ok")
    async def ok() -> Any:
        return PushedResponse(lambda write: write(b"fine"))

    config = Config()
    config.bind = ["127.0.0.1:0"]
    config.accesslog = config.errorlog = None
    async with trio.open_nursery() as nursery:
        shutdown = trio.Event()
        binds = await nursery.start(
            functools.partial(serve, app, config, shutdown_trigger=shutdown.wait)
        )
        port = int(binds[0].rsplit(":", 1)[1])
        stuck = await trio.open_tcp_stream("127.0.0.1", port)
        async with stuck:
            # A small receive buffer, and nothing read: the server's writes soon block.
            stuck.socket.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            await stuck.send_all(b"GET /flood HTTP/1.1\r\nHost: x\r\n\r\n")
            with trio.fail_after(20):
                await ended.wait()
            again = await _get(port, b"GET /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        shutdown.set()
    assert _body(again) == b"4\r\nfine\r\n0\r\n\r\n"
