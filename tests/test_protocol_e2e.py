"""The protocol's limits on a real `videogen serve` (Hypercorn): keep-alive after a 413, and the
WebSocket's message-size cap, subscription storm and slow readers.

What only a real server shows: how Hypercorn treats the connection, the socket and the process's
memory. The session logic itself is unit-tested in `test_ws_session.py`.
"""

from __future__ import annotations

import dataclasses
import json
import select
import socket
from typing import TYPE_CHECKING

import httpx
import pytest
import trio
from wsproto import ConnectionType, WSConnection
from wsproto.events import AcceptConnection, CloseConnection, Event, Request, TextMessage

from tests.test_server_e2e import Server
from videogen.server.routes.ws import max_message_bytes
from videogen.server.settings import Settings

if TYPE_CHECKING:
    from collections.abc import Iterator

pytestmark = pytest.mark.slow

BODY_LIMIT: int = next(
    f.default for f in dataclasses.fields(Settings) if f.name == "max_body_bytes"
)  # type: ignore[assignment]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = Server(tmp_path_factory.mktemp("protocol") / "data", "--rate-limit", "0")
    try:
        yield running
    finally:
        assert running.stop() == 0, running.log_path.read_text()[-2000:]


def read_until_closed(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes; raises `TimeoutError` if it never does."""
    sock.settimeout(10)
    received = b""
    while chunk := sock.recv(65536):
        received += chunk
    return received


# -- 413 ---------------------------------------------------------------------------------------


def test_413_closes_the_keep_alive_connection(server: Server) -> None:
    body = b'{"topic": "' + b"x" * (BODY_LIMIT + 1) + b'"}'
    head = (
        "POST /api/generate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(head.encode() + body)
        # The server answers and then closes (before the fix, the connection stayed open and
        # the next request on it was never answered).
        response = read_until_closed(sock)
    status_line, _, rest = response.partition(b"\r\n")
    headers, _, payload = rest.partition(b"\r\n\r\n")
    assert status_line.startswith(b"HTTP/1.1 413")
    assert b"connection: close" in headers.lower()
    assert b"too large" in payload


def test_413_with_the_body_still_unsent_also_closes(server: Server) -> None:
    """A client that waits for an answer before sending its oversized body (`Expect`-style)."""
    head = (
        "POST /api/generate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: {BODY_LIMIT * 10}\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(head.encode())
        response = read_until_closed(sock)
    assert response.startswith(b"HTTP/1.1 413")


def test_the_next_request_after_a_413_is_answered(server: Server) -> None:
    big = b'{"topic": "' + b"x" * (BODY_LIMIT + 1) + b'"}'
    json_type = {"Content-Type": "application/json"}
    with httpx.Client(base_url=server.url, timeout=10) as client:  # one connection pool
        for _ in range(3):
            assert client.post("/api/generate", content=big, headers=json_type).status_code == 413
            # httpx reuses a kept-alive connection; it opens a new one after `Connection: close`.
            assert client.get("/health").status_code == 200


# -- a close the request asks for (RFC 9112 §9.6) ----------------------------------------------


@pytest.mark.parametrize(
    "request_line",
    [
        "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
        "GET /api/options HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n",  # 1.0: close by default
    ],
)
def test_a_request_asking_for_the_close_is_answered_and_closed(
    server: Server, request_line: str
) -> None:
    """Hypercorn alone kept the connection open until its keep-alive timeout (#330)."""
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(request_line.encode())
        response = read_until_closed(sock)
    status_line, _, rest = response.partition(b"\r\n")
    headers, _, payload = rest.partition(b"\r\n\r\n")
    assert status_line.startswith(b"HTTP/1.1 200") or status_line.startswith(b"HTTP/1.0 200")
    assert b"connection: close" in headers.lower()
    assert payload.startswith(b"{")


def _one_response(sock: socket.socket) -> bytes:
    """One response's head and its `Content-Length` bytes of body."""
    sock.settimeout(10)
    received = b""
    while b"\r\n\r\n" not in received:
        received += sock.recv(65536)
    head, _, body = received.partition(b"\r\n\r\n")
    length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
    while len(body) < length:
        body += sock.recv(65536)
    return head


def test_a_kept_alive_connection_stays_open(server: Server) -> None:
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        for _ in range(2):  # two answers on one connection
            sock.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            head = _one_response(sock)
            assert head.startswith(b"HTTP/1.1 200") and b"connection: close" not in head.lower()


# -- WebSocket limits --------------------------------------------------------------------------


def open_raw_websocket(port: int) -> tuple[socket.socket, WSConnection]:
    """A WebSocket on a plain blocking socket: nothing reads it unless the test does."""
    conn = WSConnection(ConnectionType.CLIENT)
    sock = socket.create_connection(("127.0.0.1", port))
    sock.settimeout(30)
    sock.sendall(conn.send(Request(host=f"127.0.0.1:{port}", target="/api/ws")))
    while True:
        conn.receive_data(sock.recv(4096))
        if any(isinstance(event, AcceptConnection) for event in conn.events()):
            return sock, conn


def next_event(sock: socket.socket, conn: WSConnection) -> Event:
    """The next WebSocket event from the server, reading the socket as needed."""
    while True:
        for event in conn.events():
            return event
        data = sock.recv(65536)
        assert data, "the server closed the TCP connection without a close frame"
        conn.receive_data(data)


def test_websocket_messages_over_the_cap_close_with_1009(server: Server) -> None:
    cap = max_message_bytes(BODY_LIMIT)
    assert cap < 2 * BODY_LIMIT  # near the HTTP body limit (Hypercorn's default is 16 MiB)
    sock, conn = open_raw_websocket(server.port)
    with sock:
        # Just under the cap: an ordinary bad message, answered; the session goes on.
        sock.sendall(conn.send(TextMessage(data="x" * (cap - 1))))
        reply = next_event(sock, conn)
        assert isinstance(reply, TextMessage) and json.loads(reply.data)["type"] == "error"
        sock.sendall(conn.send(TextMessage(data=json.dumps({"type": "subscribe"}) + " " * cap)))
        closing = next_event(sock, conn)
    assert isinstance(closing, CloseConnection) and closing.code == 1009


def vm_hwm_kib(pid: int) -> int:
    """The process's peak resident memory (VmHWM) in KiB."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise AssertionError("no VmHWM")


def storm(sock: socket.socket, conn: WSConnection, frames: list[str]) -> str:
    """Send every frame, never reading; then wait for the server to hang up. Says how it ended."""
    data = b"".join(conn.send(TextMessage(data=frame)) for frame in frames)
    sock.settimeout(60)
    try:
        sock.sendall(data)  # blocks once the server stops reading: it pushes back
    except TimeoutError:
        return "still open"
    except OSError as exc:  # the server aborted us while we were still sending
        return f"aborted while sending: {exc!r}"
    watcher = select.poll()
    watcher.register(sock, select.POLLRDHUP)  # a hang-up or reset, not data (left unread)
    if not watcher.poll(60_000):
        return "still open"
    return "hung up"


async def test_a_subscribe_storm_on_a_socket_that_never_reads_is_bounded(server: Server) -> None:
    count = 20_000
    async with httpx.AsyncClient(base_url=server.url, timeout=60) as client:
        accepted = await client.post(
            "/api/generate",
            # No lookup: building the encyclopedia's index (about 40 MiB, once per process)
            # would land inside the window this test measures.
            json={"topic": "Storm", "num_slides": 1, "knowledge": "none"},
            headers={"Prefer": "respond-async"},
        )
        gid = accepted.json()["generation_id"]
        baseline = vm_hwm_kib(server.process.pid)
        sock, conn = open_raw_websocket(server.port)
        frames = [
            json.dumps({"type": "subscribe", "generation_id": f"nobody-{n}" if n % 100 else gid})
            for n in range(count)
        ]
        with sock:
            ended = trio.Event()
            outcome: list[str] = []
            answered = 0

            async def run_storm() -> None:
                outcome.append(await trio.to_thread.run_sync(storm, sock, conn, frames))
                ended.set()

            async with trio.open_nursery() as nursery:
                nursery.start_soon(run_storm)
                while not ended.is_set():  # everyone else is served throughout
                    status = await client.get(f"/api/status/{gid}")
                    assert status.status_code == 200
                    answered += 1
                    with trio.move_on_after(0.2):
                        await ended.wait()
        grown_mib = (vm_hwm_kib(server.process.pid) - baseline) / 1024
        assert (await client.get(f"/api/status/{gid}")).status_code == 200
    # The server stopped reading (its replies were left unread), closed the session and let the
    # kernel abort the stalled connection, holding no more than a bounded amount meanwhile.
    assert outcome != ["still open"], outcome
    assert answered >= 1
    # Before the bounds, 20,000 subscribe tasks queued 40,000 store lookups: +160 MiB.
    assert grown_mib < 40, f"the server grew by {grown_mib:.0f} MiB"
