"""Fan-out: many subscribers, a stalled one, replay and resume."""

from __future__ import annotations

import trio
import trio.testing

from videogen.actors.limits import SUBSCRIBER_BUFFER
from videogen.actors.runtime.broadcast import Broadcast
from videogen.actors.runtime.events import ProgressEvent


def event(seq: int, status: str = "generating_audio") -> ProgressEvent:
    return ProgressEvent("g-1", seq, status, min(seq, 100), f"step {seq}", at=0.0)  # type: ignore[arg-type]


async def test_thousand_subscribers_and_one_that_never_reads(
    autojump_clock: trio.testing.MockClock,
) -> None:
    broadcast = Broadcast()
    stalled = broadcast.subscribe()  # never read until the end
    received: list[list[int]] = []
    total = 3 * SUBSCRIBER_BUFFER

    async def reader(ready: trio.Event) -> None:
        seqs: list[int] = []
        with broadcast.subscribe() as events:
            ready.set()
            async for e in events:
                seqs.append(e.seq)
        received.append(seqs)

    async with trio.open_nursery() as nursery:
        for _ in range(1000):
            ready = trio.Event()
            nursery.start_soon(reader, ready)
            await ready.wait()
        for seq in range(1, total + 1):
            broadcast.publish(event(seq))  # never blocks, whoever lags
            await trio.sleep(0.001)
        broadcast.publish(event(total + 1, "completed"))
        broadcast.close()
    assert len(received) == 1000
    assert all(seqs == list(range(1, total + 2)) for seqs in received)
    # The stalled subscriber was dropped, not waited on; when it reads it gets everything.
    assert broadcast.dropped >= 1
    with stalled:
        assert [e.seq async for e in stalled] == list(range(1, total + 2))
    assert stalled.resyncs == 1


async def test_late_subscriber_gets_replay_then_live() -> None:
    broadcast = Broadcast()
    for seq in range(1, 4):
        broadcast.publish(event(seq))
    with broadcast.subscribe() as events:
        assert [(await events.receive()).seq for _ in range(3)] == [1, 2, 3]
        broadcast.publish(event(4))
        assert (await events.receive()).seq == 4


async def test_resume_after_last_event_id() -> None:
    broadcast = Broadcast()
    for seq in range(1, 6):
        broadcast.publish(event(seq))
    broadcast.close()
    with broadcast.subscribe(after_seq=3) as events:
        assert [e.seq async for e in events] == [4, 5]


async def test_receive_is_cancel_safe(autojump_clock: trio.testing.MockClock) -> None:
    broadcast = Broadcast()
    with broadcast.subscribe() as events:
        with trio.move_on_after(1):
            await events.receive()
        broadcast.publish(event(1))
        assert (await events.receive()).seq == 1


async def test_publish_after_close_is_refused() -> None:
    broadcast = Broadcast()
    broadcast.close()
    try:
        broadcast.publish(event(1))
    except trio.ClosedResourceError:
        pass
    else:
        raise AssertionError("publish after close must raise")


async def test_receive_nowait_drains_what_is_ready_then_would_block() -> None:
    broadcast = Broadcast()
    with broadcast.subscribe() as events:
        for seq in (1, 2):
            broadcast.publish(event(seq))
        assert [events.receive_nowait().seq, events.receive_nowait().seq] == [1, 2]
        try:
            events.receive_nowait()
        except trio.WouldBlock:
            pass
        else:
            raise AssertionError("nothing was ready")
        broadcast.publish(event(3, "completed"))
        broadcast.close()
        assert events.receive_nowait().seq == 3
        try:
            events.receive_nowait()
        except trio.EndOfChannel:
            pass
        else:
            raise AssertionError("the stream had ended")
