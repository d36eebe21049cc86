"""A pictogram visual as an image: an OpenMoji emoji or a Lucide icon, whichever it names."""

from __future__ import annotations

from typing import TYPE_CHECKING

from videogen.media.pictograms import emoji_glyphs, icons

if TYPE_CHECKING:
    from PIL import Image

    from videogen.media.visuals import Visual

__all__ = ["PICTOGRAM_KINDS", "credit_of", "pictogram_image"]

PICTOGRAM_KINDS = frozenset({"emoji", "icon"})


def credit_of(kind: str) -> tuple[str, str]:
    """The (source, licence) a pictogram of `kind` ("emoji" or "icon") is credited with."""
    if kind == "icon":
        return icons.SOURCE, icons.LICENSE
    return emoji_glyphs.SOURCE, emoji_glyphs.LICENSE


def pictogram_image(visual: Visual, size: int, colour: str) -> Image.Image:
    """`visual` (kind "emoji" or "icon") drawn `size` px square; icons are stroked in `colour`
    ("#rrggbb"), emoji keep their own colours. Raises PictogramMissingError when it cannot be
    drawn, ValueError for another kind."""
    if visual.kind == "emoji":
        return emoji_glyphs.emoji_image(visual.what, size)
    if visual.kind == "icon":
        return icons.icon_image(visual.what, size, colour)
    raise ValueError(f"not a pictogram: {visual.kind!r}")
