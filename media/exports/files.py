"""Writing an export where no reader sees half of it, and what slides and notes it is made of."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

    from videogen.media.models import Script

__all__ = ["atomic_path", "narrations"]


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary name beside `path` to write to; renamed onto `path` when the block ends
    without raising, removed when it raises (so a reader finds the whole file or none)."""
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    partial = Path(name)
    try:
        yield partial
        os.chmod(partial, 0o644)  # mkstemp makes it private; the export is an ordinary file
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def narrations(script: Script) -> dict[int, str]:
    """Each slide's narration by slide number (a slide without one narrates nothing)."""
    return {part.slide_number: part.narration_text for part in script.slide_scripts}
