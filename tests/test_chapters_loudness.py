"""Chapters and loudness on real generations: espeak, Pillow and ffmpeg through the runtime.

`ffmpeg -i` lists the MP4's chapters (imageio-ffmpeg ships no ffprobe), and the `ebur128`
filter measures the finished file's audio: −16 LUFS ± 1 LU, true peak ≤ −1 dBTP.
"""

from __future__ import annotations

import re
import subprocess
from typing import TYPE_CHECKING

import pytest

from videogen.actors.runtime.registry import Registry, RegistryConfig
from videogen.actors.runtime.run import run_runtime
from videogen.media.chapters import chapters_for, youtube_chapters
from videogen.media.compose import ffmpeg_exe
from videogen.media.loudness import (
    TARGET_LUFS,
    TARGET_TRUE_PEAK,
    Loudness,
    ebur128_argv,
    parse_ebur128,
)
from videogen.media.models import Content, GenerationRequest, Script
from videogen.media.writer import OfflineWriter

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from pathlib import Path

    import trio

pytestmark = pytest.mark.slow

_CHAPTER = re.compile(
    r"Chapter #\d+:\d+: start (\d+\.\d+), end (\d+\.\d+)\s+Metadata:\s+title\s+: ([^\n]*)"
)


@pytest.fixture
async def real_registry(tmp_path: Path, nursery: trio.Nursery) -> AsyncIterator[Registry]:
    config = RegistryConfig(data_dir=tmp_path, max_running=1, max_queued=10)
    registry: Registry = await nursery.start(run_runtime, config, OfflineWriter())
    yield registry
    await registry.shutdown()


async def generate(registry: Registry, **fields: object) -> str:
    req = GenerationRequest.model_validate({"num_slides": 4, **fields})
    gen = await registry.submit(req)
    with await registry.subscribe(gen.id) as events:
        statuses = [e.status async for e in events]
    assert statuses[-1] == "completed", (await registry.record(gen.id)).error
    return gen.id


def listed_chapters(video: Path) -> list[tuple[float, float, str]]:
    """(start, end, title) of every chapter `ffmpeg -i` prints for `video`."""
    done = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", str(video)],
        capture_output=True,
        check=False,
        text=True,
    )
    return [(float(a), float(b), t.strip()) for a, b, t in _CHAPTER.findall(done.stderr)]


def measured(video: Path) -> Loudness:
    done = subprocess.run(
        ebur128_argv(video, ffmpeg=ffmpeg_exe()), capture_output=True, check=True, text=True
    )
    return parse_ebur128(done.stderr)


async def test_mp4_chapters_sidecars_and_loudness(real_registry: Registry) -> None:
    gid = await generate(real_registry, topic="The water cycle")
    record = await real_registry.record(gid)
    content = Content.model_validate(record.content)
    script = Script.model_validate(record.script)
    artifacts = real_registry.config.artifacts(gid)
    chapters = listed_chapters(artifacts.video)
    titles = [s.title for s in content.slides]
    assert [t for _, _, t in chapters] == titles
    for (start, end, _), entry in zip(chapters, script.slide_scripts, strict=True):
        assert start == pytest.approx(entry.start_time, abs=0.001)
        assert end == pytest.approx(entry.end_time, abs=0.001)
    track = await real_registry.chapters(gid)
    assert track.startswith("WEBVTT") and all(t in track for t in titles)
    # YouTube's list by its rules from the measured timings: a first slide near the 10 s
    # minimum may fold into the next, and fewer than three chapters give no list at all.
    youtube = await real_registry.chapters(gid, youtube=True)
    assert youtube == youtube_chapters(chapters_for(content, script))
    assert youtube == "" or youtube.startswith("0:00 ")
    loud = measured(artifacts.video)
    assert abs(loud.integrated - TARGET_LUFS) <= 1.0, loud
    assert loud.true_peak <= TARGET_TRUE_PEAK, loud
