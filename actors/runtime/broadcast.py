"""Progress fan-out: one generation's events to any number of subscribers, never waiting on one.

The owner (the generation's supervisor, via `Generation.emit`) calls `publish`, which appends to
the in-memory log and `send_nowait`s into every subscriber's small bounded channel. A subscriber
whose channel is full is dropped on the spot; when it next reads, its `Subscription` notices and
resyncs from the log, so it loses nothing and slows no one. `close()` after the terminal event
ends every subscription once it has delivered the rest of the log.

A reader that is waiting with nothing buffered may lend `publish` a `Take`: `publish` then offers
the event to it right there, in the publisher's task, and puts it in the channel only when the
taker declines. One task delivers to every idle reader without waking any of them (the SSE route
writes the event straight to each socket this way); a reader that declines, or is busy, gets its
events through its channel as before, in order.
"""

from __future__ import annotations

import weakref
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeAlias

import trio

from videogen.actors.limits import SUBSCRIBER_BUFFER
from videogen.actors.runtime.events import ProgressEvent

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["Broadcast", "Subscription", "Take"]

Take: TypeAlias = Callable[[ProgressEvent], bool]
"""Delivers an event synchronously (no checkpoint) and says whether it did; False leaves the
event to the subscription's channel. Must not raise: it runs inside `publish`."""


class Broadcast:
    """The event log of one generation plus its live subscribers."""

    def __init__(self, history: Sequence[ProgressEvent] = ()) -> None:
        self._log: list[ProgressEvent] = list(history)
        # Each live channel, with the subscription reading it.
        self._subscribers: dict[trio.MemorySendChannel[ProgressEvent], Subscription] = {}
        # Subscriptions dropped for lagging that have not read since (they resync when they
        # do): still watching. Weak: one abandoned without `close` is not kept alive here.
        self._lagging: weakref.WeakSet[Subscription] = weakref.WeakSet()
        self.closed = False
        self.dropped = 0
        """How many times a subscriber fell behind and was dropped (a resync followed)."""

    @property
    def log(self) -> Sequence[ProgressEvent]:
        """Every event published so far, in `seq` order."""
        return self._log

    @property
    def watched(self) -> bool:
        """Whether any subscription is still attached, or was dropped for lagging and will
        resync (a draft's broadcast is kept only then)."""
        if len(self._lagging):
            return True
        return any(s.statistics().open_receive_channels for s in self._subscribers)

    def publish(self, event: ProgressEvent) -> None:
        """Log `event` and offer it to every subscriber without blocking.

        Raises `trio.ClosedResourceError` after `close()`.
        """
        if self.closed:
            raise trio.ClosedResourceError("the generation has ended")
        self._log.append(event)
        for send, subscription in list(self._subscribers.items()):
            take = subscription._take_directly
            if take is not None:
                # Armed only while the reader waits with nothing buffered: taken here, the event
                # is next in its order. Declined, it goes to the channel, and so does every
                # later one until the reader has caught up and waits again.
                subscription._take_directly = None
                if event.seq > subscription.last_seq and take(event):
                    subscription.last_seq = event.seq
                    subscription._take_directly = take
                    continue
            try:
                send.send_nowait(event)
            except (trio.WouldBlock, trio.BrokenResourceError):
                self._drop(send)

    def close(self) -> None:
        """No more events: end every subscription after what it has buffered."""
        self.closed = True
        for send in list(self._subscribers):
            self._drop(send, lagged=False)

    def _drop(self, send: trio.MemorySendChannel[ProgressEvent], *, lagged: bool = True) -> None:
        reader = self._subscribers.pop(send, None)
        send.close()
        self.dropped += lagged
        if lagged and reader is not None and reader._receive is not None:
            self._lagging.add(reader)

    def _attach(self, reader: Subscription) -> trio.MemoryReceiveChannel[ProgressEvent] | None:
        if self.closed:
            return None
        send, receive = trio.open_memory_channel[ProgressEvent](SUBSCRIBER_BUFFER)
        self._subscribers[send] = reader
        self._lagging.discard(reader)
        return receive

    def subscribe(self, after_seq: int = 0) -> Subscription:
        """A subscription replaying the log after `after_seq`, then following live events.

        An `after_seq` past the last event (a stale or made-up `Last-Event-ID`) is clamped to
        it, so a live generation's subscription follows whatever comes next; on a finished
        generation the subscription replays at least the last (terminal) event, so every stream
        ends by saying how the generation ended.
        """
        last = self._log[-1].seq if self._log else 0
        if self.closed:
            last -= 1
        return Subscription(self, max(min(after_seq, last), 0))


class Subscription:
    """One subscriber's events, in order, without gaps or repeats.

    `receive()` is cancel-safe (a cancelled call loses nothing), so a reader may wrap it in a
    timeout to interleave keep-alives. Use it as a context manager so its channel is released
    however the reader exits. Iterating with `async for` is the same as calling `receive()`.
    """

    def __init__(self, broadcast: Broadcast, after_seq: int) -> None:
        self._broadcast = broadcast
        self.last_seq = after_seq
        self.resyncs = 0
        self._receive: trio.MemoryReceiveChannel[ProgressEvent] | None = None
        self._backlog: deque[ProgressEvent] = deque()
        # Set only while `receive(take)` waits with the backlog and the channel empty.
        self._take_directly: Take | None = None
        self._resync()

    @property
    def generation_id(self) -> str | None:
        """The generation these events are of (the key it was asked by may be an alias); None
        before its first event."""
        log = self._broadcast.log
        return log[0].generation_id if log else None

    def __enter__(self) -> Subscription:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Detach from the broadcast; further `receive()` calls end the stream."""
        self._take_directly = None
        self._broadcast._lagging.discard(self)
        if self._receive is not None:
            self._receive.close()
            self._receive = None
        self._backlog.clear()

    def _resync(self) -> None:
        # Attaching and copying the log happen with no checkpoint between them, so no event can
        # fall between the replay and the live channel.
        if self._receive is not None:
            self._receive.close()
        self._receive = self._broadcast._attach(self)
        self._backlog = deque(e for e in self._broadcast.log if e.seq > self.last_seq)

    def _take(self, event: ProgressEvent) -> ProgressEvent:
        self.last_seq = event.seq
        return event

    def _channel_ended(self) -> None:
        """The live channel ended: either the stream is over, or we were dropped for lagging."""
        if self._broadcast.closed and self.last_seq >= self._last_logged():
            self.close()
            raise trio.EndOfChannel
        # Dropped for lagging behind: replay what was missed from the log.
        self.resyncs += 1
        self._resync()

    def receive_nowait(self) -> ProgressEvent:
        """The next event if one is ready. Raises `trio.WouldBlock`, or `trio.EndOfChannel`
        after the last one."""
        while True:
            if self._backlog:
                return self._take(self._backlog.popleft())
            if self._receive is None:
                raise trio.EndOfChannel
            try:
                event = self._receive.receive_nowait()
            except (trio.EndOfChannel, trio.ClosedResourceError):
                self._channel_ended()
                continue
            if event.seq > self.last_seq:
                return self._take(event)

    async def receive(self, take: Take | None = None) -> ProgressEvent:
        """The next event. Raises `trio.EndOfChannel` after the last one.

        With `take`, events published while this waits with nothing buffered are offered to
        `take` first, by the publisher; those it takes are not returned (`last_seq` moves on),
        so this may wait across many events and return only on one `take` declined.
        """
        while True:
            try:
                return self.receive_nowait()
            except trio.WouldBlock:
                pass
            assert self._receive is not None  # receive_nowait ends the stream otherwise
            # No checkpoint between finding everything empty and arming the taker.
            self._take_directly = take
            try:
                # Cancel-safe: a cancelled wait consumes nothing.
                event = await self._receive.receive()
            except (trio.EndOfChannel, trio.ClosedResourceError):
                self._channel_ended()
                continue
            finally:
                self._take_directly = None
            if event.seq > self.last_seq:
                return self._take(event)

    def __aiter__(self) -> Subscription:
        return self

    async def __anext__(self) -> ProgressEvent:
        try:
            return await self.receive()
        except trio.EndOfChannel:
            raise StopAsyncIteration from None

    def _last_logged(self) -> int:
        log = self._broadcast.log
        return log[-1].seq if log else 0
