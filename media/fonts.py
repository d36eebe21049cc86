"""Fonts for slide text: which file draws each language, and which characters it can draw.

The font follows the language's script (`media.languages`). Noto's per-script fonts carry only
their own script (NotoSansDevanagari has no Latin letters, NotoSansArabic no ASCII brackets), so
text is drawn with a short fallback chain: the script's font first, then the Latin fonts. That
keeps the English words and ASCII punctuation of real Hindi or Arabic text from turning into
tofu boxes. `font_runs` splits a string into the pieces each font of the chain draws.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from PIL import Image, ImageDraw, ImageFont

from videogen.media.languages import LANGUAGES

__all__ = [
    "FONT_FILES",
    "FontFile",
    "FontMissingError",
    "ScriptFonts",
    "font_available",
    "font_chain",
    "font_file",
    "font_for",
    "font_runs",
    "installed_fonts",
    "missing_glyphs",
    "mono_font",
]

_NOTO: Final = Path("/usr/share/fonts/truetype/noto")
_CJK: Final = Path("/usr/share/fonts/opentype/noto")
_DEJAVU: Final = Path("/usr/share/fonts/truetype/dejavu")
_CORE: Final = "fonts-noto-core"


class FontMissingError(ValueError):
    """No font file for a language's script is installed; the message names the package."""


@dataclass(frozen=True, slots=True)
class FontFile:
    """One face: a font file, and the face's index inside a collection (`.ttc`)."""

    path: Path
    index: int = 0


@dataclass(frozen=True, slots=True)
class ScriptFonts:
    """The faces for one script: `candidates` are (regular, bold) pairs, first existing wins."""

    label: str
    package: str
    candidates: tuple[tuple[FontFile, FontFile], ...]


def _noto(name: str) -> tuple[FontFile, FontFile]:
    regular, bold = (
        FontFile(_NOTO / f"NotoSans{name}-{weight}.ttf") for weight in ("Regular", "Bold")
    )
    return regular, bold


def _cjk(index: int) -> tuple[FontFile, FontFile]:
    # The collections hold JP, KR, SC, TC, HK in this order: the index picks the regional forms.
    regular, bold = (FontFile(_CJK / f"NotoSansCJK-{w}.ttc", index) for w in ("Regular", "Bold"))
    return regular, bold


_LATIN: Final = (
    _noto(""),
    (FontFile(_DEJAVU / "DejaVuSans.ttf"), FontFile(_DEJAVU / "DejaVuSans-Bold.ttf")),
)
_NASKH: Final = (
    FontFile(_NOTO / "NotoNaskhArabic-Regular.ttf"),
    FontFile(_NOTO / "NotoNaskhArabic-Bold.ttf"),
)

# Script (as named in `media.languages`) → its faces. Tests patch entries of this table.
FONT_FILES: Final[dict[str, ScriptFonts]] = {
    "latin": ScriptFonts("Latin", _CORE, _LATIN),
    "cyrillic": ScriptFonts("Cyrillic", _CORE, _LATIN),
    "devanagari": ScriptFonts("Devanagari", _CORE, (_noto("Devanagari"),)),
    "bengali": ScriptFonts("Bengali", _CORE, (_noto("Bengali"),)),
    "tamil": ScriptFonts("Tamil", _CORE, (_noto("Tamil"),)),
    "telugu": ScriptFonts("Telugu", _CORE, (_noto("Telugu"),)),
    "kannada": ScriptFonts("Kannada", _CORE, (_noto("Kannada"),)),
    "malayalam": ScriptFonts("Malayalam", _CORE, (_noto("Malayalam"),)),
    "gujarati": ScriptFonts("Gujarati", _CORE, (_noto("Gujarati"),)),
    "gurmukhi": ScriptFonts("Gurmukhi", _CORE, (_noto("Gurmukhi"),)),
    "oriya": ScriptFonts("Oriya", _CORE, (_noto("Oriya"),)),
    # Noto Sans Arabic matches the Latin sans of the other decks; Naskh is the fallback.
    "arabic": ScriptFonts("Arabic", _CORE, (_noto("Arabic"), _NASKH)),
    "han-sc": ScriptFonts("Simplified Chinese", "fonts-noto-cjk", (_cjk(2),)),
    "han-jp": ScriptFonts("Japanese", "fonts-noto-cjk", (_cjk(0),)),
}

# Code is drawn in a monospace face (columns line up); fonts-dejavu-core holds it.
_MONO: Final = FontFile(_DEJAVU / "DejaVuSansMono.ttf")

# A codepoint no font maps: its rendering is the font's .notdef (tofu) glyph.
_NOT_A_CHAR: Final = "\uffff"
_PROBE_SIZE: Final = 24


def _script_fonts(language: str) -> ScriptFonts:
    """The script entry for `language`.

    Raises:
        ValueError: the language is not in `LANGUAGES`.
        FontMissingError: its script has no entry in `FONT_FILES`.
    """
    lang = LANGUAGES.get(language)
    if lang is None:
        raise ValueError(f"unknown language {language!r}")
    entry = FONT_FILES.get(lang.script)
    if entry is None:
        raise FontMissingError(f"no font configured for {language} ({lang.script} script)")
    return entry


def font_file(language: str, *, bold: bool = False) -> FontFile:
    """The installed face that draws `language`'s script.

    Raises:
        ValueError: the language is unknown.
        FontMissingError: none of the script's font files exists.
    """
    entry = _script_fonts(language)
    for regular, heavy in entry.candidates:
        face = heavy if bold else regular
        if face.path.is_file():
            return face
    raise FontMissingError(
        f"no font for {language} ({entry.label} script): install the Debian package {entry.package}"
    )


def font_available(language: str) -> bool:
    """Whether both weights of `language`'s font are installed (False for unknown languages)."""
    try:
        font_file(language)
        font_file(language, bold=True)
    except ValueError:
        return False
    return True


def installed_fonts() -> dict[str, bool]:
    """`font_available` for every language, by name. Looks at every font file: a server calls
    it once, off its event loop, not per request."""
    return {name: font_available(name) for name in LANGUAGES}


@functools.lru_cache(maxsize=256)
def _load(face: FontFile, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(
        face.path, size, index=face.index, layout_engine=ImageFont.Layout.RAQM
    )


def font_for(language: str, *, bold: bool = False, size: int) -> ImageFont.FreeTypeFont:
    """The language's font at `size` pixels, shaped by raqm (loaded fonts are cached).

    Raises:
        ValueError: the language is unknown, or `size` is not positive.
        FontMissingError: the script's font is not installed.
    """
    if size <= 0:
        raise ValueError(f"font size must be positive, not {size}")
    return _load(font_file(language, bold=bold), size)


def mono_font(size: int) -> ImageFont.FreeTypeFont:
    """The monospace face code slides are drawn in, at `size` px.

    Raises:
        FontMissingError: DejaVu Sans Mono is not installed (package fonts-dejavu-core).
    """
    if not _MONO.path.exists():
        raise FontMissingError(f"no monospace font at {_MONO.path}: install fonts-dejavu-core")
    return _load(_MONO, size)


def _chain_files(language: str, bold: bool) -> tuple[FontFile, ...]:
    """The script's face, then every installed Latin face not already in the chain."""
    chain = [font_file(language, bold=bold)]
    for pair in _LATIN:
        face = pair[1] if bold else pair[0]
        if face not in chain and face.path.is_file():
            chain.append(face)
    return tuple(chain)


def font_chain(
    language: str, *, bold: bool = False, size: int
) -> tuple[ImageFont.FreeTypeFont, ...]:
    """The fonts `font_runs` indexes into: `language`'s own font first, then Latin fallbacks.

    Raises:
        ValueError: the language is unknown, or `size` is not positive.
        FontMissingError: the script's font is not installed.
    """
    if size <= 0:
        raise ValueError(f"font size must be positive, not {size}")
    return tuple(_load(face, size) for face in _chain_files(language, bold))


@functools.lru_cache(maxsize=64)
def _probe(face: FontFile) -> tuple[ImageFont.FreeTypeFont, bytes]:
    """A small unshaped copy of the face, and the pixels of its .notdef glyph."""
    font = ImageFont.truetype(
        face.path, _PROBE_SIZE, index=face.index, layout_engine=ImageFont.Layout.BASIC
    )
    return font, _pixels(font, _NOT_A_CHAR)


def _pixels(font: ImageFont.FreeTypeFont, char: str) -> bytes:
    canvas = Image.new("L", (_PROBE_SIZE * 3, _PROBE_SIZE * 2))
    ImageDraw.Draw(canvas).text((_PROBE_SIZE // 2, _PROBE_SIZE // 2), char, font=font, fill=255)
    return canvas.tobytes()


@functools.lru_cache(maxsize=65536)
def _covers(face: FontFile, char: str) -> bool:
    """Whether `face` maps `char` to a real glyph.

    Pillow does not expose the cmap, so a character counts as missing when, drawn unshaped, it
    looks exactly like the .notdef box that an unmapped codepoint gets.
    """
    font, notdef = _probe(face)
    return _pixels(font, char) != notdef


def _rides_along(char: str) -> bool:
    """Marks and joiners belong with the character before them: never a run, never "missing"."""
    return char.isspace() or unicodedata.category(char) in {"Mn", "Mc", "Me", "Cf"}


def _pick(chain: tuple[FontFile, ...], char: str) -> int:
    """Index of the first face that draws `char`; the script's own (tofu) if none does."""
    for index, face in enumerate(chain):
        if _covers(face, char):
            return index
    return 0


@functools.lru_cache(maxsize=8192)
def _runs(text: str, chain: tuple[FontFile, ...]) -> tuple[tuple[str, int], ...]:
    picks = [None if _rides_along(ch) else _pick(chain, ch) for ch in text]
    resolved = _resolve_neutrals(text, picks)
    runs: list[tuple[str, int]] = []
    for char, index in zip(text, resolved, strict=True):
        if runs and runs[-1][1] == index:
            runs[-1] = (runs[-1][0] + char, index)
        else:
            runs.append((char, index))
    return tuple(runs)


def _resolve_neutrals(text: str, picks: list[int | None]) -> list[int]:
    """Give spaces, marks and joiners a font.

    A mark stays with its base character. A space joins the fallback only when both of its
    neighbours are drawn by the same fallback font: "DNA and RNA" inside Arabic must stay one
    left-to-right run, while the space between an Arabic and a Latin word belongs to the script's
    own run (that is where bidirectional text puts it).
    """
    resolved: list[int] = []
    for position, (char, pick) in enumerate(zip(text, picks, strict=True)):
        if pick is not None:
            resolved.append(pick)
        elif not char.isspace():
            resolved.append(resolved[-1] if resolved else 0)
        else:
            before = resolved[-1] if resolved else 0
            after = next((p for p in picks[position:] if p is not None), 0)
            resolved.append(before if before == after else 0)
    return resolved


def font_runs(text: str, language: str, *, bold: bool = False) -> tuple[tuple[str, int], ...]:
    """Split `text` into (piece, index into `font_chain`) runs, in logical order.

    Each character goes to the first font of the chain that has a glyph for it; characters no
    font has stay with the script's own font (and are reported by `missing_glyphs`).

    Raises:
        ValueError: the language is unknown.
        FontMissingError: the script's font is not installed.
    """
    return _runs(text, _chain_files(language, bold))


def missing_glyphs(
    text: str, language: str, *, fallback: bool = True, bold: bool = False
) -> set[str]:
    """Characters of `text` that would be drawn as tofu in `language`'s font (`bold`: its bold
    face and fallbacks, which titles use).

    Whitespace, combining marks and zero-width joiners are ignored (they have no glyph of their
    own to check). With `fallback=False` only the script's own font counts, not the Latin fonts
    that slides fall back to.

    Raises:
        ValueError: the language is unknown.
        FontMissingError: the script's font is not installed.
    """
    chain = _chain_files(language, bold=bold)
    if not fallback:
        chain = chain[:1]
    return {
        ch for ch in set(text) if not _rides_along(ch) and not any(_covers(f, ch) for f in chain)
    }
