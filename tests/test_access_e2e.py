"""Origins, hosts, owner tokens and keys on a real `videogen serve` on loopback.

What a hostile page could do from a browser, done with raw sockets, httpx and trio-websocket:
a WebSocket handshake from another origin, a `text/plain` cancel from another origin (a CORS
simple request: no preflight), a request for a rebound host name. Every server a test starts
is stopped by its fixture, on failure too.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import httpx
import pytest
import trio
from trio_websocket import open_websocket_url

from tests.test_server_e2e import Server, client_for, wait_for_status

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

pytestmark = pytest.mark.slow

EVIL = "http://evil.example"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = Server(tmp_path_factory.mktemp("access") / "data", "--rate-limit", "0")
    try:
        yield running
    finally:
        assert running.stop() == 0, running.log_path.read_text()[-2000:]


@pytest.fixture
def keyed_server(tmp_path: Path) -> Iterator[Server]:
    keys = tmp_path / "keys.txt"
    keys.write_text("# one user per line\nalice:alice-key\nbob:bob-key\n")
    running = Server(
        tmp_path / "data", "--rate-limit", "0", "--api-key", "adm1n", "--api-keys", str(keys)
    )
    try:
        yield running
    finally:
        assert running.stop() == 0, running.log_path.read_text()[-2000:]


async def raw_request(server: Server, request: bytes) -> tuple[bytes, bytes]:
    """Send one HTTP/1.1 request on a fresh connection; the answer's head and body.

    (Raw, so the test sends exactly what a browser would; trio-websocket also leaves a
    refused handshake's socket open until garbage collection.)
    """
    stream = await trio.open_tcp_stream("127.0.0.1", server.port)
    async with stream:
        await stream.send_all(request)
        answer = b""
        with trio.fail_after(10):
            while b"\r\n\r\n" not in answer:
                chunk = await stream.receive_some()
                assert chunk, answer
                answer += chunk
            head, _, body = answer.partition(b"\r\n\r\n")
            length = next(
                (
                    int(line.split(b":", 1)[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                ),
                0,
            )
            while len(body) < length:
                chunk = await stream.receive_some()
                assert chunk, answer
                body += chunk
    return head, body


async def websocket_handshake(server: Server, origin: str, path: str = "/api/ws") -> int:
    """A browser's WebSocket opening handshake from `origin`; the answer's status code."""
    request = (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nUpgrade: websocket\r\n"
        "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        f"Sec-WebSocket-Version: 13\r\nOrigin: {origin}\r\n\r\n"
    )
    head, _ = await raw_request(server, request.encode())
    return int(head.split(b" ", 2)[1])


async def test_a_websocket_handshake_from_another_origin_is_refused(server: Server) -> None:
    assert await websocket_handshake(server, EVIL) == 403
    # The page's own origin (the server as it was reached) is let in.
    assert await websocket_handshake(server, server.url) == 101
    url = f"ws://127.0.0.1:{server.port}/api/ws"
    own = [(b"Origin", server.url.encode())]
    async with open_websocket_url(url, extra_headers=own) as ws:
        await ws.send_message(json.dumps({"type": "subscribe"}))
        assert json.loads(await ws.get_message())["type"] == "error"


async def test_another_origin_cannot_cancel_with_a_simple_request(server: Server) -> None:
    async with client_for(server) as client:
        response = await client.post(
            "/api/generate",
            json={"topic": "Not yours to stop", "num_slides": 12},
            headers={"Prefer": "respond-async"},
        )
        gid = response.json()["generation_id"]
        token = response.json().get("owner_token", "")  # (read leniently: the attack needs none)
        await wait_for_status(server, gid, "generating_audio")
        # What a form or a no-cors fetch on evil.example sends: no preflight, text/plain —
        # even carrying the right token (as a page that somehow learned it would).
        body = b"x"
        request = (
            f"POST /api/cancel/{gid} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
            f"Origin: {EVIL}\r\nContent-Type: text/plain\r\nX-Owner-Token: {token}\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        ).encode() + body
        head, answer = await raw_request(server, request)
        assert head.startswith(b"HTTP/1.1 403"), head
        assert b"evil.example" in answer
        status = (await client.get(f"/api/status/{gid}")).json()["status"]
        assert status not in ("cancelled", "completed")
        # No token: 403 too. The token, from no foreign origin: cancelled.
        refused = await client.post(f"/api/cancel/{gid}")
        assert refused.status_code == 403
        assert refused.json() == {"detail": "Not the owner of this generation"}
        mine = await client.post(f"/api/cancel/{gid}", headers={"X-Owner-Token": token})
        assert mine.status_code == 200


async def test_a_rebound_host_name_is_misdirected(server: Server) -> None:
    request = (
        b"GET /api/generations HTTP/1.1\r\nHost: rebind.attacker.example\r\n"
        b"Connection: close\r\n\r\n"
    )
    head, _ = await raw_request(server, request)
    assert head.startswith(b"HTTP/1.1 421"), head
    async with client_for(server) as client:
        assert (await client.get("/api/generations")).status_code == 200


async def test_keys_sign_in_and_user_isolation(keyed_server: Server) -> None:
    base = keyed_server.url
    async with httpx.AsyncClient(base_url=base, timeout=120) as anonymous:
        assert (await anonymous.get("/api/options")).status_code == 401
        assert (await anonymous.get("/health")).status_code == 200
    alice = {"Authorization": "bearer alice-key"}  # the scheme in any case
    async with httpx.AsyncClient(base_url=base, timeout=120, headers=alice) as client:
        response = await client.post("/api/generate", json={"topic": "Keys", "num_slides": 2})
        assert response.status_code == 200, response.text
        gid = response.json()["generation_id"]
        video = await client.get(f"/api/video/{gid}.mp4", headers={"Range": "bytes=0-99"})
        assert video.status_code == 206
        assert video.headers["cache-control"].startswith("private")
    async with httpx.AsyncClient(base_url=base, timeout=120) as browser:
        signed = await browser.post("/api/session", json={"key": "bob-key"})
        assert signed.status_code == 200
        assert "httponly" in signed.headers["set-cookie"].lower()
        # Bob's cookie: Alice's generation does not exist for him; the admin sees it.
        assert (await browser.get(f"/api/status/{gid}")).status_code == 404
        listing = (await browser.get("/api/generations")).json()["generations"]
        assert listing == []
    admin = {"Authorization": "Bearer adm1n"}
    async with httpx.AsyncClient(base_url=base, timeout=120, headers=admin) as client:
        assert (await client.get(f"/api/status/{gid}")).json()["status"] == "completed"
    own = keyed_server.url
    assert await websocket_handshake(keyed_server, own) == 401
    bad = await websocket_handshake(keyed_server, own, "/api/ws?token=guess")
    assert bad == 401
    url = f"ws://127.0.0.1:{keyed_server.port}/api/ws"
    async with open_websocket_url(f"{url}?token=alice-key") as ws:
        await ws.send_message(json.dumps({"type": "subscribe", "generation_id": gid}))
        with trio.fail_after(10):
            while json.loads(await ws.get_message()).get("status") != "completed":
                pass
