"""Fakes for unit tests of the actors: media whose work is `await trio.sleep(cost)`, and a store
that runs its (real SQLite) statements on the Trio thread so `autojump_clock` stays exact.
"""

from __future__ import annotations

import math
import shutil
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Self

import trio

from videogen.actors.adapters.storage import probe_data_dir
from videogen.actors.adapters.store import Store
from videogen.media.knowledge.model import NO_GROUNDING
from videogen.media.models import (
    Content,
    GenerationRequest,
    Script,
    Slide,
    SlideQuality,
    SlideScript,
)
from videogen.media.slides import SlideImages

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from pathlib import Path

    from videogen.actors.adapters.writers import Progress
    from videogen.media.knowledge.model import Grounding
    from videogen.media.models import MusicSpec
    from videogen.media.timeline import Cue


class InlineStore(Store):
    """The real store, minus the worker thread (`Store.open(..., inline=True)`): statements run
    on the Trio thread after a checkpoint, so `autojump_clock` stays exact."""

    @classmethod
    async def open_inline(cls, path: Path) -> Self:
        return await cls.open(path, inline=True)


STAGE_OF_METHOD = {
    "write_content": "writer",
    "write_script": "scripts",
    "speak": "speech",
    "combine": "speech",
    "draw": "slides",
    "encode": "compose",
}


@dataclass
class FakeMedia:
    """`MediaPort` with costs in (virtual) seconds; can fail or block at any method."""

    cost: float = 1.0
    fail_at: str | None = None
    block_at: str | None = None
    writer_name: str = "fake"
    reached: trio.Event = field(default_factory=trio.Event)
    calls: list[str] = field(default_factory=list)
    # How many slides each `encode_audio` call was given.
    audio_encoded: list[int] = field(default_factory=list)
    running: int = 0
    peak_running: int = 0

    async def _work(self, method: str, cost: float | None = None) -> None:
        self.calls.append(method)
        self.running += 1
        self.peak_running = max(self.peak_running, self.running)
        try:
            if method == self.block_at:
                self.reached.set()
                await trio.sleep(math.inf)
            await trio.sleep(self.cost if cost is None else cost)
            if method == self.fail_at:
                raise RuntimeError(f"{method} broke on purpose")
        finally:
            self.running -= 1

    async def check_speech(self) -> float:
        return 1.0

    async def save_text(self, path: Path, text: str) -> None:
        await trio.lowlevel.checkpoint()
        path.write_text(text, encoding="utf-8")  # noqa: ASYNC240  (inline keeps virtual time exact)

    async def remove_tree(self, path: Path) -> None:
        await trio.lowlevel.checkpoint()
        shutil.rmtree(path, ignore_errors=True)

    async def check_storage(self, data_dir: Path, min_free: int) -> str | None:
        await trio.lowlevel.checkpoint()
        return probe_data_dir(data_dir, min_free)  # the real probe, inline: exact virtual time

    def knowledge_sources(self) -> list[dict[str, object]]:
        return []

    async def ground(self, request: GenerationRequest) -> Grounding:
        await trio.lowlevel.checkpoint()
        return NO_GROUNDING

    async def write_content(
        self,
        request: GenerationRequest,
        *,
        grounding: Grounding = NO_GROUNDING,
        progress: Progress | None = None,
    ) -> Content:
        await self._work("write_content")
        slides = tuple(
            Slide(
                slide_number=n,
                title=f"{request.topic} {n}",
                content_text=f"- point a {n}\n- point b {n}",
                bullets=(f"point a {n}", f"point b {n}"),
                needs_animation=n > 1,
                duration=5.0,
            )
            for n in range(1, request.slide_count + 1)
        )
        return Content(topic=request.topic, total_slides=len(slides), slides=slides)

    async def write_script(
        self,
        request: GenerationRequest,
        content: Content,
        *,
        grounding: Grounding = NO_GROUNDING,
        progress: Progress | None = None,
    ) -> Script:
        await self._work("write_script")
        scripts = tuple(
            SlideScript(
                slide_number=s.slide_number,
                start_time=5.0 * i,
                end_time=5.0 * (i + 1),
                narration_text=f"Slide {s.slide_number} says one thing. Then another.",
            )
            for i, s in enumerate(content.slides)
        )
        return Script(
            topic=request.topic,
            total_duration=5.0 * len(scripts),
            language=request.language,
            slide_scripts=scripts,
        )

    async def speak(self, text: str, *, voice: str, rate: int, out_path: Path) -> float:
        await self._work("speak")
        if out_path.parent.is_dir():  # a file to cache, when the stage has an artifact cache
            out_path.write_bytes(text.encode())  # noqa: ASYNC240  (inline: exact virtual time)
        return 4.0

    async def combine(self, parts: Sequence[tuple[Path, float]], out_path: Path) -> float:
        await self._work("combine", 0.1)
        return sum(4.0 + pad for _, pad in parts)

    async def draw(
        self, slide: Slide, *, request: GenerationRequest, total: int, out_dir: Path, reveal: bool
    ) -> SlideImages:
        await self._work("draw")
        count = len(slide.bullets) if reveal else 1
        frames = tuple(
            out_dir / f"slide_{slide.slide_number:02d}_{j:02d}.png" for j in range(count)
        )
        if out_dir.is_dir():  # noqa: ASYNC240  (files to cache, with an artifact cache)
            for frame in frames:
                frame.write_bytes(slide.title.encode())
        # Nothing is drawn, so nothing is measured: a clean report stands in for the real one
        # (the real media's reports are checked in tests/test_pipeline_e2e.py).
        return SlideImages(slide.slide_number, frames, SlideQuality(ok=True))

    async def burn(
        self,
        entries: Sequence[tuple[Path, float]],
        cues: Sequence[Cue],
        *,
        language: str,
        out_dir: Path,
    ) -> list[tuple[Path, float]]:
        await self._work("burn", 0.1)
        return list(entries)

    async def encode(
        self,
        entries: Sequence[tuple[Path, float]],
        *,
        narration: Path,
        total_seconds: float,
        output: Path,
        on_progress: Callable[[float], None],
        metadata: Path | None = None,
        music: MusicSpec | None = None,
    ) -> None:
        for step in range(1, 5):
            await self._work("encode", self.cost / 4)
            on_progress(step / 4)
        output.write_bytes(bytes(range(256)) * 16)  # noqa: ASYNC240  (not an mp4: HTTP tests only)

    async def encode_segmented(
        self,
        slides: Sequence[Sequence[tuple[Path, float]]],
        *,
        narration: Path | None,
        total_seconds: float,
        output: Path,
        segments_dir: Path,
        on_progress: Callable[[float], None],
        metadata: Path | None = None,
    ) -> list[Path]:
        await self.encode(
            [e for s in slides for e in s],
            narration=output if narration is None else narration,
            total_seconds=total_seconds,
            output=output,
            on_progress=on_progress,
        )
        self.calls.append("encode_segmented")
        segments_dir.mkdir(parents=True, exist_ok=True)  # noqa: ASYNC240  (inline, as above)
        made = [segments_dir / f"segment_{i:03d}.mp4" for i in range(len(slides))]
        for path, slide in zip(made, slides, strict=True):
            path.write_bytes(repr(slide).encode())
        return made

    async def encode_segment(
        self, entries: Sequence[tuple[Path, float]], *, seconds: float, output: Path
    ) -> None:
        await self._work("encode_segment", self.cost / 4)
        output.write_bytes(repr(entries).encode())  # noqa: ASYNC240  (inline, as above)

    async def encode_audio(self, slides: Sequence[tuple[Path, float, Path]]) -> None:
        await self._work("encode_audio", self.cost / 4)
        self.audio_encoded.append(len(slides))
        for wav, seconds, output in slides:
            output.write_bytes(f"{wav.name} {seconds}".encode())

    async def join_audio(self, parts: Sequence[tuple[Path, float]], output: Path) -> None:
        await self._work("join_audio", 0.1)
        output.write_bytes(repr(parts).encode())  # noqa: ASYNC240  (as above)

    async def join(
        self,
        parts: Sequence[tuple[Path, float]],
        *,
        narration: Path,
        total_seconds: float,
        output: Path,
        on_progress: Callable[[float], None],
        metadata: Path | None = None,
        fresh: object = None,
    ) -> None:
        await self._work("join", self.cost / 4)
        on_progress(1.0)
        output.write_bytes(bytes(range(256)) * 16)  # noqa: ASYNC240  (as encode)


def request(topic: str = "The water cycle", **fields: Any) -> GenerationRequest:
    """A valid request with small defaults."""
    return GenerationRequest.model_validate({"topic": topic, "num_slides": 3, **fields})
