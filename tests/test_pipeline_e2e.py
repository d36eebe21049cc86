"""A real 3-slide video through the real runtime: espeak via pyttsx3, Pillow, ffmpeg, SQLite."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pytest
import trio

from videogen.actors.adapters.knowledge import NOTES_ORIGIN
from videogen.actors.adapters.sources import TEXT_ORIGIN
from videogen.actors.runtime.registry import Registry, RegistryConfig
from videogen.actors.runtime.run import run_runtime
from videogen.media.compose import ffmpeg_exe, mp4_layout
from videogen.media.models import Content, GenerationRequest, SlideQuality
from videogen.media.slides import render_slide
from videogen.media.writer import OfflineWriter

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

pytestmark = pytest.mark.slow


@pytest.fixture
async def real_registry(tmp_path: Path, nursery: trio.Nursery) -> AsyncIterator[Registry]:
    config = RegistryConfig(data_dir=tmp_path, max_running=2, max_queued=10)
    registry: Registry = await nursery.start(run_runtime, config, OfflineWriter())
    yield registry
    await registry.shutdown()


def ffmpeg(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-nostdin", *args], capture_output=True, check=False
    )


def decoded_frames(video: Path, size: tuple[int, int]) -> list[tuple[float, np.ndarray[Any, Any]]]:
    """Every frame the file holds, with its presentation time (the video is variable-rate)."""
    done = ffmpeg(
        "-i",
        str(video),
        "-vf",
        "showinfo",
        "-fps_mode",
        "passthrough",
        "-f",
        "rawvideo",
        "-pix_fmt",
        "rgb24",
        "-",
    )
    assert done.returncode == 0, done.stderr.decode()[-500:]
    times = [float(t) for t in re.findall(r"pts_time:([0-9.]+)", done.stderr.decode())]
    width, height = size
    pixels = np.frombuffer(done.stdout, np.uint8).reshape(-1, height, width, 3).astype(np.int16)
    assert len(times) == len(pixels)
    return list(zip(times, pixels, strict=True))


def shown_at(frames: list[tuple[float, np.ndarray[Any, Any]]], t: float) -> np.ndarray[Any, Any]:
    """What a player displays at `t`: the last frame whose time has come."""
    return [image for at, image in frames if at <= t][-1]


def expected_frame(content: Content, index: int, req: GenerationRequest) -> np.ndarray[Any, Any]:
    slide = content.slides[index]
    reveal = slide.needs_animation and len(slide.bullets) >= 2
    image = render_slide(
        slide,
        topic=req.topic,
        total=len(content.slides),
        language=req.language,
        theme=req.theme,
        size=req.size,
        visible_bullets=1 if reveal else None,
    )
    return np.asarray(image.convert("RGB")).astype(np.int16)


async def finish(registry: Registry, req: GenerationRequest) -> str:
    gen = await registry.submit(req)
    with await registry.subscribe(gen.id) as events:
        statuses = [e.status async for e in events]
    assert statuses[-1] == "completed", (await registry.record(gen.id)).error
    return gen.id


async def test_three_slide_video_is_correct(real_registry: Registry) -> None:
    req = GenerationRequest(topic="The water cycle", num_slides=3)
    gid = await finish(real_registry, req)
    record = await real_registry.record(gid)
    folder = real_registry.config.generations_dir / gid
    video = folder / f"{gid}.mp4"
    content = Content.model_validate(record.content)
    # Each slide's quality report, measured on the real drawing, is in the content: clean.
    assert [slide.quality for slide in content.slides] == [SlideQuality(ok=True)] * 3
    script = record.script
    assert script is not None
    # Artifacts beside the video; the scratch space is gone.
    assert (
        json.loads((folder / "script.json").read_text())["total_duration"]
        == script["total_duration"]
    )
    assert (folder / f"{gid}.vtt").read_text().startswith("WEBVTT")
    assert not (folder / "work").exists()
    # Decodes cleanly, one video and one audio stream, faststart, exact duration.
    assert ffmpeg("-v", "error", "-i", str(video), "-f", "null", "-").stderr == b""
    probe = ffmpeg("-i", str(video)).stderr.decode()
    assert len(re.findall(r"Stream #0:\d.*Video:", probe)) == 1
    assert len(re.findall(r"Stream #0:\d.*Audio:", probe)) == 1
    layout = mp4_layout(video)
    assert layout.faststart
    assert abs(layout.duration - script["total_duration"]) <= 0.1
    # Just after each slide's start, the frame shown is that slide's own image.
    frames = [expected_frame(content, i, req) for i in range(3)]
    decoded = decoded_frames(video, req.size)
    for i, entry in enumerate(script["slide_scripts"]):
        shown = shown_at(decoded, entry["start_time"] + 0.1)
        errors = [float(np.abs(shown - f).mean()) for f in frames]
        assert errors.index(min(errors)) == i, errors
        assert errors[i] < 6.0, errors


async def test_burned_subtitles_and_none(real_registry: Registry) -> None:
    req = GenerationRequest(topic="Tides", num_slides=2, subtitles="burned", aspect_ratio="9:16")
    gid = await finish(real_registry, req)
    record = await real_registry.record(gid)
    content = Content.model_validate(record.content)
    video = real_registry.config.generations_dir / gid / f"{gid}.mp4"
    decoded = decoded_frames(video, req.size)
    # A captioned frame per cue, not one per slide: more frames than slides.
    assert len(decoded) > len(content.slides)
    plain = expected_frame(content, 0, req)
    captioned = shown_at(decoded, 0.5)
    height = req.size[1]
    top, bottom = captioned[: height // 2], captioned[int(height * 0.85) :]
    assert float(np.abs(top - plain[: height // 2]).mean()) < 6.0
    assert float(np.abs(bottom - plain[int(height * 0.85) :]).mean()) > 10.0
    # subtitles="none": no sidecar files and nothing stored.
    quiet = await finish(
        real_registry, GenerationRequest(topic="Quiet", num_slides=1, subtitles="none")
    )
    assert (await real_registry.record(quiet)).subtitles is None
    assert not (real_registry.config.generations_dir / quiet / f"{quiet}.vtt").exists()


@pytest.mark.parametrize(
    "stage_status",
    ["generating_content", "generating_audio", "generating_media", "composing_video"],
)
async def test_cancel_at_each_stage_leaves_no_process_or_file(
    real_registry: Registry, stage_status: str
) -> None:
    req = GenerationRequest(topic="A long talk about rivers", num_slides=30)
    gen = await real_registry.submit(req)
    with await real_registry.subscribe(gen.id) as events:
        async for event in events:
            if event.status == stage_status:
                break
    asked = trio.current_time()
    terminal = await real_registry.cancel(gen.id)
    assert terminal.status == "cancelled"
    assert trio.current_time() - asked < 2.0
    assert not gen.directory.exists()
    assert not [p for p in _descendants() if "ffmpeg" in _cmdline(p)]


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _descendants() -> list[int]:
    me, found = os.getpid(), []
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    frontier = [me]
    while frontier:
        pid = frontier.pop()
        kids = [p for p, pp in parents.items() if pp == pid]
        found.extend(kids)
        frontier.extend(kids)
    return found


async def test_grounded_generation_reports_its_sources_and_checks_itself(
    real_registry: Registry,
) -> None:
    gen = await real_registry.submit(GenerationRequest(topic="Volcanoes", num_slides=4))
    with await real_registry.subscribe(gen.id) as events:
        seen = [e async for e in events]
    assert seen[-1].status == "completed"
    found = [e for e in seen if e.message.startswith("📚")]
    assert len(found) == 1 and "Found 'Volcano'" in found[0].message
    assert found[0].status == "generating_content"
    record = await real_registry.record(gen.id)
    content = Content.model_validate(record.content)
    assert content.grounded and content.sources[0].title == "Volcano"
    assert content.slides[0].layout == "title"
    assert content.slides[-1].layout == "sources"
    cited = {source for slide in content.slides for source in slide.sources}
    assert cited == {s.id for s in content.sources}
    faith = content.faithfulness
    assert faith is not None and faith.sentences == faith.supported + faith.unsupported > 4


async def test_a_text_source_and_knowledge_none(real_registry: Registry) -> None:
    notes = (
        "# Tides\n\nTides rise and fall about twice a day. The Moon's gravity pulls the oceans"
        " towards it. The Sun adds a smaller pull of its own. Spring tides come when both pull"
        " in line."
    )
    req = GenerationRequest.model_validate(
        {"topic": "Tides", "num_slides": 3, "sources": [{"type": "text", "text": notes}]}
    )
    record = await real_registry.record(await finish(real_registry, req))
    content = Content.model_validate(record.content)
    assert content.grounded and [s.origin for s in content.sources] == [TEXT_ORIGIN]
    assert [s.layout for s in content.slides] == ["title", "bullets", "sources"]
    # No source at all: an honest outline, and the stream said why.
    req = GenerationRequest(topic="Volcanoes", num_slides=3, knowledge="none")
    gen = await real_registry.submit(req)
    with await real_registry.subscribe(gen.id) as events:
        messages = [e.message async for e in events]
    assert any("Knowledge sources are off" in m for m in messages)
    record = await real_registry.record(gen.id)
    assert record.content is not None and record.content["grounded"] is False


async def test_notes_are_written_as_notes_and_cited(real_registry: Registry) -> None:
    notes = "# Welcome\n\n- Meet the team\n- Our tools\n\n# First week\n\n- Set up your laptop\n"
    req = GenerationRequest(topic="Team onboarding", num_slides=5, source_text=notes)
    record = await real_registry.record(await finish(real_registry, req))
    content = Content.model_validate(record.content)
    assert content.grounded and [s.origin for s in content.sources] == [NOTES_ORIGIN]
    # the notes deck's own shape (headings as titles, the notes' bullets as written)
    assert [s.title for s in content.slides[1:4]] == ["Welcome", "Welcome (2)", "First week"]
    assert content.slides[3].bullets == ("Set up your laptop",)
    assert all(s.sources == ("s1",) for s in content.slides[1:4])
    assert content.slides[0].sources == () and content.slides[-1].layout == "summary"
    faith = content.faithfulness
    assert faith is not None and faith.unsupported == 0 and faith.supported >= 3
