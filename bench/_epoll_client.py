"""SSE subscribers on raw non-blocking sockets, read by one epoll loop in a thread (Linux).

`SseClients.run` is a blocking call, for `trio.to_thread.run_sync`; it records each subscriber's
SSE blocks with the `time.time()` of the `recv` that completed them, and `parse_blocks` turns
them into arrival times afterwards, so the loop does as little as possible per event.
"""

from __future__ import annotations

import errno
import json
import math
import os
import select
import socket
import threading
import time

from bench._servers import HOST

__all__ = ["SseClients", "parse_blocks"]

# Connections opened but not yet answered, at most: below Hypercorn's default accept backlog
# (100), so no SYN is dropped and retried seconds later (see the report).
CONNECT_WINDOW = 50


class SseClients:
    """`count` SSE subscribers on raw non-blocking sockets, read by one epoll loop in a thread.

    A Trio task per socket would cost this 2-core machine more than the server's own work per
    event; one epoll loop timestamps each `recv` (`time.time()`) and splits the bytes into
    SSE blocks, nothing more. Parsing happens afterwards (`parse_blocks`). Connections are
    opened `CONNECT_WINDOW` at a time (a new one when one has its first event).
    """

    def __init__(self, port: int, path: str, count: int) -> None:
        self.request = (
            f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nAccept: text/event-stream\r\n"
            "Cache-Control: no-cache\r\n\r\n"
        ).encode()
        self.port = port
        self.count = count
        self.blocks: list[list[tuple[float, bytes]]] = [[] for _ in range(count)]
        self.all_ready = threading.Event()
        self.ready_at = math.nan
        self.connect_s = math.nan
        self.error: BaseException | None = None

    def run(self, patience: float) -> None:
        try:
            self._run(patience)
        except BaseException as exc:
            self.error = exc
            raise

    def _connect(self, index: int, poller: select.epoll) -> tuple[int, socket.socket]:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setblocking(False)
        code = sock.connect_ex((HOST, self.port))
        if code not in (0, errno.EINPROGRESS):
            raise OSError(code, os.strerror(code))
        poller.register(sock.fileno(), select.EPOLLOUT)
        return sock.fileno(), sock

    def _run(self, patience: float) -> None:
        start = time.perf_counter()
        poller = select.epoll()
        socks: dict[int, tuple[int, socket.socket]] = {}
        sending: set[int] = set()  # connecting: request not sent yet
        waiting: set[int] = set()  # no first event yet: counts against the window
        next_index = 0
        buffers = [b""] * self.count
        ready = [False] * self.count
        ready_count = 0
        deadline = time.monotonic() + patience
        try:
            while (socks or next_index < self.count) and time.monotonic() < deadline:
                while next_index < self.count and len(waiting) < CONNECT_WINDOW:
                    fd, sock = self._connect(next_index, poller)
                    socks[fd] = (next_index, sock)
                    sending.add(fd)
                    waiting.add(fd)
                    next_index += 1
                for fd, mask in poller.poll(0.5):
                    index, sock = socks[fd]
                    if fd in sending:
                        if mask & (select.EPOLLOUT | select.EPOLLERR):
                            code = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                            if code:
                                raise OSError(code, os.strerror(code))
                            sock.send(self.request)  # small: fits the empty send buffer
                            sending.discard(fd)
                            poller.modify(fd, select.EPOLLIN)
                        continue
                    try:
                        data = sock.recv(65536)
                    except BlockingIOError:
                        continue
                    now = time.time()
                    finished = not data
                    buffer = buffers[index] + data
                    while (end := buffer.find(b"\n\n")) >= 0:
                        block, buffer = buffer[:end], buffer[end + 2 :]
                        self.blocks[index].append((now, block))
                        if not ready[index] and b'"seq": 1,' in block:
                            ready[index] = True
                            waiting.discard(fd)
                            ready_count += 1
                            if ready_count == self.count:
                                self.ready_at = time.time()
                                self.connect_s = time.perf_counter() - start
                                self.all_ready.set()
                        if b'"status": "done"' in block:
                            finished = True
                    buffers[index] = buffer
                    if finished:
                        poller.unregister(fd)
                        sock.close()
                        del socks[fd]
                        waiting.discard(fd)
        finally:
            for _, sock in socks.values():
                sock.close()
            poller.close()
        if socks or next_index < self.count:
            raise TimeoutError(f"{len(socks)} SSE streams did not end in {patience} s")


def parse_blocks(blocks: list[tuple[float, bytes]]) -> dict[int, float]:
    """seq → arrival time of the real events among one subscriber's SSE blocks."""
    arrivals: dict[int, float] = {}
    for arrival, block in blocks:
        for line in block.split(b"\n"):
            if line.startswith(b"data: "):
                data = json.loads(line[6:])
                if data.get("status") not in ("connected", "waiting", "done"):
                    arrivals.setdefault(int(data["seq"]), arrival)
    return arrivals
