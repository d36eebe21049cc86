"""Slide colour schemes and brand kits: the painter's `Theme`, made from a `media.brand` spec.

The built-in themes are data files (`media/data/themes/*.toml`); `THEME_STYLES` holds them as
`Theme`s, one per name in `media.models.THEMES`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Literal

from videogen.media.brand import BUILTIN_THEMES, ThemeSpec
from videogen.media.models import THEMES

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["THEME_STYLES", "Color", "Theme", "theme_for", "theme_from_spec"]

Color = tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class Theme:
    """A slide colour scheme: a vertical background gradient and the text and accent colours,
    and the brand kit's parts: title weight and scale, title-slide style, footer text and logo."""

    name: str
    background_top: Color
    background_bottom: Color
    accent: Color
    title: Color
    body: Color
    muted: Color
    track: Color  # the unfilled part of the progress strip
    title_bold: bool = True
    title_scale: float = 1.0
    title_style: Literal["centered", "left", "band"] = "centered"
    footer_text: str = ""
    footer_mode: Literal["replace", "join"] = "join"
    logo: Path | None = None

    def footer(self, topic: str) -> str:
        """What the content slides' footer shows for `topic`."""
        if not self.footer_text:
            return topic
        if self.footer_mode == "replace" or not topic.strip():
            return self.footer_text
        return f"{self.footer_text} · {topic}"


def _rgb(hex_colour: str) -> Color:
    value = int(hex_colour[1:], 16)
    return (value >> 16) & 255, (value >> 8) & 255, value & 255


@functools.lru_cache(maxsize=32)
def theme_from_spec(spec: ThemeSpec) -> Theme:
    """The painter's theme for a validated brand kit."""
    c = spec.colors
    return Theme(
        spec.name,
        _rgb(c.background_top),
        _rgb(c.background_bottom),
        _rgb(c.accent),
        _rgb(c.title),
        _rgb(c.body),
        _rgb(c.muted),
        _rgb(c.track),
        title_bold=spec.title.weight == "bold",
        title_scale=spec.title.scale,
        title_style=spec.title.style,
        footer_text=spec.footer.text,
        footer_mode=spec.footer.mode,
        logo=spec.logo,
    )


THEME_STYLES: Final[dict[str, Theme]] = {
    name: theme_from_spec(spec) for name, spec in BUILTIN_THEMES.items()
}


def theme_for(theme: str | ThemeSpec) -> Theme:
    """The theme called `theme`, or made from a brand kit.

    Raises:
        ValueError: `theme` is a name not in `media.models.THEMES`.
    """
    if isinstance(theme, ThemeSpec):
        return theme_from_spec(theme)
    style = THEME_STYLES.get(theme) if theme in THEMES else None
    if style is None:
        raise ValueError(f"unknown theme {theme!r}; allowed: {', '.join(THEMES)}")
    return style
