"""The two joints of the stage graph: one output sent to two stages, two outputs joined for one.

    scripts ─ Tee ─┬─ speech ─┐
                   └─ slides ─┴─ Joined ─ compose

Both wrap bounded memory channels and own them: the stage handed a `Tee` or a `Joined` closes
every end inside it when it closes that one, so ownership stays one actor per end.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, TypeVar

import trio

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

__all__ = ["Joined", "Tee"]

T = TypeVar("T")
A = TypeVar("A")
B = TypeVar("B")


class Tee(trio.abc.SendChannel[T]):
    """Sends each value to every one of its channels, in order, waiting on each one's bound."""

    def __init__(self, *outs: trio.MemorySendChannel[T]) -> None:
        self._outs = outs

    async def send(self, value: T) -> None:
        """Raises `trio.BrokenResourceError` when a receiver has gone (its stage ended)."""
        for out in self._outs:
            await out.send(value)

    def close(self) -> None:
        """Close every channel (synchronous, like a memory channel's `close`)."""
        for out in self._outs:
            out.close()

    async def aclose(self) -> None:
        self.close()
        await trio.lowlevel.checkpoint()


class Joined(trio.abc.ReceiveChannel[tuple[A, B]], Generic[A, B]):
    """Receives one value from `first`, then one from `second`, and yields the pair.

    `between` runs once per pair, after the first value arrived and before waiting for the
    second: the supervisor releases the slides' held progress there, once the speech is done.
    Raises `trio.EndOfChannel` when either side closed without a value.
    """

    def __init__(
        self,
        first: trio.MemoryReceiveChannel[A],
        second: trio.MemoryReceiveChannel[B],
        *,
        between: Callable[[], Awaitable[object]],
    ) -> None:
        self._first = first
        self._second = second
        self._between = between

    async def receive(self) -> tuple[A, B]:
        a = await self._first.receive()
        await self._between()
        b = await self._second.receive()
        return a, b

    def close(self) -> None:
        """Close both channels (synchronous, like a memory channel's `close`)."""
        self._first.close()
        self._second.close()

    async def aclose(self) -> None:
        self.close()
        await trio.lowlevel.checkpoint()
