"""Access, ownership and origins (the contract's section), through the Quart-Trio test client.

Owner tokens, the Host/Origin checks, keys (admin and per user), the sign-in cookie, what each
caller may see, Cache-Control, and the client address behind a proxy. The same app as
`test_routes.py`: the real registry and SQLite store on fake media.
"""

from __future__ import annotations

import hashlib
import sqlite3
from typing import TYPE_CHECKING, Any

import pytest
import trio
from quart.testing import WebsocketResponseError

from tests.apps import make_app
from tests.test_routes import ASYNC, JSON, owner, read_stream, sse_events, start_owned, wait_done
from videogen.actors.adapters.store import MIGRATIONS, Store
from videogen.actors.errors import GenerationNotFound, NotOwner
from videogen.actors.runtime.ownership import Caller, Owner, issue_token
from videogen.media.models import GenerationRequest

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from pathlib import Path

    from quart.typing import TestAppProtocol, TestClientProtocol

    from tests.fakes import FakeMedia
    from videogen.actors.runtime.registry import Registry

EVIL = "http://evil.example"
ADMIN = {"Authorization": "Bearer the-admin-key"}
ALICE = {"Authorization": "Bearer alice-key"}
BOB = {"Authorization": "Bearer bob-key"}
USERS = (("alice", "alice-key"), ("bob", "bob-key"))
NOT_OWNER = {"detail": "Not the owner of this generation"}


# `media`, `test_app` and `client` (conftest.py): an app without keys, on loopback, the default.


@pytest.fixture
async def keyed(tmp_path: Path, media: FakeMedia) -> AsyncIterator[TestAppProtocol]:
    """An app with the admin key and two user keys."""
    app = make_app(tmp_path, media, api_key="the-admin-key", api_keys=USERS)
    async with app.test_app() as running:
        yield running


async def start_plain(client: TestClientProtocol, topic: str = "Plain") -> str:
    """Start a generation, reading only its id (for tests about something else than tokens)."""
    response = await client.post("/api/generate", headers=ASYNC, json={"topic": topic})
    assert response.status_code == 202
    return str((await response.get_json())["generation_id"])


async def handshake_refusal(client: TestClientProtocol, **options: Any) -> int:
    """The status code a refused WebSocket handshake answered with."""
    # The test connection's nursery wraps the refusal in an exception group.
    with pytest.RaisesGroup(WebsocketResponseError, flatten_subgroups=True) as refused:
        async with client.websocket("/api/ws", **options) as ws:
            await ws.receive()
    leaf: BaseException = refused.value
    while isinstance(leaf, BaseExceptionGroup):
        leaf = leaf.exceptions[0]
    assert isinstance(leaf, WebsocketResponseError)
    return int(leaf.response.status_code)


# -- owner tokens ----------------------------------------------------------------------------


async def test_creation_answers_carry_a_token_and_the_database_keeps_only_its_hash(
    client: TestClientProtocol, tmp_path: Path
) -> None:
    gid, token = await start_owned(client, "Tokens")
    blocking = await client.post("/api/generate", headers=JSON, json={"topic": "Blocking"})
    other = (await blocking.get_json())["owner_token"]
    assert token != other and len(token) >= 22 and len(other) >= 22
    await wait_done(client, gid)
    with sqlite3.connect(tmp_path / "videogen.db") as db:
        rows = db.execute("SELECT * FROM generations").fetchall()
        stored = db.execute(
            "SELECT owner_token_hash FROM generations WHERE id = ?", (gid,)
        ).fetchone()[0]
    assert stored == hashlib.sha256(token.encode()).hexdigest()
    assert not any(token in str(v) or other in str(v) for row in rows for v in row)


async def test_cancel_needs_the_owner_token(client: TestClientProtocol, media: FakeMedia) -> None:
    media.block_at = "speak"
    gid, token = await start_owned(client)
    _, someone_elses = await start_owned(client, "Another")
    await media.reached.wait()
    for headers in ({}, owner("wrong"), owner(someone_elses)):
        refused = await client.post(f"/api/cancel/{gid}", headers=headers)
        assert refused.status_code == 403
        assert await refused.get_json() == NOT_OWNER
    status = await (await client.get(f"/api/status/{gid}")).get_json()
    assert status["status"] not in ("cancelled", "completed")
    assert (await client.post(f"/api/cancel/{gid}", headers=owner(token))).status_code == 200


async def test_the_admin_key_cancels_without_a_token(
    tmp_path: Path, media: FakeMedia, keyed: TestAppProtocol
) -> None:
    client = keyed.test_client()
    media.block_at = "speak"
    gid, _ = await start_owned(client, headers=ALICE)
    await media.reached.wait()
    assert (await client.post(f"/api/cancel/{gid}", headers=ALICE)).status_code == 403
    assert (await client.post(f"/api/cancel/{gid}", headers=ADMIN)).status_code == 200


async def test_websocket_cancel_needs_the_owner_token(
    client: TestClientProtocol, media: FakeMedia
) -> None:
    media.block_at = "speak"
    async with client.websocket("/api/ws") as ws:
        await ws.send_json({"type": "generate", "request": {"topic": "Sockets"}})
        accepted = await ws.receive_json()
        assert accepted["type"] == "accepted" and len(accepted["owner_token"]) >= 22
        gid = accepted["generation_id"]
        await media.reached.wait()
        await ws.send_json({"type": "cancel", "generation_id": gid, "owner_token": "wrong"})
        while (message := await ws.receive_json())["type"] != "error":
            pass
        assert message["detail"] == f"Not the owner of this generation: {gid}"
        token = accepted["owner_token"]
        await ws.send_json({"type": "cancel", "generation_id": gid, "owner_token": token})
        while (message := await ws.receive_json()).get("status") != "cancelled":
            assert message["type"] == "event", message


async def test_registry_raises_not_owner_and_hides_other_users(registry: Registry) -> None:
    token, token_hash = issue_token()
    gen = await registry.submit(
        GenerationRequest(topic="Mine"), owner=Owner(user="alice", token_hash=token_hash)
    )
    with pytest.raises(NotOwner):
        await registry.cancel(gen.id, caller=Caller(user="alice"))
    with pytest.raises(GenerationNotFound):
        await registry.cancel(gen.id, caller=Caller(user="bob", owner_token=token))
    with pytest.raises(GenerationNotFound):
        await registry.record(gen.alias, caller=Caller(user="bob"))
    assert (await registry.record(gen.alias, caller=Caller(user="alice"))).id == gen.id
    terminal = await registry.cancel(gen.id, caller=Caller(user="alice", owner_token=token))
    assert terminal.status == "cancelled"


async def test_the_migration_applies_on_a_version_1_database(tmp_path: Path) -> None:
    path = tmp_path / "videogen.db"
    with sqlite3.connect(path) as db:
        db.executescript(f"BEGIN; {MIGRATIONS[0]}; PRAGMA user_version = 1; COMMIT;")
        db.execute(
            "INSERT INTO generations (id, alias, client, topic, request, status, progress,"
            " message, created_at, updated_at) VALUES"
            " ('Old-1', 'Old', 'x', 'Old', '{}', 'completed', 100, '', 1, 1)"
        )
    store = await Store.open(path)
    try:
        old = await store.get("Old-1")
        assert old is not None and old.owner_user is None and old.owner_token_hash is None
        await store.insert(
            "New-1", alias="New", client="y", topic="New", request={}, owner=("bob", "h")
        )
        assert [r.id for r in await store.listing(limit=5, user="bob")] == ["New-1"]
    finally:
        await store.aclose()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


# -- origins and hosts -----------------------------------------------------------------------


async def test_a_foreign_origin_cannot_cancel_even_with_a_text_plain_simple_request(
    client: TestClientProtocol, media: FakeMedia
) -> None:
    media.block_at = "speak"
    gid, token = await start_owned(client)
    await media.reached.wait()
    simple = {"Origin": EVIL, "Content-Type": "text/plain", **owner(token)}
    refused = await client.post(f"/api/cancel/{gid}", headers=simple, data=b"x")
    assert refused.status_code == 403
    assert "evil.example" in (await refused.get_json())["detail"]
    generate = await client.post(
        "/api/generate", headers={**ASYNC, "Origin": EVIL}, json={"topic": "t"}
    )
    assert generate.status_code == 403
    assert (await client.get("/api/options", headers={"Origin": EVIL})).status_code == 200
    status = await (await client.get(f"/api/status/{gid}")).get_json()
    assert status["status"] != "cancelled"
    # The page's own origin (as the server was reached) and a CORS origin may.
    own = await client.post(
        "/api/generate", headers={**ASYNC, "Origin": "http://localhost"}, json={"topic": "t"}
    )
    assert own.status_code == 202
    cors = {"Origin": "http://localhost:5173", **owner(token)}
    assert (await client.post(f"/api/cancel/{gid}", headers=cors)).status_code == 200


async def test_a_websocket_handshake_from_a_foreign_origin_is_refused(
    client: TestClientProtocol,
) -> None:
    assert await handshake_refusal(client, headers={"Origin": EVIL}) == 403
    async with client.websocket("/api/ws", headers={"Origin": "http://localhost"}) as ws:
        await ws.send_json({"type": "subscribe"})
        assert (await ws.receive_json())["type"] == "error"


@pytest.mark.parametrize(
    ("host", "code"),
    [
        ("rebind.attacker.example", 421),
        ("rebind.attacker.example:8000", 421),
        ("127.0.0.1.attacker.example", 421),
        ("localhost:8000", 200),
        ("LOCALHOST", 200),
        ("127.0.0.1:8000", 200),
        ("[::1]:8000", 200),
        ("videogen.lan:8000", 200),
    ],
)
async def test_a_loopback_server_answers_only_to_its_own_names(
    tmp_path: Path, media: FakeMedia, host: str, code: int
) -> None:
    async with make_app(tmp_path, media, allowed_hosts=("videogen.lan",)).test_app() as app:
        client = app.test_client()
        assert (await client.get("/api/options", headers={"Host": host})).status_code == code
        assert (await client.get("/health", headers={"Host": host})).status_code == code
        if code == 421:
            assert await handshake_refusal(client, headers={"Host": host}) == 421


@pytest.mark.parametrize(("bind", "code"), [("127.0.0.1", 421), ("::1", 421), ("0.0.0.0", 200)])
async def test_only_a_loopback_bind_checks_the_host(
    tmp_path: Path, media: FakeMedia, bind: str, code: int
) -> None:
    async with make_app(tmp_path, media, host=bind).test_app() as app:
        response = await app.test_client().get("/api/options", headers={"Host": "videos.example"})
        assert response.status_code == code


# -- keys ------------------------------------------------------------------------------------


async def test_bearer_is_case_insensitive_and_wrong_keys_are_401(keyed: TestAppProtocol) -> None:
    client = keyed.test_client()
    for scheme in ("Bearer", "bearer", "BEARER"):
        ok = await client.get("/api/options", headers={"Authorization": f"{scheme} alice-key"})
        assert ok.status_code == 200, scheme
    for value in ("Basic alice-key", "Bearer alice-keyX", "Bearer", "alice-key"):
        refused = await client.get("/api/options", headers={"Authorization": value})
        assert refused.status_code == 401, value
        assert await refused.get_json() == {"detail": "Not authenticated"}
    assert (await client.get("/health")).status_code == 200
    assert (await client.get("/")).status_code == 200
    assert await handshake_refusal(client) == 401
    assert await handshake_refusal(client, query_string={"token": "guess"}) == 401
    async with client.websocket("/api/ws", query_string={"token": "bob-key"}) as ws:
        await ws.send_json({"type": "subscribe"})
        assert (await ws.receive_json())["type"] == "error"


async def test_users_see_only_their_own_generations_and_the_admin_sees_all(
    keyed: TestAppProtocol, media: FakeMedia
) -> None:
    client = keyed.test_client()
    alice_id, alice_token = await start_owned(client, "Volcanoes", headers=ALICE)
    await wait_done_as(client, alice_id, ALICE)
    bob_id, _ = await start_owned(client, "Volcanoes", headers=BOB)
    await wait_done_as(client, bob_id, BOB)
    for path in (
        f"/api/status/{alice_id}",
        f"/api/content/{alice_id}",
        f"/api/script/{alice_id}",
        f"/api/subtitles/{alice_id}",
        f"/api/chapters/{alice_id}",
        f"/api/video/{alice_id}.mp4",
    ):
        assert (await client.get(path, headers=BOB)).status_code == 404, path
        assert (await client.get(path, headers=ALICE)).status_code == 200, path
        assert (await client.get(path, headers=ADMIN)).status_code == 200, path
    cancel = await client.post(f"/api/cancel/{alice_id}", headers={**BOB, **owner(alice_token)})
    assert cancel.status_code == 404
    stream = sse_events(await read_as(client, f"/api/progress/{alice_id}", BOB))
    assert [e["status"] for _, e in stream][-2:] == ["error", "done"]
    # The alias is the newest generation of that topic *among the caller's own*.
    alias = await (await client.get("/api/status/Volcanoes", headers=ALICE)).get_json()
    assert alias["generation_id"] == alice_id
    alias = await (await client.get("/api/status/Volcanoes", headers=BOB)).get_json()
    assert alias["generation_id"] == bob_id

    async def listed(headers: dict[str, str]) -> list[str]:
        page = await (await client.get("/api/generations", headers=headers)).get_json()
        return [g["generation_id"] for g in page["generations"]]

    assert await listed(ALICE) == [alice_id]
    assert await listed(BOB) == [bob_id]
    assert await listed(ADMIN) == [bob_id, alice_id]


async def wait_done_as(client: TestClientProtocol, gid: str, headers: dict[str, str]) -> None:
    events = sse_events(await read_as(client, f"/api/progress/{gid}", headers))
    assert events[-2][1]["status"] == "completed", events


async def read_as(client: TestClientProtocol, path: str, headers: dict[str, str]) -> str:
    return await read_stream(client, path, headers)


async def test_debug_actors_shows_own_generations_and_addresses_only_to_the_admin(
    keyed: TestAppProtocol, media: FakeMedia
) -> None:
    client = keyed.test_client()
    media.block_at = "draw"
    alice_id, _ = await start_owned(client, "Alice's", headers=ALICE)
    await media.reached.wait()
    bob_id, _ = await start_owned(client, "Bob's", headers=BOB)

    async def tree(headers: dict[str, str]) -> dict[str, dict[str, Any]]:
        body = await (await client.get("/api/debug/actors", headers=headers)).get_json()
        return {c["name"]: c for c in body["children"]}

    bobs = await tree(BOB)
    assert set(bobs) == {bob_id} and "client" not in bobs[bob_id]
    everyone = await tree(ADMIN)
    assert set(everyone) == {alice_id, bob_id}
    assert everyone[alice_id]["client"] and everyone[alice_id]["user"] == "alice"


async def test_no_address_is_shown_without_keys(
    client: TestClientProtocol, media: FakeMedia
) -> None:
    media.block_at = "draw"
    gid = await start_plain(client)
    await media.reached.wait()
    body = await (await client.get("/api/debug/actors")).get_json()
    gen = next(c for c in body["children"] if c["name"] == gid)
    assert "client" not in gen and "user" not in gen


async def test_without_keys_off_loopback_a_client_lists_only_its_own(
    tmp_path: Path, media: FakeMedia
) -> None:
    settings = {"host": "0.0.0.0", "trust_forwarded": True}
    async with make_app(tmp_path, media, **settings).test_app() as app:
        client = app.test_client()
        one = {"X-Forwarded-For": "10.0.0.1"}
        two = {"X-Forwarded-For": "10.0.0.2"}
        first, _ = await start_owned(client, "One", headers=one)
        second, _ = await start_owned(client, "Two", headers=two)
        for headers, mine in ((one, first), (two, second)):
            page = await (await client.get("/api/generations", headers=headers)).get_json()
            assert [g["generation_id"] for g in page["generations"]] == [mine]


# -- the page's sign-in ----------------------------------------------------------------------


async def test_sign_in_sets_a_strict_http_only_cookie_that_streams_and_videos_carry(
    keyed: TestAppProtocol,
) -> None:
    client = keyed.test_client()
    assert (await client.get("/api/session")).status_code == 401
    wrong = await client.post("/api/session", json={"key": "guess"})
    assert wrong.status_code == 401 and "Set-Cookie" not in wrong.headers
    assert (await client.post("/api/session", json={})).status_code == 422
    foreign = await client.post("/api/session", headers={"Origin": EVIL}, json={"key": "bob-key"})
    assert foreign.status_code == 403 and "Set-Cookie" not in foreign.headers
    signed = await client.post("/api/session", json={"key": "alice-key"})
    assert signed.status_code == 200
    assert await signed.get_json() == {"user": "alice", "admin": False, "keys": True}
    cookie = signed.headers["Set-Cookie"]
    assert cookie.startswith("videogen_session=") and "alice-key" not in cookie
    attributes = {part.strip().lower() for part in cookie.split(";")}
    assert {"httponly", "samesite=strict", "path=/"} <= attributes
    # From now on the cookie (which the test client keeps, like a browser) is the key.
    assert (await client.get("/api/session")).status_code == 200
    gid, _ = await start_owned(client, "With a cookie")
    events = sse_events(await read_as(client, f"/api/progress/{gid}", {}))
    assert events[-2][1]["status"] == "completed"
    video = await client.get(f"/api/video/{gid}.mp4")
    assert video.status_code == 200
    assert (await client.get(f"/api/status/{gid}", headers=BOB)).status_code == 404
    out = await client.delete("/api/session")
    assert out.status_code == 204
    assert (await client.get("/api/session")).status_code == 401
    assert (await client.get(f"/api/status/{gid}")).status_code == 401


async def test_sign_in_is_404_on_a_server_without_keys(client: TestClientProtocol) -> None:
    assert (await client.post("/api/session", json={"key": "x"})).status_code == 404
    who = await (await client.get("/api/session")).get_json()
    assert who == {"user": None, "admin": False, "keys": False}


# -- caching ---------------------------------------------------------------------------------


async def test_keyed_answers_are_never_cache_control_public(keyed: TestAppProtocol) -> None:
    client = keyed.test_client()
    gid, _ = await start_owned(client, headers=ALICE)
    await wait_done_as(client, gid, ALICE)
    video = await client.get(f"/api/video/{gid}.mp4", headers=ALICE)
    assert video.status_code == 200
    assert video.headers["Cache-Control"].startswith("private")
    for path in (f"/api/status/{gid}", f"/api/content/{gid}", "/api/generations"):
        answer = await client.get(path, headers=ALICE)
        assert "public" not in answer.headers.get("Cache-Control", ""), path
        assert "private" in answer.headers["Cache-Control"], path


async def test_videos_are_private_without_keys_too(client: TestClientProtocol) -> None:
    gid = await start_plain(client)
    await wait_done(client, gid)
    video = await client.get(f"/api/video/{gid}.mp4")
    assert video.headers["Cache-Control"] == "private, max-age=3600"


# -- the client address ----------------------------------------------------------------------


async def test_behind_a_proxy_the_rightmost_forwarded_hop_is_the_client(
    tmp_path: Path, media: FakeMedia
) -> None:
    async with make_app(tmp_path, media, rate_limit=2, trust_forwarded=True).test_app() as app:
        client = app.test_client()
        codes = []
        for spoofed in ("1.1.1.1", "2.2.2.2", "3.3.3.3"):
            # The client chose the left hop; the proxy appended the address it saw.
            headers = {**ASYNC, "X-Forwarded-For": f"{spoofed}, 203.0.113.9"}
            response = await client.post("/api/generate", headers=headers, json={"topic": "t"})
            codes.append(response.status_code)
        assert codes == [202, 202, 429]
        other = {**ASYNC, "X-Forwarded-For": "1.1.1.1, 203.0.113.10"}
        response = await client.post("/api/generate", headers=other, json={"topic": "t"})
        assert response.status_code == 202


async def test_http_and_websocket_share_one_rate_bucket(tmp_path: Path, media: FakeMedia) -> None:
    async with make_app(tmp_path, media, rate_limit=2).test_app() as app:
        client = app.test_client()
        await start_plain(client, "Over HTTP")
        async with client.websocket("/api/ws") as ws:
            await ws.send_json({"type": "generate", "request": {"topic": "Over the socket"}})
            assert (await ws.receive_json())["type"] == "accepted"
            with trio.fail_after(5):
                await ws.send_json({"type": "generate", "request": {"topic": "One too many"}})
                while (message := await ws.receive_json())["type"] == "event":
                    pass
            assert message == {"type": "error", "detail": "Too many requests: slow down"}
        third = await client.post("/api/generate", headers=ASYNC, json={"topic": "t"})
        assert third.status_code == 429


# -- the description -------------------------------------------------------------------------


async def test_openapi_describes_tokens_keys_and_refusals(client: TestClientProtocol) -> None:
    spec = await (await client.get("/openapi.json")).get_json()
    schemas = spec["components"]["schemas"]
    assert "owner_token" in schemas["AcceptedResponse"]["required"]
    assert "owner_token" in schemas["GenerateResponse"]["required"]
    cancel = spec["paths"]["/api/cancel/{generation_id}"]["post"]
    assert "X-Owner-Token" in [p["name"] for p in cancel["parameters"]]
    assert {"401", "403", "404", "409", "421"} <= set(cancel["responses"])
    assert {"get", "post", "delete"} <= set(spec["paths"]["/api/session"])
    assert spec["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
