"""Measuring text with the real fonts: font runs, advance widths and line metrics.

Raqm shapes Indic conjuncts and joined Arabic, so what is measured here is what is drawn.
"""

from __future__ import annotations

import functools
import math
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from videogen.media import fonts
from videogen.media.languages import LANGUAGES
from videogen.media.slides.wrap import cjk_tokens, clusters, greedy, word_tokens

if TYPE_CHECKING:
    from PIL import ImageFont

__all__ = ["Face", "shape"]


# Raqm advances are unhinted, so widths scale linearly with the size: text is measured once at
# this size and scaled, which keeps the size search free of font calls.
_REF_SIZE: Final = 100
_ELLIPSIS: Final = "…"


@dataclass(frozen=True, slots=True)
class _Run:
    text: str
    font: ImageFont.FreeTypeFont
    direction: str
    tag: str | None
    width: float


def _run_direction(text: str, index: int, rtl: bool) -> str:
    """Right-to-left for the script's own runs; fallback runs holding Latin letters go LTR."""
    if not rtl:
        return "ltr"
    if index > 0 and any(unicodedata.bidirectional(ch) == "L" for ch in text):
        return "ltr"
    return "rtl"


@functools.lru_cache(maxsize=4096)
def shape(text: str, language: str, bold: bool, size: int, rtl: bool) -> tuple[_Run, ...]:
    """`text` split into font runs, each with its direction and advance width at `size`."""
    chain = fonts.font_chain(language, bold=bold, size=size)
    tag = LANGUAGES[language].bcp47
    runs = []
    for piece, index in fonts.font_runs(text, language, bold=bold):
        direction = _run_direction(piece, index, rtl)
        run_tag = tag if index == 0 else None
        width = chain[index].getlength(piece, direction=direction, language=run_tag)
        runs.append(_Run(piece, chain[index], direction, run_tag, width))
    return tuple(runs)


@functools.lru_cache(maxsize=16384)
def _ref_width(text: str, language: str, bold: bool) -> float:
    rtl = LANGUAGES[language].rtl
    return sum(run.width for run in shape(text, language, bold, _REF_SIZE, rtl))


@functools.lru_cache(maxsize=64)
def _metrics_em(language: str, bold: bool) -> tuple[float, float]:
    """Ascent and descent of a line, in ems, over the whole font chain.

    Capped, because some fonts declare far more than their glyphs use (Noto Sans Arabic asks
    for 2.1 em per line); the caps still hold the tallest stacked marks we draw.
    """
    chain = fonts.font_chain(language, bold=bold, size=_REF_SIZE)
    ascent = max(font.getmetrics()[0] for font in chain) / _REF_SIZE
    descent = max(font.getmetrics()[1] for font in chain) / _REF_SIZE
    return min(ascent, 1.0), min(descent, 0.5)


@dataclass(frozen=True, slots=True)
class Face:
    """Text of one language, weight and size: measures, wraps and cuts it."""

    language: str
    bold: bool
    size: int

    @property
    def ascent(self) -> int:
        return math.ceil(_metrics_em(self.language, self.bold)[0] * self.size)

    @property
    def pitch(self) -> int:
        """Height of one line box."""
        ascent, descent = _metrics_em(self.language, self.bold)
        return math.ceil(ascent * self.size) + math.ceil(descent * self.size)

    def estimate(self, text: str) -> float:
        """Advance width at this size, scaled from the reference measurement."""
        return _ref_width(text, self.language, self.bold) * self.size / _REF_SIZE

    def exact(self, text: str, rtl: bool) -> int:
        """Advance width as drawn, in whole pixels."""
        runs = shape(text, self.language, self.bold, self.size, rtl)
        return math.ceil(sum(run.width for run in runs))

    def wrap(self, text: str, limit: float) -> list[str]:
        """Break `text` into lines no wider than `limit` pixels."""
        spaced = LANGUAGES[self.language].spaced
        tokens = word_tokens(text) if spaced else cjk_tokens(text)
        # Words are measured one by one and summed; a small allowance covers kerning across
        # the joins, so the exact width of a line never exceeds the limit.
        return greedy(tokens, self.estimate, limit * 0.985 - 1)

    def ellipsize(self, text: str, limit: float) -> str:
        """`text` cut at a cluster boundary so that it and an ellipsis fit in `limit`."""
        kept = clusters(text)
        while kept and self.estimate("".join(kept) + _ELLIPSIS) > limit * 0.985 - 1:
            kept.pop()
        return "".join(kept).rstrip() + _ELLIPSIS
