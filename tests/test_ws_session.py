"""The WebSocket `Session` alone: subscriptions, their bounds and a client that stops reading.

No socket and no app: a fake registry of real `Broadcast`s, an outbox the test reads (or leaves
unread), and virtual time, so every interleaving here is deterministic.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import trio
import trio.testing

from videogen.actors.errors import GenerationNotFound
from videogen.actors.runtime.broadcast import Broadcast, Subscription, Take
from videogen.actors.runtime.events import ProgressEvent
from videogen.actors.runtime.ownership import SYSTEM, Caller
from videogen.server.routes.ws import (
    MAX_SUBSCRIPTIONS,
    OUTBOX,
    SEND_WAIT,
    Outbox,
    Session,
    SlowSocket,
)

LOOKUP_SECONDS = 0.01  # what a store lookup costs the fake, in virtual time


def event(gid: str, seq: int, status: str = "generating_audio") -> ProgressEvent:
    return ProgressEvent(gid, seq, status, min(seq, 100), f"step {seq}", at=0.0)  # type: ignore[arg-type]


class HeldSubscription(Subscription):
    """A real subscription whose first `receive` is held, shielded, until `release` is set.

    That lets a test decide when a forwarder that was cancelled meanwhile gets to run its
    cleanup — the interleaving Trio's scheduler otherwise picks at random.
    """

    def __init__(self, broadcast: Broadcast, release: trio.Event | None) -> None:
        super().__init__(broadcast, 0)
        self._release = release
        self.closed = False

    async def receive(self, take: Take | None = None) -> ProgressEvent:
        if self._release is not None:
            release, self._release = self._release, None
            with trio.CancelScope(shield=True):
                await release.wait()
        return await super().receive(take)

    def close(self) -> None:
        self.closed = True
        super().close()


class FakeRegistry:
    """Generations by id, each a real `Broadcast`; records every subscription it hands out."""

    def __init__(self, *gids: str) -> None:
        self.broadcasts = {gid: Broadcast() for gid in gids}
        self.handed_out: list[HeldSubscription] = []
        self.hold_next: trio.Event | None = None
        self.lookups_in_flight = 0
        self.peak_lookups = 0

    async def subscribe(self, key: str, *, caller: Caller) -> Subscription:
        self.lookups_in_flight += 1
        self.peak_lookups = max(self.peak_lookups, self.lookups_in_flight)
        try:
            await trio.sleep(LOOKUP_SECONDS)
        finally:
            self.lookups_in_flight -= 1
        if key not in self.broadcasts:
            raise GenerationNotFound(key)
        subscription = HeldSubscription(self.broadcasts[key], self.hold_next)
        self.hold_next = None
        self.handed_out.append(subscription)
        return subscription

    async def cancel(self, gid: str, *, caller: Caller) -> ProgressEvent:
        raise GenerationNotFound(gid)


def drain(receive: trio.MemoryReceiveChannel[dict[str, Any]]) -> list[dict[str, Any]]:
    messages = []
    while True:
        try:
            messages.append(receive.receive_nowait())
        except trio.WouldBlock:
            return messages


def subscribe(gid: str) -> str:
    return json.dumps({"type": "subscribe", "generation_id": gid})


async def test_unsubscribe_then_subscribe_never_orphans_a_forwarder(
    autojump_clock: trio.testing.MockClock,
) -> None:
    registry = FakeRegistry("g")
    send, _receive = trio.open_memory_channel[dict[str, Any]](OUTBOX)
    async with trio.open_nursery() as nursery:
        session = Session(nursery, Outbox(send), registry, SYSTEM)
        registry.hold_next = release = trio.Event()
        await session.subscribe("g")  # forwarder A, held in its first receive
        first = registry.handed_out[-1]
        session.unsubscribe("g")  # A is cancelled, but cannot run its cleanup yet
        await session.subscribe("g")  # forwarder B now owns the key
        second = registry.handed_out[-1]
        release.set()  # A's cleanup runs only now, after B registered
        await trio.testing.wait_all_tasks_blocked()
        assert first.closed and not second.closed
        assert "g" in session.subscriptions  # A removed only its own entry, not B's
        session.unsubscribe("g")  # so B can still be unsubscribed
        await trio.testing.wait_all_tasks_blocked()
        assert second.closed
        assert session.subscriptions == {}
        nursery.cancel_scope.cancel()


async def test_a_followed_generation_ends_its_forwarder(
    autojump_clock: trio.testing.MockClock,
) -> None:
    registry = FakeRegistry("g")
    send, receive = trio.open_memory_channel[dict[str, Any]](OUTBOX)
    async with trio.open_nursery() as nursery:
        session = Session(nursery, Outbox(send), registry, SYSTEM)
        await session.handle(subscribe("g"))
        await session.handle(subscribe("g"))  # already followed: one forwarder
        assert len(registry.handed_out) == 1
        broadcast = registry.broadcasts["g"]
        broadcast.publish(event("g", 1))
        broadcast.publish(event("g", 2, "completed"))
        broadcast.close()
        await trio.testing.wait_all_tasks_blocked()
        assert [(m["type"], m["seq"]) for m in drain(receive)] == [("event", 1), ("event", 2)]
        assert session.subscriptions == {}
        await session.handle(subscribe("g"))  # finished: following again replays it
        await trio.testing.wait_all_tasks_blocked()
        assert [m["seq"] for m in drain(receive)] == [1, 2]
        nursery.cancel_scope.cancel()


async def test_subscriptions_per_socket_are_bounded(
    autojump_clock: trio.testing.MockClock,
) -> None:
    gids = [f"g{n}" for n in range(MAX_SUBSCRIPTIONS + 1)]
    registry = FakeRegistry(*gids)
    send, receive = trio.open_memory_channel[dict[str, Any]](OUTBOX)
    async with trio.open_nursery() as nursery:
        session = Session(nursery, Outbox(send), registry, SYSTEM)
        for gid in gids[:-1]:
            await session.handle(subscribe(gid))
        assert len(session.subscriptions) == MAX_SUBSCRIPTIONS
        await session.handle(subscribe(gids[-1]))
        (reply,) = drain(receive)
        assert reply["type"] == "error"
        assert f"at most {MAX_SUBSCRIPTIONS}" in reply["detail"] and gids[-1] in reply["detail"]
        assert len(registry.handed_out) == MAX_SUBSCRIPTIONS  # not even looked up
        # A generate at the limit is refused before anything is submitted.
        await session.handle(json.dumps({"type": "generate", "request": {"topic": "t"}}))
        assert "Too many subscriptions" in drain(receive)[0]["detail"]
        # Unsubscribing one makes room.
        await session.handle(json.dumps({"type": "unsubscribe", "generation_id": gids[0]}))
        await session.handle(subscribe(gids[-1]))
        assert gids[-1] in session.subscriptions and drain(receive) == []
        nursery.cancel_scope.cancel()


async def test_lookups_are_one_at_a_time_per_socket(
    autojump_clock: trio.testing.MockClock,
) -> None:
    """A burst of subscribes cannot queue thousands of store queries ahead of other clients."""
    registry = FakeRegistry()
    send, receive = trio.open_memory_channel[dict[str, Any]](OUTBOX)
    replies: list[dict[str, Any]] = []

    async def client_reads() -> None:
        async for message in receive:
            replies.append(message)

    async with trio.open_nursery() as nursery:
        nursery.start_soon(client_reads)
        session = Session(nursery, Outbox(send), registry, SYSTEM)
        for n in range(500):
            await session.handle(subscribe(f"nobody-{n}"))
        await trio.testing.wait_all_tasks_blocked()
        nursery.cancel_scope.cancel()
    assert registry.peak_lookups == 1
    assert [r["detail"] for r in replies] == [
        f"Generation ID not found: nobody-{n}" for n in range(500)
    ]


async def test_a_socket_that_stops_reading_is_closed_not_waited_on(
    autojump_clock: trio.testing.MockClock,
) -> None:
    registry = FakeRegistry("g", "h")
    send, receive = trio.open_memory_channel[dict[str, Any]](OUTBOX)  # never read
    started = trio.current_time()
    with pytest.RaisesGroup(SlowSocket):
        async with trio.open_nursery() as nursery:
            session = Session(nursery, Outbox(send), registry, SYSTEM)
            await session.subscribe("g")
            await session.subscribe("h")
            for seq in range(1, 3 * OUTBOX):
                for broadcast in registry.broadcasts.values():
                    broadcast.publish(event("g", seq))  # never waits on this socket
            await trio.sleep_forever()
    assert trio.current_time() - started == pytest.approx(2 * LOOKUP_SECONDS + SEND_WAIT)
    assert all(s.closed for s in registry.handed_out)  # the forwarders ended with the session
    assert len(drain(receive)) == OUTBOX  # what waited for the writer, and no more


async def test_the_reader_never_waits_on_a_full_outbox_forever(
    autojump_clock: trio.testing.MockClock,
) -> None:
    registry = FakeRegistry()
    send, _receive = trio.open_memory_channel[dict[str, Any]](OUTBOX)  # never read
    async with trio.open_nursery() as nursery:
        session = Session(nursery, Outbox(send), registry, SYSTEM)
        for n in range(OUTBOX):  # each answered with an error; the outbox is now full
            await session.handle(subscribe(f"nobody-{n}"))
        with trio.fail_after(2 * SEND_WAIT), pytest.raises(SlowSocket):
            await session.handle("not json")
        nursery.cancel_scope.cancel()


@pytest.mark.parametrize(
    "raw",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"type": "subscribe", "generation_id": ' + "1" * 5000 + "}",
        '{"type": "generate", "request": ' + "[" * 50 + "]" * 50 + "}",
        "{nope",
        "[1]",
        '"type"',
        "7",
        '{"kind": "subscribe"}',
        '{"type": ["subscribe"], "generation_id": "g"}',
        '{"type": "subscribe", "generation_id": 7}',
    ],
)
async def test_bad_messages_are_answered_with_an_error(
    autojump_clock: trio.testing.MockClock, raw: str
) -> None:
    registry = FakeRegistry("g")
    send, receive = trio.open_memory_channel[dict[str, Any]](OUTBOX)
    async with trio.open_nursery() as nursery:
        session = Session(nursery, Outbox(send), registry, SYSTEM)
        await session.handle(raw)
        (reply,) = drain(receive)
        assert reply["type"] == "error" and reply["detail"]
        await session.handle(subscribe("g"))  # and the session goes on
        assert "g" in session.subscriptions
        nursery.cancel_scope.cancel()
