"""Burned-in subtitles: the frame timeline split at every cue boundary, each piece captioned.

The video stays one frame per change (variable frame rate): a caption appearing or leaving is
just one more image in the concat list, so burning subtitles in costs a few PNGs, not a
re-encode of every frame.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Final

from PIL import Image

from videogen.media.slides import draw_caption

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from videogen.media.timeline import Cue

__all__ = ["burn_subtitles"]

# Pieces shorter than this merge into their neighbour (they could not be seen anyway).
_MIN_PIECE: Final = 0.001


def _pieces(
    entries: Sequence[tuple[Path, float]], cues: Sequence[Cue]
) -> list[tuple[Path, str | None, float]]:
    """(image, caption or None, seconds) for every stretch where neither changes."""
    bounds: list[tuple[float, float, Path]] = []
    at = 0.0
    for image, seconds in entries:
        bounds.append((at, at + seconds, image))
        at += seconds
    cuts = sorted({0.0, at, *(c.start for c in cues), *(c.end for c in cues)})
    cuts = [t for t in cuts if 0.0 <= t <= at]
    pieces: list[tuple[Path, str | None, float]] = []
    for start, end in itertools.pairwise(cuts):
        middle = (start + end) / 2
        image = next(img for s, e, img in bounds if s <= middle < e)
        text = next((c.text for c in cues if c.start <= middle < c.end), None)
        if pieces and (pieces[-1][:2] == (image, text) or end - start < _MIN_PIECE):
            previous = pieces[-1]
            pieces[-1] = (previous[0], previous[1], previous[2] + end - start)
        else:
            pieces.append((image, text, end - start))
    return pieces


def burn_subtitles(
    entries: Sequence[tuple[Path, float]],
    cues: Sequence[Cue],
    *,
    language: str,
    out_dir: Path,
) -> list[tuple[Path, float]]:
    """The concat entries with each cue drawn onto the frames it is spoken over.

    Durations add up to the same total as `entries`. Captioned images are written to `out_dir`.
    """
    drawn: dict[tuple[Path, str], Path] = {}
    result: list[tuple[Path, float]] = []
    for image, text, seconds in _pieces(entries, cues):
        if text is None:
            result.append((image, seconds))
            continue
        key = (image, text)
        if key not in drawn:
            target = out_dir / f"caption_{len(drawn):03d}.png"
            with Image.open(image) as base:
                draw_caption(base, text, language=language).save(target, compress_level=1)
            drawn[key] = target
        result.append((drawn[key], seconds))
    return result
