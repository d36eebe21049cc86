"""Races in the registry's runtime, each pinned by forcing its interleaving: a stream joining a
draft while it is rendered or cancelled, a draft follower that lagged, a cancel racing a start
that fails, a refused write at the terminal event, a render asked as the server shuts down,
and replicas closing connections that do not close. Each rule is the house's: one terminal
event per generation, seen by every stream; a slow subscriber is resynced, never lost; shields
have a time limit."""

from __future__ import annotations

import threading
import types
from typing import TYPE_CHECKING, Any

import pytest
import trio
import trio.testing

from tests.fakes import FakeMedia, request
from videogen.actors.errors import StoreBusy, StoreRejected
from videogen.actors.runtime import replicas as replicas_module
from videogen.actors.runtime.registry import Registry, RegistryConfig, run_registry

if TYPE_CHECKING:
    from pathlib import Path

    from tests.fakes import InlineStore
    from videogen.actors.adapters.writers import Progress
    from videogen.actors.runtime.events import ProgressEvent
    from videogen.actors.runtime.generation import Generation
    from videogen.media.knowledge.model import Grounding
    from videogen.media.models import Content, GenerationRequest


async def _parked(registry: Registry, gen: Generation) -> None:
    """Until the draft `gen`'s first run has ended: it waits for review, out of the
    registry's live generations."""
    await gen.finished.wait()
    await trio.testing.wait_all_tasks_blocked()
    assert registry.live(gen.id) is None
    assert (await registry.record(gen.id)).status == "awaiting_review"


async def _waiting_draft(
    registry: Registry, topic: str, gated_reads: int = 0
) -> tuple[Generation, list[trio.Event]]:
    """A draft of `topic` waiting for review, and gates on the next `gated_reads` reads."""
    gen = await registry.submit(request(topic, render=False))
    await _parked(registry, gen)  # nobody followed it: no broadcast kept
    return gen, _gate_reads(registry, gated_reads)


def _gate_reads(registry: Registry, count: int) -> list[trio.Event]:
    """The next `count` reads of a generation's events each wait for their own gate, in call
    order (later reads go straight through)."""
    store = registry.store
    read = store.events
    gates = [trio.Event() for _ in range(count)]
    calls = iter(gates)

    async def gated(gid: str, *, after_seq: int = 0) -> list[ProgressEvent]:
        gate = next(calls, None)
        if gate is not None:
            await gate.wait()
        return await read(gid, after_seq=after_seq)

    store.events = gated  # type: ignore[method-assign]
    return gates


async def _statuses(registry: Registry, gid: str, into: list[str]) -> None:
    with await registry.subscribe(gid) as events:
        async for event in events:
            into.append(event.status)


@pytest.mark.parametrize(("change", "end"), [("render", "completed"), ("cancel", "cancelled")])
async def test_a_stream_joining_a_draft_as_it_changes_follows_it_to_its_end(
    registry: Registry, autojump_clock: trio.testing.MockClock, change: str, end: str
) -> None:
    """The stream's read of the stored events returns first, while the render (or cancel),
    holding the draft's lock, still reads them: the stream must follow the change, and no
    later stream may be left on the draft's old events."""
    gen, gates = await _waiting_draft(registry, f"Raced {change}", 2)
    followed: list[str] = []
    async with trio.open_nursery() as nursery:
        nursery.start_soon(_statuses, registry, gen.id, followed)
        await trio.testing.wait_all_tasks_blocked()  # the stream reads the stored events...
        nursery.start_soon(getattr(registry, change), gen.id)
        await trio.testing.wait_all_tasks_blocked()  # ...and so does the render or cancel
        gates[0].set()  # the stream's read returns first
        await trio.testing.wait_all_tasks_blocked()
        gates[1].set()
        # The nursery ends once the stream has followed the change to its end.
        nursery.cancel_scope.deadline = trio.current_time() + 600
    assert not nursery.cancel_scope.cancelled_caught
    assert (await registry.record(gen.id)).status == end
    late: list[str] = []
    with trio.fail_after(5):
        await _statuses(registry, gen.id, late)
    assert (followed[-1], late[-1]) == (end, end), (followed, late)


class _ChattyWriter(FakeMedia):
    """A writer that reports its progress often (an LLM streaming its answer does)."""

    async def write_content(
        self,
        request: GenerationRequest,
        *,
        grounding: Grounding | None = None,
        progress: Progress | None = None,
    ) -> Content:
        for i in range(40):
            if progress is not None:
                await progress(i / 40, f"token {i}")
        return await super().write_content(request)


async def test_a_follower_of_a_draft_that_lagged_still_gets_its_render(
    tmp_path: Path, inline_store: InlineStore, autojump_clock: trio.testing.MockClock
) -> None:
    config = RegistryConfig(data_dir=tmp_path, max_running=2, max_queued=10)
    async with trio.open_nursery() as nursery:
        registry: Registry = await nursery.start(
            run_registry, inline_store, _ChattyWriter(), config
        )
        gen = await registry.submit(request("Slow follower", render=False))
        with await registry.subscribe(gen.id) as follower:
            # Busy while the draft is written: it falls behind and is dropped, to resync from
            # the log when it reads again.
            await _parked(registry, gen)
            assert gen.broadcast.dropped == 1
            seen: list[str] = []
            with trio.move_on_after(1):
                async for event in follower:
                    seen.append(event.status)
            assert seen[-1] == "awaiting_review"
            await registry.render(gen.id)
            with trio.fail_after(600):
                async for event in follower:
                    seen.append(event.status)
        assert seen[-1] == "completed", seen[-5:]
        await registry.shutdown()


async def test_a_cancel_racing_a_render_whose_queued_write_is_refused_returns(
    registry: Registry, autojump_clock: trio.testing.MockClock
) -> None:
    gen = await registry.submit(request("Refused render", render=False))
    await _parked(registry, gen)
    store = registry.store
    append = store.append
    refusing, refuse = trio.Event(), trio.Event()

    async def refused(event: ProgressEvent) -> None:  # the render's `queued` (the line is full)
        if event.status == "queued" and event.seq > 1:
            refusing.set()
            await refuse.wait()
            raise StoreBusy("the database has refused writes for too long", retry_after=1)
        await append(event)

    store.append = refused  # type: ignore[method-assign]
    outcome: list[object] = []

    async def render() -> None:
        with pytest.raises(StoreBusy):
            await registry.render(gen.id)
        outcome.append("refused")

    async def cancel() -> None:
        outcome.append((await registry.cancel(gen.id)).status)

    with trio.fail_after(60):
        async with trio.open_nursery() as nursery:
            nursery.start_soon(render)
            await refusing.wait()
            nursery.start_soon(cancel)  # cancelled as its render is being queued
            await trio.testing.wait_all_tasks_blocked()
            refuse.set()
    assert sorted(map(str, outcome)) == ["cancelled", "refused"]  # the draft was cancelled
    assert (await registry.record(gen.id)).status == "cancelled"


async def test_a_refused_error_detail_does_not_cost_the_terminal_event(
    registry: Registry, fake_media: FakeMedia, autojump_clock: trio.testing.MockClock
) -> None:
    fake_media.fail_at = "speak"
    store = registry.store
    set_artifacts = store.set_artifacts

    async def refusing(gid: str, **fields: str | None) -> None:
        if "error" in fields:
            raise StoreRejected("the database refused the error detail")
        await set_artifacts(gid, **fields)

    store.set_artifacts = refusing  # type: ignore[method-assign]
    gen = await registry.submit(request("Refused detail"))
    statuses: list[str] = []
    with trio.fail_after(600):
        await _statuses(registry, gen.id, statuses)
    assert statuses[-1] == "error" and statuses.count("error") == 1


async def test_a_refused_terminal_event_still_ends_every_stream(
    registry: Registry, fake_media: FakeMedia, autojump_clock: trio.testing.MockClock
) -> None:
    fake_media.fail_at = "speak"
    store = registry.store
    append = store.append

    async def refusing(event: ProgressEvent) -> None:
        if event.status == "error":
            raise StoreRejected("the database refused the terminal event")
        await append(event)

    store.append = refusing  # type: ignore[method-assign]
    gen = await registry.submit(request("Refused end"))
    statuses: list[str] = []
    with trio.fail_after(600):
        await _statuses(registry, gen.id, statuses)
    assert statuses[-1] == "error"  # told how it ended (the next start marks it interrupted)
    assert gen.status == "error"


async def test_a_render_asked_as_the_server_shuts_down_is_interrupted_not_lost(
    registry: Registry, autojump_clock: trio.testing.MockClock
) -> None:
    gen, gates = await _waiting_draft(registry, "Render at shutdown", 1)
    raised: list[BaseException] = []

    async def render() -> None:
        try:
            await registry.render(gen.id)
        except Exception as exc:  # what reached the request is the finding
            raised.append(exc)

    async with trio.open_nursery() as nursery:
        nursery.start_soon(render)
        await trio.testing.wait_all_tasks_blocked()  # its slot taken, reading the draft
        stopped = trio.Event()

        async def shutdown() -> None:
            await registry.shutdown()
            stopped.set()

        nursery.start_soon(shutdown)
        await trio.testing.wait_all_tasks_blocked()
        assert not stopped.is_set()  # a render starting is waited for...
        gates[0].set()
        with trio.fail_after(60):
            await stopped.wait()  # ...then interrupted
    assert raised == []
    assert registry.live(gen.id) is None and registry.admission.running == 0
    record = await registry.store.get(gen.id)
    assert record is not None and record.status == "interrupted"


async def test_replicas_stop_within_the_grace_when_a_connection_will_not_close(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def listen(url: str, stop: threading.Event, heard: Any, *, wait: float) -> None:
        stop.wait()  # no PostgreSQL: the listener only waits to be stopped

    monkeypatch.setattr(replicas_module, "listen", listen)
    monkeypatch.setattr(replicas_module, "STORE_CLOSE_GRACE", 0.2)
    hung = threading.Event()

    class Claims:
        replica = "r1"

        def renew_pins(self) -> None: ...

        def take_over(self, *args: object) -> list[str]:
            return []

        def next_expiry(self, *args: object) -> None:
            return None

        def close(self) -> None:  # a connection whose close hangs (a peer that went away)
            hung.wait(30)

    store = types.SimpleNamespace(path="postgresql://nowhere/db")
    replicas = replicas_module.Replicas(store, Claims(), lambda gid: None)  # type: ignore[arg-type]
    try:
        async with trio.open_nursery() as nursery:
            nursery.start_soon(replicas.run)
            await trio.sleep(0.3)
            with trio.fail_after(5):
                await replicas.stop()
            nursery.cancel_scope.cancel()
    finally:
        hung.set()
