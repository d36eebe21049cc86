"""Brand kits: a slide theme as data (`ThemeSpec`), read from TOML files or a request's JSON.

A theme file holds the colours (`[colors]`, "#rrggbb"), the title's weight and the title slide's
style (`[title]`), footer text (`[footer]`) and an optional `logo` (a PNG path relative to the
file). The built-in themes are the files in `media/data/themes/`; `BUILTIN_THEMES` is read once,
at import, and `media.models.THEMES` lists its names. This module owns parsing and validation
only: `media.slides.themes` turns a spec into the painter's `Theme`.

A request's inline theme (`theme_spec`) has the same shape but no logo: the server does not read
paths a client names. Only a theme file passed to the CLI (`load_theme_file`) may carry one.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Annotated, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError
from pydantic.json_schema import SkipJsonSchema

__all__ = [
    "BUILTIN_THEMES",
    "MAX_FOOTER_CHARS",
    "MAX_LOGO_BYTES",
    "THEME_DIR",
    "Colors",
    "Footer",
    "ThemeError",
    "ThemeSpec",
    "TitleStyle",
    "load_theme_dir",
    "load_theme_file",
    "parse_theme",
]

THEME_DIR: Final = Path(__file__).parent / "data" / "themes"
# The footer shares one line with the slide counter: longer text would be cut anyway.
MAX_FOOTER_CHARS: Final = 80
# A logo is drawn a few dozen pixels high: a larger file is a mistake, not a logo.
MAX_LOGO_BYTES: Final = 2 * 1024 * 1024
# Title type between 0.8 and 1.25 of the built-in range: smaller is unreadable on a phone,
# larger leaves too little room for the body.
MIN_TITLE_SCALE: Final = 0.8
MAX_TITLE_SCALE: Final = 1.25
# A theme file is a few hundred bytes; this keeps a wrong path (a video, say) from being parsed.
MAX_THEME_FILE_BYTES: Final = 64 * 1024

Hex = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]
# A path on this machine: left out of the API's schema (`GenerationRequest` refuses it there).
LocalPath = SkipJsonSchema[Path | None]

_Strict = ConfigDict(frozen=True, extra="forbid")


class ThemeError(ValueError):
    """A theme file cannot be read or is invalid; the message names the file and the key."""


class Colors(BaseModel):
    """The slide colours: a vertical background gradient, text, accent and the progress track."""

    model_config = _Strict

    background_top: Hex
    background_bottom: Hex
    accent: Hex
    title: Hex
    body: Hex
    muted: Hex
    track: Hex  # the unfilled part of the progress strip


class TitleStyle(BaseModel):
    """How titles look: their weight and scale, and the title slide's arrangement.

    `style`: "centered" (today's), "left" (the title slide's text aligned to the start side),
    "band" (centred, with accent bands along the top and bottom edges instead of the side band).
    """

    model_config = _Strict

    weight: Literal["bold", "regular"] = "bold"
    # Times the titles' type range; the body follows (it is at most 3/4 of the title's size).
    scale: float = Field(default=1.0, ge=MIN_TITLE_SCALE, le=MAX_TITLE_SCALE)
    style: Literal["centered", "left", "band"] = "centered"


class Footer(BaseModel):
    """Text for the content slides' footer: it replaces the topic there, or joins it."""

    model_config = _Strict

    text: Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_FOOTER_CHARS)] = ""
    mode: Literal["replace", "join"] = "join"


class ThemeSpec(BaseModel):
    """One brand kit. `logo` is an absolute PNG path, set only by `load_theme_file`."""

    model_config = _Strict

    name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)] = "custom"
    colors: Colors
    title: TitleStyle = Field(default_factory=TitleStyle)
    footer: Footer = Field(default_factory=Footer)
    logo: LocalPath = None


def _describe(exc: ValidationError) -> str:
    """The first error as `key.sub: message`, the key path as written in the file."""
    first = exc.errors()[0]
    key = ".".join(str(part) for part in first["loc"]) or "(top level)"
    return f"{key}: {first['msg']}"


def parse_theme(data: object, *, source: str) -> ThemeSpec:
    """Validate a theme's data (a TOML document's table) without a logo.

    Raises:
        ThemeError: a key is missing, unknown or invalid (the message names it and `source`).
    """
    try:
        return ThemeSpec.model_validate(data)
    except ValidationError as exc:
        raise ThemeError(f"theme {source}: {_describe(exc)}") from None


def _logo_path(value: object, base: Path, source: str) -> Path:
    if not isinstance(value, str) or not value.strip():
        raise ThemeError(f"theme {source}: logo: a PNG path relative to the theme file")
    path = (base / value).resolve()
    try:
        with path.open("rb") as f:
            head = f.read(8)
            size = path.stat().st_size
    except OSError as exc:
        raise ThemeError(f"theme {source}: logo: cannot read {path}: {exc.strerror}") from None
    if head != b"\x89PNG\r\n\x1a\n":
        raise ThemeError(f"theme {source}: logo: {path} is not a PNG file")
    if size > MAX_LOGO_BYTES:
        raise ThemeError(f"theme {source}: logo: {path} is over {MAX_LOGO_BYTES} bytes")
    from PIL import Image  # only a theme with a logo needs Pillow here

    try:
        with Image.open(path) as image:
            image.load()
    except (OSError, SyntaxError, ValueError) as exc:
        raise ThemeError(f"theme {source}: logo: {path} cannot be decoded: {exc}") from None
    return path


def load_theme_file(path: Path) -> ThemeSpec:
    """Read and validate a theme file; a `logo` is resolved against the file's folder.

    Raises:
        ThemeError: the file cannot be read, is not TOML, or a key is invalid (named).
    """
    source = str(path)
    try:
        if path.stat().st_size > MAX_THEME_FILE_BYTES:
            raise ThemeError(f"theme {source}: over {MAX_THEME_FILE_BYTES} bytes")
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ThemeError(f"theme {source}: cannot read it: {exc.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ThemeError(f"theme {source}: not valid TOML: {exc}") from None
    logo = data.pop("logo", None)
    spec = parse_theme(data, source=source)
    if logo is None:
        return spec
    return spec.model_copy(update={"logo": _logo_path(logo, path.parent, source)})


def load_theme_dir(folder: Path) -> dict[str, ThemeSpec]:
    """Every `*.toml` of `folder`, by name, in file-name order; each file is named for its theme.

    Raises:
        ThemeError: a file is invalid, or its `name` is not its file name's stem, or none exists.
    """
    themes: dict[str, ThemeSpec] = {}
    for path in sorted(folder.glob("*.toml")):
        spec = load_theme_file(path)
        if spec.name != path.stem:
            raise ThemeError(f"theme {path}: name: {spec.name!r} must be the file's name")
        themes[spec.name] = spec
    if not themes:
        raise ThemeError(f"no theme files in {folder}")
    return themes


# Name → spec of every file in THEME_DIR, sorted by file name ("classic" first: the default).
BUILTIN_THEMES: Final[dict[str, ThemeSpec]] = load_theme_dir(THEME_DIR)
