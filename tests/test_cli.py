"""The `videogen generate` command, run as a user would run it."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from videogen.actors.runtime.run import DB_NAME
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


def _spoke_a_slide(db: Path) -> bool:
    """Whether the generation in `db` has spoken its first slide (an event after the speech
    stage's opening one): real work under way, most of it still to do. Read-only; the CLI is
    writing, so a missing or momentarily busy database is simply "not yet"."""
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.1)
    except sqlite3.Error:
        return False
    try:
        (count,) = conn.execute(
            "SELECT COUNT(*) FROM events WHERE status = 'generating_audio'"
        ).fetchone()
    except sqlite3.Error:  # not created or migrated yet, or busy
        return False
    finally:
        conn.close()
    return bool(count >= 2)


def test_ctrl_c_cancels_and_leaves_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    process = subprocess.Popen(
        [VIDEOGEN, "generate", "A long one", "--slides", "30", "--data-dir", str(data)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not _spoke_a_slide(data / DB_NAME):
            assert process.poll() is None, process.communicate()[1]
            assert time.monotonic() < deadline, "the generation never reached speech"
            time.sleep(0.05)  # a poll interval, not a guess at how long anything takes
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 1
    assert "cancelled" in err
    assert not any((data / "generations").iterdir())


def test_export_writes_the_deck_and_pdf_beside_the_video_and_prints_them(tmp_path: Path) -> None:
    from pptx import Presentation
    from pypdf import PdfReader

    done = run(
        "generate",
        "The water cycle",
        "--slides",
        "2",
        "--export",
        "pptx,pdf",
        "--data-dir",
        str(tmp_path / "data"),
    )
    assert done.returncode == 0, done.stderr
    printed = {
        k: Path(v.strip()) for k, v in (line.split(":", 1) for line in done.stdout.splitlines())
    }
    video, pptx, pdf = printed["video"], printed["pptx"], printed["pdf"]
    assert pptx.parent == pdf.parent == video.parent
    assert pptx.suffix == ".pptx" and pdf.suffix == ".pdf"
    assert len(Presentation(str(pptx)).slides) == 2
    assert len(PdfReader(pdf).pages) == 2
