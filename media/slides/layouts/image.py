"""An image slide: a source's picture with its caption, beside the slide's bullets.

In a wide body box the picture takes the end side (right in a left-to-right script) and the
bullets the start side; in a tall one the picture is on top and the bullets under it. The
picture is fitted into its room without distortion (its box has the picture's proportions,
centred; `media.slides.paint` scales the picture into it); the caption goes under it, fitted
by the same code as every label, and the bullets are labels too, one body item each, revealed
with the speech. Without bullets the picture and caption take the whole body box.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from videogen.media.slides.geometry import Box, Shape
from videogen.media.slides.layouts.common import Drawn, Label, fit_labels

if TYPE_CHECKING:
    from collections.abc import Sequence

    from videogen.media.slides.place import Frame
    from videogen.media.visuals import Visual

__all__ = ["draw_image", "fitted"]

# The share of a wide body box the picture's column takes, and of a tall one its row.
_PICTURE_SHARE: Final = 0.5
# The caption's share of the picture's room (its height), at most.
_CAPTION_SHARE: Final = 0.18
# A body box this much wider than tall puts the picture beside the bullets, not above them.
_WIDE: Final = 1.2


def fitted(width: int, height: int, room: Box) -> Box:
    """The largest box with the proportions `width` × `height` inside `room`, centred in it."""
    room_w, room_h = room.right - room.left, room.bottom - room.top
    if width <= 0 or height <= 0 or room_w <= 0 or room_h <= 0:
        return room
    scale = min(room_w / width, room_h / height)
    w, h = max(1, round(width * scale)), max(1, round(height * scale))
    left = room.left + (room_w - w) // 2
    top = room.top + (room_h - h) // 2
    return Box(left, top, left + w, top + h)


def _split(frame: Frame, area: Box, has_bullets: bool) -> tuple[Box, Box | None]:
    """The picture's room (with its caption) and the bullets' room (None without bullets)."""
    if not has_bullets:
        return area, None
    gap = frame.px(0.03)
    width, height = area.right - area.left, area.bottom - area.top
    if width > height * _WIDE:
        cut = round(width * _PICTURE_SHARE)
        if frame.language.rtl:  # the picture on the end side: the left in a right-to-left script
            return Box(area.left, area.top, area.left + cut - gap // 2, area.bottom), Box(
                area.left + cut + gap // 2, area.top, area.right, area.bottom
            )
        return Box(area.right - cut + gap // 2, area.top, area.right, area.bottom), Box(
            area.left, area.top, area.right - cut - gap // 2, area.bottom
        )
    cut = area.top + round(height * _PICTURE_SHARE)
    return Box(area.left, area.top, area.right, cut - gap // 2), Box(
        area.left, cut + gap // 2, area.right, area.bottom
    )


def draw_image(visual: Visual, bullets: Sequence[str], frame: Frame, area: Box) -> Drawn:
    """The picture of `visual` with its caption, and `bullets` beside it (see the module)."""
    room, text_room = _split(frame, area, bool(bullets))
    gap = frame.px(0.015)
    caption = visual.data.caption or visual.what
    caption_h = round((room.bottom - room.top) * _CAPTION_SHARE) if caption else 0
    picture_room = Box(room.left, room.top, room.right, room.bottom - caption_h - gap)
    box = fitted(visual.data.width, visual.data.height, picture_room)
    shapes = (Shape("picture", box, "track", None, picture=visual.data.picture),)
    labels: list[Label] = []
    if caption:
        caption_box = Box(room.left, box.bottom + gap, room.right, box.bottom + gap + caption_h)
        labels.append(Label(caption, caption_box, "muted", None, middle=False))
    lines, cut = fit_labels(labels, frame, 0.032)
    if text_room is None:
        return Drawn(tuple(lines), shapes, 0, cut)
    # One row per bullet, equal shares of the room: each is fitted at the size all share.
    step = (text_room.bottom - text_room.top) // len(bullets)
    rows = [
        Label(
            text,
            Box(
                text_room.left,
                text_room.top + i * step,
                text_room.right,
                text_room.top + (i + 1) * step,
            ),
            "body",
            i,
            centred=False,
        )
        for i, text in enumerate(bullets)
    ]
    body, cut_body = fit_labels(rows, frame, 0.045)
    return Drawn((*lines, *body), shapes, len(bullets), cut or cut_body)
