"""Slide colour schemes: one `Theme` per name in `media.models.THEMES`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from videogen.media.models import THEMES

__all__ = ["THEME_STYLES", "Color", "Theme", "theme_for"]

Color = tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class Theme:
    """A slide colour scheme: a vertical background gradient and the text and accent colours."""

    name: str
    background_top: Color
    background_bottom: Color
    accent: Color
    title: Color
    body: Color
    muted: Color
    track: Color  # the unfilled part of the progress strip


THEME_STYLES: Final[dict[str, Theme]] = {
    "classic": Theme(
        "classic", (255, 255, 255), (238, 243, 250), (31, 95, 191),
        (15, 39, 71), (43, 58, 79), (107, 122, 144), (220, 228, 240),
    ),
    "midnight": Theme(
        "midnight", (15, 23, 42), (30, 41, 59), (56, 189, 248),
        (248, 250, 252), (203, 213, 225), (148, 163, 184), (51, 65, 85),
    ),
    "ocean": Theme(
        "ocean", (4, 59, 80), (9, 104, 128), (94, 234, 212),
        (255, 255, 255), (224, 242, 241), (156, 201, 212), (14, 90, 112),
    ),
    "sunset": Theme(
        "sunset", (255, 246, 236), (255, 226, 204), (228, 87, 46),
        (61, 31, 20), (90, 58, 46), (154, 116, 102), (246, 210, 188),
    ),
}  # fmt: skip


def theme_for(name: str) -> Theme:
    """The theme called `name`.

    Raises:
        ValueError: `name` is not one of `media.models.THEMES`.
    """
    theme = THEME_STYLES.get(name) if name in THEMES else None
    if theme is None:
        raise ValueError(f"unknown theme {name!r}; allowed: {', '.join(THEMES)}")
    return theme
