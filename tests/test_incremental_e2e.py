"""Incremental rendering through the real runtime: espeak, Pillow, ffmpeg, SQLite, the artifact
cache. A second render of the same deck reuses every slide; an edited narration redoes one; a
cancelled render leaves no partial artifact; a cache far too small still makes right videos."""

from __future__ import annotations

import subprocess
from typing import TYPE_CHECKING, Any

import pytest
import trio

from tests.processes import descendants
from tests.test_chapters_loudness import listed_chapters, measured
from videogen.actors.adapters.artifact_cache import CACHE_DIR
from videogen.actors.runtime.registry import Registry, RegistryConfig
from videogen.actors.runtime.run import DB_NAME, run_runtime
from videogen.actors.stages.compose import SEGMENT_FILE
from videogen.media import compose, segments
from videogen.media.loudness import TARGET_LUFS, TARGET_TRUE_PEAK
from videogen.media.models import GenerationRequest
from videogen.media.writer import OfflineWriter

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from pathlib import Path

pytestmark = pytest.mark.slow

NARRATIONS = (
    "Water evaporates from the sea.",
    "Vapour cools and forms clouds.",
    "Rain falls and rivers run back to the sea.",
)


def deck(narrations: tuple[str, ...] = NARRATIONS, **fields: Any) -> GenerationRequest:
    slides = [
        {"title": f"Step {n + 1}", "content_text": f"- point {n + 1}", "narration": text}
        for n, text in enumerate(narrations)
    ]
    return GenerationRequest.model_validate(
        {"topic": "The water cycle", "slides": slides, **fields}
    )


async def _start(nursery: trio.Nursery, data_dir: Path, cache_bytes: int) -> Registry:
    config = RegistryConfig(
        data_dir=data_dir, max_running=1, max_queued=10, cache_bytes=cache_bytes
    )
    registry: Registry = await nursery.start(run_runtime, config, OfflineWriter())
    return registry


@pytest.fixture
async def registry(tmp_path: Path, nursery: trio.Nursery) -> AsyncIterator[Registry]:
    registry = await _start(nursery, tmp_path, 2 * 1024**3)
    yield registry
    await registry.shutdown()


async def generate(registry: Registry, req: GenerationRequest) -> tuple[str, dict[str, Any]]:
    """Run one generation to completion; its id and the completed event's JSON."""
    gen = await registry.submit(req)
    with trio.fail_after(240):
        await gen.finished.wait()
    last = gen.broadcast.log[-1]
    assert last.status == "completed", (await registry.record(gen.id)).error
    return gen.id, last.to_json()


def _run(argv: list[str]) -> str:
    done = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


async def check_video(registry: Registry, gid: str) -> None:
    """The finished video decodes cleanly, lasts the script's total, changes slides where
    the measured script says (within the issue's 40 ms), has a chapter at every slide and its
    narration (joined from per-slide AAC) at the loudness target."""
    record = await registry.record(gid)
    assert record.script is not None
    video = registry.config.generations_dir / gid / f"{gid}.mp4"
    ffmpeg = compose.ffmpeg_exe()
    errors = _run(compose.decode_check_argv(video, ffmpeg=ffmpeg))
    total = record.script["total_duration"]
    compose.verify_video(video, expected_seconds=total, decode_errors=errors)
    frames = segments.parse_frame_times(_run(segments.frame_times_argv(video, ffmpeg=ffmpeg)))
    starts = [s["start_time"] for s in record.script["slide_scripts"][1:]]
    assert max(segments.boundary_errors(frames, starts)) <= segments.BOUNDARY_TOLERANCE
    chapters = listed_chapters(video)
    assert [start for start, _, _ in chapters[1:]] == pytest.approx(starts, abs=0.001)
    # Titles and ends too: the join writes the chapters in its own mux (no copy pass after it).
    ends = [s["end_time"] for s in record.script["slide_scripts"]]
    assert [end for _, end, _ in chapters] == pytest.approx(ends, abs=0.001)
    assert record.content is not None
    assert [t for _, _, t in chapters] == [s["title"] for s in record.content["slides"]]
    loud = measured(video)
    assert abs(loud.integrated - TARGET_LUFS) <= 1.0, loud
    assert loud.true_peak <= TARGET_TRUE_PEAK, loud


async def test_the_same_deck_again_reuses_every_slide(registry: Registry) -> None:
    first, done = await generate(registry, deck())
    assert done["reuse"]["slides_reused"] == 0
    assert done["reuse"]["slides_total"] == 3
    second, done = await generate(registry, deck())
    assert done["reuse"] == {
        "slides_reused": 3,
        "slides_total": 3,
        "speech_reused": 3,
        "frames_reused": 3,
        "segments_reused": 3,
    }
    assert "♻️ 3 of 3 slides from the cache" in done["message"]
    # Status (from the row) says the same; the first render's is kept as it was.
    assert (await registry.record(second)).reuse == done["reuse"]
    assert (await registry.record(first)).reuse["slides_reused"] == 0  # type: ignore[index]
    # Replayed after the fact, the completed event still carries it.
    replay = await registry.subscribe(second)
    events = [e async for e in replay]
    assert events[-1].to_json()["reuse"] == done["reuse"]
    await check_video(registry, first)
    await check_video(registry, second)


async def test_one_narration_changed_redoes_exactly_that_slide(registry: Registry) -> None:
    await generate(registry, deck())
    edited = (NARRATIONS[0], "Vapour rises, cools and gathers into clouds.", NARRATIONS[2])
    gid, done = await generate(registry, deck(edited))
    reuse = done["reuse"]
    assert reuse["slides_reused"] == 2
    assert reuse["speech_reused"] == 2
    # The frames do not depend on the narration; the segment does (its seconds changed).
    assert reuse["frames_reused"] == 3
    assert reuse["segments_reused"] == 2
    await check_video(registry, gid)


async def test_a_new_theme_redraws_every_slide_and_speaks_none(registry: Registry) -> None:
    await generate(registry, deck())
    gid, done = await generate(registry, deck(theme="midnight"))
    assert done["reuse"]["frames_reused"] == 0
    assert done["reuse"]["speech_reused"] == 3
    await check_video(registry, gid)


async def test_a_damaged_cached_segment_is_made_again_never_joined(
    registry: Registry, tmp_path: Path
) -> None:
    await generate(registry, deck())
    # One cached segment's bytes changed on disk after it was put (and verified).
    cached = sorted((tmp_path / CACHE_DIR / "segment").rglob(SEGMENT_FILE))
    assert len(cached) == 3
    damaged = min(cached, key=lambda p: p.stat().st_mtime)
    data = bytearray(damaged.read_bytes())
    data[len(data) // 2] ^= 0x01
    damaged.write_bytes(bytes(data))
    # The same deck again: the join verifies in proportion (the reused segments are not
    # decoded), so the damaged one must be found by its digest, dropped and made again.
    gid, done = await generate(registry, deck())
    assert done["reuse"]["segments_reused"] == 2
    assert damaged.read_bytes() != bytes(data)  # discarded, then made again
    await check_video(registry, gid)
    # The cache holds a whole, intact copy again.
    _, done = await generate(registry, deck())
    assert done["reuse"]["segments_reused"] == 3


def _encoders() -> list[tuple[int, str]]:
    return [(pid, cmd) for pid, cmd in descendants() if "ffmpeg" in cmd and "tee" in cmd]


def _artifact_dirs(data_dir: Path) -> set[tuple[str, str]]:
    root = data_dir / CACHE_DIR
    return {
        (kind.name, d.name)
        for kind in root.iterdir()
        if kind.name != "tmp"
        for shard in kind.iterdir()
        for d in shard.iterdir()
    }


async def test_a_render_cancelled_mid_encode_leaves_no_partial_artifact(
    tmp_path: Path, nursery: trio.Nursery
) -> None:
    registry = await _start(nursery, tmp_path, 2 * 1024**3)
    gen = await registry.submit(deck())
    events = await registry.subscribe(gen.id)
    with trio.fail_after(240):
        async for event in events:
            if event.status == "composing_video":
                break
        # The encode is running (an outside process: looked for, not awaited).
        while not _encoders():  # noqa: ASYNC110  (no event marks an outside process starting)
            await trio.sleep(0.01)
    cancelled = await registry.cancel(gen.id)
    # Terminated then killed, and reaped, before cancel returned.
    assert not _encoders()
    assert cancelled.status == "cancelled"
    rows = {(kind, key) for kind, key, _b, _u in await registry.cache.entries()}  # type: ignore[union-attr]
    # Nothing of the unverified video entered the cache; every row is a whole directory.
    assert not any(kind == "segment" for kind, _ in rows)
    assert rows == _artifact_dirs(tmp_path)
    assert not list((tmp_path / CACHE_DIR / "tmp").iterdir())
    await registry.shutdown()
    # A fresh start on the same data dir: the next render uses what is whole, and verifies.
    again = await _start(nursery, tmp_path, 2 * 1024**3)
    gid, done = await generate(again, deck())
    assert done["reuse"]["segments_reused"] == 0
    assert done["reuse"]["speech_reused"] == 3
    await check_video(again, gid)
    await again.shutdown()


async def test_a_cache_too_small_for_anything_still_makes_right_videos(
    tmp_path: Path, nursery: trio.Nursery
) -> None:
    registry = await _start(nursery, tmp_path, 1)
    for _ in range(2):
        gid, done = await generate(registry, deck())
        # Evicted as soon as each render let go of it: nothing to reuse, nothing left behind.
        assert done["reuse"]["slides_reused"] == 0
        await check_video(registry, gid)
        assert registry.cache is not None
        assert await registry.cache.total_bytes() <= 1
        assert _artifact_dirs(tmp_path) == set()
    await registry.shutdown()
    assert (tmp_path / DB_NAME).exists()


async def test_a_cache_size_of_zero_renders_everything_afresh_in_one_encode(
    tmp_path: Path, nursery: trio.Nursery
) -> None:
    registry = await _start(nursery, tmp_path, 0)
    assert registry.cache is None
    for _ in range(2):
        gid, done = await generate(registry, deck())
        assert "reuse" not in done
        assert (await registry.record(gid)).reuse is None
        await check_video(registry, gid)
    await registry.shutdown()
    assert not (tmp_path / CACHE_DIR).exists()
