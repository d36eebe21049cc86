"""Room for a pictogram on a content slide: beside the body on landscape and square frames (the
text box narrowed, the picture on the end side), above it on portrait ones.

Pure geometry: `media.slides.layout` asks where the picture goes and how much room the text
keeps; `media.slides.paint` draws it. The picture never overlaps the text: the text is fitted
into what is left, with the same fitting code as without a picture.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Final

import emoji

from videogen.media.pictograms.errors import PictogramMissingError
from videogen.media.pictograms.icons import icon_names
from videogen.media.slides.geometry import Box, Picture

if TYPE_CHECKING:
    from videogen.media.models import Slide
    from videogen.media.slides.place import Frame

__all__ = ["PictureRoom", "pictogram_of", "picture_room", "placed"]

# The picture's side, at most, as a fraction of the short side: about 210 px at 720p, big
# enough to read from the back of a room, small enough to leave the text most of the width.
_SIDE: Final = 0.29
# At most this share of the body's width goes to a picture beside it.
_SHARE: Final = 0.3
# The gap between picture and text, as a fraction of the short side.
_GAP: Final = 0.04
# Portrait frames stack: the picture takes at most this share of the content's height.
_PORTRAIT_SHARE: Final = 0.22
# A picture smaller than this (fraction of the short side) does not read: none is drawn.
_MIN_SIDE: Final = 0.12


@dataclass(frozen=True, slots=True)
class PictureRoom:
    """Where the text goes when a picture is drawn: `text` is the area the body is fitted into
    (narrower, or shorter on portrait), `side` the picture's side in px, `above` whether it
    sits above the body (portrait) rather than beside it, `gap` the space between them."""

    text: Box
    side: int
    above: bool
    gap: int


def pictogram_of(slide: Slide) -> tuple[str, str] | None:
    """The (kind, what) of the slide's first pictogram visual that can be drawn (an emoji the
    emoji package knows, an icon Lucide has), or None: edited content may name anything, and
    no room is kept for a picture that would not be drawn."""
    for visual in slide.visuals:
        if visual.kind == "emoji" and visual.what in emoji.EMOJI_DATA:
            return visual.kind, visual.what
        if visual.kind == "icon" and _icon_exists(visual.what):
            return visual.kind, visual.what
    return None


def _icon_exists(name: str) -> bool:
    try:
        return name in icon_names()
    except PictogramMissingError:
        return False


def picture_room(frame: Frame, area: Box) -> PictureRoom | None:
    """How `area` (the content box under the title's top) is shared with a picture; None when
    the frame has no room for one that reads."""
    gap = frame.px(_GAP)
    width, height = area.right - area.left, area.bottom - area.top
    if frame.height > frame.width * 1.2:
        side = min(frame.px(_SIDE), round(height * _PORTRAIT_SHARE))
        if side < frame.px(_MIN_SIDE):
            return None
        return PictureRoom(replace(area, top=area.top + side + gap), side, True, gap)
    side = min(frame.px(_SIDE), round(width * _SHARE))
    if side < frame.px(_MIN_SIDE):
        return None
    if frame.language.rtl:
        text = replace(area, left=area.left + side + gap)
    else:
        text = replace(area, right=area.right - side - gap)
    return PictureRoom(text, side, False, gap)


def placed(
    room: PictureRoom, frame: Frame, area: Box, top: int, text_height: int, kind: str, what: str
) -> Picture:
    """The picture's box: beside the body (which starts at `top` and is `text_height` high),
    centred on it and on the end side, or, above the body, at `top` on the start side. Always
    inside `area`."""
    side = room.side
    rtl = frame.language.rtl
    if room.above:
        left = area.right - side if rtl else area.left
        y = top
    else:
        left = area.left if rtl else area.right - side
        y = top + max(0, (text_height - side) // 2)
    y = max(area.top, min(y, area.bottom - side))
    box = Box(left, y, left + side, y + side)
    return Picture(box, "emoji" if kind == "emoji" else "icon", what)
