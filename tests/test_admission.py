"""`Admission` alone: the running and waiting bounds, fairness between clients (the least
recently served client goes next), the positions it reports, release on any exit (a cancel
included) and close."""

from __future__ import annotations

import pytest
import trio
import trio.testing

from videogen.actors.errors import AdmissionRefused, QueueFull, ShuttingDown
from videogen.actors.runtime.admission import Admission, Ticket


def granted(tickets: list[Ticket]) -> list[bool]:
    return [t.granted.is_set() for t in tickets]


def test_bounds_are_validated() -> None:
    with pytest.raises(ValueError, match="max_running must be >= 1"):
        Admission(max_running=0, max_queued=1)
    with pytest.raises(ValueError, match="max_queued >= 0"):
        Admission(max_running=1, max_queued=-1)


def test_at_most_max_running_are_granted_and_the_rest_wait() -> None:
    admission = Admission(max_running=2, max_queued=5)
    tickets = [admission.reserve("a") for _ in range(4)]
    assert granted(tickets) == [True, True, False, False]
    assert (admission.running, admission.queued) == (2, 2)
    admission.release(tickets[0])
    assert granted(tickets) == [True, True, True, False]
    assert (admission.running, admission.queued) == (2, 1)


def test_past_max_queued_a_reservation_is_refused_with_retry_after() -> None:
    admission = Admission(max_running=1, max_queued=2)
    admission.reserve("a")
    admission.reserve("a")
    admission.reserve("b")
    with pytest.raises(QueueFull, match="2 generations are already waiting") as refused:
        admission.reserve("c")
    assert isinstance(refused.value, AdmissionRefused)
    assert refused.value.retry_after == 10
    assert (admission.running, admission.queued) == (1, 2)  # the refusal took no place


def test_no_queue_means_refused_once_every_slot_runs() -> None:
    admission = Admission(max_running=1, max_queued=0)
    first = admission.reserve("a")
    with pytest.raises(QueueFull):
        admission.reserve("b")
    admission.release(first)
    assert admission.reserve("b").granted.is_set()


def test_slots_go_to_the_least_recently_served_client() -> None:
    admission = Admission(max_running=1, max_queued=10)
    order: list[str] = []
    names: dict[int, str] = {}
    tickets: list[Ticket] = []
    for client, n in (("a", 4), ("b", 2), ("c", 1)):
        for i in range(1, n + 1):
            ticket = admission.reserve(client)
            names[id(ticket)] = f"{client}{i}"
            tickets.append(ticket)
    running = tickets[0]
    order.append(names[id(running)])
    while admission.queued:
        admission.release(running)
        (running,) = [t for t in tickets if t.granted.is_set() and names[id(t)] not in order]
        order.append(names[id(running)])
    # a's twenty submissions never starve b's and c's: one each, round-robin.
    assert order == ["a1", "b1", "c1", "a2", "b2", "a3", "a4"]


def test_positions_predict_the_order_slots_are_granted_in() -> None:
    admission = Admission(max_running=2, max_queued=10)
    clients = ["a", "a", "a", "b", "a", "c", "b", "c", "a"]
    tickets = [admission.reserve(c) for c in clients]
    waiting = [t for t in tickets if not t.granted.is_set()]
    positions = [admission.position(t) for t in waiting]
    assert sorted(positions) == list(range(len(waiting)))  # each place once
    assert all(admission.position(t) == 0 for t in tickets if t.granted.is_set())
    predicted = [t for _, t in sorted(zip(positions, waiting, strict=True), key=lambda p: p[0])]
    grants: list[Ticket] = []
    running = [t for t in tickets if t.granted.is_set()]
    while running:
        admission.release(running.pop(0))
        for t in waiting:
            if t.granted.is_set() and t not in grants:
                grants.append(t)
                running.append(t)
    assert grants == predicted


def test_a_position_counts_down_as_the_line_moves() -> None:
    admission = Admission(max_running=1, max_queued=10)
    first = admission.reserve("a")
    others = [admission.reserve(c) for c in ("b", "c", "d")]
    assert [admission.position(t) for t in others] == [0, 1, 2]
    admission.release(first)
    assert [admission.position(t) for t in others] == [0, 0, 1]
    admission.release(others[1])  # c leaves the line before its turn: d moves up
    assert admission.position(others[2]) == 0
    assert admission.queued == 1


async def test_a_cancelled_wait_leaves_the_line_and_takes_no_slot() -> None:
    admission = Admission(max_running=1, max_queued=5)
    first = admission.reserve("a")
    waiter = admission.reserve("b")
    after = admission.reserve("c")
    with trio.move_on_after(1) as scope:
        async with admission.slot(waiter):
            pytest.fail("the slot was never granted")
    assert scope.cancelled_caught
    assert admission.queued == 1 and admission.position(after) == 0
    admission.release(first)
    assert after.granted.is_set() and not waiter.granted.is_set()
    assert admission.running == 1


async def test_a_cancel_while_running_gives_the_slot_to_the_next(
    autojump_clock: trio.testing.MockClock,
) -> None:
    admission = Admission(max_running=1, max_queued=5)
    first = admission.reserve("a")
    second = admission.reserve("b")
    inside = trio.Event()

    async def run(ticket: Ticket) -> None:
        async with admission.slot(ticket):
            inside.set()
            await trio.sleep_forever()

    async with trio.open_nursery() as nursery:
        nursery.start_soon(run, first)
        await inside.wait()
        assert not second.granted.is_set()
        nursery.cancel_scope.cancel()
    assert second.granted.is_set()
    assert (admission.running, admission.queued) == (1, 0)


async def test_the_slot_is_released_when_the_block_raises() -> None:
    admission = Admission(max_running=1, max_queued=5)
    first = admission.reserve("a")
    second = admission.reserve("b")
    with pytest.raises(RuntimeError, match="stage failed"):
        async with admission.slot(first):
            raise RuntimeError("stage failed")
    assert second.granted.is_set() and admission.running == 1


def test_close_refuses_new_reservations_but_serves_the_line() -> None:
    admission = Admission(max_running=1, max_queued=5)
    first = admission.reserve("a")
    waiting = admission.reserve("b")
    admission.close()
    with pytest.raises(ShuttingDown, match="shutting down") as refused:
        admission.reserve("c")
    assert refused.value.retry_after == 5
    admission.release(first)
    assert waiting.granted.is_set()  # already admitted: finishes (or is interrupted) normally
    admission.release(waiting)
    assert (admission.running, admission.queued) == (0, 0)
