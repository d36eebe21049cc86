"""Admission: at most `max_running` generations at once, at most `max_queued` waiting, and the
free slots handed out round-robin between clients, so one client's twenty submissions never
starve another client's one.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import trio

from videogen.actors.errors import QueueFull, ShuttingDown

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

__all__ = ["Admission", "Ticket"]


@dataclass(eq=False)
class Ticket:
    """One generation's place in line; `granted` is set when it may run."""

    client: str
    granted: trio.Event = field(default_factory=trio.Event)


class Admission:
    """The fair limiter. Sync methods never checkpoint, so callers can reserve atomically."""

    def __init__(self, *, max_running: int, max_queued: int) -> None:
        if max_running < 1 or max_queued < 0:
            raise ValueError("max_running must be >= 1 and max_queued >= 0")
        self.max_running = max_running
        self.max_queued = max_queued
        self.running = 0
        self.closed = False
        # client -> its waiting tickets, in the order clients first queued.
        self._waiting: OrderedDict[str, deque[Ticket]] = OrderedDict()
        # client -> when it was last granted a slot; the least recently served goes next.
        self._served_at: dict[str, int] = {}
        self._grants = 0

    @property
    def queued(self) -> int:
        """Tickets waiting for a slot."""
        return sum(len(q) for q in self._waiting.values())

    def reserve(self, client: str) -> Ticket:
        """Take a place in line. Raises `QueueFull` or `ShuttingDown` (both `AdmissionRefused`)."""
        if self.closed:
            raise ShuttingDown("the server is shutting down", retry_after=5)
        ticket = Ticket(client)
        if self.running < self.max_running and not self._waiting:
            self._grant(ticket)
            return ticket
        if self.queued >= self.max_queued:
            raise QueueFull(f"{self.queued} generations are already waiting", retry_after=10)
        self._waiting.setdefault(client, deque()).append(ticket)
        return ticket

    def position(self, ticket: Ticket) -> int:
        """How many waiting tickets would be granted before this one (0 when granted)."""
        if ticket.granted.is_set():
            return 0
        queues = OrderedDict((c, deque(q)) for c, q in self._waiting.items())
        served = dict(self._served_at)
        ahead = 0
        while queues:
            client = self._next_client(queues, served)
            if queues[client].popleft() is ticket:
                return ahead
            if not queues[client]:
                del queues[client]
            served[client] = max(served.values(), default=0) + 1
            ahead += 1
        return ahead

    @staticmethod
    def _next_client(queues: OrderedDict[str, deque[Ticket]], served: dict[str, int]) -> str:
        # Least recently served first; among equals, whoever queued first.
        return min(queues, key=lambda client: served.get(client, -1))

    def _grant(self, ticket: Ticket) -> None:
        self._grants += 1
        self._served_at[ticket.client] = self._grants
        self.running += 1
        ticket.granted.set()

    def _grant_next(self) -> None:
        while self.running < self.max_running and self._waiting:
            client = self._next_client(self._waiting, self._served_at)
            queue = self._waiting[client]
            ticket = queue.popleft()
            if not queue:
                del self._waiting[client]
            self._grant(ticket)
        if not self._waiting and self.running == 0:
            self._served_at.clear()  # nobody waits: history no longer matters

    def release(self, ticket: Ticket) -> None:
        """Give back a granted slot, or leave the line if never granted."""
        if ticket.granted.is_set():
            self.running -= 1
        else:
            queue = self._waiting.get(ticket.client)
            if queue is not None and ticket in queue:
                queue.remove(ticket)
                if not queue:
                    del self._waiting[ticket.client]
        self._grant_next()

    @asynccontextmanager
    async def slot(self, ticket: Ticket) -> AsyncIterator[None]:
        """Wait until `ticket` is granted, hold the slot for the block, release it on any exit."""
        try:
            await ticket.granted.wait()
            yield
        finally:
            self.release(ticket)

    def close(self) -> None:
        """Refuse new reservations (server shutdown)."""
        self.closed = True
