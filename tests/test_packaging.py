"""The wheel, built and installed the way a user gets it: one top-level package, `videogen`,
holding every module and data file of the four layers as real files (the project links
videogen/{actors,server,media} to the folders at its top), and a `python -m videogen` that runs
from the installed copy alone, outside the project."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path
from typing import Final

import pytest

pytestmark = pytest.mark.slow

ROOT: Final = Path(__file__).resolve().parent.parent
# What the build needs from the project: the metadata and the package with its layer folders.
SOURCES: Final = ("pyproject.toml", "README.md", "videogen", "actors", "server", "media")
_JUNK: Final = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "build")
# Building pulls setuptools into an isolated environment: ample on a loaded machine.
_BUILD_TIMEOUT: Final = 300


def _expected_files() -> set[str]:
    """Every file the wheel must hold, as its path inside the wheel."""
    expected = set()
    for layer in ("actors", "server", "media"):
        for path in (ROOT / layer).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                expected.add(f"videogen/{layer}/{path.relative_to(ROOT / layer).as_posix()}")
    for path in (ROOT / "videogen").rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            expected.add(path.relative_to(ROOT).as_posix())
    return expected


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built from a copy of the project (the build writes build/ and *.egg-info
    beside the sources; the copy keeps the links as links, as a checkout has them)."""
    work = tmp_path_factory.mktemp("packaging")
    source = work / "source"
    source.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, symlinks=True, ignore=_JUNK)
        else:
            shutil.copy2(ROOT / name, source / name)
    assert (source / "videogen" / "actors").is_symlink()
    dist = work / "dist"
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(dist), str(source)],
        capture_output=True,
        text=True,
        timeout=_BUILD_TIMEOUT,
        check=False,
    )
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    (found,) = dist.glob("videogen-*.whl")
    return found


def test_the_wheel_is_one_package_with_every_module_and_data_file(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        infos = archive.infolist()
        names = {i.filename for i in infos}
        (dist_info,) = {n.split("/")[0] for n in names if ".dist-info/" in n}
        top_level = archive.read(f"{dist_info}/top_level.txt").decode().split()
    assert {n.split("/")[0] for n in names} == {"videogen", dist_info}
    assert top_level == ["videogen"]
    files = {n for n in names if not n.startswith(dist_info)}
    assert files == _expected_files()
    for sample in (
        "videogen/actors/runtime/admission.py",
        "videogen/server/app.py",
        "videogen/media/worker.py",
        "videogen/cli/main.py",
        "videogen/__main__.py",
        "videogen/server/static/index.html",
        "videogen/media/data/phrases/english.toml",
    ):
        assert sample in files
    assert len([n for n in files if n.startswith("videogen/server/static/")]) >= 5
    assert len([n for n in files if n.endswith(".toml")]) >= 19
    # Real files, never links (a link's target would not exist in site-packages).
    for info in infos:
        mode = info.external_attr >> 16
        assert not stat.S_ISLNK(mode), info.filename


def test_the_installed_copy_runs_outside_the_project(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    pip = [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index"]
    installed = subprocess.run(
        [*pip, "--target", str(site), str(wheel)],
        capture_output=True,
        text=True,
        timeout=_BUILD_TIMEOUT,
        check=False,
    )
    assert installed.returncode == 0, installed.stderr[-3000:]
    # One package; beside it only its metadata and the `videogen` console script.
    assert sorted(p.name for p in site.iterdir() if not p.name.endswith(".dist-info")) == [
        "bin",
        "videogen",
    ]
    assert [p.name for p in (site / "bin").iterdir()] == ["videogen"]
    for layer in ("actors", "server", "media", "cli"):
        assert (site / "videogen" / layer).is_dir()
        assert not (site / "videogen" / layer).is_symlink()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # The installed copy first on the path; the project (and its editable install) must not be
    # what answers: the check below names the file each module came from.
    env = {**os.environ, "PYTHONPATH": str(site)}
    helped = subprocess.run(
        [sys.executable, "-m", "videogen", "--help"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert helped.returncode == 0, helped.stderr
    assert "generate" in helped.stdout and "serve" in helped.stdout
    check = textwrap.dedent(
        """
        import importlib
        import sys

        from videogen.media import phrases
        from videogen.media.languages import LANGUAGES
        from videogen.media.models import TONES
        from videogen.server.routes.static import STATIC_DIR

        site = sys.argv[1]
        for name in ("actors.runtime.admission", "cli.main", "media.phrases", "server.app"):
            module = importlib.import_module(f"videogen.{name}")
            assert module.__file__.startswith(site), module.__file__
        assert str(STATIC_DIR).startswith(site) and (STATIC_DIR / "index.html").is_file()
        for language in LANGUAGES:
            for tone in TONES:
                assert phrases.phrases(language, tone)  # read and checked from package data
        print("ok")
        """
    )
    checked = subprocess.run(
        [sys.executable, "-c", check, str(site.resolve())],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.strip() == "ok"
