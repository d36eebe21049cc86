"""The shape of `media/`: small modules, and every subpackage shipped by the wheel."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MEDIA = ROOT / "media"
# No library module past this many lines: one that grows past it holds more than one job.
MAX_MODULE_LINES = 500


@pytest.mark.parametrize("path", sorted(MEDIA.rglob("*.py")), ids=lambda path: path.name)
def test_media_modules_are_small(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{path.relative_to(ROOT)} has {lines} lines"


def test_every_package_is_listed_in_pyproject() -> None:
    """setuptools installs only the packages named: one left out is missing from the wheel."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for top in ("actors", "server", "media")
        for init in (ROOT / top).rglob("__init__.py")
    }
    assert found <= listed, sorted(found - listed)
