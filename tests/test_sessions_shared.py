"""Browser sessions shared by replicas: `SessionStore` with a real `SharedSessions` on a real
PostgreSQL (sign in on one store, known on another; a sign-out holds everywhere within
`SESSION_RECHECK`; a database that does not answer changes nothing known), and two real
keyed `videogen serve` replicas: the cookie one made works on the other, until a sign-out."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import httpx
import pytest
import trio
import trio.testing

from tests.test_server_e2e import Server
from videogen.actors.adapters.sessions_pg import SharedSessions
from videogen.actors.adapters.store import Store
from videogen.actors.runtime.ownership import Caller
from videogen.server.access.sessions import (
    COOKIE,
    SESSION_LOOKUP_TIMEOUT,
    SESSION_RECHECK,
    SessionStore,
)

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class _Down:
    async def put(self, digest: str, user: str | None, admin: bool, expires_at: float) -> None:
        raise OSError("down")

    async def get(self, digest: str) -> tuple[str | None, bool, float] | None:
        raise OSError("down")

    async def drop(self, digest: str) -> None:
        raise OSError("down")


async def test_a_sign_in_on_one_replica_holds_on_another_until_signed_out(pg_url: str) -> None:
    await (await Store.open(pg_url)).aclose()  # migrated
    clock = _Clock()
    one, two = await SharedSessions.open(pg_url), await SharedSessions.open(pg_url)
    try:
        a, b = SessionStore(clock), SessionStore(clock)
        a.share(one)
        b.share(two)
        session = await a.sign_in(Caller(user="alice"))
        assert b.caller(session) is None  # not looked up yet
        await b.refresh(session)
        assert b.caller(session) == Caller(user="alice")
        await b.refresh("made-up")
        assert b.caller("made-up") is None
        await a.sign_out(session)
        assert a.caller(session) is None
        await b.refresh(session)  # believed for SESSION_RECHECK…
        assert b.caller(session) == Caller(user="alice")
        clock.now += SESSION_RECHECK
        await b.refresh(session)  # …then read again: gone
        assert b.caller(session) is None
        admin = await b.sign_in(Caller(admin=True))
        await a.refresh(admin)
        assert a.caller(admin) == Caller(admin=True)
    finally:
        await one.aclose()
        await two.aclose()


async def test_expired_sessions_are_refused_and_swept(pg_url: str) -> None:
    await (await Store.open(pg_url)).aclose()
    shared = await SharedSessions.open(pg_url)
    try:
        await shared.put("old", "alice", False, time.time() - 1)
        assert await shared.get("old") is None
        await shared.put("new", "bob", False, time.time() + 60)  # sweeps the expired
        got = await shared.get("new")
        assert got is not None and got[:2] == ("bob", False)
        assert abs(got[2] - (time.time() + 60)) < 5
        await shared.put("old", "carol", True, time.time() + 60)  # the digest is free again
        assert (await shared.get("old") or ("", False, 0.0))[:2] == ("carol", True)
    finally:
        await shared.aclose()


async def test_a_database_that_does_not_answer_changes_nothing_known() -> None:
    clock = _Clock()
    store = SessionStore(clock)
    session = store.open(Caller(user="alice"))  # made before the database went away
    store.share(_Down())
    clock.now += SESSION_RECHECK
    await store.refresh(session)
    assert store.caller(session) == Caller(user="alice")
    with pytest.raises(OSError):  # a sign-in the others could not see is refused…
        await store.sign_in(Caller(user="bob"))
    assert len(store._sessions) == 1  # …and not kept here either


@pytest.fixture
def keyed_pair(pg_url: str, tmp_path: Path) -> Iterator[dict[str, Server]]:
    keys = tmp_path / "keys.txt"
    keys.write_text("alice:alice-key\n")
    servers: dict[str, Server] = {}
    try:
        for name in ("a", "b"):
            servers[name] = Server(
                tmp_path / name / "data",
                *("--rate-limit", "0", "--api-keys", str(keys), "--database-url", pg_url),
                *("--replica-id", name),
            )
        yield servers
    finally:
        for server in servers.values():
            if server.process.poll() is None:
                server.stop()


@pytest.mark.slow
async def test_a_cookie_made_on_a_works_on_b_until_signed_out(
    keyed_pair: dict[str, Server],
) -> None:
    a, b = keyed_pair["a"], keyed_pair["b"]
    async with httpx.AsyncClient(base_url=a.url, timeout=30) as on_a:
        signed = await on_a.post("/api/session", json={"key": "alice-key"})
        assert signed.status_code == 200, signed.text
        cookie = {COOKIE: signed.cookies[COOKIE]}
    async with httpx.AsyncClient(base_url=b.url, timeout=30, cookies=cookie) as on_b:
        assert (await on_b.get("/api/generations")).status_code == 200
        assert (await on_b.get("/api/session")).json()["user"] == "alice"
    async with httpx.AsyncClient(base_url=a.url, timeout=30, cookies=cookie) as on_a:
        assert (await on_a.delete("/api/session")).status_code == 204
        assert (await on_a.get("/api/generations")).status_code == 401
    async with httpx.AsyncClient(base_url=b.url, timeout=30, cookies=cookie) as on_b:
        with trio.fail_after(SESSION_RECHECK + 5):
            for _ in range(100):  # another process's cache: nothing here to wait on
                if (await on_b.get("/api/generations")).status_code == 401:
                    break
                await trio.sleep(0.1)
            else:
                pytest.fail("B still takes the cookie signed out on A")


class _Counting:
    """A database of sessions in a dict that counts its look-ups; `hang` makes them hang."""

    def __init__(self) -> None:
        self.rows: dict[str, tuple[str | None, bool, float]] = {}
        self.gets = 0
        self.hang = False

    async def put(self, digest: str, user: str | None, admin: bool, expires_at: float) -> None:
        self.rows[digest] = (user, admin, expires_at)

    async def get(self, digest: str) -> tuple[str | None, bool, float] | None:
        self.gets += 1
        if self.hang:
            await trio.sleep_forever()
        return self.rows.get(digest)

    async def drop(self, digest: str) -> None:
        if self.hang:
            raise OSError("down")
        self.rows.pop(digest, None)


async def test_a_cookie_nobody_signed_in_with_is_looked_up_once_per_recheck() -> None:
    clock, shared = _Clock(), _Counting()
    store = SessionStore(clock)
    store.share(shared)
    for _ in range(5):
        await store.refresh("made-up")
    assert shared.gets == 1 and store.caller("made-up") is None
    clock.now += SESSION_RECHECK
    await store.refresh("made-up")
    assert shared.gets == 2


async def test_a_database_that_hangs_holds_a_request_at_most_the_lookup_timeout(
    autojump_clock: trio.testing.MockClock,
) -> None:
    clock, shared = _Clock(), _Counting()
    store = SessionStore(clock)
    store.share(shared)
    session = await store.sign_in(Caller(user="alice"))
    shared.hang = True
    clock.now += SESSION_RECHECK
    started = trio.current_time()
    await store.refresh(session)
    assert trio.current_time() - started == pytest.approx(SESSION_LOOKUP_TIMEOUT)
    assert store.caller(session) == Caller(user="alice")  # what is known here stands
    with pytest.raises(OSError):  # a sign-out the database refused…
        await store.sign_out(session)
    assert store.caller(session) == Caller(user="alice")  # …signs out nowhere, here neither
