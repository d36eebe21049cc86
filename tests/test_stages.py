"""The stage graph: typed stages, its two joints, speech beside slides, progress in order."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import trio
import trio.testing

from tests.fakes import FakeMedia, request
from videogen.actors.runtime.registry import Registry, RegistryConfig, run_registry
from videogen.actors.stages.base import HeldEvents
from videogen.actors.stages.channels import Joined, Tee
from videogen.media.models import QualityIssue, SlideQuality

if TYPE_CHECKING:
    from tests.fakes import InlineStore
    from videogen.actors.runtime.events import ProgressEvent, Status
    from videogen.media.slides import SlideImages

ROOT = Path(__file__).resolve().parent.parent


async def events_of(registry: Registry, gid: str) -> list[ProgressEvent]:
    with await registry.subscribe(gid) as events:
        return [e async for e in events]


# -- the joints -----------------------------------------------------------------------------


async def test_tee_sends_to_each_and_closes_all() -> None:
    a_send, a_recv = trio.open_memory_channel[int](1)
    b_send, b_recv = trio.open_memory_channel[int](1)
    tee = Tee(a_send, b_send)
    await tee.send(7)
    assert (a_recv.receive_nowait(), b_recv.receive_nowait()) == (7, 7)
    tee.close()
    for recv in (a_recv, b_recv):
        with pytest.raises(trio.EndOfChannel):
            await recv.receive()


async def test_joined_pairs_first_then_second(autojump_clock: trio.testing.MockClock) -> None:
    first_send, first_recv = trio.open_memory_channel[str](1)
    second_send, second_recv = trio.open_memory_channel[int](1)
    order: list[str] = []

    async def between() -> None:
        order.append("between")

    joined = Joined(first_recv, second_recv, between=between)
    async with trio.open_nursery() as nursery:

        async def produce() -> None:
            await second_send.send(2)  # the second side ready first: still waits for the first
            order.append("second sent")
            await trio.sleep(1)
            await first_send.send("one")

        nursery.start_soon(produce)
        assert await joined.receive() == ("one", 2)
    assert order == ["second sent", "between"]
    first_send.close()
    with pytest.raises(trio.EndOfChannel):
        await joined.receive()
    joined.close()
    with pytest.raises(trio.BrokenResourceError):
        await second_send.send(3)


async def test_held_events_keep_their_order(autojump_clock: trio.testing.MockClock) -> None:
    seen: list[str] = []

    async def emit(
        status: Status, progress: int, message: str, *, stage: str | None = None
    ) -> None:
        seen.append(message)
        await trio.sleep(1)  # a slow database: later reports arrive while this one is written

    held = HeldEvents(emit)
    await held("generating_media", 50, "a")
    await held("generating_slide", 60, "b")
    assert seen == []
    async with trio.open_nursery() as nursery:
        nursery.start_soon(held.release)
        await trio.sleep(0.5)  # "a" is being passed on
        await held("generating_slide", 70, "c")
    await held("generating_slide", 80, "d")  # released: straight through
    assert seen == ["a", "b", "c", "d"]


# -- speech beside slides -------------------------------------------------------------------


async def test_slides_draw_while_speech_speaks(
    registry: Registry, fake_media: FakeMedia, autojump_clock: trio.testing.MockClock
) -> None:
    started = trio.current_time()
    gen = await registry.submit(request())
    events = await events_of(registry, gen.id)
    assert events[-1].status == "completed"
    # Drawing started before the narration was joined; in order it would start after.
    assert fake_media.calls.index("draw") < fake_media.calls.index("combine")
    # writer 1 + scripts 1 + max(speech 1.1, slides 1) + compose 1 (in a line: 5.1 s).
    assert trio.current_time() - started == pytest.approx(4.1, abs=0.05)


@dataclass
class SlowAt(FakeMedia):
    """Fake media whose speech or drawing takes `slow_cost` seconds per slide."""

    slow: str = "speak"
    slow_cost: float = 3.0

    async def speak(self, text: str, *, voice: str, rate: int, out_path: Path) -> float:
        if self.slow == "speak":
            await trio.sleep(self.slow_cost)
        return await super().speak(text, voice=voice, rate=rate, out_path=out_path)

    async def draw(self, *args: object, **kwargs: object) -> SlideImages:
        if self.slow == "draw":
            await trio.sleep(self.slow_cost)
        return await super().draw(*args, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("slow", ["speak", "draw"])
async def test_progress_keeps_the_contract_order_whichever_branch_is_slower(
    inline_store: InlineStore,
    tmp_path: Path,
    nursery: trio.Nursery,
    slow: str,
    autojump_clock: trio.testing.MockClock,
) -> None:
    media = SlowAt(slow=slow)
    config = RegistryConfig(data_dir=tmp_path, max_running=2, max_queued=10)
    registry: Registry = await nursery.start(run_registry, inline_store, media, config)
    gen = await registry.submit(request(num_slides=4))
    events = await events_of(registry, gen.id)
    assert events[-1].status == "completed"
    stages = [e.stage for e in events if e.stage is not None]
    # Every event of a stage before the first of the next, in the contract's order.
    assert stages == sorted(stages, key=["writer", "scripts", "speech", "slides", "compose"].index)
    assert stages.count("slides") == 1 + 4
    progress = [e.progress for e in events]
    assert progress == sorted(progress)
    media_events = [e.progress for e in events if e.stage == "slides"]
    assert media_events[0] == 50 and media_events[-1] == 80


async def test_the_tree_names_the_current_stage(
    registry: Registry, fake_media: FakeMedia, autojump_clock: trio.testing.MockClock
) -> None:
    fake_media.block_at = "encode"
    gen = await registry.submit(request())
    await fake_media.reached.wait()
    tree: Any = registry.snapshot()  # what `GET /api/debug/actors` serves
    (node,) = tree["children"]
    assert node["stage"] == "compose"
    states = {c["name"]: c["state"] for c in node["children"]}
    assert states == {
        "writer": "done",
        "scripts": "done",
        "speech": "done",
        "slides": "done",
        "compose": "running",
    }
    await registry.cancel(gen.id)


# -- the wiring is type-checked -------------------------------------------------------------

_WIRING = """
    from __future__ import annotations
    import trio
    from videogen.actors.stages.base import StageDeps
    from videogen.actors.stages.messages import Drafted, Scripted, Spoken
    from videogen.actors.stages.speech import SPEECH

    async def right(
        n: trio.Nursery,
        recv: trio.MemoryReceiveChannel[Scripted],
        send: trio.MemorySendChannel[Spoken],
        deps: StageDeps,
    ) -> None:
        await SPEECH.start(n, recv, send, deps)

    async def wrong(
        n: trio.Nursery,
        recv: trio.MemoryReceiveChannel[Drafted],
        send: trio.MemorySendChannel[Spoken],
        deps: StageDeps,
    ) -> None:
        await SPEECH.start(n, recv, send, deps)  # line 22
"""


@pytest.mark.slow
def test_a_stage_wired_to_the_wrong_channel_does_not_type_check(tmp_path: Path) -> None:
    wiring = tmp_path / "wiring.py"
    wiring.write_text(textwrap.dedent(_WIRING))
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", str(wiring)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    errors = done.stdout.strip().splitlines()
    assert len(errors) == 1, done.stdout + done.stderr
    assert "wiring.py:22: error:" in errors[0]
    assert 'expected "Inbox[Scripted]"' in errors[0]


# -- the slides' quality reports ----------------------------------------------------------------


class Findings(FakeMedia):
    """Fake media whose second slide's report has two issues, as the real drawing reports them."""

    async def draw(self, *args: object, **kwargs: object) -> SlideImages:
        images = await super().draw(*args, **kwargs)  # type: ignore[arg-type]
        if images.slide_number != 2:
            return images
        issues = (
            QualityIssue(kind="tofu", detail="no glyph for U+10FFFD (body text)"),
            QualityIssue(kind="contrast", detail="muted text at 3.41:1, under AA 4.5:1"),
        )
        return replace(images, quality=SlideQuality(ok=False, issues=issues))


async def test_each_slides_quality_report_reaches_the_content_and_the_log(
    inline_store: InlineStore,
    tmp_path: Path,
    nursery: trio.Nursery,
    autojump_clock: trio.testing.MockClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    config = RegistryConfig(data_dir=tmp_path, max_running=2, max_queued=10)
    registry: Registry = await nursery.start(run_registry, inline_store, Findings(), config)
    gen = await registry.submit(request(num_slides=3))
    with caplog.at_level(logging.WARNING, logger="videogen.slides"):
        events = await events_of(registry, gen.id)
    assert events[-1].status == "completed"
    record = await registry.record(gen.id)
    assert record.content is not None
    reports = [slide["quality"] for slide in record.content["slides"]]
    assert reports[0] == reports[2] == {"ok": True, "issues": []}
    assert reports[1] == {
        "ok": False,
        "issues": [
            {"kind": "tofu", "detail": "no glyph for U+10FFFD (body text)"},
            {"kind": "contrast", "detail": "muted text at 3.41:1, under AA 4.5:1"},
        ],
    }
    warnings = [r.getMessage() for r in caplog.records if r.name == "videogen.slides"]
    assert warnings == [
        f"generation {gen.id} slide 2: tofu: no glyph for U+10FFFD (body text)",
        f"generation {gen.id} slide 2: contrast: muted text at 3.41:1, under AA 4.5:1",
    ]
