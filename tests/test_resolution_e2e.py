"""1080p and 2160p videos through the real runtime (espeak, Pillow, ffmpeg, SQLite), and a user's
theme file through the real `videogen generate`."""

from __future__ import annotations

import subprocess
from typing import TYPE_CHECKING, Any

import numpy as np
import pytest
from PIL import Image

from tests.test_cli import run
from tests.test_pipeline_e2e import decoded_frames, expected_frame, finish, real_registry
from videogen.media.compose import ffmpeg_exe, mp4_layout
from videogen.media.models import Content, GenerationRequest, UserSlide

if TYPE_CHECKING:
    from pathlib import Path

    from videogen.actors.runtime.registry import Registry

pytestmark = pytest.mark.slow
__all__ = ["real_registry"]  # the fixture, shared with the pipeline tests


async def check_video(registry: Registry, gid: str, req: GenerationRequest, slides: int) -> None:
    """The file is a complete MP4 of the request's size whose frames are the slides drawn at it."""
    video = registry.config.generations_dir / gid / f"{gid}.mp4"
    assert mp4_layout(video).faststart
    content = Content.model_validate((await registry.record(gid)).content)
    decoded = decoded_frames(video, req.size)
    assert decoded[0][1].shape == (req.size[1], req.size[0], 3)
    first = expected_frame(content, 0, req)
    assert float(np.abs(decoded[0][1] - first).mean()) < 6.0
    assert len(content.slides) == slides


async def test_a_1080p_video(real_registry: Registry) -> None:
    req = GenerationRequest(topic="The water cycle", num_slides=2, resolution="1080p")
    assert req.size == (1920, 1080)
    gid = await finish(real_registry, req)
    await check_video(real_registry, gid, req, 2)


async def test_a_2160p_portrait_video_of_one_slide(real_registry: Registry) -> None:
    req = GenerationRequest(
        topic="Tides",
        resolution="2160p",
        aspect_ratio="9:16",
        slides=(UserSlide(title="Tides", narration="The moon pulls the sea."),),
    )
    assert req.size == (2160, 3840)
    gid = await finish(real_registry, req)
    await check_video(real_registry, gid, req, 1)


def first_frame(video: Path, size: tuple[int, int]) -> np.ndarray[Any, Any]:
    raw = ["-f", "rawvideo", "-pix_fmt", "rgb24", "-"]
    done = subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-i", str(video), "-frames:v", "1", *raw],
        capture_output=True,
        check=True,
    )
    return np.frombuffer(done.stdout, np.uint8).reshape(size[1], size[0], 3).astype(np.int16)


def test_theme_file_through_the_cli(tmp_path: Path) -> None:
    Image.new("RGB", (200, 100), (255, 0, 0)).save(tmp_path / "logo.png")
    theme = tmp_path / "brand.toml"
    theme.write_text(
        'name = "acme"\nlogo = "logo.png"\n[colors]\n'
        'background_top = "#000000"\nbackground_bottom = "#000000"\naccent = "#00ff00"\n'
        'title = "#ffffff"\nbody = "#ffffff"\nmuted = "#cccccc"\ntrack = "#333333"\n'
        '[title]\nstyle = "band"\n[footer]\ntext = "ACME"\n',
        encoding="utf-8",
    )
    out = tmp_path / "tides.mp4"
    done = run(
        "generate", "Tides", "--slides", "1", "--theme-file", str(theme), "-o", str(out),
        "--data-dir", str(tmp_path / "data"),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    frame = first_frame(out, (1280, 720))
    # The logo under the band (25 px): 17 px high and 34 wide, rows 31-47, ending at the safe
    # area's right edge (1226).
    logo = frame[33:46, 1194:1224]
    assert (np.abs(logo - (255, 0, 0)).max(axis=2) < 40).mean() > 0.9
    # The "band" title style: green bands along the top and bottom edges, black elsewhere.
    assert (np.abs(frame[5, 10:1270] - (0, 255, 0)).max(axis=1) < 40).all()
    assert (np.abs(frame[716, 10:1270] - (0, 255, 0)).max(axis=1) < 40).all()
    assert (np.abs(frame[360, 0:20]).max(axis=1) < 20).all()  # no side band


@pytest.mark.parametrize(
    ("body", "named"),
    [('[colors]\naccent = "blue"\n', "colors"), ("[colors", "not valid TOML")],
)
def test_an_invalid_theme_file_exits_2_naming_the_key(
    tmp_path: Path, body: str, named: str
) -> None:
    theme = tmp_path / "bad.toml"
    theme.write_text(body, encoding="utf-8")
    done = run("generate", "Tides", "--theme-file", str(theme), "--data-dir", str(tmp_path))
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("videogen: --theme-file: ")
    assert named in lines[0] and str(theme) in lines[0]


def test_resolution_through_the_cli_is_checked(tmp_path: Path) -> None:
    done = run("generate", "Tides", "--resolution", "480p", "--data-dir", str(tmp_path))
    assert done.returncode == 2
    assert "resolution" in done.stderr and "2160p" in done.stderr
