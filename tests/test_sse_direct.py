"""SSE events written straight to idle streams by the publisher (`Subscription.receive(take)`,
`ChunkWriter.offer`, the route's `_follow`): order, partial and refused writes, a peer gone,
cancellation, keep-alives. The sockets are real (socketpairs, a tiny send buffer to force
would-block and partial sends); around them, the three Hypercorn objects the writer checks
(its stream's state, h11's state, the connection's send lock) are stand-ins, as a real
Hypercorn is in tests/test_fastwrite.py and the e2e tests."""

from __future__ import annotations

import contextlib
import functools
import socket
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, cast

import h11
import pytest
import trio
import trio.testing
from hypercorn.config import Config
from hypercorn.trio import serve
from quart_trio import QuartTrio

from videogen.actors.runtime.broadcast import Broadcast
from videogen.actors.runtime.events import ProgressEvent
from videogen.server.http import sse
from videogen.server.http.fastwrite import ChunkWriter, chunk, expose_transport
from videogen.server.http.pushed import PushedResponse, PushingConnection
from videogen.server.routes import progress

if TYPE_CHECKING:
    from collections.abc import Iterator

    from hypercorn.protocol.http_stream import HTTPStream
    from hypercorn.trio.tcp_server import TCPServer

    from videogen.server.http.pushed import Write


def event(seq: int, size: int = 0) -> ProgressEvent:
    return ProgressEvent("g-1", seq, "generating_audio", seq, "x" * size or f"step {seq}", at=0.0)


# ---------------------------------------------------------------- the broadcast's taker


async def test_idle_reader_is_not_woken_and_a_declined_event_comes_next_in_order() -> None:
    broadcast = Broadcast()
    taken: list[int] = []
    accept = True

    def take(e: ProgressEvent) -> bool:
        if accept:
            taken.append(e.seq)
        return accept

    got: list[int] = []
    with broadcast.subscribe() as events:
        async with trio.open_nursery() as nursery:

            async def read() -> None:
                got.append((await events.receive(take)).seq)

            nursery.start_soon(read)
            await trio.testing.wait_all_tasks_blocked()
            for seq in (1, 2, 3):
                broadcast.publish(event(seq))
            await trio.testing.wait_all_tasks_blocked()
            assert taken == [1, 2, 3] and got == [] and events.last_seq == 3
            accept = False
            broadcast.publish(event(4))  # declined: to the channel, the reader wakes
            accept = True
            broadcast.publish(event(5))  # the taker is disarmed until the reader waits again
        assert got == [4] and taken == [1, 2, 3]
        assert events.receive_nowait().seq == 5


async def test_taker_is_not_armed_while_events_are_buffered() -> None:
    broadcast = Broadcast([event(1), event(2)])
    taken: list[int] = []

    def take(e: ProgressEvent) -> bool:
        taken.append(e.seq)
        return True

    with broadcast.subscribe() as events:
        # The replay is returned, not offered; live events come after it.
        assert [(await events.receive(take)).seq for _ in range(2)] == [1, 2]
        broadcast.publish(event(3))
        assert (await events.receive(take)).seq == 3
        assert taken == []


async def test_a_cancelled_wait_disarms_the_taker(autojump_clock: trio.testing.MockClock) -> None:
    broadcast = Broadcast()
    taken: list[int] = []

    def take(e: ProgressEvent) -> bool:
        taken.append(e.seq)
        return True

    with broadcast.subscribe() as events:
        with trio.move_on_after(1):
            await events.receive(take)
        broadcast.publish(event(1))
        assert taken == [] and events.receive_nowait().seq == 1


# ---------------------------------------------------------------- ChunkWriter.offer


class Protocol:
    def __init__(self) -> None:
        self.handled: list[object] = []

    async def handle(self, ev: object) -> None:
        self.handled.append(ev)


@pytest.fixture
def pair() -> Iterator[tuple[socket.socket, socket.socket]]:
    """A loopback TCP connection (as the server's), with small buffers on both sides."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        b = socket.socket()
        b.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        b.connect(listener.getsockname())
        a, _ = listener.accept()
    a.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)  # about the kernel's minimum
    with a, b:
        yield a, b


def writer_on(sock: socket.socket) -> tuple[ChunkWriter, SimpleNamespace]:
    """A writer over a real socket; `parts` holds the Hypercorn state it checks."""
    sock.setblocking(False)
    parts = SimpleNamespace(
        stream=SimpleNamespace(closed=False),
        connection=SimpleNamespace(our_state=h11.SEND_BODY),
        server=SimpleNamespace(
            send_lock=trio.Lock(), stream=trio.SocketStream(trio.socket.from_stdlib_socket(sock))
        ),
        sent=[],
    )
    parts.server.protocol = Protocol()

    async def send(message: dict[str, Any]) -> None:
        parts.sent.append(message)

    writer = ChunkWriter(
        cast("HTTPStream", parts.stream),
        cast("h11.Connection", parts.connection),
        cast("TCPServer", parts.server),
        send,
    )
    return writer, parts


def drain(peer: socket.socket) -> bytes:
    peer.setblocking(False)
    data = b""
    while True:
        try:
            more = peer.recv(65536)
        except BlockingIOError:
            return data
        if not more:
            return data
        data += more


async def test_offer_sends_whole_partial_then_nothing_and_the_rest_goes_first(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    ours, peer = pair
    writer, _ = writer_on(ours)
    chunks = [chunk(b"%d" % i * 500) for i in range(200)]
    sent = [writer.offer(c) for c in chunks]
    full = [i for i, n in enumerate(sent) if n == len(chunks[i])]
    partial = [i for i, n in enumerate(sent) if 0 < n < len(chunks[i])]
    assert full and full == list(range(len(full)))  # whole ones first, while the buffer lasts
    assert partial == [len(full)]  # then one in part
    assert set(sent[len(full) + 1 :]) == {0}  # then none: the rest is pending
    assert writer.rest == chunks[partial[0]][sent[partial[0]] :]
    async with trio.open_nursery() as nursery:
        nursery.start_soon(writer, b"next")  # waits for room, the rest first
        await trio.testing.wait_all_tasks_blocked()
        data = b""
        while not data.endswith(chunk(b"next")):
            await trio.sleep(0.01)
            data += drain(peer)
    assert data == b"".join(chunks[: partial[0] + 1]) + chunk(b"next")
    assert writer.rest == b""


async def test_offer_to_a_full_socket_writes_nothing(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    ours, peer = pair
    writer, _ = writer_on(ours)
    filled = 0
    with contextlib.suppress(BlockingIOError):
        while True:
            filled += ours.send(b"f" * 1024)
    assert writer.offer(chunk(b"late")) == 0 and writer.rest == b""
    peer.setblocking(True)
    got = b""
    while len(got) < filled:
        got += peer.recv(65536)
    assert got == b"f" * filled  # nothing of the refused chunk went out
    assert writer.offer(chunk(b"late")) == len(chunk(b"late"))
    assert drain(peer) == chunk(b"late")


async def test_offer_refuses_a_busy_ended_or_closed_connection(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    ours, peer = pair
    writer, parts = writer_on(ours)
    await parts.server.send_lock.acquire()
    assert writer.offer(b"a") == 0  # Hypercorn (or the task) is writing
    parts.server.send_lock.release()
    parts.stream.closed = True
    assert writer.offer(b"b") == 0
    parts.stream.closed = False
    parts.connection.our_state = h11.DONE
    assert writer.offer(b"c") == 0
    parts.connection.our_state = h11.SEND_BODY
    assert writer.offer(b"d") == 1
    await parts.server.stream.aclose()  # fileno is -1 now: never an fd reused by another file
    assert writer.offer(b"e") == 0
    assert drain(peer) == b"d"


async def test_offer_to_a_peer_gone_declines_and_the_task_hands_the_close_to_hypercorn(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    ours, peer = pair
    writer, parts = writer_on(ours)
    peer.close()
    # TCP learns of it from the peer's reset to the first send; then EPIPE, never an exception
    # in the publisher.
    sent = [writer.offer(chunk(b"x")) for _ in range(3)]
    await trio.sleep(0.05)
    sent += [writer.offer(chunk(b"x")) for _ in range(3)]
    assert sent[-1] == 0
    await writer(b"x")
    assert [type(e).__name__ for e in parts.server.protocol.handled] == ["Closed"]


# ---------------------------------------------------------------- the route's follower


def chunks_of(data: bytes) -> list[bytes]:
    """The HTTP/1.1 chunks in `data`, each checked whole."""
    out = []
    while data:
        size, rest = data.split(b"\r\n", 1)
        n = int(size, 16)
        assert rest[n : n + 2] == b"\r\n", "a chunk is corrupted"
        out.append(rest[:n])
        data = rest[n + 2 :]
    return out


def blocks(body: list[bytes]) -> list[bytes]:
    """The SSE blocks in the chunks (the task sends the events it finds waiting as one)."""
    return [block + b"\n\n" for block in b"".join(body).split(b"\n\n")[:-1]]


async def test_follower_is_not_woken_per_event_and_the_bytes_are_the_same(
    pair: tuple[socket.socket, socket.socket],
    monkeypatch: pytest.MonkeyPatch,
    autojump_clock: trio.testing.MockClock,
) -> None:
    ours, peer = pair
    writer, _ = writer_on(ours)
    wakes: list[int] = []
    more_ready = progress._more_ready

    def counting(events: Any) -> Any:
        wakes.append(events.last_seq)
        return more_ready(events)

    monkeypatch.setattr(progress, "_more_ready", counting)
    broadcast = Broadcast()
    events = broadcast.subscribe()
    async with trio.open_nursery() as nursery:
        nursery.start_soon(progress._follow, events, "g-1", 0, 2.0, writer)
        await trio.testing.wait_all_tasks_blocked()
        for seq in range(1, 6):
            broadcast.publish(event(seq))
            await trio.sleep(1.5)  # less than the keep-alive: none is due
        assert wakes == []  # delivered directly, the task never ran for one
        await trio.sleep(1.0)  # 2 s of silence since the last event: one keep-alive
        broadcast.close()
    body = chunks_of(drain(peer))
    assert body[:5] == [sse.frame(event(seq)) for seq in range(1, 6)]
    assert body[5] == sse.KEEPALIVE
    assert body[6].startswith(b"id: 5\n") and b'"done"' in body[6] and len(body) == 7


def _size(seq: int) -> int:
    # Large ones (past the send buffer) go out in part; small ones after them find it full.
    return 5000 if seq % 2 else 100


async def test_follower_with_a_slow_reader_keeps_order_through_partial_sends(
    pair: tuple[socket.socket, socket.socket], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The real clock: the task's blocked sends are real waits (under a mock clock they would
    # jump to `SEND_LIMIT` and close the connection as too slow).
    ours, peer = pair
    writer, _ = writer_on(ours)
    offered: list[tuple[int, int]] = []
    offer = writer.offer

    def spying(data: bytes) -> int:
        offered.append((sent := offer(data), len(data)))
        return sent

    monkeypatch.setattr(writer, "offer", spying)
    broadcast = Broadcast()
    events = broadcast.subscribe()
    received = b""
    with trio.fail_after(20):
        async with trio.open_nursery() as nursery:
            nursery.start_soon(progress._follow, events, "g-1", 0, 2.0, writer)
            await trio.testing.wait_all_tasks_blocked()
            for seq in range(1, 101):  # far more than the buffers hold; the peer reads slowly
                broadcast.publish(event(seq, size=_size(seq)))
                await trio.sleep(0.01)
                if seq % 30 == 0:
                    received += drain(peer)
            broadcast.close()
            while b'"done"' not in received[-300:] or not received.endswith(b"\n\n\r\n"):
                await trio.sleep(0.01)
                received += drain(peer)
    body = blocks(chunks_of(received))
    # Each once, in order, then `done`.
    assert body[:-1] == [sse.frame(event(seq, size=_size(seq))) for seq in range(1, 101)]
    assert body[-1].startswith(b"id: 100\n") and b'"done"' in body[-1]
    # Both paths were taken: whole, and partial (the task's own writes for the rest).
    assert {(sent == size) - (sent == 0) for sent, size in offered} >= {1, 0}


async def test_a_cancelled_follower_is_never_written_for(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    ours, peer = pair
    writer, _ = writer_on(ours)
    broadcast = Broadcast()
    events = broadcast.subscribe()
    async with trio.open_nursery() as nursery:
        nursery.start_soon(progress._follow, events, "g-1", 0, 2.0, writer)
        await trio.testing.wait_all_tasks_blocked()
        broadcast.publish(event(1))
        nursery.cancel_scope.cancel()
    broadcast.publish(event(2))  # the subscription is closed: nothing offered
    assert chunks_of(drain(peer)) == [sse.frame(event(1))]


async def test_on_a_real_hypercorn_events_go_out_directly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The writer Hypercorn's HTTP/1.1 gives a pushed body takes the direct path: the stream's
    task runs for no event, and the client reads every one, then `done` and the body's end."""
    wakes: list[int] = []
    more_ready = progress._more_ready

    def counting(events: Any) -> Any:
        wakes.append(events.last_seq)
        return more_ready(events)

    monkeypatch.setattr(progress, "_more_ready", counting)
    broadcast = Broadcast()
    app = QuartTrio("direct")
    app.asgi_http_class = PushingConnection
    app.asgi_app = expose_transport(app.asgi_app)  # type: ignore[method-assign]
    following = trio.Event()

    async def produce(write: Write) -> None:
        assert isinstance(write, ChunkWriter)
        events = broadcast.subscribe()
        following.set()
        await progress._follow(events, "g-1", 0, 30.0, write)

    @app.get("/events")
    async def events_route() -> Any:
        return PushedResponse(produce, headers={"Content-Type": "text/event-stream"})

    config = Config()
    config.bind = ["127.0.0.1:0"]
    config.accesslog = config.errorlog = None
    with trio.fail_after(20):
        async with trio.open_nursery() as nursery:
            shutdown = trio.Event()
            binds = await nursery.start(
                functools.partial(serve, app, config, shutdown_trigger=shutdown.wait)
            )
            port = int(binds[0].rsplit(":", 1)[1])
            stream = await trio.open_tcp_stream("127.0.0.1", port)
            async with stream:
                await stream.send_all(b"GET /events HTTP/1.1\r\nHost: x\r\n\r\n")
                await following.wait()
                await trio.testing.wait_all_tasks_blocked()
                for seq in range(1, 4):
                    broadcast.publish(event(seq))
                    await trio.testing.wait_all_tasks_blocked()
                assert wakes == []
                broadcast.close()
                data = b""
                while not data.endswith(b"0\r\n\r\n"):
                    data += await stream.receive_some()
            shutdown.set()
    body = blocks(chunks_of(data.split(b"\r\n\r\n", 1)[1][: -len(b"0\r\n\r\n")]))
    assert body[:3] == [sse.frame(event(seq)) for seq in range(1, 4)]
    assert body[3].startswith(b"id: 3\n") and b'"done"' in body[3] and len(body) == 4
