"""The `videogen generate` command, run as a user would run it."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from videogen.media.compose import mp4_layout

pytestmark = pytest.mark.slow

VIDEOGEN = str(Path(sys.executable).with_name("videogen"))


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [VIDEOGEN, *args], capture_output=True, text=True, timeout=timeout, check=False
    )


def test_generate_makes_a_video_and_prints_the_paths(tmp_path: Path) -> None:
    out = tmp_path / "water.mp4"
    done = run(
        "generate",
        "The water cycle",
        "--slides",
        "2",
        "-o",
        str(out),
        "--data-dir",
        str(tmp_path / "data"),
    )
    assert done.returncode == 0, done.stderr
    assert mp4_layout(out).faststart
    printed = dict(line.split(":", 1) for line in done.stdout.splitlines())
    assert Path(printed["video"].strip()) == out
    for key in ("content", "script", "subtitles"):
        assert Path(printed[key].strip()).is_file()
    assert "completed" in done.stderr  # the progress bar's last state


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--slides", "0"], "num_slides"),
        (["--language", "klingon"], "language"),
        (["--tone", "angry"], "tone"),
        (["--aspect", "4:3"], "aspect_ratio"),
    ],
)
def test_invalid_options_exit_2_with_one_clear_line(
    tmp_path: Path, args: list[str], field: str
) -> None:
    done = run("generate", "Topic", *args, "--data-dir", str(tmp_path))
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("videogen: invalid request: ")
    assert field in lines[0]


def test_ctrl_c_cancels_and_leaves_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    process = subprocess.Popen(
        [VIDEOGEN, "generate", "A long one", "--slides", "30", "--data-dir", str(data)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    generations = data / "generations"
    deadline = time.monotonic() + 30
    while not (generations.is_dir() and any(generations.iterdir())):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    time.sleep(0.5)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 1
    assert "cancelled" in err
    assert not any(generations.iterdir())
