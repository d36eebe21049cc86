"""Fitting text into a box: the largest type size at which it wraps into the room given.

When nothing fits, lines are dropped from the end and the last one ends with an ellipsis.
"""

from __future__ import annotations

import functools
from dataclasses import KW_ONLY, dataclass, replace
from typing import TYPE_CHECKING

from videogen.media.slides.measure import Face

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

__all__ = ["Block", "Spec", "block_at", "fit", "fits_at", "largest"]


def largest(sizes: range, fits: Callable[[int], bool]) -> int | None:
    """The largest of the descending `sizes` that fits, or None.

    Bisection rather than trying every size: smaller type never needs more room, so the sizes
    that fit form a tail of the range.
    """
    low, high = 0, len(sizes)
    while low < high:
        middle = (low + high) // 2
        if fits(sizes[middle]):
            high = middle
        else:
            low = middle + 1
    return sizes[low] if low < len(sizes) else None


@dataclass(frozen=True, slots=True)
class Block:
    """Wrapped paragraphs at one size: the lines of each paragraph, and their total height."""

    face: Face
    paragraphs: tuple[tuple[str, ...], ...]
    gap: int

    @property
    def height(self) -> int:
        count = sum(len(lines) for lines in self.paragraphs)
        return count * self.face.pitch + self.gap * max(0, len(self.paragraphs) - 1)


def _wrap_block(texts: Sequence[str], face: Face, limit: float, gap: float) -> Block:
    paragraphs = tuple(tuple(face.wrap(text, limit)) for text in texts)
    return Block(face, paragraphs, round(gap * face.size))


@dataclass(frozen=True, slots=True)
class Spec:
    """What to fit: texts, the width they wrap to, the size range and the room they may use."""

    texts: tuple[str, ...]
    language: str
    _: KW_ONLY
    bold: bool
    sizes: range
    width: float
    height: int
    max_lines: int | None = None
    gap: float = 0.0
    indent: float = 0.0  # of the wrap width, in ems (room for bullet dots)


def block_at(spec: Spec, size: int) -> Block:
    face = Face(spec.language, spec.bold, size)
    return _wrap_block(spec.texts, face, spec.width - spec.indent * size, spec.gap)


def fits_at(spec: Spec, size: int) -> bool:
    block = block_at(spec, size)
    lines = sum(len(p) for p in block.paragraphs)
    return block.height <= spec.height and (spec.max_lines is None or lines <= spec.max_lines)


def fit(spec: Spec) -> tuple[Block, bool]:
    """The block at the largest size that fits, and whether it had to be truncated.

    Tries `max_lines` first, then any number of lines; when even the smallest size is too big,
    lines are dropped from the end and the last one kept ends with an ellipsis.
    """
    candidates = (spec,) if spec.max_lines is None else (spec, replace(spec, max_lines=None))
    for candidate in candidates:
        size = largest(candidate.sizes, functools.partial(fits_at, candidate))
        if size is not None:
            return block_at(candidate, size), False
    return _truncate(block_at(spec, spec.sizes[-1]), spec), True


def _truncate(block: Block, spec: Spec) -> Block:
    face = block.face
    kept: list[tuple[str, ...]] = []
    room = spec.height
    for lines in block.paragraphs:
        need = (block.gap if kept else 0) + len(lines) * face.pitch
        if need <= room:
            kept.append(lines)
            room -= need
            continue
        count = max(0, (room - (block.gap if kept else 0)) // face.pitch)
        if count:
            kept.append(lines[:count])
        break
    if not kept:
        return Block(face, (), block.gap)
    *head, last = kept
    limit = spec.width - spec.indent * face.size
    cut = face.ellipsize(last[-1], limit)
    return Block(face, (*head, (*last[:-1], cut)), block.gap)
