"""The actor runtime on fake media, in virtual time: order, failure, cancel, fairness, shutdown."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
import trio
import trio.testing

from tests.fakes import FakeMedia, InlineStore, request
from videogen.actors.errors import AlreadyFinished, GenerationNotFound, QueueFull
from videogen.actors.runtime.events import ProgressEvent
from videogen.actors.runtime.registry import Registry, RegistryConfig, run_registry

if TYPE_CHECKING:
    from pathlib import Path


async def events_of(registry: Registry, gid: str, after: int = 0) -> list[ProgressEvent]:
    with await registry.subscribe(gid, after_seq=after) as events:
        return [e async for e in events]


async def test_stages_run_in_order_and_end_with_one_terminal(
    registry: Registry, autojump_clock: trio.testing.MockClock
) -> None:
    gen = await registry.submit(request())
    events = await events_of(registry, gen.id)
    statuses: list[str] = [e.status for e in events]
    assert statuses[:4] == ["queued", "started", "generating_content", "generating_scripts"]
    order = ["generating_audio", "combining_audio", "generating_media", "composing_video"]
    firsts = [statuses.index(s) for s in order]
    assert firsts == sorted(firsts)
    assert statuses[-1] == "completed"
    assert sum(e.terminal for e in events) == 1
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    progress = [e.progress for e in events]
    assert progress == sorted(progress) and progress[-1] == 100
    assert {"generating_animation", "generating_slide"} <= set(statuses)


async def test_a_failing_stage_ends_its_generation_alone(
    registry: Registry, fake_media: FakeMedia, autojump_clock: trio.testing.MockClock
) -> None:
    fake_media.fail_at = "draw"
    doomed = await registry.submit(request("Doomed"))
    events = await events_of(registry, doomed.id)
    terminal = [e for e in events if e.terminal]
    assert [e.status for e in terminal] == ["error"]
    assert terminal[0].message == "❌ Error: slides failed: draw broke on purpose"
    assert not doomed.directory.exists()  # partial files removed
    fake_media.fail_at = None
    fine = await registry.submit(request("Fine"))
    assert (await events_of(registry, fine.id))[-1].status == "completed"


async def test_failure_cancels_the_siblings_and_not_other_generations(
    inline_store: InlineStore,
    tmp_path: Path,
    nursery: trio.Nursery,
    autojump_clock: trio.testing.MockClock,
) -> None:
    # Drawing never ends on its own here: only speech's failure can stop it.
    media = FakeMedia(fail_at="speak", block_at="draw")
    config = RegistryConfig(data_dir=tmp_path, max_running=2, max_queued=10)
    registry: Registry = await nursery.start(run_registry, inline_store, media, config)
    doomed = await registry.submit(request("Doomed", num_slides=6))
    events = await events_of(registry, doomed.id)
    assert [e.status for e in events if e.terminal] == ["error"]
    assert "speech failed" in events[-1].message
    # Six speak calls and, beside them, six draws started together; the first failure
    # cancelled the other speak calls and the blocked draws; compose never started.
    assert media.running == 0
    assert media.calls.count("draw") == 6
    assert "encode" not in media.calls


@pytest.mark.parametrize("method", ["write_content", "write_script", "speak", "draw", "encode"])
async def test_cancel_at_every_stage(
    registry: Registry,
    fake_media: FakeMedia,
    method: str,
    autojump_clock: trio.testing.MockClock,
) -> None:
    fake_media.block_at = method
    gen = await registry.submit(request())
    await fake_media.reached.wait()
    asked = trio.current_time()
    terminal = await registry.cancel(gen.id)
    assert terminal.status == "cancelled"
    assert trio.current_time() - asked < 0.5
    assert fake_media.running == 0
    assert not gen.directory.exists()
    statuses = [e.status for e in await events_of(registry, gen.id)]
    assert statuses.count("cancelled") == 1 and statuses[-1] == "cancelled"
    with pytest.raises(AlreadyFinished):
        await registry.cancel(gen.id)


async def test_cancel_unknown_and_alias(
    registry: Registry, autojump_clock: trio.testing.MockClock
) -> None:
    with pytest.raises(GenerationNotFound):
        await registry.cancel("nope")
    gen = await registry.submit(request("Alias me"))
    with pytest.raises(GenerationNotFound):
        await registry.cancel(gen.alias)  # a guessable topic never cancels
    assert (await registry.record(gen.alias)).id == gen.id


async def test_a_stage_over_its_budget_fails_with_a_timeout(
    registry: Registry, fake_media: FakeMedia, autojump_clock: trio.testing.MockClock
) -> None:
    fake_media.block_at = "encode"
    gen = await registry.submit(request())
    events = await events_of(registry, gen.id)
    assert events[-1].status == "error"
    assert "compose failed: did not finish within 90 s" in events[-1].message


async def test_queue_bound_refuses_with_retry_after(
    inline_store: InlineStore,
    tmp_path: Path,
    nursery: trio.Nursery,
    autojump_clock: trio.testing.MockClock,
) -> None:
    config = RegistryConfig(data_dir=tmp_path, max_running=1, max_queued=2)
    registry: Registry = await nursery.start(run_registry, inline_store, FakeMedia(), config)
    for n in range(3):
        await registry.submit(request(f"t{n}"))
    assert (registry.running, registry.queued) == (1, 2)
    with pytest.raises(QueueFull) as refused:
        await registry.submit(request("one too many"))
    assert refused.value.retry_after > 0


async def test_round_robin_between_clients(
    inline_store: InlineStore,
    tmp_path: Path,
    nursery: trio.Nursery,
    autojump_clock: trio.testing.MockClock,
) -> None:
    config = RegistryConfig(data_dir=tmp_path, max_running=1, max_queued=50)
    registry: Registry = await nursery.start(run_registry, inline_store, FakeMedia(), config)
    greedy = [await registry.submit(request(f"g{n}"), client="greedy") for n in range(20)]
    modest = await registry.submit(request("m"), client="modest")
    started: list[str] = []

    async def watch(gid: str) -> None:
        with await registry.subscribe(gid) as events:
            async for event in events:
                if event.status == "started":
                    started.append(gid)

    async with trio.open_nursery() as watchers:
        for gen in [*greedy, modest]:
            watchers.start_soon(watch, gen.id)
    # The first greedy one was running already; the modest one goes right after it.
    assert started.index(modest.id) == 1


async def test_shutdown_gives_grace_then_interrupts(
    inline_store: InlineStore,
    tmp_path: Path,
    nursery: trio.Nursery,
    autojump_clock: trio.testing.MockClock,
) -> None:
    media = FakeMedia(cost=1.0)
    config = RegistryConfig(data_dir=tmp_path, max_running=1, max_queued=5, shutdown_grace=3)
    registry: Registry = await nursery.start(run_registry, inline_store, media, config)
    running = await registry.submit(request("slow", num_slides=10))
    queued = await registry.submit(request("waiting"))
    await registry.shutdown()
    assert (await events_of(registry, running.id))[-1].status == "interrupted"
    assert (await events_of(registry, queued.id))[-1].status == "interrupted"
    assert media.running == 0


async def test_shutdown_lets_a_quick_generation_finish(
    inline_store: InlineStore,
    tmp_path: Path,
    nursery: trio.Nursery,
    autojump_clock: trio.testing.MockClock,
) -> None:
    media = FakeMedia(cost=0.1)
    config = RegistryConfig(data_dir=tmp_path, max_running=1, max_queued=5, shutdown_grace=30)
    registry: Registry = await nursery.start(run_registry, inline_store, media, config)
    gen = await registry.submit(request("quick"))
    await registry.shutdown()
    assert (await events_of(registry, gen.id))[-1].status == "completed"


async def test_restart_marks_unfinished_interrupted(
    tmp_path: Path, autojump_clock: trio.testing.MockClock
) -> None:
    # What an abruptly killed process leaves: a generation with no terminal, partial files.
    store = await InlineStore.open_inline(tmp_path / "videogen.db")
    gid = "crash-abcdefgh"
    await store.insert(gid, alias="crash", client="x", topic="crash", request={"topic": "crash"})
    for seq, status in enumerate(["queued", "started", "generating_audio"], start=1):
        await store.append(ProgressEvent(gid, seq, status, seq * 10, status, at=0.0))  # type: ignore[arg-type]
    partial = tmp_path / "generations" / gid / "work"
    partial.mkdir(parents=True)
    (partial / "narration_01.wav").write_bytes(b"half")
    config = RegistryConfig(data_dir=tmp_path, max_running=1, max_queued=5)
    async with trio.open_nursery() as nursery:
        registry: Registry = await nursery.start(run_registry, store, FakeMedia(), config)
        events = await events_of(registry, gid)
        assert [e.status for e in events][-1] == "interrupted"
        assert events[-1].progress == 30 and events[-1].seq == 4
        assert sum(e.terminal for e in events) == 1
        assert not partial.parent.exists()
        assert (await registry.record(gid)).status == "interrupted"
        await registry.shutdown()
    await store.aclose()
