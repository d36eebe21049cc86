"""The real `videogen serve` on a loopback port, driven with httpx, httpx-sse and trio-websocket."""

from __future__ import annotations

import json
import signal
import socket
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest
import trio
from httpx_sse import aconnect_sse
from trio_websocket import open_websocket_url

from tests.processes import Child

if TYPE_CHECKING:
    from collections.abc import Iterator

pytestmark = pytest.mark.slow

ORIGIN = "http://localhost:5173"
VIDEOGEN = str(Path(sys.executable).with_name("videogen"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """A `videogen serve` child process; stopped with SIGTERM (then SIGKILL) at the end.

    If it never becomes ready, it is killed and reaped before the constructor raises.
    """

    def __init__(self, data_dir: Path, *extra: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.data_dir = data_dir
        data_dir.parent.mkdir(parents=True, exist_ok=True)
        self.log_path = data_dir.parent / f"serve-{self.port}.log"
        args = [VIDEOGEN, "serve", "--port", str(self.port), "--data-dir", str(data_dir), *extra]
        self.child = Child(args, self.log_path)
        self.process = self.child.process
        # Ready once it answers; /health may be 503 (an unhealthy dependency) and still be up.
        self.child.wait_until(self._answers, seconds=30, what="videogen serve")

    def _answers(self) -> bool:
        try:
            return httpx.get(f"{self.url}/health", timeout=2).status_code in (200, 503)
        except httpx.TransportError:
            return False

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 15) -> int:
        return self.child.stop(sig, timeout)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = Server(tmp_path_factory.mktemp("serve") / "data", "--rate-limit", "0")
    yield running
    assert running.stop() == 0, running.log_path.read_text()[-2000:]


async def submit_owned(client: httpx.AsyncClient, topic: str, **fields: Any) -> tuple[str, str]:
    """Start a generation; returns its id and its owner token."""
    response = await client.post(
        "/api/generate", json={"topic": topic, **fields}, headers={"Prefer": "respond-async"}
    )
    assert response.status_code == 202, response.text
    body = response.json()
    return str(body["generation_id"]), str(body["owner_token"])


async def submit(client: httpx.AsyncClient, topic: str, **fields: Any) -> str:
    return (await submit_owned(client, topic, **fields))[0]


async def follow(
    client: httpx.AsyncClient, gid: str, last_id: str | None = None
) -> list[tuple[str, dict[str, Any]]]:
    headers = {"Last-Event-ID": last_id} if last_id else {}
    events = []
    url = f"/api/progress/{gid}"
    async with aconnect_sse(client, "GET", url, headers=headers) as source:
        async for sse in source.aiter_sse():
            if sse.data:  # the `retry:` hint is an event with no data
                events.append((sse.id, json.loads(sse.data)))
    return events


async def wait_for_status(server: Server, gid: str, status: str) -> None:
    """Read the event stream on a raw socket until `status`, then hang up mid-stream.

    (A raw socket, because httpx leaves an async generator behind when a stream is abandoned.)
    """
    stream = await trio.open_tcp_stream("127.0.0.1", server.port)
    async with stream:
        request = (
            f"GET /api/progress/{gid} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "Accept: text/event-stream\r\n\r\n"
        )
        await stream.send_all(request.encode())
        seen = b""
        needle = f'"status": "{status}"'.encode()
        while needle not in seen:
            chunk = await stream.receive_some()
            assert chunk, "the stream ended before the status arrived"
            seen += chunk


def client_for(server: Server) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=server.url, timeout=120)


async def test_blocking_generate_then_every_read_route(server: Server) -> None:
    async with client_for(server) as client:
        response = await client.post("/api/generate", json={"topic": "Rainbows", "num_slides": 3})
        assert response.status_code == 200, response.text
        body = response.json()
        gid = body["generation_id"]
        assert body["video_path"] == f"/api/video/{gid}.mp4"
        status = (await client.get(f"/api/status/{gid}")).json()
        assert status["status"] == "completed"
        content = (await client.get(f"/api/content/{gid}")).json()
        assert content == body["content_data"]
        script = (await client.get(f"/api/script/{gid}")).json()
        assert script == body["script_data"]
        assert (await client.get(f"/api/subtitles/{gid}")).text.startswith("WEBVTT")


async def test_async_generate_followed_over_sse_and_resumed(server: Server) -> None:
    async with client_for(server) as client:
        gid = await submit(client, "Glaciers", num_slides=3)
        events = await follow(client, gid)
        statuses = [e["status"] for _, e in events]
        assert statuses[0] == "connected" and statuses[-2:] == ["completed", "done"]
        assert "generating_audio" in statuses and "composing_video" in statuses
        real = [(i, e) for i, e in events if e["status"] not in ("connected", "done")]
        assert [int(i) for i, _ in real] == list(range(1, len(real) + 1))
        resumed = await follow(client, gid, last_id=real[4][0])
        assert [e["seq"] for _, e in resumed[1:-1]] == [e["seq"] for _, e in real[5:]]


async def test_ranges_byte_for_byte_and_head(server: Server) -> None:
    async with client_for(server) as client:
        response = await client.post("/api/generate", json={"topic": "Ranges", "num_slides": 2})
        gid = response.json()["generation_id"]
        url = f"/api/video/{gid}.mp4"
        on_disk = (server.data_dir / "generations" / gid / f"{gid}.mp4").read_bytes()
        size = len(on_disk)
        whole = await client.get(url)
        assert whole.content == on_disk
        assert whole.headers["accept-ranges"] == "bytes"
        for header, expected in [
            ("bytes=0-1023", on_disk[:1024]),
            ("bytes=1000-", on_disk[1000:]),
            ("bytes=-500", on_disk[-500:]),
            (f"bytes={size - 10}-{size + 5000}", on_disk[-10:]),
        ]:
            part = await client.get(url, headers={"Range": header})
            assert part.status_code == 206
            assert part.content == expected
            assert part.headers["content-length"] == str(len(expected))
        bad = await client.get(url, headers={"Range": f"bytes={size}-"})
        assert bad.status_code == 416
        assert bad.headers["content-range"] == f"bytes */{size}"
        head = await client.head(url)
        assert head.status_code == 200
        assert head.headers["content-length"] == str(size)
        assert head.content == b""
        # A HEAD answers as the GET without Range would (RFC 9110 §14.2).
        head = await client.head(url, headers={"Range": "bytes=0-9"})
        assert head.status_code == 200 and head.headers["content-length"] == str(size)
        # A browser revalidating its copy: 304 with no body and no Content-Length of 0.
        cached = await client.get(url, headers={"If-None-Match": whole.headers["etag"]})
        assert cached.status_code == 304 and cached.content == b""
        assert cached.headers["etag"] == whole.headers["etag"]
        assert "content-length" not in cached.headers and "content-type" not in cached.headers
        changed = await client.get(url, headers={"If-Match": '"another"', "Range": "bytes=0-9"})
        assert changed.status_code == 412


async def test_exports_on_the_real_server_with_head_ranges_and_a_unicode_name(
    server: Server,
) -> None:
    import io
    import zipfile

    from pptx import Presentation

    async with client_for(server) as client:
        body = {"topic": "जल चक्र", "num_slides": 2, "language": "hindi"}
        gid = (await client.post("/api/generate", json=body)).json()["generation_id"]
        whole = await client.get(f"/api/export/{gid}.zip")
        assert whole.status_code == 200
        with zipfile.ZipFile(io.BytesIO(whole.content)) as archive:
            assert archive.testzip() is None
            deck = archive.read(f"{gid}.pptx")
            assert archive.read(f"{gid}.mp4") == (await client.get(f"/api/video/{gid}.mp4")).content
        assert len(Presentation(io.BytesIO(deck)).slides) == 2
        head = await client.head(f"/api/export/{gid}.zip")
        assert head.headers["content-length"] == str(len(whole.content))
        assert "filename*=UTF-8''" in head.headers["content-disposition"]
        tail = await client.get(f"/api/export/{gid}.zip", headers={"Range": "bytes=-100"})
        assert tail.status_code == 206 and tail.content == whole.content[-100:]


async def test_cors_preflight_allowed_and_foreign(server: Server) -> None:
    async with client_for(server) as client:
        ask = {
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        }
        allowed = await client.options("/api/generate", headers={**ask, "Origin": ORIGIN})
        assert allowed.headers["access-control-allow-origin"] == ORIGIN
        assert allowed.headers["access-control-allow-credentials"] == "true"
        foreign = await client.options(
            "/api/generate", headers={**ask, "Origin": "http://evil.example"}
        )
        assert "access-control-allow-origin" not in foreign.headers


async def test_cancel_mid_generation_and_disconnect_does_not_cancel(server: Server) -> None:
    async with client_for(server) as client:
        left = await submit(client, "Left alone", num_slides=4)
        # A subscriber that disconnects mid-stream ends only its subscription.
        await wait_for_status(server, left, "generating_content")
        doomed, token = await submit_owned(client, "Cancel me", num_slides=12)
        await wait_for_status(server, doomed, "generating_audio")
        asked = time.monotonic()
        response = await client.post(f"/api/cancel/{doomed}", headers={"X-Owner-Token": token})
        assert response.status_code == 200
        assert time.monotonic() - asked < 2.0
        assert (await client.get(f"/api/status/{doomed}")).json()["status"] == "cancelled"
        assert not (server.data_dir / "generations" / doomed).exists()
        again = await client.post(f"/api/cancel/{doomed}", headers={"X-Owner-Token": token})
        assert again.status_code == 409
        events = await follow(client, left)
        assert events[-2][1]["status"] == "completed"


async def test_websocket_follows_two_generations_at_once(server: Server) -> None:
    url = f"ws://127.0.0.1:{server.port}/api/ws"
    async with open_websocket_url(url) as ws:
        for topic in ("Comets", "Meteors"):
            await ws.send_message(
                json.dumps({"type": "generate", "request": {"topic": topic, "num_slides": 2}})
            )
        accepted: list[str] = []
        finished: set[str] = set()
        seen: dict[str, list[str]] = {}
        with trio.fail_after(60):
            while len(finished) < 2:
                message = json.loads(await ws.get_message())
                if message["type"] == "accepted":
                    accepted.append(message["generation_id"])
                    continue
                assert message["type"] == "event", message
                seen.setdefault(message["generation_id"], []).append(message["status"])
                if message["status"] == "completed":
                    finished.add(message["generation_id"])
    assert set(accepted) == finished == set(seen)
    for statuses in seen.values():
        assert statuses.count("completed") == 1


def test_unread_bodies_never_stall_a_keep_alive_connection(server: Server) -> None:
    body = b'{"topic": "x"}'
    with httpx.Client(base_url=server.url, timeout=5) as client:  # one keep-alive connection
        for method in ("DELETE", "PATCH", "PUT", "GET", "DELETE", "PATCH"):
            response = client.request(method, "/api/generate", content=body)
            assert response.status_code == 405
        refused = client.post("/api/generate", content=body, headers={"Content-Type": "text/plain"})
        assert refused.status_code == 415
        assert client.get("/api/options").status_code == 200


async def test_health_and_openapi(server: Server) -> None:
    async with client_for(server) as client:
        health = (await client.get("/health")).json()
        assert health["status"] == "healthy" and health["checks"]["tts"] == "ok"
        spec = (await client.get("/openapi.json")).json()
        assert spec["openapi"].startswith("3.")


def start_long(server: Server, topic: str) -> str:
    """A 30-slide generation, once it has reached its speech (progress 30); returns its id."""
    response = httpx.post(
        f"{server.url}/api/generate",
        json={"topic": topic, "num_slides": 30},
        headers={"Prefer": "respond-async"},
    )
    gid = str(response.json()["generation_id"])
    deadline = time.monotonic() + 20
    while httpx.get(f"{server.url}/api/status/{gid}").json()["progress"] < 30:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    return gid


def test_sigterm_drains_and_restart_recovers(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = Server(data, "--rate-limit", "0")
    try:
        gid = start_long(first, "Cut short")
        started = time.monotonic()
        assert first.stop(signal.SIGTERM) == 0
        assert time.monotonic() - started < 12
    finally:
        first.stop(signal.SIGKILL)
    second = Server(data, "--rate-limit", "0")
    try:
        status = httpx.get(f"{second.url}/api/status/{gid}").json()
        assert status["status"] in ("interrupted", "completed")
        assert not (data / "generations" / gid / "work").exists()
    finally:
        assert second.stop() == 0


def test_sigkill_then_restart_marks_interrupted(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = Server(data, "--rate-limit", "0")
    try:
        gid = start_long(first, "Crashed")
    finally:
        first.stop(signal.SIGKILL)
    second = Server(data, "--rate-limit", "0")
    try:
        status = httpx.get(f"{second.url}/api/status/{gid}").json()
        assert status["status"] == "interrupted"
        assert not (data / "generations" / gid).exists()
        events = httpx.get(f"{second.url}/api/progress/{gid}", timeout=10).text
        assert events.count('"status": "interrupted"') == 1
    finally:
        assert second.stop() == 0


async def test_a_head_of_a_progress_stream_ends_at_its_headers(server: Server) -> None:
    """HEAD then a pipelined GET on one connection: both answered at once (the HEAD used to
    run the stream, 30 s of waiting for an unknown id, before the next request was read)."""
    stream = await trio.open_tcp_stream("127.0.0.1", server.port)
    async with stream:
        await stream.send_all(
            b"HEAD /api/progress/nope HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
            b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        )
        seen = b""
        with trio.fail_after(10):
            while b'"status":' not in seen:  # /health's body
                chunk = await stream.receive_some()
                assert chunk, seen
                seen += chunk
    head, _, rest = seen.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200") and b"text/event-stream" in head
    assert b"content-length: 0" not in head.lower()
    assert rest.startswith(b"HTTP/1.1 200")  # /health, answered behind it


async def test_a_host_no_url_map_can_bind_is_a_400_on_the_wire(server: Server) -> None:
    """Werkzeug's BadHost escaped the app as Hypercorn's empty 500 (and a traceback)."""
    async with client_for(server) as client:
        response = await client.get("/api/options", headers={"Host": "a" * 64})
    assert response.status_code == 400
    assert "Host" in response.json()["detail"]
