"""The minimal SSE server the videogen server is compared with: raw Trio sockets and the
project's `Broadcast`, replaying recorded events with their recorded gaps.

    python -m bench._sse_baseline PORT REPLAY_JSON

`bench.serve_sse` starts it as a subprocess (and stops it); it serves until interrupted.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import trio

from bench._servers import HOST
from videogen.actors.runtime.broadcast import Broadcast
from videogen.actors.runtime.events import ProgressEvent

__all__ = ["baseline_sse_server"]


def _chunk(data: bytes) -> bytes:
    return b"%x\r\n%s\r\n" % (len(data), data)


async def baseline_sse_server(port: int, replay: list[dict[str, Any]]) -> None:
    """Raw Trio sockets + `Broadcast`: `GET /stream` subscribes, `POST /go` replays, `/` is 200.

    Each event is sent as one HTTP chunk in the same SSE framing as the real server, with the
    same JSON; `POST /go` answers with every event's creation time once the replay is over.
    """
    broadcast = Broadcast()
    created: dict[int, float] = {}

    def make(event: dict[str, Any]) -> ProgressEvent:
        at = time.time()
        created[event["seq"]] = at
        return ProgressEvent(
            generation_id=event["generation_id"],
            seq=event["seq"],
            status=event["status"],
            progress=event["progress"],
            message=event["message"],
            at=at,
            stage=event["stage"],
        )

    broadcast.publish(make(replay[0]["event"]))

    def encode(event: ProgressEvent) -> bytes:
        text = json.dumps(event.to_json(), ensure_ascii=False)
        return _chunk(f"id: {event.seq}\ndata: {text}\n\n".encode())

    async def handle(stream: trio.SocketStream) -> None:
        async with stream:
            head = b""
            while b"\r\n\r\n" not in head:
                data = await stream.receive_some(4096)
                if not data:
                    return
                head += data
            if head.startswith(b"GET /stream"):
                await stream.send_all(
                    b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n"
                    b"transfer-encoding: chunked\r\n\r\n"
                )
                with broadcast.subscribe() as events:
                    async for event in events:
                        await stream.send_all(encode(event))
                done = b'data: {"status": "done"}\n\n'
                await stream.send_all(_chunk(done) + b"0\r\n\r\n")
                return
            if head.startswith(b"POST /go"):
                for item in replay[1:]:
                    await trio.sleep(item["gap"])
                    broadcast.publish(make(item["event"]))
                broadcast.close()
                await trio.sleep(0.5)
                body = json.dumps(created).encode()
            else:
                body = b"{}"
            await stream.send_all(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                b"content-length: %d\r\nconnection: close\r\n\r\n%s" % (len(body), body)
            )

    await trio.serve_tcp(handle, port, host=HOST, backlog=1024)


def main() -> None:
    port, script = sys.argv[1:]
    replay = json.loads(Path(script).read_text())
    trio.run(baseline_sse_server, int(port), replay)


if __name__ == "__main__":
    main()
